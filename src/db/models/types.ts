/**
 * Type-level machinery: from a model's field declarations to its instance
 * type, its create input, and its lookup keys. Nothing here exists at run time.
 */
import type { Field } from './fields/field.js';
import type { ForeignKeyImpl, ManyToManyFieldImpl } from './fields/related.js';
import type { ManyRelatedManager } from './related-managers.js';

/** Phantom key under which an instance type carries its field declarations. */
export declare const FIELDS: unique symbol;

/** A model's field declarations. */
export type FieldsSpec = Record<string, Field<any, any, any>>;

/** The JavaScript value type of a field, with null when nullable. */
export type ValueOf<F> =
  F extends Field<infer V, infer N, any> ? (N extends true ? V | null : V) : never;

/** A relation that was not loaded: it has no properties to read. Load it with `selectRelated`/`prefetchRelated` or `fetchRelated()`. */
export interface Unloaded<T> {
  /**
   * Phantom (never set): keeps `Unloaded<A>` and `Unloaded<B>` apart. Not
   * `@internal`, which `stripInternal` would remove from the declarations,
   * leaving every `Unloaded<…>` the same empty type.
   */
  readonly __unloaded: T;
}

/** The instance type a relation target resolves to (`'self'`: the model itself). */
export type TargetOf<T, Self> = T extends 'self'
  ? Self
  : T extends () => infer C
    ? C extends abstract new (...args: any) => infer I
      ? I
      : never
    : T extends abstract new (...args: any) => infer I
      ? I
      : unknown;

type ScalarKeys<F> = {
  [K in keyof F]: F[K] extends ForeignKeyImpl<any, any, any> | ManyToManyFieldImpl<any> ? never : K;
}[keyof F];
type FkKeys<F> = {
  [K in keyof F]: F[K] extends ForeignKeyImpl<any, any, any> ? K : never;
}[keyof F];
type M2mKeys<F> = { [K in keyof F]: F[K] extends ManyToManyFieldImpl<any> ? K : never }[keyof F];
type HasExplicitPk<F> = true extends {
  [K in keyof F]: F[K] extends { primaryKey: true } ? true : false;
}[keyof F]
  ? true
  : false;

/** The raw key type of a foreign key (the target's primary key; numbers by default). */
type FkRawValue<F> =
  F extends ForeignKeyImpl<any, infer N, any> ? (N extends true ? number | null : number) : never;

/** The instance type of a model declared with `fields` (without the class's own methods). */
export type InstanceOf<F extends FieldsSpec> = (HasExplicitPk<F> extends true
  ? unknown
  : { id: number }) & {
  -readonly [K in ScalarKeys<F>]: ValueOf<F[K]>;
} & {
  -readonly [K in FkKeys<F> as `${K & string}Id`]: FkRawValue<F[K]>;
} & {
  -readonly [K in FkKeys<F>]: F[K] extends ForeignKeyImpl<infer T, any, any>
    ? Unloaded<TargetOf<T, InstanceOf<F>>>
    : never;
} & {
  readonly [K in M2mKeys<F>]: F[K] extends ManyToManyFieldImpl<infer T>
    ? ManyRelatedManager<TargetOf<T, InstanceOf<F>>>
    : never;
} & { readonly [FIELDS]: F };

type OptionalKeys<F> = {
  [K in ScalarKeys<F>]: F[K] extends Field<any, any, true> ? K : never;
}[ScalarKeys<F>];
type RequiredKeys<F> = Exclude<ScalarKeys<F>, OptionalKeys<F>>;

/** What `create()` and the constructor accept: required fields, optional ones, and relations by instance or id. */
export type CreateInput<F extends FieldsSpec> = { [K in RequiredKeys<F>]: ValueOf<F[K]> } & {
  [K in OptionalKeys<F>]?: ValueOf<F[K]>;
} & { id?: number; pk?: unknown } & {
  [K in FkKeys<F>]?:
    | (F[K] extends ForeignKeyImpl<infer T, any, any>
        ? TargetOf<T, InstanceOf<F>> | Unloaded<TargetOf<T, InstanceOf<F>>>
        : never)
    | null;
} & { [K in FkKeys<F> as `${K & string}Id`]?: FkRawValue<F[K]> };

/** The fields a model instance type carries. */
export type FieldsOfInstance<T> = T extends { readonly [FIELDS]: infer F } ? F : never;
