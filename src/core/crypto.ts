/**
 * Cryptographic helpers with Django's semantics (the role of
 * `django.utils.crypto`): keyed HMACs derived from the secret key, random
 * strings and constant-time comparison.
 */
import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { settings } from '../conf/settings.js';
import { ValueError } from './exceptions.js';

/** A secret key or key material: text is used as its UTF-8 bytes (Django's `force_bytes`). */
export type SecretKey = string | Uint8Array;

/**
 * Hash algorithms by their Python `hashlib` names, as Django's
 * `salted_hmac(..., algorithm=...)` and `Signer(algorithm=...)` take them.
 */
export type HashAlgorithm =
  | 'sha1'
  | 'sha224'
  | 'sha256'
  | 'sha384'
  | 'sha512'
  | 'sha3_224'
  | 'sha3_256'
  | 'sha3_384'
  | 'sha3_512'
  | 'blake2b'
  | 'blake2s'
  | 'md5';

// hashlib's names where OpenSSL (and so node:crypto) spells them differently;
// blake2b/blake2s default to their longest digests in hashlib.
const NODE_HASH_NAMES: Readonly<Record<HashAlgorithm, string>> = {
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  sha3_224: 'sha3-224',
  sha3_256: 'sha3-256',
  sha3_384: 'sha3-384',
  sha3_512: 'sha3-512',
  blake2b: 'blake2b512',
  blake2s: 'blake2s256',
  md5: 'md5',
};

/**
 * An algorithm name that is not one of {@link HashAlgorithm} (Django's
 * `InvalidAlgorithm`, a `ValueError`).
 */
export class InvalidAlgorithm extends ValueError {
  override readonly code: string = 'invalid_algorithm';
}

/** Django's `RANDOM_STRING_CHARS`: ASCII letters and digits, 62 characters. */
export const RANDOM_STRING_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A key's bytes, as Django's `force_bytes` gives them. */
export function toBytes(value: SecretKey): Buffer {
  return typeof value === 'string'
    ? Buffer.from(value, 'utf8')
    : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

function nodeHashName(algorithm: string): string {
  const name = Object.hasOwn(NODE_HASH_NAMES, algorithm)
    ? NODE_HASH_NAMES[algorithm as HashAlgorithm]
    : undefined;
  if (!name) {
    throw new InvalidAlgorithm(
      `'${algorithm}' is not an algorithm accepted by the hashlib module.`,
    );
  }
  return name;
}

/**
 * The HMAC of `value` under a key derived from `keySalt` and `secret`
 * (Django's `salted_hmac`): the key is `hash(keySalt + secret)`, so each use
 * of the secret key (each `keySalt`) gets its own HMAC key. `secret`
 * defaults to `settings.secretKey`, read at call time; `algorithm` defaults
 * to `'sha1'`, as in Django. Returns the digest; Django's `.hexdigest()` is
 * `.toString('hex')`.
 *
 * @example
 * ```ts
 * import { saltedHmac } from 'reinhardt/core';
 * const mac = saltedHmac('myapp.tokens', 'user:42', 'secret', { algorithm: 'sha256' });
 * mac.toString('hex'); // 64 hex digits, the same as Django's salted_hmac(...).hexdigest()
 * ```
 */
export function saltedHmac(
  keySalt: SecretKey,
  value: SecretKey,
  secret?: SecretKey,
  options: { algorithm?: HashAlgorithm } = {},
): Buffer {
  const hash = nodeHashName(options.algorithm ?? 'sha1');
  const secretBytes = toBytes(secret ?? settings.secretKey);
  // Always hash keySalt + secret, even when HMAC would do it anyway for keys
  // longer than a block: the derived key must not depend on the length.
  const key = createHash(hash)
    .update(Buffer.concat([toBytes(keySalt), secretBytes]))
    .digest();
  return createHmac(hash, key).update(toBytes(value)).digest();
}

/**
 * A random string of `length` characters drawn uniformly from `allowedChars`
 * (default: ASCII letters and digits) with a cryptographically secure
 * generator (Django's `get_random_string`). Each character of the default
 * alphabet carries log2(62) ≈ 5.95 bits: 22 characters give about 131 bits.
 *
 * @example
 * ```ts
 * import { getRandomString } from 'reinhardt/core';
 * getRandomString(32); // e.g. 'q3VZ0hXb…'
 * getRandomString(6, '0123456789'); // a six-digit code
 * ```
 */
export function getRandomString(length: number, allowedChars = RANDOM_STRING_CHARS): string {
  // Code points, not UTF-16 units, so an alphabet with emoji draws whole characters.
  const alphabet = [...allowedChars];
  if (alphabet.length === 0) throw new ValueError('allowedChars must not be empty.');
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/**
 * Whether two strings (or byte arrays) are equal, compared in time that
 * does not depend on where they differ (Django's `constant_time_compare`).
 * Only the lengths may leak, as with Python's `secrets.compare_digest`.
 *
 * @example
 * ```ts
 * import { constantTimeCompare } from 'reinhardt/core';
 * constantTimeCompare('abc', 'abc'); // true
 * constantTimeCompare('abc', 'abd'); // false
 * ```
 */
export function constantTimeCompare(a: SecretKey, b: SecretKey): boolean {
  const left = toBytes(a);
  const right = toBytes(b);
  if (left.length !== right.length) {
    // timingSafeEqual refuses unequal lengths; still do one comparison's work.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
