/**
 * How signed objects become bytes and back (Django's `JSONSerializer` for
 * `signing.dumps` / `loads` and `Signer.sign_object`).
 */

/**
 * Turns an object into bytes and back, for {@link Signer.signObject} and
 * {@link dumps} (the role of Django's `serializer=` classes).
 *
 * @example
 * ```ts
 * import type { Serializer } from 'reinhardt/core';
 * const text: Serializer = {
 *   dumps: (obj) => Buffer.from(String(obj), 'utf8'),
 *   loads: (data) => Buffer.from(data).toString('utf8'),
 * };
 * ```
 */
export interface Serializer {
  dumps(obj: unknown): Uint8Array;
  loads(data: Uint8Array): unknown;
}

// Python's json.dumps escapes every character outside printable ASCII
// (ensure_ascii); JSON.stringify has already escaped the control characters
// and lone surrogates, so what is left is DEL and non-ASCII text.
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/g;

function escapeLikePython(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Compact JSON, byte for byte as Django writes it (Python's `json.dumps`
 * with `separators=(',', ':')`, non-ASCII characters escaped as `\uXXXX`),
 * read back as Django reads it (the bytes as Latin-1 text). Values JSON
 * cannot hold (`undefined`, functions, `NaN`) are refused or become `null`
 * as with `JSON.stringify`.
 *
 * @example
 * ```ts
 * import { JSONSerializer } from 'reinhardt/core';
 * new JSONSerializer().dumps({ name: 'Zoë' }).toString(); // '{"name":"Zo\\u00eb"}'
 * ```
 */
export class JSONSerializer implements Serializer {
  dumps(obj: unknown): Buffer {
    const json = JSON.stringify(obj);
    if (json === undefined)
      throw new TypeError(`Object of type ${typeof obj} is not JSON serializable`);
    return Buffer.from(json.replace(NOT_PRINTABLE_ASCII, escapeLikePython), 'latin1');
  }

  loads(data: Uint8Array): unknown {
    return JSON.parse(
      Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1'),
    );
  }
}
