/**
 * Live round trips with the real Django of ../shared/oracle (Debian's Django
 * 3.2: pbkdf2_sha256, pbkdf2_sha1, argon2 with python3-argon2, bcrypt_sha256
 * with python3-bcrypt, md5; no scrypt,
 * which came in Django 4.0 and is covered by the fixed vectors of
 * hashers.test.ts). A hash made by Django verifies in Reinhardt, and one made
 * by Reinhardt verifies in Django.
 *
 * Without Python and Django the tests are skipped locally; with CI=true they
 * fail, so CI cannot pass without the oracle (.ci/run installs it).
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { configureSettings } from '../../src/conf/index.js';
import {
  Argon2PasswordHasher,
  PBKDF2PasswordHasher,
  PBKDF2SHA1PasswordHasher,
  checkPassword,
  makePassword,
} from '../../src/auth/index.js';

const isCI = process.env.CI === 'true' || process.env.CI === '1';
const oracle = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared',
  'oracle',
  'django_password.py',
);
// The oracle runs on the system interpreter, where Debian installs Django.
const python = '/usr/bin/python3';

function probe(code: string): boolean {
  return spawnSync(python, ['-c', code], { encoding: 'utf8' }).status === 0;
}

const missing = !existsSync(oracle)
  ? `the oracle script ${oracle} is missing`
  : !existsSync(python)
    ? `${python} is missing`
    : !probe('import django')
      ? 'Django is not importable (run ../shared/oracle/setup.sh)'
      : undefined;
const argon2Missing = missing ?? (probe('import argon2') ? undefined : 'python3-argon2 is missing');
const bcryptMissing = missing ?? (probe('import bcrypt') ? undefined : 'python3-bcrypt is missing');

/** Skip locally, fail in CI. */
function unavailable(reason: string | undefined): string | false {
  if (!reason) return false;
  if (isCI) return false; // run the test, which then fails with the reason
  return reason;
}

function django(...args: string[]): string {
  if (missing) assert.fail(`${missing} — with CI=true the Django oracle is required`);
  const result = spawnSync(python, [oracle, ...args], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

const PASSWORDS = ['hunter2', 'correct horse battery staple', 'pässwörd ✓ 🔑'];

before(() =>
  configureSettings({
    passwordHashers: ['pbkdf2_sha256', 'pbkdf2_sha1', 'argon2', 'bcrypt_sha256', 'md5'],
  }),
);

describe('Django 3.2 → Reinhardt', { skip: unavailable(missing) }, () => {
  for (const algorithm of ['pbkdf2_sha256', 'pbkdf2_sha1', 'md5']) {
    test(`${algorithm}: Django's hash verifies, a wrong password does not`, async () => {
      for (const password of PASSWORDS) {
        const encoded = django('make', password, algorithm);
        assert.ok(encoded.startsWith(`${algorithm}$`), encoded);
        assert.equal(await checkPassword(password, encoded), true, encoded);
        assert.equal(await checkPassword(`${password}x`, encoded), false, encoded);
      }
    });
  }

  test('argon2: Django’s hash verifies', { skip: unavailable(argon2Missing) }, async () => {
    if (argon2Missing) assert.fail(`${argon2Missing} — with CI=true it is required`);
    const encoded = django('make', 'pässwörd ✓ 🔑', 'argon2');
    assert.match(encoded, /^argon2\$argon2id\$v=19\$m=102400,t=2,p=8\$/);
    assert.equal(await checkPassword('pässwörd ✓ 🔑', encoded), true);
    assert.equal(await checkPassword('pässwörd', encoded), false);
  });

  test('bcrypt_sha256: Django’s hash verifies', { skip: unavailable(bcryptMissing) }, async () => {
    if (bcryptMissing) assert.fail(`${bcryptMissing} — with CI=true it is required`);
    const encoded = django('make', 'pässwörd ✓ 🔑', 'bcrypt_sha256');
    assert.match(encoded, /^bcrypt_sha256\$\$2b\$12\$/);
    assert.equal(await checkPassword('pässwörd ✓ 🔑', encoded), true);
    assert.equal(await checkPassword('pässwörd', encoded), false);
  });
});

describe('Reinhardt → Django 3.2', { skip: unavailable(missing) }, () => {
  test('pbkdf2_sha256 with the default 1 500 000 iterations', async () => {
    const encoded = await makePassword('pässwörd ✓ 🔑');
    assert.match(encoded, /^pbkdf2_sha256\$1500000\$/);
    assert.equal(django('check', 'pässwörd ✓ 🔑', encoded), 'True');
    assert.equal(django('check', 'pässwörd', encoded), 'False');
  });

  test('pbkdf2_sha1 and md5', async () => {
    for (const hasher of [new PBKDF2SHA1PasswordHasher({ iterations: 10_000 }), 'md5']) {
      for (const password of PASSWORDS) {
        const encoded = await makePassword(password, { hasher });
        assert.equal(django('check', password, encoded), 'True', encoded);
      }
    }
    const sha256 = await makePassword('hunter2', {
      hasher: new PBKDF2PasswordHasher({ iterations: 1000 }),
    });
    assert.equal(django('check', 'hunter2', sha256), 'True');
  });

  test('argon2 with Django’s parameters', { skip: unavailable(argon2Missing) }, async () => {
    if (argon2Missing) assert.fail(`${argon2Missing} — with CI=true it is required`);
    const encoded = await makePassword('pässwörd ✓ 🔑', { hasher: 'argon2' });
    assert.equal(django('check', 'pässwörd ✓ 🔑', encoded), 'True');
    assert.equal(django('check', 'pässwörd', encoded), 'False');
    const light = await makePassword('hunter2', {
      hasher: new Argon2PasswordHasher({ memoryCost: 1024, timeCost: 3, parallelism: 2 }),
    });
    assert.equal(django('check', 'hunter2', light), 'True');
  });

  test('bcrypt_sha256 with 12 rounds', { skip: unavailable(bcryptMissing) }, async () => {
    if (bcryptMissing) assert.fail(`${bcryptMissing} — with CI=true it is required`);
    const encoded = await makePassword('pässwörd ✓ 🔑', { hasher: 'bcrypt_sha256' });
    assert.match(encoded, /^bcrypt_sha256\$\$2b\$12\$/);
    assert.equal(django('check', 'pässwörd ✓ 🔑', encoded), 'True');
    assert.equal(django('check', 'pässwörd', encoded), 'False');
  });
});
