/**
 * P24: squashing a 20-migration history. The optimizer folds the operations,
 * data migrations stay in order; a database part-way through continues with
 * the originals, a fresh one applies only the squashed migration, and once
 * the originals are gone the squashed migration is an ordinary one.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachBackend } from '../../support/backends.js';
import {
  BigAutoField,
  BigIntegerField,
  BooleanField,
  CharField,
  DecimalField,
  ForeignKey,
  IntegerField,
  SET_NULL,
  TextField,
} from '../../../src/db/models/index.js';
import {
  AddConstraint,
  AddField,
  AddIndex,
  AlterField,
  AlterModelOptions,
  CreateModel,
  DeleteModel,
  Migration,
  MigrationExecutor,
  type MigrationProgress,
  type Operation,
  optimizeOperations,
  RemoveField,
  RenameField,
  RunCode,
  RunSQL,
  migrationSource,
  squashMigrations,
} from '../../../src/db/migrations/index.js';

const APP = 'sq';
const root = join(process.cwd(), '.tmp', `squash-${process.pid}`);
const dir = join(root, APP, 'migrations');
const directories = { [APP]: dir };

/** The history: twenty migrations of one app, data migrations included. */
function history(): Operation[][] {
  const id = () => BigAutoField({ primaryKey: true });
  return [
    [new CreateModel({ name: 'Item', fields: { id: id(), name: CharField({ maxLength: 50 }) } })],
    [new AddField({ modelName: 'Item', name: 'qty', field: IntegerField({ default: 0 }) })],
    [new AlterField({ modelName: 'Item', name: 'name', field: CharField({ maxLength: 100 }) })],
    [new CreateModel({ name: 'Temp', fields: { id: id(), x: IntegerField() } })],
    [new AddField({ modelName: 'Item', name: 'note', field: TextField({ blank: true }) })],
    [
      new RunCode({
        code: async (apps, editor) => {
          const Item = apps.getModel('sq', 'Item');
          await Item.objects.using(editor.connection.alias).filter({}).update({ qty: 5 });
        },
        reverseCode: RunCode.noop,
      }),
    ],
    [new RemoveField({ modelName: 'Item', name: 'note' })],
    [new DeleteModel({ name: 'Temp' })],
    [
      new AddField({
        modelName: 'Item',
        name: 'code',
        field: CharField({ maxLength: 10, default: 'a' }),
      }),
    ],
    [
      new AlterField({
        modelName: 'Item',
        name: 'code',
        field: CharField({ maxLength: 20, default: 'a' }),
      }),
    ],
    [new RenameField({ modelName: 'Item', oldName: 'code', newName: 'sku' })],
    [new AddIndex({ modelName: 'Item', index: { name: 'sq_item_name_idx', fields: ['name'] } })],
    [new CreateModel({ name: 'Tag', fields: { id: id(), name: CharField({ maxLength: 30 }) } })],
    [
      new AddField({
        modelName: 'Item',
        name: 'tag',
        field: ForeignKey('sq.Tag', { onDelete: SET_NULL, null: true }),
      }),
    ],
    [new AlterField({ modelName: 'Item', name: 'qty', field: BigIntegerField({ default: 0 }) })],
    [
      new RunSQL({
        sql: 'UPDATE sq_item SET qty = qty + 1',
        reverseSql: 'UPDATE sq_item SET qty = qty - 1',
      }),
    ],
    [
      new AddField({
        modelName: 'Item',
        name: 'price',
        field: DecimalField({ maxDigits: 8, decimalPlaces: 2, default: '0.00' }),
      }),
    ],
    [new AlterModelOptions({ name: 'Item', options: { ordering: ['name'] } })],
    [
      new AddConstraint({
        modelName: 'Item',
        constraint: { kind: 'check', name: 'sq_item_qty_gte_0', check: { qty__gte: 0 } },
      }),
    ],
    [new AddField({ modelName: 'Item', name: 'active', field: BooleanField({ default: true }) })],
  ];
}

const names = history().map((_, i) => `${String(i + 1).padStart(4, '0')}_step${i + 1}`);

function writeHistory(): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  history().forEach((operations, i) => {
    const m = new Migration({
      appLabel: APP,
      name: names[i]!,
      operations,
      initial: i === 0,
      dependencies: i ? [[APP, names[i - 1]!]] : [],
    });
    writeFileSync(join(dir, `${m.name}.ts`), migrationSource(m, { header: null }));
  });
}

