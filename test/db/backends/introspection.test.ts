/**
 * Introspection, run on every backend: tables created by the schema editor
 * are read back (types, nullability, keys, constraints, indexes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import { ProgrammingError } from '../../../src/db/errors.js';
import type { ConstraintInfo } from '../../../src/db/backends/base/introspection.js';
import {
  INTERNAL_TYPES,
  type BaseDatabaseSchemaEditor,
  type ColumnDef,
  type InternalType,
  type TableDef,
} from '../../../src/db/backends/base/schema.js';

const PARENT = 'schema_t_i_parent';
const SMALL = 'schema_t_i_small';
const ALL = 'schema_t_i_all';

/** A column for every internal type (the auto ones are primary keys of the three tables). */
const TYPED_COLUMNS: ColumnDef[] = INTERNAL_TYPES.filter(
  (t) => !['AutoField', 'BigAutoField', 'SmallAutoField'].includes(t),
).map((type) => ({
  name: `c_${type.replace('Field', '').toLowerCase()}`,
  type,
  maxLength: 30,
  maxDigits: 10,
  decimalPlaces: 2,
  // Every other column nullable, so both kinds are read back.
  null: INTERNAL_TYPES.indexOf(type) % 2 === 0,
}));

describeEachBackend('introspection', (ctx) => {
  const conn = () => ctx.connection;
  const q = (name: string): string => conn().ops.quoteName(name);
  const edit = <T>(fn: (e: BaseDatabaseSchemaEditor) => Promise<T>): Promise<T> =>
    conn().schemaEditor(fn);
  const find = (
    constraints: Record<string, ConstraintInfo>,
    pred: (c: ConstraintInfo) => boolean,
  ): [string, ConstraintInfo][] => Object.entries(constraints).filter(([, c]) => pred(c));
  const cols = (c: ConstraintInfo, columns: string[]): boolean =>
    JSON.stringify(c.columns) === JSON.stringify(columns);

  const table = (): TableDef => ({
    name: ALL,
    columns: [
      { name: 'id', type: 'BigAutoField', primaryKey: true },
      ...TYPED_COLUMNS,
      {
        name: 'c_fk',
        type: 'IntegerField',
        null: true,
        references: { table: PARENT, column: 'id' },
      },
      { name: 'c_uniq', type: 'CharField', maxLength: 20, unique: true },
      { name: 'c_idx', type: 'IntegerField', dbIndex: true },
    ],
    constraints: [
      { kind: 'check', name: 'schema_t_i_all_int_lt', check: `${q('c_integer')} < 1000` },
      { kind: 'unique', name: 'schema_t_i_all_pair', columns: ['c_char', 'c_slug'] },
    ],
    indexes: [
      { name: 'schema_t_i_all_desc', columns: ['-c_date', 'c_time'] },
      { name: 'schema_t_i_all_part', columns: ['c_float'], condition: `${q('c_float')} > 0` },
    ],
  });

  const dropAll = () =>
    edit(async (e) => {
      for (const t of [ALL, SMALL, PARENT]) await e.dropTable(t, { ifExists: true });
    });

  test('setup: create the tables', async () => {
    await dropAll();
    await edit(async (e) => {
      await e.createTable({
        name: PARENT,
        columns: [
          { name: 'id', type: 'AutoField', primaryKey: true },
          { name: 'name', type: 'CharField', maxLength: 10 },
        ],
      });
      await e.createTable({ name: SMALL, columns: [{ name: 'id', type: 'SmallAutoField' }] });
      await e.createTable(table());
    });
  });

  test('tableNames lists the new tables', async () => {
    const names = await conn().introspection.tableNames();
    for (const t of [PARENT, SMALL, ALL]) assert.ok(names.includes(t), t);
  });

  test('getTableDescription: every type, nullability and primary key read back', async () => {
    const intro = conn().introspection;
    const desc = await intro.getTableDescription(ALL);
    const def = table();
    assert.deepEqual(
      desc.map((d) => d.name),
      def.columns.map((c) => c.name),
    );
    const expected = (type: InternalType): InternalType =>
      intro.introspectedFieldTypes[type] ?? type;
    for (const col of def.columns) {
      const d = desc.find((x) => x.name === col.name)!;
      assert.equal(intro.getFieldType(d), expected(col.type), `${col.name}: ${d.dataType}`);
      assert.equal(d.nullable, !!col.null, `${col.name} nullable`);
      assert.equal(d.primaryKey, col.name === 'id', `${col.name} primary key`);
      assert.equal(d.default, null, `${col.name} has no default`);
    }
    assert.equal(desc.find((d) => d.name === 'c_char')?.maxLength, 30);
    assert.equal(desc.find((d) => d.name === 'c_uniq')?.maxLength, 20);
    assert.equal(desc.find((d) => d.name === 'id')?.autoIncrement, true);
    assert.equal(desc.find((d) => d.name === 'c_integer')?.autoIncrement, false);

    const [parentId] = await intro.getTableDescription(PARENT);
    assert.equal(intro.getFieldType(parentId!), expected('AutoField'));
    const [smallId] = await intro.getTableDescription(SMALL);
    assert.equal(intro.getFieldType(smallId!), expected('SmallAutoField'));
  });

  test('column types are the backend data types', async (t) => {
    const editor = await conn().schemaEditor(async (e) => e, { collectSql: true });
    const type = (c: Partial<ColumnDef> & Pick<ColumnDef, 'type'>): string =>
      editor.dbType({ name: 'x', maxLength: 30, maxDigits: 10, decimalPlaces: 2, ...c });
    // This test is about each vendor's own SQL text (Django's data_types).
    const expected: Record<string, Partial<Record<InternalType, string>>> = {
      postgresql: {
        DateTimeField: 'timestamp with time zone',
        JSONField: 'jsonb',
        UUIDField: 'uuid',
        DurationField: 'interval',
        BinaryField: 'bytea',
        DecimalField: 'numeric(10, 2)',
        CharField: 'varchar(30)',
      },
      mysql: {
        TextField: 'longtext',
        UUIDField: 'char(32)',
        JSONField: 'json',
        BinaryField: 'longblob',
        DateTimeField: 'datetime(6)',
        DecimalField: 'numeric(10, 2)',
      },
      sqlite: {
        DecimalField: 'decimal',
        DateTimeField: 'datetime',
        BooleanField: 'bool',
        UUIDField: 'char(32)',
        JSONField: 'text',
        CharField: 'varchar(30)',
      },
    };
    const mine = expected[ctx.vendor];
    if (!mine) {
      t.skip(`no expectations for ${ctx.vendor}`);
      return;
    }
    for (const [internal, sql] of Object.entries(mine)) {
      assert.equal(type({ type: internal as InternalType }), sql, internal);
    }
    // And the database reports them (in its own spelling).
    const desc = await conn().introspection.getTableDescription(ALL);
    const reported = (name: string) => desc.find((d) => d.name === name)?.dataType.toLowerCase();
    if (ctx.vendor === 'postgresql') {
      assert.equal(reported('c_datetime'), 'timestamp with time zone');
      assert.equal(reported('c_json'), 'jsonb');
      assert.equal(reported('c_uuid'), 'uuid');
      assert.equal(reported('c_duration'), 'interval');
      assert.equal(reported('c_binary'), 'bytea');
    } else if (ctx.vendor === 'mysql') {
      assert.equal(reported('c_text'), 'longtext');
      assert.equal(reported('c_uuid'), 'char(32)');
      assert.equal(reported('c_binary'), 'longblob');
      assert.equal(reported('c_datetime'), 'datetime(6)');
    } else {
      assert.equal(reported('c_decimal'), 'decimal');
      assert.equal(reported('c_datetime'), 'datetime');
      assert.equal(reported('c_boolean'), 'bool');
      assert.equal(reported('c_uuid'), 'char(32)');
      assert.equal(reported('c_json'), 'text');
    }
  });

  test('getPrimaryKeyColumn and getRelations', async () => {
    const intro = conn().introspection;
    assert.equal(await intro.getPrimaryKeyColumn(ALL), 'id');
    assert.deepEqual(await intro.getPrimaryKeyColumns(PARENT), ['id']);
    assert.deepEqual(await intro.getRelations(ALL), { c_fk: [PARENT, 'id'] });
    assert.deepEqual(await intro.getRelations(PARENT), {});
  });

  test('getConstraints: primary key, unique, foreign key, index, checks, partial index', async () => {
    const c = await conn().introspection.getConstraints(ALL);
    const pk = find(c, (x) => x.primaryKey);
    assert.equal(pk.length, 1);
    assert.deepEqual(pk[0]![1].columns, ['id']);

    assert.ok(
      find(c, (x) => x.unique && !x.primaryKey && cols(x, ['c_uniq'])).length === 1,
      'single-column unique',
    );
    assert.equal(c.schema_t_i_all_pair?.unique, true);
    assert.deepEqual(c.schema_t_i_all_pair?.columns, ['c_char', 'c_slug']);

    const fks = find(c, (x) => x.foreignKey !== null);
    assert.equal(fks.length, 1);
    assert.deepEqual(fks[0]![1].columns, ['c_fk']);
    assert.deepEqual(fks[0]![1].foreignKey, [PARENT, 'id']);

    const idx = find(c, (x) => x.index && !x.unique && !x.foreignKey && cols(x, ['c_idx']));
    assert.equal(idx.length, 1);
    assert.equal(idx[0]![1].type, 'idx');

    assert.deepEqual(c.schema_t_i_all_desc?.columns, ['c_date', 'c_time']);
    assert.deepEqual(c.schema_t_i_all_desc?.orders, ['DESC', 'ASC']);
    assert.equal(c.schema_t_i_all_desc?.index, true);

    assert.equal(c.schema_t_i_all_int_lt?.check, true);
    assert.deepEqual(c.schema_t_i_all_int_lt?.columns, ['c_integer']);
    // The positive types come with a CHECK of their own.
    for (const column of ['c_positiveinteger', 'c_positivebiginteger', 'c_positivesmallinteger']) {
      assert.equal(find(c, (x) => x.check && cols(x, [column])).length, 1, column);
    }

    if (conn().features.supportsPartialIndexes) {
      assert.deepEqual(c.schema_t_i_all_part?.columns, ['c_float']);
    } else {
      assert.equal(c.schema_t_i_all_part, undefined);
    }
  });

  test('a missing table: description rejects, constraints and relations are empty', async () => {
    const intro = conn().introspection;
    await assert.rejects(intro.getTableDescription('schema_t_i_missing'), ProgrammingError);
    assert.deepEqual(await intro.getConstraints('schema_t_i_missing'), {});
    assert.deepEqual(await intro.getRelations('schema_t_i_missing'), {});
    assert.equal(await intro.getPrimaryKeyColumn('schema_t_i_missing'), null);
  });

  test('teardown: drop the tables', async () => {
    await dropAll();
    const names = await conn().introspection.tableNames();
    for (const t of [PARENT, SMALL, ALL]) assert.ok(!names.includes(t), t);
  });
});
