import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { commandNames, getVersion } from '../../src/cli/index.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/reinhardt.js', import.meta.url));
const production = './examples/settings/production.ts';
const development = './examples/settings/development.ts';

/** Variables the example settings read; cleared so the machine's own values cannot leak in. */
const CLEARED = [
  'REINHARDT_SETTINGS',
  'SECRET_KEY',
  'ALLOWED_HOST',
  'DATABASE_URL',
  'REDIS_URL',
  'EMAIL_HOST',
  'EMAIL_PORT',
  'NODE_TEST_CONTEXT',
  'NODE_OPTIONS',
];

const PRODUCTION_ENV = {
  SECRET_KEY: 'x7#Kq9!pLm2$Vb8@Nz4^Rt6&Wy1*Hs3(Jd5)Fg0-Ua9+Ec7=Io2',
  ALLOWED_HOST: 'shop.example.com',
  DATABASE_URL: 'postgres://shop:pw@db.internal:5432/shop',
  REDIS_URL: 'redis://cache.internal:6379/1',
  EMAIL_HOST: 'smtp.example.com',
};

/** Runs `node bin/reinhardt.js ...args` from the repository root, as a user would. */
function reinhardt(args: string[], variables: Record<string, string> = {}) {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of CLEARED) delete env[name];
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: repo,
      env: { ...env, ...variables },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bin/reinhardt.js', () => {
  test('--version', async () => {
    const { code, stdout } = await reinhardt(['--version']);
    assert.equal(code, 0);
    assert.equal(stdout, `${getVersion()}\n`);
  });

  test('--help of every command, and help <command>', async () => {
    for (const name of commandNames()) {
      const { code, stdout, stderr } = await reinhardt([name, '--help']);
      assert.equal(code, 0, stderr);
      assert.match(stdout, new RegExp(`^Usage: reinhardt ${name} \\[options\\]`));
      assert.match(stdout, /Global options:\n {2}--settings <SETTINGS>/);
      assert.match(stdout, /-h, --help/);
      const viaHelp = await reinhardt(['help', name]);
      assert.equal(viaHelp.stdout, stdout);
    }
  });

  test('check --help lists its options', async () => {
    const { stdout } = await reinhardt(['check', '--help']);
    for (const option of [
      '--deploy',
      '-t, --tag <TAG>',
      '--list-tags',
      '--fail-level <LEVEL>',
      '--database <ALIAS>',
    ]) {
      assert.ok(stdout.includes(option), option);
    }
  });

  test('check --deploy with production settings: no issues, exit 0', async () => {
    const { code, stdout, stderr } = await reinhardt(
      ['check', '--deploy', '--settings', production],
      PRODUCTION_ENV,
    );
    assert.equal(stderr, '');
    assert.equal(stdout, 'System check identified no issues (0 silenced).\n');
    assert.equal(code, 0);
  });

  test('check --deploy with development settings: warnings on stderr, exit 0', async () => {
    const { code, stdout, stderr } = await reinhardt([
      'check',
      '--deploy',
      '--settings',
      development,
    ]);
    assert.equal(code, 0);
    assert.equal(stdout, '');
    assert.match(stderr, /^System check identified some issues:\n\nWARNINGS:\n/);
    for (const id of ['W004', 'W008', 'W009', 'W012', 'W016', 'W018']) {
      assert.match(stderr, new RegExp(`\\?: \\(security\\.${id}\\) `), id);
    }
    assert.match(stderr, /\n\nSystem check identified 6 issues \(0 silenced\)\.\n$/);
  });

  test('check --deploy --fail-level WARNING: exit 1 with the list', async () => {
    const { code, stderr } = await reinhardt([
      'check',
      '--deploy',
      '--fail-level',
      'WARNING',
      '--settings',
      development,
    ]);
    assert.equal(code, 1);
    assert.match(stderr, /^SystemCheckError: System check identified some issues:\n\nWARNINGS:\n/);
    assert.match(
      stderr,
      /\(security\.W018\) You should not have debug set to true in deployment\./,
    );
  });

  test('settings from REINHARDT_SETTINGS as a dotted name', async () => {
    const { code, stdout } = await reinhardt(['check', '--deploy'], {
      ...PRODUCTION_ENV,
      REINHARDT_SETTINGS: 'examples.settings.production',
    });
    assert.equal(code, 0);
    assert.equal(stdout, 'System check identified no issues (0 silenced).\n');
  });

  test('a missing production variable: a one-line error, exit 1', async () => {
    const { SECRET_KEY: _omitted, ...rest } = PRODUCTION_ENV;
    const { code, stdout, stderr } = await reinhardt(
      ['check', '--deploy', '--settings', production],
      rest,
    );
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.equal(
      stderr,
      'ImproperlyConfigured: Set the SECRET_KEY environment variable\n' +
        '(Run with --traceback to see the full stack trace.)\n',
    );
  });

  test('--traceback shows where the error came from', async () => {
    const { code, stderr } = await reinhardt(['check', '--traceback', '--settings', production]);
    assert.equal(code, 1);
    assert.match(stderr, /^ImproperlyConfigured: Set the SECRET_KEY environment variable\n\s+at /);
  });

  test('a settings module that does not exist', async () => {
    const { code, stderr } = await reinhardt(['check', '--settings', 'config.settings.nope']);
    assert.equal(code, 1);
    assert.match(
      stderr,
      /^ImproperlyConfigured: Cannot find the settings module 'config\.settings\.nope'\. Tried:\n/,
    );
  });

  test('an unknown command and a bad option', async () => {
    assert.equal((await reinhardt(['nope'])).code, 1);
    const bad = await reinhardt(['check', '--nope']);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /^Usage: reinhardt check \[options\]\nreinhardt check: error: Unknown option '--nope'/,
    );
  });
});
