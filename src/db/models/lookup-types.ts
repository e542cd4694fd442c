/**
 * Typed lookups: what `filter({ author__name__icontains: 'x' })`, `create()`
 * and `update()` accept, computed from the model's instance type. Nothing here
 * exists at run time; the query layer still resolves every path, and reports
 * the same mistakes as `FieldError`s when lookups come from `Q()` or from an
 * object built at run time.
 *
 * A key is parsed segment by segment (`a__b__c`) over the instance type and
 * the field declarations it carries under `[FIELDS]`: fields, `<fk>Id`
 * attnames, `pk`/`id`, and reverse relations declared on the class
 * (`declare reviews: RelatedManager<Review>`). What comes out is the type of
 * value the key accepts, or an {@link InvalidLookup} naming the mistake, which
 * no value has: the compiler then flags that key alone, with the reason in its
 * message.
 */
import type { Expression } from './expressions.js';
import type { ForeignKeyImpl, ManyToManyFieldImpl } from './fields/related.js';
import type { QuerySet } from './queryset.js';
import type { CreateInput, FIELDS, FieldsSpec, TargetOf, Unloaded, ValueOf } from './types.js';

declare const INVALID_LOOKUP: unique symbol;

/**
 * The type of a key that does not resolve. No value has it, so the argument is
 * refused at that key, and `Message` says why.
 *
 * @example
 * ```ts
 * Book.objects.filter({ author__nmae: 'x' });
 * // error: Type 'string' is not assignable to type 'InvalidLookup<"Cannot resolve
 * //   keyword 'nmae' into field. Choices are: pk, id, createdAt, name, bio, books.">'.
 * ```
 */
export interface InvalidLookup<Message extends string> {
  readonly [INVALID_LOOKUP]: Message;
}

/**
 * Lookups registered at run time with `registerLookup(Field, …)`, made known to
 * the type checker by augmentation: the key is the lookup's name, the value
 * the type of value it takes on a field whose values are `V`. They apply to
 * every field that is not a relation.
 *
 * @example
 * ```ts
 * // Augment the module that declares it (here from a file in test/).
 * declare module '../../src/db/models/lookup-types.js' {
 *   interface CustomLookups<V> {
 *     ne: V;
 *   }
 * }
 * registerLookup(Field, NotEqual);
 * Person.objects.filter({ name__ne: 'Ada' });
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-object-type
export interface CustomLookups<V> {}

/**
 * The kinds of fields, as far as lookups are concerned. A field class may
 * name its kind with a phantom `declare readonly __lookupKind: LookupKind`;
 * otherwise it is told from the field's value type and members.
 */
export type LookupKind = keyof KindTable;

/** Comparisons every field has. */
type EqualityLookup = 'exact' | 'in' | 'isnull';
/** Comparisons of ordered values. */
type OrderedLookup = EqualityLookup | 'gt' | 'gte' | 'lt' | 'lte' | 'range';
/** Pattern lookups, for text. */
type PatternLookup =
  | 'iexact'
  | 'contains'
  | 'icontains'
  | 'startswith'
  | 'istartswith'
  | 'endswith'
  | 'iendswith'
  | 'regex'
  | 'iregex';
/** Transforms of dates and datetimes, giving integers. */
type DatePart =
  'year' | 'iso_year' | 'quarter' | 'month' | 'week' | 'week_day' | 'iso_week_day' | 'day';
/** Transforms of datetimes only, giving integers. */
type TimePart = 'hour' | 'minute' | 'second';

/**
 * Lookups as data, one row per kind of field (the type-level mirror of the
 * registry in lookups.ts): its lookups, its transforms, the type that
 * comparisons and ranges take (`base`), what an exact match takes besides the
 * field's own value type (`exact`), and its name in messages.
 */
