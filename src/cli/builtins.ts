/**
 * Registers the commands that ship with Reinhardt. Imported by the CLI
 * entry points, so the built-ins exist before any lookup.
 */
import { CheckCommand } from './commands/check.js';
import { VersionCommand } from './commands/version.js';
import { LintMigrationsCommand } from './commands/lintmigrations.js';
import { MakeMigrationsCommand } from './commands/makemigrations.js';
import { MigrateCommand } from './commands/migrate.js';
import { ShowMigrationsCommand } from './commands/showmigrations.js';
import { SqlMigrateCommand } from './commands/sqlmigrate.js';
import { SquashMigrationsCommand } from './commands/squashmigrations.js';
import { TestCommand } from './commands/test.js';
import { OptimizeMigrationCommand } from './commands/optimizemigration.js';
import { ChangePasswordCommand } from './commands/changepassword.js';
import { CreateSuperuserCommand } from './commands/createsuperuser.js';
import { registerCommand } from './registry.js';
// Registers the database checks that `check --database` runs.
import '../db/checks.js';

registerCommand(CheckCommand);
registerCommand(VersionCommand);
registerCommand(MakeMigrationsCommand);
registerCommand(MigrateCommand);
registerCommand(ShowMigrationsCommand);
registerCommand(SqlMigrateCommand);
registerCommand(SquashMigrationsCommand);
registerCommand(LintMigrationsCommand);
registerCommand(TestCommand);
registerCommand(OptimizeMigrationCommand);
registerCommand(CreateSuperuserCommand);
registerCommand(ChangePasswordCommand);
