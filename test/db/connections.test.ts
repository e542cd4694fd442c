import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeEachBackend, type BackendTarget } from '../support/backends.js';
import {
  connections,
  router,
  ConnectionDoesNotExist,
  ConnectionHandler,
  createWrapper,
} from '../../src/db/connections.js';
import { atomic } from '../../src/db/transaction.js';
import { OperationalError } from '../../src/db/errors.js';
import { ImproperlyConfigured } from '../../src/core/exceptions.js';
import type { DatabaseRouter } from '../../src/conf/types.js';
import { configureSettings, overrideSettings, resetSettings } from '../../src/conf/index.js';

const replicaOf = (t: BackendTarget) => ({
  replica: {
    ...t.settings,
    name: t.settings.engine === 'sqlite' ? ':memory:' : `${t.settings.name}_replica`,
  },
});

test('configuration errors are clear', async () => {
  const handler = new ConnectionHandler();
  assert.throws(() => handler.get(), { message: /settings.databases is improperly configured/ });
  await handler.configure({ default: { engine: 'sqlite', name: ':memory:' } });
  assert.throws(
    () => handler.get('nope'),
    (e: unknown) => {
      assert.ok(e instanceof ConnectionDoesNotExist);
      assert.equal((e as Error).message, "The connection 'nope' doesn't exist.");
      return true;
    },
  );
  await handler.configure({ other: { engine: 'sqlite', name: ':memory:' } });
  assert.throws(() => handler.get('other'), { message: "You must define a 'default' database." });
  assert.throws(
    () => createWrapper('x', { engine: 'oracle' as 'sqlite', name: 'n' }),
    (e: unknown) =>
      e instanceof ImproperlyConfigured &&
      /'oracle' isn't an available database backend/.test((e as Error).message),
  );
});

test('connections and routers come from settings; DEBUG turns on the query log', async () => {
  resetSettings();
  await connections.reset();
  const toArchive: DatabaseRouter = {
    dbForRead: (model) => ((model as { name: string }).name === 'Log' ? 'archive' : undefined),
  };
  configureSettings({
    debug: true,
    databases: {
      default: { engine: 'sqlite', name: ':memory:' },
      archive: { engine: 'sqlite', name: ':memory:' },
    },
    databaseRouters: [toArchive],
  });
  try {
    assert.deepEqual(connections.aliases, ['default', 'archive']);
    assert.equal(connections.get().vendor, 'sqlite');
    assert.equal(router.dbForRead({ name: 'Log' }), 'archive');
    assert.equal(router.dbForRead({ name: 'Book' }), 'default');
    await connections.get().execute('SELECT 1');
    assert.equal(connections.get().queries.length, 1);
    await overrideSettings({ debug: false }, async () => {
      await connections.get().execute('SELECT 2');
    });
    assert.equal(connections.get().queries.length, 1, 'not recorded while DEBUG is overridden off');
  } finally {
    await connections.reset();
    resetSettings();
  }
});

