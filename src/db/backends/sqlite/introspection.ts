/**
 * Reads SQLite's schema from `sqlite_master` and the `pragma_*` table
 * functions. SQLite keeps unique and check constraints only in the text of
 * `CREATE TABLE`, so that text is read back here (as Django does with
 * sqlparse); the schema editor's table rebuild uses the same reading.
 */
import { ProgrammingError } from '../../errors.js';
import {
  columnsIn,
  isKeyword,
  matchingParen,
  tokenizeSql,
  type SqlToken,
} from '../base/ddl-tokens.js';
import {
  BaseDatabaseIntrospection,
  baseTypeName,
  type ColumnDescription,
  type ConstraintInfo,
} from '../base/introspection.js';
import type { InternalType } from '../base/schema.js';

/**
 * A constraint written inside a column definition; `start`/`end` are offsets
 * in the column's text.
 *
 * @example
 * ```ts
 * const [col] = parseCreateTable('CREATE TABLE t ("a" integer UNIQUE)').items;
 * // col.constraints: [{ type: 'unique', name: null, start: 12, end: 18 }]
 * ```
 */
export interface InlineConstraint {
  type: 'primary' | 'unique' | 'check' | 'foreign';
  name: string | null;
  start: number;
  end: number;
  check?: string;
  references?: { table: string; column: string | null };
}

/**
 * A column definition of `CREATE TABLE`.
 *
 * @example
 * ```ts
 * parseCreateTable('CREATE TABLE t ("a" text COLLATE NOCASE)').items[0];
 * // { kind: 'column', name: 'a', text: '"a" text COLLATE NOCASE', collation: 'NOCASE', constraints: [] }
 * ```
 */
export interface ParsedColumn {
  kind: 'column';
  name: string;
  /** The definition as written, name included. */
  text: string;
  collation: string | null;
  constraints: InlineConstraint[];
}

/**
 * A table constraint of `CREATE TABLE`.
 *
 * @example
 * ```ts
 * parseCreateTable('CREATE TABLE t (a int, CONSTRAINT "u" UNIQUE (a))').items[1];
 * // { kind: 'constraint', type: 'unique', name: 'u', columns: ['a'], … }
 * ```
 */
export interface ParsedTableConstraint {
  kind: 'constraint';
  type: 'primary' | 'unique' | 'check' | 'foreign' | 'other';
  name: string | null;
  text: string;
  columns: string[];
  check?: string;
  references?: { table: string; columns: string[] };
}

/**
 * `CREATE TABLE` read back: its definitions, and what follows the closing parenthesis.
 *
 * @example
 * ```ts
 * parseCreateTable('CREATE TABLE t (a int) WITHOUT ROWID').suffix; // ' WITHOUT ROWID'
 * ```
 */
export interface ParsedTableSql {
  items: (ParsedColumn | ParsedTableConstraint)[];
  /** E.g. ` WITHOUT ROWID` or ` STRICT`. */
  suffix: string;
}

/**
 * A constraint found in the table's SQL, under the name introspection reports it by.
 *
 * @example
 * ```ts
 * tableSqlConstraints(parseCreateTable('CREATE TABLE t (a int CHECK (a > 0))'))[0]?.name;
 * // '__unnamed_constraint_1__'
 * ```
 */
export interface TableSqlConstraint {
  name: string;
  type: 'unique' | 'check' | 'foreign';
  columns: string[];
  check?: string;
  references?: { table: string; column: string | null };
  /** Where it is: the item index, and the inline constraint for column-level ones. */
  item: number;
  inline?: InlineConstraint;
}

const TABLE_CONSTRAINT_START = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);
const COLUMN_CONSTRAINT_START = new Set([
  'CONSTRAINT',
  'PRIMARY',
  'UNIQUE',
  'CHECK',
  'DEFAULT',
  'COLLATE',
  'REFERENCES',
  'GENERATED',
  'AS',
]);

