/**
 * The migration commands as a user runs them (`bin/reinhardt.js` in a
 * project folder): makemigrations (--check, --dry-run), showmigrations,
 * sqlmigrate, migrate (--plan, progress, zero), lintmigrations; and two
 * `migrate` processes started at once on one database, serialised by the
 * migrate lock (PostgreSQL advisory lock, MySQL GET_LOCK).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCI, probe, targets, type BackendTarget } from '../support/backends.js';
import { connections } from '../../src/db/connections.js';

const bin = fileURLToPath(new URL('../../bin/reinhardt.js', import.meta.url));
const base = join(process.cwd(), '.tmp', `cli-migrations-${process.pid}`);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function reinhardt(cwd: string, args: string[]): Promise<Run> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of ['REINHARDT_SETTINGS', 'NODE_TEST_CONTEXT', 'NODE_OPTIONS']) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args, '--settings', './settings.ts'], {
      cwd,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A project folder: settings for `target`, one app `shop` with one model. */
function makeProject(target: BackendTarget): string {
  const dir = join(base, target.vendor);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'shop'), { recursive: true });
  const database =
    target.vendor === 'sqlite'
      ? { engine: 'sqlite', name: join(dir, 'db.sqlite3') }
      : target.settings;
  writeFileSync(
    join(dir, 'settings.ts'),
    `export default ${JSON.stringify({ secretKey: 'cli-migrations-test', installedApps: ['./shop'], databases: { default: database } }, null, 2)};\n`,
  );
  writeFileSync(
    join(dir, 'shop', 'models.ts'),
    `import { CharField, IntegerField, Model } from 'reinhardt/db';\n\n` +
      `export class Product extends Model({\n  name: CharField({ maxLength: 50 }),\n  stock: IntegerField({ default: 0 }),\n}) {}\n`,
  );
  return dir;
}

/** A second migration that holds the lock for a second, so two runs overlap. */
function slowMigration(dir: string, vendor: string): void {
  const sleep = vendor === 'postgresql' ? 'SELECT pg_sleep(1)' : 'SELECT SLEEP(1)';
  writeFileSync(
    join(dir, 'shop', 'migrations', '0002_slow.ts'),
    `import { CharField } from 'reinhardt/db';\n` +
      `import { AddField, Migration, RunSQL } from 'reinhardt/db/migrations';\n\n` +
      `export default new Migration({\n  dependencies: [['shop', '0001_initial']],\n  operations: [\n` +
      `    new RunSQL({ sql: '${sleep}', reverseSql: RunSQL.noop }),\n` +
      `    new AddField({ modelName: 'Product', name: 'sku', field: CharField({ maxLength: 20, default: '' }) }),\n` +
      `  ],\n});\n`,
  );
}

after(() => rmSync(base, { recursive: true, force: true }));

/** Drops what the project creates on a server database, and its migration records. */
async function cleanDatabase(target: BackendTarget): Promise<void> {
  await connections.configure({ default: target.settings });
  const connection = connections.get('default');
  try {
    await connection.schemaEditor((e) => e.dropTable('shop_product', { ifExists: true }));
    const q = (n: string) => connection.ops.quoteName(n);
    await connection
      .execute(`DELETE FROM ${q('reinhardt_migrations')} WHERE ${q('app')} = %s`, ['shop'])
      .catch(() => undefined);
  } finally {
    await connections.closeAll();
  }
}

