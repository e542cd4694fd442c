/**
 * The base of every model field (Django's `Field`): options, naming,
 * conversions between JavaScript values and database values, defaults and
 * validation. Type parameters are phantom: they carry the field's value type,
 * nullability and whether it may be left out on create, so models can infer
 * their instance types.
 */
import { ValidationError, ValueError, type ValidationMessage } from '../../../core/exceptions.js';
import { runValidator, type Validator } from '../../../core/validators.js';
import type { BaseDatabaseWrapper } from '../../backends/base/wrapper.js';
import { snakeCase, verboseNameOf } from './names.js';

/** A choice: a value, or a `[value, label]` pair. */
export type Choice<V> = V | readonly [V, string];

/** Options common to every field (Django's field arguments, camelCase). */
export interface FieldOptions<V = unknown> {
  /** Store NULL for a missing value (default false). */
  null?: boolean;
  /** Allow an empty value in validation (default false). */
  blank?: boolean;
  /** A value, or a function returning one, used when none is given. */
  default?: V | (() => V);
  /** The column is unique. */
  unique?: boolean;
  /** Create an index on the column. */
  dbIndex?: boolean;
  /** The allowed values, plain or as `[value, label]` pairs. */
  choices?: readonly Choice<V>[];
  /** The column name (default: the field name in snake_case). */
  dbColumn?: string;
  /** Extra validators run by `fullClean()`. */
  validators?: readonly Validator[];
  /** Shown in forms and serializers (default true). */
  editable?: boolean;
  helpText?: string;
  verboseName?: string;
  /** This field is the primary key (an `id` AutoField is added otherwise). */
  primaryKey?: boolean;
  /** Override default error messages by code. */
  errorMessages?: Partial<Record<string, string>>;
}

/** Is `null: true` set in the options? */
export type NullOf<O> = O extends { null: true } ? true : false;
/** May the field be left out when creating (a default, a nullable or generated value)? */
export type OptionalOf<O> = O extends { default: unknown }
  ? true
  : O extends { null: true }
    ? true
    : false;
/** The value type, narrowed to the choices when there are any. */
export type ChoiceOf<O, V> = O extends { choices: readonly (infer C)[] }
  ? C extends readonly [infer X, string]
    ? X
    : C
  : V;

/** Default messages, by code, as Django words them. */
export const FIELD_ERROR_MESSAGES: Readonly<Record<string, string>> = {
  invalid_choice: 'Value %(value)r is not a valid choice.',
  null: 'This field cannot be null.',
  blank: 'This field cannot be blank.',
  unique: '%(model_name)s with this %(field_label)s already exists.',
};

/** What a field needs to know about the model it belongs to. */
export interface FieldOwner {
  readonly name: string;
}

let creationCounter = 0;

export abstract class Field<V = unknown, N extends boolean = boolean, O extends boolean = boolean> {
  /** Type-level only (never set at run time; kept in published types): the JavaScript value type. */
  declare readonly __value: V;
  /** Type-level only (never set at run time; kept in published types): whether NULL is allowed. */
  declare readonly __null: N;
  /** Type-level only (never set at run time; kept in published types): whether the field may be left out on create. */
  declare readonly __optional: O;

  /** Django's internal type name (`'CharField'`, `'IntegerField'`…), the key of the backends' type maps. */
  abstract readonly internalType: string;
  /** Default error messages of this field class (merged over {@link FIELD_ERROR_MESSAGES}). */
  protected static readonly defaultErrorMessages: Readonly<Record<string, string>> = {};

  /** The attribute name on the model (set when the model is built). */
  name = '';
  /** The attribute holding the raw value (`authorId` for a foreign key `author`). */
  attname = '';
  /** The database column. */
  column = '';
  /** The model class this field belongs to. */
  model: FieldOwner | undefined;
  /** Order of creation, which keeps fields in declaration order. */
  readonly creationCounter = creationCounter++;

  readonly null: boolean;
  readonly blank: boolean;
  readonly unique: boolean;
  readonly dbIndex: boolean;
  readonly primaryKey: boolean;
  readonly editable: boolean;
  readonly dbColumn: string | undefined;
  readonly helpText: string;
  readonly choices: readonly (readonly [V, string])[] | undefined;
  readonly validators: readonly Validator[];
  readonly errorMessages: Readonly<Record<string, string>>;
  private readonly explicitVerboseName: string | undefined;
  private readonly defaultValue: V | (() => V) | undefined;
  readonly hasDefault: boolean;
  /** The options the field was declared with (for migrations' deconstruction). */
  readonly declaredOptions: Readonly<FieldOptions<V>>;

  /** True for relations (foreign keys, one-to-one, many-to-many). */
  readonly isRelation: boolean = false;
  /** True when the field has a column in the model's table. */
  readonly concrete: boolean = true;
  /** True for fields Reinhardt adds itself (the automatic `id`). */
  autoCreated = false;

  constructor(options: FieldOptions<V> = {}) {
    this.declaredOptions = options;
    this.null = options.null ?? false;
    this.blank = options.blank ?? false;
    this.primaryKey = options.primaryKey ?? false;
    this.unique = (options.unique ?? false) || this.primaryKey;
    this.dbIndex = options.dbIndex ?? false;
    this.editable = options.editable ?? true;
    this.dbColumn = options.dbColumn;
    this.helpText = options.helpText ?? '';
    this.explicitVerboseName = options.verboseName;
    this.choices = options.choices?.map((c) =>
      Array.isArray(c) ? (c as unknown as readonly [V, string]) : ([c as V, String(c)] as const),
    );
    this.validators = options.validators ?? [];
    this.hasDefault = 'default' in options && options.default !== undefined;
    this.defaultValue = options.default;
    // Messages of base classes first, so subclasses and options override them.
    const chain: object[] = [];
    for (
      let cls: unknown = this.constructor;
      typeof cls === 'function' && cls !== Function.prototype;
      cls = Object.getPrototypeOf(cls)
    ) {
      chain.unshift((cls as { defaultErrorMessages?: object }).defaultErrorMessages ?? {});
    }
    this.errorMessages = Object.assign(
      {},
      FIELD_ERROR_MESSAGES,
      ...chain,
      options.errorMessages,
    ) as Record<string, string>;
  }

