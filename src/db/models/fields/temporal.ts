/**
 * Dates and times. JavaScript has no date-only or time-only type, so
 * `DateField` values are `'YYYY-MM-DD'` strings and `TimeField` values
 * `'HH:MM:SS[.ffffff]'` strings (no time zone can shift them);
 * `DateTimeField` values are `Date`s, stored in UTC; `DurationField` values
 * are milliseconds.
 */
import type { BaseDatabaseWrapper } from '../../backends/base/wrapper.js';
import { now, setClock } from '../../../utils/clock.js';
import { Field, type FieldOptions, type NullOf, type OptionalOf } from './field.js';

/** Options of date, datetime and time fields. */
export interface DateFieldOptions<V> extends FieldOptions<V> {
  /** Set to now on every save (makes the field non-editable and blank). */
  autoNow?: boolean;
  /** Set to now when the row is created (makes the field non-editable and blank). */
  autoNowAdd?: boolean;
}

/** A field with `autoNow`/`autoNowAdd` may be left out on create. */
type AutoOptional<O> = O extends { autoNow: true } | { autoNowAdd: true } ? true : OptionalOf<O>;

// `autoNow` fields read the framework's clock, which tests may stop (frozen time).
export { now, setClock };

// The formats of Django's django.utils.dateparse.
const DATE_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DATETIME_RE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const TIME_RE = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A real calendar date in years 1–9999 (Python's `date` range). */
function validDate(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= DAYS_IN_MONTH[m - 1]! + (leap ? 1 : 0);
}

/** Milliseconds since the epoch of a UTC date and time (years below 100 included). */
function utcMillis(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (y >= 100) return t;
  const date = new Date(t);
  date.setUTCFullYear(y);
  return date.getTime();
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Today's date in UTC as `YYYY-MM-DD`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** `HH:MM:SS[.ffffff]`, the canonical time text (Python's `time.isoformat()`). */
function timeText(h: number, mi: number, s: number, micro: string): string {
  const base = `${pad2(h)}:${pad2(mi)}:${pad2(s)}`;
  return /^0*$/.test(micro) ? base : `${base}.${micro.padEnd(6, '0')}`;
}

/**
 * What dates, datetimes and times share: `autoNow` (set on every save) and
 * `autoNowAdd` (set when the row is created), which make the field
 * non-editable and blank-able, as in Django.
 */
abstract class AutoNowField<V, N extends boolean, O extends boolean> extends Field<V, N, O> {
  readonly autoNow: boolean;
  readonly autoNowAdd: boolean;

  constructor(options: DateFieldOptions<V> = {}) {
    const auto = options.autoNow || options.autoNowAdd;
    super(auto ? { ...options, editable: false, blank: true } : options);
    this.autoNow = options.autoNow ?? false;
    this.autoNowAdd = options.autoNowAdd ?? false;
  }

  /** The value the field takes "now", by the ORM's clock. */
  protected abstract nowValue(): unknown;

  override preSave(instance: Record<string, unknown>, adding: boolean): unknown {
    if (this.autoNow || (this.autoNowAdd && adding)) instance[this.attname] = this.nowValue();
    return instance[this.attname];
  }
}

/** @internal The class behind {@link DateField}. */
export class DateFieldImpl<
  V = string,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends AutoNowField<V, N, O> {
  readonly internalType: string = 'DateField';
  protected static override readonly defaultErrorMessages = {
    invalid: '“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format.',
    invalid_date:
      '“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date.',
  };

  /** `'YYYY-MM-DD'` from such a text (zero-padded) or from a `Date` (its UTC date). */
  override toJs(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw this.fail('invalid', { value });
      return todayUtc(value) as V;
    }
    const m = DATE_RE.exec(String(value).trim());
    if (!m) throw this.fail('invalid', { value });
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!validDate(y, mo, d)) throw this.fail('invalid_date', { value });
    return `${m[1]}-${pad2(mo)}-${pad2(d)}` as V;
  }

  /** Always the text: a `Date` would reach PostgreSQL in the process's time zone. */
  override toDb(value: V | null, _connection?: BaseDatabaseWrapper): unknown {
    return value === null ? null : this.toJs(value);
  }

  override fromDb(value: unknown, _connection?: BaseDatabaseWrapper): V | null {
    if (typeof value === 'string') return (value.length === 10 ? value : value.slice(0, 10)) as V;
    if (value === null || value === undefined) return null;
    // A driver's Date for a DATE column is local midnight: take the local date.
    if (value instanceof Date)
      return `${String(value.getFullYear()).padStart(4, '0')}-${pad2(value.getMonth() + 1)}-${pad2(value.getDate())}` as V;
    return this.toJs(value);
  }

  protected nowValue(): unknown {
    return todayUtc(now());
  }
}

