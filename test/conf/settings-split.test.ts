import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const printer = fileURLToPath(new URL('./fixtures/print-settings.ts', import.meta.url));

/** Variables the example settings read; cleared so the machine's own values cannot leak in. */
const SETTINGS_VARIABLES = [
  'REINHARDT_SETTINGS',
  'SECRET_KEY',
  'ALLOWED_HOST',
  'DATABASE_URL',
  'REDIS_URL',
  'EMAIL_HOST',
  'EMAIL_PORT',
  'DB_NAME',
  'DB_USER',
  'DB_PASSWORD',
  'DB_HOST',
  'DB_PORT',
  'NODE_TEST_CONTEXT',
];

/** Loads settings in a fresh process, as a deployment would, and returns what it printed. */
function load(variables: Record<string, string>) {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of SETTINGS_VARIABLES) delete env[name];
  const child = spawnSync(
    process.execPath,
    ['--conditions=reinhardt-source', '--import', 'tsx', printer],
    {
      cwd: repo,
      env: { ...env, ...variables },
      encoding: 'utf8',
    },
  );
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

function loadOk(variables: Record<string, string>) {
  const result = load(variables);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Record<string, any>;
}

const PRODUCTION_ENV = {
  SECRET_KEY: 'k'.repeat(20) + 'production-secret-0123456789-abcdefghij',
  ALLOWED_HOST: 'shop.example.com',
  DATABASE_URL: 'postgres://shop:pw@db.internal:5432/shop',
  REDIS_URL: 'redis://cache.internal:6379/1',
  EMAIL_HOST: 'smtp.example.com',
};

test('P28 settings split into base / development / production / test, chosen by REINHARDT_SETTINGS', async (t) => {
  await t.test('development: debug, local hosts, console e-mail, locmem cache, extra apps', () => {
    const s = loadOk({ REINHARDT_SETTINGS: 'examples.settings.development' });
    assert.match(s.module, /examples[/\\]settings[/\\]development\.ts$/);
    assert.equal(s.debug, true);
    assert.deepEqual(s.allowedHosts, ['localhost', '127.0.0.1']);
    assert.equal(s.emailBackend, 'console');
    assert.deepEqual(s.caches, { default: { backend: 'locmem' } });
    assert.deepEqual(s.installedApps, [
      'reinhardt.contrib.admin',
      'reinhardt.rest',
      'myapp',
      'debug_toolbar',
    ]);
    assert.equal(s.middleware.at(-1), 'debug_toolbar.middleware');
    assert.deepEqual(s.internalIps, ['127.0.0.1']);
    // From base.ts, with its environment defaults.
    assert.deepEqual(s.databases.default, {
      engine: 'postgresql',
      name: 'myapp',
      user: 'myapp',
      password: '',
      host: 'localhost',
      port: 5432,
    });
    assert.equal(s.timeZone, 'UTC');
  });

  await t.test('base reads DB_* variables (development inherits them)', () => {
    const s = loadOk({
      REINHARDT_SETTINGS: 'examples.settings.development',
      DB_NAME: 'devdb',
      DB_HOST: 'pg.local',
      DB_PORT: '6543',
    });
    assert.equal(s.databases.default.name, 'devdb');
    assert.equal(s.databases.default.host, 'pg.local');
    assert.equal(s.databases.default.port, 6543);
  });

  await t.test('production: everything secret or host-specific from the environment', () => {
    const s = loadOk({ REINHARDT_SETTINGS: 'examples.settings.production', ...PRODUCTION_ENV });
    assert.equal(s.debug, false);
    assert.equal(s.secretKey, PRODUCTION_ENV.SECRET_KEY);
    assert.deepEqual(s.allowedHosts, ['shop.example.com']);
    assert.deepEqual(s.databases, {
      default: {
        engine: 'postgresql',
        name: 'shop',
        user: 'shop',
        password: 'pw',
        host: 'db.internal',
        port: 5432,
      },
    });
    assert.deepEqual(s.caches, {
      default: { backend: 'redis', location: 'redis://cache.internal:6379/1' },
    });
    assert.equal(s.secureSslRedirect, true);
    assert.equal(s.sessionCookieSecure, true);
    assert.equal(s.csrfCookieSecure, true);
    assert.equal(s.secureHstsSeconds, 31_536_000);
    assert.equal(s.secureHstsIncludeSubdomains, true);
    assert.equal(s.secureHstsPreload, true);
    assert.equal(s.emailBackend, 'smtp');
    assert.equal(s.emailHost, 'smtp.example.com');
    assert.equal(s.emailPort, 587);
    assert.equal(s.emailUseTls, true);
    assert.deepEqual(s.installedApps, ['reinhardt.contrib.admin', 'reinhardt.rest', 'myapp']);
  });

  await t.test('production: EMAIL_PORT overrides the 587 default', () => {
    const s = loadOk({
      REINHARDT_SETTINGS: 'examples.settings.production',
      ...PRODUCTION_ENV,
      EMAIL_PORT: '2525',
    });
    assert.equal(s.emailPort, 2525);
  });

  await t.test('production: a missing required variable stops loading with a clear error', () => {
    for (const missing of Object.keys(PRODUCTION_ENV)) {
      const variables: Record<string, string> = {
        REINHARDT_SETTINGS: 'examples.settings.production',
        ...PRODUCTION_ENV,
      };
      delete variables[missing];
      const result = load(variables);
      assert.notEqual(result.status, 0, missing);
      assert.match(
        result.stderr,
        new RegExp(`ImproperlyConfigured: Set the ${missing} environment variable`),
        missing,
      );
    }
  });

  await t.test('production: an invalid value names the variable', () => {
    const result = load({
      REINHARDT_SETTINGS: 'examples.settings.production',
      ...PRODUCTION_ENV,
      EMAIL_PORT: 'smtp',
    });
    assert.notEqual(result.status, 0);
    assert.match(
      result.stderr,
      /Invalid value for the EMAIL_PORT environment variable: expected an integer, got 'smtp'\./,
    );
  });

  await t.test(
    'test: in-memory SQLite, locmem e-mail and cache, nothing from the environment',
    () => {
      const s = loadOk({
        REINHARDT_SETTINGS: 'examples.settings.test',
        DATABASE_URL: 'postgres://x/y',
      });
      assert.deepEqual(s.databases, { default: { engine: 'sqlite', name: ':memory:' } });
      assert.equal(s.emailBackend, 'locmem');
      assert.deepEqual(s.caches, { default: { backend: 'locmem' } });
      assert.deepEqual(s.allowedHosts, ['testserver']);
      assert.equal(s.debug, false);
    },
  );

  await t.test('REINHARDT_SETTINGS may also be a file path', () => {
    const s = loadOk({ REINHARDT_SETTINGS: './examples/settings/test.ts' });
    assert.match(s.module, /examples[/\\]settings[/\\]test\.ts$/);
    assert.equal(s.databases.default.name, ':memory:');
  });
});
