/**
 * Every migration operation, forwards and backwards, with rows present, on
 * every backend: the schema changes and the data survives.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import {
  BigAutoField,
  CASCADE,
  CharField,
  FloatField,
  ForeignKey,
  IntegerField,
  BigIntegerField,
  ManyToManyField,
  TextField,
} from '../../../src/db/models/index.js';
import type { BaseDatabaseWrapper } from '../../../src/db/backends/base/wrapper.js';
import {
  AddConstraint,
  AddField,
  AddIndex,
  AlterField,
  AlterModelOptions,
  AlterModelTable,
  AlterUniqueTogether,
  CreateModel,
  DeleteModel,
  Migration,
  type Operation,
  ProjectState,
  RemoveConstraint,
  RemoveField,
  RemoveIndex,
  RenameField,
  RenameIndex,
  RenameModel,
  RunCode,
  RunSQL,
  SeparateDatabaseAndState,
} from '../../../src/db/migrations/index.js';

const APP = 'opstest';
const TABLES = [
  'opstest_book_tags',
  'opstest_novel_tags',
  'ops_novels_tags',
  'ops_novels',
  'opstest_book',
  'opstest_novel',
  'opstest_tag',
  'opstest_author',
  'opstest_note',
];

/** A model's manager in a state, typed loosely (historical models have no static types). */
type AnyManager = {
  create(values: Record<string, unknown>): Promise<Record<string, unknown>>;
  using(alias: string): AnyManager;
  orderBy(...names: string[]): AnyManager;
  values(...names: string[]): Promise<Record<string, unknown>[]>;
  count(): Promise<number>;
  filter(lookups: Record<string, unknown>): AnyManager;
  update(values: Record<string, unknown>): Promise<number>;
  delete(): Promise<unknown>;
};
function objects(state: ProjectState, name: string): AnyManager {
  return (state.apps.getModel(APP, name) as unknown as { objects: AnyManager }).objects;
}

async function dropAll(connection: BaseDatabaseWrapper): Promise<void> {
  await connection.schemaEditor(async (editor) => {
    for (const t of TABLES) await editor.dropTable(t, { ifExists: true });
  });
}

async function columns(connection: BaseDatabaseWrapper, table: string): Promise<string[]> {
  return (await connection.introspection.getTableDescription(table)).map((c) => c.name).sort();
}

async function constraintNames(connection: BaseDatabaseWrapper, table: string): Promise<string[]> {
  return Object.keys(await connection.introspection.getConstraints(table));
}