interface KindTable {
  text: {
    lookups: OrderedLookup | PatternLookup;
    transforms: never;
    base: string;
    exact: never;
    name: 'a text field';
  };
  /** UUIDs and other values held as strings. */
  string: {
    lookups: OrderedLookup | PatternLookup;
    transforms: never;
    base: string;
    exact: never;
    name: 'a string field';
  };
  number: {
    lookups: OrderedLookup;
    transforms: never;
    base: number;
    exact: never;
    name: 'a number field';
  };
  decimal: {
    lookups: OrderedLookup;
    transforms: never;
    base: string | number;
    exact: number;
    name: 'a decimal field';
  };
  date: {
    lookups: OrderedLookup;
    transforms: DatePart;
    base: string | Date;
    exact: Date;
    name: 'a date field';
  };
  datetime: {
    lookups: OrderedLookup;
    transforms: DatePart | TimePart | 'date';
    base: Date | string;
    exact: string;
    name: 'a datetime field';
  };
  bool: {
    lookups: EqualityLookup;
    transforms: never;
    base: boolean;
    exact: never;
    name: 'a boolean field';
  };
  binary: {
    lookups: EqualityLookup;
    transforms: never;
    base: never;
    exact: never;
    name: 'a binary field';
  };
  /** JSON: any key path below the field is accepted (`data__author__name`), its values unchecked. */
  json: {
    lookups: EqualityLookup;
    transforms: never;
    base: never;
    exact: never;
    name: 'a JSON field';
  };
}

/** The kind of a field that is not a relation. */
type KindOf<F> = F extends { readonly __lookupKind: infer K extends LookupKind }
  ? K
  : F extends { readonly dbCollation: unknown }
    ? 'text'
    : F extends { readonly __value: infer V }
      ? [V] extends [boolean]
        ? 'bool'
        : [V] extends [number]
          ? 'number'
          : [V] extends [Date]
            ? 'datetime'
            : F extends { readonly maxDigits: number }
              ? 'decimal'
              : F extends { readonly autoNow: boolean }
                ? 'date'
                : [V] extends [string]
                  ? 'string'
                  : F extends { readonly maxLength: unknown }
                    ? 'binary'
                    : 'json'
      : 'json';

/** The kind of value a transform gives. */
type TransformKind<L> = L extends 'date' ? 'date' : 'number';

type OrNull<V, N> = N extends true ? V | null : V;

/** The message of a lookup the field does not have (an alias of a string, so messages show it in full). */
type Unsupported<
  K extends LookupKind,
  L extends string,
> = `Unsupported lookup '${L}' for ${KindTable[K]['name']} or join on the field not permitted. Choices are: ${Join<KindTable[K]['lookups'] | KindTable[K]['transforms']>}.`;

/** The value lookup `L` takes on a field of kind `K` whose values are `V` (nullable when `N`). */
type ScalarLookupValue<K extends LookupKind, L extends string, V, N> = L extends 'exact'
  ? OrNull<V | KindTable[K]['exact'], N> | Expression
  : L extends 'in'
    ? readonly (V | KindTable[K]['exact'] | Expression)[] | QuerySet<any, any>
    : L extends 'isnull'
      ? boolean
      : L extends 'range'
        ? readonly [KindTable[K]['base'] | Expression, KindTable[K]['base'] | Expression]
        : L extends 'iexact'
          ? OrNull<string, N> | Expression
          : L extends PatternLookup
            ? string | Expression
            : L extends 'gt' | 'gte' | 'lt' | 'lte'
              ? KindTable[K]['base'] | Expression
              : L extends keyof CustomLookups<V>
                ? CustomLookups<V>[L]
                : never;

/**
 * What may follow a field of kind `K` (values `V`, nullable when `N`):
 * nothing (an exact match), a lookup, or a transform and what follows it.
 */
