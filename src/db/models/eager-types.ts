/**
 * Types of eager loading: which names `selectRelated` accepts, and the
 * result type in which the selected relations are loaded (`Unloaded<Author>`
 * becomes `Author`). Nothing here exists at run time.
 *
 * (The `0 extends 1 & T[K]` test keeps `pk`, typed `any`, out of the relation names.)
 */
import type { ForeignKeyImpl } from './fields/related.js';
import type { FieldsOfInstance, Unloaded } from './types.js';

/** Names of an instance type's single-valued relations: the properties typed `Unloaded<…>`. */
export type SingleRelationKeys<T> = {
  [K in keyof T & string]-?: 0 extends 1 & T[K] // an `any` property (pk) is no relation
    ? never
    : NonNullable<T[K]> extends Unloaded<any>
      ? K
      : never;
}[keyof T & string];

/** The instance type behind `Unloaded<U>` (or the loaded type itself). */
export type RelationTarget<V> = NonNullable<V> extends Unloaded<infer U> ? U : NonNullable<V>;

type Prev = [never, 0, 1, 2, 3, 4];

/**
 * The paths `selectRelated` accepts: `'author'`, `'book__author'` (up to four
 * levels in the types; deeper paths need a cast).
 */
export type SelectRelatedPath<T, D extends number = 4> = [D] extends [never]
  ? never
  : {
      [K in SingleRelationKeys<T>]: K | `${K}__${SelectRelatedPath<RelationTarget<T[K]>, Prev[D]>}`;
    }[SingleRelationKeys<T>];

/** The non-null foreign keys of `T`'s model, the ones `selectRelated()` without names follows. */
type NonNullForeignKeys<T> = {
  [
    K in keyof FieldsOfInstance<T> & SingleRelationKeys<T>
  ]: FieldsOfInstance<T>[K] extends ForeignKeyImpl<any, false, any> ? K : never;
}[keyof FieldsOfInstance<T> & SingleRelationKeys<T>];

/** The paths `selectRelated()` without names follows: non-null foreign keys, recursively. */
export type DefaultSelectRelatedPath<T, D extends number = 4> = [D] extends [never]
  ? never
  : {
      [K in NonNullForeignKeys<T>]:
        K | `${K}__${DefaultSelectRelatedPath<RelationTarget<T[K]>, Prev[D]>}`;
    }[NonNullForeignKeys<T>];

type Head<P extends string> = P extends `${infer H}__${string}` ? H : P;
type Tail<P extends string, H extends string> = P extends `${H}__${infer T}` ? T : never;

/** `null` when the relation `K` of `R` may be missing (a nullable key, a reverse one-to-one). */
type NullIfOptional<R, K> = K extends keyof FieldsOfInstance<R>
  ? FieldsOfInstance<R>[K] extends ForeignKeyImpl<any, infer N, any>
    ? N extends true
      ? null
      : never
    : null
  : null;

/**
 * `R` with the relations on paths `P` loaded: `SelectRelatedResult<Book,
 * 'author'>` has `author: Author`; nested paths load nested relations.
 */
export type SelectRelatedResult<R, P extends string> = [P] extends [never]
  ? R
  : Omit<R, Head<P>> & {
      -readonly [K in Head<P> & keyof R]:
        SelectRelatedResult<RelationTarget<R[K]>, Tail<P, K>> | NullIfOptional<R, K>;
    };
