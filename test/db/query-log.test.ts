import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../support/backends.js';
import { captureQueries } from '../../src/db/backends/base/query-log.js';
import { connection, resetQueries } from '../../src/db/connections.js';
import { setDebugProvider } from '../../src/db/backends/base/wrapper.js';
import { debugQueries } from '../../src/db/debug.js';

describeEachBackend('query log (P05)', (ctx) => {
  test('P05 connection.queries records SQL, params and time when debugging; resetQueries empties it', async () => {
    const conn = ctx.connection;
    setDebugProvider(() => true);
    try {
      resetQueries();
      assert.equal(conn.queries.length, 0);
      await conn.execute('SELECT %s AS a', [7]);
      await connection.execute('SELECT 2 AS b');
      assert.equal(conn.queries.length, 2);
      const [first] = conn.queries;
      assert.match(first!.sql, /SELECT (\$1|\?) AS a/);
      assert.deepEqual(first!.params, [7]);
      assert.match(first!.time, /^\d+\.\d{3}$/);
      assert.ok(first!.durationMs >= 0);
      assert.equal(first!.alias, 'default');
      resetQueries();
      assert.equal(conn.queries.length, 0);
    } finally {
      setDebugProvider(() => false);
    }
  });

  test('without debugging nothing is kept, but every statement is counted', async () => {
    const conn = ctx.connection;
    resetQueries();
    const before = conn.queriesCount;
    await conn.execute('SELECT 1');
    await conn.execute('SELECT 1');
    assert.equal(conn.queries.length, 0);
    assert.equal(conn.queriesCount - before, 2);
  });

  test('forceDebugCursor records even when DEBUG is off', async () => {
    const conn = ctx.connection;
    conn.forceDebugCursor = true;
    try {
      resetQueries();
      await conn.execute('SELECT 1');
      assert.equal(conn.queries.length, 1);
    } finally {
      conn.forceDebugCursor = false;
      resetQueries();
    }
  });

  test('failed statements are recorded with their error', async () => {
    const { queries } = await captureQueries(async () => {
      await ctx.connection.execute('SELECT * FROM query_log_missing_table').catch(() => undefined);
    });
    assert.equal(queries.length, 1);
    assert.ok(queries[0]!.error);
  });

  test('captureQueries sees only its own async call chain, nests, and filters by alias', async () => {
    const conn = ctx.connection;
    const other = (async () => {
      for (let i = 0; i < 5; i++) await conn.execute('SELECT 100');
    })();
    const { result, queries } = await captureQueries(async () => {
      await conn.execute('SELECT %s AS mine', [1]);
      const inner = await captureQueries(() => conn.execute('SELECT 2 AS nested'));
      assert.equal(inner.queries.length, 1);
      return 'value';
    });
    await other;
    assert.equal(result, 'value');
    assert.deepEqual(
      queries.map((q) => q.sql.replace(/\$1|\?/, '?')),
      ['SELECT ? AS mine', 'SELECT 2 AS nested'],
    );
    const filtered = await captureQueries(() => conn.execute('SELECT 1'), { using: 'other' });
    assert.equal(filtered.queries.length, 0);
  });
});

describeEachBackend('debugQueries (P05)', (ctx) => {
  test('P05 a helper prints the query count and each statement with its time, like the reference decorator', async () => {
    const lines: string[] = [];
    const getRows = debugQueries(
      async (n: number) => {
        await ctx.connection.execute('SELECT %s AS n', [n]);
        await ctx.connection.execute(`SELECT 'a long statement ${'x'.repeat(200)}' AS s`);
        return n * 2;
      },
      { write: (l) => lines.push(l) },
    );
    assert.equal(await getRows(21), 42);
    assert.equal(lines[0], 'Queries: 2');
    assert.match(lines[1]!, /^ {2}\d+\.\d{3}s: SELECT (\$1|\?) AS n$/);
    assert.equal(lines[2]!.split('s: ')[1]!.length, 100, 'SQL is cut at 100 characters');
    assert.equal(lines.length, 3);
  });
});
