/**
 * The pieces of `annotate` and `aggregate` that are not the query tree's:
 * naming (Django's default aliases) and aggregating over a subquery.
 */
import { FieldError } from '../../../core/exceptions.js';
import { Aggregate } from '../aggregates.js';
import { Expression, FieldRef, Func, outputFieldOf } from '../expressions.js';
import type { ColRef, Query, ResolvedNode } from './query.js';

/** The alias `aggregate()`/`annotate()` runs the subquery under. */
export const SUBQUERY_ALIAS = 'subquery';

/**
 * `[name, expression]` pairs from positional expressions (named by their
 * default alias) and objects of named ones.
 */
export function namedExpressions(
  args: readonly (Expression | Readonly<Record<string, Expression>>)[],
  method: string,
): [string, Expression][] {
  const pairs: [string, Expression][] = [];
  for (const arg of args) {
    if (arg instanceof Expression) {
      if (!(arg instanceof Aggregate))
        throw new TypeError(
          `Complex ${method === 'aggregate' ? 'aggregates' : 'annotations'} require an alias`,
        );
      pairs.push([arg.defaultAlias, arg]);
    } else {
      for (const [name, expr] of Object.entries(arg)) {
        if (!(expr instanceof Expression))
          throw new TypeError(`QuerySet.${method}() received non-expression(s): ${name}.`);
        pairs.push([name, expr]);
      }
    }
  }
  return pairs;
}

/** True when an (unresolved) expression is or contains an aggregate. */
export function containsAggregateExpr(expr: Expression): boolean {
  if (expr instanceof Aggregate) return true;
  return expr instanceof Func && expr.sourceExpressions.some(containsAggregateExpr);
}

/**
 * An aggregate over the rows of `query` run as a subquery (Django's
 * `get_aggregation` when the query is grouped, distinct or sliced): its
 * source names a column of the subquery (an annotation, or a field, which is
 * added to the subquery's select).
 */
export function aggregateOverSubquery(query: Query, aggregate: Aggregate<unknown>): ResolvedNode {
  if (!(aggregate instanceof Aggregate))
    throw new FieldError('Only plain aggregates can be computed over a grouped or sliced query.');
  const source = aggregate.sourceExpressions[0];
  if (!(source instanceof FieldRef) || aggregate.filter)
    throw new FieldError(
      `Cannot compute ${aggregate.name}() over a grouped, distinct or sliced query unless its argument names an annotation or a field.`,
    );
  const annotation = query.annotations.get(source.name);
  let col: ColRef;
  if (annotation) {
    query.annotationSelect.add(source.name);
    col = {
      kind: 'col',
      alias: SUBQUERY_ALIAS,
      column: source.name,
      field: outputFieldOf(annotation) as ColRef['field'],
    };
  } else {
    const field = query.model._meta.getField(source.name);
    col = { kind: 'col', alias: SUBQUERY_ALIAS, column: field.column, field };
  }
  return aggregate.resolveOver([col]);
}
