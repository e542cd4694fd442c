/**
 * URL quoting as Python's `urllib.parse.quote` / `urlencode` do it (the URLs
 * `reverse()` builds are Django's, byte for byte), and Python's `repr()` for
 * the values Django's error messages show.
 */

const ALWAYS_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~';

function quoteWith(text: string, safe: string, spaceAsPlus: boolean): string {
  let out = '';
  for (const ch of text) {
    if (ALWAYS_SAFE.includes(ch) || safe.includes(ch)) out += ch;
    else if (spaceAsPlus && ch === ' ') out += '+';
    else
      for (const byte of Buffer.from(ch, 'utf8')) {
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
  }
  return out;
}

/** Percent-encodes everything but unreserved characters and `safe` (Python's `quote`). */
export function quote(text: string, safe = '/'): string {
  return quoteWith(text, safe, false);
}

/** Values a query string may be built from. */
export type QueryValue = string | number | bigint | boolean;

/** What `reverse()` accepts as `query`. */
export type Query =
  | URLSearchParams
  | Iterable<readonly [string, QueryValue]>
  | Readonly<Record<string, QueryValue | readonly QueryValue[] | null | undefined>>;

/**
 * A query string as Django's `urlencode(query, doseq=True)`: spaces as `+`,
 * an array giving the key once per value; `null` and `undefined` refused.
 */
export function urlencode(query: Query): string {
  const pairs: [string, unknown][] =
    query instanceof URLSearchParams || Symbol.iterator in query
      ? [...(query as Iterable<[string, unknown]>)]
      : Object.entries(query);
  const out: string[] = [];
  for (const [key, value] of pairs) {
    if (value === null || value === undefined) {
      throw new TypeError(
        `Cannot encode ${value} for key '${key}' in a query string. Did you mean to pass an ` +
          'empty string or omit the value?',
      );
    }
    const values = Array.isArray(value) ? value : [value];
    for (const v of values)
      out.push(`${quoteWith(key, '', true)}=${quoteWith(String(v), '', true)}`);
  }
  return out.join('&');
}

/** Python's `repr()` of a value, as Django's messages print arguments and patterns. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') {
    const quoteChar = value.includes("'") && !value.includes('"') ? '"' : "'";
    let body = '';
    for (const ch of value) {
      if (ch === '\\') body += '\\\\';
      else if (ch === quoteChar) body += `\\${ch}`;
      else if (ch === '\n') body += '\\n';
      else if (ch === '\r') body += '\\r';
      else if (ch === '\t') body += '\\t';
      else if (ch < ' ' || ch === '\x7f')
        body += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
      else body += ch;
    }
    return quoteChar + body + quoteChar;
  }
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const items = Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`);
    return `{${items.join(', ')}}`;
  }
  return String(value);
}

/** A tuple as Python prints it: `(1,)`, `('a', 'b')`. */
export function pyTuple(values: readonly unknown[]): string {
  return values.length === 1 ? `(${pyRepr(values[0])},)` : `(${values.map(pyRepr).join(', ')})`;
}
