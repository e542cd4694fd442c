/**
 * makemigrations end to end: the autodetector against the state the files
 * build, the TypeScript writer (stable: regenerating unchanged models gives
 * no migration), renames answered by flag, one-off defaults, and the written
 * files applied and unapplied by the executor with rows present.
 */
import { after, before, test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachBackend } from '../../support/backends.js';
import {
  CASCADE,
  CharField,
  DateTimeField,
  ForeignKey,
  IntegerField,
  ManyToManyField,
  Model,
  TextField,
} from '../../../src/db/models/index.js';
import { Apps } from '../../../src/db/models/registry.js';
import { PassThrough } from 'node:stream';
import {
  InteractiveQuestioner,
  MigrationAutodetector,
  MigrationExecutor,
  MigrationLoader,
  NonInteractiveQuestioner,
  ProjectState,
  makeMigrations,
} from '../../../src/db/migrations/index.js';

const APP = 'wtest';
const root = join(process.cwd(), '.tmp', `autodetector-${process.pid}`);
const dir = join(root, APP, 'migrations');
const directories = { [APP]: dir };

/** The first version of the models. */
function version1(): Apps {
  const registry = new Apps();
  const meta = { appLabel: APP, apps: registry };
  class Author extends Model(
    { name: CharField({ maxLength: 100 }) },
    { ...meta, ordering: ['name'] },
  ) {}
  class Tag extends Model({ name: CharField({ maxLength: 50, unique: true }) }, meta) {}
  class Book extends Model(
    {
      title: CharField({ maxLength: 200 }),
      author: ForeignKey(`${APP}.Author`, { onDelete: CASCADE, relatedName: 'books' }),
      tags: ManyToManyField(`${APP}.Tag`, { blank: true }),
      isbn: CharField({ maxLength: 20, default: '' }),
      summary: TextField({ blank: true }),
      created: DateTimeField({ autoNowAdd: true }),
    },
    {
      ...meta,
      indexes: [{ name: 'wtest_book_title_idx', fields: ['title'] }],
      constraints: [{ kind: 'check', name: 'wtest_book_title_nonempty', check: { title__gt: '' } }],
    },
  ) {}
  for (const m of [Author, Tag, Book]) void m._meta;
  return registry;
}

/** The second version: a field added, one altered, one removed, one renamed, a model added. */
function version2(): Apps {
  const registry = new Apps();
  const meta = { appLabel: APP, apps: registry };
  class Author extends Model(
    { name: CharField({ maxLength: 100 }) },
    { ...meta, ordering: ['-name'] },
  ) {}
  class Tag extends Model({ name: CharField({ maxLength: 50, unique: true }) }, meta) {}
  class Book extends Model(
    {
      title: CharField({ maxLength: 300 }),
      author: ForeignKey(`${APP}.Author`, { onDelete: CASCADE, relatedName: 'books' }),
      tags: ManyToManyField(`${APP}.Tag`, { blank: true }),
      blurb: TextField({ blank: true }),
      created: DateTimeField({ autoNowAdd: true }),
      pages: IntegerField({ default: 0 }),
      edition: IntegerField(),
    },
    {
      ...meta,
      indexes: [{ name: 'wtest_book_t_idx', fields: ['title'] }],
      constraints: [{ kind: 'check', name: 'wtest_book_title_nonempty', check: { title__gt: '' } }],
    },
  ) {}
  class Review extends Model(
    {
      book: ForeignKey(`${APP}.Book`, { onDelete: CASCADE }),
      stars: IntegerField({ default: 5 }),
    },
    meta,
  ) {}
  for (const m of [Author, Tag, Book, Review]) void m._meta;
  return registry;
}

