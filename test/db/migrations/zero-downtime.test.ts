/**
 * P22: the three-step NOT NULL pattern — add the column nullable, fill it in
 * batches with bulkUpdate (a non-atomic data migration, reversible as a
 * no-op), then make it NOT NULL — with a concurrent writer inserting and
 * updating rows of the same table while step 2 runs (200 000 rows on
 * PostgreSQL). P23: AddIndexConcurrently in a non-atomic migration, refused
 * inside a transaction.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachBackend } from '../../support/backends.js';
import { connections } from '../../../src/db/connections.js';
import type { DatabaseSettings } from '../../../src/conf/types.js';
import { BigAutoField, CharField, IntegerField } from '../../../src/db/models/index.js';
import {
  AddField,
  AddIndexConcurrently,
  AlterField,
  CreateExtension,
  CreateModel,
  Migration,
  MigrationExecutor,
  migrationSource,
  type Operation,
  RemoveIndexConcurrently,
  RunCode,
} from '../../../src/db/migrations/index.js';

const APP = 'zd';
const root = join(process.cwd(), '.tmp', `zero-downtime-${process.pid}`);
const dir = join(root, APP, 'migrations');
const directories = { [APP]: dir };

/** Step 2's code: walks the table by primary key in slices of 2 000, writing each with bulkUpdate. */
const backfill = async (
  apps: { getModel(a: string, m: string): any },
  editor: { connection: { alias: string } },
) => {
  const Order = apps.getModel('zd', 'Order');
  const alias = editor.connection.alias;
  let last = 0;
  for (;;) {
    const batch = await Order.objects
      .using(alias)
      .filter({ id__gt: last, status__isnull: true })
      .orderBy('id')
      .slice(0, 2000);
    if (!batch.length) break;
    for (const order of batch) order.status = 'new';
    await Order.objects.using(alias).bulkUpdate(batch, ['status']);
    last = batch[batch.length - 1].id;
    const seen = globalThis as { p22LargestBatch?: number };
    seen.p22LargestBatch = Math.max(seen.p22LargestBatch ?? 0, batch.length);
  }
};

function write(name: string, deps: string[], operations: Operation[], atomic = true): void {
  const m = new Migration({
    appLabel: APP,
    name,
    operations,
    atomic,
    initial: !deps.length,
    dependencies: deps.map((d) => [APP, d] as const),
  });
  writeFileSync(join(dir, `${name}.ts`), migrationSource(m, { header: null }));
}

before(() => {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  write(
    '0001_initial',
    [],
    [
      new CreateModel({
        name: 'Order',
        fields: { id: BigAutoField({ primaryKey: true }), total: IntegerField() },
      }),
    ],
  );
  // Step 1: the column, nullable (instant: no rewrite, no default to write).
  write(
    '0002_order_status',
    ['0001_initial'],
    [
      new AddField({
        modelName: 'Order',
        name: 'status',
        field: CharField({ maxLength: 10, null: true }),
      }),
    ],
  );
  // Step 2: the backfill, outside one long transaction; reversing it is a no-op.
  write(
    '0003_fill_status',
    ['0002_order_status'],
    [new RunCode({ code: backfill, reverseCode: RunCode.noop })],
    false,
  );
  // Step 3: NOT NULL, once every row has a value.
  write(
    '0004_status_not_null',
    ['0003_fill_status'],
    [
      new AlterField({
        modelName: 'Order',
        name: 'status',
        field: CharField({ maxLength: 10, default: 'new' }),
      }),
    ],
  );
  // P23: the index, built without blocking writes.
  write(
    '0005_status_index',
    ['0004_status_not_null'],
    [
      new AddIndexConcurrently({
        modelName: 'Order',
        index: { name: 'zd_order_status_idx', fields: ['status'] },
      }),
    ],
    false,
  );
});
after(() => rmSync(root, { recursive: true, force: true }));

/**
 * The new release at work: another connection inserting rows (with a status)
 * and updating existing ones, timing each pair, until `stop()`. Nothing on
 * SQLite, which has one writer at a time.
 */
