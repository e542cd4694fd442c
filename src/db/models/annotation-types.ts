/**
 * Types of annotations and aggregates: the value types of
 * `annotate({ bookCount: Count('books') })` (`bookCount: number`) and of
 * Django's default names (`aggregate(Avg('rating'))` → `rating__avg`).
 * Nothing here exists at run time.
 */

/** The value type of an expression (`Count` → number, `Avg` → number | null). */
export type ExpressionValue<E> = E extends { readonly __value: infer V } ? V : unknown;

/** The values of named annotations. */
export type AnnotationValues<A> = { -readonly [K in keyof A]: ExpressionValue<A[K]> };

/** The values of positional aggregates under their default names (`rating__avg`). */
export type DefaultAliasValues<E extends readonly unknown[]> = {
  -readonly [
    I in keyof E as E[I] extends {
      readonly __source: infer S extends string;
      readonly __aggregateName: infer K extends string;
    }
      ? `${S}__${K}`
      : never
  ]: ExpressionValue<E[I]>;
};