describeEachBackend('migration operations with rows present', (ctx) => {
  before(() => dropAll(ctx.connection));
  after(() => dropAll(ctx.connection));

  /** Applies `ops` as one migration from `state`; returns the state after. */
  async function forwards(state: ProjectState, ...ops: Operation[]): Promise<ProjectState> {
    const m = new Migration({ appLabel: APP, name: 'step', operations: ops });
    return ctx.connection.schemaEditor((editor) => m.apply(state, editor));
  }
  /** Unapplies `ops` (applied from `state`); returns `state`. */
  async function backwards(state: ProjectState, ...ops: Operation[]): Promise<ProjectState> {
    const m = new Migration({ appLabel: APP, name: 'step', operations: ops });
    return ctx.connection.schemaEditor((editor) => m.unapply(state, editor));
  }

  let state = new ProjectState();

  test('CreateModel: tables (with the automatic many-to-many table) that take rows', async () => {
    state = await forwards(
      state,
      new CreateModel({
        name: 'Author',
        fields: { id: BigAutoField({ primaryKey: true }), name: CharField({ maxLength: 100 }) },
      }),
      new CreateModel({
        name: 'Tag',
        fields: { id: BigAutoField({ primaryKey: true }), name: CharField({ maxLength: 50 }) },
      }),
      new CreateModel({
        name: 'Book',
        fields: {
          id: BigAutoField({ primaryKey: true }),
          title: CharField({ maxLength: 100 }),
          author: ForeignKey(`${APP}.Author`, { onDelete: CASCADE }),
          rating: FloatField({ default: 0 }),
          tags: ManyToManyField(`${APP}.Tag`, { blank: true }),
        },
        options: { ordering: ['title'] },
      }),
    );
    const tables = (await ctx.connection.introspection.tableNames()).map((t) => t.toLowerCase());
    for (const t of ['opstest_author', 'opstest_tag', 'opstest_book', 'opstest_book_tags'])
      assert.ok(tables.includes(t), `${t} exists`);
    const author = await objects(state, 'Author').create({ name: 'Ann' });
    for (const [i, title] of ['Alpha', 'Beta', 'Gamma'].entries())
      await objects(state, 'Book').create({ title, authorId: author.id, rating: i });
    assert.equal(await objects(state, 'Book').count(), 3);
  });

  test('AddField: existing rows get the default; backwards drops the column and keeps the rest', async () => {
    const op = new AddField({
      modelName: 'Book',
      name: 'pages',
      field: IntegerField({ default: 100 }),
    });
    const before = state;
    state = await forwards(state, op);
    assert.deepEqual(
      (await objects(state, 'Book').orderBy('title').values('title', 'pages')).map((r) => [
        r.title,
        r.pages,
      ]),
      [
        ['Alpha', 100],
        ['Beta', 100],
        ['Gamma', 100],
      ],
    );
    await backwards(before, op);
    assert.ok(!(await columns(ctx.connection, 'opstest_book')).includes('pages'));
    assert.equal(await objects(before, 'Book').count(), 3);
    state = await forwards(before, op);
  });

  test('AddField with preserveDefault: false fills rows once and keeps no default in the state', async () => {
    const op = new AddField({
      modelName: 'Book',
      name: 'code',
      field: CharField({ maxLength: 10, default: 'x' }),
      preserveDefault: false,
    });
    state = await forwards(state, op);
    assert.equal(state.model(`${APP}.Book`)!.deconstructField('code')!.options.default, undefined);
    assert.deepEqual(
      (await objects(state, 'Book').values('code')).map((r) => r.code),
      ['x', 'x', 'x'],
    );
    state = await forwards(state, new RemoveField({ modelName: 'Book', name: 'code' }));
  });

  test('AlterField: wider, nullable, another type — rows intact both ways', async () => {
    const ops = [
      new AlterField({
        modelName: 'Book',
        name: 'title',
        field: CharField({ maxLength: 300, null: true }),
      }),
      new AlterField({
        modelName: 'Book',
        name: 'pages',
        field: BigIntegerField({ default: 100 }),
      }),
    ];
    const before = state;
    state = await forwards(state, ...ops);
    await objects(state, 'Book').create({ title: 'T'.repeat(250), authorId: 1, pages: 2 ** 40 });
    assert.equal(
      await objects(state, 'Book')
        .filter({ pages: 2 ** 40 })
        .count(),
      1,
    );
    // Back to NOT NULL varchar(100): the long row must go first, as the database would refuse it.
    await ctx.connection.execute(
      `DELETE FROM ${ctx.connection.ops.quoteName('opstest_book')} WHERE pages > 1000`,
    );
    await backwards(before, ...ops);
    state = before;
    assert.deepEqual(
      (await objects(state, 'Book').orderBy('title').values('title')).map((r) => r.title),
      ['Alpha', 'Beta', 'Gamma'],
    );
  });

  test('AlterField to NOT NULL fills NULLs with the default', async () => {
    const nullable = new AlterField({
      modelName: 'Book',
      name: 'pages',
      field: IntegerField({ null: true }),
    });
    state = await forwards(state, nullable);
    await objects(state, 'Book').filter({ title: 'Beta' }).update({ pages: null });
    state = await forwards(
      state,
      new AlterField({ modelName: 'Book', name: 'pages', field: IntegerField({ default: 7 }) }),
    );
    assert.deepEqual(
      (await objects(state, 'Book').orderBy('title').values('pages')).map((r) => r.pages),
      [100, 7, 100],
    );
  });

  test('RenameField: the column follows, data intact; backwards restores it', async () => {
    const op = new RenameField({ modelName: 'Book', oldName: 'title', newName: 'name' });
    const before = state;
    state = await forwards(state, op);
    assert.ok((await columns(ctx.connection, 'opstest_book')).includes('name'));
    assert.deepEqual(state.model(`${APP}.Book`)!.options.ordering, ['name']);
    assert.deepEqual(
      (await objects(state, 'Book').orderBy('name').values('name')).map((r) => r.name),
      ['Alpha', 'Beta', 'Gamma'],
    );
    await backwards(before, op);
    state = before;
    assert.ok((await columns(ctx.connection, 'opstest_book')).includes('title'));
  });

  test('RemoveField: backwards adds the column back with its default', async () => {
    const op = new RemoveField({ modelName: 'Book', name: 'pages' });
    const before = state;
    state = await forwards(state, op);
    assert.ok(!(await columns(ctx.connection, 'opstest_book')).includes('pages'));
    assert.equal(await objects(state, 'Book').count(), 3);
    await backwards(before, op);
    state = before;
    assert.deepEqual(
      (await objects(state, 'Book').values('pages')).map((r) => r.pages),
      [7, 7, 7],
    );
  });

  test('AddIndex, RenameIndex, RemoveIndex', async () => {
    state = await forwards(
      state,
      new AddIndex({
        modelName: 'Book',
        index: { name: 'ops_book_title_idx', fields: ['title', '-rating'] },
      }),
    );
    assert.ok(
      (await constraintNames(ctx.connection, 'opstest_book')).includes('ops_book_title_idx'),
    );
    const rename = new RenameIndex({
      modelName: 'Book',
      oldName: 'ops_book_title_idx',
      newName: 'ops_book_t_idx',
    });
    const before = state;
    state = await forwards(state, rename);
    let names = await constraintNames(ctx.connection, 'opstest_book');
    assert.ok(names.includes('ops_book_t_idx') && !names.includes('ops_book_title_idx'));
    await backwards(before, rename);
    state = before;
    const remove = new RemoveIndex({ modelName: 'Book', name: 'ops_book_title_idx' });
    state = await forwards(state, remove);
    names = await constraintNames(ctx.connection, 'opstest_book');
    assert.ok(!names.includes('ops_book_title_idx'));
    assert.equal(await objects(state, 'Book').count(), 3);
  });

  test('AddConstraint validates rows from then on; RemoveConstraint lifts it', async () => {
    const add = new AddConstraint({
      modelName: 'Book',
      constraint: { kind: 'check', name: 'ops_rating_gte_0', check: { rating__gte: 0 } },
    });
    const before = state;
    state = await forwards(state, add);
    if (ctx.connection.features.supportsCheckConstraints !== false) {
      await assert.rejects(
        objects(state, 'Book').create({ title: 'Bad', authorId: 1, rating: -1, pages: 1 }),
      );
    }
    state = await forwards(
      state,
      new RemoveConstraint({ modelName: 'Book', name: 'ops_rating_gte_0' }),
    );
    const bad = await objects(state, 'Book').create({
      title: 'Bad',
      authorId: 1,
      rating: -1,
      pages: 1,
    });
    await objects(state, 'Book').filter({ id: bad.id }).delete();
    // Backwards of AddConstraint removes it (from the state that has it).
    const again = await forwards(before, add);
    await backwards(before, add);
    void again;
    state = before;
    assert.equal(await objects(state, 'Book').count(), 3);
  });

  test('AlterUniqueTogether adds and drops the unique constraint', async () => {
    const op = new AlterUniqueTogether({ name: 'Book', uniqueTogether: [['author', 'title']] });
    const before = state;
    state = await forwards(state, op);
    await assert.rejects(objects(state, 'Book').create({ title: 'Alpha', authorId: 1, pages: 1 }));
    await backwards(before, op);
    state = before;
    const dup = await objects(state, 'Book').create({ title: 'Alpha', authorId: 1, pages: 1 });
    await objects(state, 'Book').filter({ id: dup.id }).delete();
  });

  test('RenameModel: the table and its many-to-many table follow; relations keep working', async () => {
    const tag = await objects(state, 'Tag').create({ name: 'sf' });
    await ctx.connection.execute(
      `INSERT INTO ${ctx.connection.ops.quoteName('opstest_book_tags')} (book_id, tag_id) SELECT id, %s FROM ${ctx.connection.ops.quoteName('opstest_book')}`,
      [tag.id],
    );
    const op = new RenameModel({ oldName: 'Book', newName: 'Novel' });
    const before = state;
    state = await forwards(state, op);
    const tables = (await ctx.connection.introspection.tableNames()).map((t) => t.toLowerCase());
    assert.ok(tables.includes('opstest_novel') && !tables.includes('opstest_book'));
    assert.ok(tables.includes('opstest_novel_tags'));
    assert.ok((await columns(ctx.connection, 'opstest_novel_tags')).includes('novel_id'));
    assert.equal(await objects(state, 'Novel').filter({ tags__name: 'sf' }).count(), 3);
    assert.equal(await objects(state, 'Novel').filter({ author__name: 'Ann' }).count(), 3);
    await backwards(before, op);
    state = before;
    assert.equal(await objects(state, 'Book').filter({ tags__name: 'sf' }).count(), 3);
  });

  test('AlterModelTable moves the table (and its many-to-many table)', async () => {
    const op = new AlterModelTable({ name: 'Book', table: 'ops_novels' });
    const before = state;
    state = await forwards(state, op);
    const tables = (await ctx.connection.introspection.tableNames()).map((t) => t.toLowerCase());
    assert.ok(tables.includes('ops_novels') && tables.includes('ops_novels_tags'));
    assert.equal(await objects(state, 'Book').filter({ tags__name: 'sf' }).count(), 3);
    await backwards(before, op);
    state = before;
    assert.equal(await objects(state, 'Book').count(), 3);
  });

  test('AlterModelOptions changes only the state', async () => {
    const next = await forwards(
      state,
      new AlterModelOptions({
        name: 'Book',
        options: { ordering: ['-rating'], verboseName: 'volume' },
      }),
    );
    assert.deepEqual(next.model(`${APP}.Book`)!.options.ordering, ['-rating']);
    assert.deepEqual(
      (await objects(next, 'Book').values('title')).map((r) => r.title),
      ['Gamma', 'Beta', 'Alpha'],
    );
  });

  test('RunSQL (with bound parameters) and its reverse', async () => {
    const q = (name: string) => ctx.connection.ops.quoteName(name);
    const op = new RunSQL({
      sql: [[`UPDATE ${q('opstest_book')} SET ${q('rating')} = %s`, [4.5]]],
      reverseSql: [[`UPDATE ${q('opstest_book')} SET ${q('rating')} = %s`, [0]]],
    });
    await forwards(state, op);
    assert.deepEqual(
      (await objects(state, 'Book').values('rating')).map((r) => Number(r.rating)),
      [4.5, 4.5, 4.5],
    );
    await backwards(state, op);
    assert.deepEqual(
      (await objects(state, 'Book').values('rating')).map((r) => Number(r.rating)),
      [0, 0, 0],
    );
    await assert.rejects(backwards(state, new RunSQL({ sql: 'SELECT 1' })), /not reversible/);
  });

  test('RunCode gets the historical models through apps.getModel; a noop reverse', async () => {
    let seenFields: string[] = [];
    const op = new RunCode({
      code: async (apps, editor) => {
        const Book = apps.getModel(APP, 'Book') as unknown as {
          objects: AnyManager;
          _meta: { fields: { name: string }[] };
        };
        seenFields = Book._meta.fields.map((f) => f.name);
        await Book.objects.using(editor.connection.alias).filter({}).update({ rating: 3 });
      },
      reverseCode: RunCode.noop,
    });
    await forwards(state, op);
    assert.deepEqual(seenFields, ['id', 'title', 'author', 'rating', 'tags', 'pages']);
    assert.deepEqual(
      (await objects(state, 'Book').values('rating')).map((r) => Number(r.rating)),
      [3, 3, 3],
    );
    await backwards(state, op); // noop
    await assert.rejects(
      backwards(state, new RunCode({ code: () => undefined })),
      /not reversible/,
    );
  });

  test('SeparateDatabaseAndState: the state changes without the database, and the reverse', async () => {
    const op = new SeparateDatabaseAndState({
      stateOperations: [
        new AddField({ modelName: 'Book', name: 'summary', field: TextField({ blank: true }) }),
      ],
      databaseOperations: [
        new RunSQL({
          sql: `ALTER TABLE ${ctx.connection.ops.quoteName('opstest_book')} ADD COLUMN ${ctx.connection.ops.quoteName('summary')} ${ctx.vendor === 'mysql' ? 'longtext' : 'text'} NULL`,
          reverseSql: `ALTER TABLE ${ctx.connection.ops.quoteName('opstest_book')} DROP COLUMN ${ctx.connection.ops.quoteName('summary')}`,
        }),
      ],
    });
    const before = state;
    state = await forwards(state, op);
    assert.ok(state.model(`${APP}.Book`)!.fields.has('summary'));
    assert.ok((await columns(ctx.connection, 'opstest_book')).includes('summary'));
    await backwards(before, op);
    state = before;
    assert.ok(!(await columns(ctx.connection, 'opstest_book')).includes('summary'));
  });

  test('DeleteModel drops the tables; backwards creates them again', async () => {
    state = await forwards(
      state,
      new CreateModel({
        name: 'Note',
        fields: { id: BigAutoField({ primaryKey: true }), text: TextField() },
      }),
    );
    await objects(state, 'Note').create({ text: 'x' });
    const op = new DeleteModel({ name: 'Note' });
    const before = state;
    state = await forwards(state, op);
    assert.ok(
      !(await ctx.connection.introspection.tableNames())
        .map((t) => t.toLowerCase())
        .includes('opstest_note'),
    );
    await backwards(before, op);
    state = before;
    assert.equal(await objects(state, 'Note').count(), 0);
  });

  test('a failed migration leaves schema and data as they were (where DDL is transactional)', async (t) => {
    if (!ctx.connection.features.canRollbackDdl) {
      t.diagnostic('MariaDB/MySQL commit each DDL statement: documented in docs/migrations.md');
      return;
    }
    const m = new Migration({
      appLabel: APP,
      name: 'broken',
      operations: [
        new AddField({
          modelName: 'Book',
          name: 'isbn',
          field: CharField({ maxLength: 13, default: '' }),
        }),
        new RunSQL({
          sql: `UPDATE ${ctx.connection.ops.quoteName('opstest_book')} SET ${ctx.connection.ops.quoteName('rating')} = 9`,
        }),
        new RunSQL({ sql: 'SELECT * FROM no_such_table_anywhere' }),
      ],
    });
    await assert.rejects(ctx.connection.schemaEditor((editor) => m.apply(state, editor)));
    assert.ok(!(await columns(ctx.connection, 'opstest_book')).includes('isbn'));
    assert.deepEqual(
      (await objects(state, 'Book').values('rating')).map((r) => Number(r.rating)),
      [3, 3, 3],
    );
  });
});
