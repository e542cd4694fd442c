import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  BaseCommand,
  CommandError,
  CommandUsageError,
  OutputBuffer,
  OutputWrapper,
  type CommandOptions,
  type CommandValues,
} from '../../src/cli/index.js';
import { CheckError, registerCheck, registry } from '../../src/core/checks/index.js';
import { configureSettings, isConfigured, resetSettings, settings } from '../../src/conf/index.js';

const TEST_SETTINGS = fileURLToPath(new URL('./fixtures/settings.ts', import.meta.url));

const greetOptions = {
  loud: { type: 'boolean', short: 'l', help: 'Shout.' },
  'greeting-word': { type: 'string', default: 'Hello', help: 'The greeting.' },
  name: { type: 'string', multiple: true, help: 'Who to greet.' },
  mood: { type: 'string', choices: ['happy', 'sad'], help: 'How to greet.' },
} as const satisfies CommandOptions;

class GreetCommand extends BaseCommand<typeof greetOptions> {
  readonly name = 'greet';
  readonly help = 'Greets people.';
  override readonly options = greetOptions;
  override readonly positionals = [{ name: 'place', help: 'Where.' }];
  override readonly requiresSettings = false;
  override readonly requiresSystemChecks = false;
  received: [CommandValues<typeof greetOptions>, string[]] | undefined;

  handle(values: CommandValues<typeof greetOptions>, positionals: string[]): string {
    this.received = [values, positionals];
    const text = `${values.greetingWord} ${values.name.join(' and ')} in ${positionals[0]}`;
    return values.loud ? text.toUpperCase() : text;
  }
}

class FailingCommand extends BaseCommand {
  readonly name = 'fail';
  readonly help = 'Fails.';
  override readonly requiresSettings = false;
  override readonly requiresSystemChecks = false;
  constructor(
    io: ConstructorParameters<typeof BaseCommand>[0],
    private readonly error: unknown,
  ) {
    super(io);
  }
  handle(): never {
    throw this.error;
  }
}

function io() {
  return { stdout: new OutputBuffer(), stderr: new OutputBuffer() };
}

afterEach(() => {
  resetSettings();
  delete process.env.REINHARDT_SETTINGS;
});

describe('parseArguments', () => {
  test('typed, camelCase values with defaults', () => {
    const { options, positionals } = new GreetCommand().parseArguments(['Paris', '--name', 'Ada']);
    assert.equal(options.loud, false);
    assert.equal(options.greetingWord, 'Hello');
    assert.deepEqual(options.name, ['Ada']);
    assert.equal(options.mood, undefined);
    assert.equal(options.verbosity, 1);
    assert.equal(options.traceback, false);
    assert.equal(options.settings, undefined);
    assert.deepEqual(positionals, ['Paris']);
  });

  test('short flags, repeated options and global options', () => {
    const { options } = new GreetCommand().parseArguments([
      'Rome',
      '-l',
      '--name=Ada',
      '--name',
      'Grace',
      '--greeting-word',
      'Ciao',
      '-v',
      '3',
      '--settings',
      'config.settings.dev',
      '--traceback',
    ]);
    assert.equal(options.loud, true);
    assert.deepEqual(options.name, ['Ada', 'Grace']);
    assert.equal(options.greetingWord, 'Ciao');
    assert.equal(options.verbosity, 3);
    assert.equal(options.settings, 'config.settings.dev');
    assert.equal(options.traceback, true);
  });

  test('usage errors', () => {
    const command = new GreetCommand();
    const cases: [string[], RegExp][] = [
      [['Paris', '--nope'], /Unknown option '--nope'/],
      [
        ['Paris', '--mood', 'angry'],
        /argument --mood: invalid choice: 'angry' \(choose from happy, sad\)/,
      ],
      [['Paris', '-v', '7'], /argument --verbosity: invalid choice: '7'/],
      [[], /the following arguments are required: place/],
      [['Paris', 'Rome'], /unrecognized arguments: Rome/],
      [['Paris', '--greeting-word'], /argument missing/],
    ];
    for (const [argv, message] of cases) {
      assert.throws(
        () => command.parseArguments(argv),
        (error: unknown) => {
          assert.ok(error instanceof CommandUsageError, String(error));
          assert.equal(error.returncode, 2);
          assert.match(error.message, message);
          return true;
        },
      );
    }
  });

  test('a command may not redefine a global option', () => {
    class Clash extends BaseCommand<{ settings: { type: 'string'; help: string } }> {
      readonly name = 'clash';
      readonly help = 'Clashes.';
      override readonly options = { settings: { type: 'string', help: 'x' } } as const;
      handle() {}
    }
    assert.throws(
      () => new Clash().parseArguments([]),
      /defines --settings, which is a global option/,
    );
  });
});

