/**
 * Relations: ForeignKey, OneToOneField, ManyToManyField, and the `onDelete`
 * behaviours. Targets are given lazily (`() => Author`), by label
 * (`'library.Author'`), or as `'self'`, so models may refer to each other
 * across files and to themselves.
 */
import type { BaseDatabaseWrapper } from '../../backends/base/wrapper.js';
import { Field, type FieldOptions } from './field.js';

/** What happens to rows that point at a deleted row (Django's `on_delete`). */
export interface OnDelete {
  readonly name:
    'CASCADE' | 'PROTECT' | 'RESTRICT' | 'SET_NULL' | 'SET_DEFAULT' | 'SET' | 'DO_NOTHING';
  /** For `SET(value)`: the value or a function giving it. */
  readonly value?: unknown;
}
/** Delete the referring rows too. */
export const CASCADE: OnDelete = { name: 'CASCADE' };
/** Refuse the delete with `ProtectedError`. */
export const PROTECT: OnDelete = { name: 'PROTECT' };
/** Refuse the delete with `RestrictedError`, unless the referring rows are being deleted by a cascade too. */
export const RESTRICT: OnDelete = { name: 'RESTRICT' };
/** Set the foreign key to NULL (the field must be nullable). */
export const SET_NULL: OnDelete = { name: 'SET_NULL' };
/** Set the foreign key to its default. */
export const SET_DEFAULT: OnDelete = { name: 'SET_DEFAULT' };
/** Leave the referring rows alone (the database may still refuse). */
export const DO_NOTHING: OnDelete = { name: 'DO_NOTHING' };
/** Set the foreign key to `value` (or what `value()` returns). */
export function SET(value: unknown): OnDelete {
  return { name: 'SET', value };
}

/** A model class as relations see it (the full type lives in base.ts). */
export interface RelatedModelClass {
  readonly name: string;
  readonly prototype: object;
}

/** How a relation names its target. */
export type RelationTarget<T> = (() => T) | string;

/** Options of ForeignKey and OneToOneField. */
export interface ForeignKeyOptions extends FieldOptions<unknown> {
  onDelete: OnDelete;
  /** The name of the reverse accessor on the target (default `<model>Set`; `'+'` for none). */
  relatedName?: string;
  /** The name used for lookups from the target (default: relatedName, else the model name). */
  relatedQueryName?: string;
  /** The target field (default: the target's primary key). */
  toField?: string;
  /** Create a database foreign key constraint (default true). */
  dbConstraint?: boolean;
}

/** @internal A relation whose target is resolved lazily. */
export abstract class RelatedFieldImpl<V, N extends boolean, O extends boolean> extends Field<
  V,
  N,
  O
> {
  override readonly isRelation = true;
  readonly relatedName: string | undefined;
  readonly relatedQueryName: string | undefined;
  /** Set by the app registry once the target model is known. */
  relatedModel: RelatedModelClass | undefined;

  constructor(
    readonly to: RelationTarget<RelatedModelClass> | 'self',
    options: FieldOptions<V> & { relatedName?: string; relatedQueryName?: string },
  ) {
    super(options);
    this.relatedName = options.relatedName;
    this.relatedQueryName = options.relatedQueryName;
  }

  /** The target's label (`'library.Author'`), or null for a lazy reference not yet resolved. */
  targetLabel(ownAppLabel: string): string | null {
    if (this.to === 'self') return null;
    if (typeof this.to === 'string')
      return this.to.includes('.') ? this.to : `${ownAppLabel}.${this.to}`;
    return null;
  }
}

/** @internal The class behind {@link ForeignKey} (and the base of one-to-one). */
export class ForeignKeyImpl<
  T = unknown,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends RelatedFieldImpl<T, N, O> {
  /** Type-level only (never set at run time; kept in published types): the target model class. */
  declare readonly __target: T;
  readonly manyToOne: boolean = true;
  readonly oneToOne: boolean = false;
  readonly onDelete: OnDelete;
  readonly toField: string | undefined;
  readonly dbConstraint: boolean;
  protected static override readonly defaultErrorMessages = {
    invalid: '%(model)s instance with %(field)s %(value)r does not exist.',
  };

  constructor(to: RelationTarget<RelatedModelClass> | 'self', options: ForeignKeyOptions) {
    super(to, { dbIndex: true, ...options } as FieldOptions<T>);
    this.onDelete = options.onDelete;
    this.toField = options.toField;
    this.dbConstraint = options.dbConstraint ?? true;
  }

  /** The raw value lives in `<name>Id` (Django's `<name>_id`). */
  protected override attnameFor(name: string): string {
    return `${name}Id`;
  }

  /** The column is `<name>_id` by default. */
  protected override columnBaseName(name: string): string {
    return `${name}_id`;
  }

  /** The internal type of the column, from the target's key (an AutoField becomes an IntegerField). */
  get internalType(): string {
    const target = this.targetField;
    const type = target?.internalType ?? 'BigAutoField';
    return AUTO_TO_INTEGER[type] ?? type;
  }

  /** The field of the target model this key points to (set when resolved). */
  targetField: Field | undefined;

  override toJs(value: unknown): T | null {
    return this.targetField ? (this.targetField.toJs(value) as T | null) : (value as T | null);
  }
  override toDb(value: T | null, connection: BaseDatabaseWrapper): unknown {
    return this.targetField ? this.targetField.toDb(value, connection) : value;
  }
  override fromDb(value: unknown, connection: BaseDatabaseWrapper): T | null {
    return this.targetField
      ? (this.targetField.fromDb(value, connection) as T | null)
      : (value as T | null);
  }
}

