/**
 * The auth app's models on every backend: its migrations (with the content
 * types app's), users with hashed passwords, `authenticate`, default
 * permissions made after migrate, `hasPerm` directly and through groups.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../support/backends.js';
import { resolveAppConfig } from '../../src/apps/config.js';
import { overrideSettings } from '../../src/conf/override.js';
import { configureSettings, isConfigured } from '../../src/conf/settings.js';
import { apps } from '../../src/db/models/registry.js';
import { makeMigrations, MigrationExecutor } from '../../src/db/migrations/index.js';
import { postMigrate } from '../../src/db/models/signals.js';
import { ContentType, models as contentTypeModels } from '../../src/contenttypes/models.js';
import {
  AnonymousUser,
  authenticate,
  createPermissions,
  getUserModel,
  Group,
  models as authModels,
  Permission,
  User,
  userLoginFailed,
} from '../../src/auth/models/index.js';

if (!isConfigured()) configureSettings({ secretKey: 'auth-models-test' });
apps.register('contenttypes', contentTypeModels);
apps.register('auth', authModels as Record<string, object>);

const contenttypes = resolveAppConfig('reinhardt.contrib.contenttypes')!;
const auth = resolveAppConfig('reinhardt.contrib.auth')!;
const directories = { contenttypes: contenttypes.migrationsDir, auth: auth.migrationsDir };
/** Fast hashing for tests (Django's advice too); the hashers themselves are tested elsewhere. */
const fast = { passwordHashers: ['md5'] } as const;

