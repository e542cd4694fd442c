import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  isConfigured,
  loadSettings,
  resetSettings,
  settings,
  settingsModulePath,
} from '../../src/conf/index.js';
import { ImproperlyConfigured } from '../../src/core/exceptions.js';

const root = mkdtempSync(join(tmpdir(), 'reinhardt-load-settings-'));
const originalCwd = process.cwd();
const originalEnv = process.env.REINHARDT_SETTINGS;
let counter = 0;

/** A fresh project folder (module URLs are cached, so each test gets its own files). */
function project(files: Record<string, string>, packageType: 'module' | 'commonjs' = 'module') {
  const dir = join(root, `p${++counter}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: packageType }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

afterEach(() => {
  resetSettings();
  process.chdir(originalCwd);
  if (originalEnv === undefined) delete process.env.REINHARDT_SETTINGS;
  else process.env.REINHARDT_SETTINGS = originalEnv;
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('loadSettings: finding the module', () => {
  test('an absolute file path', async () => {
    const dir = project({ 'settings.ts': 'export default { debug: true, emailPort: 2525 };' });
    await loadSettings(join(dir, 'settings.ts'));
    assert.equal(settings.debug, true);
    assert.equal(settings.emailPort, 2525);
    assert.equal(settings.emailHost, 'localhost', 'defaults are merged');
    assert.equal(settingsModulePath(), join(dir, 'settings.ts'));
  });

  test('a relative path without extension, resolved from the working directory', async () => {
    const dir = project({ 'config/settings/dev.ts': 'export default { debug: true };' });
    process.chdir(dir);
    await loadSettings('./config/settings/dev');
    assert.equal(settings.debug, true);
    assert.equal(settingsModulePath(), join(dir, 'config/settings/dev.ts'));
  });

  test('a dotted name; .ts is preferred over .js', async () => {
    const dir = project({
      'config/settings/production.ts': "export default { timeZone: 'from-ts' };",
      'config/settings/production.js': "export default { timeZone: 'from-js' };",
    });
    process.chdir(dir);
    await loadSettings('config.settings.production');
    assert.equal(settings.timeZone, 'from-ts');
  });

  test('a dotted name finds .js, .mjs and folder/index files', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'conf/a.js': "export default { timeZone: 'js' };" }, 'js'],
      [{ 'conf/a.mjs': "export default { timeZone: 'mjs' };" }, 'mjs'],
      [{ 'conf/a/index.ts': "export default { timeZone: 'index' };" }, 'index'],
    ];
    for (const [files, expected] of cases) {
      process.chdir(project(files));
      await loadSettings('conf.a');
      assert.equal(settings.timeZone, expected);
      resetSettings();
    }
  });

  test('REINHARDT_SETTINGS is used when no specifier is given', async () => {
    const dir = project({ 'mysite/settings.ts': "export default { languageCode: 'fr' };" });
    process.chdir(dir);
    process.env.REINHARDT_SETTINGS = 'mysite.settings';
    await loadSettings();
    assert.equal(settings.languageCode, 'fr');
  });

  test('a module that cannot be found: the error lists every file tried', async () => {
    const dir = project({});
    process.chdir(dir);
    process.env.REINHARDT_SETTINGS = 'config.settings.nope';
    await assert.rejects(loadSettings(), (error: unknown) => {
      assert.ok(error instanceof ImproperlyConfigured);
      assert.match(
        error.message,
        /^Cannot find the settings module 'config\.settings\.nope' \(from REINHARDT_SETTINGS\)\. Tried:\n/,
      );
      for (const ext of ['.ts', '.js', '.mts', '.mjs']) {
        assert.ok(error.message.includes(join(dir, 'config', 'settings', `nope${ext}`)), ext);
        assert.ok(
          error.message.includes(join(dir, 'config', 'settings', 'nope', `index${ext}`)),
          ext,
        );
      }
      return true;
    });
    assert.equal(isConfigured(), false);
  });

  test('no specifier and no REINHARDT_SETTINGS', async () => {
    delete process.env.REINHARDT_SETTINGS;
    await assert.rejects(
      loadSettings(),
      /Settings are not configured\. Set the REINHARDT_SETTINGS environment variable/,
    );
  });
});

describe('loadSettings: what the module exports', () => {
  test('a named `settings` export is used when there is no default export', async () => {
    const dir = project({ 's.ts': 'export const settings = { appendSlash: false };' });
    await loadSettings(join(dir, 's.ts'));
    assert.equal(settings.appendSlash, false);
  });

  test('a TypeScript module in a CommonJS package', async () => {
    // Compiled to CommonJS, its exports arrive wrapped in `default`.
    const dir = project({ 's.ts': "export default { timeZone: 'Europe/Paris' };" }, 'commonjs');
    await loadSettings(join(dir, 's.ts'));
    assert.equal(settings.timeZone, 'Europe/Paris');
  });

  test('a module without settings export is an error', async () => {
    const dir = project({ 's.ts': 'export const debug = true;' });
    await assert.rejects(
      loadSettings(join(dir, 's.ts')),
      /must export its settings as the default export .* or as a named export called 'settings'/,
    );
    assert.equal(isConfigured(), false);
  });

  test('an error raised by the module (a missing variable) reaches the caller unchanged', async () => {
    const dir = project({
      's.ts':
        "throw Object.assign(new Error('Set the SECRET_KEY environment variable'), { tag: 1 });",
    });
    await assert.rejects(loadSettings(join(dir, 's.ts')), {
      message: 'Set the SECRET_KEY environment variable',
      tag: 1,
    });
    assert.equal(isConfigured(), false);
  });

  test('a file Node cannot import gets a clear message', async () => {
    const dir = project({ 'settings.yaml': 'debug: true\n' });
    await assert.rejects(
      loadSettings(join(dir, 'settings.yaml')),
      /Cannot import the settings module '.*settings\.yaml': Node cannot import files with this extension\./,
    );
  });
});

describe('loadSettings: once configured', () => {
  test('loading the same module again is a no-op', async () => {
    const dir = project({ 's.ts': 'export default { debug: true };' });
    await loadSettings(join(dir, 's.ts'));
    process.chdir(dir);
    await loadSettings('./s.ts');
    assert.equal(settings.debug, true);
  });

  test('loading another module throws', async () => {
    const dir = project({ 'a.ts': 'export default {};', 'b.ts': 'export default {};' });
    await loadSettings(join(dir, 'a.ts'));
    await assert.rejects(
      loadSettings(join(dir, 'b.ts')),
      /^ImproperlyConfigured: Settings already configured from '.*a\.ts'; cannot load '.*b\.ts'/,
    );
  });
});
