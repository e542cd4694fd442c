/**
 * Backend-specific SQL fragments (the role of Django's `BaseDatabaseOperations`):
 * quoting, placeholders, LIMIT/OFFSET, RETURNING, locking clauses, date
 * functions, and how JavaScript values are handed to the driver. Each backend
 * overrides only what differs; tables of operators are data, not code.
 */
import { DatabaseNotSupportedError, DataError, ProgrammingError } from '../../errors.js';
import type { BaseDatabaseFeatures } from './features.js';

/** Options of a row-locking clause (`SELECT … FOR UPDATE`). */
export interface ForUpdateOptions {
  nowait?: boolean;
  skipLocked?: boolean;
  /** Lock only rows of these tables (already quoted or plain names). */
  of?: readonly string[];
  /** PostgreSQL's weaker `FOR NO KEY UPDATE`. */
  noKey?: boolean;
}

/** Transaction isolation levels, named as in SQL. */
export type IsolationLevel =
  'read uncommitted' | 'read committed' | 'repeatable read' | 'serializable';

/** Options used when a transaction begins. */
export interface BeginOptions {
  isolationLevel?: IsolationLevel | undefined;
}

/** Parts of a date or time that `EXTRACT`-like functions can return. */
export type DateExtractPart =
  | 'year'
  | 'iso_year'
  | 'quarter'
  | 'month'
  | 'week'
  | 'week_day'
  | 'iso_week_day'
  | 'day'
  | 'hour'
  | 'minute'
  | 'second';

/** Precisions that `DATE_TRUNC`-like functions accept. */
export type DateTruncKind =
  'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second';

export abstract class BaseDatabaseOperations {
  constructor(protected readonly features: BaseDatabaseFeatures) {}

  /** The character that quotes identifiers (`"` or `` ` ``). */
  protected readonly identifierQuote: string = '"';

  /**
   * Comparison operators of the built-in lookups, as templates where `%s` is
   * the right-hand side (Django's `operators`). Pattern lookups expect the
   * right-hand value already escaped with {@link prepLikeValue}.
   */
  readonly operators: Readonly<Record<string, string>> = {
    exact: '= %s',
    iexact: "LIKE %s ESCAPE '\\'",
    contains: "LIKE %s ESCAPE '\\'",
    icontains: "LIKE %s ESCAPE '\\'",
    gt: '> %s',
    gte: '>= %s',
    lt: '< %s',
    lte: '<= %s',
    startswith: "LIKE %s ESCAPE '\\'",
    endswith: "LIKE %s ESCAPE '\\'",
    istartswith: "LIKE %s ESCAPE '\\'",
    iendswith: "LIKE %s ESCAPE '\\'",
  };

  /** `explain()` output formats this backend accepts (uppercase; empty: only its default). */
  readonly explainFormats: readonly string[] = [];
  /** `explain()` options this backend accepts (camelCase names). */
  readonly explainOptions: readonly string[] = [];

  /**
   * The prefix that makes a statement an EXPLAIN (Django's
   * `explain_query_prefix`); `format` and `options` are already validated.
   */
  explainPrefix(format: string | undefined, options: Readonly<Record<string, boolean>>): string {
    void format;
    void options;
    return 'EXPLAIN';
  }

  /**
   * Quotes an identifier, doubling any quote character inside it, so a name
   * can never end the quoting early.
   */
  quoteName(name: string): string {
    if (name.includes('\0'))
      throw new DataError('An identifier cannot contain NUL (0x00) characters.');
    const q = this.identifierQuote;
    return q + name.split(q).join(q + q) + q;
  }

  /** The placeholder for the `index`-th (1-based) bound parameter. */
  abstract placeholder(index: number): string;

  /** `LIMIT … OFFSET …` for a slice; values must be non-negative integers. */
  limitOffsetSql(limit: number | null | undefined, offset: number | null | undefined): string {
    const parts: string[] = [];
    if (limit != null) parts.push(`LIMIT ${checkedInteger(limit, 'limit')}`);
    if (offset) parts.push(`OFFSET ${checkedInteger(offset, 'offset')}`);
    return parts.join(' ');
  }

  /** ` RETURNING a, b` for statements that can return the written rows. */
  returningSql(columns: readonly string[]): string {
    if (!this.features.canReturnColumnsFromInsert) {
      throw new DatabaseNotSupportedError('This database backend does not support RETURNING.');
    }
    return ` RETURNING ${columns.map((c) => this.quoteName(c)).join(', ')}`;
  }

