/**
 * The zero-downtime linter: each rule fires on the unsafe form, stays quiet
 * on the safe one, and can be silenced per operation with a reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BigAutoField,
  CASCADE,
  CharField,
  ForeignKey,
  IntegerField,
  TextField,
} from '../../../src/db/models/index.js';
import {
  AddConstraint,
  AddField,
  AddIndex,
  AddIndexConcurrently,
  AlterField,
  CreateModel,
  DeleteModel,
  ignoreLint,
  lintOperations,
  Migration,
  type Operation,
  ProjectState,
  RemoveField,
  RenameField,
  RenameModel,
  RunCode,
} from '../../../src/db/migrations/index.js';

const APP = 'lint';

/** The state with a Book table (title varchar 100, notes nullable) and an Author table. */
function existing(): ProjectState {
  const state = new ProjectState();
  new Migration({
    appLabel: APP,
    name: '0001',
    operations: [
      new CreateModel({ name: 'Author', fields: { id: BigAutoField({ primaryKey: true }) } }),
      new CreateModel({
        name: 'Book',
        fields: {
          id: BigAutoField({ primaryKey: true }),
          title: CharField({ maxLength: 100 }),
          notes: TextField({ null: true }),
          pages: IntegerField({ null: true }),
        },
      }),
    ],
  }).mutateState(state, false);
  return state;
}

function rules(...operations: Operation[]): string[] {
  const m = new Migration({ appLabel: APP, name: '0002_x', operations });
  return lintOperations(m, { stateBefore: existing(), vendor: 'postgresql' }).map((f) => f.rule);
}

test('a NOT NULL column on an existing table, with or without default; nullable is fine', () => {
  assert.deepEqual(
    rules(new AddField({ modelName: 'Book', name: 'isbn', field: CharField({ maxLength: 13 }) })),
    ['not-null-column'],
  );
  assert.deepEqual(
    rules(
      new AddField({
        modelName: 'Book',
        name: 'isbn',
        field: CharField({ maxLength: 13, default: '' }),
      }),
    ),
    ['not-null-column'],
  );
  assert.deepEqual(
    rules(
      new AddField({
        modelName: 'Book',
        name: 'isbn',
        field: CharField({ maxLength: 13, null: true }),
      }),
    ),
    [],
  );
  // A table created in the same migration has no rows and no readers yet.
  assert.deepEqual(
    rules(
      new CreateModel({ name: 'Fresh', fields: { id: BigAutoField({ primaryKey: true }) } }),
      new AddField({ modelName: 'Fresh', name: 'n', field: IntegerField() }),
    ),
    [],
  );
});

test('indexes: non-concurrent flagged, AddIndexConcurrently not', () => {
  const index = { name: 'book_title_idx', fields: ['title'] };
  assert.deepEqual(rules(new AddIndex({ modelName: 'Book', index })), ['non-concurrent-index']);
  assert.deepEqual(rules(new AddIndexConcurrently({ modelName: 'Book', index })), []);
});

test('type changes that rewrite the table; widening a varchar does not', () => {
  assert.deepEqual(
    rules(
      new AlterField({ modelName: 'Book', name: 'title', field: CharField({ maxLength: 200 }) }),
    ),
    [],
  );
  assert.deepEqual(
    rules(
      new AlterField({ modelName: 'Book', name: 'title', field: CharField({ maxLength: 50 }) }),
    ),
    ['table-rewrite'],
  );
  assert.deepEqual(
    rules(
      new AlterField({
        modelName: 'Book',
        name: 'pages',
        field: CharField({ maxLength: 10, null: true }),
      }),
    ),
    ['table-rewrite'],
  );
});

test('SET NOT NULL directly, foreign keys and check constraints that validate every row', () => {
  assert.deepEqual(
    rules(new AlterField({ modelName: 'Book', name: 'notes', field: TextField() })),
    ['set-not-null'],
  );
  assert.deepEqual(
    rules(
      new AddField({
        modelName: 'Book',
        name: 'author',
        field: ForeignKey(`${APP}.Author`, { onDelete: CASCADE, null: true }),
      }),
    ),
    ['non-concurrent-index', 'validating-constraint'],
  );
  assert.deepEqual(
    rules(
      new AddConstraint({
        modelName: 'Book',
        constraint: { kind: 'check', name: 'pages_gte_0', check: { pages__gte: 0 } },
      }),
    ),
    ['validating-constraint'],
  );
});

test('drops and renames the previous release still uses', () => {
  assert.deepEqual(rules(new RemoveField({ modelName: 'Book', name: 'notes' })), ['drop-column']);
  assert.deepEqual(
    rules(new RenameField({ modelName: 'Book', oldName: 'notes', newName: 'memo' })),
    ['rename-column'],
  );
  assert.deepEqual(rules(new DeleteModel({ name: 'Author' })), ['drop-table']);
  assert.deepEqual(rules(new RenameModel({ oldName: 'Author', newName: 'Writer' })), [
    'rename-table',
  ]);
});

test('a data migration that loads a whole table; batched ones pass', () => {
  const whole = new RunCode({
    code: async (apps) => {
      const Book = apps.getModel(APP, 'Book');
      for (const b of await Book.objects.all()) await b.save();
    },
  });
  const batched = new RunCode({
    code: async (apps) => {
      const Book = apps.getModel(APP, 'Book');
      let last = 0;
      for (;;) {
        const batch = await Book.objects.filter({ pk__gt: last }).orderBy('pk').slice(0, 1000);
        if (!batch.length) break;
        last = batch[batch.length - 1].pk;
      }
    },
  });
  assert.deepEqual(rules(whole), ['unbatched-data-migration']);
  assert.deepEqual(rules(batched), []);
});

test('each finding names the risk and the safe pattern; ignoreLint silences one rule with a reason', () => {
  const m = new Migration({
    appLabel: APP,
    name: '0002_drop',
    operations: [new RemoveField({ modelName: 'Book', name: 'notes' })],
  });
  const [finding] = lintOperations(m, { stateBefore: existing() });
  assert.equal(finding!.migration, 'lint.0002_drop');
  assert.match(finding!.risk, /release still running/);
  assert.match(finding!.safe, /SeparateDatabaseAndState/);
  const silenced = ignoreLint(new RemoveField({ modelName: 'Book', name: 'notes' }), {
    rules: ['drop-column'],
    reason: 'unused since release 41',
  });
  assert.deepEqual(rules(silenced), []);
  assert.throws(
    () =>
      ignoreLint(new RemoveField({ modelName: 'Book', name: 'x' }), {
        rules: ['drop-column'],
        reason: ' ',
      }),
    /needs a reason/,
  );
  assert.throws(
    () =>
      ignoreLint(new RemoveField({ modelName: 'Book', name: 'x' }), {
        rules: ['nope' as never],
        reason: 'r',
      }),
    /Unknown lint rule 'nope'/,
  );
});
