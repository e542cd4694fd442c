/** BooleanField, UUIDField, JSONField, BinaryField. */
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../../../core/exceptions.js';
import type { Validator, ValidatorObject } from '../../../core/validators.js';
import type { BaseDatabaseWrapper } from '../../backends/base/wrapper.js';
import { Field, type FieldOptions, type NullOf, type OptionalOf } from './field.js';

/** @internal The class behind {@link BooleanField}. */
export class BooleanFieldImpl<
  V = boolean,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends Field<V, N, O> {
  readonly internalType: string = 'BooleanField';
  protected static override readonly defaultErrorMessages = {
    invalid: '“%(value)s” value must be either True or False.',
    invalid_nullable: '“%(value)s” value must be either True, False, or None.',
  };

  /**
   * Django's conversions: `true`/`false`, `1`/`0`, `'t'`/`'f'`,
   * `'True'`/`'False'`, `'1'`/`'0'` (and `'true'`/`'false'`); an empty value
   * is null when the field is nullable. The error's code is `invalid`.
   */
  override toJs(value: unknown): V | null {
    if (this.null && this.isEmpty(value)) return null;
    if (value === true || value === false) return value as V;
    if (value === 1 || value === '1' || value === 't' || value === 'True' || value === 'true')
      return true as V;
    if (value === 0 || value === '0' || value === 'f' || value === 'False' || value === 'false')
      return false as V;
    throw this.fail('invalid', { value }, this.null ? 'invalid_nullable' : 'invalid');
  }

  override toDb(value: V | null, _connection?: BaseDatabaseWrapper): unknown {
    return value === null || typeof value === 'boolean' ? value : this.toJs(value);
  }

  override fromDb(value: unknown, _connection?: BaseDatabaseWrapper): V | null {
    if (typeof value === 'boolean') return value as V;
    if (value === null || value === undefined) return null;
    return (value === 1 || value === '1' || value === 1n || value === 't') as V;
  }
}

const HEX32_RE = /^[0-9a-f]{32}$/i;

/** @internal The class behind {@link UUIDField}. Values are canonical lower-case strings with dashes. */
export class UUIDFieldImpl<
  V = string,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends Field<V, N, O> {
  readonly internalType: string = 'UUIDField';
  protected static override readonly defaultErrorMessages = {
    invalid: '“%(value)s” is not a valid UUID.',
  };

  /**
   * Canonical `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (lower case) from what
   * Python's `UUID(hex=…)` reads: any case, dashes anywhere or none, braces,
   * a `urn:uuid:` prefix; or a non-negative integer below 2^128 (`UUID(int=…)`).
   */
  override toJs(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    let hex: string | undefined;
    const int = typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
    if (typeof int === 'bigint') {
      if (int >= 0n && int < 1n << 128n) hex = int.toString(16).padStart(32, '0');
    } else if (typeof value === 'string') {
      hex = value
        .trim()
        .replace(/^urn:/i, '')
        .replace(/^uuid:/i, '')
        .replace(/^\{|\}$/g, '')
        .replace(/-/g, '');
    }
    if (hex === undefined || !HEX32_RE.test(hex)) throw this.fail('invalid', { value });
    return dashed(hex.toLowerCase()) as V;
  }

  override toDb(value: V | null, connection: BaseDatabaseWrapper): unknown {
    if (value === null) return null;
    const canonical = this.toJs(value) as string;
    // Without a native type Django stores 32 hex digits.
    return connection.features.hasNativeUuidField ? canonical : canonical.replace(/-/g, '');
  }

  override fromDb(value: unknown, _connection?: BaseDatabaseWrapper): V | null {
    if (typeof value === 'string') {
      // PostgreSQL's uuid text is canonical already; char(32) elsewhere.
      if (value.length === 36) return value.toLowerCase() as V;
      if (value.length === 32) return dashed(value.toLowerCase()) as V;
    }
    return value === null || value === undefined ? null : this.toJs(value);
  }
}

function dashed(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * True when `value` is what `JSON.stringify` writes and `JSON.parse` reads
 * back unchanged: null, booleans, strings, finite numbers, arrays and plain
 * objects of them (undefined object properties are left out, as in JSON).
 */
function isJsonValue(value: unknown, seen: Set<object>): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (seen.has(value)) return false;
      seen.add(value);
      let ok: boolean;
      if (Array.isArray(value)) {
        ok = value.every((v) => v !== undefined && isJsonValue(v, seen));
      } else {
        const proto = Object.getPrototypeOf(value) as unknown;
        ok =
          (proto === Object.prototype || proto === null) &&
          Object.values(value).every((v) => v === undefined || isJsonValue(v, seen));
      }
      seen.delete(value);
      return ok;
    }
    default:
      return false;
  }
}

