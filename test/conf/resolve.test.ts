import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { settingsModuleCandidates } from '../../src/conf/index.js';

const cwd = join('/', 'srv', 'app');
const p = (...parts: string[]) => join(cwd, ...parts);

test('a dotted name becomes a path: extensions in order, then index files', () => {
  assert.deepEqual(settingsModuleCandidates('config.settings.test', cwd), [
    p('config/settings/test.ts'),
    p('config/settings/test.js'),
    p('config/settings/test.mts'),
    p('config/settings/test.mjs'),
    p('config/settings/test/index.ts'),
    p('config/settings/test/index.js'),
    p('config/settings/test/index.mts'),
    p('config/settings/test/index.mjs'),
  ]);
});

test('a path is tried as given first', () => {
  const candidates = settingsModuleCandidates('./config/settings/development.ts', cwd);
  assert.equal(candidates[0], p('config/settings/development.ts'));
  assert.equal(candidates[1], p('config/settings/development.ts.ts'));
});

test('an absolute path and a file URL', () => {
  assert.equal(settingsModuleCandidates('/etc/app/settings', cwd)[0], '/etc/app/settings');
  assert.equal(settingsModuleCandidates('/etc/app/settings', cwd)[1], '/etc/app/settings.ts');
  const url = pathToFileURL('/etc/app/settings.mjs').href;
  assert.equal(settingsModuleCandidates(url, cwd)[0], '/etc/app/settings.mjs');
});

test('a bare file name with an extension is tried as a file, then as a dotted name', () => {
  const candidates = settingsModuleCandidates('settings.ts', cwd);
  assert.equal(candidates[0], p('settings.ts'));
  assert.ok(candidates.includes(p('settings/ts.ts')));
});
