import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { callCommand, CommandError, OutputBuffer } from '../../src/cli/index.js';
import {
  CheckError,
  Info,
  registerCheck,
  registry,
  SystemCheckError,
  type CheckContext,
  type CheckFunction,
} from '../../src/core/checks/index.js';
import { configureSettings, resetSettings, type UserSettings } from '../../src/conf/index.js';

const SECURE: UserSettings = {
  secretKey: 'x7#Kq9!pLm2$Vb8@Nz4^Rt6&Wy1*Hs3(Jd5)Fg0-Ua9+Ec7=Io2',
  allowedHosts: ['example.com'],
  secureSslRedirect: true,
  secureHstsSeconds: 3600,
  secureHstsIncludeSubdomains: true,
  secureHstsPreload: true,
  sessionCookieSecure: true,
  csrfCookieSecure: true,
};

const registered: CheckFunction[] = [];
function register(...args: Parameters<typeof registerCheck>) {
  registered.push(registerCheck(...args));
}

afterEach(() => {
  resetSettings();
  for (const check of registered.splice(0)) registry.unregister(check);
});

async function check(args: string[] | Record<string, unknown> = []) {
  const stdout = new OutputBuffer();
  const stderr = new OutputBuffer();
  await callCommand('check', args, { stdout, stderr });
  return { stdout: stdout.text, stderr: stderr.text };
}

describe('reinhardt check', () => {
  test('no issues: the count on stdout', async () => {
    configureSettings({ debug: true });
    const { stdout, stderr } = await check();
    assert.equal(stdout, 'System check identified no issues (0 silenced).\n');
    assert.equal(stderr, '');
  });

  test('--deploy runs the deployment checks; warnings go to stderr and do not fail', async () => {
    configureSettings({ ...SECURE, debug: true, allowedHosts: [] });
    const { stdout, stderr } = await check(['--deploy']);
    assert.equal(stdout, '');
    assert.equal(
      stderr,
      'System check identified some issues:\n\nWARNINGS:\n' +
        '?: (security.W018) You should not have debug set to true in deployment.\n' +
        '?: (security.W020) allowedHosts must not be empty in deployment.\n\n' +
        'System check identified 2 issues (0 silenced).\n',
    );
  });

  test('--deploy with secure settings', async () => {
    configureSettings(SECURE);
    assert.equal(
      (await check({ deploy: true })).stdout,
      'System check identified no issues (0 silenced).\n',
    );
  });

  test('--fail-level WARNING makes warnings fail with the formatted list', async () => {
    configureSettings({ ...SECURE, debug: true });
    await assert.rejects(check(['--deploy', '--fail-level', 'WARNING']), (error: unknown) => {
      assert.ok(error instanceof SystemCheckError);
      assert.match(error.message, /WARNINGS:\n\?: \(security\.W018\)/);
      return true;
    });
  });

  test('an error-level message fails by default', async () => {
    configureSettings({});
    register(() => [new CheckError('Broken model.', { id: 'models.E001', hint: 'Fix it.' })], {
      tags: ['models'],
    });
    await assert.rejects(check(), {
      name: 'SystemCheckError',
      message:
        'System check identified some issues:\n\nERRORS:\n?: (models.E001) Broken model.\n\tHINT: Fix it.\n\n' +
        'System check identified 1 issue (0 silenced).',
    });
  });

  test('--fail-level CRITICAL lets errors through (printed to stderr)', async () => {
    configureSettings({});
    register(() => [new CheckError('Broken.', { id: 'models.E001' })]);
    const { stderr } = await check({ failLevel: 'CRITICAL' });
    assert.match(stderr, /ERRORS:\n\?: \(models\.E001\) Broken\./);
  });

  test('silenced messages are hidden and do not fail', async () => {
    configureSettings({ silencedSystemChecks: ['models.E001'] });
    register(() => [new CheckError('Broken.', { id: 'models.E001' })]);
    assert.equal((await check()).stdout, 'System check identified no issues (1 silenced).\n');
  });

  test('--tag / -t selects checks; an unknown tag is an error', async () => {
    configureSettings({});
    register(() => [new Info('from a', { id: 'a.I001' })], { tags: ['tag-a'] });
    register(() => [new Info('from b', { id: 'b.I001' })], { tags: ['tag-b'] });
    const { stderr } = await check(['-t', 'tag-b']);
    assert.match(stderr, /from b/);
    assert.doesNotMatch(stderr, /from a/);
    const both = await check(['--tag', 'tag-a', '-t', 'tag-b']);
    assert.match(both.stderr, /from a[\s\S]*from b/);
    await assert.rejects(check(['--tag', 'nope']), (error: unknown) => {
      assert.ok(error instanceof CommandError);
      assert.equal(error.message, 'There is no system check with the "nope" tag.');
      return true;
    });
  });

  test('security is a tag only with --deploy', async () => {
    configureSettings({});
    await assert.rejects(check(['--tag', 'security']), /no system check with the "security" tag/);
    const { stderr } = await check(['--deploy', '--tag', 'security']);
    assert.match(stderr, /security\.W009/);
  });

  test('--list-tags prints the available tags, sorted', async () => {
    configureSettings({});
    register(() => [], { tags: ['zeta', 'alpha'] });
    const { stdout } = await check(['--list-tags']);
    const tags = stdout.trim().split('\n');
    assert.ok(tags.includes('alpha') && tags.includes('zeta'));
    assert.ok(!tags.includes('security'));
    assert.deepEqual(tags, [...tags].sort());
    assert.ok((await check(['--list-tags', '--deploy'])).stdout.split('\n').includes('security'));
  });

  test('--database passes aliases to the checks', async () => {
    configureSettings({
      databases: {
        default: { engine: 'sqlite', name: ':memory:' },
        replica: { engine: 'sqlite', name: ':memory:' },
      },
    });
    const seen: CheckContext[] = [];
    register(
      (context) => {
        seen.push(context);
        return [];
      },
      { tags: ['database'] },
    );
    await check(['--database', 'default', '--database', 'replica']);
    await check([]);
    assert.deepEqual(
      seen.map((c) => c.databases),
      [['default', 'replica'], null],
    );
  });

  test('--fail-level rejects unknown levels', async () => {
    configureSettings({});
    await assert.rejects(check(['--fail-level', 'LOUD']), {
      name: 'CommandUsageError',
      message: /invalid choice: 'LOUD' \(choose from CRITICAL, ERROR, WARNING, INFO, DEBUG\)/,
    });
  });
});
