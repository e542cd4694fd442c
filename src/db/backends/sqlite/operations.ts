/** SQLite's SQL dialect: `?` placeholders, strftime-based date functions. */
import { DataError } from '../../errors.js';
import {
  BaseDatabaseOperations,
  type BeginOptions,
  type DateExtractPart,
  type DateTruncKind,
} from '../base/operations.js';

const EXTRACT_FORMATS: Partial<Record<DateExtractPart, string>> = {
  year: '%Y',
  iso_year: '%G',
  month: '%m',
  week: '%V',
  day: '%d',
  hour: '%H',
  minute: '%M',
  second: '%S',
};

export class SQLiteOperations extends BaseDatabaseOperations {
  override explainPrefix(): string {
    return 'EXPLAIN QUERY PLAN';
  }

  /** `BEGIN DEFERRED|IMMEDIATE|EXCLUSIVE`, from `options.transactionMode`. */
  transactionMode: string | undefined;

  override placeholder(): string {
    return '?';
  }

  override limitOffsetSql(
    limit: number | null | undefined,
    offset: number | null | undefined,
  ): string {
    // SQLite needs a LIMIT before OFFSET; -1 means no limit.
    if (limit == null && offset) return `LIMIT -1 ${super.limitOffsetSql(undefined, offset)}`;
    return super.limitOffsetSql(limit, offset);
  }

  override beginSql(options: BeginOptions = {}): string[] {
    if (options.isolationLevel) this.checkIsolationLevel(options.isolationLevel);
    return [this.transactionMode ? `BEGIN ${this.transactionMode}` : 'BEGIN'];
  }

  override dateExtractSql(part: DateExtractPart, sql: string): string {
    const format = EXTRACT_FORMATS[part];
    if (format) return `CAST(strftime('${format}', ${sql}) AS INTEGER)`;
    switch (part) {
      case 'week_day': // 1 = Sunday … 7 = Saturday, as Django's week_day
        return `(CAST(strftime('%w', ${sql}) AS INTEGER) + 1)`;
      case 'iso_week_day': // 1 = Monday … 7 = Sunday
        return `(((CAST(strftime('%w', ${sql}) AS INTEGER) + 6) % 7) + 1)`;
      case 'quarter':
        return `((CAST(strftime('%m', ${sql}) AS INTEGER) + 2) / 3)`;
      default:
        throw new DataError(`Unsupported date part '${String(part)}'.`);
    }
  }

  override dateTruncSql(kind: DateTruncKind, sql: string): string {
    switch (kind) {
      case 'year':
        return `strftime('%Y-01-01 00:00:00', ${sql})`;
      case 'quarter':
        return `strftime('%Y-', ${sql}) || printf('%02d', ((CAST(strftime('%m', ${sql}) AS INTEGER) - 1) / 3) * 3 + 1) || '-01 00:00:00'`;
      case 'month':
        return `strftime('%Y-%m-01 00:00:00', ${sql})`;
      case 'week':
        return `strftime('%Y-%m-%d 00:00:00', ${sql}, '-' || ((CAST(strftime('%w', ${sql}) AS INTEGER) + 6) % 7) || ' days')`;
      case 'day':
        return `strftime('%Y-%m-%d 00:00:00', ${sql})`;
      case 'hour':
        return `strftime('%Y-%m-%d %H:00:00', ${sql})`;
      case 'minute':
        return `strftime('%Y-%m-%d %H:%M:00', ${sql})`;
      case 'second':
        return `strftime('%Y-%m-%d %H:%M:%S', ${sql})`;
    }
  }

  override datetimeCastDateSql(sql: string): string {
    return `date(${sql})`;
  }

  /**
   * better-sqlite3 binds numbers, bigints, strings, buffers and null; other
   * values are converted as Django stores them in SQLite.
   */
  override adaptParam(value: unknown): unknown {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value instanceof Date) return formatUtcDateTime(value);
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value);
    if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value))
      return JSON.stringify(value);
    return value;
  }
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` in UTC, the text form Django uses for SQLite datetimes. */
export function formatUtcDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new DataError('Invalid Date cannot be stored.');
  const iso = date.toISOString(); // 2024-01-02T03:04:05.678Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}
