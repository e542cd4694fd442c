/**
 * The password hasher contract (the role of Django's `BasePasswordHasher`)
 * and the small helpers every hasher shares: salts, constant-time
 * comparison, masking for display.
 */
import { RANDOM_STRING_CHARS, constantTimeCompare, getRandomString } from '../../core/crypto.js';
import { ValueError } from '../../core/exceptions.js';

// The shared helpers live in reinhardt/core (django.utils.crypto's role);
// re-exported so the hashers' public surface keeps them.
export { RANDOM_STRING_CHARS, constantTimeCompare, getRandomString };

/**
 * Whether a salt carries fewer bits than `expectedEntropy` (Django's
 * `must_update_salt`): each character of the 62-letter alphabet gives
 * log2(62) bits.
 */
export function mustUpdateSalt(salt: string, expectedEntropy: number): boolean {
  return [...salt].length * Math.log2(RANDOM_STRING_CHARS.length) < expectedEntropy;
}

/**
 * Shows the first `show` characters of a hash and masks the rest (Django's
 * `mask_hash`), for displaying a password field safely.
 *
 * @example
 * ```ts
 * maskHash('abcdefghij'); // 'abcdef****'
 * ```
 */
export function maskHash(hash: string, show = 6, char = '*'): string {
  const chars = [...hash];
  return chars.slice(0, show).join('') + char.repeat(Math.max(0, chars.length - show));
}

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * UTF-8 bytes of a password or salt. A string with a lone surrogate has no
 * UTF-8 form (Python refuses to encode it); replacing it silently would make
 * distinct passwords hash alike, so it is refused too.
 */
export function utf8(value: string): Buffer {
  if (LONE_SURROGATE.test(value)) {
    throw new TypeError('The password or salt contains a lone surrogate and cannot be encoded.');
  }
  return Buffer.from(value, 'utf8');
}

/** What `decode()` returns: at least the algorithm, salt and hash. */
export interface DecodedHash {
  algorithm: string;
  salt: string;
  hash: string;
  [parameter: string]: unknown;
}

/**
 * A password hashing algorithm with Django's encoded format
 * (`<algorithm>$<parameters…>$<salt>$<hash>`). Subclasses implement
 * `encode`, `decode`, `verify` and `safeSummary`; those with a work factor
 * also `mustUpdate` and `hardenRuntime`.
 *
 * Hashers are immutable once built: work factors are constructor options, so
 * a tuned hasher is `new PBKDF2PasswordHasher({ iterations: 2_000_000 })`
 * (where Django subclasses).
 *
 * @example
 * ```ts
 * class PlainHasher extends PasswordHasher {
 *   readonly algorithm = 'plain_for_tests';
 *   async encode(password: string, salt: string) { return `plain_for_tests$${salt}$${password}`; }
 *   decode(encoded: string) { const [algorithm = '', salt = '', hash = ''] = encoded.split('$'); return { algorithm, salt, hash }; }
 *   async verify(password: string, encoded: string) { return constantTimeCompare(encoded, await this.encode(password, this.decode(encoded).salt)); }
 *   safeSummary(encoded: string) { return { algorithm: this.algorithm, hash: maskHash(this.decode(encoded).hash) }; }
 * }
 * ```
 */
export abstract class PasswordHasher {
  /** The name stored before the first `$` (e.g. `pbkdf2_sha256`). */
  abstract readonly algorithm: string;
  /** Bits of randomness a generated salt carries (Django: 128). */
  readonly saltEntropy: number = 128;

  /** A fresh random salt of at least `saltEntropy` bits, in ASCII letters and digits. */
  salt(): string {
    const length = Math.ceil(this.saltEntropy / Math.log2(RANDOM_STRING_CHARS.length));
    return getRandomString(length);
  }

  /** The encoded database value for `password` with `salt`. */
  abstract encode(password: string, salt: string): Promise<string>;

  /** The parts of an encoded value (algorithm, salt, hash and parameters). */
  abstract decode(encoded: string): DecodedHash;

  /** Whether `password` matches `encoded`, compared in constant time. */
  abstract verify(password: string, encoded: string): Promise<boolean>;

  /** The parts of `encoded` that are safe to show, secrets masked (for admin screens). */
  abstract safeSummary(encoded: string): Record<string, string | number>;

  /** Whether `encoded` should be re-hashed with this hasher's current settings. */
  mustUpdate(_encoded: string): boolean {
    return false;
  }

  /**
   * Spends the time a hash with this hasher's current work factor would
   * have cost beyond what `encoded` cost, so a wrong password for an old hash
   * takes as long as one for a new hash. No-op where that cannot be estimated.
   */
  async hardenRuntime(_password: string, _encoded: string): Promise<void> {}

  /** Django's `_check_encode_args`: a password is required and a salt cannot hold `$`. */
  protected checkEncodeArgs(password: unknown, salt: string): void {
    if (password === null || password === undefined) {
      throw new TypeError('password must be provided.');
    }
    if (!salt || salt.includes('$')) {
      throw new ValueError('salt must be provided and cannot contain $.');
    }
  }

  /** Splits `encoded` into exactly `count` `$`-separated parts of this algorithm, or throws. */
  protected split(encoded: string, count: number): string[] {
    const parts = encoded.split('$');
    if (parts.length !== count || parts[0] !== this.algorithm) {
      throw new ValueError(`Not a valid ${this.algorithm} password hash.`);
    }
    return parts;
  }
}

/** Parses a decimal work-factor field, refusing anything that is not a positive integer. */
export function positiveInt(text: string, what: string): number {
  if (!/^[0-9]+$/.test(text)) throw new ValueError(`Invalid ${what} in password hash: '${text}'.`);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ValueError(`Invalid ${what} in password hash: '${text}'.`);
  }
  return value;
}