function startWriter(vendor: string, rows: number) {
  const writer = vendor === 'sqlite' ? null : connections.get('writer');
  const q = (n: string) => connections.get('default').ops.quoteName(n);
  let running = true;
  let writes = 0;
  let longest = 0;
  const errors: unknown[] = [];
  const loop = (async () => {
    if (!writer) return;
    while (running) {
      const started = performance.now();
      try {
        await writer.execute(
          `INSERT INTO ${q('zd_order')} (${q('total')}, ${q('status')}) VALUES (%s, %s)`,
          [writes, 'new'],
        );
        await writer.execute(
          `UPDATE ${q('zd_order')} SET ${q('total')} = ${q('total')} + 1 WHERE ${q('id')} = %s`,
          [1 + ((writes * 7919) % Math.max(1, rows))],
        );
        writes++;
      } catch (e) {
        errors.push(e);
      }
      longest = Math.max(longest, performance.now() - started);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { writes, longest, errors };
    },
  };
}

describeEachBackend(
  'P22 three-step NOT NULL under a concurrent writer, P23 concurrent index',
  (ctx) => {
    const drop = () =>
      ctx.connection.schemaEditor((e) => e.dropTable('zd_order', { ifExists: true }));
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

    test('P22: rows filled in bounded batches while another connection writes, then NOT NULL', async (t) => {
      const rows = ctx.vendor === 'postgresql' ? 200_000 : 20_000;
      const executor = await MigrationExecutor.create(ctx.connection, { directories });
      await executor.migrate([[APP, '0002_order_status']]);
      const q = (n: string) => ctx.connection.ops.quoteName(n);
      if (ctx.vendor === 'postgresql')
        await ctx.connection.execute(
          `INSERT INTO ${q('zd_order')} (${q('total')}) SELECT g FROM generate_series(1, ${rows}) AS g`,
        );
      else {
        const Order = executor.loader
          .projectState([APP, '0002_order_status'])
          .apps.getModel(APP, 'Order') as any;
        const objs = Array.from({ length: rows }, (_, i) => new Order({ total: i }));
        await Order.objects.bulkCreate(objs, { batchSize: 2000 });
      }

      const writer = startWriter(ctx.vendor, rows);
      (globalThis as { p22LargestBatch?: number }).p22LargestBatch = 0;
      const filling = performance.now();
      await executor.migrate([[APP, '0003_fill_status']]);
      const fillMs = performance.now() - filling;
      const { writes, longest, errors } = await writer.stop();

      assert.deepEqual(errors, []);
      if (ctx.vendor !== 'sqlite') assert.ok(writes > 0, 'the writer ran while step 2 did');
      assert.equal(
        (globalThis as { p22LargestBatch?: number }).p22LargestBatch,
        2000,
        'batches stay bounded',
      );
      const nulls = await ctx.connection.execute<{ n: number }>(
        `SELECT COUNT(*) AS n FROM ${q('zd_order')} WHERE ${q('status')} IS NULL`,
      );
      assert.equal(Number(nulls.rows[0]!.n), 0);
      t.diagnostic(
        `${rows} rows filled in ${Math.round(fillMs)} ms; the writer made ${writes} insert+update pairs, longest ${longest.toFixed(1)} ms`,
      );

      await executor.migrate([[APP, '0004_status_not_null']]);
      await assert.rejects(
        ctx.connection.execute(
          `INSERT INTO ${q('zd_order')} (${q('total')}, ${q('status')}) VALUES (1, NULL)`,
        ),
      );
      const total = await ctx.connection.execute<{ n: number }>(
        `SELECT COUNT(*) AS n FROM ${q('zd_order')}`,
      );
      assert.equal(Number(total.rows[0]!.n), rows + writes);
    });

    test('P23: AddIndexConcurrently outside a transaction (writes go on); refused inside one', async (t) => {
      const executor = await MigrationExecutor.create(ctx.connection, { directories });
      const total = await ctx.connection.execute<{ n: number }>(
        'SELECT COUNT(*) AS n FROM zd_order',
      );
      const writer = startWriter(ctx.vendor, Number(total.rows[0]!.n));
      await executor.migrate([[APP, '0005_status_index']]);
      const { writes, longest, errors } = await writer.stop();
      assert.deepEqual(errors, []);
      t.diagnostic(
        `while the index was built: ${writes} insert+update pairs, longest ${longest.toFixed(1)} ms`,
      );
      const constraints = await ctx.connection.introspection.getConstraints('zd_order');
      assert.ok('zd_order_status_idx' in constraints);
      if (ctx.vendor !== 'postgresql') return;
      const atomic = new Migration({
        appLabel: APP,
        name: '0006_again',
        operations: [
          new AddIndexConcurrently({
            modelName: 'Order',
            index: { name: 'zd_order_total_idx', fields: ['total'] },
          }),
        ],
      });
      await assert.rejects(
        ctx.connection.schemaEditor((editor) =>
          atomic.apply(executor.loader.projectState(), editor),
        ),
        /The AddIndexConcurrently operation cannot be executed inside a transaction \(set atomic: false on the migration\)\./,
      );
    });
    test('RemoveIndexConcurrently and CreateExtension (PostgreSQL), both reversible', async (t) => {
      if (ctx.vendor !== 'postgresql') return t.skip('PostgreSQL only');
      const executor = await MigrationExecutor.create(ctx.connection, { directories });
      const state = executor.loader.projectState();
      const m = new Migration({
        appLabel: APP,
        name: '0006_pg',
        atomic: false,
        operations: [
          new RemoveIndexConcurrently({ modelName: 'Order', name: 'zd_order_status_idx' }),
          new CreateExtension({ name: 'fuzzystrmatch' }),
        ],
      });
      const extension = async () =>
        (await ctx.connection.execute(`SELECT 1 FROM pg_extension WHERE extname = 'fuzzystrmatch'`))
          .rows.length;
      await ctx.connection.execute('DROP EXTENSION IF EXISTS fuzzystrmatch');
      await ctx.connection.schemaEditor((editor) => m.apply(state, editor), { atomic: false });
      assert.ok(
        !('zd_order_status_idx' in (await ctx.connection.introspection.getConstraints('zd_order'))),
      );
      assert.equal(await extension(), 1);
      await ctx.connection.schemaEditor((editor) => m.unapply(state, editor), { atomic: false });
      assert.ok(
        'zd_order_status_idx' in (await ctx.connection.introspection.getConstraints('zd_order')),
      );
      assert.equal(await extension(), 0);
    });

    test('P22 reversed: NOT NULL lifted, the backfill a no-op, the column dropped', async () => {
      const executor = await MigrationExecutor.create(ctx.connection, { directories });
      // Back through the index, NOT NULL and the (no-op) backfill, to the nullable column.
      await executor.migrate([[APP, '0002_order_status']]);
      const columns = async () =>
        (await ctx.connection.introspection.getTableDescription('zd_order')).map((c) => c.name);
      assert.ok((await columns()).includes('status'));
      await executor.migrate([[APP, '0001_initial']]);
      assert.ok(!(await columns()).includes('status'));
    });
  },
  {
    extraDatabases: (target): Record<string, DatabaseSettings> =>
      target.vendor === 'sqlite' ? {} : { writer: target.settings },
  },
);