/** The identifiers of a parenthesised column list starting at `open` (first name of each element). */
function columnList(tokens: readonly SqlToken[], open: number, close: number): string[] {
  const out: string[] = [];
  let expectName = true;
  let depth = 0;
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.value === '(') depth += 1;
    else if (t.kind === 'punct' && t.value === ')') depth -= 1;
    else if (depth === 0 && t.kind === 'punct' && t.value === ',') expectName = true;
    else if (depth === 0 && expectName && (t.kind === 'ident' || t.kind === 'word')) {
      out.push(t.value);
      expectName = false;
    }
  }
  return out;
}

/**
 * Reads the definitions of an SQLite `CREATE TABLE` statement.
 *
 * @example
 * ```ts
 * const parsed = parseCreateTable('CREATE TABLE "t" ("a" integer UNIQUE, CONSTRAINT "c" CHECK ("a" > 0))');
 * parsed.items.map((i) => i.kind); // ['column', 'constraint']
 * ```
 */
export function parseCreateTable(sql: string): ParsedTableSql {
  const tokens = tokenizeSql(sql, { brackets: true });
  const open = tokens.findIndex((t) => t.kind === 'punct' && t.value === '(');
  const close = open === -1 ? -1 : matchingParen(tokens, open);
  if (close === -1) throw new ProgrammingError(`Cannot read the table definition: ${sql}`);
  const items: ParsedTableSql['items'] = [];
  let itemStart = open + 1;
  let depth = 0;
  for (let i = open + 1; i <= close; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.value === '(') depth += 1;
    else if (t.kind === 'punct' && t.value === ')' && i !== close) depth -= 1;
    else if (i === close || (depth === 0 && t.kind === 'punct' && t.value === ',')) {
      if (i > itemStart) items.push(parseItem(sql, tokens.slice(itemStart, i)));
      itemStart = i + 1;
    }
  }
  return { items, suffix: sql.slice(tokens[close]!.end) };
}

function parseItem(sql: string, tokens: SqlToken[]): ParsedColumn | ParsedTableConstraint {
  const base = tokens[0]!.start;
  const text = sql.slice(base, tokens[tokens.length - 1]!.end);
  const first = tokens[0]!;
  if (first.kind === 'word' && TABLE_CONSTRAINT_START.has(first.value.toUpperCase())) {
    return parseTableConstraint(sql, tokens, text);
  }
  const constraints: InlineConstraint[] = [];
  const starts: number[] = [];
  let collation: string | null = null;
  let pendingName: string | null = null;
  let pendingStart = -1;
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.value === '(') {
      i = Math.max(i, matchingParen(tokens, i));
      continue;
    }
    if (t.kind !== 'word') continue;
    const word = t.value.toUpperCase();
    const prev = tokens[i - 1]!;
    const isStart =
      COLUMN_CONSTRAINT_START.has(word) ||
      (word === 'NOT' && isKeyword(tokens[i + 1], 'NULL')) ||
      (word === 'NULL' && !['SET', 'DEFAULT', 'NOT'].some((w) => isKeyword(prev, w)));
    if (!isStart) continue;
    if (word === 'CONSTRAINT') {
      pendingName = tokens[i + 1]?.value ?? null;
      pendingStart = i;
      starts.push(i);
      i += 1;
      continue;
    }
    const start = pendingStart !== -1 ? pendingStart : i;
    if (pendingStart === -1) starts.push(i);
    const name = pendingName;
    pendingName = null;
    pendingStart = -1;
    if (word === 'PRIMARY') {
      constraints.push({ type: 'primary', name, start, end: -1 });
    } else if (word === 'UNIQUE') {
      constraints.push({ type: 'unique', name, start, end: -1 });
    } else if (
      word === 'CHECK' &&
      tokens[i + 1]?.kind === 'punct' &&
      tokens[i + 1]!.value === '('
    ) {
      const end = matchingParen(tokens, i + 1);
      const check = end > i + 2 ? sql.slice(tokens[i + 2]!.start, tokens[end - 1]!.end) : '';
      constraints.push({ type: 'check', name, start, end: -1, check });
      i = Math.max(i, end);
    } else if (word === 'REFERENCES' && tokens[i + 1]) {
      const table = tokens[i + 1]!.value;
      let column: string | null = null;
      if (tokens[i + 2]?.value === '(' && tokens[i + 2]!.kind === 'punct') {
        const end = matchingParen(tokens, i + 2);
        column = columnList(tokens, i + 2, end)[0] ?? null;
        i = Math.max(i, end);
      }
      constraints.push({ type: 'foreign', name, start, end: -1, references: { table, column } });
    } else if (word === 'COLLATE' && tokens[i + 1]) {
      collation = tokens[i + 1]!.value;
    }
  }
  // Each inline constraint runs until the next one starts.
  for (const c of constraints) {
    const next = starts.find((s) => s > c.start) ?? tokens.length;
    c.end = tokens[next - 1]!.end - base;
    c.start = tokens[c.start]!.start - base;
  }
  return { kind: 'column', name: first.value, text, collation, constraints };
}

