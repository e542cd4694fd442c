/**
 * `callCommand()`: runs a command from code (Django's `call_command`).
 */
import { CommandError } from '../core/exceptions.js';
import './builtins.js';
import { CommandUsageError } from './base-command.js';
import { kebabCase } from './options.js';
import type { CommandIO } from './output.js';
import { getCommand } from './registry.js';

/** Options of {@link callCommand}. */
export interface CallCommandOptions extends CommandIO {
  /**
   * Skip the system checks a command runs before `handle()`. Default `true`,
   * as in Django's `call_command` (tests rarely want them).
   */
  skipChecks?: boolean;
}

/**
 * Runs the command `name` in this process and returns what its `handle()`
 * returned. Arguments are command-line words (`['--deploy', '-t', 'security']`)
 * or an object of option values in camelCase (`{ deploy: true, tag: ['security'] }`).
 * Errors are thrown, not turned into exit codes: a {@link CommandError}
 * (or `SystemCheckError`) for failures, `CommandUsageError` for bad arguments.
 *
 * @example
 * ```ts
 * import { callCommand, OutputBuffer } from 'reinhardt/cli';
 * const stdout = new OutputBuffer();
 * await callCommand('check', { deploy: true }, { stdout });
 * assert.match(stdout.text, /no issues/);
 * ```
 */
export async function callCommand(
  name: string,
  args: readonly string[] | Readonly<Record<string, unknown>> = [],
  options: CallCommandOptions = {},
): Promise<string | undefined> {
  const Command = getCommand(name);
  if (!Command) throw new CommandError(`Unknown command: '${name}'`);
  const command = new Command(options);
  const parsed = command.parseArguments(isArgv(args) ? [...args] : toArgv(name, args));
  const requested = isArgv(args) ? undefined : args.skipChecks;
  if (options.skipChecks ?? (typeof requested === 'boolean' ? requested : true)) {
    parsed.options.skipChecks = true;
  }
  return command.execute(parsed);
}

function isArgv(
  args: readonly string[] | Readonly<Record<string, unknown>>,
): args is readonly string[] {
  return Array.isArray(args);
}

/** `{ failLevel: 'WARNING', deploy: true, tag: ['a'] }` → `['--fail-level', 'WARNING', '--deploy', '--tag', 'a']`. */
function toArgv(name: string, values: Readonly<Record<string, unknown>>): string[] {
  const argv: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const flag = `--${kebabCase(key)}`;
    if (value === undefined || value === false) continue;
    if (value === true) argv.push(flag);
    else if (Array.isArray(value)) for (const item of value) argv.push(flag, String(item));
    else if (typeof value === 'string' || typeof value === 'number') argv.push(flag, String(value));
    else throw new CommandUsageError(`Invalid value for option '${key}' of ${name}.`);
  }
  return argv;
}
