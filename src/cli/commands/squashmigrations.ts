/**
 * `reinhardt squashmigrations`: squashes a range of an app's migrations
 * into one (P24).
 */
import { squashMigrations } from '../../db/migrations/index.js';
import { BaseCommand, type CommandValues } from '../base-command.js';
import type { CommandOptions, PositionalArgument } from '../options.js';
import { checkAppLabel, migrationDirectories } from './migration-support.js';

const options = {
  'no-optimize': { type: 'boolean', help: 'Do not try to optimize the squashed operations.' },
  noinput: {
    type: 'boolean',
    help: 'Tells Reinhardt to NOT prompt the user for input of any kind.',
  },
  'no-input': { type: 'boolean', help: 'Same as --noinput.' },
  'squashed-name': {
    type: 'string',
    metavar: 'NAME',
    help: 'Sets the name of the new squashed migration.',
  },
} as const satisfies CommandOptions;

/**
 * @example
 * ```sh
 * $ reinhardt squashmigrations library 0001 0020
 * Optimizing...
 *   Optimized from 43 operations to 12 operations.
 * Created new squashed migration library/migrations/0001_initial_squashed_0020_book_price.ts
 * ```
 */
export class SquashMigrationsCommand extends BaseCommand<typeof options> {
  readonly name = 'squashmigrations';
  readonly help =
    'Squashes an existing set of migrations (from first until specified) into a single new one.';
  override readonly options = options;
  override readonly positionals: readonly PositionalArgument[] = [
    { name: 'app_label', help: 'App label of the application to squash migrations for.' },
    {
      name: 'start_migration_name',
      help: 'Migrations will be squashed starting from and including this migration.',
      optional: true,
    },
    {
      name: 'migration_name',
      help: 'Migrations will be squashed until and including this migration.',
      optional: true,
    },
  ];

  async handle(values: CommandValues<typeof options>, args: string[]): Promise<void> {
    const [app, a, b] = args as [string, string | undefined, string | undefined];
    const directories = await migrationDirectories();
    checkAppLabel(app, directories);
    const [start, end] = b === undefined ? [undefined, a] : [a, b];
    if (!end) throw new Error('the following arguments are required: migration_name');
    if (!values.noOptimize) this.stdout.write('Optimizing...');
    const result = await squashMigrations({
      directories,
      appLabel: app,
      end,
      ...(start ? { start } : {}),
      noOptimize: values.noOptimize,
      ...(values.squashedName ? { squashedName: values.squashedName } : {}),
    });
    if (!values.noOptimize) {
      if (result.after === result.before) this.stdout.write('  No optimizations possible.');
      else
        this.stdout.write(
          `  Optimized from ${result.before} operations to ${result.after} operations.`,
        );
    }
    this.stdout.write(`Created new squashed migration ${result.path}`);
    this.stdout.write(
      '  You should commit this migration but leave the old ones in place;\n' +
        '  the new migration will be used for new installs. Once you are sure\n' +
        '  all instances of the codebase have applied the migrations you squashed,\n' +
        '  you can delete them.',
    );
    if (result.migration.operations.some((op) => op.constructor.name === 'RunCode'))
      this.stdout.write(
        'Manual porting required\n' +
          '  Your migrations contained RunCode operations: their code was copied into the new file;\n' +
          '  check that it does not use names imported by the old migration files.',
      );
  }
}
