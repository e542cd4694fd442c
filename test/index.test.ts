import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as root from 'reinhardt';
import * as db from 'reinhardt/db';
import * as sqlite from 'reinhardt/db/backends/sqlite';

test('the package exposes its subpaths by name', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  assert.equal(root.getVersion(), pkg.version);
  assert.equal(typeof root.defineSettings, 'function');
  assert.equal(typeof db.atomic, 'function');
  assert.equal(sqlite.DatabaseWrapper, sqlite.SQLiteWrapper);
});

test('importing a backend does not load its driver', async () => {
  const { spawnSync } = await import('node:child_process');
  const script = `
    import { createRequire } from 'node:module';
    await import('reinhardt/db');
    await import('reinhardt/db/backends/postgresql');
    await import('reinhardt/db/backends/mysql');
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((p) => /node_modules\\/(pg|mysql2|better-sqlite3)\\//.test(p));
    process.stdout.write(JSON.stringify(loaded));
  `;
  const result = spawnSync(
    process.execPath,
    ['--conditions=reinhardt-source', '--import', 'tsx', '--input-type=module', '-e', script],
    { encoding: 'utf8', cwd: new URL('..', import.meta.url).pathname },
  );
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), []);
});
