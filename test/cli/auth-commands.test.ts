/**
 * createsuperuser and changepassword, on every backend: --noinput with
 * options and environment variables, the prompts (answers on a fake
 * terminal), Django's messages for taken usernames, mismatches and weak
 * passwords.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describeEachBackend } from '../support/backends.js';
import { configureSettings, isConfigured } from '../../src/conf/settings.js';
import { appConfigs, populateApps } from '../../src/apps/index.js';
import { MigrationExecutor } from '../../src/db/migrations/index.js';
import { User } from '../../src/auth/models/index.js';
import { CreateSuperuserCommand } from '../../src/cli/commands/createsuperuser.js';
import { ChangePasswordCommand } from '../../src/cli/commands/changepassword.js';
import { Prompt } from '../../src/cli/commands/prompt.js';
import { OutputBuffer } from '../../src/cli/output.js';

if (!isConfigured())
  configureSettings({
    secretKey: 'auth-commands-test',
    installedApps: ['reinhardt.contrib.contenttypes', 'reinhardt.contrib.auth'],
    passwordHashers: ['md5'],
    authPasswordValidators: [
      { name: 'MinimumLengthValidator' },
      { name: 'NumericPasswordValidator' },
    ],
  });

/** A terminal whose answers are `lines`. */
function terminal(lines: string[]): Prompt {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  input.end(lines.map((l) => `${l}\n`).join(''));
  return new Prompt(input, new PassThrough());
}

async function run<C extends CreateSuperuserCommand | ChangePasswordCommand>(
  Command: new (io: object) => C,
  argv: string[],
  answers?: string[],
): Promise<{ code: number; out: string; err: string }> {
  const stdout = new OutputBuffer();
  const stderr = new OutputBuffer();
  const command = new Command({ stdout, stderr });
  if (answers) command.prompt = terminal(answers);
  const checks = command instanceof CreateSuperuserCommand ? ['--skip-checks'] : [];
  const code = await command.runFromArgv([...argv, ...checks]);
  return { code, out: stdout.text, err: stderr.text };
}

describeEachBackend('createsuperuser and changepassword', (ctx) => {
  let executor: MigrationExecutor;
  before(async () => {
    await populateApps();
    const directories = Object.fromEntries(
      [...appConfigs().values()].map((c) => [c.label, c.migrationsDir]),
    );
    executor = await MigrationExecutor.create(ctx.connection, { directories });
    await executor
      .migrate([
        ['auth', null],
        ['contenttypes', null],
      ])
      .catch(() => undefined);
    await executor.migrate();
  });
  after(() =>
    executor.migrate([
      ['auth', null],
      ['contenttypes', null],
    ]),
  );

  test('--noinput with options and REINHARDT_SUPERUSER_PASSWORD', async () => {
    process.env.REINHARDT_SUPERUSER_PASSWORD = 'a-long-enough-one';
    try {
      const r = await run(CreateSuperuserCommand, [
        '--noinput',
        '--username',
        'admin',
        '--email',
        'admin@example.com',
      ]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, 'Superuser created successfully.\n');
    } finally {
      delete process.env.REINHARDT_SUPERUSER_PASSWORD;
    }
    const admin = await User.objects.get({ username: 'admin' });
    assert.deepEqual(
      [admin.isStaff, admin.isSuperuser, admin.email],
      [true, true, 'admin@example.com'],
    );
    assert.equal(await admin.checkPassword('a-long-enough-one'), true);
    const again = await run(CreateSuperuserCommand, [
      '--noinput',
      '--username',
      'admin',
      '--email',
      'x@example.com',
    ]);
    assert.equal(again.code, 1);
    assert.match(again.err, /Error: That username is already taken\./);
    const missing = await run(CreateSuperuserCommand, ['--noinput']);
    assert.match(missing.err, /You must use --username with --noinput\./);
  });

  test('prompts: a taken name, mismatched and weak passwords, then success', async () => {
    const r = await run(
      CreateSuperuserCommand,
      [],
      [
        'admin',
        'root',
        'root@example.com',
        'one-password',
        'another',
        '12345',
        '12345',
        'n',
        'good-password-9',
        'good-password-9',
      ],
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /Error: That username is already taken\./);
    assert.match(r.err, /Error: Your passwords didn't match\./);
    assert.match(r.err, /This password is too short\. It must contain at least 8 characters\./);
    assert.match(r.err, /This password is entirely numeric\./);
    assert.equal(
      await (await User.objects.get({ username: 'root' })).checkPassword('good-password-9'),
      true,
    );
  });

  test('createsuperuser without a terminal and without --noinput is skipped', async () => {
    const stdout = new OutputBuffer();
    const stderr = new OutputBuffer();
    const command = new CreateSuperuserCommand({ stdout, stderr });
    command.prompt = new Prompt(
      Object.assign(new PassThrough(), { isTTY: false }),
      new PassThrough(),
    );
    assert.equal(await command.runFromArgv(['--skip-checks']), 1);
    assert.match(stderr.text, /Superuser creation skipped due to not running in a TTY\./);
  });

  test('changepassword: three attempts, then success; an unknown user', async () => {
    const failed = await run(
      ChangePasswordCommand,
      ['root'],
      ['a', 'b', 'short', 'short', 'x1', 'x2'],
    );
    assert.equal(failed.code, 1);
    assert.match(
      failed.out,
      /^Changing password for user 'root'\nPasswords do not match\. Please try again\.\n/,
    );
    assert.match(failed.err, /Aborting password change for user 'root' after 3 attempts/);
    const ok = await run(ChangePasswordCommand, ['root'], ['brand-new-pass', 'brand-new-pass']);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /Password changed successfully for user 'root'/);
    assert.equal(
      await (await User.objects.get({ username: 'root' })).checkPassword('brand-new-pass'),
      true,
    );
    const unknown = await run(ChangePasswordCommand, ['nobody'], []);
    assert.match(unknown.err, /user 'nobody' does not exist/);
  });
});
