/** Text fields: CharField, TextField, EmailField, URLField, SlugField. */
import {
  MaxLengthValidator,
  prohibitNullCharacters,
  URLValidator,
  validateEmail,
  validateSlug,
  type Validator,
} from '../../../core/validators.js';
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

  constructor(options: Partial<CharFieldOptions> = {}) {
    super(options as FieldOptions<V>);
    this.maxLength = options.maxLength;
    this.dbCollation = options.dbCollation;
  }

  override toJs(value: unknown): V | null {
    if (value === null || value === undefined) return null;
    return (typeof value === 'string' ? value : String(value)) as V;
  }

  protected override allValidators(): readonly Validator[] {
    const implied: Validator[] = [prohibitNullCharacters];
    if (this.maxLength !== undefined) implied.unshift(new MaxLengthValidator(this.maxLength));
    return [...implied, ...this.validators];
  }
}

/** @internal The class behind {@link TextField}. */
export class TextFieldImpl<
  V = string,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends CharFieldImpl<V, N, O> {
  override readonly internalType: string = 'TextField';
}

/** @internal The class behind {@link EmailField}. */
export class EmailFieldImpl<
  V = string,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends CharFieldImpl<V, N, O> {
  protected override allValidators(): readonly Validator[] {
    return [validateEmail, ...super.allValidators()];
  }
}

/** @internal The class behind {@link URLField}. */
export class URLFieldImpl<
  V = string,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends CharFieldImpl<V, N, O> {
  protected override allValidators(): readonly Validator[] {
    return [new URLValidator(), ...super.allValidators()];
  }
}

/** @internal The class behind {@link SlugField}. */
export class SlugFieldImpl<
  V = string,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends CharFieldImpl<V, N, O> {
  override readonly internalType: string = 'SlugField';
  protected override allValidators(): readonly Validator[] {
    return [validateSlug, ...super.allValidators()];
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
