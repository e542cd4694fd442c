/**
 * `reinhardt version`: prints the Reinhardt version (Django's `version`).
 */
import { BaseCommand } from '../base-command.js';
import { getVersion } from '../version.js';

/**
 * Prints the version of Reinhardt. Needs no settings.
 *
 * @example
 * ```sh
 * $ reinhardt version
 * 0.1.0
 * ```
 */
export class VersionCommand extends BaseCommand {
  readonly name = 'version';
  readonly help = 'Shows the Reinhardt version.';
  override readonly requiresSettings = false;
  override readonly requiresSystemChecks = false;

  handle(): string {
    return getVersion();
  }
}
