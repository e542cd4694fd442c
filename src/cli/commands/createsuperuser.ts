/**
 * `reinhardt createsuperuser`: a user with every permission (Django's
 * `createsuperuser`), asked for on a terminal or given by options and
 * environment variables with `--noinput`.
 */
import { isConfigured } from '../../conf/settings.js';
import { CommandError } from '../../core/exceptions.js';
import { ValidationError } from '../../core/exceptions.js';
import { populateApps } from '../../apps/index.js';
import { getUserModel } from '../../auth/models/index.js';
import { validatePassword } from '../../auth/password-validation/index.js';
import { BaseCommand, type CommandValues } from '../base-command.js';
import type { CommandOptions } from '../options.js';
import { Prompt } from './prompt.js';

const options = {
  username: { type: 'string', metavar: 'USERNAME', help: 'Specifies the login for the superuser.' },
  email: { type: 'string', metavar: 'EMAIL', help: 'Specifies the email for the superuser.' },
  noinput: {
    type: 'boolean',
    help:
      'Tells Reinhardt to NOT prompt the user for input of any kind. You must use --username with --noinput, ' +
      'along with an option for any other required field. Superusers created with --noinput will not be able ' +
      'to log in until they are given a valid password (or set REINHARDT_SUPERUSER_PASSWORD).',
  },
  'no-input': { type: 'boolean', help: 'Same as --noinput.' },
  database: {
    type: 'string',
    default: 'default',
    metavar: 'DATABASE',
    help: 'Specifies the database to use. Default is "default".',
  },
} as const satisfies CommandOptions;

/** `REINHARDT_SUPERUSER_<FIELD>`, Django's `DJANGO_SUPERUSER_<FIELD>`. */
function fromEnvironment(field: string): string | undefined {
  return process.env[
    `REINHARDT_SUPERUSER_${field.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`
  ];
}

/**
 * @example
 * ```sh
 * $ REINHARDT_SUPERUSER_PASSWORD=… reinhardt createsuperuser --noinput --username admin --email admin@example.com
 * Superuser created successfully.
 * ```
 */
export class CreateSuperuserCommand extends BaseCommand<typeof options> {
  readonly name = 'createsuperuser';
  readonly help = 'Used to create a superuser.';
  override readonly options = options;
  /** Where answers come from (tests replace it). */
  prompt = new Prompt();

  async handle(values: CommandValues<typeof options>): Promise<void> {
    if (isConfigured()) await populateApps();
    const User = getUserModel() as ReturnType<typeof getUserModel> & {
      REQUIRED_FIELDS: readonly string[];
      _meta: { getField(n: string): { verboseName: string } };
    };
    const usernameField = User.USERNAME_FIELD;
    const manager = User.objects.using(values.database) as unknown as {
      filter(q: object): { exists(): Promise<boolean> };
    };
    const taken = (name: string) => manager.filter({ [usernameField]: name }).exists();
    const noinput = values.noinput || values.noInput;
    const fields: Record<string, unknown> = {};
    let username = values.username ?? fromEnvironment(usernameField);
    let password: string | null;
    if (noinput) {
      if (!username) throw new CommandError(`You must use --${usernameField} with --noinput.`);
      if (await taken(username)) throw new CommandError('Error: That username is already taken.');
      for (const f of User.REQUIRED_FIELDS) {
        const v = f === 'email' ? (values.email ?? fromEnvironment(f)) : fromEnvironment(f);
        if (v === undefined) throw new CommandError(`You must use --${f} with --noinput.`);
        fields[f] = v;
      }
      password = fromEnvironment('password') ?? null;
    } else {
      if (!this.prompt.interactive)
        throw new CommandError(
          'Superuser creation skipped due to not running in a TTY. You can run `reinhardt createsuperuser` in your project to create one manually.',
        );
      for (;;) {
        if (!username)
          username = (
            await this.prompt.ask(`${capitalize(User._meta.getField(usernameField).verboseName)}: `)
          ).trim();
        if (!username) {
          this.stderr.write('Error: This field cannot be blank.');
          continue;
        }
        if (await taken(username)) {
          this.stderr.write('Error: That username is already taken.');
          username = undefined;
          continue;
        }
        break;
      }
      for (const f of User.REQUIRED_FIELDS)
        fields[f] =
          f === 'email' && values.email !== undefined
            ? values.email
            : (await this.prompt.ask(`${capitalize(User._meta.getField(f).verboseName)}: `)).trim();
      for (;;) {
        const first = await this.prompt.secret('Password: ');
        const second = await this.prompt.secret('Password (again): ');
        if (first !== second) {
          this.stderr.write("Error: Your passwords didn't match.");
          continue;
        }
        if (!first.trim()) {
          this.stderr.write("Error: Blank passwords aren't allowed.");
          continue;
        }
        try {
          validatePassword(first, { [usernameField]: username, ...fields });
        } catch (e) {
          if (!(e instanceof ValidationError)) throw e;
          this.stderr.write(e.messages.join('\n'));
          const bypass = (
            await this.prompt.ask('Bypass password validation and create user anyway? [y/N]: ')
          )
            .trim()
            .toLowerCase();
          if (!bypass.startsWith('y')) continue;
        }
        password = first;
        break;
      }
    }
    await User.objects.createSuperuser(
      username!,
      { ...fields, password },
      { using: values.database },
    );
    if (values.verbosity >= 1) this.stdout.write('Superuser created successfully.');
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