function parseTableConstraint(
  sql: string,
  tokens: SqlToken[],
  text: string,
): ParsedTableConstraint {
  let i = 0;
  let name: string | null = null;
  if (isKeyword(tokens[0], 'CONSTRAINT')) {
    name = tokens[1]?.value ?? null;
    i = 2;
  }
  const word = tokens[i]?.kind === 'word' ? tokens[i]!.value.toUpperCase() : '';
  const parenAfter = (at: number): [number, number] => {
    const open = tokens.findIndex((t, k) => k >= at && t.kind === 'punct' && t.value === '(');
    return [open, open === -1 ? -1 : matchingParen(tokens, open)];
  };
  const result: ParsedTableConstraint = {
    kind: 'constraint',
    type: 'other',
    name,
    text,
    columns: [],
  };
  if (word === 'PRIMARY' || word === 'UNIQUE') {
    const [open, close] = parenAfter(i);
    result.type = word === 'PRIMARY' ? 'primary' : 'unique';
    if (open !== -1) result.columns = columnList(tokens, open, close);
  } else if (word === 'CHECK') {
    const [open, close] = parenAfter(i);
    result.type = 'check';
    result.check =
      close > open + 1 ? sql.slice(tokens[open + 1]!.start, tokens[close - 1]!.end) : '';
  } else if (word === 'FOREIGN') {
    const [open, close] = parenAfter(i);
    result.type = 'foreign';
    if (open !== -1) result.columns = columnList(tokens, open, close);
    const ref = tokens.findIndex((t, k) => k > close && isKeyword(t, 'REFERENCES'));
    if (ref !== -1 && tokens[ref + 1]) {
      const table = tokens[ref + 1]!.value;
      let columns: string[] = [];
      if (tokens[ref + 2]?.kind === 'punct' && tokens[ref + 2]!.value === '(') {
        columns = columnList(tokens, ref + 2, matchingParen(tokens, ref + 2));
      }
      result.references = { table, columns };
    }
  }
  return result;
}

/**
 * The unique, check and foreign-key constraints written in the table's SQL,
 * named as introspection reports them: their own name, else
 * `__unnamed_constraint_<n>__` for unique and check constraints and
 * `fk_<n>` for foreign keys (Django's names).
 *
 * @example
 * ```ts
 * const sql = 'CREATE TABLE t (a int UNIQUE, b int REFERENCES p (id), CONSTRAINT c CHECK (a < b))';
 * tableSqlConstraints(parseCreateTable(sql)).map((c) => c.name);
 * // ['__unnamed_constraint_1__', 'fk_0', 'c']
 * ```
 */