type ScalarPath<K extends LookupKind, V, N, Rest extends string> = Rest extends ''
  ? OrNull<V | KindTable[K]['exact'], N> | Expression
  : K extends 'json'
    ? Rest extends 'isnull'
      ? boolean
      : unknown
    : Rest extends `${infer L}__${infer More}`
      ? L extends KindTable[K]['transforms']
        ? ScalarPath<TransformKind<L>, KindTable[TransformKind<L>]['base'], N, More>
        : InvalidLookup<Unsupported<K, L>>
      : Rest extends KindTable[K]['lookups'] | keyof CustomLookups<V>
        ? ScalarLookupValue<K, Rest, V, N>
        : Rest extends KindTable[K]['transforms']
          ? OrNull<KindTable[TransformKind<Rest>]['base'], N> | Expression
          : InvalidLookup<Unsupported<K, Rest>>;

/** Lookups on a relation itself (comparing keys), as opposed to fields of its target. */
type RelationLookup = OrderedLookup;

/** The primary key's type (`id`'s, as every model has one at the type level). */
type PkOf<T> = T extends { readonly id: infer I } ? I : number;

/**
 * What may follow a relation to instances of `U`: a lookup on its key, or a
 * path in `U`. A related object is given as an instance (loaded or not) or
 * by its primary key.
 */
type RelationPath<U, N, Rest extends string> = unknown extends U
  ? // A target named by label ('app.Model') is beyond the type checker: unchecked.
    unknown
  : Rest extends ''
    ? OrNull<U | Unloaded<U> | PkOf<U>, N> | Expression
    : Rest extends RelationLookup
      ? Rest extends keyof FieldsOf<U> | keyof U
        ? Resolve<U, Rest>
        : Rest extends 'exact'
          ? OrNull<U | Unloaded<U> | PkOf<U>, N> | Expression
          : Rest extends 'in'
            ? readonly (U | Unloaded<U> | PkOf<U> | Expression)[] | QuerySet<any, any>
            : Rest extends 'isnull'
              ? boolean
              : Rest extends 'range'
                ? readonly [PkOf<U> | Expression, PkOf<U> | Expression]
                : PkOf<U> | Expression
      : Resolve<U, Rest>;

/** The field declarations an instance type carries (never for an unknown model, or `any`). */
type FieldsOf<T> = 0 extends 1 & T // any
  ? never
  : T extends { readonly [FIELDS]: infer F extends FieldsSpec }
    ? F
    : never;

/**
 * The instance type behind a member declared on the model class, when the
 * member is a relation: a related manager (`declare reviews: RelatedManager<Review>`),
 * an `Unloaded<Profile>` or a model instance (reverse one-to-one).
 */
type ReverseTarget<M> = M extends { getQueryset(): QuerySet<infer U, any> }
  ? U
  : M extends Unloaded<infer U>
    ? U
    : M extends { readonly [FIELDS]: unknown }
      ? M
      : never;

/** Members of `T` that are reverse relations. */
type ReverseKeys<T> = {
  [K in keyof T & string]: [ReverseTarget<NonNullable<T[K]>>] extends [never] ? never : K;
}[keyof T & string];

/** The message of a keyword that is no field. */
type CannotResolve<
  T,
  S extends string,
> = `Cannot resolve keyword '${S}' into field. Choices are: ${Join<
  | keyof FieldsOf<T>
  | ('id' extends keyof T ? 'id' : never)
  | 'pk'
  | ReverseKeys<T>
  | (keyof AnnotationsOf<T> & string)
>}.`;

/** One segment `S` of a path on instance type `T`, followed by `Rest`. */
/** Phantom key: the annotations a QuerySet added (`annotate`), so lookups on them are typed too. */
export declare const ANNOTATIONS: unique symbol;

/** The annotations carried by `T` (see {@link ANNOTATIONS}). */
type AnnotationsOf<T> = T extends { readonly [ANNOTATIONS]: infer A } ? A : Record<never, never>;

/** The lookup kind of an annotation's value type. */
type ValueKind<V> = [NonNullable<V>] extends [number]
  ? 'number'
  : [NonNullable<V>] extends [string]
    ? 'text'
    : 'json';

