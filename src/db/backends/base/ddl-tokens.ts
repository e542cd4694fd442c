/**
 * A small SQL tokenizer for reading DDL back (SQLite keeps only the text of
 * `CREATE TABLE`; MySQL reports check clauses as text). It knows quoted
 * identifiers, string literals, comments and parentheses, which is all the
 * introspection needs; it is not a parser of SQL expressions.
 */

/**
 * One token; `value` is the unquoted identifier or string, `text` the source,
 * `start`/`end` its offsets in the SQL.
 *
 * @example
 * ```ts
 * const [t] = tokenizeSql('"we""ird"'); // { kind: 'ident', text: '"we""ird"', value: 'we"ird', … }
 * ```
 */
export interface SqlToken {
  kind: 'ident' | 'word' | 'string' | 'number' | 'punct';
  text: string;
  value: string;
  start: number;
  end: number;
}

/**
 * Dialect details of {@link tokenizeSql}.
 *
 * @example
 * ```ts
 * tokenizeSql('[my col]', { brackets: true })[0]?.value; // 'my col'
 * ```
 */
export interface TokenizeOptions {
  /** `[name]` is a quoted identifier (SQLite, SQL Server). */
  brackets?: boolean;
  /** Backslash escapes inside string literals (MySQL's default). */
  backslashEscapes?: boolean;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * Splits SQL into tokens, skipping whitespace and comments.
 *
 * @example
 * ```ts
 * tokenizeSql('CHECK ("price" >= 0)').map((t) => t.value); // ['CHECK', '(', 'price', '>', '=', '0', ')']
 * ```
 */
export function tokenizeSql(sql: string, options: TokenizeOptions = {}): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const n = sql.length;
  const quoted = (close: string, kind: SqlToken['kind'], backslash = false): void => {
    const start = i;
    let value = '';
    i += 1;
    while (i < n) {
      const ch = sql[i]!;
      if (backslash && ch === '\\' && i + 1 < n) {
        value += sql[i + 1];
        i += 2;
        continue;
      }
      if (ch === close) {
        if (sql[i + 1] === close && close !== ']') {
          value += close;
          i += 2;
          continue;
        }
        i += 1;
        tokens.push({ kind, text: sql.slice(start, i), value, start, end: i });
        return;
      }
      value += ch;
      i += 1;
    }
    // Unterminated: keep what there is.
    tokens.push({ kind, text: sql.slice(start, i), value, start, end: i });
  };
  while (i < n) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? n : close + 2;
    } else if (ch === '"' || ch === '`') {
      quoted(ch, 'ident');
    } else if (ch === '[' && options.brackets) {
      quoted(']', 'ident');
    } else if (ch === "'") {
      quoted("'", 'string', !!options.backslashEscapes);
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const start = i;
      while (i < n && /[0-9.eE]/.test(sql[i]!)) i += 1;
      const text = sql.slice(start, i);
      tokens.push({ kind: 'number', text, value: text, start, end: i });
    } else if (WORD_START.test(ch)) {
      const start = i;
      while (i < n && WORD_PART.test(sql[i]!)) i += 1;
      const text = sql.slice(start, i);
      tokens.push({ kind: 'word', text, value: text, start, end: i });
    } else {
      tokens.push({ kind: 'punct', text: ch, value: ch, start: i, end: i + 1 });
      i += 1;
    }
  }
  return tokens;
}

/**
 * True when `token` is the (unquoted) keyword `word`, case-insensitively.
 *
 * @example
 * ```ts
 * isKeyword(tokenizeSql('unique')[0], 'UNIQUE'); // true
 * isKeyword(tokenizeSql('"unique"')[0], 'UNIQUE'); // false: a quoted name
 * ```
 */
export function isKeyword(token: SqlToken | undefined, word: string): boolean {
  return !!token && token.kind === 'word' && token.value.toUpperCase() === word;
}

/**
 * Index of the `)` matching the `(` at `open`, or -1.
 *
 * @example
 * ```ts
 * matchingParen(tokenizeSql('(a, (b)) c'), 0); // 6
 * ```
 */
export function matchingParen(tokens: readonly SqlToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'punct') continue;
    if (t.value === '(') depth += 1;
    else if (t.value === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/**
 * The identifiers of an expression that name one of `columns`, in order of
 * first appearance (how Django finds the columns of a check constraint).
 *
 * @example
 * ```ts
 * columnsIn('`price` >= 0 AND `qty` > 0', ['price', 'qty', 'name']); // ['price', 'qty']
 * ```
 */
export function columnsIn(
  sql: string,
  columns: readonly string[],
  options: TokenizeOptions = {},
): string[] {
  const known = new Set(columns);
  const found: string[] = [];
  for (const t of tokenizeSql(sql, options)) {
    if (
      (t.kind === 'ident' || t.kind === 'word') &&
      known.has(t.value) &&
      !found.includes(t.value)
    ) {
      found.push(t.value);
    }
  }
  return found;
}
