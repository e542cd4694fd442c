import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BaseCommand,
  callCommand,
  CommandError,
  commandNames,
  getCommand,
  OutputBuffer,
  registerCommand,
  type CommandOptions,
  type CommandValues,
} from '../../src/cli/index.js';
import { CheckError, registerCheck, registry } from '../../src/core/checks/index.js';
import { configureSettings, resetSettings } from '../../src/conf/index.js';

const echoOptions = {
  upper: { type: 'boolean', help: 'Upper-case.' },
  'word-list': { type: 'string', multiple: true, help: 'Words.' },
  times: { type: 'string', default: '1', help: 'Repeat.' },
} as const satisfies CommandOptions;

let handled = 0;
class EchoCommand extends BaseCommand<typeof echoOptions> {
  readonly name = 'test-echo';
  readonly help = 'Echoes words.';
  override readonly options = echoOptions;
  override readonly requiresSystemChecks = ['call-command-test'];
  handle({ upper, wordList, times }: CommandValues<typeof echoOptions>): string {
    handled++;
    const text = wordList.join(' ').repeat(Number(times));
    return upper ? text.toUpperCase() : text;
  }
}
registerCommand(EchoCommand);

afterEach(() => resetSettings());

describe('callCommand', () => {
  test('takes command-line words and returns what handle returned', async () => {
    configureSettings({});
    const stdout = new OutputBuffer();
    const result = await callCommand(
      'test-echo',
      ['--word-list', 'a', '--word-list', 'b', '--upper'],
      { stdout },
    );
    assert.equal(result, 'A B');
    assert.equal(stdout.text, 'A B\n');
  });

  test('takes camelCase option values', async () => {
    configureSettings({});
    const result = await callCommand(
      'test-echo',
      { wordList: ['x'], times: 3, upper: false },
      { stdout: new OutputBuffer() },
    );
    assert.equal(result, 'xxx');
  });

  test('an unknown command throws CommandError', async () => {
    await assert.rejects(callCommand('nope'), (error: unknown) => {
      assert.ok(error instanceof CommandError);
      assert.equal(error.message, "Unknown command: 'nope'");
      return true;
    });
  });

  test('an unknown option throws instead of exiting', async () => {
    configureSettings({});
    await assert.rejects(callCommand('test-echo', { colour: 'red' }), {
      name: 'CommandUsageError',
    });
  });

  test('skips system checks by default, as call_command does; skipChecks: false runs them', async () => {
    configureSettings({});
    const check = registerCheck(() => [new CheckError('Broken.', { id: 'x.E001' })], {
      tags: ['call-command-test'],
    });
    try {
      const before = handled;
      await callCommand('test-echo', [], { stdout: new OutputBuffer() });
      assert.equal(handled, before + 1);
      await assert.rejects(
        callCommand('test-echo', [], { skipChecks: false, stderr: new OutputBuffer() }),
        { name: 'SystemCheckError' },
      );
      await assert.rejects(callCommand('test-echo', { skipChecks: false }), {
        name: 'SystemCheckError',
      });
      assert.equal(handled, before + 1, 'handle did not run after failed checks');
    } finally {
      registry.unregister(check);
    }
  });

  test('built-in commands are registered', () => {
    assert.ok(commandNames().includes('check'));
    assert.ok(commandNames().includes('version'));
    assert.equal(getCommand('test-echo'), EchoCommand);
  });

  test('registering a command with an existing name replaces it', async () => {
    class OtherEcho extends EchoCommand {
      override handle(): string {
        return 'replaced';
      }
    }
    registerCommand(OtherEcho);
    try {
      configureSettings({});
      assert.equal(await callCommand('test-echo', [], { stdout: new OutputBuffer() }), 'replaced');
    } finally {
      registerCommand(EchoCommand);
    }
  });
});

describe('version', () => {
  test('prints package.json version and needs no settings', async () => {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    const stdout = new OutputBuffer();
    assert.equal(await callCommand('version', [], { stdout }), pkg.version);
    assert.equal(stdout.text, `${pkg.version}\n`);
  });
});
