import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackendContext } from '../support/backends.js';
import { atomic } from '../../src/db/transaction.js';
import { withAdvisoryLock } from '../../src/db/locks.js';
import { DatabaseNotSupportedError, OperationalError } from '../../src/db/errors.js';

/** Row-lock tests (SELECT … FOR UPDATE), per backend and through PgBouncer. */
export function rowLockTests(ctx: BackendContext): void {
  test('the locking clause follows the backend features', () => {
    const ops = ctx.connection.ops;
    const f = ctx.connection.features;
    if (!f.hasSelectForUpdate) {
      assert.throws(() => ops.forUpdateSql(), DatabaseNotSupportedError);
      return;
    }
    assert.equal(ops.forUpdateSql(), 'FOR UPDATE');
    assert.equal(ops.forUpdateSql({ nowait: true }), 'FOR UPDATE NOWAIT');
    assert.equal(ops.forUpdateSql({ skipLocked: true }), 'FOR UPDATE SKIP LOCKED');
    assert.throws(() => ops.forUpdateSql({ nowait: true, skipLocked: true }), {
      message: 'The nowait option cannot be used with skipLocked.',
    });
    if (f.hasSelectForUpdateOf) {
      assert.equal(
        ops.forUpdateSql({ of: ['library_book'] }),
        `FOR UPDATE OF ${ops.quoteName('library_book')}`,
      );
    } else {
      assert.throws(() => ops.forUpdateSql({ of: ['library_book'] }), DatabaseNotSupportedError);
    }
    if (f.hasSelectForNoKeyUpdate)
      assert.equal(ops.forUpdateSql({ noKey: true }), 'FOR NO KEY UPDATE');
    else assert.throws(() => ops.forUpdateSql({ noKey: true }), DatabaseNotSupportedError);
  });

  test('a locked row: NOWAIT fails at once, SKIP LOCKED skips it, a plain lock waits', async (t) => {
    const conn = ctx.connection;
    if (!conn.features.hasSelectForUpdate || !conn.features.supportsConcurrentConnections) {
      t.skip('no row locks on this backend');
      return;
    }
    const ops = conn.ops;
    await conn.execute('DROP TABLE IF EXISTS lock_t_job');
    await conn.execute('CREATE TABLE lock_t_job (id integer PRIMARY KEY, state varchar(20))');
    await conn.execute("INSERT INTO lock_t_job (id, state) VALUES (1, 'new'), (2, 'new')");
    let unlock!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = atomic(async () => {
      await conn.execute(`SELECT id FROM lock_t_job WHERE id = %s ${ops.forUpdateSql()}`, [1]);
      locked();
      await new Promise<void>((r) => (unlock = r));
      await conn.execute("UPDATE lock_t_job SET state = 'held' WHERE id = 1");
    });
    await isLocked;
    await assert.rejects(
      atomic(() =>
        conn.execute(
          `SELECT id FROM lock_t_job WHERE id = %s ${ops.forUpdateSql({ nowait: true })}`,
          [1],
        ),
      ),
      OperationalError,
    );
    const free = await atomic(() =>
      conn.execute<{ id: number }>(
        `SELECT id FROM lock_t_job ORDER BY id ${ops.forUpdateSql({ skipLocked: true })}`,
      ),
    );
    assert.deepEqual(
      free.rows.map((r) => Number(r.id)),
      [2],
    );
    let waiterDone = false;
    const waiter = atomic(async () => {
      const { rows } = await conn.execute<{ state: string }>(
        `SELECT state FROM lock_t_job WHERE id = %s ${ops.forUpdateSql()}`,
        [1],
      );
      waiterDone = true;
      return rows[0]!.state;
    });
    await sleep(100);
    assert.equal(waiterDone, false, 'FOR UPDATE waits for the holder');
    unlock();
    await holder;
    assert.equal(await waiter, 'held', 'and then sees the committed change');
    await conn.execute('DROP TABLE lock_t_job');
  });
}

/** Advisory-lock tests, for backends that have them. */
export function advisoryLockTests(ctx: BackendContext): void {
  test('callers of the same lock name take turns; different names do not block', async () => {
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = withAdvisoryLock('reinhardt.test.lock', async () => {
      order.push('first in');
      await new Promise<void>((r) => (releaseFirst = r));
      order.push('first out');
    });
    await sleep(50);
    const second = withAdvisoryLock('reinhardt.test.lock', async () => {
      order.push('second in');
    });
    await withAdvisoryLock('reinhardt.test.other', async () => {
      order.push('other');
    });
    await sleep(50);
    assert.deepEqual(order, ['first in', 'other']);
    releaseFirst();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['first in', 'other', 'first out', 'second in']);
  });

  test('a lock held by another process makes a caller with a timeout fail clearly', async () => {
    const s = ctx.target.settings;
    // A second process holds the lock for a while.
    const script = `
      import { connections } from './src/db/connections.ts';
      import { withAdvisoryLock } from './src/db/locks.ts';
      await connections.configure({ default: ${JSON.stringify(s)} });
      await withAdvisoryLock('reinhardt.test.xproc', async () => {
        process.stdout.write('locked\\n');
        await new Promise((r) => setTimeout(r, 1500));
      });
      await connections.closeAll();
    `;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    await assert.rejects(
      withAdvisoryLock('reinhardt.test.xproc', async () => undefined, { timeoutMs: 200 }),
      { message: "Timed out waiting for the lock 'reinhardt.test.xproc' on database 'default'." },
    );
    // Once the other process is done, the lock is free.
    await new Promise((r) => child.on('exit', r));
    assert.equal(
      await withAdvisoryLock('reinhardt.test.xproc', async () => 'got it', { timeoutMs: 2000 }),
      'got it',
    );
  });
}
