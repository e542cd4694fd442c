/**
 * Registers the commands that ship with Reinhardt. Imported by the CLI
 * entry points, so the built-ins exist before any lookup.
 */
import { CheckCommand } from './commands/check.js';
import { VersionCommand } from './commands/version.js';
import { registerCommand } from './registry.js';
// Registers the database checks that `check --database` runs.
import '../db/checks.js';

registerCommand(CheckCommand);
registerCommand(VersionCommand);
