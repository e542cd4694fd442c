/**
 * The base class of every `reinhardt` command (the role of Django's
 * `django.core.management.base.BaseCommand`).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CommandError } from '../core/exceptions.js';
import { checkOrThrow, type CheckOrThrowOptions, type Tag } from '../core/checks/index.js';
import { isConfigured, loadSettings, SETTINGS_ENVIRONMENT_VARIABLE } from '../conf/settings.js';
import {
  camelCase,
  type CommandOption,
  type CommandOptions,
  type GlobalOptionValues,
  type OptionValues,
  type PositionalArgument,
} from './options.js';
import { OutputWrapper, type CommandIO } from './output.js';

/** The program name shown in usage lines. */
export const PROGRAM_NAME = 'reinhardt';

/**
 * A mistake on the command line (unknown option, bad value, missing
 * argument). The CLI prints the usage line with it and exits with 2, as
 * argparse does; `callCommand` throws it.
 *
 * @example
 * ```ts
 * await assert.rejects(callCommand('check', ['--fail-level', 'LOUD']), CommandUsageError);
 * ```
 */
export class CommandUsageError extends CommandError {
  override readonly code: string = 'command_usage_error';
  constructor(message: string) {
    super(message, 2);
  }
}

/** The options every command accepts. */
const GLOBAL_OPTIONS = {
  settings: {
    type: 'string',
    metavar: 'SETTINGS',
    help:
      'The settings module: a path (./config/settings/development.ts) or a dotted name ' +
      `(config.settings.development). If not given, ${SETTINGS_ENVIRONMENT_VARIABLE} is used.`,
  },
  traceback: { type: 'boolean', help: 'Show the full stack trace when the command fails.' },
  verbosity: {
    type: 'string',
    short: 'v',
    choices: ['0', '1', '2', '3'],
    default: '1',
    metavar: 'LEVEL',
    help: 'Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, 3=very verbose output.',
  },
  'skip-checks': { type: 'boolean', help: 'Skip system checks.' },
  help: { type: 'boolean', short: 'h', help: 'Show this help message and exit.' },
} as const satisfies CommandOptions;

/** What `parseArguments()` returns and `execute()` takes. */
export interface ParsedCommandLine<O extends CommandOptions> {
  options: OptionValues<O> & GlobalOptionValues;
  positionals: string[];
}

/** Values after parsing: the command's own options plus the global ones. */
export type CommandValues<O extends CommandOptions> = OptionValues<O> & GlobalOptionValues;

/**
 * A `reinhardt` command. Subclasses set `name` and `help`, describe their
 * options as data, and implement `handle()`; everything else (parsing,
 * `--help`, loading settings, running system checks, turning a
 * {@link CommandError} into a message and an exit code) is done here.
 *
 * @example
 * ```ts
 * const options = {
 *   noinput: { type: 'boolean', help: 'Do not prompt.' },
 * } as const satisfies CommandOptions;
 *
 * export class ClearCacheCommand extends BaseCommand<typeof options> {
 *   readonly name = 'clearcache';
 *   readonly help = 'Empties every configured cache.';
 *   override readonly options = options;
 *   async handle({ noinput }: CommandValues<typeof options>) {
 *     if (!noinput) throw new CommandError('Pass --noinput to confirm.');
 *     this.stdout.write('Caches cleared.');
 *   }
 * }
 * registerCommand(ClearCacheCommand);
 * ```
 */
export abstract class BaseCommand<O extends CommandOptions = CommandOptions> {
  /** The word typed after `reinhardt`. */
  abstract readonly name: string;
  /** One or two sentences shown by `--help` and `reinhardt help`. */
  abstract readonly help: string;
  /** The command's own options, as data. */
  readonly options: O = {} as O;
  /** Positional arguments the command takes (none by default). */
  readonly positionals: readonly PositionalArgument[] = [];
  /** Load settings before `handle()` (Django: commands need settings unless they say otherwise). */
  readonly requiresSettings: boolean = true;
  /**
   * System checks to run before `handle()`: `true` for all, a list of tags
   * for some, `false` (or `[]`) for none.
   */
  readonly requiresSystemChecks: boolean | readonly Tag[] = true;

  /** Where normal output goes; every `write()` ends with a newline. */
  readonly stdout: OutputWrapper;
  /** Where errors and warnings go. */
  readonly stderr: OutputWrapper;

  constructor(io: CommandIO = {}) {
    this.stdout = new OutputWrapper(io.stdout ?? process.stdout);
    this.stderr = new OutputWrapper(io.stderr ?? process.stderr);
  }

