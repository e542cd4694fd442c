/**
 * `reinhardt makemigrations`: writes new migrations from the changes to
 * the models (Django's `makemigrations`).
 */
import { CommandError } from '../../core/exceptions.js';
import { apps } from '../../db/models/registry.js';
import {
  InteractiveQuestioner,
  lintOperations,
  makeMigrations,
  NonInteractiveQuestioner,
} from '../../db/migrations/index.js';
import { BaseCommand, type CommandValues } from '../base-command.js';
import type { CommandOptions, PositionalArgument } from '../options.js';
import { checkAppLabel, migrationDirectories } from './migration-support.js';
import { formatFindings } from './lintmigrations.js';

const options = {
  'dry-run': {
    type: 'boolean',
    help: "Just show what migrations would be made; don't actually write them.",
  },
  merge: { type: 'boolean', help: 'Enable fixing of migration conflicts.' },
  empty: { type: 'boolean', help: 'Create an empty migration.' },
  noinput: {
    type: 'boolean',
    help: 'Tells Reinhardt to NOT prompt the user for input of any kind.',
  },
  'no-input': { type: 'boolean', help: 'Same as --noinput.' },
  name: {
    type: 'string',
    short: 'n',
    metavar: 'NAME',
    help: 'Use this name for migration file(s).',
  },
  check: {
    type: 'boolean',
    help: "Exit with a non-zero status if model changes are missing migrations and don't actually write them.",
  },
  rename: {
    type: 'string',
    multiple: true,
    metavar: 'RENAME',
    help: 'Answer a rename question without prompting: app.Model=NewName or app.Model.field=newName.',
  },
  lint: {
    type: 'boolean',
    help: 'Report unsafe operations in the new migrations (see lintmigrations).',
  },
} as const satisfies CommandOptions;

/**
 * @example
 * ```sh
 * $ reinhardt makemigrations library
 * Migrations for 'library':
 *   library/migrations/0002_book_pages.ts
 *     - Add field pages to book
 * ```
 */
export class MakeMigrationsCommand extends BaseCommand<typeof options> {
  readonly name = 'makemigrations';
  readonly help = 'Creates new migration(s) for apps.';
  override readonly options = options;
  override readonly positionals: readonly PositionalArgument[] = [
    {
      name: 'app_label',
      help: 'Specify the app label(s) to create migrations for.',
      multiple: true,
    },
  ];

  async handle(values: CommandValues<typeof options>, labels: string[]): Promise<void> {
    const directories = await migrationDirectories();
    for (const label of labels) checkAppLabel(label, directories);
    const interactive = !(values.noinput || values.noInput) && !!process.stdin.isTTY;
    const questioner = interactive
      ? new InteractiveQuestioner()
      : new NonInteractiveQuestioner(values.rename);
    if (values.name !== undefined && !/^\w+$/.test(values.name))
      throw new CommandError('The migration name must be a valid identifier.');
    const made = await makeMigrations({
      registry: apps,
      directories,
      ...(labels.length ? { appLabels: labels } : {}),
      ...(values.name !== undefined ? { name: values.name } : {}),
      empty: values.empty,
      merge: values.merge,
      dryRun: values.dryRun || values.check,
      questioner,
    });
    if (!made.length) {
      if (values.merge) this.stdout.write('No conflicts detected to merge.');
      else if (labels.length === 1) this.stdout.write(`No changes detected in app '${labels[0]}'`);
      else if (labels.length)
        this.stdout.write(`No changes detected in apps '${labels.join("', '")}'`);
      else this.stdout.write('No changes detected');
      return;
    }
    const byApp = new Map<string, typeof made>();
    for (const m of made)
      byApp.set(m.migration.appLabel, [...(byApp.get(m.migration.appLabel) ?? []), m]);
    for (const [app, list] of byApp) {
      this.stdout.write(`Migrations for '${app}':`);
      for (const m of list) {
        this.stdout.write(`  ${m.path}`);
        if (values.merge)
          this.stdout.write(`    - Merge ${m.migration.dependencies.map((d) => d[1]).join(', ')}`);
        for (const op of m.migration.operations) this.stdout.write(`    - ${op.describe()}`);
        if (values.verbosity >= 3 || values.dryRun) {
          if (values.verbosity >= 3) this.stdout.write(m.source);
        }
      }
    }
    if (values.lint) {
      const findings = made.flatMap((m) => lintOperations(m.migration));
      if (findings.length) this.stderr.write(formatFindings(findings));
    }
    if (values.check) throw new CommandError('', 1);
  }
}
