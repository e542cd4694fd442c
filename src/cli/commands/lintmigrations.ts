/**
 * `reinhardt lintmigrations`: reports migrations that are unsafe to apply
 * while the previous release is still serving traffic.
 */
import { CommandError } from '../../core/exceptions.js';
import { connections } from '../../db/connections.js';
import { lintOperations, type LintFinding, MigrationLoader } from '../../db/migrations/index.js';
import { BaseCommand, type CommandValues } from '../base-command.js';
import type { CommandOptions, PositionalArgument } from '../options.js';
import { checkAppLabel, loaderOptions } from './migration-support.js';

/** Findings as the commands print them: the rule, the risk and the safe pattern. */
export function formatFindings(findings: readonly LintFinding[]): string {
  return findings
    .map(
      (f) =>
        `${f.migration} [${f.operationIndex + 1}] ${f.operation}\n` +
        `  rule: ${f.rule}\n  risk: ${f.risk}\n  safe: ${f.safe}`,
    )
    .join('\n');
}

const options = {
  database: {
    type: 'string',
    default: 'default',
    metavar: 'DATABASE',
    help: 'The database whose vendor the rules are judged for.',
  },
  'unapplied-only': { type: 'boolean', help: 'Only migrations not yet applied to the database.' },
} as const satisfies CommandOptions;

/**
 * @example
 * ```sh
 * $ reinhardt lintmigrations library
 * library.0007_book_isbn [1] Add field isbn to book
 *   rule: not-null-column
 *   ...
 * ```
 */
export class LintMigrationsCommand extends BaseCommand<typeof options> {
  readonly name = 'lintmigrations';
  readonly help =
    'Reports migration operations that are unsafe while the previous release runs (zero-downtime rules).';
  override readonly options = options;
  override readonly positionals: readonly PositionalArgument[] = [
    { name: 'app_label', help: 'Only this app.', optional: true },
    { name: 'migration_name', help: 'Only this migration (a prefix is enough).', optional: true },
  ];

  async handle(values: CommandValues<typeof options>, [app, name]: string[]): Promise<void> {
    const loaderOpts = await loaderOptions();
    if (app) checkAppLabel(app, loaderOpts.directories);
    const connection = connections.get(values.database);
    const loader = await MigrationLoader.load(values.unappliedOnly ? connection : null, loaderOpts);
    const keys = loader.graph
      .keys()
      .filter((k) => !app || k[0] === app)
      .filter((k) => !values.unappliedOnly || !loader.appliedMigrations.has(`${k[0]}.${k[1]}`));
    const selected = name ? [loader.getMigrationByPrefix(app!, name).key] : keys;
    const findings: LintFinding[] = [];
    for (const key of selected) {
      const migration = loader.getMigration(key[0], key[1]);
      findings.push(
        ...lintOperations(migration, {
          stateBefore: loader.projectState(key, false),
          vendor: connection.vendor,
        }),
      );
    }
    if (!findings.length) {
      this.stdout.write(`No unsafe operations found in ${selected.length} migration(s).`);
      return;
    }
    this.stdout.write(formatFindings(findings));
    this.stdout.write(
      `\n${findings.length} unsafe operation(s). Silence one with ignoreLint(op, { rules, reason }).`,
    );
    throw new CommandError('', 1);
  }
}
