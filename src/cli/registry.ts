/**
 * The table of `reinhardt` commands. Built-in commands are registered by
 * `builtins.ts`; apps and projects add theirs with {@link registerCommand}.
 */
import type { BaseCommand } from './base-command.js';
import type { CommandIO } from './output.js';

/** A command class: constructed once per run, with the streams to write to. */
export type CommandClass = new (io?: CommandIO) => BaseCommand<any>;

const commands = new Map<string, CommandClass>();

/**
 * Makes `command` available as `reinhardt <name>` and to `callCommand`.
 * Registering a command with the name of an existing one replaces it, so a
 * project can override a built-in command (as Django apps can).
 *
 * @example
 * ```ts
 * import { registerCommand } from 'reinhardt/cli';
 * registerCommand(ClearCacheCommand);
 * ```
 */
export function registerCommand(command: CommandClass): void {
  // Constructing a command has no side effects; it is how its name is read.
  commands.set(new command().name, command);
}

/**
 * The class registered under `name`, if any.
 *
 * @example
 * ```ts
 * getCommand('check'); // CheckCommand
 * ```
 */
export function getCommand(name: string): CommandClass | undefined {
  return commands.get(name);
}

/**
 * Every registered command name, sorted.
 *
 * @example
 * ```ts
 * commandNames(); // ['check', 'version']
 * ```
 */
export function commandNames(): string[] {
  return [...commands.keys()].sort();
}