describeEachBackend(
  'connections and routers',
  (ctx) => {
    test('each alias has its own connection; using an alias reaches its database', async () => {
      const replica = connections.get('replica');
      assert.notEqual(replica, ctx.connection);
      assert.equal(replica.alias, 'replica');
      for (const c of [ctx.connection, replica]) {
        await c.execute('DROP TABLE IF EXISTS conn_t_where');
        await c.execute('CREATE TABLE conn_t_where (name varchar(20))');
        await c.execute('INSERT INTO conn_t_where (name) VALUES (%s)', [c.alias]);
      }
      const seen = await Promise.all(
        ['default', 'replica'].map(async (alias) => {
          const { rows } = await connections
            .get(alias)
            .execute<{ name: string }>('SELECT name FROM conn_t_where');
          return rows.map((r) => r.name);
        }),
      );
      assert.deepEqual(seen, [['default'], ['replica']]);
    });

    test('a router sends reads to the replica and writes to the primary', async () => {
      class PrimaryReplicaRouter implements DatabaseRouter {
        dbForRead() {
          return 'replica';
        }
        dbForWrite() {
          return 'default';
        }
        allowRelation() {
          return true;
        }
        allowMigrate(db: string) {
          return db === 'default';
        }
      }
      router.setRouters([new PrimaryReplicaRouter()]);
      try {
        const Book = { name: 'Book' };
        await connections
          .get(router.dbForWrite(Book))
          .execute('INSERT INTO conn_t_where (name) VALUES (%s)', ['written']);
        const read = await connections
          .get(router.dbForRead(Book))
          .execute<{ name: string }>('SELECT name FROM conn_t_where ORDER BY name');
        // The replica did not receive the write: the read went elsewhere.
        assert.deepEqual(
          read.rows.map((r) => r.name),
          ['replica'],
        );
        const primary = await connections
          .get('default')
          .execute<{ name: string }>('SELECT name FROM conn_t_where ORDER BY name');
        assert.deepEqual(
          primary.rows.map((r) => r.name),
          ['default', 'written'],
        );
        assert.equal(router.allowMigrate('default', 'library'), true);
        assert.equal(router.allowMigrate('replica', 'library'), false);
        assert.equal(router.allowRelation({}, {}), true);
      } finally {
        router.setRouters(null);
      }
    });

    test('routers are asked in order; no opinion falls through to the instance database, then default', () => {
      const calls: string[] = [];
      router.setRouters([
        { dbForRead: () => (calls.push('first'), undefined) },
        {
          dbForRead: (model) => (
            calls.push('second'),
            (model as { name: string }).name === 'Log' ? 'replica' : null
          ),
        },
      ]);
      try {
        assert.equal(router.dbForRead({ name: 'Log' }), 'replica');
        assert.deepEqual(calls, ['first', 'second']);
        assert.equal(router.dbForRead({ name: 'Book' }), 'default');
        assert.equal(
          router.dbForRead({ name: 'Book' }, { instance: { _state: { db: 'replica' } } }),
          'replica',
        );
        assert.equal(
          router.allowRelation({ _state: { db: 'default' } }, { _state: { db: 'replica' } }),
          false,
        );
        assert.equal(
          router.allowRelation({ _state: { db: 'replica' } }, { _state: { db: 'replica' } }),
          true,
        );
        assert.equal(router.allowMigrate('replica', 'library'), true);
      } finally {
        router.setRouters(null);
      }
    });

    test('transactions are per alias', async () => {
      const replica = connections.get('replica');
      await assert.rejects(
        atomic(async () => {
          await ctx.connection.execute('INSERT INTO conn_t_where (name) VALUES (%s)', [
            'rolled-back',
          ]);
          await replica.execute('INSERT INTO conn_t_where (name) VALUES (%s)', ['autocommitted']);
          throw new Error('x');
        }),
      );
      const primary = await ctx.connection.execute<{ name: string }>(
        'SELECT name FROM conn_t_where',
      );
      assert.ok(!primary.rows.some((r) => r.name === 'rolled-back'));
      const rep = await replica.execute<{ name: string }>('SELECT name FROM conn_t_where');
      assert.ok(rep.rows.some((r) => r.name === 'autocommitted'));
      for (const c of [ctx.connection, replica]) await c.execute('DROP TABLE conn_t_where');
    });

    test('waiting too long for a pooled connection fails clearly', async () => {
      const tiny = createWrapper('tiny', {
        ...ctx.target.settings,
        name: ctx.target.settings.engine === 'sqlite' ? ':memory:' : ctx.target.settings.name,
        pool: { max: 1, acquireTimeoutMs: 150 },
      });
      try {
        let release!: () => void;
        const held = tiny.atomic(() => new Promise<void>((r) => (release = r)));
        await sleep(20);
        await assert.rejects(tiny.execute('SELECT 1'), (e: unknown) => {
          assert.ok(e instanceof OperationalError);
          assert.match(
            (e as Error).message,
            /^Timed out after 150 ms waiting for a connection to database 'tiny' \(.*1 of 1 connection\(s\) in use\)/,
          );
          return true;
        });
        release();
        await held;
        await tiny.execute('SELECT 1');
      } finally {
        await tiny.close();
      }
    });
  },
  { extraDatabases: replicaOf },
);

describeEachBackend(
  'connection failures',
  (ctx) => {
    test('an unreachable server gives an OperationalError naming the alias, backend, host and cause', async () => {
      const down = createWrapper('down', {
        ...ctx.target.settings,
        port: 1,
        pool: { connectTimeoutMs: 2000, acquireTimeoutMs: 3000 },
      });
      await assert.rejects(down.execute('SELECT 1'), (e: unknown) => {
        assert.ok(e instanceof OperationalError);
        assert.ok(
          (e as Error).message.startsWith(`Could not connect to database 'down' (`) &&
            (e as Error).message.includes(`at 127.0.0.1:1, database '${ctx.target.settings.name}'`),
          (e as Error).message,
        );
        assert.match((e as Error).message, /ECONNREFUSED/);
        return true;
      });
      // Nothing is cached: pointing at a live server works without a restart.
      await down.close();
    });

    test('connections killed by the server are replaced; the database is used again without a restart', async () => {
      const conn = ctx.connection;
      await conn.execute('SELECT 1');
      const admin = createWrapper('admin', ctx.target.settings);
      try {
        if (ctx.vendor === 'postgresql') {
          await admin.execute(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()',
            [ctx.target.settings.name],
          );
        } else {
          const { rows } = await admin.execute<{ id: number }>(
            'SELECT id FROM information_schema.processlist WHERE db = %s AND id <> CONNECTION_ID()',
            [ctx.target.settings.name],
          );
          for (const r of rows) await admin.execute(`KILL ${Number(r.id)}`).catch(() => undefined);
        }
      } finally {
        await admin.close();
      }
      // The first statement may land on a connection the pool has not yet seen die;
      // it fails with a clear error and the connection is dropped. The next ones work.
      let failures = 0;
      let ok = 0;
      for (let i = 0; i < 3; i++) {
        try {
          await conn.execute('SELECT 1');
          ok += 1;
        } catch (e) {
          assert.ok(e instanceof OperationalError, String(e));
          failures += 1;
        }
      }
      assert.ok(failures <= 1, `${failures} failures`);
      assert.ok(ok >= 2);
    });
  },
  { only: ['postgresql', 'mysql'] },
);
