/**
 * `reinhardt check`: runs the system checks (Django's `check` command).
 */
import { CommandError } from '../../core/exceptions.js';
import { CHECK_LEVELS, registry } from '../../core/checks/index.js';
import { BaseCommand, type CommandValues } from '../base-command.js';
import type { CommandOptions } from '../options.js';

const options = {
  tag: {
    type: 'string',
    short: 't',
    multiple: true,
    metavar: 'TAG',
    help: 'Run only checks labeled with given tag.',
  },
  'list-tags': { type: 'boolean', help: 'List available tags.' },
  deploy: { type: 'boolean', help: 'Check deployment settings.' },
  'fail-level': {
    type: 'string',
    choices: ['CRITICAL', 'ERROR', 'WARNING', 'INFO', 'DEBUG'],
    default: 'ERROR',
    metavar: 'LEVEL',
    help: 'Message level that will cause the command to exit with a non-zero status.',
  },
  database: {
    type: 'string',
    multiple: true,
    metavar: 'ALIAS',
    help: 'Run database related checks against these aliases.',
  },
} as const satisfies CommandOptions;

/**
 * Checks the project for problems and prints them grouped by level. Exits
 * with 1 (after printing the list) when a message is at or above
 * `--fail-level`; warnings alone are printed to stderr with exit code 0.
 *
 * @example
 * ```sh
 * $ reinhardt check --deploy --settings config.settings.production
 * System check identified no issues (0 silenced).
 * ```
 */
export class CheckCommand extends BaseCommand<typeof options> {
  readonly name = 'check';
  readonly help = 'Checks the entire Reinhardt project for potential problems.';
  override readonly options = options;
  // The command runs the checks itself, with the options it was given.
  override readonly requiresSystemChecks = false;

  async handle(values: CommandValues<typeof options>): Promise<void> {
    const { deploy, tag: tags, listTags, failLevel, database } = values;
    if (listTags) {
      this.stdout.write([...registry.tagsAvailable(deploy)].sort().join('\n'));
      return;
    }
    const invalid = tags.find((tag) => !registry.tagExists(tag, deploy));
    if (invalid !== undefined) {
      throw new CommandError(`There is no system check with the "${invalid}" tag.`);
    }
    await this.check({
      tags: tags.length ? tags : null,
      includeDeploymentChecks: deploy,
      failLevel: CHECK_LEVELS[failLevel],
      databases: database.length ? database : null,
      displayNumErrors: true,
    });
  }
}