export function tableSqlConstraints(parsed: ParsedTableSql): TableSqlConstraint[] {
  const out: TableSqlConstraint[] = [];
  const columns = parsed.items.filter((i) => i.kind === 'column').map((i) => i.name);
  let unnamed = 0;
  let fks = 0;
  parsed.items.forEach((item, index) => {
    if (item.kind === 'column') {
      for (const c of item.constraints) {
        if (c.type === 'primary') continue;
        if (c.type === 'foreign') {
          const name = c.name ?? `fk_${fks}`;
          fks += 1;
          out.push({
            name,
            type: 'foreign',
            columns: [item.name],
            references: c.references!,
            item: index,
            inline: c,
          });
          continue;
        }
        const name = c.name ?? `__unnamed_constraint_${++unnamed}__`;
        const cols =
          c.type === 'check'
            ? [item.name, ...columnsIn(c.check ?? '', columns, { brackets: true })]
            : [item.name];
        out.push({
          name,
          type: c.type,
          columns: [...new Set(cols)],
          ...(c.check !== undefined ? { check: c.check } : {}),
          item: index,
          inline: c,
        });
      }
      return;
    }
    if (item.type === 'foreign') {
      const name = item.name ?? `fk_${fks}`;
      fks += 1;
      out.push({
        name,
        type: 'foreign',
        columns: item.columns,
        references: {
          table: item.references?.table ?? '',
          column: item.references?.columns[0] ?? null,
        },
        item: index,
      });
    } else if (item.type === 'unique' || item.type === 'check') {
      const name = item.name ?? `__unnamed_constraint_${++unnamed}__`;
      out.push({
        name,
        type: item.type,
        columns:
          item.type === 'check'
            ? columnsIn(item.check ?? '', columns, { brackets: true })
            : item.columns,
        ...(item.check !== undefined ? { check: item.check } : {}),
        item: index,
      });
    }
  });
  return out;
}

/**
 * @example
 * ```ts
 * const desc = await connection.introspection.getTableDescription('library_book');
 * desc.find((c) => c.name === 'price')?.dataType; // 'decimal'
 * ```
 */
export class SQLiteIntrospection extends BaseDatabaseIntrospection {
  /** Keyed by base type name, as in Django's `FlexibleFieldLookupDict`. */
  override readonly dataTypesReverse: Readonly<Record<string, InternalType>> = {
    bool: 'BooleanField',
    boolean: 'BooleanField',
    smallint: 'SmallIntegerField',
    'smallint unsigned': 'PositiveSmallIntegerField',
    smallinteger: 'SmallIntegerField',
    int: 'IntegerField',
    integer: 'IntegerField',
    bigint: 'BigIntegerField',
    'integer unsigned': 'PositiveIntegerField',
    'bigint unsigned': 'PositiveBigIntegerField',
    decimal: 'DecimalField',
    real: 'FloatField',
    text: 'TextField',
    char: 'CharField',
    varchar: 'CharField',
    blob: 'BinaryField',
    date: 'DateField',
    datetime: 'DateTimeField',
    time: 'TimeField',
  };
  override readonly introspectedFieldTypes: Readonly<Partial<Record<InternalType, InternalType>>> =
    {
      SlugField: 'CharField',
      BigAutoField: 'AutoField',
      SmallAutoField: 'AutoField',
      DurationField: 'BigIntegerField',
      GenericIPAddressField: 'CharField',
      UUIDField: 'CharField',
    };

