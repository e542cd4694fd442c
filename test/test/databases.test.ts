/**
 * Test databases: created per alias (`test_<name>`, in memory for SQLite),
 * the registered models' tables made, dropped afterwards unless keepdb.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../support/backends.js';
import { Author } from '../support/bookstore.js';
import { connections } from '../../src/db/connections.js';
import { setupTestDatabases, teardownTestDatabases } from '../../src/test/index.js';

describeEachBackend('test databases', (ctx) => {
  test('a run gets its own database with the tables; it is dropped afterwards', async () => {
    const original = ctx.target.settings.name;
    const lines: string[] = [];
    const dbs = await setupTestDatabases({ suffix: 'dbt', log: (l) => lines.push(l) });
    const name = connections.get('default').settings.name;
    if (ctx.vendor === 'sqlite') assert.equal(name, ':memory:');
    else {
      assert.equal(name, `test_${original}_dbt`);
      assert.match(lines.join('\n'), /Creating test database for alias 'default'/);
    }
    await Author.objects.create({ name: 'In the test database' });
    assert.equal(await Author.objects.count(), 1);
    await teardownTestDatabases(dbs);
    assert.equal(connections.get('default').settings.name, original);
    if (ctx.vendor !== 'sqlite') {
      const sql =
        ctx.vendor === 'postgresql'
          ? 'SELECT 1 FROM pg_database WHERE datname = %s'
          : 'SELECT 1 FROM information_schema.schemata WHERE schema_name = %s';
      const { rows } = await connections.get('default').execute(sql, [`test_${original}_dbt`]);
      assert.equal(rows.length, 0, 'the test database was dropped');
    }
  });

  test(
    'keepdb reuses the database and its rows',
    { skip: ctx.vendor === 'sqlite' && 'in memory' },
    async () => {
      const first = await setupTestDatabases({ suffix: 'keep', keepdb: true });
      await Author.objects.create({ name: 'Kept' });
      await teardownTestDatabases(first);
      const lines: string[] = [];
      const again = await setupTestDatabases({
        suffix: 'keep',
        keepdb: true,
        log: (l) => lines.push(l),
      });
      try {
        assert.match(lines.join('\n'), /Using existing test database/);
        assert.equal(await Author.objects.filter({ name: 'Kept' }).count(), 1);
      } finally {
        await teardownTestDatabases({ ...again, keepdb: false });
      }
    },
  );
});
