import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('npm start example: creates and seeds an SQLite database, then lists its books', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reinhardt-hello-'));
  try {
    const run = () =>
      spawnSync(
        process.execPath,
        ['--conditions=reinhardt-source', '--import', 'tsx', 'examples/hello/main.ts', '--once'],
        {
          cwd: join(import.meta.dirname, '..', '..'),
          encoding: 'utf8',
          env: { ...process.env, DATABASE_URL: `sqlite:///${join(dir, 'hello.sqlite3')}` },
        },
      );
    for (let i = 0; i < 2; i++) {
      // The second run finds the database already seeded.
      const result = run();
      assert.equal(result.status, 0, result.stderr);
      const body = JSON.parse(result.stdout) as { books: { title: string }[]; queries: string[] };
      assert.deepEqual(
        body.books.map((b) => b.title),
        ['Two Scoops of Django', 'Django for APIs', 'High Performance Django'],
      );
      assert.equal(body.queries.length, 1);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
