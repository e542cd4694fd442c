/**
 * The helpers under Vitest: `useTestFramework` hands them Vitest's hooks, and
 * `useTestCase` isolates each test (run by the real Vitest in a child process).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(process.cwd(), '.tmp', `vitest-${process.pid}`);
after(() => rmSync(dir, { recursive: true, force: true }));

const src = join(process.cwd(), 'src');
const SPEC = `import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { useTestCase, useTestFramework } from '${src}/test/index.ts';
import { apps, CharField, connection, connections, createModelTables, Model } from '${src}/db/index.ts';

useTestFramework({ before: beforeAll, after: afterAll, beforeEach, afterEach });
class Note extends Model({ text: CharField({ maxLength: 20 }) }) {}
apps.register('vt', { Note });

describe('notes', () => {
  beforeAll(async () => {
    await connections.configure({ default: { engine: 'sqlite', name: ':memory:' } });
    await createModelTables(connection, [Note]);
  });
  const t = useTestCase({ setUpTestData: async () => ({ first: await Note.objects.create({ text: 'a' }) }) });
  test('writes inside its savepoint', async () => {
    await Note.objects.create({ text: 'b' });
    t.data.first.text = 'changed';
    expect(await Note.objects.count()).toBe(2);
  });
  test('sees none of it', async () => {
    expect(await Note.objects.count()).toBe(1);
    expect(t.data.first.text).toBe('a');
  });
});
`;

function vitest(): { status: number | null; out: string } {
  const r = spawnSync(
    process.execPath,
    [join('node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', dir, '--reporter', 'verbose'],
    {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, NODE_TEST_CONTEXT: undefined, CI: 'true' },
    },
  );
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('useTestCase isolates Vitest tests once useTestFramework has its hooks', () => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'notes.test.ts'), SPEC);
  const ok = vitest();
  assert.equal(ok.status, 0, ok.out);
  // eslint-disable-next-line no-control-regex
  assert.match(ok.out.replace(/\x1b\[[0-9;]*m/g, ''), /Tests +2 passed \(2\)/);
  // Without the hooks, node's test runner hooks cannot work under Vitest: the file fails.
  writeFileSync(
    join(dir, 'notes.test.ts'),
    readFileSync(join(dir, 'notes.test.ts'), 'utf8').replace(
      'useTestFramework({ before: beforeAll, after: afterAll, beforeEach, afterEach });',
      '',
    ),
  );
  const without = vitest();
  assert.notEqual(without.status, 0, without.out);
});