/** @internal The class behind {@link DateTimeField}. */
export class DateTimeFieldImpl<
  V = Date,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends AutoNowField<V, N, O> {
  readonly internalType: string = 'DateTimeField';
  protected static override readonly defaultErrorMessages = {
    invalid:
      '“%(value)s” value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.',
    invalid_date:
      '“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date.',
    invalid_datetime:
      '“%(value)s” value has the correct format (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time.',
  };

  /**
   * A `Date`, from a `Date`, epoch milliseconds, or ISO 8601 text. Text
   * without an offset is UTC; a date alone is midnight UTC. Fractions below
   * the millisecond are dropped (a `Date` holds milliseconds).
   */
  override toJs(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw this.fail('invalid', { value });
      return value as V;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw this.fail('invalid', { value });
      return new Date(value) as V;
    }
    const text = String(value).trim();
    const m = DATETIME_RE.exec(text);
    if (m) {
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
      const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
      let offset = 0;
      const tz = m[8];
      if (tz && tz.toUpperCase() !== 'Z') {
        const digits = tz.slice(1).replace(':', '');
        const [oh, om] = [Number(digits.slice(0, 2)), Number(digits.slice(2) || 0)];
        if (oh > 23 || om > 59) throw this.fail('invalid_datetime', { value });
        offset = (tz[0] === '-' ? -1 : 1) * (oh * 60 + om);
      }
      if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59)
        throw this.fail('invalid_datetime', { value });
      return new Date(utcMillis(y, mo, d, h, mi, s, ms) - offset * 60_000) as V;
    }
    const date = DATE_RE.exec(text);
    if (date) {
      const [y, mo, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
      if (!validDate(y, mo, d)) throw this.fail('invalid_date', { value });
      return new Date(utcMillis(y, mo, d)) as V;
    }
    throw this.fail('invalid', { value });
  }

  override toDb(value: V | null, _connection?: BaseDatabaseWrapper): unknown {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
    return value === null ? null : this.toJs(value);
  }

  /** PostgreSQL and MySQL give `Date`s; SQLite gives `'YYYY-MM-DD HH:MM:SS.ffffff'` in UTC. */
  override fromDb(value: unknown, _connection?: BaseDatabaseWrapper): V | null {
    if (value instanceof Date) return value as V;
    if (typeof value === 'string') {
      const t = storedUtc(value);
      if (!Number.isNaN(t)) return new Date(t) as V;
    }
    return value === null || value === undefined ? null : this.toJs(value);
  }

  protected nowValue(): unknown {
    return now();
  }
}

/** The number written by the digits `from`–`to` of `text`, or -1 when one is no digit. */
function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * Milliseconds since the epoch of `'YYYY-MM-DD HH:MM:SS[.f…]'` read as UTC
 * (how SQLite stores datetimes), read digit by digit; NaN for anything else.
 */
