/**
 * `reinhardt/cli`: the `reinhardt` command and the tools to add commands
 * (the role of `django.core.management`).
 *
 * @example
 * ```ts
 * import { BaseCommand, registerCommand, callCommand } from 'reinhardt/cli';
 * ```
 */
import './builtins.js';

export {
  BaseCommand,
  CommandUsageError,
  PROGRAM_NAME,
  type CommandValues,
  type ParsedCommandLine,
} from './base-command.js';
export { callCommand, type CallCommandOptions } from './call-command.js';
export { CheckCommand } from './commands/check.js';
export { VersionCommand } from './commands/version.js';
export { main, mainHelp } from './main.js';
export type {
  CamelCase,
  CommandOption,
  CommandOptions,
  GlobalOptionValues,
  OptionValues,
  PositionalArgument,
} from './options.js';
export { OutputBuffer, OutputWrapper, type CommandIO, type Writer } from './output.js';
export { commandNames, getCommand, registerCommand, type CommandClass } from './registry.js';
export { getVersion } from './version.js';
export { CommandError } from '../core/exceptions.js';
