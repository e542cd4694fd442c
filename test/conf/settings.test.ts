import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  configureSettings,
  globalSettings,
  isConfigured,
  resetSettings,
  settings,
  settingsModulePath,
} from '../../src/conf/index.js';
import { ImproperlyConfigured } from '../../src/core/exceptions.js';

afterEach(() => resetSettings());

describe('the lazy settings object', () => {
  test('importing it does not need settings; reading does', () => {
    assert.equal(isConfigured(), false);
    assert.throws(
      () => settings.debug,
      (error: unknown) =>
        error instanceof ImproperlyConfigured &&
        error.message ===
          'Requested setting debug, but settings are not configured. You must either define the ' +
            'environment variable REINHARDT_SETTINGS or call configureSettings() before accessing settings.',
    );
  });

  test('the error names the setting that was read', () => {
    assert.throws(
      () => settings.allowedHosts,
      /^ImproperlyConfigured: Requested setting allowedHosts,/,
    );
  });

  test('await, inspection and string conversion do not throw when unconfigured', async () => {
    // `then` and symbol keys are not settings; returning `settings` from an
    // async function or printing it must not trip the not-configured error.
    const same = await (async () => settings)();
    assert.equal(same, settings);
    assert.equal(Object.prototype.toString.call(settings), '[object Object]');
    assert.equal('debug' in settings, false);
  });
});

describe('configureSettings', () => {
  test('merges defaults under the given values', () => {
    configureSettings({ debug: true, allowedHosts: ['example.com'] });
    assert.equal(isConfigured(), true);
    assert.equal(settings.debug, true);
    assert.deepEqual(settings.allowedHosts, ['example.com']);
    assert.equal(settings.emailPort, 25);
    assert.equal(settings.timeZone, 'UTC');
    assert.deepEqual(settings.caches, { default: { backend: 'locmem' } });
    assert.equal(settingsModulePath(), undefined);
  });

  test('keeps keys of the project own and returns undefined for unknown ones', () => {
    configureSettings({ paymentProvider: 'acme' } as never);
    assert.equal((settings as unknown as Record<string, unknown>).paymentProvider, 'acme');
    assert.equal((settings as unknown as Record<string, unknown>).nothingHere, undefined);
    // Object.prototype members are not settings.
    assert.equal((settings as unknown as Record<string, unknown>).constructor, undefined);
  });

  test('a second call throws "Settings already configured."', () => {
    configureSettings({});
    assert.throws(() => configureSettings({ debug: true }), {
      name: 'ImproperlyConfigured',
      message: 'Settings already configured.',
    });
    assert.equal(settings.debug, false);
  });

  test('resetSettings allows configuring again', () => {
    configureSettings({ debug: true });
    resetSettings();
    assert.equal(isConfigured(), false);
    configureSettings({ debug: false });
    assert.equal(settings.debug, false);
  });

  test('array settings must be arrays', () => {
    assert.throws(
      () => configureSettings({ allowedHosts: 'localhost' as never }),
      /^ImproperlyConfigured: The allowedHosts setting must be an array\.$/,
    );
    assert.equal(isConfigured(), false);
  });

  test('settings must be an object', () => {
    assert.throws(() => configureSettings(null as never), /Settings must be an object, not null/);
  });

  test('changing the configured object later does not change settings', () => {
    const values = { allowedHosts: ['a.com'], debug: false };
    configureSettings(values);
    values.debug = true;
    assert.equal(settings.debug, false);
  });

  test('the defaults are frozen, and settings get their own copy of them', () => {
    assert.throws(() => {
      (globalSettings.caches as Record<string, unknown>).extra = { backend: 'dummy' };
    }, TypeError);
    configureSettings({});
    // The merged value is a copy: changing it (bad practice, but possible)
    // must not leak into the defaults used by the next configuration.
    (settings.caches as Record<string, unknown>).extra = { backend: 'dummy' };
    resetSettings();
    configureSettings({});
    assert.deepEqual(Object.keys(settings.caches), ['default']);
  });
});

describe('settings are read-only', () => {
  test('assignment and deletion throw', () => {
    configureSettings({});
    assert.throws(() => {
      (settings as { debug: boolean }).debug = true;
    }, /Settings are read-only\. Use overrideSettings\(\)/);
    assert.throws(() => {
      delete (settings as Partial<{ debug: boolean }>).debug;
    }, TypeError);
    assert.equal(settings.debug, false);
  });
});

describe('secretKey', () => {
  test('an empty key throws when read (as Django), not when configured', () => {
    configureSettings({ debug: true });
    assert.equal(settings.debug, true);
    assert.throws(() => settings.secretKey, /The secretKey setting must not be empty\./);
  });

  test('a non-empty key is returned', () => {
    configureSettings({ secretKey: 'k' });
    assert.equal(settings.secretKey, 'k');
  });
});

describe('enumeration', () => {
  test('spreading settings gives every setting, defaults included', () => {
    configureSettings({ secretKey: 'k', debug: true });
    const copy = { ...settings };
    assert.equal(copy.debug, true);
    assert.equal(copy.emailHost, 'localhost');
    assert.deepEqual(Object.keys(copy).sort(), Object.keys({ ...globalSettings }).sort());
    assert.equal('debug' in settings, true);
  });
});