for (const target of targets) {
  describe(`migration commands [${target.vendor}]`, () => {
    let dir = '';
    let reachable: Error | null = null;
    before(async () => {
      reachable = await probe(target.settings);
      if (reachable && isCI)
        throw new Error(`${target.vendor} unreachable with CI=true: ${reachable.message}`);
      dir = makeProject(target);
      // Leftovers of an earlier run on a shared server.
      if (!reachable && target.vendor !== 'sqlite') await cleanDatabase(target);
    });
    after(async () => {
      if (!reachable && target.vendor !== 'sqlite') await cleanDatabase(target);
    });

    test('makemigrations --check fails while changes are pending, then writes the initial migration', async (t) => {
      if (reachable) return t.skip(String(reachable));
      const check = await reinhardt(dir, ['makemigrations', '--check']);
      assert.equal(check.code, 1, check.stderr);
      assert.match(
        check.stdout,
        /Migrations for 'shop':\n {2}shop\/migrations\/0001_initial\.ts\n {4}- Create model Product/,
      );
      assert.ok(
        !existsSync(join(dir, 'shop', 'migrations', '0001_initial.ts')),
        '--check writes nothing',
      );
      const made = await reinhardt(dir, ['makemigrations']);
      assert.equal(made.code, 0, made.stderr);
      assert.ok(existsSync(join(dir, 'shop', 'migrations', '0001_initial.ts')));
      const again = await reinhardt(dir, ['makemigrations', '--check']);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(again.stdout, 'No changes detected\n');
    });

    test('showmigrations, sqlmigrate, migrate --plan, migrate with progress', async (t) => {
      if (reachable) return t.skip(String(reachable));
      const before = await reinhardt(dir, ['showmigrations']);
      assert.equal(before.stdout, 'shop\n [ ] 0001_initial\n', before.stderr);
      const sql = await reinhardt(dir, ['sqlmigrate', 'shop', '0001']);
      assert.equal(sql.code, 0, sql.stderr);
      assert.match(sql.stdout, /-- Create model Product\n--\nCREATE TABLE ["`]shop_product["`]/);
      if (target.vendor !== 'mysql') assert.match(sql.stdout, /^BEGIN;\n[\s\S]*COMMIT;\n$/);
      const plan = await reinhardt(dir, ['migrate', '--plan']);
      assert.equal(
        plan.stdout,
        'Planned operations:\nshop.0001_initial\n    Create model Product\n',
      );
      const run = await reinhardt(dir, ['migrate']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Operations to perform:\n {2}Apply all migrations: shop\n/);
      assert.match(
        run.stdout,
        /Running migrations:\n {2}Applying shop\.0001_initial\.\.\. OK \(\d+\.\d{3}s\)\n/,
      );
      if (target.vendor === 'mysql') assert.match(run.stdout, /cannot roll back schema changes/);
      const shown = await reinhardt(dir, ['showmigrations']);
      assert.equal(shown.stdout, 'shop\n [X] 0001_initial\n');
    });

    test('migrate --lint refuses unsafe migrations before applying anything; sqlmigrate --backwards', async (t) => {
      if (reachable) return t.skip(String(reachable));
      if (target.vendor === 'sqlite')
        return t.skip('the slow migration uses a server sleep function');
      slowMigration(dir, target.vendor);
      const lint = await reinhardt(dir, ['migrate', '--lint']);
      assert.equal(lint.code, 1, lint.stdout);
      assert.match(
        lint.stderr,
        /Unsafe operations in the planned migrations \(nothing was applied\):\nshop\.0002_slow \[2\] Add field sku to product\n {2}rule: not-null-column/,
      );
      const shown = await reinhardt(dir, ['showmigrations']);
      assert.equal(shown.stdout, 'shop\n [X] 0001_initial\n [ ] 0002_slow\n');
      const back = await reinhardt(dir, ['sqlmigrate', 'shop', '0002', '--backwards']);
      assert.equal(back.code, 0, back.stderr);
      assert.match(
        back.stdout,
        /-- Add field sku to product\n--\nALTER TABLE ["`]shop_product["`] DROP COLUMN ["`]sku["`]/,
      );
    });

    test('two migrate processes at once: one applies, the other waits and finds nothing to do', async (t) => {
      if (reachable) return t.skip(String(reachable));
      if (target.vendor === 'sqlite')
        return t.skip('SQLite has no advisory lock (one writer at a time)');
      slowMigration(dir, target.vendor);
      const [a, b] = await Promise.all([reinhardt(dir, ['migrate']), reinhardt(dir, ['migrate'])]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      const applied = [a, b].filter((r) => r.stdout.includes('Applying shop.0002_slow... OK'));
      const idle = [a, b].filter((r) => r.stdout.includes('No migrations to apply.'));
      assert.equal(applied.length, 1, a.stdout + b.stdout);
      assert.equal(idle.length, 1, a.stdout + b.stdout);
      const shown = await reinhardt(dir, ['showmigrations']);
      assert.equal(shown.stdout, 'shop\n [X] 0001_initial\n [X] 0002_slow\n');
    });

    test('lintmigrations reports unsafe operations with rule, risk and safe pattern', async (t) => {
      if (reachable) return t.skip(String(reachable));
      const lint = await reinhardt(dir, ['lintmigrations', 'shop']);
      if (target.vendor === 'sqlite') {
        assert.equal(lint.code, 0, lint.stdout + lint.stderr);
        return;
      }
      assert.equal(lint.code, 1, lint.stderr);
      assert.match(
        lint.stdout,
        /shop\.0002_slow \[2\] Add field sku to product\n {2}rule: not-null-column\n {2}risk: .+\n {2}safe: Three steps/,
      );
    });

    test('optimizemigration folds a migration in place (--check reports it)', async (t) => {
      if (reachable) return t.skip(String(reachable));
      writeFileSync(
        join(dir, 'shop', 'migrations', '0003_noise.ts'),
        `import { IntegerField } from 'reinhardt/db';\n` +
          `import { AddField, Migration, RemoveField } from 'reinhardt/db/migrations';\n\n` +
          `export default new Migration({\n  dependencies: [['shop', '${target.vendor === 'sqlite' ? '0001_initial' : '0002_slow'}']],\n  operations: [\n` +
          `    new AddField({ modelName: 'Product', name: 'tmp', field: IntegerField({ null: true }) }),\n` +
          `    new RemoveField({ modelName: 'Product', name: 'tmp' }),\n  ],\n});\n`,
      );
      const check = await reinhardt(dir, ['optimizemigration', 'shop', '0003', '--check']);
      assert.equal(check.code, 1, check.stderr);
      assert.equal(check.stdout, 'Optimizing from 2 operations to 0 operations.\n');
      const run = await reinhardt(dir, ['optimizemigration', 'shop', '0003']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(
        readFileSync(join(dir, 'shop', 'migrations', '0003_noise.ts'), 'utf8'),
        /operations: \[\]/,
      );
      const again = await reinhardt(dir, ['optimizemigration', 'shop', '0003']);
      assert.equal(again.stdout, 'No optimizations possible.\n');
    });

    test('migrate shop zero unapplies everything', async (t) => {
      if (reachable) return t.skip(String(reachable));
      const zero = await reinhardt(dir, ['migrate', 'shop', 'zero']);
      assert.equal(zero.code, 0, zero.stderr);
      assert.match(zero.stdout, /Unapplying shop\.0001_initial\.\.\. OK/);
      const shown = await reinhardt(dir, ['showmigrations']);
      assert.match(shown.stdout, /\[ \] 0001_initial/);
    });
  });
}
