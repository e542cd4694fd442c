/**
 * `reinhardt migrate`: brings the database to the migrations (Django's
 * `migrate`), with progress and timings, under the migrate lock.
 */
import { appConfigs } from '../../apps/index.js';
import { CommandError } from '../../core/exceptions.js';
import { connections } from '../../db/connections.js';
import {
  lintOperations,
  MigrationExecutor,
  type MigrationProgress,
  type MigrationTarget,
} from '../../db/migrations/index.js';
import { postMigrate, preMigrate } from '../../db/models/signals.js';
import { BaseCommand, type CommandValues } from '../base-command.js';
import type { CommandOptions, PositionalArgument } from '../options.js';
import { formatFindings } from './lintmigrations.js';
import { checkAppLabel, loaderOptions, seconds } from './migration-support.js';

const options = {
  database: {
    type: 'string',
    default: 'default',
    metavar: 'DATABASE',
    help: 'Nominates a database to synchronize. Defaults to the "default" database.',
  },
  fake: { type: 'boolean', help: 'Mark migrations as run without actually running them.' },
  'fake-initial': {
    type: 'boolean',
    help: 'Detect if tables already exist and fake-apply initial migrations if so. Make sure that the current database schema matches your initial migration before using this flag.',
  },
  plan: { type: 'boolean', help: 'Shows a list of the migration actions that will be performed.' },
  check: {
    type: 'boolean',
    help: 'Exits with a non-zero status if unapplied migrations exist and does not actually apply migrations.',
  },
  noinput: {
    type: 'boolean',
    help: 'Tells Reinhardt to NOT prompt the user for input of any kind.',
  },
  'no-input': { type: 'boolean', help: 'Same as --noinput.' },
  lint: {
    type: 'boolean',
    help: 'Refuse to run when a planned migration has unsafe operations (see lintmigrations).',
  },
} as const satisfies CommandOptions;

/**
 * @example
 * ```sh
 * $ reinhardt migrate
 * Operations to perform:
 *   Apply all migrations: library
 * Running migrations:
 *   Applying library.0001_initial... OK (0.021s)
 * ```
 */
export class MigrateCommand extends BaseCommand<typeof options> {
  readonly name = 'migrate';
  readonly help = 'Updates database schema. Manages both apps with migrations and those without.';
  override readonly options = options;
  override readonly positionals: readonly PositionalArgument[] = [
    {
      name: 'app_label',
      help: 'App label of an application to synchronize the state.',
      optional: true,
    },
    {
      name: 'migration_name',
      help: 'Database state will be brought to the state after that migration. Use the name "zero" to unapply all migrations.',
      optional: true,
    },
  ];

  async handle(values: CommandValues<typeof options>, [app, name]: string[]): Promise<void> {
    const connection = connections.get(values.database);
    const loaderOpts = await loaderOptions();
    if (app) checkAppLabel(app, loaderOpts.directories);
    const write = (text: string) => this.stdout.write(text);
    const progress = (e: MigrationProgress) => {
      if (values.verbosity < 1) return;
      if (e.action === 'apply_start' || e.action === 'unapply_start')
        this.stdout.write(
          `  ${e.action === 'apply_start' ? 'Applying' : 'Unapplying'} ${e.migration}...`,
          '',
        );
      else if (e.action === 'apply_success' || e.action === 'unapply_success')
        this.stdout.write(`${e.fake ? ' FAKED' : ' OK'} (${seconds(e.ms)})`);
    };
    const executor = await MigrationExecutor.create(connection, loaderOpts, progress);
    executor.loader.checkConsistentHistory();
    const conflicts = executor.loader.detectConflicts();
    if (Object.keys(conflicts).length)
      throw new CommandError(
        `Conflicting migrations detected; multiple leaf nodes in the migration graph: (${Object.entries(
          conflicts,
        )
          .map(([a, l]) => `${l.join(', ')} in ${a}`)
          .join('; ')}).\nTo fix them run 'reinhardt makemigrations --merge'`,
      );
    let targets: MigrationTarget[];
    if (app && name) {
      if (name === 'zero') targets = [[app, null]];
      else targets = [[app, executor.loader.getMigrationByPrefix(app, name).name]];
    } else if (app) {
      if (!executor.loader.migratedApps.has(app))
        throw new CommandError(`App '${app}' does not have migrations.`);
      targets = executor.leafTargets(app);
    } else targets = executor.leafTargets();
    const plan = executor.migrationPlan(targets);

    if (values.plan) {
      write('Planned operations:');
      if (!plan.length) write('  No planned migration operations.');
      for (const [migration, backwards] of plan) {
        write(String(migration));
        for (const op of backwards ? [...migration.operations].reverse() : migration.operations) {
          const irreversible = backwards && !op.reversible ? ' -> IRREVERSIBLE' : '';
          write(`    ${backwards ? 'Undo ' : ''}${op.describe()}${irreversible}`);
        }
      }
      return;
    }
    if (values.check) {
      if (plan.length) throw new CommandError('', 1);
      return;
    }
    if (values.lint) {
      const findings = plan
        .filter(([, backwards]) => !backwards)
        .flatMap(([m]) =>
          lintOperations(m, { stateBefore: executor.stateBefore(m), vendor: connection.vendor }),
        );
      if (findings.length)
        throw new CommandError(
          `Unsafe operations in the planned migrations (nothing was applied):\n${formatFindings(findings)}`,
        );
    }
    if (values.verbosity >= 1) {
      write('Operations to perform:');
      if (app && name)
        write(
          name === 'zero'
            ? `  Unapply all migrations: ${app}`
            : `  Target specific migration: ${targets[0]![1]}, from ${app}`,
        );
      else
        write(
          `  Apply all migrations: ${app ?? [...executor.loader.migratedApps].sort().join(', ')}`,
        );
      if (!connection.features.canRollbackDdl)
        write(
          `  Note: ${connection.displayName} cannot roll back schema changes: a migration that fails part-way ` +
            `leaves the changes made before the failure in place.`,
        );
    }
    const interactive = !(values.noinput || values.noInput);
    const signalArgs = { verbosity: values.verbosity, interactive, using: connection.alias, plan };
    for (const config of appConfigs().values())
      await preMigrate.send(config, {
        ...signalArgs,
        appConfig: config,
        apps: executor.loader.projectState().apps,
      });
    if (values.verbosity >= 1) write('Running migrations:');
    const ran = await executor.migrate(targets, {
      fake: values.fake,
      fakeInitial: values.fakeInitial,
    });
    if (!ran.length && values.verbosity >= 1) write('  No migrations to apply.');
    const finalState = executor.loader.projectState();
    for (const config of appConfigs().values())
      await postMigrate.send(config, { ...signalArgs, appConfig: config, apps: finalState.apps });
  }
}
