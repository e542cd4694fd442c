/**
 * `reinhardt changepassword`: sets a user's password (Django's
 * `changepassword`), asked twice, validated, three attempts.
 */
import { CommandError, ValidationError } from '../../core/exceptions.js';
import { populateApps } from '../../apps/index.js';
import { getUserModel } from '../../auth/models/index.js';
import type { AbstractBaseUser } from '../../auth/models/index.js';
import { validatePassword } from '../../auth/password-validation/index.js';
import { BaseCommand, type CommandValues } from '../base-command.js';
import type { CommandOptions, PositionalArgument } from '../options.js';
import { Prompt } from './prompt.js';

const options = {
  database: {
    type: 'string',
    default: 'default',
    metavar: 'DATABASE',
    help: 'Specifies the database to use. Default is "default".',
  },
} as const satisfies CommandOptions;

/**
 * @example
 * ```sh
 * $ reinhardt changepassword ann
 * Changing password for user 'ann'
 * Password:
 * Password (again):
 * Password changed successfully for user 'ann'
 * ```
 */
export class ChangePasswordCommand extends BaseCommand<typeof options> {
  readonly name = 'changepassword';
  readonly help = "Change a user's password for reinhardt.contrib.auth.";
  override readonly options = options;
  override readonly requiresSystemChecks = false;
  override readonly positionals: readonly PositionalArgument[] = [
    {
      name: 'username',
      help: "Username to change password for; by default, it's the current username.",
      optional: true,
    },
  ];
  /** Where answers come from (tests replace it). */
  prompt = new Prompt();

  async handle(values: CommandValues<typeof options>, [given]: string[]): Promise<void> {
    await populateApps();
    const User = getUserModel();
    const username = given ?? process.env.USER ?? '';
    let user: AbstractBaseUser;
    try {
      user = await User.objects.getByNaturalKey(username, values.database);
    } catch (e) {
      if (e instanceof User.DoesNotExist)
        throw new CommandError(`user '${username}' does not exist`);
      throw e;
    }
    this.stdout.write(`Changing password for user '${user.getUsername()}'`);
    const MAX_TRIES = 3;
    for (let count = 0; count < MAX_TRIES; count++) {
      const first = await this.prompt.secret('Password: ');
      const second = await this.prompt.secret('Password (again): ');
      if (first !== second) {
        this.stdout.write('Passwords do not match. Please try again.');
        continue;
      }
      try {
        validatePassword(second, user);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        this.stderr.write(e.messages.join('\n'));
        continue;
      }
      await user.setPassword(second);
      await user.save({ using: values.database });
      this.stdout.write(`Password changed successfully for user '${user.getUsername()}'`);
      return;
    }
    throw new CommandError(
      `Aborting password change for user '${user.getUsername()}' after ${MAX_TRIES} attempts`,
    );
  }
}
