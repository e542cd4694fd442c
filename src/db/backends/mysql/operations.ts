/** The MySQL/MariaDB dialect: backtick quoting, `?` placeholders. */
import { DataError } from '../../errors.js';
import {
  BaseDatabaseOperations,
  type BeginOptions,
  type DateExtractPart,
  type DateTruncKind,
} from '../base/operations.js';

const EXTRACT_SQL: Record<DateExtractPart, (sql: string) => string> = {
  year: (s) => `EXTRACT(YEAR FROM ${s})`,
  iso_year: (s) => `FLOOR(YEARWEEK(${s}, 3) / 100)`,
  quarter: (s) => `QUARTER(${s})`,
  month: (s) => `EXTRACT(MONTH FROM ${s})`,
  week: (s) => `WEEK(${s}, 3)`,
  week_day: (s) => `DAYOFWEEK(${s})`,
  iso_week_day: (s) => `(WEEKDAY(${s}) + 1)`,
  day: (s) => `EXTRACT(DAY FROM ${s})`,
  hour: (s) => `EXTRACT(HOUR FROM ${s})`,
  minute: (s) => `EXTRACT(MINUTE FROM ${s})`,
  second: (s) => `EXTRACT(SECOND FROM ${s})`,
};

const TRUNC_FORMATS: Partial<Record<DateTruncKind, string>> = {
  year: '%Y-01-01 00:00:00',
  month: '%Y-%m-01 00:00:00',
  day: '%Y-%m-%d 00:00:00',
  hour: '%Y-%m-%d %H:00:00',
  minute: '%Y-%m-%d %H:%i:00',
  second: '%Y-%m-%d %H:%i:%s',
};

export class MySQLOperations extends BaseDatabaseOperations {
  override readonly explainFormats = ['TRADITIONAL', 'JSON', 'TREE'];
  override readonly explainOptions = ['analyze'];

  /**
   * `EXPLAIN FORMAT=JSON`; with `analyze`, MariaDB's `ANALYZE` statement or
   * MySQL's `EXPLAIN ANALYZE`.
   */
  override explainPrefix(
    format: string | undefined,
    options: Readonly<Record<string, boolean>>,
  ): string {
    const mariadb = (this.features as { isMariaDB?: boolean }).isMariaDB ?? true;
    const analyze = !!options.analyze;
    const prefix = analyze ? (mariadb ? 'ANALYZE' : 'EXPLAIN ANALYZE') : 'EXPLAIN';
    if (format && !(analyze && !mariadb)) return `${prefix} FORMAT=${format}`;
    return prefix;
  }

  protected override readonly identifierQuote = '`';

  /**
   * Backslash is already MySQL's LIKE escape character (and would itself need
   * escaping inside a MySQL string literal), so no ESCAPE clause. `LIKE BINARY`
   * keeps the case-sensitive lookups case-sensitive under the default collations.
   */
  override readonly operators: Readonly<Record<string, string>> = {
    exact: '= %s',
    iexact: 'LIKE %s',
    contains: 'LIKE BINARY %s',
    icontains: 'LIKE %s',
    gt: '> %s',
    gte: '>= %s',
    lt: '< %s',
    lte: '<= %s',
    startswith: 'LIKE BINARY %s',
    endswith: 'LIKE BINARY %s',
    istartswith: 'LIKE %s',
    iendswith: 'LIKE %s',
  };

  override placeholder(): string {
    return '?';
  }

  override limitOffsetSql(
    limit: number | null | undefined,
    offset: number | null | undefined,
  ): string {
    // MySQL needs a LIMIT before OFFSET; this is the documented "no limit" value.
    if (limit == null && offset)
      return `LIMIT 18446744073709551615 ${super.limitOffsetSql(undefined, offset)}`;
    return super.limitOffsetSql(limit, offset);
  }

  override beginSql(options: BeginOptions = {}): string[] {
    if (options.isolationLevel) {
      this.checkIsolationLevel(options.isolationLevel);
      return [
        `SET TRANSACTION ISOLATION LEVEL ${options.isolationLevel.toUpperCase()}`,
        'START TRANSACTION',
      ];
    }
    return ['START TRANSACTION'];
  }

  override dateExtractSql(part: DateExtractPart, sql: string): string {
    const build = EXTRACT_SQL[part];
    if (!build) throw new DataError(`Unsupported date part '${String(part)}'.`);
    return build(sql);
  }

  override dateTruncSql(kind: DateTruncKind, sql: string): string {
    const format = TRUNC_FORMATS[kind];
    if (format) return `CAST(DATE_FORMAT(${sql}, '${format}') AS DATETIME)`;
    if (kind === 'quarter') {
      return `CAST(CONCAT(YEAR(${sql}), '-', LPAD((QUARTER(${sql}) - 1) * 3 + 1, 2, '0'), '-01 00:00:00') AS DATETIME)`;
    }
    // week: back to Monday
    return `CAST(DATE_FORMAT(DATE_SUB(${sql}, INTERVAL WEEKDAY(${sql}) DAY), '%Y-%m-%d 00:00:00') AS DATETIME)`;
  }

  override datetimeCastDateSql(sql: string): string {
    return `DATE(${sql})`;
  }

  override castSql(sql: string, dbType: string): string {
    return `CAST(${sql} AS ${dbType === 'text' ? 'char' : dbType})`;
  }

  override adaptParam(value: unknown): unknown {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (
      value !== null &&
      typeof value === 'object' &&
      !(value instanceof Date) &&
      !(value instanceof Uint8Array)
    ) {
      return JSON.stringify(value);
    }
    return value;
  }
}
