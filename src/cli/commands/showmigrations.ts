/**
 * `reinhardt showmigrations`: the migrations of each app, applied or not.
 */
import { connections } from '../../db/connections.js';
import { MigrationLoader } from '../../db/migrations/index.js';
import { BaseCommand, type CommandValues } from '../base-command.js';
import type { CommandOptions, PositionalArgument } from '../options.js';
import { checkAppLabel, loaderOptions } from './migration-support.js';

const options = {
  database: {
    type: 'string',
    default: 'default',
    metavar: 'DATABASE',
    help: 'Nominates a database to show migrations for. Defaults to the "default" database.',
  },
  list: {
    type: 'boolean',
    short: 'l',
    help: 'Shows a list of all migrations and which are applied (the default).',
  },
  plan: {
    type: 'boolean',
    short: 'p',
    help: 'Shows all migrations in the order they will be applied.',
  },
} as const satisfies CommandOptions;

/**
 * @example
 * ```sh
 * $ reinhardt showmigrations
 * library
 *  [X] 0001_initial
 *  [ ] 0002_book_pages
 * ```
 */
export class ShowMigrationsCommand extends BaseCommand<typeof options> {
  readonly name = 'showmigrations';
  readonly help = 'Shows all available migrations for the current project.';
  override readonly options = options;
  override readonly positionals: readonly PositionalArgument[] = [
    {
      name: 'app_label',
      help: 'App labels of applications to limit the output to.',
      multiple: true,
    },
  ];

  async handle(values: CommandValues<typeof options>, labels: string[]): Promise<void> {
    const opts = await loaderOptions();
    for (const label of labels) checkAppLabel(label, opts.directories);
    const loader = await MigrationLoader.load(connections.get(values.database), opts);
    const applied = loader.appliedMigrations;
    if (values.plan) {
      const seen = new Set<string>();
      const keys = loader.graph.leafNodes().flatMap((leaf) => loader.graph.forwardsPlan(leaf));
      for (const key of keys) {
        const k = `${key[0]}.${key[1]}`;
        if (seen.has(k) || (labels.length && !labels.includes(key[0]))) continue;
        seen.add(k);
        const deps =
          values.verbosity >= 2
            ? (() => {
                const parents = loader.graph.parentsOf(key).map((p) => `${p[0]}.${p[1]}`);
                return parents.length ? ` ... (${parents.join(', ')})` : '';
              })()
            : '';
        this.stdout.write(`[${applied.has(k) ? 'X' : ' '}]  ${k}${deps}`);
      }
      if (!seen.size) this.stdout.write('(no migrations)');
      return;
    }
    const apps = labels.length ? labels : Object.keys(opts.directories).sort();
    for (const app of apps) {
      this.stdout.write(app);
      const nodes = loader.graph.keys().filter((k) => k[0] === app);
      if (!nodes.length) {
        this.stdout.write(' (no migrations)');
        continue;
      }
      // In dependency order within the app.
      const ordered = loader.graph
        .leafNodes(app)
        .flatMap((leaf) => loader.graph.forwardsPlan(leaf))
        .filter(
          (k, i, all) => k[0] === app && all.findIndex((x) => x[1] === k[1] && x[0] === k[0]) === i,
        );
      for (const key of ordered) {
        const m = loader.getMigration(key[0], key[1]);
        const title = m.replaces.length
          ? `${key[1]} (${m.replaces.length} squashed migrations)`
          : key[1];
        const mark = applied.has(`${key[0]}.${key[1]}`) ? 'X' : ' ';
        const when =
          values.verbosity >= 2 && mark === 'X'
            ? ` (applied at ${applied.get(`${key[0]}.${key[1]}`)!.toISOString().replace('T', ' ').slice(0, 19)})`
            : '';
        this.stdout.write(` [${mark}] ${title}${when}`);
      }
    }
  }
}
