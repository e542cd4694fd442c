/**
 * The schema editor, run on every backend: DDL is checked by what the
 * database then does (rows kept, constraints enforced) and by introspection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import { DatabaseError, IntegrityError, ProgrammingError } from '../../../src/db/errors.js';
import { atomic } from '../../../src/db/transaction.js';
import type {
  BaseDatabaseSchemaEditor,
  ColumnDef,
  TableDef,
} from '../../../src/db/backends/base/schema.js';
import type { SchemaEditorOptions } from '../../../src/db/backends/base/schema.js';

const DATETIME = new Date('2024-02-29T12:34:56.789Z');
const BYTES = Buffer.from([0, 1, 2, 39, 92, 254, 255]);
const TEXT = 'it\'s a "quoted" \\ text, ✓';
const UUID = '6f1c2a4e-9b3d-4c7a-8e21-0a5b6c7d8e9f';

/** One column of every type but the auto ones (the table's `id` is a BigAutoField). */
const VALUE_COLUMNS: ColumnDef[] = [
  { name: 'c_char', type: 'CharField', maxLength: 30 },
  { name: 'c_slug', type: 'SlugField', maxLength: 50 },
  { name: 'c_text', type: 'TextField' },
  { name: 'c_int', type: 'IntegerField' },
  { name: 'c_big', type: 'BigIntegerField' },
  { name: 'c_small', type: 'SmallIntegerField' },
  { name: 'c_pint', type: 'PositiveIntegerField' },
  { name: 'c_pbig', type: 'PositiveBigIntegerField' },
  { name: 'c_psmall', type: 'PositiveSmallIntegerField' },
  { name: 'c_float', type: 'FloatField' },
  { name: 'c_dec', type: 'DecimalField', maxDigits: 10, decimalPlaces: 2 },
  { name: 'c_bool', type: 'BooleanField' },
  { name: 'c_date', type: 'DateField' },
  { name: 'c_dt', type: 'DateTimeField' },
  { name: 'c_time', type: 'TimeField' },
  { name: 'c_dur', type: 'DurationField' },
  { name: 'c_uuid', type: 'UUIDField' },
  { name: 'c_json', type: 'JSONField', null: true },
  { name: 'c_bin', type: 'BinaryField' },
  { name: 'c_ip', type: 'GenericIPAddressField' },
];