describeEachBackend('the auth app', (ctx) => {
  let executor: MigrationExecutor;
  before(async () => {
    executor = await MigrationExecutor.create(ctx.connection, { directories });
    await executor
      .migrate([
        ['auth', null],
        ['contenttypes', null],
      ])
      .catch(() => undefined);
    ContentType.objects.clearCache();
    await executor.migrate();
  });
  after(async () => {
    await executor.migrate([
      ['auth', null],
      ['contenttypes', null],
    ]);
  });

  test('its migrations create the tables of Django’s names', async () => {
    const tables = (await ctx.connection.introspection.tableNames()).map((t) => t.toLowerCase());
    for (const t of [
      'django_content_type',
      'auth_permission',
      'auth_group',
      'auth_user',
      'auth_user_groups',
    ])
      assert.ok(tables.includes(t), t);
  });

  test('the default permissions are created after migrate, once', async () => {
    await postMigrate.send(auth, {
      appConfig: auth,
      verbosity: 0,
      interactive: false,
      using: 'default',
      plan: [],
      apps: null,
    });
    const codenames = await Permission.objects
      .filter({ contentType__appLabel: 'auth' })
      .orderBy('codename')
      .valuesList('codename', { flat: true });
    assert.deepEqual(codenames, [
      'add_group',
      'add_permission',
      'add_user',
      'change_group',
      'change_permission',
      'change_user',
      'delete_group',
      'delete_permission',
      'delete_user',
      'view_group',
      'view_permission',
      'view_user',
    ]);
    const add = await Permission.objects.get({ codename: 'add_user' });
    assert.equal(add.name, 'Can add user');
    assert.equal(await createPermissions('auth'), 0, 'nothing new the second time');
  });

  test('users: hashed passwords, createSuperuser, getUserModel', async () => {
    await overrideSettings(fast, async () => {
      const ann = await User.objects.createUser('ann', {
        email: 'Ann@Example.COM',
        password: 'pw-ann-1',
      });
      assert.equal(ann.email, 'Ann@example.com');
      assert.match(ann.password, /^md5\$/);
      assert.equal(await ann.checkPassword('pw-ann-1'), true);
      assert.equal(await ann.checkPassword('nope'), false);
      const root = await User.objects.createSuperuser('root', { password: 'pw-root-1' });
      assert.deepEqual([root.isStaff, root.isSuperuser], [true, true]);
      await assert.rejects(
        User.objects.createSuperuser('x', { isStaff: false }),
        /Superuser must have is_staff=True\./,
      );
      assert.equal(getUserModel(), User);
      await overrideSettings({ authUserModel: 'shop.Customer' }, async () => {
        assert.throws(
          () => getUserModel(),
          /authUserModel refers to model 'shop\.Customer' that has not been installed/,
        );
      });
      const noPassword = await User.objects.createUser('nopass');
      assert.equal(noPassword.hasUsablePassword(), false);
    });
  });

  test('authenticate: the right password, a wrong one, an unknown user, an inactive user', async () => {
    await overrideSettings(fast, async () => {
      const failures: Record<string, unknown>[] = [];
      const listen = ({ credentials }: { credentials: Record<string, unknown> }) => {
        failures.push(credentials);
      };
      userLoginFailed.connect(listen);
      try {
        const ann = await authenticate({ username: 'ann', password: 'pw-ann-1' });
        assert.equal(ann?.getUsername(), 'ann');
        assert.equal(await authenticate({ username: 'ann', password: 'wrong' }), null);
        assert.equal(await authenticate({ username: 'nobody', password: 'pw' }), null);
        await User.objects.filter({ username: 'ann' }).update({ isActive: false });
        assert.equal(await authenticate({ username: 'ann', password: 'pw-ann-1' }), null);
        await User.objects.filter({ username: 'ann' }).update({ isActive: true });
        assert.equal(failures.length, 3);
        assert.deepEqual(failures[0], { username: 'ann', password: '********************' });
      } finally {
        userLoginFailed.disconnect(listen);
      }
    });
  });

  test('the shipped migrations match the models (makemigrations finds nothing)', async () => {
    assert.deepEqual(
      await makeMigrations({
        registry: apps,
        directories,
        dryRun: true,
        appLabels: ['contenttypes', 'auth'],
      }),
      [],
    );
  });

  test('hasPerm: direct, through a group, superusers, inactive users, anonymous', async () => {
    const bob = await User.objects.createUser('bob');
    assert.equal(await bob.hasPerm('auth.add_group'), false);
    const addGroup = await Permission.objects.get({ codename: 'add_group' });
    await bob.userPermissions.add(addGroup);
    bob.clearPermissionCache();
    assert.equal(await bob.hasPerm('auth.add_group'), true);
    assert.equal(await bob.hasPerm('auth.delete_group'), false);
    const editors = await Group.objects.create({ name: 'editors' });
    await editors.permissions.add(await Permission.objects.get({ codename: 'change_user' }));
    await bob.groups.add(editors);
    bob.clearPermissionCache();
    assert.equal(await bob.hasPerms(['auth.add_group', 'auth.change_user']), true);
    assert.deepEqual([...(await bob.getAllPermissions())].sort(), [
      'auth.add_group',
      'auth.change_user',
    ]);
    assert.equal(await bob.hasModulePerms('auth'), true);
    assert.equal(await bob.hasModulePerms('library'), false);
    const root = await User.objects.get({ username: 'root' });
    assert.equal(await root.hasPerm('anything.at_all'), true);
    bob.isActive = false;
    assert.equal(await bob.hasPerm('auth.add_group'), false);
    const anonymous = new AnonymousUser();
    assert.equal(anonymous.isAuthenticated, false);
    assert.equal(await anonymous.hasPerm(), false);
  });

  test('a swapped user model: migrate leaves auth_user alone', async () => {
    await executor.migrate([['auth', null]]);
    await overrideSettings({ authUserModel: 'shop.Customer' }, async () => {
      const swapped = await MigrationExecutor.create(ctx.connection, { directories });
      await swapped.migrate([['auth', '0001_initial']]);
      const tables = (await ctx.connection.introspection.tableNames()).map((t) => t.toLowerCase());
      assert.ok(tables.includes('auth_group'));
      assert.ok(!tables.includes('auth_user'));
      assert.ok(!tables.includes('auth_user_groups'));
      await swapped.migrate([['auth', null]]);
    });
    await executor.migrate();
  });
});
