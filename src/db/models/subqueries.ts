/**
 * Subqueries (Django's `Subquery`, `Exists` and `OuterRef`): a QuerySet
 * used as an expression, correlated with the outer query through
 * `OuterRef(name)`.
 */
import { FieldError } from '../../core/exceptions.js';
import { Expression, FieldRef, outputFieldOf, type ResolveOptions } from './expressions.js';
import type { Field } from './fields/field.js';
import { BooleanField } from './fields/misc.js';
import type { QuerySet } from './queryset.js';
import type { Query, ResolvedExpr, ResolvedNode } from './sql/query.js';

const BOOLEAN = BooleanField();

/**
 * A reference to a field of the outer query, inside a subquery's filters:
 * `Review.objects.filter({ book: OuterRef('pk') })`.
 */
export class OuterRef extends Expression<unknown> {
  constructor(readonly name: string) {
    super();
  }

  override resolveExpression(query: Query): ResolvedNode {
    // Bound when the Subquery is resolved against the outer query, compiled by its compiler.
    query.outerRefs.add(this.name);
    return {
      kind: 'node',
      expression: this,
      outputField: null,
      args: [],
      containsAggregate: false,
      containsWindow: false,
      asSql: (compiler) => compiler.compileOuterRef(this.name),
    };
  }
}

/** `OuterRef(name)`, as written in Django. */
export function outerRef(name: string): OuterRef {
  return new OuterRef(name);
}

/** Resolves the outer references of `inner` against `outer`. */
function bindOuterRefs(
  inner: Query,
  outer: Query,
  options: ResolveOptions,
): Map<string, ResolvedExpr> {
  const refs = new Map<string, ResolvedExpr>();
  for (const name of inner.outerRefs)
    refs.set(name, outer.resolveExpression(new FieldRef(name), options.allowJoins));
  return refs;
}

/**
 * A QuerySet of one column used as a value: the latest review's rating per
 * book, an author's best-selling title…
 *
 * @example
 * ```ts
 * const latest = Review.objects.filter({ book: new OuterRef('pk') }).orderBy('-createdAt');
 * Book.objects.annotate({ lastRating: new Subquery(latest.values('rating').slice(0, 1)) });
 * ```
 */
export class Subquery<V = unknown> extends Expression<V> {
  constructor(
    readonly queryset: QuerySet<any, any>,
    readonly options: { outputField?: Field } = {},
  ) {
    super();
  }

  /** The inner query, selecting exactly one column. */
  protected innerQuery(): Query {
    const inner = this.queryset._query.clone();
    if (!inner.valueSelect) inner.setValues(['pk']);
    if (inner.valueSelect!.length !== 1)
      throw new FieldError('Subquery returned more than one column: select one with values().');
    return inner;
  }

  override resolveExpression(query: Query, options: ResolveOptions): ResolvedNode {
    const inner = this.innerQuery();
    const refs = bindOuterRefs(inner, query, options);
    const selected = inner.valueSelect![0]!;
    const outputField =
      this.options.outputField ??
      (selected.expr ? outputFieldOf(selected.expr) : selected.col.field);
    return {
      kind: 'node',
      expression: this,
      outputField,
      args: [],
      containsAggregate: false,
      containsWindow: false,
      asSql: (compiler) => {
        const sub = compiler.compileSubquery(inner, refs);
        return { sql: `(${sub.sql})`, params: sub.params };
      },
    };
  }
}

/**
 * Whether a QuerySet has any row: `EXISTS (…)`, usable in `annotate()` and
 * directly in `filter()`; `.not()` negates it.
 *
 * @example
 * ```ts
 * const good = Book.objects.filter({ author: new OuterRef('pk'), rating__gte: 4 });
 * await Author.objects.filter(new Exists(good));
 * ```
 */
export class Exists extends Subquery<boolean> {
  constructor(
    queryset: QuerySet<any, any>,
    readonly negated = false,
  ) {
    super(queryset);
  }

  /** `NOT EXISTS (…)`. */
  not(): Exists {
    return new Exists(this.queryset, !this.negated);
  }

  override resolveExpression(query: Query, options: ResolveOptions): ResolvedNode {
    const inner = this.queryset._query.clone();
    const refs = bindOuterRefs(inner, query, options);
    return {
      kind: 'node',
      expression: this,
      outputField: BOOLEAN,
      args: [],
      containsAggregate: false,
      containsWindow: false,
      asSql: (compiler) => {
        const sub = compiler.compileSubquery(inner, refs, { exists: true });
        return { sql: `${this.negated ? 'NOT ' : ''}EXISTS(${sub.sql})`, params: sub.params };
      },
    };
  }
}
