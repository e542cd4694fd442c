/**
 * The common-password list ships: the build copies every src/…/data/ folder into dist/
 * (scripts/copy-assets.mjs, run by `npm run build`), where the validator
 * looks for it relative to its own module.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { DEFAULT_PASSWORD_LIST_PATH } from '../../src/auth/index.js';

const root = join(import.meta.dirname, '..', '..');

test('the build copies the password list to where the compiled validator reads it', () => {
  const src = join(root, 'src');
  const moduleDir = join(src, 'auth', 'password-validation');
  const fromModule = relative(moduleDir, DEFAULT_PASSWORD_LIST_PATH);
  assert.equal(fromModule, join('..', 'data', 'common-passwords.txt.gz'));

  const out = mkdtempSync(join(tmpdir(), 'reinhardt-dist-'));
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'copy-assets.mjs'), src, out], {
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  const compiledModuleDir = join(out, relative(src, moduleDir));
  const shipped = join(compiledModuleDir, fromModule);
  assert.equal(dirname(shipped), join(out, 'auth', 'data'));
  assert.deepEqual(readFileSync(shipped), readFileSync(DEFAULT_PASSWORD_LIST_PATH));
});

test('package.json builds with the copy step and ships dist/', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
    files: string[];
    exports: Record<string, Record<string, string>>;
  };
  assert.match(pkg.scripts.build!, /node scripts\/copy-assets\.mjs/);
  assert.ok(pkg.files.includes('dist'));
  assert.deepEqual(pkg.exports['./auth'], {
    'reinhardt-source': './src/auth/index.ts',
    types: './dist/auth/index.d.ts',
    default: './dist/auth/index.js',
  });
});