  override async tableNames(): Promise<string[]> {
    const { rows } = await this.connection.run<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    );
    return rows.map((r) => r.name);
  }

  /** The stored `CREATE TABLE` of `table`, or null when there is no such table. */
  async tableSql(table: string): Promise<string | null> {
    const { rows } = await this.connection.run<{ sql: string }>(
      "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
      [table],
    );
    return rows[0]?.sql ?? null;
  }

  /** `CREATE TABLE` of `table`, read back; rejects when the table is missing. */
  async parseTable(table: string): Promise<ParsedTableSql> {
    const sql = await this.tableSql(table);
    if (sql === null) throw new ProgrammingError(`Table '${table}' does not exist.`);
    return parseCreateTable(sql);
  }

  private async columnInfo(table: string): Promise<
    {
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
      hidden: number;
    }[]
  > {
    const { rows } = await this.connection.run<{
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
      hidden: number;
    }>('SELECT * FROM pragma_table_xinfo(?) ORDER BY cid', [table]);
    return rows.filter((r) => r.hidden !== 1);
  }

  override async getTableDescription(table: string): Promise<ColumnDescription[]> {
    const info = await this.columnInfo(table);
    if (info.length === 0) throw new ProgrammingError(`Table '${table}' does not exist.`);
    const sql = (await this.tableSql(table)) ?? '';
    const parsed = sql ? parseCreateTable(sql) : { items: [], suffix: '' };
    const lowerSql = sql.toLowerCase();
    const pkCount = info.filter((r) => r.pk > 0).length;
    return info.map((r) => {
      const item = parsed.items.find((i) => i.kind === 'column' && i.name === r.name);
      const quoted = this.connection.ops.quoteName(r.name).toLowerCase();
      const desc: ColumnDescription = {
        name: r.name,
        dataType: r.type,
        nullable: !r.notnull && r.pk === 0,
        default: r.dflt_value,
        primaryKey: r.pk > 0,
        collation: item?.kind === 'column' ? item.collation : null,
        // An INTEGER PRIMARY KEY is the rowid: it numbers itself.
        autoIncrement: pkCount === 1 && r.pk > 0 && baseTypeName(r.type) === 'integer',
        isJson: lowerSql.includes(`json_valid(${quoted})`),
      };
      const params = /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(r.type);
      if (params && /char/i.test(r.type)) desc.maxLength = Number(params[1]);
      if (params && /^(decimal|numeric)/i.test(r.type)) {
        desc.precision = Number(params[1]);
        if (params[2] !== undefined) desc.scale = Number(params[2]);
      }
      return desc;
    });
  }

  private async primaryKeyColumns(table: string): Promise<string[]> {
    const { rows } = await this.connection.run<{ name: string }>(
      'SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk',
      [table],
    );
    return rows.map((r) => r.name);
  }

  private async primaryKeyOf(table: string): Promise<string | null> {
    return (await this.primaryKeyColumns(table))[0] ?? null;
  }

  override async getConstraints(table: string): Promise<Record<string, ConstraintInfo>> {
    const constraints: Record<string, ConstraintInfo> = {};
    const sql = await this.tableSql(table);
    if (sql === null) return constraints;
    for (const c of tableSqlConstraints(parseCreateTable(sql))) {
      let foreignKey: [string, string] | null = null;
      if (c.type === 'foreign' && c.references) {
        const column = c.references.column ?? (await this.primaryKeyOf(c.references.table)) ?? '';
        foreignKey = [c.references.table, column];
      }
      constraints[c.name] = {
        columns: c.columns,
        primaryKey: false,
        unique: c.type === 'unique',
        foreignKey,
        check: c.type === 'check',
        index: false,
      };
    }
    const pk = await this.primaryKeyColumns(table);
    if (pk.length) {
      // SQLite's primary key has no name; Django calls it __primary__.
      constraints.__primary__ = {
        columns: pk,
        primaryKey: true,
        unique: false,
        foreignKey: null,
        check: false,
        index: false,
      };
    }
    const indexes = await this.connection.run<{ name: string; is_unique: number }>(
      `SELECT m.name AS name, l."unique" AS is_unique
       FROM sqlite_master m JOIN pragma_index_list(?) l ON l.name = m.name
       WHERE m.type = 'index' AND m.sql IS NOT NULL`,
      [table],
    );
    for (const idx of indexes.rows) {
      const cols = await this.connection.run<{ name: string | null; desc: number }>(
        'SELECT name, "desc" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno',
        [idx.name],
      );
      constraints[idx.name] = {
        columns: cols.rows.map((r) => r.name).filter((n): n is string => n !== null),
        primaryKey: false,
        unique: !!idx.is_unique,
        foreignKey: null,
        check: false,
        index: true,
        orders: cols.rows.map((r) => (r.desc ? 'DESC' : 'ASC')),
        type: 'idx',
      };
    }
    return constraints;
  }

  override async getRelations(
    table: string,
  ): Promise<Record<string, [table: string, column: string]>> {
    const { rows } = await this.connection.run<{ from: string; table: string; to: string | null }>(
      'SELECT "from", "table", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq',
      [table],
    );
    const out: Record<string, [string, string]> = {};
    for (const r of rows) {
      out[r.from] = [r.table, r.to ?? (await this.primaryKeyOf(r.table)) ?? ''];
    }
    return out;
  }
}
