/**
 * Conditional expressions (Django's `Case` and `When`): a value chosen by
 * conditions written as lookups or `Q`, usable in annotate, filter, orderBy
 * and update.
 */
import { FieldError } from '../../core/exceptions.js';
import {
  Expression,
  QNode,
  containsAggregate,
  containsWindow,
  outputFieldOf,
  toExpression,
  type ResolveOptions,
} from './expressions.js';
import type { Field } from './fields/field.js';
import { EmptyResultSet } from './lookups.js';
import type { SqlFragment } from './sql/fragment.js';
import type {
  ExpressionCompiler,
  Query,
  ResolvedExpr,
  ResolvedNode,
  WhereNode,
} from './sql/query.js';

/**
 * One branch of a `Case`: the condition (lookups or `Q`) and its result.
 * As in Django, a string result names a field; use `Value('text')` for text.
 */
export class When<V = unknown> {
  readonly condition: QNode;
  readonly then: Expression;

  constructor(condition: QNode | Readonly<Record<string, unknown>>, options: { then: unknown }) {
    this.condition = condition instanceof QNode ? condition : new QNode(condition);
    if (!this.condition.children.length)
      throw new TypeError("An empty Q() can't be used as a When() condition.");
    this.then = toExpression(options.then);
  }

  /** Phantom (never set): the result type. */
  declare readonly __value: V;
}

/**
 * The result of the first `When` whose condition holds, else `default`
 * (null when none).
 *
 * @example
 * ```ts
 * Book.objects.annotate({
 *   band: new Case(
 *     new When({ rating__gte: 4.5 }, { then: Value('great') }),
 *     new When({ rating__gte: 3.5 }, { then: Value('good') }),
 *     { default: Value('other') },
 *   ),
 * });
 * ```
 */
export class Case<V = unknown> extends Expression<V> {
  readonly whens: readonly When[];
  readonly defaultValue: Expression | null;
  readonly outputField: Field | undefined;

  constructor(...args: (When | { default?: unknown; outputField?: Field })[]) {
    super();
    const last = args.at(-1);
    const options = last && !(last instanceof When) ? last : {};
    this.whens = args.filter((a): a is When => a instanceof When);
    this.defaultValue = 'default' in options ? toExpression(options.default) : null;
    this.outputField = options.outputField;
  }

  override resolveExpression(query: Query, options: ResolveOptions): ResolvedNode {
    const branches: { where: WhereNode; then: ResolvedExpr }[] = this.whens.map((w) => ({
      where: query.buildWhere(w.condition),
      then: query.resolveExpression(w.then, options.allowJoins, options),
    }));
    const fallback = this.defaultValue
      ? query.resolveExpression(this.defaultValue, options.allowJoins, options)
      : null;
    const results = [...branches.map((b) => b.then), ...(fallback ? [fallback] : [])];
    let outputField = this.outputField ?? null;
    if (!outputField) {
      const fields = results.map(outputFieldOf).filter((f): f is Field => !!f);
      if (fields.some((f) => f.constructor !== fields[0]!.constructor))
        throw new FieldError('Expression contains mixed types: set outputField on the Case.');
      outputField = fields[0] ?? null;
    }
    return {
      kind: 'node',
      expression: this,
      outputField,
      args: results,
      containsAggregate: results.some(containsAggregate),
      containsWindow: results.some(containsWindow),
      asSql: (compiler) => compileCase(compiler, branches, fallback),
    };
  }
}

function compileCase(
  compiler: ExpressionCompiler,
  branches: readonly { where: WhereNode; then: ResolvedExpr }[],
  fallback: ResolvedExpr | null,
): SqlFragment {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const b of branches) {
    let condition: SqlFragment;
    try {
      condition = compiler.compileWhere(b.where);
    } catch (e) {
      // A branch that can match nothing is left out, as in Django.
      if (e instanceof EmptyResultSet) continue;
      throw e;
    }
    const result = compiler.compileExpr(b.then);
    parts.push(`WHEN ${condition.sql || '1 = 1'} THEN ${result.sql}`);
    params.push(...condition.params, ...result.params);
  }
  const otherwise = fallback ? compiler.compileExpr(fallback) : { sql: 'NULL', params: [] };
  if (!parts.length) return otherwise;
  return {
    sql: `CASE ${parts.join(' ')} ELSE ${otherwise.sql} END`,
    params: [...params, ...otherwise.params],
  };
}
