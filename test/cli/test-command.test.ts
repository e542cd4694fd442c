/**
 * `reinhardt test` on a project folder: test databases made once (migrations
 * applied, data migrations included), the project's test files run by node's
 * test runner against them, the databases dropped, the exit status passed on.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCI, probe, targets, type BackendTarget } from '../support/backends.js';

const bin = fileURLToPath(new URL('../../bin/reinhardt.js', import.meta.url));
const base = join(process.cwd(), '.tmp', `test-command-${process.pid}`);
after(() => rmSync(base, { recursive: true, force: true }));

function run(cwd: string, args: string[]) {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of ['REINHARDT_SETTINGS', 'NODE_TEST_CONTEXT', 'NODE_OPTIONS']) delete env[name];
  return new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'test', ...args, '--settings', './settings.ts'], {
      cwd,
      env,
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

const MIGRATION = `import { BigAutoField, CharField } from 'reinhardt/db';
import { CreateModel, Migration, RunCode } from 'reinhardt/db/migrations';

export default new Migration({
  initial: true,
  dependencies: [],
  operations: [
    new CreateModel({
      name: 'Genre',
      fields: { id: BigAutoField({ primaryKey: true }), name: CharField({ maxLength: 30 }) },
    }),
    new RunCode({
      code: async (apps, editor) => {
        await apps.getModel('catalog', 'Genre').objects.using(editor.connection.alias).create({ name: 'poetry' });
      },
      reverseCode: RunCode.noop,
    }),
  ],
});
`;

const TESTS = `import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connection } from 'reinhardt/db';
import { useTestCase } from 'reinhardt/test';
import { Genre } from '../catalog/models.ts';

describe('genres', () => {
  useTestCase();
  test('the data migration ran in the test database', async () => {
    assert.deepEqual(await Genre.objects.valuesList('name', { flat: true }), ['poetry']);
    assert.match(String(connection.settings.name), /^(test_|:memory:)/);
  });
  test('each test is isolated', async () => {
    await Genre.objects.create({ name: 'drama' });
    assert.equal(await Genre.objects.count(), 2);
  });
  test('still one', async () => {
    assert.equal(await Genre.objects.count(), 1);
  });
});
`;

function project(target: BackendTarget, failing = false): string {
  const dir = join(base, `${target.vendor}${failing ? '-failing' : ''}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'catalog', 'migrations'), { recursive: true });
  mkdirSync(join(dir, 'tests'), { recursive: true });
  const database =
    target.vendor === 'sqlite' ? { engine: 'sqlite', name: 'dev.sqlite3' } : target.settings;
  writeFileSync(
    join(dir, 'settings.ts'),
    `export default ${JSON.stringify({ secretKey: 'test-command', installedApps: ['./catalog'], databases: { default: database } })};\n`,
  );
  writeFileSync(
    join(dir, 'catalog', 'models.ts'),
    `import { CharField, type Manager, Model } from 'reinhardt/db';\n` +
      `export class Genre extends Model({ name: CharField({ maxLength: 30 }) }) {\n  declare static objects: Manager<Genre>;\n}\n`,
  );
  writeFileSync(join(dir, 'catalog', 'migrations', '0001_initial.ts'), MIGRATION);
  writeFileSync(
    join(dir, 'tests', 'genres.test.ts'),
    failing ? TESTS.replace("['poetry']", "['prose']") : TESTS,
  );
  return dir;
}

for (const target of targets) {
  describe(`reinhardt test [${target.vendor}]`, () => {
    test('runs the project tests on migrated test databases, then drops them', async (t) => {
      const unreachable = await probe(target.settings);
      if (unreachable) {
        if (isCI) throw unreachable;
        return t.skip(String(unreachable));
      }
      const { code, out } = await run(project(target), []);
      assert.equal(code, 0, out);
      assert.match(out, /ℹ pass 3\n/);
      assert.match(out, /ℹ fail 0\n/);
      if (target.vendor !== 'sqlite') {
        assert.match(out, /Creating test database for alias 'default' \('test_/);
        assert.match(out, /Applying catalog\.0001_initial\.\.\. OK/);
        assert.match(out, /Destroying test database for alias 'default'/);
      }
    });
  });
}

describe('reinhardt test failures', () => {
  test('a failing test makes the command fail; --nomigrations skips the data migration', async () => {
    const sqlite = targets.find((t) => t.vendor === 'sqlite')!;
    const failing = await run(project(sqlite, true), []);
    assert.equal(failing.code, 1, failing.out);
    assert.match(failing.out, /ℹ fail 1\n/);
    const noMigrations = await run(project(sqlite), ['--nomigrations', '-k', 'data migration']);
    assert.equal(noMigrations.code, 1, noMigrations.out);
    assert.match(noMigrations.out, /actual: \[\]/);
  });
});
