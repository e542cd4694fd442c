/**
 * The text encodings of Django's signed values: URL-safe base64 without
 * padding for payloads and signatures, base62 for timestamps.
 */

/** Django's `BASE62_ALPHABET`: digits, then upper case, then lower case. */
const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * URL-safe base64 without `=` padding (Django's `signing.b64_encode`).
 *
 * @example
 * ```ts
 * import { b64Encode } from 'reinhardt/core';
 * b64Encode(Buffer.from('"hello"')); // 'ImhlbGxvIg'
 * ```
 */
export function b64Encode(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64url');
}

/**
 * Decodes URL-safe base64, with or without padding (Django's `signing.b64_decode`).
 *
 * @example
 * ```ts
 * import { b64Decode } from 'reinhardt/core';
 * b64Decode('ImhlbGxvIg').toString(); // '"hello"'
 * ```
 */
export function b64Decode(text: string): Buffer {
  return Buffer.from(text, 'base64url');
}

/**
 * An integer in base62 (Django's `signing.b62_encode`, used for the
 * timestamps of `TimestampSigner`).
 *
 * @example
 * ```ts
 * import { b62Encode } from 'reinhardt/core';
 * b62Encode(1_700_000_000); // '1r31eq'
 * ```
 */
export function b62Encode(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`Not a safe integer: ${value}`);
  if (value === 0) return '0';
  let rest = Math.abs(value);
  let out = '';
  while (rest > 0) {
    out = BASE62_ALPHABET[rest % 62]! + out;
    rest = Math.floor(rest / 62);
  }
  return (value < 0 ? '-' : '') + out;
}

/**
 * The integer a base62 string spells (Django's `signing.b62_decode`), or
 * `undefined` when it is not base62 or too large for a safe integer.
 *
 * @example
 * ```ts
 * import { b62Decode } from 'reinhardt/core';
 * b62Decode('1r31eq'); // 1700000000
 * ```
 */
export function b62Decode(text: string): number | undefined {
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  if (digits === '') return undefined;
  let value = 0;
  for (const digit of digits) {
    const index = BASE62_ALPHABET.indexOf(digit);
    if (index < 0) return undefined;
    value = value * 62 + index;
  }
  if (!Number.isSafeInteger(value)) return undefined;
  return negative ? -value : value;
}