/** @internal The class behind {@link JSONField}. */
export class JSONFieldImpl<
  V = unknown,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends Field<V, N, O> {
  readonly internalType: string = 'JSONField';
  protected static override readonly defaultErrorMessages = {
    invalid: 'Value must be valid JSON.',
  };

  override toJs(value: unknown): V | null {
    return value === undefined ? null : (value as V);
  }

  /**
   * Choices, null and blank, then that the value is JSON: no functions,
   * bigints, `NaN`/`Infinity`, class instances (`Date`, `Map`…) or cycles
   * (Django: what `json.dumps` refuses).
   */
  override validate(value: unknown): void {
    super.validate(value);
    if (value !== null && value !== undefined && !isJsonValue(value, new Set()))
      throw this.fail('invalid', { value });
  }

  /** SQL NULL for null (Django stores JSON `null` only through an explicit expression). */
  override toDb(value: V | null, _connection?: BaseDatabaseWrapper): unknown {
    if (value === null) return null;
    const text = JSON.stringify(value);
    if (text === undefined) throw this.prepError('a JSON value', value);
    return text;
  }

  /**
   * Text is parsed, unless the driver parsed the column already; text that is
   * not JSON (a key extracted as SQL text) is returned as it is, as Django does.
   */
  override fromDb(value: unknown, connection: BaseDatabaseWrapper): V | null {
    if (typeof value === 'string') {
      if (connection.features.driverParsesJson) return value as V;
      try {
        return JSON.parse(value) as V;
      } catch {
        return value as V;
      }
    }
    if (value === null || value === undefined) return null;
    if (Buffer.isBuffer(value)) return JSON.parse(value.toString('utf8')) as V;
    return value as V;
  }
}

/** Counts bytes, for {@link BinaryField}'s `maxLength` (Django's `MaxLengthValidator` on bytes). */
class MaxBytesValidator implements ValidatorObject {
  constructor(readonly limitValue: number) {}
  validate(value: Uint8Array): void {
    const length = value.length;
    if (length > this.limitValue) {
      throw new ValidationError(
        this.limitValue === 1
          ? 'Ensure this value has at most %(limit_value)d character (it has %(show_value)d).'
          : 'Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).',
        {
          code: 'max_length',
          params: { limit_value: this.limitValue, show_value: length, value },
        },
      );
    }
  }
}

/** @internal The class behind {@link BinaryField}. */
export class BinaryFieldImpl<
  V = Buffer,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends Field<V, N, O> {
  readonly internalType: string = 'BinaryField';
  readonly maxLength: number | undefined;
  private lengthValidators: readonly Validator[] | undefined;

  constructor(options: FieldOptions<V> & { maxLength?: number } = {}) {
    super({ editable: false, ...options });
    this.maxLength = options.maxLength;
  }

  /** A Buffer from a Buffer, a `Uint8Array`, or base64 text (Django's `to_python`). */
  override toJs(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    if (Buffer.isBuffer(value)) return value as V;
    if (value instanceof Uint8Array) return Buffer.from(value) as V;
    if (typeof value === 'string') return Buffer.from(value, 'base64') as V;
    throw this.fail('invalid', { value });
  }

  override toDb(value: V | null, _connection?: BaseDatabaseWrapper): unknown {
    return value === null || Buffer.isBuffer(value) ? value : this.toJs(value);
  }

  override fromDb(value: unknown, _connection?: BaseDatabaseWrapper): V | null {
    if (Buffer.isBuffer(value)) return value as V;
    if (value === null || value === undefined) return null;
    return (
      typeof value === 'string' ? Buffer.from(value, 'binary') : Buffer.from(value as Uint8Array)
    ) as V;
  }

  /** Empty means null or no bytes (Django's `empty_values` for binary). */
  override isEmpty(value: unknown): boolean {
    return (
      value === null || value === undefined || (value instanceof Uint8Array && value.length === 0)
    );
  }

  protected override allValidators(): readonly Validator[] {
    return (this.lengthValidators ??=
      this.maxLength === undefined
        ? this.validators
        : [...this.validators, new MaxBytesValidator(this.maxLength)]);
  }
}

/**
 * True or false (`null: true` adds null).
 *
 * @example
 * ```ts
 * isActive: BooleanField({ default: true }),
 * ```
 */
export function BooleanField<const O extends FieldOptions<boolean>>(
  options?: O,
): BooleanFieldImpl<boolean, NullOf<O>, OptionalOf<O>> {
  return new BooleanFieldImpl(options) as never;
}

/**
 * A UUID, as a lower-case string with dashes; `uuid` on PostgreSQL, `char(32)` elsewhere.
 *
 * @example
 * ```ts
 * token: UUIDField({ default: randomUUID, unique: true }),
 * ```
 */
export function UUIDField<const O extends FieldOptions<string>>(
  options?: O,
): UUIDFieldImpl<string, NullOf<O>, OptionalOf<O>> {
  return new UUIDFieldImpl(options) as never;
}

/** A fresh random UUID string, handy as a `default`. */
export const uuid4 = (): string => randomUUID();

/**
 * Any JSON value; `jsonb` on PostgreSQL. Give the value type as a type argument.
 *
 * @example
 * ```ts
 * metadata: JSONField<{ pages: number }>({ default: () => ({ pages: 0 }) }),
 * ```
 */
export function JSONField<T = unknown, const O extends FieldOptions<T> = FieldOptions<T>>(
  options?: O,
): JSONFieldImpl<T, NullOf<O>, OptionalOf<O>> {
  return new JSONFieldImpl(options) as never;
}

/**
 * Raw bytes, as a Buffer (not editable by default, as in Django).
 *
 * @example
 * ```ts
 * thumbnail: BinaryField({ null: true }),
 * ```
 */
export function BinaryField<const O extends FieldOptions<Buffer> & { maxLength?: number }>(
  options?: O,
): BinaryFieldImpl<Buffer, NullOf<O>, OptionalOf<O>> {
  return new BinaryFieldImpl(options) as never;
}
