/**
 * reinhardt/core crypto helpers (django.utils.crypto): salted HMACs,
 * random strings, constant-time comparison. Django's own outputs for
 * saltedHmac are checked in signing-vectors.test.ts.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { configureSettings, overrideSettings } from '../../src/conf/index.js';
import {
  ImproperlyConfigured,
  InvalidAlgorithm,
  RANDOM_STRING_CHARS,
  ValueError,
  constantTimeCompare,
  getRandomString,
  saltedHmac,
  type HashAlgorithm,
} from '../../src/core/index.js';
import { getRandomString as authGetRandomString } from '../../src/auth/index.js';

before(() => configureSettings({ secretKey: 'configured secret' }));

describe('saltedHmac', () => {
  test('is HMAC(hash(keySalt + secret), value), sha1 by default', () => {
    const key = createHash('sha1').update('saltsecret').digest();
    const expected = createHmac('sha1', key).update('value').digest('hex');
    assert.equal(saltedHmac('salt', 'value', 'secret').toString('hex'), expected);
    const key256 = createHash('sha256').update('saltsecret').digest();
    assert.equal(
      saltedHmac('salt', 'value', 'secret', { algorithm: 'sha256' }).toString('hex'),
      createHmac('sha256', key256).update('value').digest('hex'),
    );
  });

  test('the key is hashed even when longer than a block (never HMAC of the raw key)', () => {
    const secret = 'k'.repeat(500);
    const raw = createHmac('sha1', 'salt' + secret)
      .update('v')
      .digest('hex');
    // For long keys HMAC hashes the key itself, so these agree; for short
    // ones they must not: the derived key is always hash(keySalt + secret).
    assert.equal(saltedHmac('salt', 'v', secret).toString('hex'), raw);
    const short = createHmac('sha1', 'saltsecret').update('v').digest('hex');
    assert.notEqual(saltedHmac('salt', 'v', 'secret').toString('hex'), short);
  });

  test('text is UTF-8; bytes are taken as they are', () => {
    assert.deepEqual(
      saltedHmac('ü', '✓', 'k'),
      saltedHmac(Buffer.from('ü'), Buffer.from('✓'), Buffer.from('k')),
    );
  });

  test('the secret defaults to settings.secretKey, read at call time', () => {
    const configured = saltedHmac('salt', 'value', 'configured secret');
    assert.deepEqual(saltedHmac('salt', 'value'), configured);
    overrideSettings({ secretKey: 'another' }, () => {
      assert.deepEqual(saltedHmac('salt', 'value'), saltedHmac('salt', 'value', 'another'));
    });
    // An explicit empty secret is used as given (Django checks `is None`).
    assert.notDeepEqual(saltedHmac('salt', 'value', ''), configured);
  });

  test('an empty settings.secretKey is an error when used', () => {
    overrideSettings({ secretKey: '' }, () => {
      assert.throws(() => saltedHmac('salt', 'value'), ImproperlyConfigured);
    });
  });

  test("an unknown algorithm raises InvalidAlgorithm (a ValueError) with Django's message", () => {
    assert.throws(
      () => saltedHmac('s', 'v', 'k', { algorithm: 'whirlpool' as HashAlgorithm }),
      (error: unknown) =>
        error instanceof InvalidAlgorithm &&
        error instanceof ValueError &&
        error.message === "'whirlpool' is not an algorithm accepted by the hashlib module.",
    );
    // Not fooled by names of Object.prototype.
    assert.throws(
      () => saltedHmac('s', 'v', 'k', { algorithm: 'toString' as HashAlgorithm }),
      InvalidAlgorithm,
    );
  });
});

describe('getRandomString', () => {
  test("draws `length` characters from Django's 62-letter alphabet", () => {
    assert.equal(RANDOM_STRING_CHARS.length, 62);
    assert.equal(new Set(RANDOM_STRING_CHARS).size, 62);
    const s = getRandomString(2000);
    assert.equal(s.length, 2000);
    assert.match(s, /^[a-zA-Z0-9]+$/);
    // 2000 draws from 62 letters: every letter shows up (the chance one is missing is ~1e-12).
    assert.equal(new Set(s).size, 62);
    assert.equal(getRandomString(0), '');
  });

  test('uses the given alphabet, by code point', () => {
    assert.match(getRandomString(50, '01'), /^[01]{50}$/);
    const emoji = getRandomString(20, '🔑🔒');
    assert.equal([...emoji].length, 20);
    assert.match(emoji, /^(?:🔑|🔒){20}$/u);
    assert.throws(() => getRandomString(3, ''), ValueError);
  });

  test('two strings differ (it is random)', () => {
    assert.notEqual(getRandomString(32), getRandomString(32));
  });

  test('the auth package uses the same helper', () => {
    assert.equal(authGetRandomString, getRandomString);
  });
});

describe('constantTimeCompare', () => {
  test('equal strings or bytes only', () => {
    assert.equal(constantTimeCompare('abc', 'abc'), true);
    assert.equal(constantTimeCompare('abc', 'abd'), false);
    assert.equal(constantTimeCompare('abc', 'abcd'), false);
    assert.equal(constantTimeCompare('', ''), true);
    assert.equal(constantTimeCompare('ü', Buffer.from('ü')), true);
    assert.equal(constantTimeCompare(Buffer.from([1, 2]), Buffer.from([1, 3])), false);
  });
});
