/**
 * `reinhardt optimizemigration`: rewrites one migration with its operations
 * optimized (Django 4.1's `optimizemigration`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError } from '../../core/exceptions.js';
import {
  Migration,
  MigrationLoader,
  migrationSource,
  optimizeOperations,
} from '../../db/migrations/index.js';
import { BaseCommand, type CommandValues } from '../base-command.js';
import type { CommandOptions, PositionalArgument } from '../options.js';
import { checkAppLabel, migrationDirectories } from './migration-support.js';

const options = {
  check: {
    type: 'boolean',
    help: 'Exit with a non-zero status if the migration can be optimized.',
  },
} as const satisfies CommandOptions;

/**
 * @example
 * ```sh
 * $ reinhardt optimizemigration library 0004
 * Optimizing from 5 operations to 2 operations.
 * Optimized migration library/migrations/0004_book_fields.ts
 * ```
 */
export class OptimizeMigrationCommand extends BaseCommand<typeof options> {
  readonly name = 'optimizemigration';
  readonly help = 'Optimizes the operations for the named migration.';
  override readonly options = options;
  override readonly requiresSystemChecks = false;
  override readonly positionals: readonly PositionalArgument[] = [
    { name: 'app_label', help: 'App label of the application to optimize the migration for.' },
    { name: 'migration_name', help: 'Migration name to optimize the operations for.' },
  ];

  async handle(values: CommandValues<typeof options>, [app, name]: string[]): Promise<void> {
    const directories = await migrationDirectories();
    checkAppLabel(app!, directories);
    const loader = await MigrationLoader.load(null, { directories, replaceMigrations: false });
    if (!loader.migratedApps.has(app!))
      throw new CommandError(`App '${app}' does not have migrations.`);
    const migration = loader.getMigrationByPrefix(app!, name!);
    const optimized = optimizeOperations(migration.operations, app!);
    const before = migration.operations.length;
    if (optimized.length === before) {
      if (values.verbosity >= 1) this.stdout.write('No optimizations possible.');
      return;
    }
    if (values.verbosity >= 1)
      this.stdout.write(`Optimizing from ${before} operations to ${optimized.length} operations.`);
    if (values.check) throw new CommandError('', 1);
    const rewritten = new Migration({
      appLabel: migration.appLabel,
      name: migration.name,
      operations: optimized,
      dependencies: migration.dependencies,
      replaces: migration.replaces,
      initial: migration.initial,
      atomic: migration.atomic,
      runBefore: migration.runBefore,
    });
    const path = join(directories[app!]!, `${migration.name}.ts`);
    writeFileSync(path, migrationSource(rewritten));
    if (values.verbosity >= 1) this.stdout.write(`Optimized migration ${path}`);
  }
}
