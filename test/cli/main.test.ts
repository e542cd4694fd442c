import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { getCommand, getVersion, main, OutputBuffer } from '../../src/cli/index.js';
import { resetSettings } from '../../src/conf/index.js';

const TEST_SETTINGS = fileURLToPath(new URL('./fixtures/settings.ts', import.meta.url));
const originalSettings = process.env.REINHARDT_SETTINGS;

afterEach(() => {
  resetSettings();
  if (originalSettings === undefined) delete process.env.REINHARDT_SETTINGS;
  else process.env.REINHARDT_SETTINGS = originalSettings;
});

async function run(...argv: string[]) {
  const stdout = new OutputBuffer();
  const stderr = new OutputBuffer();
  const code = await main(argv, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('main', () => {
  test('no arguments, help and --help print the command list', async () => {
    for (const argv of [[], ['help'], ['--help'], ['-h']]) {
      const { code, stdout } = await run(...argv);
      assert.equal(code, 0, argv.join(' '));
      assert.match(stdout, /^Usage: reinhardt <command> \[options\] \[arguments\]/);
      assert.match(
        stdout,
        /\n {2}check +Checks the entire Reinhardt project for potential problems\.\n/,
      );
      assert.match(stdout, /\n {2}version +Shows the Reinhardt version\./);
      assert.match(stdout, /Type 'reinhardt help <command>'/);
    }
  });

  test('--version prints the version', async () => {
    assert.deepEqual(await run('--version'), { code: 0, stdout: `${getVersion()}\n`, stderr: '' });
  });

  test('help <command> prints that command help', async () => {
    const { code, stdout } = await run('help', 'check');
    assert.equal(code, 0);
    assert.equal(stdout, `${new (getCommand('check')!)().helpText()}\n`);
    // Options between `help` and the command name are skipped with their values.
    assert.equal((await run('help', '--settings', 'x', 'check')).stdout, stdout);
  });

  test('an unknown command suggests close names and exits 1', async () => {
    const { code, stderr } = await run('chek');
    assert.equal(code, 1);
    assert.equal(
      stderr,
      "Unknown command: 'chek'. Did you mean check?\nType 'reinhardt help' for usage.\n",
    );
    assert.equal((await run('help', 'zzzzzz')).code, 1);
  });

  test('global options may come before the command', async () => {
    delete process.env.REINHARDT_SETTINGS;
    const { code, stdout, stderr } = await run('--settings', TEST_SETTINGS, 'check');
    assert.equal(code, 0, stderr);
    assert.equal(stdout, 'System check identified no issues (0 silenced).\n');
    assert.equal(
      process.env.REINHARDT_SETTINGS,
      TEST_SETTINGS,
      '--settings is exported to the environment',
    );
  });

  test('options without a command are an error', async () => {
    const { code, stderr } = await run('--traceback');
    assert.equal(code, 2);
    assert.match(stderr, /a command is required/);
  });

  test('missing settings: a readable error and exit 1', async () => {
    delete process.env.REINHARDT_SETTINGS;
    const { code, stderr } = await run('check');
    assert.equal(code, 1);
    assert.match(
      stderr,
      /^ImproperlyConfigured: Settings are not configured\. Set the REINHARDT_SETTINGS environment variable/,
    );
  });
});