function storedUtc(text: string): number {
  const n = text.length;
  if (
    n < 19 ||
    n > 26 ||
    n === 20 ||
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 32 || // space
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58 ||
    (n > 19 && text.charCodeAt(19) !== 46) // .
  )
    return NaN;
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 7);
  const d = digitsAt(text, 8, 10);
  const h = digitsAt(text, 11, 13);
  const mi = digitsAt(text, 14, 16);
  const s = digitsAt(text, 17, 19);
  const fraction = n > 19 ? digitsAt(text, 20, n) : 0;
  if (fraction < 0 || y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return NaN;
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return NaN;
  const places = n - 20;
  const ms = places > 3 ? Math.floor(fraction / 10 ** (places - 3)) : fraction * 10 ** (3 - places);
  return utcMillis(y, mo, d, h, mi, s, ms);
}

/** @internal The class behind {@link TimeField}. */
export class TimeFieldImpl<
  V = string,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends AutoNowField<V, N, O> {
  readonly internalType: string = 'TimeField';
  protected static override readonly defaultErrorMessages = {
    invalid: '“%(value)s” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format.',
    invalid_time:
      '“%(value)s” value has the correct format (HH:MM[:ss[.uuuuuu]]) but it is an invalid time.',
  };

  /** `'HH:MM:SS'` or `'HH:MM:SS.ffffff'`, from such a text or a `Date` (its UTC time). */
  override toJs(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw this.fail('invalid', { value });
      return utcTime(value) as V;
    }
    const m = TIME_RE.exec(String(value).trim());
    if (!m) throw this.fail('invalid', { value });
    const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
    if (h > 23 || mi > 59 || s > 59) throw this.fail('invalid_time', { value });
    return timeText(h, mi, s, m[4] ?? '') as V;
  }

  override toDb(value: V | null, _connection?: BaseDatabaseWrapper): unknown {
    return value === null ? null : this.toJs(value);
  }

  /**
   * `HH:MM:SS` with up to six digits of fraction, as the backends give it
   * (PostgreSQL drops trailing zeros, MySQL pads them), made canonical.
   */
  override fromDb(value: unknown, _connection?: BaseDatabaseWrapper): V | null {
    if (typeof value === 'string') {
      const n = value.length;
      if (n === 8) return value as V;
      if (n > 9 && n <= 15 && value.charCodeAt(8) === 46 /* . */) {
        const padded = value.padEnd(15, '0');
        return (padded.endsWith('000000') ? value.slice(0, 8) : padded) as V;
      }
    }
    return value === null || value === undefined ? null : this.toJs(value);
  }

  protected nowValue(): unknown {
    return utcTime(now());
  }
}

/** The UTC time of day of a `Date`, as `HH:MM:SS[.ffffff]`. */
function utcTime(date: Date): string {
  return timeText(
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    String(date.getUTCMilliseconds()).padStart(3, '0'),
  );
}

// Django's parse_duration formats: its own (`str(timedelta)`), ISO 8601 and PostgreSQL's.
const STANDARD_DURATION_RE =
  /^(?:(-?\d+) (?:days?, )?)?(-?)(?:(\d+):(?=\d+:\d+))?(?:(\d+):)?(\d+)(?:[.,](\d{1,6})\d{0,6})?$/;