type Step<T, S extends string, Rest extends string> = S extends keyof AnnotationsOf<T>
  ? ScalarPath<
      ValueKind<AnnotationsOf<T>[S]>,
      NonNullable<AnnotationsOf<T>[S]>,
      null extends AnnotationsOf<T>[S] ? true : false,
      Rest
    >
  : FieldStep<T, S, Rest>;

type FieldStep<T, S extends string, Rest extends string> = S extends keyof FieldsOf<T>
  ? FieldPath<T, FieldsOf<T>[S], Rest>
  : S extends 'pk' | 'id'
    ? ScalarPath<'number', PkOf<T>, false, Rest>
    : S extends `${infer Name}Id`
      ? FieldsOf<T>[Name & keyof FieldsOf<T>] extends ForeignKeyImpl<any, infer N, any>
        ? ScalarPath<'number', number, N, Rest>
        : InvalidLookup<CannotResolve<T, S>>
      : S extends ReverseKeys<T>
        ? RelationPath<ReverseTarget<NonNullable<T[S & keyof T]>>, false, Rest>
        : InvalidLookup<CannotResolve<T, S>>;

/** What may follow field `F` of instance type `T`. */
type FieldPath<T, F, Rest extends string> =
  F extends ForeignKeyImpl<infer To, infer N, any>
    ? RelationPath<TargetOf<To, T>, N, Rest>
    : F extends ManyToManyFieldImpl<infer To>
      ? RelationPath<TargetOf<To, T>, false, Rest>
      : F extends { readonly __value: infer V; readonly __null: infer N }
        ? ScalarPath<KindOf<F>, V, N, Rest>
        : unknown;

/**
 * The type of value lookup key `Key` takes on instance type `T`, or an
 * {@link InvalidLookup}. Anything goes on an unknown model (no field
 * declarations).
 *
 * @example
 * ```ts
 * type A = ResolveLookup<Book, 'author__name__icontains'>; // string | Expression
 * type B = ResolveLookup<Book, 'publishedDate__year__gte'>; // number | Expression
 * ```
 */
export type ResolveLookup<T, Key extends string> = [FieldsOf<T>] extends [never]
  ? unknown
  : Key extends `${infer S}__${infer Rest}`
    ? Step<T, S, Rest>
    : Step<T, Key, ''>;
type Resolve<T, Key extends string> = ResolveLookup<T, Key>;

/** A value whose type says nothing (`unknown`, or an array of them): left to the run time. */
type IsLoose<V> = unknown extends V
  ? true
  : V extends readonly (infer E)[]
    ? unknown extends E
      ? true
      : false
    : false;

/**
 * What key `K` takes on instance type `T`, given the value `V` passed. `pk`
 * keys with values of unknown type are let through without looking at the
 * model, so code generic over the model (related managers) may pass them.
 */
export type LookupValue<T, K, V = never> = K extends string
  ? string extends K
    ? unknown
    : K extends 'pk' | `pk__${string}`
      ? IsLoose<V> extends true
        ? unknown
        : Resolve<T, K>
      : Resolve<T, K>
  : never;

/** Keys offered by editors: the first segment of a path, alone or with a lookup. */
type HintKeys<T, F = FieldsOf<T>> = [F] extends [never]
  ? string
  : | 'pk'
    | ('id' extends keyof T ? 'id' : never)
    | {
        [K in keyof F & string]: F[K] extends ForeignKeyImpl<any, any, any>
          ? K | `${K}Id` | `${K}__${RelationLookup}`
          : F[K] extends ManyToManyFieldImpl<any>
            ? K | `${K}__${RelationLookup}`
            : | K
              | `${K}__${KindTable[KindOf<F[K]>]['lookups'] | KindTable[KindOf<F[K]>]['transforms']}`;
      }[keyof F & string]
    | { [K in ReverseKeys<T>]: K | `${K}__${RelationLookup}` }[ReverseKeys<T>];

