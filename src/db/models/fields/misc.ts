/** BooleanField, UUIDField, JSONField, BinaryField. */
import { randomUUID } from 'node:crypto';
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
    invalid: '“%(value)s” value must be either true or false.',
    invalid_nullable: '“%(value)s” value must be either true, false, or null.',
  };

  override toJs(value: unknown): V | null {
    if (value === null || value === undefined) {
      if (this.null) return null;
      throw this.fail('invalid', { value });
    }
    if (
      value === true ||
      value === 1 ||
      value === '1' ||
      value === 't' ||
      value === 'true' ||
      value === 'True'
    )
      return true as V;
    if (
      value === false ||
      value === 0 ||
      value === '0' ||
      value === 'f' ||
      value === 'false' ||
      value === 'False'
    )
      return false as V;
    throw this.fail(this.null ? 'invalid_nullable' : 'invalid', { value });
  }

  override fromDb(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    return (value === true || value === 1 || value === '1' || value === 1n) as V;
  }

  override isEmpty(value: unknown): boolean {
    return value === null || value === undefined;
  }
}

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

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

  override toJs(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    const text = String(value).trim();
    if (!UUID_RE.test(text)) throw this.fail('invalid', { value });
    const hex = text.replace(/-/g, '').toLowerCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` as V;
  }

  override toDb(value: V | null, connection: BaseDatabaseWrapper): unknown {
    if (value === null) return null;
    const canonical = this.toJs(value) as string;
    // Without a native type Django stores 32 hex digits.
    return connection.features.hasNativeUuidField ? canonical : canonical.replace(/-/g, '');
  }

  override fromDb(value: unknown): V | null {
    return value === null || value === undefined ? null : this.toJs(value);
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
    if (value === undefined) return null;
    try {
      JSON.stringify(value);
    } catch {
      throw this.fail('invalid', { value });
    }
    return value as V;
  }

  override toDb(value: V | null): unknown {
    // JSON null is stored as the JSON text 'null' only when explicitly wrapped; SQL NULL otherwise.
    return value === null ? null : JSON.stringify(value);
  }

  override fromDb(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return JSON.parse(value) as V;
    if (Buffer.isBuffer(value)) return JSON.parse(value.toString('utf8')) as V;
    return value as V;
  }

  override isEmpty(value: unknown): boolean {
    return value === null || value === undefined || value === '';
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

  constructor(options: FieldOptions<V> & { maxLength?: number } = {}) {
    super({ editable: false, ...options });
    this.maxLength = options.maxLength;
  }

  override toJs(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    if (Buffer.isBuffer(value)) return value as V;
    if (value instanceof Uint8Array) return Buffer.from(value) as V;
    if (typeof value === 'string') return Buffer.from(value, 'base64') as V;
    throw this.fail('invalid', { value });
  }

  override fromDb(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    return (Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array)) as V;
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