  /** @internal Binds the field to its model under `name`. */
  contribute(model: FieldOwner, name: string): void {
    this.model = model;
    this.name = name;
    this.attname = this.attnameFor(name);
    this.column =
      this.dbColumn ?? snakeCase(this.attname === name ? name : this.columnBaseName(name));
  }

  /** The attribute holding the raw value; relations override it. */
  protected attnameFor(name: string): string {
    return name;
  }

  /** @internal The base for the default column name when the attname differs. */
  protected columnBaseName(name: string): string {
    return name;
  }

  /** `published date` for `publishedDate`, unless `verboseName` was given. */
  get verboseName(): string {
    return this.explicitVerboseName ?? verboseNameOf(this.name);
  }

  /** The default value (calling a default function), or null. */
  getDefault(): V | null {
    if (!this.hasDefault) return null;
    const d = this.defaultValue;
    return typeof d === 'function' ? (d as () => V)() : (d as V);
  }

  /**
   * Values that count as empty for `blank` (Django's `empty_values`): null,
   * undefined, `''`, `[]` and `{}`.
   */
  isEmpty(value: unknown): boolean {
    if (value === null || value === undefined || value === '') return true;
    if (typeof value !== 'object') return false;
    if (Array.isArray(value)) return value.length === 0;
    const proto = Object.getPrototypeOf(value) as unknown;
    return (proto === Object.prototype || proto === null) && Object.keys(value).length === 0;
  }

  /**
   * Turns user input into this field's JavaScript value (Django's
   * `to_python`), throwing `ValidationError` with code `invalid`.
   */
  toJs(value: unknown): V | null {
    return value as V | null;
  }

  /** Converts a value read from the database. */
  fromDb(value: unknown, _connection: BaseDatabaseWrapper): V | null {
    return value as V | null;
  }

  /** Converts a JavaScript value into a bound parameter for this backend. */
  toDb(value: V | null, _connection: BaseDatabaseWrapper): unknown {
    return value;
  }

  /** The value to store for `instance` just before saving (`autoNow` fields override). */
  preSave(instance: Record<string, unknown>, _adding: boolean): unknown {
    return instance[this.attname];
  }

  /**
   * Builds a `ValidationError` from one of this field's messages. `code` is
   * the error's code; `messageKey` picks the message when it differs (Django's
   * BooleanField reports `invalid_nullable`'s text under the code `invalid`).
   */
  protected fail(
    code: string,
    params: Record<string, unknown> = {},
    messageKey: string = code,
  ): ValidationError {
    const message: ValidationMessage = {
      message: this.errorMessages[messageKey] ?? code,
      code,
      params,
    };
    return new ValidationError(message);
  }

  /**
   * The error of a value that cannot be prepared for the database (Django's
   * `get_prep_value` raising `ValueError`): `Field 'sales' expected a number but got 'abc'.`
   */
  protected prepError(expected: string, value: unknown, cause?: unknown): ValueError {
    return new ValueError(
      `Field '${this.name}' expected ${expected} but got ${pythonRepr(value)}.`,
      cause === undefined ? undefined : { cause },
    );
  }

  /** Checks choices, null and blank (Django's `Field.validate`). */
  validate(value: unknown): void {
    if (!this.editable) return;
    if (this.choices && !this.isEmpty(value)) {
      if (!this.choices.some(([choice]) => choice === value))
        throw this.fail('invalid_choice', { value });
    }
    if ((value === null || value === undefined) && !this.null) throw this.fail('null');
    if (!this.blank && this.isEmpty(value)) throw this.fail('blank');
  }

  /**
   * Runs the field's validators, collecting every failure. A failure whose
   * code has a message in `errorMessages` gets that message (Django's rule,
   * which is how `errorMessages: { max_length: '…' }` works).
   */
  runValidators(value: unknown): void {
    if (this.isEmpty(value)) return;
    const errors: ValidationMessage[] = [];
    for (const validator of this.allValidators()) {
      try {
        runValidator(validator, value);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        for (const m of e.errorList) {
          const custom = m.code === undefined ? undefined : this.errorMessages[m.code];
          errors.push(custom === undefined ? m : { ...m, message: custom });
        }
      }
    }
    if (errors.length) throw new ValidationError(errors);
  }

  /** Validators implied by options (e.g. `maxLength`) followed by `validators`. */
  protected allValidators(): readonly Validator[] {
    return this.validators;
  }

  /** Converts, validates and runs validators; returns the clean value (Django's `clean`). */
  clean(value: unknown): V | null {
    const converted = this.toJs(value);
    this.validate(converted);
    this.runValidators(converted);
    return converted;
  }

  toString(): string {
    return this.model ? `${this.model.name}.${this.name}` : `<${this.constructor.name}>`;
  }
}

/** A value as Python's `repr` shows it in Django's messages: `'abc'`, `3.5`, `None`. */
export function pythonRepr(value: unknown): string {
  if (typeof value === 'string') {
    const body = value.replace(/\\/g, '\\\\');
    return body.includes("'") && !body.includes('"')
      ? `"${body}"`
      : `'${body.replace(/'/g, "\\'")}'`;
  }
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