/** A datetime read back: a Date, or SQLite's UTC text. */
function asDate(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`);
}

function asJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

function asBool(v: unknown): boolean {
  return typeof v === 'boolean' ? v : Number(v) !== 0;
}

describeEachBackend('schema editor', (ctx) => {
  const conn = () => ctx.connection;
  const q = (name: string): string => conn().ops.quoteName(name);
  const edit = <T>(
    fn: (e: BaseDatabaseSchemaEditor) => Promise<T>,
    options?: SchemaEditorOptions,
  ): Promise<T> => conn().schemaEditor(fn, options);
  const drop = (...names: string[]): Promise<void> =>
    edit(async (e) => {
      for (const name of names) await e.dropTable(name, { ifExists: true });
    });
  const rows = async <R = Record<string, unknown>>(sql: string, params?: unknown[]) =>
    (await conn().execute<R>(sql, params)).rows;
  const insert = (table: string, values: Record<string, unknown>) => {
    const cols = Object.keys(values);
    return conn().execute(
      `INSERT INTO ${q(table)} (${cols.map(q).join(', ')}) VALUES (${cols.map(() => '%s').join(', ')})`,
      Object.values(values),
    );
  };
  const describe = async (table: string, column: string) =>
    (await conn().introspection.getTableDescription(table)).find((c) => c.name === column);
  const constraintsOn = async (table: string, columns: string[]) =>
    Object.entries(await conn().introspection.getConstraints(table)).filter(
      ([, c]) => JSON.stringify(c.columns) === JSON.stringify(columns),
    );
  const ID: ColumnDef = { name: 'id', type: 'BigAutoField', primaryKey: true };

  test('a table of every type stores and returns each value', async () => {
    const T = 'schema_t_values';
    await drop(T);
    const f = conn().features;
    await edit((e) => e.createTable({ name: T, columns: [ID, ...VALUE_COLUMNS] }));
    const values: Record<string, unknown> = {
      c_char: 'héllo',
      c_slug: 'a-slug',
      c_text: TEXT,
      c_int: -2_000_000_000,
      c_big: 2 ** 40,
      c_small: -32_000,
      c_pint: 4_000_000,
      c_pbig: 2 ** 41,
      c_psmall: 32_000,
      c_float: 1.5,
      c_dec: '12345678.90',
      c_bool: true,
      c_date: '2024-02-29',
      c_dt: DATETIME,
      c_time: '13:14:15',
      c_dur: f.hasNativeDurationField ? '1 day 02:00:00' : 93_600_000_000,
      c_uuid: f.hasNativeUuidField ? UUID : UUID.replace(/-/g, ''),
      c_json: JSON.stringify({ a: [1, 'x'], b: null }),
      c_bin: BYTES,
      c_ip: '192.0.2.1',
    };
    try {
      await insert(T, values);
      await insert(T, { ...values, c_json: null, c_bool: false });
      const [row, second] = await rows(`SELECT * FROM ${q(T)} ORDER BY ${q('id')}`);
      assert.ok(row && second);
      assert.equal(Number(row.id), 1);
      assert.equal(Number(second.id), 2);
      assert.equal(row.c_char, 'héllo');
      assert.equal(row.c_slug, 'a-slug');
      assert.equal(row.c_text, TEXT);
      for (const c of ['c_int', 'c_big', 'c_small', 'c_pint', 'c_pbig', 'c_psmall', 'c_float']) {
        assert.equal(Number(row[c]), values[c], c);
      }
      assert.equal(Number(row.c_dec), 12345678.9);
      assert.equal(asBool(row.c_bool), true);
      assert.equal(asBool(second.c_bool), false);
      assert.equal(String(row.c_date).slice(0, 10), '2024-02-29');
      assert.equal(asDate(row.c_dt).getTime(), DATETIME.getTime());
      assert.equal(String(row.c_time).slice(0, 8), '13:14:15');
      if (f.hasNativeDurationField) {
        const d = row.c_dur as { days?: number; hours?: number };
        assert.deepEqual([d.days, d.hours], [1, 2]);
      } else {
        assert.equal(Number(row.c_dur), 93_600_000_000);
      }
      assert.equal(row.c_uuid, values.c_uuid);
      assert.deepEqual(asJson(row.c_json), { a: [1, 'x'], b: null });
      assert.equal(second.c_json, null);
      assert.ok(Buffer.isBuffer(row.c_bin));
      assert.deepEqual(row.c_bin, BYTES);
      assert.equal(row.c_ip, '192.0.2.1');
      // The positive types refuse negatives (a CHECK, or UNSIGNED's range).
      await assert.rejects(insert(T, { ...values, c_pint: -1 }), DatabaseError);
      // Not JSON: refused by jsonb, the json type or the JSON_VALID check.
      await assert.rejects(insert(T, { ...values, c_json: '{not json' }), DatabaseError);
    } finally {
      await drop(T);
    }
  });

  test('AutoField and SmallAutoField number new rows', async () => {
    const T1 = 'schema_t_auto';
    const T2 = 'schema_t_auto_small';
    await drop(T1, T2);
    const name: ColumnDef = { name: 'name', type: 'CharField', maxLength: 10 };
    await edit(async (e) => {
      await e.createTable({ name: T1, columns: [{ name: 'id', type: 'AutoField' }, name] });
      await e.createTable({ name: T2, columns: [{ name: 'id', type: 'SmallAutoField' }, name] });
    });
    try {
      for (const t of [T1, T2]) {
        await insert(t, { name: 'a' });
        await insert(t, { name: 'b' });
        const got = await rows<{ id: unknown }>(`SELECT ${q('id')} FROM ${q(t)} ORDER BY 1`);
        assert.deepEqual(
          got.map((r) => Number(r.id)),
          [1, 2],
        );
        // An explicit id beyond the sequence is accepted.
        await insert(t, { id: 10, name: 'c' });
      }
    } finally {
      await drop(T1, T2);
    }
  });

  test('addColumn with a default fills existing rows, then keeps no database default', async () => {
    const T = 'schema_t_add';
    await drop(T);
    await edit((e) =>
      e.createTable({ name: T, columns: [ID, { name: 'name', type: 'CharField', maxLength: 20 }] }),
    );
    try {
      await insert(T, { name: 'one' });
      await insert(T, { name: 'two' });
      const note = "it's \\ here; DROP TABLE x; --";
      await edit(async (e) => {
        await e.addColumn(T, { name: 'score', type: 'IntegerField', default: 42 });
        await e.addColumn(T, { name: 'note', type: 'CharField', maxLength: 40, default: note });
        await e.addColumn(T, { name: 'body', type: 'TextField', default: 'long text' });
        await e.addColumn(T, { name: 'flag', type: 'BooleanField', default: true });
        await e.addColumn(T, { name: 'data', type: 'JSONField', default: { a: 1 } });
        await e.addColumn(T, { name: 'maybe', type: 'IntegerField', null: true, default: 5 });
        await e.addColumn(T, { name: 'empty', type: 'IntegerField', null: true });
      });
      const got = await rows(`SELECT * FROM ${q(T)} ORDER BY ${q('id')}`);
      assert.equal(got.length, 2);
      for (const r of got) {
        assert.equal(Number(r.score), 42);
        assert.equal(r.note, note);
        assert.equal(r.body, 'long text');
        assert.equal(asBool(r.flag), true);
        assert.deepEqual(asJson(r.data), { a: 1 });
        assert.equal(Number(r.maybe), 5);
        assert.equal(r.empty, null);
      }
      for (const column of ['score', 'note', 'body', 'flag', 'data', 'maybe']) {
        const desc = await describe(T, column);
        assert.ok(desc, column);
        assert.equal(desc.default, null, `${column} keeps no database default`);
      }
      assert.equal((await describe(T, 'score'))?.nullable, false);
      assert.equal((await describe(T, 'maybe'))?.nullable, true);
      // Without a default, a new row must give the NOT NULL column a value.
      await assert.rejects(
        conn().execute(
          `INSERT INTO ${q(T)} (${q('name')}, ${q('note')}, ${q('body')}, ${q('flag')}, ${q('data')}) ` +
            'VALUES (%s, %s, %s, %s, %s)',
          ['three', 'n', 'b', true, '{}'],
        ),
        DatabaseError,
      );
    } finally {
      await drop(T);
    }
  });

  test('removeColumn and renameColumn keep the other data', async () => {
    const T = 'schema_t_cols';
    await drop(T);
    await edit((e) =>
      e.createTable({
        name: T,
        columns: [
          ID,
          { name: 'a', type: 'CharField', maxLength: 20 },
          { name: 'b', type: 'IntegerField' },
          { name: 'c', type: 'IntegerField', dbIndex: true },
          { name: 'd', type: 'IntegerField', unique: true },
        ],
      }),
    );
    try {
      await insert(T, { a: 'x', b: 1, c: 10, d: 100 });
      await insert(T, { a: 'y', b: 2, c: 20, d: 200 });
      await edit(async (e) => {
        await e.renameColumn(T, 'a', 'title');
        await e.removeColumn(T, 'b');
        await e.removeColumn(T, 'c');
      });
      const got = await rows<{ title: string; d: unknown }>(
        `SELECT * FROM ${q(T)} ORDER BY ${q('id')}`,
      );
      assert.deepEqual(
        got.map((r) => [r.title, Number(r.d)]),
        [
          ['x', 100],
          ['y', 200],
        ],
      );
      assert.deepEqual(Object.keys(got[0]!).sort(), ['d', 'id', 'title']);
      assert.deepEqual(
        (await conn().introspection.getTableDescription(T)).map((c) => c.name),
        ['id', 'title', 'd'],
      );
      // The index of the dropped column went with it; the unique constraint stays.
      assert.equal((await constraintsOn(T, ['c'])).length, 0);
      await assert.rejects(insert(T, { title: 'z', d: 100 }), IntegrityError);
      // A unique column can be dropped too.
      await edit((e) => e.removeColumn(T, 'd'));
      assert.equal(await describe(T, 'd'), undefined);
      assert.equal((await rows(`SELECT * FROM ${q(T)}`)).length, 2);
    } finally {
      await drop(T);
    }
  });

  test('alterColumn changes length, nullability, type and uniqueness with rows present', async () => {
    const T = 'schema_t_alter';
    await drop(T);
    const name: ColumnDef = { name: 'name', type: 'CharField', maxLength: 10 };
    const qty: ColumnDef = { name: 'qty', type: 'IntegerField', null: true };
    const n: ColumnDef = { name: 'n', type: 'IntegerField' };
    await edit((e) => e.createTable({ name: T, columns: [ID, name, qty, n] }));
    try {
      await insert(T, { name: 'abc', qty: null, n: 5 });
      await insert(T, { name: 'defghij', qty: 3, n: 2 ** 31 - 1 });

      const longer = { ...name, maxLength: 200 };
      const notNull = { ...qty, null: false, default: 0 };
      const big: ColumnDef = { ...n, type: 'BigIntegerField' };
      await edit(async (e) => {
        await e.alterColumn(T, name, longer);
        await e.alterColumn(T, qty, notNull);
        await e.alterColumn(T, n, big);
      });
      const got = await rows<{ name: string; qty: unknown; n: unknown }>(
        `SELECT * FROM ${q(T)} ORDER BY ${q('id')}`,
      );
      assert.deepEqual(
        got.map((r) => [r.name, Number(r.qty), Number(r.n)]),
        [
          ['abc', 0, 5],
          ['defghij', 3, 2 ** 31 - 1],
        ],
      );
      const intro = conn().introspection;
      const nameDesc = await describe(T, 'name');
      assert.equal(nameDesc?.maxLength, 200);
      const qtyDesc = await describe(T, 'qty');
      assert.equal(qtyDesc?.nullable, false);
      assert.equal(qtyDesc?.default, null);
      assert.equal(intro.getFieldType((await describe(T, 'n'))!), 'BigIntegerField');
      await insert(T, { name: 'x'.repeat(150), qty: 1, n: 2 ** 40 });
      await assert.rejects(insert(T, { name: 'null qty', qty: null, n: 1 }), IntegrityError);

      // Unique on, then off again.
      const uniqueName = { ...longer, unique: true };
      await edit((e) => e.alterColumn(T, longer, uniqueName));
      await assert.rejects(insert(T, { name: 'abc', qty: 1, n: 1 }), IntegrityError);
      await edit((e) => e.alterColumn(T, uniqueName, longer));
      await insert(T, { name: 'abc', qty: 1, n: 1 });

      // Positive: the type's CHECK comes and goes with the type.
      const positive: ColumnDef = { ...big, type: 'PositiveBigIntegerField' };
      await edit((e) => e.alterColumn(T, big, positive));
      await assert.rejects(insert(T, { name: 'neg', qty: 1, n: -1 }), DatabaseError);
      await edit((e) => e.alterColumn(T, positive, big));
      await insert(T, { name: 'neg', qty: 1, n: -1 });
      assert.equal((await rows(`SELECT * FROM ${q(T)}`)).length, 5);

      // null again: NULL is accepted.
      await edit((e) => e.alterColumn(T, notNull, qty));
      await insert(T, { name: 'null qty', qty: null, n: 1 });
    } finally {
      await drop(T);
    }
  });

  test('alterColumn keeps the rows, indexes and constraints it does not touch', async () => {
    const P = 'schema_t_keep_parent';
    const T = 'schema_t_keep';
    await drop(T, P);
    const label: ColumnDef = { name: 'label', type: 'CharField', maxLength: 10, dbIndex: true };
    const price: ColumnDef = { name: 'price', type: 'IntegerField' };
    const def: TableDef = {
      name: T,
      columns: [
        ID,
        label,
        price,
        { name: 'parent_id', type: 'BigIntegerField', references: { table: P, column: 'id' } },
        { name: 'code', type: 'CharField', maxLength: 5, unique: true },
      ],
      constraints: [
        { kind: 'check', name: 'schema_t_keep_price_gte_0', check: `${q('price')} >= 0` },
      ],
      indexes: [{ name: 'schema_t_keep_lp', columns: ['label', '-price'] }],
    };
    await edit(async (e) => {
      await e.createTable({ name: P, columns: [ID] });
      await e.createTable(def);
    });
    try {
      await insert(P, { id: 1 });
      await insert(T, { label: 'a', price: 1, parent_id: 1, code: 'A' });
      const before = await conn().introspection.getConstraints(T);
      await edit((e) => e.alterColumn(T, price, { ...price, type: 'BigIntegerField' }));
      const after = await conn().introspection.getConstraints(T);
      assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort());
      assert.deepEqual(after.schema_t_keep_lp?.columns, ['label', 'price']);
      assert.equal((await rows(`SELECT * FROM ${q(T)}`)).length, 1);
      await assert.rejects(
        insert(T, { label: 'b', price: -1, parent_id: 1, code: 'B' }),
        IntegrityError,
      );
      await assert.rejects(
        insert(T, { label: 'c', price: 1, parent_id: 1, code: 'A' }),
        IntegrityError,
      );
      await assert.rejects(
        atomic(() => insert(T, { label: 'd', price: 1, parent_id: 99, code: 'D' })),
        IntegrityError,
      );
    } finally {
      await drop(T, P);
    }
  });

  test('addIndex, renameIndex and removeIndex', async () => {
    const T = 'schema_t_idx';
    await drop(T);
    await edit((e) =>
      e.createTable({
        name: T,
        columns: [
          ID,
          { name: 'a', type: 'IntegerField' },
          { name: 'b', type: 'CharField', maxLength: 10 },
        ],
      }),
    );
    try {
      await insert(T, { a: 1, b: 'x' });
      const intro = conn().introspection;
      await edit((e) => e.addIndex(T, { name: 'schema_t_idx_ab', columns: ['-a', 'b'] }));
      let c = await intro.getConstraints(T);
      assert.deepEqual(c.schema_t_idx_ab?.columns, ['a', 'b']);
      assert.deepEqual(c.schema_t_idx_ab?.orders, ['DESC', 'ASC']);
      assert.equal(c.schema_t_idx_ab?.index, true);
      assert.equal(c.schema_t_idx_ab?.unique, false);

      await edit((e) => e.renameIndex(T, 'schema_t_idx_ab', 'schema_t_idx_ab2'));
      c = await intro.getConstraints(T);
      assert.equal(c.schema_t_idx_ab, undefined);
      assert.deepEqual(c.schema_t_idx_ab2?.columns, ['a', 'b']);

      await edit((e) => e.removeIndex(T, 'schema_t_idx_ab2'));
      c = await intro.getConstraints(T);
      assert.equal(c.schema_t_idx_ab2, undefined);

      await edit((e) => e.addIndex(T, { name: 'schema_t_idx_u', columns: ['a'], unique: true }));
      await assert.rejects(insert(T, { a: 1, b: 'y' }), IntegrityError);
      await edit((e) => e.removeIndex(T, 'schema_t_idx_u'));
      await insert(T, { a: 1, b: 'y' });
    } finally {
      await drop(T);
    }
  });

  test('a partial unique index applies only where its condition holds', async (t) => {
    if (!conn().features.supportsPartialIndexes) {
      t.skip('no partial indexes');
      return;
    }
    const T = 'schema_t_partial';
    await drop(T);
    await edit((e) =>
      e.createTable({
        name: T,
        columns: [
          ID,
          { name: 'email', type: 'CharField', maxLength: 50 },
          { name: 'active', type: 'BooleanField' },
        ],
        constraints: [
          {
            kind: 'unique',
            name: 'schema_t_partial_active_email',
            columns: ['email'],
            condition: `${q('active')} = ${e.quoteValue(true)}`,
          },
        ],
      }),
    );
    try {
      await insert(T, { email: 'a@x', active: false });
      await insert(T, { email: 'a@x', active: false });
      await insert(T, { email: 'a@x', active: true });
      await assert.rejects(insert(T, { email: 'a@x', active: true }), IntegrityError);
      const c = await conn().introspection.getConstraints(T);
      assert.equal(c.schema_t_partial_active_email?.unique, true);
      await edit((e) =>
        e.removeConstraint(T, {
          kind: 'unique',
          name: 'schema_t_partial_active_email',
          columns: ['email'],
          condition: 'true',
        }),
      );
      await insert(T, { email: 'a@x', active: true });
    } finally {
      await drop(T);
    }
  });

  test('unique and check constraints are added, enforced and removed', async () => {
    const T = 'schema_t_cons';
    await drop(T);
    await edit((e) =>
      e.createTable({
        name: T,
        columns: [ID, { name: 'a', type: 'IntegerField' }, { name: 'b', type: 'IntegerField' }],
      }),
    );
    try {
      await insert(T, { a: 1, b: 1 });
      await edit(async (e) => {
        await e.addConstraint(T, { kind: 'unique', name: 'schema_t_cons_ab', columns: ['a', 'b'] });
        await e.addConstraint(T, {
          kind: 'check',
          name: 'schema_t_cons_a_lt_b',
          check: `${q('a')} <= ${q('b')}`,
        });
      });
      const c = await conn().introspection.getConstraints(T);
      assert.equal(c.schema_t_cons_ab?.unique, true);
      assert.deepEqual(c.schema_t_cons_ab?.columns, ['a', 'b']);
      assert.equal(c.schema_t_cons_a_lt_b?.check, true);
      await assert.rejects(insert(T, { a: 1, b: 1 }), IntegrityError);
      await assert.rejects(insert(T, { a: 5, b: 2 }), IntegrityError);
      assert.equal((await rows(`SELECT * FROM ${q(T)}`)).length, 1);

      // By name (introspected), and by definition.
      await edit(async (e) => {
        await e.removeConstraint(T, 'schema_t_cons_ab');
        await e.removeConstraint(T, {
          kind: 'check',
          name: 'schema_t_cons_a_lt_b',
          check: 'unused',
        });
      });
      await insert(T, { a: 1, b: 1 });
      await insert(T, { a: 5, b: 2 });
      await assert.rejects(
        edit((e) => e.removeConstraint(T, 'schema_t_cons_missing')),
        ProgrammingError,
      );
      assert.equal((await rows(`SELECT * FROM ${q(T)}`)).length, 3);
    } finally {
      await drop(T);
    }
  });

  test('foreign keys are enforced (at commit where deferrable)', async () => {
    const P = 'schema_t_fk_parent';
    const C = 'schema_t_fk_child';
    await drop(C, P);
    const deferrable = ctx.connection.features.canDeferConstraintChecks;
    await edit(async (e) => {
      // The child first: its foreign key must wait for the parent table.
      await e.createTable({
        name: C,
        columns: [
          ID,
          { name: 'parent_id', type: 'BigIntegerField', references: { table: P, column: 'id' } },
          { name: 'other_id', type: 'BigIntegerField', null: true },
        ],
      });
      await e.createTable({ name: P, columns: [ID] });
    });
    try {
      await insert(P, { id: 1 });
      await insert(C, { parent_id: 1 });
      const relations = await conn().introspection.getRelations(C);
      assert.deepEqual(relations, { parent_id: [P, 'id'] });

      let inserted = false;
      await assert.rejects(
        atomic(async () => {
          await insert(C, { parent_id: 99 });
          inserted = true;
        }),
        IntegrityError,
      );
      // Deferrable: the row went in and the commit refused it; otherwise the INSERT did.
      assert.equal(inserted, deferrable);
      if (deferrable) {
        // A child may come before its parent inside one transaction.
        await atomic(async () => {
          await insert(C, { parent_id: 2 });
          await insert(P, { id: 2 });
        });
      }

      // A foreign key added later, then removed.
      const name = await edit((e) => e.addForeignKey(C, 'other_id', P, 'id'));
      assert.match(name, /^schema_t_fk_child_other_id_[0-9a-f]{8}_fk_schema_t_fk_parent_id$/);
      const c = await conn().introspection.getConstraints(C);
      assert.deepEqual(c[name]?.foreignKey, [P, 'id']);
      await assert.rejects(
        atomic(() => insert(C, { parent_id: 1, other_id: 77 })),
        IntegrityError,
      );
      await edit((e) => e.removeConstraint(C, name));
      await insert(C, { parent_id: 1, other_id: 77 });
      assert.deepEqual(await conn().introspection.getRelations(C), { parent_id: [P, 'id'] });
    } finally {
      await drop(C, P);
    }
  });

  for (const atomicEditor of [true, false]) {
    test(`altering a referenced table keeps its references (atomic editor: ${atomicEditor})`, async () => {
      const P = 'schema_t_ref_parent';
      const C = 'schema_t_ref_child';
      const C2 = 'schema_t_ref_child_raw';
      await drop(C2, C, P);
      const name: ColumnDef = { name: 'name', type: 'CharField', maxLength: 10 };
      await edit(async (e) => {
        await e.createTable({
          name: P,
          columns: [
            ID,
            name,
            {
              name: 'up_id',
              type: 'BigIntegerField',
              null: true,
              references: { table: P, column: 'id' },
            },
          ],
        });
        await e.createTable({
          name: C,
          columns: [
            ID,
            { name: 'parent_id', type: 'BigIntegerField', references: { table: P, column: 'id' } },
          ],
        });
      });
      try {
        const idOf = async (label: string): Promise<number> => {
          const [r] = await rows<{ id: unknown }>(
            `SELECT ${q('id')} FROM ${q(P)} WHERE ${q('name')} = %s`,
            [label],
          );
          return Number(r!.id);
        };
        await insert(P, { name: 'root', up_id: null });
        const root = await idOf('root');
        await insert(P, { name: 'leaf', up_id: root });
        const leaf = await idOf('leaf');
        await insert(C, { parent_id: leaf });
        // A table made elsewhere, whose foreign key is checked immediately.
        await conn().execute(
          `CREATE TABLE ${q(C2)} (${q('id')} integer PRIMARY KEY, ${q('p')} bigint NOT NULL, ` +
            `FOREIGN KEY (${q('p')}) REFERENCES ${q(P)} (${q('id')}))`,
        );
        await insert(C2, { id: 1, p: leaf });
        // A deleted row: its id must not be handed out again.
        await insert(P, { name: 'gone' });
        const gone = await idOf('gone');
        await conn().execute(`DELETE FROM ${q(P)} WHERE ${q('name')} = %s`, ['gone']);
        await edit(
          async (e) => {
            await e.addColumn(P, { name: 'rank', type: 'IntegerField', default: 0 });
            await e.alterColumn(P, name, { ...name, maxLength: 40, unique: true });
          },
          { atomic: atomicEditor },
        );
        const got = await rows<{ id: unknown; up_id: unknown; rank: unknown }>(
          `SELECT * FROM ${q(P)} ORDER BY ${q('id')}`,
        );
        assert.deepEqual(
          got.map((r) => [Number(r.id), r.up_id === null ? null : Number(r.up_id), Number(r.rank)]),
          [
            [root, null, 0],
            [leaf, root, 0],
          ],
        );
        assert.deepEqual(await conn().introspection.getRelations(C), { parent_id: [P, 'id'] });
        assert.deepEqual(await conn().introspection.getRelations(P), { up_id: [P, 'id'] });
        await assert.rejects(
          atomic(() => insert(C, { parent_id: 42 })),
          IntegrityError,
        );
        await assert.rejects(
          atomic(() => insert(P, { name: 'x', up_id: 42, rank: 0 })),
          IntegrityError,
        );
        await assert.rejects(insert(P, { name: 'leaf', rank: 0 }), IntegrityError);
        await insert(P, { name: 'new', rank: 1 });
        assert.ok((await idOf('new')) > gone);
        await assert.rejects(insert(C2, { id: 2, p: 42 }), IntegrityError);
      } finally {
        await drop(C2, C, P);
      }
    });
  }

  test('a constraint the database named can be removed by its introspected name', async () => {
    const T = 'schema_t_unnamed';
    await drop(T);
    await edit((e) =>
      e.createTable({
        name: T,
        columns: [ID, { name: 'code', type: 'CharField', maxLength: 5, unique: true }],
      }),
    );
    try {
      await insert(T, { code: 'a' });
      await assert.rejects(insert(T, { code: 'a' }), IntegrityError);
      const [[name] = []] = await constraintsOn(T, ['code']);
      assert.ok(name);
      await edit((e) => e.removeConstraint(T, name));
      await insert(T, { code: 'a' });
      assert.deepEqual(await constraintsOn(T, ['code']), []);
    } finally {
      await drop(T);
    }
  });

  test('renameTable keeps rows; deferred statements follow renames and drops', async () => {
    const A = 'schema_t_ren_a';
    const B = 'schema_t_ren_b';
    const X = 'schema_t_ren_x';
    await drop(A, B, X);
    try {
      await edit(async (e) => {
        await e.createTable({
          name: A,
          columns: [ID, { name: 'v', type: 'IntegerField', dbIndex: true }],
        });
        // Its index is still deferred: it must land on the new name.
        await e.renameTable(A, B);
        await e.renameColumn(B, 'v', 'w');
        await e.createTable({
          name: X,
          columns: [ID, { name: 'v', type: 'IntegerField', dbIndex: true }],
        });
        await e.dropTable(X);
      });
      const names = await conn().introspection.tableNames();
      assert.ok(names.includes(B));
      assert.ok(!names.includes(A));
      assert.ok(!names.includes(X));
      const idx = Object.values(await conn().introspection.getConstraints(B)).filter(
        (c) => c.index && !c.primaryKey,
      );
      assert.deepEqual(
        idx.map((c) => c.columns),
        [['w']],
      );
      await insert(B, { w: 3 });
      await edit((e) => e.renameTable(B, A));
      assert.deepEqual(
        (await rows<{ w: unknown }>(`SELECT ${q('w')} FROM ${q(A)}`)).map((r) => Number(r.w)),
        [3],
      );
    } finally {
      await drop(A, B, X);
    }
  });

  test('collectSql returns the statements without running them', async () => {
    const T = 'schema_t_collect';
    await drop(T);
    const sql = await edit(
      async (e) => {
        await e.createTable({
          name: T,
          columns: [ID, { name: 'v', type: 'IntegerField', dbIndex: true }],
        });
        return e.collectedSql;
      },
      { collectSql: true },
    );
    assert.ok(sql.some((s) => s.startsWith(`CREATE TABLE ${q(T)}`)));
    // The deferred index is collected too, after the table.
    assert.ok(sql.findIndex((s) => s.startsWith('CREATE INDEX')) > 0);
    assert.ok(!(await conn().introspection.tableNames()).includes(T));

    // Changes to an existing table are collected, not made.
    const v: ColumnDef = { name: 'v', type: 'IntegerField', null: true };
    await edit((e) => e.createTable({ name: T, columns: [ID, v] }));
    try {
      await insert(T, { v: null });
      const altered = await edit(
        async (e) => {
          await e.alterColumn(T, v, { ...v, type: 'BigIntegerField', null: false, default: 1 });
          await e.addColumn(T, { name: 'w', type: 'IntegerField', default: 2 });
          await e.removeColumn(T, 'v');
          return e.collectedSql;
        },
        { collectSql: true },
      );
      assert.ok(altered.length >= 3);
      const desc = await conn().introspection.getTableDescription(T);
      assert.deepEqual(
        desc.map((d) => [d.name, d.nullable]),
        [
          ['id', false],
          ['v', true],
        ],
      );
      assert.deepEqual(
        (await rows<{ v: unknown }>(`SELECT ${q('v')} FROM ${q(T)}`)).map((r) => r.v),
        [null],
      );
    } finally {
      await drop(T);
    }
  });

  test('identifiers with quotes, backticks and spaces are quoted safely', async () => {
    const names = ['schema_t_we"ird', 'schema_t_we`ird', 'schema_t_sp ace'];
    const [P, C, S] = names as [string, string, string];
    await drop(C, S, P);
    try {
      await edit(async (e) => {
        await e.createTable({
          name: P,
          columns: [
            { name: 'i"d', type: 'BigAutoField' },
            { name: 'na`me', type: 'CharField', maxLength: 20, unique: true, dbIndex: true },
          ],
          constraints: [{ kind: 'check', name: 'ch"k`x', check: `${q('na`me')} <> ''` }],
          indexes: [{ name: 'in"d`x y', columns: ['-na`me'] }],
        });
        await e.createTable({
          name: C,
          columns: [
            { name: 'id', type: 'BigAutoField' },
            { name: 'pa"rent', type: 'BigIntegerField', references: { table: P, column: 'i"d' } },
            { name: 'so me', type: 'IntegerField', dbIndex: true },
          ],
        });
        await e.createTable({ name: S, columns: [{ name: 'id', type: 'BigAutoField' }] });
      });
      await insert(P, { 'i"d': 1, 'na`me': "O'Brien" });
      await insert(C, { 'pa"rent': 1, 'so me': 2 });
      await assert.rejects(insert(P, { 'i"d': 2, 'na`me': '' }), IntegrityError);
      await edit(async (e) => {
        await e.addColumn(C, { name: 'ex"tra`', type: 'IntegerField', default: 1 });
        await e.renameColumn(C, 'so me', 'so`me');
        await e.alterColumn(
          C,
          { name: 'so`me', type: 'IntegerField', dbIndex: true },
          { name: 'so`me', type: 'BigIntegerField', null: true },
        );
        await e.renameIndex(P, 'in"d`x y', 'in"d`x z');
        await e.renameTable(S, 'schema_t_sp ace"2');
        await e.renameTable('schema_t_sp ace"2', S);
      });
      const desc = await conn().introspection.getTableDescription(C);
      assert.deepEqual(
        desc.map((c) => c.name),
        ['id', 'pa"rent', 'so`me', 'ex"tra`'],
      );
      assert.deepEqual(await conn().introspection.getRelations(C), { 'pa"rent': [P, 'i"d'] });
      const got = await rows(`SELECT * FROM ${q(C)}`);
      assert.deepEqual(
        got.map((r) => [Number(r['pa"rent']), Number(r['so`me']), Number(r['ex"tra`'])]),
        [[1, 2, 1]],
      );
      assert.ok((await conn().introspection.getConstraints(P))['in"d`x z']);
    } finally {
      await drop(C, S, P);
    }
  });

  test('quoteValue writes literals the database reads back exactly', async () => {
    const values: unknown[] = [
      "it's",
      "back\\slash \\' \\\\",
      "'; DROP TABLE x; --",
      'ünïcødé ✓',
      '',
      0,
      -12.5,
      null,
    ];
    const editor = await edit(async (e) => e, { collectSql: true });
    for (const v of values) {
      const [row] = await rows<{ v: unknown }>(`SELECT ${editor.quoteValue(v)} AS v`);
      const got = row?.v;
      if (typeof v === 'number') assert.equal(Number(got), v);
      else assert.equal(got, v);
    }
    // Beyond 2^53: checked in SQL, since drivers may read it back as a double.
    const [big] = await rows<{ v: unknown }>(
      `SELECT ${editor.quoteValue(2n ** 62n + 3n)} - 4611686018427387900 AS v`,
    );
    assert.equal(Number(big!.v), 7);
    const [bytes] = await rows<{ v: unknown }>(`SELECT ${editor.quoteValue(BYTES)} AS v`);
    assert.deepEqual(Buffer.from(bytes!.v as Uint8Array), BYTES);
    const [bool] = await rows<{ v: unknown }>(`SELECT ${editor.quoteValue(true)} AS v`);
    assert.equal(asBool(bool!.v), true);
    for (const bad of [{}, [1], undefined, Number.NaN, Infinity, () => 1, Symbol('x')]) {
      assert.throws(() => editor.quoteValue(bad), DatabaseError);
    }
  });

  test('generated names follow Django and fit the backend', async () => {
    const editor = await edit(async (e) => e, { collectSql: true });
    const max = conn().features.maxNameLength;
    // Same input, same name; the hashes are those Django computes (md5 of the names).
    assert.equal(
      editor.foreignKeyName('library_book', 'author_id', 'library_author', 'id'),
      'library_book_author_id_d9a3b67e_fk_library_author_id',
    );
    assert.equal(editor.createIndexName('library_book', ['title']), 'library_book_title_fccd0c46');
    const long = editor.createIndexName('t'.repeat(300), ['c'.repeat(300)], '_uniq');
    assert.ok(Buffer.byteLength(long) <= max);
    assert.equal(long, editor.createIndexName('t'.repeat(300), ['c'.repeat(300)], '_uniq'));
    assert.notEqual(
      long,
      editor.createIndexName('t'.repeat(300), ['c'.repeat(299) + 'd'], '_uniq'),
    );
  });

  test('columnSql and dbType come from the backend data', async () => {
    const editor = await edit(async (e) => e, { collectSql: true });
    assert.throws(() => editor.dbType({ name: 'x', type: 'CharField' }), ProgrammingError);
    assert.throws(
      () => editor.dbType({ name: 'x', type: 'CharField', maxLength: '1); DROP' as never }),
      ProgrammingError,
    );
    const sql = editor.columnSql({ name: 'qty', type: 'PositiveIntegerField', unique: true });
    assert.ok(sql.startsWith(editor.dbType({ name: 'qty', type: 'PositiveIntegerField' })));
    assert.match(sql, /NOT NULL UNIQUE/);
    assert.ok(sql.includes(`CHECK (${q('qty')} >= 0)`));
    const auto = editor.columnSql({ name: 'id', type: 'AutoField' });
    assert.match(auto, /NOT NULL PRIMARY KEY/);
    assert.ok(auto.endsWith(editor.dataTypesSuffix.AutoField!));
  });
});
