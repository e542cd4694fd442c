/**
 * `reinhardt sqlmigrate`: the SQL statements of a migration, forwards or
 * backwards, without running them.
 */
import { CommandError } from '../../core/exceptions.js';
import { connections } from '../../db/connections.js';
import { MigrationLoader } from '../../db/migrations/index.js';
import { BaseCommand, type CommandValues } from '../base-command.js';
import type { CommandOptions, PositionalArgument } from '../options.js';
import { loaderOptions } from './migration-support.js';

const options = {
  database: {
    type: 'string',
    default: 'default',
    metavar: 'DATABASE',
    help: 'Nominates a database to create SQL for. Defaults to the "default" database.',
  },
  backwards: {
    type: 'boolean',
    help: 'Creates SQL to unapply the migration, rather than to apply it.',
  },
} as const satisfies CommandOptions;

/**
 * @example
 * ```sh
 * $ reinhardt sqlmigrate library 0002
 * BEGIN;
 * --
 * -- Add field pages to book
 * --
 * ALTER TABLE "library_book" ADD COLUMN "pages" integer DEFAULT 0 NOT NULL;
 * ...
 * COMMIT;
 * ```
 */
export class SqlMigrateCommand extends BaseCommand<typeof options> {
  readonly name = 'sqlmigrate';
  readonly help = 'Prints the SQL statements for the named migration.';
  override readonly options = options;
  override readonly requiresSystemChecks = false;
  override readonly positionals: readonly PositionalArgument[] = [
    { name: 'app_label', help: 'App label of the application containing the migration.' },
    { name: 'migration_name', help: 'Migration name to print the SQL for.' },
  ];

  async handle(values: CommandValues<typeof options>, [app, name]: string[]): Promise<void> {
    const connection = connections.get(values.database);
    const opts = await loaderOptions();
    const loader = await MigrationLoader.load(null, opts);
    if (!loader.migratedApps.has(app!))
      throw new CommandError(`App '${app}' does not have migrations`);
    const found = loader.getMigrationByPrefix(app!, name!);
    const migration = loader.migrations.get(`${app}.${found.name}`) ?? found;
    const state = loader.projectState(migration.key, false);
    const atomic = migration.atomic && connection.features.canRollbackDdl;
    const sql = await connection.schemaEditor(
      async (editor) => {
        if (values.backwards) await migration.unapply(state, editor);
        else await migration.apply(state, editor);
        await editor.runDeferred();
        return editor.collectedSql;
      },
      { collectSql: true },
    );
    const lines = [...(atomic ? ['BEGIN;'] : []), ...sql, ...(atomic ? ['COMMIT;'] : [])];
    this.stdout.write(lines.join('\n'));
  }
}