before(() => {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('makemigrations', () => {
  test('the initial migration: models in dependency order, readable TypeScript', async () => {
    const made = await makeMigrations({ registry: version1(), directories, root });
    assert.equal(made.length, 1);
    const [first] = made;
    assert.equal(first!.migration.name, '0001_initial');
    assert.deepEqual(
      first!.migration.operations.map((op) => op.describe()),
      ['Create model Author', 'Create model Tag', 'Create model Book'],
    );
    const source = readFileSync(join(dir, '0001_initial.ts'), 'utf8');
    assert.ok(
      source.includes(
        'import {\n  BigAutoField,\n  CASCADE,\n  CharField,\n  DateTimeField,\n  ForeignKey,\n' +
          "  ManyToManyField,\n  TextField,\n} from 'reinhardt/db';\n" +
          "import { CreateModel, Migration } from 'reinhardt/db/migrations';",
      ),
    );
    assert.match(
      source,
      /export default new Migration\(\{\n {2}initial: true,\n {2}dependencies: \[\],/,
    );
    assert.match(
      source,
      /author: ForeignKey\('wtest\.Author', \{ onDelete: CASCADE, relatedName: 'books' \}\),/,
    );
    assert.match(source, /tags: ManyToManyField\('wtest\.Tag', \{ blank: true \}\),/);
    assert.match(source, /indexes: \[\{ name: 'wtest_book_title_idx', fields: \['title'\] \}\]/);
  });

  test('unchanged models: no migration (the written file rebuilds the same state)', async () => {
    assert.deepEqual(await makeMigrations({ registry: version1(), directories, root }), []);
    const loader = await MigrationLoader.load(null, { directories });
    const fromFiles = loader.projectState();
    const fromModels = ProjectState.fromApps(version1());
    for (const [label, model] of fromModels.models)
      assert.deepEqual(fromFiles.models.get(label)!.deconstruct(), model.deconstruct(), label);
  });

  test('a NOT NULL field without default is refused when not interactive, with the reason', async () => {
    await assert.rejects(
      makeMigrations({ registry: version2(), directories, root, dryRun: true }),
      /It is impossible to add a non-nullable field 'edition' to book without specifying a default/,
    );
  });

  test('changes: renames by flag, one-off default, altered and removed fields, options, a new model', async () => {
    const questioner = new NonInteractiveQuestioner([`${APP}.Book.summary=blurb`], {
      [`${APP}.Book.edition`]: 1,
    });
    const made = await makeMigrations({ registry: version2(), directories, root, questioner });
    assert.equal(made.length, 1);
    const m = made[0]!.migration;
    assert.match(m.name, /^0002_/);
    assert.deepEqual(m.dependencies, [[APP, '0001_initial']]);
    assert.deepEqual(
      m.operations.map((op) => op.describe()),
      [
        'Rename field summary on book to blurb',
        'Remove field isbn from book',
        'Create model Review',
        'Add field pages to book',
        'Add field edition to book',
        'Alter field title on book',
        'Change Meta options on Author',
        // Same fields, another name: a rename, not a drop and a rebuild.
        'Rename index wtest_book_title_idx on Book to wtest_book_t_idx',
      ],
    );
    const source = readFileSync(join(dir, `${m.name}.ts`), 'utf8');
    assert.match(source, /preserveDefault: false/);
    assert.match(source, /field: IntegerField\(\{ default: 1 \}\)/);
    assert.deepEqual(await makeMigrations({ registry: version2(), directories, root }), []);
  });

  test('--check style dry runs and --empty', async () => {
    const empty = await makeMigrations({
      registry: version2(),
      directories,
      root,
      empty: true,
      appLabels: [APP],
      dryRun: true,
    });
    assert.equal(empty.length, 1);
    assert.match(empty[0]!.migration.name, /^0003_auto_/);
    assert.equal(empty[0]!.migration.operations.length, 0);
  });
});

describeEachBackend('written migrations applied with rows present', (ctx) => {
  const tables = ['wtest_review', 'wtest_book_tags', 'wtest_book', 'wtest_tag', 'wtest_author'];
  const drop = () =>
    ctx.connection.schemaEditor(async (e) => {
      for (const t of tables) await e.dropTable(t, { ifExists: true });
    });
  before(async () => {
    await drop();
    await ctx.connection
      .execute(
        `DELETE FROM ${ctx.connection.ops.quoteName('reinhardt_migrations')} WHERE app = %s`,
        [APP],
      )
      .catch(() => undefined);
  });
  after(drop);

  test('migrate to 0001, add rows, migrate forwards (rows kept, defaults filled), back to zero', async () => {
    const events: string[] = [];
    const executor = await MigrationExecutor.create(ctx.connection, { directories }, (e) => {
      if (e.action === 'apply_success' || e.action === 'unapply_success')
        events.push(`${e.action}:${e.migration.name}`);
    });
    await executor.migrate([[APP, '0001_initial']]);
    const q = (n: string) => ctx.connection.ops.quoteName(n);
    await ctx.connection.execute(`INSERT INTO ${q('wtest_author')} (${q('name')}) VALUES (%s)`, [
      'Ann',
    ]);
    const [{ id }] = (
      await ctx.connection.execute<{ id: number }>(
        `SELECT ${q('id')} AS ${q('id')} FROM ${q('wtest_author')}`,
      )
    ).rows as [{ id: number }];
    await ctx.connection.execute(
      `INSERT INTO ${q('wtest_book')} (${q('title')}, ${q('author_id')}, ${q('isbn')}, ${q('summary')}, ${q('created')}) VALUES (%s, %s, %s, %s, %s)`,
      ['Dune', id, '123', 'Sand', new Date()],
    );
    await executor.migrate();
    const leaf = executor.loader.graph.leafNodes(APP)[0]!;
    const state = executor.loader.projectState();
    const Book = state.apps.getModel(APP, 'Book') as unknown as {
      objects: { values(...n: string[]): Promise<Record<string, unknown>[]> };
    };
    assert.deepEqual(await Book.objects.values('title', 'blurb', 'pages', 'edition'), [
      { title: 'Dune', blurb: 'Sand', pages: 0, edition: 1 },
    ]);
    // A second run finds nothing to do.
    assert.deepEqual(await executor.migrate(), []);
    await executor.migrate([[APP, null]]);
    assert.deepEqual(events, [
      'apply_success:0001_initial',
      `apply_success:${leaf[1]}`,
      `unapply_success:${leaf[1]}`,
      'unapply_success:0001_initial',
    ]);
    const left = (await ctx.connection.introspection.tableNames()).filter((t) =>
      t.toLowerCase().startsWith('wtest_'),
    );
    assert.deepEqual(left, []);
  });
});

describe('the autodetector, more changes', () => {
  function shelf(version: 1 | 2): ProjectState {
    const registry = new Apps();
    const meta = { appLabel: 'shelf', apps: registry };
    class Tag extends Model({ name: CharField({ maxLength: 20 }) }, meta) {}
    class Item extends Model(
      {
        name: CharField({ maxLength: 20 }),
        tags: ManyToManyField('shelf.Tag', version === 1 ? {} : { through: 'shelf.Tagging' }),
      },
      version === 1 ? meta : { ...meta, dbTable: 'shelf_items', ordering: ['name'] },
    ) {}
    class Tagging extends Model(
      {
        item: ForeignKey('shelf.Item', { onDelete: CASCADE }),
        tag: ForeignKey('shelf.Tag', { onDelete: CASCADE }),
      },
      meta,
    ) {}
    void Tag._meta;
    void Item._meta;
    if (version === 2) void Tagging._meta;
    return ProjectState.fromApps(registry);
  }

  test('table names, options and a many-to-many through model', async () => {
    const ops = await new MigrationAutodetector(shelf(1), shelf(2)).detectOperations();
    assert.deepEqual(
      ops.get('shelf')!.map((op) => op.describe()),
      [
        'Create model Tagging',
        'Alter field tags on item',
        'Rename table for Item to shelf_items',
        'Change Meta options on Item',
      ],
    );
  });

  test('a model deleted, and one renamed (answered by flag)', async () => {
    const v1 = new Apps();
    const v2 = new Apps();
    class Writer extends Model(
      { name: CharField({ maxLength: 9 }) },
      { appLabel: 'd', apps: v1 },
    ) {}
    class Gone extends Model({ x: IntegerField() }, { appLabel: 'd', apps: v1 }) {}
    class Author extends Model(
      { name: CharField({ maxLength: 9 }) },
      { appLabel: 'd', apps: v2 },
    ) {}
    for (const m of [Writer, Gone, Author]) void m._meta;
    const declined = await new MigrationAutodetector(
      ProjectState.fromApps(v1),
      ProjectState.fromApps(v2),
    ).detectOperations();
    assert.deepEqual(
      declined.get('d')!.map((op) => op.describe()),
      ['Delete model Writer', 'Delete model Gone', 'Create model Author'],
    );
    const renamed = await new MigrationAutodetector(
      ProjectState.fromApps(v1),
      ProjectState.fromApps(v2),
      new NonInteractiveQuestioner(['d.Writer=Author']),
    ).detectOperations();
    assert.deepEqual(
      renamed.get('d')!.map((op) => op.describe()),
      ['Rename model Writer to Author', 'Delete model Gone'],
    );
  });

  test('renames asked on a terminal: yes gives RenameField, no gives remove + add', async () => {
    const v1 = new Apps();
    const v2 = new Apps();
    class A1 extends Model(
      { title: CharField({ maxLength: 9, blank: true }) },
      { appLabel: 'q', apps: v1 },
    ) {}
    class A2 extends Model(
      { heading: CharField({ maxLength: 9, blank: true }) },
      { appLabel: 'q', apps: v2 },
    ) {}
    void A1._meta;
    void A2._meta;
    for (const [answer, expected] of [
      ['y\n', ['Rename field title on a2 to heading']],
      ['n\n', ['Remove field title from a2', 'Add field heading to a2']],
    ] as const) {
      const input = new PassThrough();
      const output = new PassThrough();
      let asked = '';
      output.on('data', (c: Buffer) => (asked += c.toString()));
      input.end(answer);
      const from = ProjectState.fromApps(v1);
      // The same model under the name of the new one, so only the field differs.
      const renamed = from.clone();
      const m = renamed.model('q.A1')!;
      renamed.removeModel('q.A1');
      renamed.addModel(m.clone({ name: 'A2' }));
      const ops = await new MigrationAutodetector(
        renamed,
        ProjectState.fromApps(v2),
        new InteractiveQuestioner(input, output),
      ).detectOperations();
      assert.deepEqual(
        ops.get('q')!.map((op) => op.describe()),
        expected,
      );
      assert.match(asked, /Was q\.A2\.title renamed to q\.A2\.heading \(a CharField\)\? \[y\/N\]/);
    }
  });
});