  /** The locking clause of `SELECT … FOR UPDATE`, refusing what the backend lacks. */
  forUpdateSql(options: ForUpdateOptions = {}): string {
    const f = this.features;
    if (!f.hasSelectForUpdate) {
      throw new DatabaseNotSupportedError(
        'selectForUpdate is not supported on this database backend.',
      );
    }
    if (options.nowait && options.skipLocked) {
      throw new DatabaseNotSupportedError('The nowait option cannot be used with skipLocked.');
    }
    if (options.nowait && !f.hasSelectForUpdateNowait) {
      throw new DatabaseNotSupportedError('NOWAIT is not supported on this database backend.');
    }
    if (options.skipLocked && !f.hasSelectForUpdateSkipLocked) {
      throw new DatabaseNotSupportedError('SKIP LOCKED is not supported on this database backend.');
    }
    if (options.of?.length && !f.hasSelectForUpdateOf) {
      throw new DatabaseNotSupportedError(
        'FOR UPDATE OF is not supported on this database backend.',
      );
    }
    if (options.noKey && !f.hasSelectForNoKeyUpdate) {
      throw new DatabaseNotSupportedError(
        'FOR NO KEY UPDATE is not supported on this database backend.',
      );
    }
    let sql = options.noKey ? 'FOR NO KEY UPDATE' : 'FOR UPDATE';
    if (options.of?.length) sql += ` OF ${options.of.map((t) => this.quoteName(t)).join(', ')}`;
    if (options.nowait) sql += ' NOWAIT';
    if (options.skipLocked) sql += ' SKIP LOCKED';
    return sql;
  }

  /** Statements that open a transaction. */
  beginSql(options: BeginOptions = {}): string[] {
    if (options.isolationLevel) {
      this.checkIsolationLevel(options.isolationLevel);
      return [`BEGIN ISOLATION LEVEL ${options.isolationLevel.toUpperCase()}`];
    }
    return ['BEGIN'];
  }

  /** Throws when the backend cannot provide the isolation level. */
  protected checkIsolationLevel(level: string): void {
    if (!this.features.supportedIsolationLevels.includes(level)) {
      throw new DatabaseNotSupportedError(
        `Invalid transaction isolation level '${level}'. Choices are: ${this.features.supportedIsolationLevels.join(', ')}.`,
      );
    }
  }

  commitSql(): string {
    return 'COMMIT';
  }
  rollbackSql(): string {
    return 'ROLLBACK';
  }
  savepointCreateSql(sid: string): string {
    return `SAVEPOINT ${this.quoteName(sid)}`;
  }
  savepointRollbackSql(sid: string): string {
    return `ROLLBACK TO SAVEPOINT ${this.quoteName(sid)}`;
  }
  savepointCommitSql(sid: string): string {
    return `RELEASE SAVEPOINT ${this.quoteName(sid)}`;
  }

  /**
   * Escapes `\`, `%` and `_` so that user input in a LIKE pattern matches
   * literally (the pattern operators use `ESCAPE '\'`).
   */
  prepLikeValue(value: string): string {
    return value.replace(/[\\%_]/g, (c) => `\\${c}`);
  }

  /** SQL that extracts a part of a date or datetime expression. */
  abstract dateExtractSql(part: DateExtractPart, sql: string): string;
  /** SQL that truncates a date or datetime expression to a precision. */
  abstract dateTruncSql(kind: DateTruncKind, sql: string): string;
  /** SQL that takes the date part of a datetime expression. */
  abstract datetimeCastDateSql(sql: string): string;

  /** Converts a JavaScript value into what the driver expects for a bound parameter. */
  adaptParam(value: unknown): unknown {
    return value;
  }

  /** Placeholder SQL for `expr` cast to `dbType`. */
  castSql(sql: string, dbType: string): string {
    return `CAST(${sql} AS ${dbType})`;
  }

  /**
   * Turns Django-style raw SQL (`%s` placeholders, `%%` for a literal `%`)
   * into this backend's placeholders. With `params` undefined the SQL is
   * left untouched, as Django does.
   */
  formatRawSql(sql: string, paramCount: number | undefined): string {
    if (paramCount === undefined) return sql;
    let index = 0;
    const out = sql.replace(/%(%|s)/g, (_m, c: string) =>
      c === '%' ? '%' : this.placeholder(++index),
    );
    if (index !== paramCount) {
      throw new ProgrammingError(
        `The SQL has ${index} placeholder(s) (%s) but ${paramCount} parameter(s) were given.`,
      );
    }
    return out;
  }

  /** How many rows of `fieldCount` parameters each fit in one statement. */
  bulkBatchSize(fieldCount: number, rowCount: number): number {
    const perRow = Math.max(1, fieldCount);
    return Math.max(1, Math.min(rowCount, Math.floor(this.features.maxQueryParams / perRow)));
  }
}

function checkedInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new DataError(`Invalid ${what} ${String(value)}: expected a non-negative integer.`);
  }
  return value;
}