/**
 * Optional, unchecked keys that only give editors names to complete (the keys
 * given are checked by {@link CheckedLookups}). Unchecked, so code generic
 * over the model type may still pass lookups.
 */
type LookupHints<T> = { readonly [K in HintKeys<T>]?: unknown };

/**
 * Lookups as `filter`, `exclude`, `get` and `getOrCreate` check them: each
 * key of `Q` mapped to the type of value it takes. An object whose keys are
 * only known at run time (`Record<string, unknown>`) is not checked.
 *
 * @example
 * ```ts
 * function titled<Q extends object>(lookups: CheckedLookups<Book, Q>) {
 *   return Book.objects.filter(lookups);
 * }
 * ```
 */
export type CheckedLookups<T, Q> = string extends keyof Q
  ? Readonly<Record<string, unknown>>
  : { readonly [K in keyof Q]: LookupValue<T, K, Q[K]> } & LookupHints<T>;

/** What `create()` takes for instance type `T` (anything on an unknown model). */
export type CreateInputOf<T> = [FieldsOf<T>] extends [never]
  ? Readonly<Record<string, unknown>>
  : CreateInput<FieldsOf<T>>;

/** The keys `update()` may set (not many-to-many relations) and their values, expressions allowed. */
type UpdateFields<T, F> = {
  readonly [
    K in keyof F as F[K] extends ManyToManyFieldImpl<any> ? never : K
  ]?: F[K] extends ForeignKeyImpl<infer To, infer N, any>
    ? OrNull<TargetOf<To, T> | Unloaded<TargetOf<To, T>> | PkOf<TargetOf<To, T>>, N> | Expression
    : ValueOf<F[K]> | Expression;
} & {
  readonly [
    K in keyof F as F[K] extends ForeignKeyImpl<any, any, any> ? `${K & string}Id` : never
  ]?: F[K] extends ForeignKeyImpl<any, infer N, any> ? OrNull<number, N> | Expression : never;
} & { readonly id?: PkOf<T> | Expression; readonly pk?: PkOf<T> | Expression };

/** What `update()` takes for instance type `T` (anything on an unknown model). */
export type UpdateInputOf<T> = [FieldsOf<T>] extends [never]
  ? Readonly<Record<string, unknown>>
  : UpdateFields<T, FieldsOf<T>>;

/** `defaults` of `getOrCreate` and `updateOrCreate`: create values, or functions giving them. */
export type DefaultsOf<T> = {
  readonly [K in keyof CreateInputOf<T>]?: CreateInputOf<T>[K] | (() => CreateInputOf<T>[K]);
};

/**
 * Values as `create()` (`Input` = {@link CreateInputOf}) or `update()`
 * (`Input` = {@link UpdateInputOf}) check them: every key of `V` must be one
 * of `Input`'s, with a value of its type, and `Input`'s required keys must be
 * there. An object whose keys are only known at run time is not checked.
 */
export type CheckedValues<Input, V> = string extends keyof V
  ? Readonly<Record<string, unknown>>
  : {
      readonly [K in keyof V]: K extends keyof Input
        ? Input[K]
        : InvalidLookup<`Unexpected keyword argument '${K & string}'. Choices are: ${Join<keyof Input>}.`>;
    } & Input;

// ---------------------------------------------------------------- messages

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (
  x: infer I,
) => void
  ? I
  : never;
type LastOf<U> =
  UnionToIntersection<U extends unknown ? () => U : never> extends () => infer L ? L : never;
/** `'a' | 'b' | 'c'` → `'a, b, c'`; only computed for the message of a wrong key. */
type Join<U, Acc extends string = ''> = [U] extends [never]
  ? Acc
  : Join<
      Exclude<U, LastOf<U>>,
      Acc extends '' ? `${LastOf<U> & string}` : `${LastOf<U> & string}, ${Acc}`
    >;