describe('help', () => {
  test('usage, description, arguments, options and global options', () => {
    const text = new GreetCommand().helpText();
    assert.ok(text.startsWith('Usage: reinhardt greet [options] place\n\nGreets people.\n'));
    assert.match(text, /Arguments:\n {2}place {2}Where\./);
    assert.match(text, /-l, --loud\s+Shout\./);
    assert.match(text, /--greeting-word <GREETING_WORD>\s+The greeting\. Default: Hello\./);
    assert.match(text, /--name <NAME>\s+Who to greet\. May be repeated\./);
    assert.match(text, /--mood <MOOD>\s+How to greet\. Choices: happy, sad\./);
    assert.match(text, /Global options:\n {2}--settings <SETTINGS>/);
    assert.match(text, /--traceback/);
    assert.match(text, /-h, --help\s+Show this help message and exit\./);
    assert.doesNotMatch(text, /--skip-checks/, 'only for commands that run checks');
  });

  test('--skip-checks is offered by commands that run system checks', () => {
    class Checked extends BaseCommand {
      readonly name = 'checked';
      readonly help = 'Runs checks first.';
      handle() {}
    }
    assert.match(new Checked().helpText(), /--skip-checks\s+Skip system checks\./);
  });
});

describe('runFromArgv', () => {
  test('--help prints help, exits 0 and runs nothing', async () => {
    const streams = io();
    const command = new GreetCommand(streams);
    assert.equal(await command.runFromArgv(['--help']), 0);
    assert.equal(streams.stdout.text, `${command.helpText()}\n`);
    assert.equal(command.received, undefined);
  });

  test('success: a returned string goes to stdout with a newline', async () => {
    const streams = io();
    const code = await new GreetCommand(streams).runFromArgv(['Oslo', '--name', 'Ada', '-l']);
    assert.equal(code, 0);
    assert.equal(streams.stdout.text, 'HELLO ADA IN OSLO\n');
    assert.equal(streams.stderr.text, '');
  });

  test('a usage error prints the usage line and exits 2', async () => {
    const streams = io();
    assert.equal(await new GreetCommand(streams).runFromArgv(['--bad']), 2);
    assert.match(
      streams.stderr.text,
      /^Usage: reinhardt greet \[options\] place\nreinhardt greet: error: Unknown option '--bad'/,
    );
  });

  test('CommandError: its message on stderr and its return code', async () => {
    const streams = io();
    const code = await new FailingCommand(
      streams,
      new CommandError('Nothing to do.', 3),
    ).runFromArgv([]);
    assert.equal(code, 3);
    assert.equal(streams.stderr.text, 'CommandError: Nothing to do.\n');
  });

  test('another error: name and message, a hint about --traceback, exit 1', async () => {
    const streams = io();
    const code = await new FailingCommand(streams, new RangeError('Too far.')).runFromArgv([]);
    assert.equal(code, 1);
    assert.equal(
      streams.stderr.text,
      'RangeError: Too far.\n(Run with --traceback to see the full stack trace.)\n',
    );
  });

  test('--traceback prints the stack', async () => {
    const streams = io();
    const error = new CommandError('Nothing to do.');
    await new FailingCommand(streams, error).runFromArgv(['--traceback']);
    assert.equal(streams.stderr.text, `${error.stack}\n`);
    assert.match(streams.stderr.text, /at /);
  });
});

describe('execute', () => {
  class SettingsCommand extends BaseCommand {
    readonly name = 'show-debug';
    readonly help = 'Prints settings.debug.';
    override readonly requiresSystemChecks = false;
    handle(): string {
      return `debug=${settings.debug}`;
    }
  }

  test('loads settings from REINHARDT_SETTINGS when not configured', async () => {
    process.env.REINHARDT_SETTINGS = TEST_SETTINGS;
    const streams = io();
    const command = new SettingsCommand(streams);
    assert.equal(await command.execute(command.parseArguments([])), 'debug=false');
    assert.equal(isConfigured(), true);
    assert.equal(settings.emailBackend, 'locmem');
  });

  test('--settings loads the given module', async () => {
    const command = new SettingsCommand(io());
    await command.execute(command.parseArguments(['--settings', TEST_SETTINGS]));
    assert.deepEqual(settings.allowedHosts, ['testserver']);
  });

  test('keeps settings configured in-process', async () => {
    configureSettings({ debug: true });
    const command = new SettingsCommand(io());
    assert.equal(await command.execute(command.parseArguments([])), 'debug=true');
  });

  test('runs system checks before handle, and --skip-checks skips them', async () => {
    configureSettings({});
    let handled = false;
    class Checked extends BaseCommand {
      readonly name = 'checked';
      readonly help = 'Runs checks first.';
      override readonly requiresSystemChecks = ['base-command-test'];
      handle() {
        handled = true;
      }
    }
    const check = registerCheck(() => [new CheckError('Broken.', { id: 'test.E001' })], {
      tags: ['base-command-test'],
    });
    try {
      const streams = io();
      assert.equal(await new Checked(streams).runFromArgv([]), 1);
      assert.equal(handled, false);
      assert.match(
        streams.stderr.text,
        /^SystemCheckError: System check identified some issues:\n\nERRORS:\n\?: \(test\.E001\) Broken\.\n$/,
      );
      assert.equal(await new Checked(io()).runFromArgv(['--skip-checks']), 0);
      assert.equal(handled, true);
    } finally {
      registry.unregister(check);
    }
  });
});

describe('OutputWrapper', () => {
  test('adds the ending unless present', () => {
    const buffer = new OutputBuffer();
    const out = new OutputWrapper(buffer);
    out.write('a');
    out.write('b\n');
    out.write('50%', '\r');
    out.write();
    assert.equal(buffer.text, 'a\nb\n50%\r\n');
  });
});
