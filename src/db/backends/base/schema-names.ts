/**
 * Deterministic names for the indexes and constraints the schema editor
 * creates, in Django's pattern (`_create_index_name`, `names_digest`,
 * `truncate_name`): the same table and columns always give the same name,
 * so a later migration can find it again.
 */
import { createHash } from 'node:crypto';

/**
 * The first `length` hex digits of the MD5 of the arguments concatenated
 * (Django's `names_digest`; not used for security).
 *
 * @example
 * ```ts
 * namesDigest(['library_book', 'title'], 8); // 'fccd0c46', as Django's names_digest
 * ```
 */
export function namesDigest(args: readonly string[], length: number): string {
  const hash = createHash('md5');
  for (const arg of args) hash.update(arg, 'utf8');
  return hash.digest('hex').slice(0, length);
}

/** The UTF-8 length of `s` (PostgreSQL limits identifiers in bytes). */
function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The longest prefix of `s` (whole code points) that fits in `maxBytes` UTF-8 bytes. */
function fitBytes(s: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  if (byteLength(s) <= maxBytes) return s;
  let out = '';
  for (const ch of s) {
    if (byteLength(out + ch) > maxBytes) break;
    out += ch;
  }
  return out;
}

/**
 * Shortens `identifier` to at most `length` bytes, replacing the tail with
 * a hash of the whole name so distinct long names stay distinct (Django's
 * `truncate_name`).
 *
 * @example
 * ```ts
 * truncateName('a'.repeat(80), 63).length; // 63
 * ```
 */
export function truncateName(identifier: string, length: number, hashLength = 4): string {
  if (byteLength(identifier) <= length) return identifier;
  const digest = namesDigest([identifier], hashLength);
  return fitBytes(identifier, length - hashLength) + digest;
}

/**
 * A name for an index or constraint on `columns` of `table`:
 * `<table>_<columns>_<hash8><suffix>`, shortened with the hash kept when it
 * exceeds `maxLength` (Django's `_create_index_name`). Lengths are counted
 * in UTF-8 bytes, so non-ASCII names are never cut by the server.
 *
 * @example
 * ```ts
 * createIndexName('library_book', ['author_id'], '_fk_library_author_id', 63);
 * // 'library_book_author_id_d9a3b67e_fk_library_author_id'
 * ```
 */
export function createIndexName(
  table: string,
  columns: readonly string[],
  suffix: string,
  maxLength: number,
): string {
  let hashSuffix = `${namesDigest([table, ...columns], 8)}${suffix}`;
  const joined = columns.join('_');
  const full = `${table}_${joined}_${hashSuffix}`;
  if (byteLength(full) <= maxLength) return full;
  if (byteLength(hashSuffix) > maxLength / 3)
    hashSuffix = fitBytes(hashSuffix, Math.floor(maxLength / 3));
  const other = Math.floor((maxLength - byteLength(hashSuffix)) / 2) - 1;
  let name = `${fitBytes(table, other)}_${fitBytes(joined, other)}_${hashSuffix}`;
  // Some databases refuse names that start with an underscore or a digit.
  if (/^[_0-9]/.test(name)) name = `D${name.slice(0, -1)}`;
  return name;
}
