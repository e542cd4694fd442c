/**
 * Reinhardt behind PgBouncer in transaction mode: transactions, savepoints,
 * isolation levels, concurrency and locks keep working, since nothing relies
 * on session state outside a transaction. .ci/run starts PgBouncer on
 * 127.0.0.1:6432; REINHARDT_TEST_PGBOUNCER_URL points elsewhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeOnTarget, targetFromUrl } from '../support/backends.js';
import { transactionTests } from './transaction.case.js';
import { advisoryLockTests, rowLockTests } from './locks.case.js';
import { atomic } from '../../src/db/transaction.js';

const target = targetFromUrl(
  process.env.REINHARDT_TEST_PGBOUNCER_URL ?? 'postgres://postgres@127.0.0.1:6432/reinhardt_test',
);

await describeOnTarget('PgBouncer (transaction mode): transactions', target, transactionTests);
await describeOnTarget('PgBouncer (transaction mode): row locks', target, rowLockTests);
await describeOnTarget('PgBouncer (transaction mode): advisory locks', target, advisoryLockTests);
await describeOnTarget('PgBouncer (transaction mode): many clients', target, (ctx) => {
  test('more concurrent transactions than server connections still isolate and commit', async () => {
    const conn = ctx.connection;
    await conn.execute('DROP TABLE IF EXISTS pgb_t_counter');
    await conn.execute('CREATE TABLE pgb_t_counter (k integer PRIMARY KEY, n integer NOT NULL)');
    await conn.execute('INSERT INTO pgb_t_counter (k, n) VALUES (1, 0)');
    await Promise.all(
      Array.from({ length: 20 }, () =>
        atomic(async () => {
          await conn.execute('SELECT n FROM pgb_t_counter WHERE k = 1 FOR UPDATE');
          await conn.execute('UPDATE pgb_t_counter SET n = n + %s WHERE k = %s', [1, 1]);
        }),
      ),
    );
    const { rows } = await conn.execute<{ n: number }>(
      'SELECT n FROM pgb_t_counter WHERE k = %s',
      [1],
    );
    assert.equal(rows[0]!.n, 20);
    await conn.execute('DROP TABLE pgb_t_counter');
  });
});
