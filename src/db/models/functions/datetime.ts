/**
 * Date and time functions (Django's `django.db.models.functions.datetime`):
 * `Now`, `Extract` and its `ExtractYear`… forms, `Trunc` and its
 * `TruncMonth`… forms. Datetimes are read in UTC, as the rest of the ORM.
 */
import { FieldError } from '../../../core/exceptions.js';
import type { DateExtractPart, DateTruncKind } from '../../backends/base/operations.js';
import { Func, type ExpressionArg, type FuncOptions } from '../expressions.js';
import type { Field } from '../fields/field.js';
import {
  DateFieldImpl,
  DateTimeField,
  DateTimeFieldImpl,
  TimeFieldImpl,
} from '../fields/temporal.js';
import { IntegerField } from '../fields/numeric.js';
import { findLookup, isTransformClass } from '../lookups.js';
import type { SqlFragment } from '../sql/fragment.js';
import type { ExpressionCompiler, ResolvedNode } from '../sql/query.js';

const DATETIME = DateTimeField();
const INTEGER = IntegerField();

/** The current date and time, from the database (`CURRENT_TIMESTAMP`). */
export class Now extends Func<Date> {
  override readonly functionName = 'CURRENT_TIMESTAMP';
  constructor() {
    super([], { outputField: DATETIME });
  }
  override asSqlFor(): SqlFragment {
    return { sql: 'CURRENT_TIMESTAMP', params: [] };
  }
  asSqlite(): SqlFragment {
    // Millisecond precision, in the ORM's text format.
    return { sql: "STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')", params: [] };
  }
  asMysql(): SqlFragment {
    return { sql: 'CURRENT_TIMESTAMP(6)', params: [] };
  }
}

/** A part of a date or datetime as a number: `Extract('publishedDate', 'year')`. */
export class Extract extends Func<number | null> {
  constructor(
    expression: ExpressionArg,
    readonly lookupName: DateExtractPart,
    options: FuncOptions = {},
  ) {
    super([expression], options);
  }

  override defaultOutputField(): Field {
    return INTEGER;
  }

  override asSqlFor(compiler: ExpressionCompiler, node: ResolvedNode): SqlFragment {
    const source = node.args[0]!;
    const field =
      source.kind === 'col' ? source.field : source.kind === 'node' ? source.outputField : null;
    if (
      !field ||
      !(
        field instanceof DateFieldImpl ||
        field instanceof DateTimeFieldImpl ||
        field instanceof TimeFieldImpl
      )
    ) {
      throw new FieldError(
        `Extract input expression must be DateField, DateTimeField, TimeField, or DurationField.`,
      );
    }
    // The same SQL as the `__year`… lookups (UTC on PostgreSQL).
    const T = findLookup(field, this.lookupName);
    if (!T || !isTransformClass(T)) {
      throw new FieldError(`Cannot extract '${this.lookupName}' from ${field.internalType}.`);
    }
    const lhs = compiler.compileExpr(source);
    return new T(field).asSql(lhs, {
      connection: compiler.connection,
      compileRhs: () => undefined,
    });
  }
}

/** The year. */
export class ExtractYear extends Extract {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'year', options);
  }
}
/** The ISO 8601 week-numbering year. */
export class ExtractIsoYear extends Extract {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'iso_year', options);
  }
}
/** The quarter (1–4). */
export class ExtractQuarter extends Extract {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'quarter', options);
  }
}
/** The month (1–12). */
export class ExtractMonth extends Extract {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'month', options);
  }
}
/** The ISO week (1–53). */
export class ExtractWeek extends Extract {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'week', options);
  }
}
/** The day of the week, Sunday = 1 (Django's). */
export class ExtractWeekDay extends Extract {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'week_day', options);
  }
}
/** The ISO day of the week, Monday = 1. */
export class ExtractIsoWeekDay extends Extract {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'iso_week_day', options);
  }
}
/** The day of the month. */
export class ExtractDay extends Extract {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'day', options);
  }
}
/** The hour (UTC). */
export class ExtractHour extends Extract {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'hour', options);
  }
}
/** The minute. */
export class ExtractMinute extends Extract {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'minute', options);
  }
}
/** The second. */
export class ExtractSecond extends Extract {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'second', options);
  }
}

/**
 * A date or datetime truncated to a precision: `Trunc('createdAt', 'month')`
 * is the first instant of the month (UTC). The result has the input's type
 * (a date stays a date) unless `outputField` says otherwise.
 */
export class Trunc<V = unknown> extends Func<V> {
  constructor(
    expression: ExpressionArg,
    readonly kind: DateTruncKind | 'date',
    options: FuncOptions = {},
  ) {
    super([expression], options);
  }

  override asSqlFor(compiler: ExpressionCompiler, node: ResolvedNode): SqlFragment {
    const source = node.args[0]!;
    const field =
      source.kind === 'col' ? source.field : source.kind === 'node' ? source.outputField : null;
    const isDatetime = field instanceof DateTimeFieldImpl;
    if (!(field instanceof DateFieldImpl) && !isDatetime) {
      throw new FieldError('Trunc only works on DateField and DateTimeField expressions.');
    }
    const ops = compiler.connection.ops;
    const pg = compiler.connection.vendor === 'postgresql';
    const arg = compiler.compileExpr(source);
    const input = pg && isDatetime ? `(${arg.sql} AT TIME ZONE 'UTC')` : arg.sql;
    if (this.kind === 'date') return { sql: ops.datetimeCastDateSql(input), params: arg.params };
    let sql = ops.dateTruncSql(this.kind, input);
    const output = node.outputField;
    if (output instanceof DateTimeFieldImpl) {
      // Back to an instant (timestamptz) on PostgreSQL.
      if (pg && isDatetime) sql = `(${sql} AT TIME ZONE 'UTC')`;
    } else sql = ops.datetimeCastDateSql(sql);
    return { sql, params: arg.params };
  }

  override defaultOutputField(sources: readonly (Field | null)[]): Field | null {
    if (this.kind === 'date') return new DateFieldImpl();
    return sources[0] ?? null;
  }
}

/** The first day of the year. */
export class TruncYear<V = unknown> extends Trunc<V> {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'year', options);
  }
}
/** The first day of the quarter. */
export class TruncQuarter<V = unknown> extends Trunc<V> {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'quarter', options);
  }
}
/** The first day of the month. */
export class TruncMonth<V = unknown> extends Trunc<V> {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'month', options);
  }
}
/** The Monday of the week. */
export class TruncWeek<V = unknown> extends Trunc<V> {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'week', options);
  }
}
/** The start of the day. */
export class TruncDay<V = unknown> extends Trunc<V> {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'day', options);
  }
}
/** The date of a datetime (UTC). */
export class TruncDate<V = unknown> extends Trunc<V> {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'date', options);
  }
}
/** The start of the hour. */
export class TruncHour<V = unknown> extends Trunc<V> {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'hour', options);
  }
}
/** The start of the minute. */
export class TruncMinute<V = unknown> extends Trunc<V> {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'minute', options);
  }
}
/** The start of the second. */
export class TruncSecond<V = unknown> extends Trunc<V> {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super(expression, 'second', options);
  }
}
