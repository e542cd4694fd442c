/**
 * Test databases: created per alias (`test_<name>`, in memory for SQLite),
 * migrations applied (or, with migrate: false, the registered models' tables
 * made directly), dropped afterwards unless keepdb.
 */
import { after, before, test } from 'node:test';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../support/backends.js';
import { Author } from '../support/bookstore.js';
import { connections } from '../../src/db/connections.js';
import { setupTestDatabases, teardownTestDatabases } from '../../src/test/index.js';
import { apps, BigAutoField, CharField, type Manager, Model } from '../../src/db/models/index.js';
import {
  CreateModel,
  Migration,
  MigrationRecorder,
  migrationSource,
  RunCode,
} from '../../src/db/migrations/index.js';

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

const migrationsDir = join(
  process.cwd(),
  '.tmp',
  `test-databases-${process.pid}`,
  'tdm',
  'migrations',
);

class Color extends Model({ name: CharField({ maxLength: 20 }) }) {
  declare static objects: Manager<Color>;
}
apps.register('tdm', { Color });

describeEachBackend('test databases and migrations', () => {
  before(() => {
    rmSync(migrationsDir, { recursive: true, force: true });
    mkdirSync(migrationsDir, { recursive: true });
    const initial = new Migration({
      appLabel: 'tdm',
      name: '0001_initial',
      initial: true,
      operations: [
        new CreateModel({
          name: 'Color',
          fields: { id: BigAutoField({ primaryKey: true }), name: CharField({ maxLength: 20 }) },
        }),
        // Data a migration brings: only a migrated database has it.
        new RunCode({
          code: async (migrationApps, editor) => {
            const C = migrationApps.getModel('tdm', 'Color');
            await C.objects.using(editor.connection.alias).create({ name: 'red' });
          },
          reverseCode: RunCode.noop,
        }),
      ],
    });
    writeFileSync(join(migrationsDir, '0001_initial.ts'), migrationSource(initial));
  });
  after(() => rmSync(join(migrationsDir, '..', '..'), { recursive: true, force: true }));

  test('apps with migrations are migrated; the others get tables from the models', async () => {
    const lines: string[] = [];
    const dbs = await setupTestDatabases({
      suffix: 'mig',
      migrationDirectories: { tdm: migrationsDir },
      log: (l) => lines.push(l),
    });
    try {
      assert.deepEqual((await Color.objects.valuesList('name', { flat: true })).map(String), [
        'red',
      ]);
      const applied = await new MigrationRecorder(connections.get('default')).appliedMigrations();
      assert.deepEqual([...applied.keys()], ['tdm.0001_initial']);
      assert.match(lines.join('\n'), /Applying tdm\.0001_initial\.\.\. OK/);
      // The bookstore's apps have no migrations: their tables come from the models.
      assert.equal(await Author.objects.count(), 0);
    } finally {
      await teardownTestDatabases(dbs);
    }
  });

  test('migrate: false creates every table from the models (faster, no migration data)', async () => {
    const dbs = await setupTestDatabases({
      suffix: 'nomig',
      migrate: false,
      migrationDirectories: { tdm: migrationsDir },
    });
    try {
      assert.equal(await Color.objects.count(), 0);
      const applied = await new MigrationRecorder(connections.get('default')).appliedMigrations();
      assert.equal(applied.size, 0);
    } finally {
      await teardownTestDatabases(dbs);
    }
  });
});
