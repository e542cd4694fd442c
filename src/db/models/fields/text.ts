/** Text fields: CharField, TextField, EmailField, URLField, SlugField. */
import {
  MaxLengthValidator,
  prohibitNullCharacters,
  URLValidator,
  validateEmail,
  validateSlug,
  type Validator,
} from '../../../core/validators.js';
import type { BaseDatabaseWrapper } from '../../backends/base/wrapper.js';
import { Field, type ChoiceOf, type FieldOptions, type NullOf, type OptionalOf } from './field.js';

/** Options of text fields with a length limit. */
export interface CharFieldOptions extends FieldOptions<string> {
  /** Longest value, in characters (required for CharField). */
  maxLength: number;
  /** Collation of the column (backend-specific name). */
  dbCollation?: string;
}

/** @internal The class behind {@link CharField}. */
export class CharFieldImpl<
  V = string,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends Field<V, N, O> {
  readonly internalType: string = 'CharField';
  readonly maxLength: number | undefined;
  readonly dbCollation: string | undefined;
  /** Whether `maxLength` is validated (not for TextField, as in Django). */
  protected readonly enforcesMaxLength: boolean = true;
  private cachedValidators: readonly Validator[] | undefined;

  constructor(options: Partial<CharFieldOptions> = {}) {
    super(options as FieldOptions<V>);
    this.maxLength = options.maxLength;
    this.dbCollation = options.dbCollation;
  }

  override toJs(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    return (typeof value === 'string' ? value : String(value)) as V;
  }

  override toDb(value: V | null, _connection?: BaseDatabaseWrapper): unknown {
    return value === null || typeof value === 'string' ? value : String(value);
  }

  /** The validators of the field type (Django's `default_validators`). */
  protected typeValidators(): readonly Validator[] {
    return [];
  }

  /**
   * Django's order: the type's validators, the field's own, then the
   * length. NUL characters are refused too (PostgreSQL cannot store them).
   */
  protected override allValidators(): readonly Validator[] {
    if (this.cachedValidators) return this.cachedValidators;
    const all: Validator[] = [...this.typeValidators(), ...this.validators];
    if (this.maxLength !== undefined && this.enforcesMaxLength)
      all.push(new MaxLengthValidator(this.maxLength));
    all.push(prohibitNullCharacters);
    return (this.cachedValidators = all);
  }
}

/**
 * @internal The class behind {@link TextField}. A `maxLength` is not
 * enforced by the model, as in Django (forms use it).
 */
export class TextFieldImpl<
  V = string,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends CharFieldImpl<V, N, O> {
  override readonly internalType: string = 'TextField';
  protected override readonly enforcesMaxLength: boolean = false;
}

/** @internal The class behind {@link EmailField}. */
export class EmailFieldImpl<
  V = string,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends CharFieldImpl<V, N, O> {
  protected override typeValidators(): readonly Validator[] {
    return [validateEmail];
  }
}

/** @internal The class behind {@link URLField}. */
export class URLFieldImpl<
  V = string,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends CharFieldImpl<V, N, O> {
  private static readonly urlValidator = new URLValidator();
  protected override typeValidators(): readonly Validator[] {
    return [URLFieldImpl.urlValidator];
  }
}

/** @internal The class behind {@link SlugField}. */
export class SlugFieldImpl<
  V = string,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends CharFieldImpl<V, N, O> {
  override readonly internalType: string = 'SlugField';
  protected override typeValidators(): readonly Validator[] {
    return [validateSlug];
  }
}

/** Text that may be blank defaults to '' (as in Django), so it may be left out on create. */
type TextOptional<O> = O extends { blank: true } ? true : OptionalOf<O>;

type Made<Impl, O, V> =
  Impl extends CharFieldImpl<any, any, any>
    ? CharFieldImpl<ChoiceOf<O, V>, NullOf<O>, TextOptional<O>>
    : never;

/**
 * A string of at most `maxLength` characters (`varchar`). With `choices`, the
 * value type is the union of the choices.
 *
 * @example
 * ```ts
 * title: CharField({ maxLength: 200 }),
 * status: CharField({ maxLength: 10, choices: ['draft', 'published'], default: 'draft' }),
 * ```
 */
export function CharField<const O extends CharFieldOptions>(
  options: O,
): Made<CharFieldImpl, O, string> {
  return new CharFieldImpl(options) as never;
}

/**
 * Unlimited text.
 *
 * @example
 * ```ts
 * bio: TextField({ blank: true }),
 * ```
 */
export function TextField<const O extends FieldOptions<string> & { maxLength?: number }>(
  options?: O,
): Made<CharFieldImpl, O, string> {
  return new TextFieldImpl(options) as never;
}

/**
 * An e-mail address (`maxLength` 254 by default), validated.
 *
 * @example
 * ```ts
 * email: EmailField({ blank: true }),
 * ```
 */
export function EmailField<const O extends Partial<CharFieldOptions>>(
  options?: O,
): Made<CharFieldImpl, O, string> {
  return new EmailFieldImpl({ maxLength: 254, ...options }) as never;
}

/**
 * A URL (`maxLength` 200 by default), validated.
 *
 * @example
 * ```ts
 * homepage: URLField({ blank: true }),
 * ```
 */
export function URLField<const O extends Partial<CharFieldOptions>>(
  options?: O,
): Made<CharFieldImpl, O, string> {
  return new URLFieldImpl({ maxLength: 200, ...options }) as never;
}

/**
 * A slug (`maxLength` 50, indexed, by default): letters, digits, `_` and `-`.
 *
 * @example
 * ```ts
 * slug: SlugField({ unique: true }),
 * ```
 */
export function SlugField<const O extends Partial<CharFieldOptions>>(
  options?: O,
): Made<CharFieldImpl, O, string> {
  return new SlugFieldImpl({ maxLength: 50, dbIndex: true, ...options }) as never;
}
