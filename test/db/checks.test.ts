import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../support/backends.js';
import { runChecks } from '../../src/core/checks/index.js';
import { connections } from '../../src/db/connections.js';
import '../../src/db/checks.js';

describeEachBackend('database system checks', (ctx) => {
  test('a reachable database passes; database checks run only for the aliases asked for', async () => {
    assert.deepEqual(await runChecks({ tags: ['database'], databases: ['default'] }), []);
    assert.deepEqual(await runChecks({ tags: ['database'] }), []);
  });

  test('database.E001 names the alias and what failed when the server cannot be reached', async () => {
    await connections.configure({
      default: ctx.target.settings,
      broken:
        ctx.vendor === 'sqlite'
          ? { engine: 'sqlite', name: '/nonexistent-dir/db.sqlite3' }
          : { ...ctx.target.settings, port: 1 },
    });
    const messages = await runChecks({ tags: ['database'], databases: ['default', 'broken'] });
    assert.equal(messages.length, 1);
    assert.equal(messages[0]!.id, 'database.E001');
    assert.match(messages[0]!.msg, /'broken'/);
    assert.equal(
      messages[0]!.hint,
      "Check settings.databases['broken'] and that the server is running.",
    );
    await connections.configure({ default: ctx.target.settings });
  });

  test('mysql.W002 warns when a MySQL/MariaDB session runs without strict mode', async (t) => {
    if (ctx.vendor !== 'mysql') return t.skip('MySQL only');
    await connections.configure({
      default: ctx.target.settings,
      single: { ...ctx.target.settings, pool: { max: 1 } },
    });
    // One pooled connection: the check runs on the session changed here.
    const single = connections.get('single');
    await single.execute("SET SESSION sql_mode = ''");
    const messages = await runChecks({ tags: ['database'], databases: ['single'] });
    assert.deepEqual(
      messages.map((m) => [m.id, m.msg]),
      [['mysql.W002', "MariaDB Strict Mode is not set for database connection 'single'"]],
    );
    await connections.configure({ default: ctx.target.settings });
  });
});