describe('the optimizer', () => {
  test('folds the history: CreateModel absorbs field operations, pairs cancel, barriers stay', () => {
    const ops = history().flat();
    const folded = optimizeOperations(ops, APP);
    assert.ok(folded.length < ops.length, `${folded.length} < ${ops.length}`);
    const kinds = folded.map((op) => op.constructor.name);
    // The data migrations keep their order, and nothing moves across them: Temp is created
    // before the RunCode and deleted after it, so both stay (as in Django).
    assert.ok(kinds.indexOf('RunCode') < kinds.indexOf('RunSQL'));
    assert.ok(folded.some((op) => op instanceof CreateModel && op.name === 'Temp'));
    // Between the barriers: AddField code + AlterField + RenameField → one AddField sku.
    const sku = folded.filter((op) => op instanceof AddField && ['code', 'sku'].includes(op.name));
    assert.deepEqual(
      sku.map((op) => [(op as AddField).name, (op as AddField).field.declaredOptions]),
      [['sku', { maxLength: 20, default: 'a' }]],
    );
    // Before the RunCode barrier, Item is one CreateModel with name (100), qty and note.
    const item = folded.find(
      (op) => op instanceof CreateModel && op.name === 'Item',
    ) as CreateModel;
    assert.equal(item.name, 'Item');
    assert.deepEqual(Object.keys(item.fields), ['id', 'name', 'qty', 'note']);
    assert.equal((item.fields.name!.declaredOptions as { maxLength?: number }).maxLength, 100);
  });

  test('AddField then RemoveField cancel; AlterFields collapse; renames chain', () => {
    const f = () => IntegerField({ default: 0 });
    assert.deepEqual(
      optimizeOperations(
        [
          new AddField({ modelName: 'A', name: 'x', field: f() }),
          new RemoveField({ modelName: 'A', name: 'x' }),
        ],
        APP,
      ),
      [],
    );
    const last = new AlterField({ modelName: 'A', name: 'x', field: IntegerField({ default: 2 }) });
    assert.deepEqual(
      optimizeOperations([new AlterField({ modelName: 'A', name: 'x', field: f() }), last], APP),
      [last],
    );
    const chained = optimizeOperations(
      [
        new RenameField({ modelName: 'A', oldName: 'a', newName: 'b' }),
        new RenameField({ modelName: 'A', oldName: 'b', newName: 'c' }),
      ],
      APP,
    );
    assert.equal(chained.length, 1);
    assert.deepEqual(
      [(chained[0] as RenameField).oldName, (chained[0] as RenameField).newName],
      ['a', 'c'],
    );
  });
});

describeEachBackend('P24 squashed migrations', (ctx) => {
  const drop = () =>
    ctx.connection.schemaEditor(async (e) => {
      for (const t of ['sq_item', 'sq_temp', 'sq_tag']) await e.dropTable(t, { ifExists: true });
    });
  before(async () => {
    writeHistory();
    await drop();
    await ctx.connection
      .execute(
        `DELETE FROM ${ctx.connection.ops.quoteName('reinhardt_migrations')} WHERE app = %s`,
        [APP],
      )
      .catch(() => undefined);
  });
  after(async () => {
    await drop();
    rmSync(root, { recursive: true, force: true });
  });

  const applied: string[] = [];
  const progress = (e: MigrationProgress) => {
    if (e.action === 'apply_success' || e.action === 'unapply_success')
      applied.push(`${e.action === 'apply_success' ? '+' : '-'}${e.migration.name}`);
  };
  const columns = async () =>
    (await ctx.connection.introspection.getTableDescription('sq_item')).map((c) => c.name).sort();

  test('a database at 0010 continues with the originals once the squash exists', async () => {
    const executor = await MigrationExecutor.create(ctx.connection, { directories }, progress);
    await executor.migrate([[APP, names[9]!]]);
    const state = executor.loader.projectState([APP, names[9]!]);
    await (state.apps.getModel(APP, 'Item') as any).objects.create({
      name: 'first',
      qty: 1,
      code: 'z',
    });

    const squashed = await squashMigrations({
      directories,
      appLabel: APP,
      start: '0001',
      end: '0020',
    });
    assert.equal(squashed.migration.name, `${names[0]}_squashed_${names[19]}`);
    assert.equal(squashed.migration.replaces.length, 20);
    assert.ok(squashed.after < squashed.before);
    assert.match(squashed.source, /new RunCode\(\{\n\s+code: async\s*\(apps,\s*editor\)\s*=>/);

    applied.length = 0;
    await executor.migrate();
    assert.deepEqual(
      applied,
      names.slice(10).map((n) => `+${n}`),
    );
    const recorded = await executor.recorder.appliedMigrations();
    assert.ok(
      recorded.has(`${APP}.${squashed.migration.name}`),
      'the squash is recorded once its originals are',
    );
    const Item = executor.loader.projectState().apps.getModel(APP, 'Item') as any;
    const item = await Item.objects.values('name', 'qty', 'sku', 'active');
    assert.deepEqual(
      item.map((r: Record<string, unknown>) => ({ ...r, qty: Number(r.qty), active: !!r.active })),
      [{ name: 'first', qty: 2, sku: 'z', active: true }],
    );
  });

  test('a fresh database applies only the squashed migration, to the same schema', async () => {
    const viaOriginals = await columns();
    let executor = await MigrationExecutor.create(ctx.connection, { directories }, progress);
    applied.length = 0;
    await executor.migrate([[APP, null]]);
    // Everything replaced was applied, so the squash stands for them: one step back.
    assert.equal(applied.length, 1);
    assert.match(applied[0]!, /^-0001_step1_squashed_0020_step20$/);
    executor = await MigrationExecutor.create(ctx.connection, { directories }, progress);
    applied.length = 0;
    await executor.migrate();
    assert.deepEqual(applied, [`+${names[0]}_squashed_${names[19]}`]);
    assert.deepEqual(await columns(), viaOriginals);
  });

  test('once every database is past it, the originals can go and the squash is an ordinary migration', async () => {
    const squashName = `${names[0]}_squashed_${names[19]}`;
    const executor = await MigrationExecutor.create(ctx.connection, { directories });
    const squash = executor.loader.getMigration(APP, squashName);
    for (const n of names) rmSync(join(dir, `${n}.ts`));
    const plain = new Migration({
      appLabel: APP,
      name: squashName,
      operations: squash.operations,
      dependencies: [],
      initial: true,
    });
    writeFileSync(join(dir, `${squashName}.ts`), migrationSource(plain, { header: null }));
    assert.deepEqual(readdirSync(dir), [`${squashName}.ts`]);
    const again = await MigrationExecutor.create(ctx.connection, { directories });
    assert.deepEqual(again.migrationPlan(again.leafTargets()), []);
    assert.deepEqual(await again.migrate(), []);
  });
});
