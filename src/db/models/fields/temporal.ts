/**
 * Dates and times. JavaScript has no date-only or time-only type, so
 * `DateField` values are `'YYYY-MM-DD'` strings and `TimeField` values
 * `'HH:MM:SS[.ffffff]'` strings (no time zone can shift them);
 * `DateTimeField` values are `Date`s, stored in UTC; `DurationField` values
 * are milliseconds.
 */
import type { BaseDatabaseWrapper } from '../../backends/base/wrapper.js';
import { Field, type FieldOptions, type NullOf, type OptionalOf } from './field.js';

/** Options of date and datetime fields. */
export interface DateFieldOptions<V> extends FieldOptions<V> {
  /** Set to now on every save. */
  autoNow?: boolean;
  /** Set to now when the row is created. */
  autoNowAdd?: boolean;
}

/** A datetime field with `autoNow`/`autoNowAdd` may be left out on create. */
type AutoOptional<O> = O extends { autoNow: true } | { autoNowAdd: true } ? true : OptionalOf<O>;

const DATE_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

function validDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Today's date in UTC as `YYYY-MM-DD`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** @internal The class behind {@link DateField}. */
export class DateFieldImpl<
  V = string,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends Field<V, N, O> {
  readonly internalType: string = 'DateField';
  protected static override readonly defaultErrorMessages = {
    invalid: '“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format.',
    invalid_date:
      '“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date.',
  };
  readonly autoNow: boolean;
  readonly autoNowAdd: boolean;

  constructor(options: DateFieldOptions<V> = {}) {
    const auto = options.autoNow || options.autoNowAdd;
    super(auto ? { editable: false, blank: true, ...options } : options);
    this.autoNow = options.autoNow ?? false;
    this.autoNowAdd = options.autoNowAdd ?? false;
  }

  override toJs(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw this.fail('invalid', { value });
      return todayUtc(value) as V;
    }
    const text = String(value).trim();
    const m = DATE_RE.exec(text);
    if (!m) throw this.fail('invalid', { value });
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!validDate(y, mo, d)) throw this.fail('invalid_date', { value });
    return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` as V;
  }

  override fromDb(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return todayUtc(value) as V;
    return String(value).slice(0, 10) as V;
  }

  override preSave(instance: Record<string, unknown>, adding: boolean): unknown {
    if (this.autoNow || (this.autoNowAdd && adding)) {
      instance[this.attname] = todayUtc(now());
    }
    return instance[this.attname];
  }
}

/** The clock used by `autoNow` fields; tests may replace it (frozen time). */
let clock: () => Date = () => new Date();
/** The current time according to the ORM's clock. */
export function now(): Date {
  return clock();
}
/** Replaces the ORM's clock (for frozen-time helpers); returns the previous one. */
export function setClock(fn: () => Date): () => Date {
  const previous = clock;
  clock = fn;
  return previous;
}

const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** @internal The class behind {@link DateTimeField}. */
export class DateTimeFieldImpl<
  V = Date,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends Field<V, N, O> {
  readonly internalType: string = 'DateTimeField';
  protected static override readonly defaultErrorMessages = {
    invalid:
      '“%(value)s” value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.',
    invalid_datetime:
      '“%(value)s” value has the correct format (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time.',
  };
  readonly autoNow: boolean;
  readonly autoNowAdd: boolean;

  constructor(options: DateFieldOptions<V> = {}) {
    const auto = options.autoNow || options.autoNowAdd;
    super(auto ? { editable: false, blank: true, ...options } : options);
    this.autoNow = options.autoNow ?? false;
    this.autoNowAdd = options.autoNowAdd ?? false;
  }

  override toJs(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw this.fail('invalid', { value });
      return value as V;
    }
    if (typeof value === 'number') return new Date(value) as V;
    const text = String(value).trim();
    const m = DATETIME_RE.exec(text);
    if (!m) throw this.fail('invalid', { value });
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
    if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59)
      throw this.fail('invalid_datetime', { value });
    const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3) || 0);
    // A naive value is taken as UTC (settings.useTz stores UTC).
    let offsetMinutes = 0;
    const tz = m[8];
    if (tz && tz.toUpperCase() !== 'Z') {
      const sign = tz[0] === '-' ? -1 : 1;
      const digits = tz.slice(1).replace(':', '');
      offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    }
    return new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMinutes * 60_000) as V;
  }

  override fromDb(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return value as V;
    // SQLite: 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC.
    return this.toJs(value);
  }

  override preSave(instance: Record<string, unknown>, adding: boolean): unknown {
    if (this.autoNow || (this.autoNowAdd && adding)) instance[this.attname] = now();
    return instance[this.attname];
  }
}

const TIME_RE = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;

/** @internal The class behind {@link TimeField}. */
export class TimeFieldImpl<
  V = string,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends Field<V, N, O> {
  readonly internalType: string = 'TimeField';
  protected static override readonly defaultErrorMessages = {
    invalid: '“%(value)s” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format.',
    invalid_time:
      '“%(value)s” value has the correct format (HH:MM[:ss[.uuuuuu]]) but it is an invalid time.',
  };

  override toJs(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    const m = TIME_RE.exec(String(value).trim());
    if (!m) throw this.fail('invalid', { value });
    const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
    if (h > 23 || mi > 59 || s > 59) throw this.fail('invalid_time', { value });
    const base = `${String(h).padStart(2, '0')}:${m[2]}:${String(s).padStart(2, '0')}`;
    const fraction = (m[4] ?? '').replace(/0+$/, '');
    return (fraction ? `${base}.${m[4]!.padEnd(6, '0')}` : base) as V;
  }

  override fromDb(value: unknown): V | null {
    return value === null || value === undefined ? null : this.toJs(value);
  }
}

/** @internal The class behind {@link DurationField}: milliseconds. */
export class DurationFieldImpl<
  V = number,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends Field<V, N, O> {
  readonly internalType: string = 'DurationField';
  protected static override readonly defaultErrorMessages = {
    invalid:
      '“%(value)s” value has an invalid format. It must be in [DD] [[HH:]MM:]ss[.uuuuuu] format.',
  };

  override toJs(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    if (typeof value === 'number' && Number.isFinite(value)) return value as V;
    const m = /^(?:(-?\d+) )?(?:(?:(\d+):)?(\d+):)?(\d+(?:\.\d{1,6})?)$/.exec(String(value).trim());
    if (!m) throw this.fail('invalid', { value });
    const [days, hours, minutes, seconds] = [
      Number(m[1] ?? 0),
      Number(m[2] ?? 0),
      Number(m[3] ?? 0),
      Number(m[4]),
    ];
    return ((((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000) as V;
  }

  override toDb(value: V | null, connection: BaseDatabaseWrapper): unknown {
    if (value === null) return null;
    const ms = Number(value);
    // Native intervals on PostgreSQL; microseconds as a bigint elsewhere (as Django).
    return connection.features.hasNativeDurationField
      ? `${ms} milliseconds`
      : Math.round(ms * 1000);
  }

  override fromDb(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    if (
      typeof value === 'number' ||
      typeof value === 'bigint' ||
      (typeof value === 'string' && /^-?\d+$/.test(value))
    ) {
      return (Number(value) / 1000) as V;
    }
    if (typeof value === 'object') {
      // node-postgres interval object
      const i = value as Record<string, number | undefined>;
      const days = (i.years ?? 0) * 365 + (i.months ?? 0) * 30 + (i.days ?? 0);
      return ((((days * 24 + (i.hours ?? 0)) * 60 + (i.minutes ?? 0)) * 60 + (i.seconds ?? 0)) *
        1000 +
        (i.milliseconds ?? 0)) as V;
    }
    return this.toJs(value);
  }
}

/**
 * A calendar date, as `'YYYY-MM-DD'`.
 *
 * @example
 * ```ts
 * publishedDate: DateField({ null: true, dbIndex: true }),
 * ```
 */
export function DateField<const O extends DateFieldOptions<string>>(
  options?: O,
): DateFieldImpl<string, NullOf<O>, AutoOptional<O>> {
  return new DateFieldImpl(options) as never;
}

/**
 * A moment in time, as a `Date`, stored in UTC.
 *
 * @example
 * ```ts
 * createdAt: DateTimeField({ autoNowAdd: true }),
 * ```
 */
export function DateTimeField<const O extends DateFieldOptions<Date>>(
  options?: O,
): DateTimeFieldImpl<Date, NullOf<O>, AutoOptional<O>> {
  return new DateTimeFieldImpl(options) as never;
}

/**
 * A time of day, as `'HH:MM:SS'` (with `.ffffff` when there are fractions).
 *
 * @example
 * ```ts
 * opensAt: TimeField(),
 * ```
 */
export function TimeField<const O extends FieldOptions<string>>(
  options?: O,
): TimeFieldImpl<string, NullOf<O>, OptionalOf<O>> {
  return new TimeFieldImpl(options) as never;
}

/**
 * A length of time, in milliseconds.
 *
 * @example
 * ```ts
 * runningTime: DurationField(),
 * ```
 */
export function DurationField<const O extends FieldOptions<number>>(
  options?: O,
): DurationFieldImpl<number, NullOf<O>, OptionalOf<O>> {
  return new DurationFieldImpl(options) as never;
}
