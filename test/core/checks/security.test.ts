import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isStrongSecretKey,
  runChecks,
  SECURITY_WARNINGS,
  Tags,
} from '../../../src/core/checks/index.js';
import { configureSettings, resetSettings, type UserSettings } from '../../../src/conf/index.js';

afterEach(() => resetSettings());

const STRONG_KEY = 'x7#Kq9!pLm2$Vb8@Nz4^Rt6&Wy1*Hs3(Jd5)Fg0-Ua9+Ec7=Io2';

/** Settings that pass every deployment check. */
const SECURE: UserSettings = {
  debug: false,
  secretKey: STRONG_KEY,
  allowedHosts: ['example.com'],
  secureSslRedirect: true,
  secureHstsSeconds: 31_536_000,
  secureHstsIncludeSubdomains: true,
  secureHstsPreload: true,
  sessionCookieSecure: true,
  csrfCookieSecure: true,
};

async function deployIds(overrides: UserSettings): Promise<string[]> {
  resetSettings();
  configureSettings({ ...SECURE, ...overrides });
  const messages = await runChecks({ tags: [Tags.security], includeDeploymentChecks: true });
  return messages.map((m) => m.id ?? '?').sort();
}

describe('security deployment checks', () => {
  test('secure settings pass', async () => {
    assert.deepEqual(await deployIds({}), []);
  });

  test('they run only with includeDeploymentChecks', async () => {
    configureSettings({ debug: true });
    assert.deepEqual(await runChecks({ tags: [Tags.security] }), []);
  });

  test('the defaults fail every check', async () => {
    configureSettings({});
    const ids = (await runChecks({ includeDeploymentChecks: true })).map((m) => m.id).sort();
    assert.deepEqual(ids, [
      'security.W004',
      'security.W008',
      'security.W009',
      'security.W012',
      'security.W016',
      'security.W020',
    ]);
  });

  test('W018: debug on', async () => {
    assert.deepEqual(await deployIds({ debug: true }), ['security.W018']);
  });

  test('W020: no allowed hosts', async () => {
    assert.deepEqual(await deployIds({ allowedHosts: [] }), ['security.W020']);
  });

  test('W008: no SSL redirect', async () => {
    assert.deepEqual(await deployIds({ secureSslRedirect: false }), ['security.W008']);
  });

  test('W004: no HSTS; W005 and W021 only once HSTS is on', async () => {
    assert.deepEqual(await deployIds({ secureHstsSeconds: 0, secureHstsPreload: false }), [
      'security.W004',
    ]);
    assert.deepEqual(await deployIds({ secureHstsIncludeSubdomains: false }), ['security.W005']);
    assert.deepEqual(await deployIds({ secureHstsPreload: false }), ['security.W021']);
  });

  test('W012 and W016: cookies not secure', async () => {
    assert.deepEqual(await deployIds({ sessionCookieSecure: false }), ['security.W012']);
    assert.deepEqual(await deployIds({ csrfCookieSecure: false }), ['security.W016']);
  });

  test('W009: weak, empty or generated secret keys', async () => {
    const weak = [
      '',
      'short-key',
      'a'.repeat(60),
      'abcd'.repeat(20),
      'reinhardt-insecure-' + STRONG_KEY,
      'django-insecure-' + STRONG_KEY,
    ];
    for (const secretKey of weak) {
      assert.deepEqual(await deployIds({ secretKey }), ['security.W009'], secretKey);
    }
  });

  test('messages use the camelCase setting names', () => {
    assert.equal(
      SECURITY_WARNINGS.W018.msg,
      'You should not have debug set to true in deployment.',
    );
    assert.equal(SECURITY_WARNINGS.W020.msg, 'allowedHosts must not be empty in deployment.');
    assert.match(
      SECURITY_WARNINGS.W008.msg,
      /^Your secureSslRedirect setting is not set to true\./,
    );
    assert.match(
      SECURITY_WARNINGS.W004.msg,
      /^You have not set a value for the secureHstsSeconds setting\./,
    );
    assert.match(SECURITY_WARNINGS.W012.msg, /^sessionCookieSecure is not set to true\./);
    assert.match(SECURITY_WARNINGS.W016.msg, /csrfCookieSecure/);
    assert.match(
      SECURITY_WARNINGS.W009.msg,
      /^Your secretKey has less than 50 characters, less than 5 unique characters/,
    );
  });
});

describe('isStrongSecretKey', () => {
  test('length, distinct characters and prefixes', () => {
    assert.equal(isStrongSecretKey(STRONG_KEY), true);
    assert.equal(isStrongSecretKey(STRONG_KEY.slice(0, 49)), false);
    assert.equal(isStrongSecretKey('abcd'.repeat(13)), false, 'four distinct characters');
    assert.equal(isStrongSecretKey('abcde'.repeat(10)), true, 'five distinct characters, 50 long');
  });

  test('counts characters, not UTF-16 units', () => {
    // 25 emoji are 50 UTF-16 units but 25 characters.
    assert.equal(isStrongSecretKey('😀😁😂🤣😃'.repeat(5)), false);
  });
});