const AUTO_TO_INTEGER: Record<string, string> = {
  AutoField: 'IntegerField',
  BigAutoField: 'BigIntegerField',
  SmallAutoField: 'SmallIntegerField',
};

/** @internal The class behind {@link OneToOneField}. */
export class OneToOneFieldImpl<
  T = unknown,
  N extends boolean = boolean,
  O extends boolean = boolean,
> extends ForeignKeyImpl<T, N, O> {
  override readonly manyToOne = false;
  override readonly oneToOne = true;
  constructor(to: RelationTarget<RelatedModelClass> | 'self', options: ForeignKeyOptions) {
    super(to, { ...options, unique: true });
  }
}

/** Options of ManyToManyField. */
export interface ManyToManyOptions extends Omit<
  FieldOptions<unknown>,
  'null' | 'default' | 'unique' | 'dbIndex' | 'primaryKey'
> {
  relatedName?: string;
  relatedQueryName?: string;
  /** An explicit intermediate model (lazy or by label). */
  through?: RelationTarget<RelatedModelClass>;
  /** With `through`: the intermediate model's fields pointing at [this model, the target]. */
  throughFields?: readonly [string, string];
  /** The automatic intermediate table's name (default `<table>_<field>`). */
  dbTable?: string;
  /** Whether a self-referencing relation is symmetrical (default true for 'self'). */
  symmetrical?: boolean;
}

/** @internal The class behind {@link ManyToManyField}. */
export class ManyToManyFieldImpl<T = unknown> extends RelatedFieldImpl<never, false, true> {
  /** Type-level only (never set at run time; kept in published types): the target model class. */
  declare readonly __target: T;
  readonly internalType = 'ManyToManyField';
  override readonly concrete = false;
  readonly through: RelationTarget<RelatedModelClass> | undefined;
  readonly throughFields: readonly [string, string] | undefined;
  readonly dbTable: string | undefined;
  readonly symmetrical: boolean;
  /** The intermediate model (automatic or explicit), set when resolved. */
  throughModel: RelatedModelClass | undefined;

  constructor(to: RelationTarget<RelatedModelClass> | 'self', options: ManyToManyOptions = {}) {
    super(to, { ...options, blank: options.blank ?? false } as FieldOptions<never>);
    this.through = options.through;
    this.throughFields = options.throughFields;
    this.dbTable = options.dbTable;
    this.symmetrical = options.symmetrical ?? to === 'self';
  }
}

type NullOfFk<O> = O extends { null: true } ? true : false;
type OptionalOfFk<O> = O extends { null: true }
  ? true
  : O extends { default: unknown }
    ? true
    : false;

/**
 * A many-to-one relation. The instance has `<name>Id` (the raw key) and
 * `<name>` (the related instance, once loaded); the target gets a reverse
 * manager named `relatedName`.
 *
 * @example
 * ```ts
 * author: ForeignKey(() => Author, { onDelete: CASCADE, relatedName: 'books' }),
 * parent: ForeignKey('self', { onDelete: CASCADE, null: true, relatedName: 'children' }),
 * ```
 */
export function ForeignKey<const T, const O extends ForeignKeyOptions>(
  to: (() => T) | (T & string),
  options: O,
): ForeignKeyImpl<T, NullOfFk<O>, OptionalOfFk<O>> {
  return new ForeignKeyImpl(to as RelationTarget<RelatedModelClass>, options) as never;
}

/**
 * A one-to-one relation (a unique foreign key); the target's reverse
 * accessor returns one instance.
 *
 * @example
 * ```ts
 * user: OneToOneField(() => User, { onDelete: CASCADE, relatedName: 'profile' }),
 * ```
 */
export function OneToOneField<const T, const O extends ForeignKeyOptions>(
  to: (() => T) | (T & string),
  options: O,
): OneToOneFieldImpl<T, NullOfFk<O>, OptionalOfFk<O>> {
  return new OneToOneFieldImpl(to as RelationTarget<RelatedModelClass>, options) as never;
}

/**
 * A many-to-many relation through an automatic (or explicit `through`) table.
 *
 * @example
 * ```ts
 * tags: ManyToManyField(() => Tag, { relatedName: 'books', blank: true }),
 * ```
 */
export function ManyToManyField<const T>(
  to: (() => T) | (T & string),
  options?: ManyToManyOptions,
): ManyToManyFieldImpl<T> {
  return new ManyToManyFieldImpl(to as RelationTarget<RelatedModelClass>, options);
}
