/**
 * The loader and executor beyond the happy path: dependencies across apps
 * found by makemigrations, merges of two leaves, --fake and --fake-initial,
 * an inconsistent history, and Django's messages for bad prefixes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachBackend } from '../../support/backends.js';
import {
  CASCADE,
  CharField,
  ForeignKey,
  IntegerField,
  Model,
} from '../../../src/db/models/index.js';
import { Apps } from '../../../src/db/models/registry.js';
import { overrideSettings } from '../../../src/conf/override.js';
import {
  AddField,
  InconsistentMigrationHistory,
  Migration,
  MigrationExecutor,
  MigrationLoader,
  MigrationRecorder,
  makeMigrations,
  migrationSource,
} from '../../../src/db/migrations/index.js';

const root = join(process.cwd(), '.tmp', `executor-${process.pid}`);
const dirs = { exa: join(root, 'exa', 'migrations'), exb: join(root, 'exb', 'migrations') };

function models(): Apps {
  const registry = new Apps();
  class Publisher extends Model(
    { name: CharField({ maxLength: 50 }) },
    { appLabel: 'exa', apps: registry },
  ) {}
  class Title extends Model(
    {
      name: CharField({ maxLength: 50 }),
      publisher: ForeignKey('exa.Publisher', { onDelete: CASCADE }),
    },
    { appLabel: 'exb', apps: registry },
  ) {}
  void Publisher._meta;
  void Title._meta;
  return registry;
}

before(async () => {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(dirs.exa, { recursive: true });
  mkdirSync(dirs.exb, { recursive: true });
  await makeMigrations({ registry: models(), directories: dirs });
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('makemigrations across apps', () => {
  test('a foreign key to another app makes the migration depend on that app', async () => {
    const loader = await MigrationLoader.load(null, { directories: dirs });
    const title = loader.getMigration('exb', '0001_initial');
    assert.deepEqual(title.dependencies, [['exa', '0001_initial']]);
    // And the plan applies exa first.
    assert.deepEqual(loader.graph.forwardsPlan(['exb', '0001_initial']), [
      ['exa', '0001_initial'],
      ['exb', '0001_initial'],
    ]);
  });

  test('two leaves in one app: a conflict, resolved by --merge', async () => {
    for (const name of ['0002_left', '0002_right']) {
      const m = new Migration({
        appLabel: 'exa',
        name,
        dependencies: [['exa', '0001_initial']],
        operations: [
          new AddField({
            modelName: 'Publisher',
            name: name.slice(5),
            field: IntegerField({ null: true }),
          }),
        ],
      });
      writeFileSync(join(dirs.exa, `${name}.ts`), migrationSource(m));
    }
    await assert.rejects(
      makeMigrations({ registry: models(), directories: dirs }),
      /Conflicting migrations detected; multiple leaf nodes in the migration graph: \(0002_left, 0002_right in exa\)\.\nTo fix them run 'reinhardt makemigrations --merge'/,
    );
    const [merge] = await makeMigrations({ registry: models(), directories: dirs, merge: true });
    assert.equal(merge!.migration.name, '0003_merge_0002_left_0002_right');
    assert.deepEqual(merge!.migration.dependencies, [
      ['exa', '0002_left'],
      ['exa', '0002_right'],
    ]);
    const loader = await MigrationLoader.load(null, { directories: dirs });
    assert.deepEqual(loader.detectConflicts(), {});
  });

  test('a prefix matching several or no migrations: Django messages', async () => {
    const loader = await MigrationLoader.load(null, { directories: dirs });
    assert.throws(
      () => loader.getMigrationByPrefix('exa', '0002'),
      /More than one migration matches '0002' in app 'exa'\. Please be more specific\./,
    );
    assert.throws(
      () => loader.getMigrationByPrefix('exa', '0009'),
      /Cannot find a migration matching '0009' from app 'exa'\./,
    );
  });
});

describeEachBackend('the executor: fake, fake-initial, consistency', (ctx) => {
  const drop = () =>
    ctx.connection.schemaEditor(async (e) => {
      for (const t of ['exb_title', 'exa_publisher']) await e.dropTable(t, { ifExists: true });
    });
  const forget = () =>
    ctx.connection
      .execute(
        `DELETE FROM ${ctx.connection.ops.quoteName('reinhardt_migrations')} WHERE app IN ('exa', 'exb')`,
      )
      .catch(() => undefined);
  before(async () => {
    await drop();
    await forget();
  });
  after(async () => {
    await drop();
    await forget();
  });

  test('--fake records without touching the schema', async () => {
    const executor = await MigrationExecutor.create(ctx.connection, { directories: dirs });
    await executor.migrate([['exa', '0001_initial']], { fake: true });
    const applied = await new MigrationRecorder(ctx.connection).appliedMigrations();
    assert.ok(applied.has('exa.0001_initial'));
    assert.ok(!(await ctx.connection.introspection.tableExists('exa_publisher')));
    await executor.migrate([['exa', null]], { fake: true });
    assert.ok(
      !(await new MigrationRecorder(ctx.connection).appliedMigrations()).has('exa.0001_initial'),
    );
  });

  test('--fake-initial fakes an initial migration whose tables exist, and runs the others', async () => {
    const executor = await MigrationExecutor.create(ctx.connection, { directories: dirs });
    // The tables made outside migrations (a database that predates them).
    await executor.migrate([['exb', '0001_initial']]);
    await forget();
    const events: string[] = [];
    const again = await MigrationExecutor.create(ctx.connection, { directories: dirs }, (e) => {
      if (e.action === 'apply_success') events.push(`${e.migration}${e.fake ? ' FAKED' : ''}`);
    });
    await again.migrate(null, { fakeInitial: true });
    assert.deepEqual(events, [
      'exa.0001_initial FAKED',
      'exa.0002_left',
      'exa.0002_right',
      'exa.0003_merge_0002_left_0002_right',
      'exb.0001_initial FAKED',
    ]);
  });

  test('an applied migration whose dependency is not: InconsistentMigrationHistory', async () => {
    await forget();
    await new MigrationRecorder(ctx.connection).recordApplied(['exb', '0001_initial']);
    const executor = await MigrationExecutor.create(ctx.connection, { directories: dirs });
    await assert.rejects(
      executor.migrate(),
      (e: Error) =>
        e instanceof InconsistentMigrationHistory &&
        e.message ===
          "Migration exb.0001_initial is applied before its dependency exa.0001_initial on database 'default'.",
    );
  });
});

describe('a swappable user model', () => {
  const swapDirs = {
    members: join(root, 'members', 'migrations'),
    blog: join(root, 'blog', 'migrations'),
  };

  function swapModels(): Apps {
    const registry = new Apps();
    class Member extends Model(
      { handle: CharField({ maxLength: 30 }) },
      { appLabel: 'members', apps: registry },
    ) {}
    class Post extends Model(
      { author: ForeignKey('members.Member', { onDelete: CASCADE }) },
      { appLabel: 'blog', apps: registry },
    ) {}
    void Member._meta;
    void Post._meta;
    return registry;
  }

  test('relations to it are written through authUserModel, with a swappable dependency', async () => {
    await overrideSettings({ authUserModel: 'members.Member' }, async () => {
      const made = await makeMigrations({ registry: swapModels(), directories: swapDirs });
      const blog = made.find((m) => m.migration.appLabel === 'blog')!;
      assert.match(blog.source, /dependencies: \[swappableDependency\('authUserModel'\)\]/);
      assert.match(
        blog.source,
        /author: ForeignKey\(swappableModel\('authUserModel'\), \{ onDelete: CASCADE \}\)/,
      );
      assert.match(
        blog.source,
        /import \{\s+CreateModel,\s+Migration,\s+swappableDependency,\s+swappableModel,?\s+\}/,
      );
      // Loaded back: the dependency is the first migration of the app of the configured model.
      const loader = await MigrationLoader.load(null, { directories: swapDirs });
      assert.deepEqual(loader.graph.parentsOf(['blog', '0001_initial']), [
        ['members', '0001_initial'],
      ]);
      assert.equal(
        loader.projectState().model('blog.Post')!.deconstructField('author')!.options.to,
        'members.Member',
      );
    });
  });
});