  /**
   * Does the command's work. A returned string is written to stdout.
   * Throw {@link CommandError} for failures the user should read.
   */
  abstract handle(
    options: CommandValues<O>,
    positionals: string[],
  ): Promise<string | void> | string | void;

  /** Global options that apply to this command (`--skip-checks` only when it runs checks). */
  protected globalOptions(): CommandOptions {
    const { 'skip-checks': skipChecks, ...rest } = GLOBAL_OPTIONS;
    return this.runsSystemChecks() ? { ...rest, 'skip-checks': skipChecks } : rest;
  }

  private runsSystemChecks(): boolean {
    const tags = this.requiresSystemChecks;
    return tags === true || (Array.isArray(tags) && tags.length > 0);
  }

  /**
   * Parses `argv` (the words after the command name). Throws
   * {@link CommandUsageError} for anything wrong on the command line.
   *
   * @example
   * ```ts
   * new CheckCommand().parseArguments(['--deploy', '-t', 'security']).options.tag; // ['security']
   * ```
   */
  parseArguments(argv: readonly string[]): ParsedCommandLine<O> {
    const globals = this.globalOptions();
    const specs: Record<string, CommandOption> = { ...globals };
    for (const [name, spec] of Object.entries(this.options)) {
      if (Object.hasOwn(GLOBAL_OPTIONS, name)) {
        throw new Error(`Command '${this.name}' defines --${name}, which is a global option.`);
      }
      specs[name] = spec;
    }
    const config: ParseArgsConfig['options'] = {};
    for (const [name, spec] of Object.entries(specs)) {
      config[name] = {
        type: spec.type,
        ...(spec.short ? { short: spec.short } : {}),
        ...(spec.multiple ? { multiple: true } : {}),
      };
    }
    let parsed: { values: Record<string, unknown>; positionals: string[] };
    try {
      parsed = parseArgs({
        args: [...argv],
        options: config,
        allowPositionals: this.positionals.length > 0,
        strict: true,
      });
    } catch (error) {
      throw new CommandUsageError((error as Error).message);
    }
    const values: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(specs)) {
      values[camelCase(name)] = this.valueOf(name, spec, parsed.values[name]);
    }
    values.verbosity = Number(values.verbosity);
    this.checkPositionals(parsed.positionals);
    return {
      options: values as OptionValues<O> & GlobalOptionValues,
      positionals: parsed.positionals,
    };
  }

  private valueOf(name: string, spec: CommandOption, raw: unknown): unknown {
    if (raw === undefined) {
      if (spec.multiple) return [...(spec.default ?? [])];
      return spec.type === 'boolean' ? false : spec.default;
    }
    if (spec.choices) {
      for (const value of Array.isArray(raw) ? raw : [raw]) {
        if (!spec.choices.includes(value as string)) {
          throw new CommandUsageError(
            `argument --${name}: invalid choice: '${String(value)}' ` +
              `(choose from ${spec.choices.join(', ')})`,
          );
        }
      }
    }
    return raw;
  }

  private checkPositionals(given: readonly string[]): void {
    const required = this.positionals.filter((p) => !p.optional && !p.multiple).length;
    const variadic = this.positionals.some((p) => p.multiple);
    if (given.length < required) {
      const missing = this.positionals.slice(given.length).filter((p) => !p.optional);
      throw new CommandUsageError(
        `the following arguments are required: ${missing.map((p) => p.name).join(', ')}`,
      );
    }
    if (!variadic && given.length > this.positionals.length) {
      throw new CommandUsageError(
        `unrecognized arguments: ${given.slice(this.positionals.length).join(' ')}`,
      );
    }
  }

  /**
   * The one-line usage, e.g. `Usage: reinhardt check [options]`.
   *
   * @example
   * ```ts
   * new VersionCommand().usage(); // 'Usage: reinhardt version [options]'
   * ```
   */
  usage(): string {
    const args = this.positionals.map((p) => {
      const word = p.multiple ? `${p.name} ...` : p.name;
      return p.optional || p.multiple ? `[${word}]` : word;
    });
    return ['Usage:', PROGRAM_NAME, this.name, '[options]', ...args].join(' ');
  }

  /**
   * The full `--help` text: usage, description, arguments and options.
   *
   * @example
   * ```ts
   * new CheckCommand().helpText().includes('--deploy'); // true
   * ```
   */
  helpText(): string {
    const sections = [this.usage(), this.help];
    if (this.positionals.length) {
      sections.push(`Arguments:\n${table(this.positionals.map((p) => [p.name, p.help]))}`);
    }
    if (Object.keys(this.options).length) {
      sections.push(`Options:\n${optionTable(this.options)}`);
    }
    sections.push(`Global options:\n${optionTable(this.globalOptions())}`);
    return sections.join('\n\n');
  }

  /**
   * Loads settings (when the command needs them), runs the system checks
   * it asks for, then `handle()`; writes a returned string to stdout and
   * returns it. Errors propagate.
   *
   * @example
   * ```ts
   * const command = new CheckCommand({ stdout });
   * await command.execute(command.parseArguments(['--deploy']));
   * ```
   */
  async execute(parsed: ParsedCommandLine<O>): Promise<string | undefined> {
    const { options, positionals } = parsed;
    if (this.requiresSettings) {
      // An explicit --settings must win (and fail if other settings are
      // already configured); otherwise keep settings configured in-process.
      if (options.settings !== undefined) await loadSettings(options.settings);
      else if (!isConfigured()) await loadSettings();
    }
    if (this.runsSystemChecks() && !options.skipChecks) {
      const tags = this.requiresSystemChecks === true ? null : this.requiresSystemChecks;
      await this.check({ tags: tags || null, displayNumErrors: false });
    }
    const output = await this.handle(options, positionals);
    if (typeof output === 'string' && output) this.stdout.write(output);
    return typeof output === 'string' ? output : undefined;
  }

  /**
   * Runs system checks: prints any visible messages (to stderr when there
   * are issues), and throws `SystemCheckError` for serious ones.
   */
  protected async check(options: CheckOrThrowOptions = {}): Promise<void> {
    const { output, visibleCount } = await checkOrThrow(options);
    if (visibleCount) this.stderr.write(output);
    else if (output) this.stdout.write(output);
  }

  /**
   * Runs the command from command-line words and returns the exit code:
   * 0 on success, 2 for usage errors, a {@link CommandError}'s `returncode`,
   * or 1 for anything else. Errors are printed to stderr, with a stack
   * trace when `--traceback` is given.
   *
   * @example
   * ```ts
   * process.exitCode = await new CheckCommand().runFromArgv(['--deploy']);
   * ```
   */
  async runFromArgv(argv: readonly string[]): Promise<number> {
    // As argparse: --help wins over every other problem on the line (a
    // missing argument must not hide the help that explains it).
    const end = argv.indexOf('--');
    if ((end === -1 ? argv : argv.slice(0, end)).some((w) => w === '--help' || w === '-h')) {
      this.stdout.write(this.helpText());
      return 0;
    }
    let parsed: ParsedCommandLine<O>;
    try {
      parsed = this.parseArguments(argv);
    } catch (error) {
      if (!(error instanceof CommandUsageError)) throw error;
      this.stderr.write(`${this.usage()}\n${PROGRAM_NAME} ${this.name}: error: ${error.message}`);
      return error.returncode;
    }
    // As django-admin: --settings also goes into the environment, so child
    // processes the command starts see the same settings.
    if (parsed.options.settings !== undefined) {
      process.env[SETTINGS_ENVIRONMENT_VARIABLE] = parsed.options.settings;
    }
    try {
      await this.execute(parsed);
      return 0;
    } catch (error) {
      return this.reportError(error, parsed.options.traceback);
    }
  }

  private reportError(error: unknown, traceback: boolean): number {
    // A CommandError without a message is an exit status only (`makemigrations --check`).
    if (error instanceof CommandError && !error.message) return error.returncode;
    if (!(error instanceof Error)) {
      this.stderr.write(`Error: ${String(error)}`);
      return 1;
    }
    if (traceback) this.stderr.write(error.stack ?? `${error.name}: ${error.message}`);
    else this.stderr.write(`${error.name}: ${error.message}`);
    if (error instanceof CommandError) return error.returncode;
    if (!traceback) this.stderr.write('(Run with --traceback to see the full stack trace.)');
    return 1;
  }
}

function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n');
}

function optionTable(options: CommandOptions): string {
  const rows = Object.entries(options).map(([name, spec]): [string, string] => {
    let left = spec.short ? `-${spec.short}, --${name}` : `--${name}`;
    if (spec.type === 'string')
      left += ` <${spec.metavar ?? name.toUpperCase().replace(/-/g, '_')}>`;
    const notes: string[] = [];
    if (spec.choices) notes.push(`Choices: ${spec.choices.join(', ')}.`);
    if (spec.multiple) notes.push('May be repeated.');
    if (spec.default !== undefined && !spec.multiple)
      notes.push(`Default: ${String(spec.default)}.`);
    return [left, [spec.help, ...notes].join(' ')];
  });
  return table(rows);
}
