import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackendContext } from '../support/backends.js';
import {
  atomic,
  onCommit,
  setRollback,
  getRollback,
  inAtomicBlock,
} from '../../src/db/transaction.js';
import { DatabaseNotSupportedError, TransactionManagementError } from '../../src/db/errors.js';
import type { BaseDatabaseWrapper } from '../../src/db/backends/base/wrapper.js';

const T = 'tx_t_row';

async function names(conn: BaseDatabaseWrapper): Promise<string[]> {
  const { rows } = await conn.execute<{ name: string }>(
    `SELECT name FROM ${conn.ops.quoteName(T)} ORDER BY name`,
  );
  return rows.map((r) => r.name);
}

/** The transaction conformance suite, run per backend here and through PgBouncer in pgbouncer.test.ts. */
export function transactionTests(ctx: BackendContext): void {
  const insert = (name: string) =>
    ctx.connection.execute(`INSERT INTO ${ctx.connection.ops.quoteName(T)} (name) VALUES (%s)`, [
      name,
    ]);

  test('setup', async () => {
    const q = ctx.connection.ops.quoteName(T);
    await ctx.connection.execute(`DROP TABLE IF EXISTS ${q}`);
    await ctx.connection.execute(`CREATE TABLE ${q} (name varchar(100) NOT NULL UNIQUE)`);
  });

  test('atomic commits on success and returns the value', async () => {
    await ctx.connection.execute(`DELETE FROM ${ctx.connection.ops.quoteName(T)}`);
    const value = await atomic(async () => {
      assert.equal(inAtomicBlock(), true);
      await insert('a');
      return 42;
    });
    assert.equal(value, 42);
    assert.equal(inAtomicBlock(), false);
    assert.deepEqual(await names(ctx.connection), ['a']);
  });

  test('an exception rolls back and is re-thrown unchanged', async () => {
    const boom = new Error('boom');
    await assert.rejects(
      atomic(async () => {
        await insert('b');
        throw boom;
      }),
      (e) => e === boom,
    );
    assert.deepEqual(await names(ctx.connection), ['a']);
  });

  test('nested blocks are savepoints: an inner failure rolls back only the inner block', async () => {
    await atomic(async () => {
      await insert('outer');
      await assert.rejects(
        atomic(async () => {
          await insert('inner');
          await insert('outer'); // unique violation inside the savepoint
        }),
      );
      await insert('after');
    });
    assert.deepEqual(await names(ctx.connection), ['a', 'after', 'outer']);
  });

  test('savepoints nest to any depth; concurrent sibling savepoints take turns', async () => {
    const depth = await atomic(() =>
      atomic(() =>
        atomic(() =>
          atomic(async () => {
            await insert('deep');
            return 4;
          }),
        ),
      ),
    );
    assert.equal(depth, 4);
    const order: string[] = [];
    await atomic(async () => {
      await Promise.all(
        ['x', 'y', 'z'].map((name) =>
          atomic(async () => {
            order.push(`${name} in`);
            await atomic(() => insert(`sibling-${name}`));
            await new Promise((r) => setTimeout(r, 5));
            order.push(`${name} out`);
          }),
        ),
      );
    });
    assert.deepEqual(order, ['x in', 'x out', 'y in', 'y out', 'z in', 'z out']);
    const current = await names(ctx.connection);
    for (const n of ['deep', 'sibling-x', 'sibling-y', 'sibling-z'])
      assert.ok(current.includes(n), n);
  });

  test('an error in the outer block rolls back committed savepoints too', async () => {
    await assert.rejects(
      atomic(async () => {
        await atomic(() => insert('saved-inner'));
        throw new Error('outer fails');
      }),
      /outer fails/,
    );
    assert.ok(!(await names(ctx.connection)).includes('saved-inner'));
  });

  test('setRollback(true) rolls back without an error; getRollback reads the flag', async () => {
    const result = await atomic(async () => {
      await insert('rolled');
      assert.equal(getRollback(), false);
      setRollback(true);
      assert.equal(getRollback(), true);
      return 'done';
    });
    assert.equal(result, 'done');
    assert.ok(!(await names(ctx.connection)).includes('rolled'));
    assert.throws(() => setRollback(true), TransactionManagementError);
  });

  test('setRollback inside a savepoint rolls back only that savepoint', async () => {
    await atomic(async () => {
      await insert('kept');
      await atomic(async () => {
        await insert('dropped');
        setRollback(true);
      });
    });
    const current = await names(ctx.connection);
    assert.ok(current.includes('kept'));
    assert.ok(!current.includes('dropped'));
  });

  test('onCommit runs after the outermost commit, in order, and never after a rollback', async () => {
    const calls: string[] = [];
    await atomic(async () => {
      await onCommit(() => calls.push('first'));
      await atomic(async () => {
        await onCommit(() => calls.push('nested'));
      });
      await assert.rejects(
        atomic(async () => {
          await onCommit(() => calls.push('in rolled-back savepoint'));
          throw new Error('x');
        }),
      );
      await onCommit(() => calls.push('last'));
      assert.deepEqual(calls, []);
    });
    assert.deepEqual(calls, ['first', 'nested', 'last']);

    calls.length = 0;
    await assert.rejects(
      atomic(async () => {
        await onCommit(() => calls.push('never'));
        throw new Error('rollback');
      }),
    );
    await atomic(async () => {
      await onCommit(() => calls.push('never either'));
      setRollback(true);
    });
    assert.equal(calls.length, 0);

    await onCommit(() => calls.push('immediately'));
    assert.deepEqual(calls, ['immediately']);
  });

  test('onCommit callbacks run outside the finished transaction and may query', async () => {
    let seen: string[] = [];
    await atomic(async () => {
      await insert('cb-row');
      await onCommit(async () => {
        assert.equal(inAtomicBlock(), false);
        seen = await names(ctx.connection);
      });
    });
    assert.ok(seen.includes('cb-row'));
  });

  test('a robust onCommit callback error is logged, not thrown; a plain one is thrown', async () => {
    const calls: string[] = [];
    await atomic(async () => {
      await onCommit(
        () => {
          throw new Error('robust failure');
        },
        { robust: true },
      );
      await onCommit(() => calls.push('after robust'));
    });
    assert.deepEqual(calls, ['after robust']);
    await assert.rejects(
      atomic(async () => {
        await onCommit(() => {
          throw new Error('plain failure');
        });
      }),
      /plain failure/,
    );
  });

  test('durable blocks refuse to nest', async () => {
    await atomic(async () => {
      await assert.rejects(
        atomic(async () => undefined, { durable: true }),
        {
          message: 'A durable atomic block cannot be nested within another atomic block.',
        },
      );
    });
    assert.equal(await atomic(async () => 'ok', { durable: true }), 'ok');
  });

  test('an error in a block without savepoint blocks further queries until the outer block ends', async () => {
    await assert.rejects(
      atomic(async () => {
        await insert('nosave');
        await assert.rejects(
          atomic(
            async () => {
              throw new Error('inner');
            },
            { savepoint: false },
          ),
        );
        await insert('blocked');
      }),
      (e: unknown) =>
        e instanceof TransactionManagementError &&
        e.message ===
          "An error occurred in the current transaction. You can't execute queries until the end of the 'atomic' block.",
    );
    assert.ok(!(await names(ctx.connection)).includes('nosave'));
  });

  test('decorator forms: @atomic, @atomic(options) and atomic(options)(fn)', async () => {
    class Service {
      calls = 0;
      @atomic
      async bare(name: string): Promise<boolean> {
        this.calls += 1;
        await insert(name);
        return inAtomicBlock();
      }
      @atomic({ using: 'default' })
      async failing(name: string): Promise<void> {
        await insert(name);
        throw new Error('decorated failure');
      }
    }
    const service = new Service();
    assert.equal(await service.bare('decorated'), true);
    assert.equal(service.calls, 1);
    await assert.rejects(service.failing('decorated-fail'), /decorated failure/);
    const wrapped = atomic({})(async (n: string) => {
      await insert(n);
      return inAtomicBlock();
    });
    assert.equal(await wrapped('wrapped'), true);
    const current = await names(ctx.connection);
    assert.ok(current.includes('decorated') && current.includes('wrapped'));
    assert.ok(!current.includes('decorated-fail'));
  });

  test('isolation levels: supported ones apply to the transaction, others are refused', async () => {
    const levels = ctx.connection.features.supportedIsolationLevels;
    assert.ok(levels.includes('serializable'));
    await atomic(async () => insert('iso'), { isolationLevel: 'serializable' });
    if (ctx.vendor === 'postgresql') {
      const level = await atomic(
        async () =>
          (
            await ctx.connection.execute<{ l: string }>(
              "SELECT current_setting('transaction_isolation') AS l",
            )
          ).rows[0]!.l,
        { isolationLevel: 'repeatable read' },
      );
      assert.equal(level, 'repeatable read');
    }
    if (!levels.includes('read committed')) {
      await assert.rejects(
        atomic(async () => undefined, { isolationLevel: 'read committed' }),
        DatabaseNotSupportedError,
      );
    }
    await atomic(async () => {
      await assert.rejects(
        atomic(async () => undefined, { isolationLevel: 'serializable' }),
        TransactionManagementError,
      );
    });
  });

  test('a query from a promise that outlived its atomic block is refused', async () => {
    let late: Promise<unknown> | undefined;
    await atomic(async () => {
      late = sleep(20).then(() => insert('late'));
    });
    await assert.rejects(late!, TransactionManagementError);
  });

  test('concurrent transactions are isolated from each other and interleave safely', async () => {
    await ctx.connection.execute(`DELETE FROM ${ctx.connection.ops.quoteName(T)}`);
    const sessionOf = async (): Promise<string> => {
      // Which server session (or, for SQLite, which transaction) a statement ran in.
      const block = ctx.connection.currentBlock();
      return String(block ? (block.tx.connection.sessionId ?? 'sqlite') : 'none');
    };
    const worker = async (id: number, fail: boolean) =>
      atomic(async () => {
        const sessions = new Set<string>();
        for (let i = 0; i < 5; i++) {
          await insert(`w${id}-${i}`);
          sessions.add(await sessionOf());
          await sleep(1);
          // Its own uncommitted rows are visible; those of transactions that never commit are not.
          const seen = await names(ctx.connection);
          for (let j = 0; j <= i; j++)
            assert.ok(seen.includes(`w${id}-${j}`), `transaction ${id} misses its row ${j}`);
          const leaked = seen.filter(
            (n) => (n.startsWith('w2-') || n.startsWith('w4-')) && !n.startsWith(`w${id}-`),
          );
          assert.deepEqual(leaked, [], `transaction ${id} saw uncommitted rows`);
        }
        assert.equal(sessions.size, 1, 'one session per transaction');
        if (fail) throw new Error(`worker ${id} fails`);
        return [...sessions][0];
      });
    const results = await Promise.allSettled([
      worker(1, false),
      worker(2, true),
      worker(3, false),
      worker(4, true),
    ]);
    assert.equal(
      results[0]!.status,
      'fulfilled',
      String((results[0] as PromiseRejectedResult).reason),
    );
    assert.equal(results[1]!.status, 'rejected');
    assert.equal(results[2]!.status, 'fulfilled');
    assert.equal(results[3]!.status, 'rejected');
    assert.match(String((results[1] as PromiseRejectedResult).reason), /worker 2 fails/);
    const current = await names(ctx.connection);
    assert.deepEqual(
      current,
      [1, 3].flatMap((id) => [0, 1, 2, 3, 4].map((i) => `w${id}-${i}`)),
    );
    if (ctx.connection.features.supportsConcurrentConnections) {
      const s1 = (results[0] as PromiseFulfilledResult<string>).value;
      const s3 = (results[2] as PromiseFulfilledResult<string>).value;
      assert.notEqual(s1, s3, 'concurrent transactions use different server sessions');
    }
  });

  test('connections go back to the pool after every outcome', async () => {
    for (let i = 0; i < 30; i++) {
      await atomic(async () => {
        if (i % 3 === 0) throw new Error('x');
        if (i % 3 === 1) setRollback(true);
      }).catch(() => undefined);
    }
    const conn = await ctx.connection.acquire();
    conn.release();
  });

  test('teardown', async () => {
    await ctx.connection.execute(`DROP TABLE ${ctx.connection.ops.quoteName(T)}`);
  });
}
