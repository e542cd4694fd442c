/** PostgreSQL's SQL dialect: `$n` placeholders, EXTRACT/DATE_TRUNC. */
import { DataError } from '../../errors.js';
import {
  BaseDatabaseOperations,
  type DateExtractPart,
  type DateTruncKind,
} from '../base/operations.js';

const EXTRACT_FIELDS: Record<DateExtractPart, string> = {
  year: 'YEAR',
  iso_year: 'ISOYEAR',
  quarter: 'QUARTER',
  month: 'MONTH',
  week: 'WEEK',
  week_day: 'DOW',
  iso_week_day: 'ISODOW',
  day: 'DAY',
  hour: 'HOUR',
  minute: 'MINUTE',
  second: 'SECOND',
};

const NUL_MESSAGE = 'A string literal cannot contain NUL (0x00) characters.';

export class PostgreSQLOperations extends BaseDatabaseOperations {
  override readonly explainFormats = ['TEXT', 'XML', 'JSON', 'YAML'];
  override readonly explainOptions = [
    'analyze',
    'buffers',
    'costs',
    'settings',
    'summary',
    'timing',
    'verbose',
    'wal',
    'genericPlan',
    'memory',
    'serialize',
  ];

  /** `EXPLAIN (ANALYZE true, FORMAT JSON)`: options in PostgreSQL's parenthesised form. */
  override explainPrefix(
    format: string | undefined,
    options: Readonly<Record<string, boolean>>,
  ): string {
    const parts = Object.entries(options).map(
      ([name, on]) =>
        `${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()} ${on ? 'true' : 'false'}`,
    );
    if (format) parts.push(`FORMAT ${format}`);
    return parts.length ? `EXPLAIN (${parts.join(', ')})` : 'EXPLAIN';
  }

  override placeholder(index: number): string {
    return `$${index}`;
  }

  override dateExtractSql(part: DateExtractPart, sql: string): string {
    const field = EXTRACT_FIELDS[part];
    if (!field) throw new DataError(`Unsupported date part '${String(part)}'.`);
    // FLOOR: EXTRACT(SECOND …) has a fraction; Django's extracts are integers.
    const extracted = `FLOOR(EXTRACT(${field} FROM ${sql}))::integer`;
    return part === 'week_day' ? `(${extracted} + 1)` : extracted;
  }

  override dateTruncSql(kind: DateTruncKind, sql: string): string {
    return `DATE_TRUNC('${kind}', ${sql})`;
  }

  override datetimeCastDateSql(sql: string): string {
    return `(${sql})::date`;
  }

  /**
   * PostgreSQL text cannot hold NUL; refuse it with Django's message rather
   * than the server's encoding error. BigInts travel as decimal strings.
   */
  override adaptParam(value: unknown): unknown {
    if (typeof value === 'string') {
      if (value.includes('\0')) throw new DataError(NUL_MESSAGE);
      return value;
    }
    if (typeof value === 'bigint') return value.toString();
    if (Array.isArray(value)) {
      return value.map((v) =>
        typeof v === 'string' || typeof v === 'bigint' ? this.adaptParam(v) : v,
      );
    }
    return value;
  }
}