const ISO_DURATION_RE =
  /^([-+]?)P(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/i;
const POSTGRES_DURATION_RE =
  /^(?:(-?\d+) days? ?)?(?:([-+])?(\d+):(\d\d):(\d\d)(?:\.(\d{1,6}))?)?$/;

const num = (text: string | undefined): number => (text ? Number(text.replace(',', '.')) : 0);
/** Milliseconds rounded to the microsecond, a duration's precision. */
const toMicro = (ms: number): number => Math.round(ms * 1000) / 1000;

/**
 * A duration in milliseconds from Django's text forms: `'3 days, 4:05:06.5'`,
 * `'-1 day, 23:59:59.998500'`, `'P3DT4H'`, `'3 days 04:05:06'`. Undefined when
 * the text is none of them.
 */
export function parseDuration(text: string): number | undefined {
  let m = STANDARD_DURATION_RE.exec(text);
  if (m) {
    const sign = m[2] === '-' ? -1 : 1;
    const time =
      (num(m[3]) * 3600 + num(m[4]) * 60 + num(m[5])) * 1000 +
      num((m[6] ?? '').padEnd(6, '0')) / 1000;
    return toMicro(num(m[1]) * 86_400_000 + sign * time);
  }
  m = ISO_DURATION_RE.exec(text);
  if (m && text.length > 1 && !/T$/i.test(text)) {
    const sign = m[1] === '-' ? -1 : 1;
    const total = ((num(m[2]) * 24 + num(m[3])) * 60 + num(m[4])) * 60 + num(m[5]);
    return toMicro(sign * total * 1000);
  }
  m = POSTGRES_DURATION_RE.exec(text);
  if (m && text !== '') {
    const sign = m[2] === '-' ? -1 : 1;
    const time =
      (num(m[3]) * 3600 + num(m[4]) * 60 + num(m[5])) * 1000 +
      num((m[6] ?? '').padEnd(6, '0')) / 1000;
    return toMicro(num(m[1]) * 86_400_000 + sign * time);
  }
  return undefined;
}

/** `[-]H:MM:SS.ffffff` for a number of microseconds (hours unbounded). */
function intervalText(micro: number): string {
  let rest = Math.abs(micro);
  const us = rest % 1_000_000;
  rest = (rest - us) / 1_000_000;
  const s = rest % 60;
  rest = (rest - s) / 60;
  const m = rest % 60;
  const h = (rest - m) / 60;
  return `${micro < 0 ? '-' : ''}${h}:${pad2(m)}:${pad2(s)}.${String(us).padStart(6, '0')}`;
}

/** The fields of a node-postgres interval. */
interface PgInterval {
  years?: number;
  months?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
}

/**
 * @internal The class behind {@link DurationField}: milliseconds, exact to the
 * microsecond (fractions of a millisecond are kept).
 */
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
    if (typeof value === 'number') {
      if (Number.isFinite(value)) return value as V;
    } else if (typeof value === 'string') {
      const ms = parseDuration(value.trim());
      if (ms !== undefined) return ms as V;
    }
    throw this.fail('invalid', { value });
  }

  /**
   * A native interval as text (`'-0:00:00.001500'`, which every PostgreSQL
   * version reads exactly), elsewhere the microseconds as an integer
   * (Django's storage).
   */
  override toDb(value: V | null, connection: BaseDatabaseWrapper): unknown {
    if (value === null) return null;
    const ms = typeof value === 'number' ? value : (this.toJs(value) as number);
    const micro = Math.round(ms * 1000);
    return connection.features.hasNativeDurationField ? intervalText(micro) : micro;
  }

  override fromDb(value: unknown, _connection?: BaseDatabaseWrapper): V | null {
    if (typeof value === 'number') return (value / 1000) as V;
    if (value === null || value === undefined) return null;
    if (typeof value === 'bigint' || (typeof value === 'string' && /^-?\d+$/.test(value)))
      return (Number(value) / 1000) as V;
    if (typeof value === 'object') {
      // A node-postgres interval; months and years count 30 and 365 days, as in Django.
      const i = value as PgInterval;
      const days = (i.years ?? 0) * 365 + (i.months ?? 0) * 30 + (i.days ?? 0);
      const seconds =
        ((days * 24 + (i.hours ?? 0)) * 60 + (i.minutes ?? 0)) * 60 + (i.seconds ?? 0);
      return toMicro(seconds * 1000 + (i.milliseconds ?? 0)) as V;
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
export function TimeField<const O extends DateFieldOptions<string>>(
  options?: O,
): TimeFieldImpl<string, NullOf<O>, AutoOptional<O>> {
  return new TimeFieldImpl(options) as never;
}

/**
 * A length of time, in milliseconds (exact to the microsecond; negative
 * durations allowed).
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
