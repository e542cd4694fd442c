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

// ---------------------------------------------------------------- prefetchRelated

/**
 * A related manager whose objects were prefetched: `loaded` gives them
 * synchronously. Only prefetched results have it, so reading a relation
 * that was not prefetched does not compile.
 */
export type PrefetchedManager<M, E> = M & { readonly loaded: E[] };

/** What related managers (`author.books`, `book.tags`) have in common, for the types. */
interface RelatedManagerOf<T> {
  readonly __related: T;
}

/** Names of an instance type's multi-valued relations: the properties typed as related managers. */
export type ManyRelationKeys<T> = {
  [K in keyof T & string]-?: 0 extends 1 & T[K]
    ? never
    : T[K] extends RelatedManagerOf<any>
      ? K
      : never;
}[keyof T & string];

/** The element type of a relation property: a manager's model, or the related instance. */
type ElementOf<V> = V extends RelatedManagerOf<infer U> ? U : RelationTarget<V>;

/** The paths `prefetchRelated` accepts: relations of any kind, nested with `__`. */
export type PrefetchPath<T, D extends number = 3> = [D] extends [never]
  ? never
  : {
      [K in SingleRelationKeys<T> | ManyRelationKeys<T>]:
        K | `${K}__${PrefetchPath<ElementOf<T[K]>, Prev[D]>}`;
    }[SingleRelationKeys<T> | ManyRelationKeys<T>];

/** The relation `V` once loaded, its elements typed `E`. */
type Loaded<R, K extends keyof R, E> =
  R[K] extends RelatedManagerOf<any> ? PrefetchedManager<R[K], E> : E | NullIfOptional<R, K>;

/**
 * `R` with the relations on path `P` prefetched; `Last`, when given, is the
 * element type of the last level (a `Prefetch` queryset's rows).
 */
export type PrefetchResult<R, P extends string, Last = never> = [P] extends [never]
  ? R
  : Omit<R, Head<P>> & {
      -readonly [K in Head<P> & keyof R]: Loaded<
        R,
        K,
        [Tail<P, K>] extends [never]
          ? [Last] extends [never]
            ? ElementOf<R[K]>
            : Last
          : PrefetchResult<ElementOf<R[K]>, Tail<P, K>, Last>
      >;
    };

/** `R` with a `Prefetch(P, { toAttr: A })`: the levels before the last prefetched, `A` added on the last. */
export type PrefetchToAttr<
  R,
  P extends string,
  A extends string,
  E,
> = P extends `${infer H}__${infer Rest}`
  ? H extends keyof R
    ? Omit<R, H> & {
        -readonly [K in H]: Loaded<R, K, PrefetchToAttr<ElementOf<R[K]>, Rest, A, E>>;
      }
    : R
  : R & {
      -readonly [K in A]: P extends keyof R
        ? R[P] extends RelatedManagerOf<any>
          ? (unknown extends E ? ElementOf<R[P]> : E)[]
          : (unknown extends E ? ElementOf<R[P]> : E) | null
        : never;
    };

/** Phantom carriers of a `Prefetch`'s type parameters. */
export interface PrefetchTypes<P extends string, A extends string, E> {
  readonly __path: P;
  readonly __toAttr: A;
  readonly __element: E;
}

/** `R` after one lookup (a path or a `Prefetch`). */
type ApplyLookup<R, L> = L extends string
  ? PrefetchResult<R, L>
  : L extends PrefetchTypes<infer P, infer A, infer E>
    ? [A] extends [never]
      ? PrefetchResult<R, P, unknown extends E ? never : E>
      : PrefetchToAttr<R, P, A, E>
    : R;

/** `R` after every lookup of `prefetchRelated(...lookups)`. */
export type PrefetchLookupsResult<R, L extends readonly unknown[]> = L extends readonly [
  infer H,
  ...infer Rest,
]
  ? PrefetchLookupsResult<ApplyLookup<R, H>, Rest>
  : R;
