/**
 * Window functions (Django's `Window` and `django.db.models.functions.window`):
 * `Window(RowNumber(), { partitionBy, orderBy })`, ranking, offsets and
 * aggregates computed over a partition of the rows, without grouping them.
 */
import type { OrderBy } from '../expressions.js';
import {
  Expression,
  Func,
  toExpression,
  type ExpressionArg,
  type FuncOptions,
  type ResolveOptions,
} from '../expressions.js';
import type { Field } from '../fields/field.js';
import { FloatField, IntegerField } from '../fields/numeric.js';
import type { SqlFragment } from '../sql/fragment.js';
import type { OrderTerm, Query, ResolvedExpr, ResolvedNode } from '../sql/query.js';

const INTEGER = IntegerField();
const FLOAT = FloatField();

/** Options of {@link Window}. */
export interface WindowOptions {
  /** The partitions (`PARTITION BY`): field names or expressions. */
  readonly partitionBy?: ExpressionArg | readonly ExpressionArg[];
  /** The order within a partition: `'-rating'`, `F('x').desc()`… */
  readonly orderBy?: string | OrderBy | Expression | readonly (string | OrderBy | Expression)[];
}

/**
 * An expression computed over a window of rows: `expr OVER (PARTITION BY …
 * ORDER BY …)`. Windows are not allowed in filters, as in Django.
 *
 * @example
 * ```ts
 * Book.objects.annotate({
 *   rank: new Window(new Rank(), { partitionBy: 'author', orderBy: '-rating' }),
 * });
 * ```
 */
export class Window<V = unknown> extends Expression<V> {
  constructor(
    readonly expression: Expression<V>,
    readonly options: WindowOptions = {},
  ) {
    super();
  }

  override resolveExpression(query: Query, options: ResolveOptions): ResolvedNode {
    const source = query.resolveExpression(this.expression, options.allowJoins, options);
    const list = <T>(v: T | readonly T[] | undefined): readonly T[] =>
      v === undefined ? [] : Array.isArray(v) ? (v as readonly T[]) : [v as T];
    const partitions: ResolvedExpr[] = list(this.options.partitionBy).map((p) =>
      query.resolveExpression(toExpression(p), options.allowJoins, options),
    );
    const order: OrderTerm[] = list(this.options.orderBy).map((t) => query.resolveOrderTerm(t));
    return {
      kind: 'node',
      expression: this,
      outputField:
        source.kind === 'node' ? source.outputField : source.kind === 'col' ? source.field : null,
      args: [source, ...partitions],
      // The aggregate inside a window does not group the query.
      containsAggregate: false,
      containsWindow: true,
      asSql: (compiler) => {
        const fn = compiler.compileExpr(source);
        const clauses: string[] = [];
        const params = [...fn.params];
        if (partitions.length) {
          const parts = partitions.map((p) => compiler.compileExpr(p));
          clauses.push(`PARTITION BY ${parts.map((p) => p.sql).join(', ')}`);
          params.push(...parts.flatMap((p) => p.params));
        }
        if (order.length) {
          const o = compiler.compileOrderTerms(order);
          clauses.push(`ORDER BY ${o.sql}`);
          params.push(...o.params);
        }
        return { sql: `${fn.sql} OVER (${clauses.join(' ')})`, params } satisfies SqlFragment;
      },
    };
  }
}

/** A window function of no argument with a fixed output. */
abstract class RankingFunction<V> extends Func<V> {
  constructor(options: FuncOptions = {}) {
    super([], options);
  }
  override get isWindow(): boolean {
    return true;
  }
}

/** The row's number within its partition, from 1. */
export class RowNumber extends RankingFunction<number> {
  override readonly functionName = 'ROW_NUMBER';
  override defaultOutputField(): Field {
    return INTEGER;
  }
}

/** The rank with gaps (1, 1, 3). */
export class Rank extends RankingFunction<number> {
  override readonly functionName = 'RANK';
  override defaultOutputField(): Field {
    return INTEGER;
  }
}

/** The rank without gaps (1, 1, 2). */
export class DenseRank extends RankingFunction<number> {
  override readonly functionName = 'DENSE_RANK';
  override defaultOutputField(): Field {
    return INTEGER;
  }
}

/** The relative rank, from 0 to 1. */
export class PercentRank extends RankingFunction<number> {
  override readonly functionName = 'PERCENT_RANK';
  override defaultOutputField(): Field {
    return FLOAT;
  }
}

/** The cumulative distribution, from 0 to 1. */
export class CumeDist extends RankingFunction<number> {
  override readonly functionName = 'CUME_DIST';
  override defaultOutputField(): Field {
    return FLOAT;
  }
}

/** Validates a count or offset (a positive integer, written into the SQL as a number). */
function positiveInteger(name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min)
    throw new TypeError(
      `${name} must be ${min === 1 ? 'greater than zero' : 'a non-negative integer'}.`,
    );
  return value;
}

/**
 * The bucket number (1 to `buckets`) of the row in its partition.
 * (The count is checked to be an integer and written as a literal: MariaDB
 * and MySQL accept no parameter there.)
 */
export class NTile extends RankingFunction<number> {
  override readonly functionName = 'NTILE';
  readonly buckets: number;
  constructor(buckets = 1) {
    super();
    this.buckets = positiveInteger('num_buckets', buckets);
  }
  override defaultOutputField(): Field {
    return INTEGER;
  }
  override asSqlFor(): SqlFragment {
    return { sql: `NTILE(${this.buckets})`, params: [] };
  }
}

/** A value of another row of the partition, `offset` rows before (`Lag`) or after (`Lead`). */
abstract class OffsetFunction<V> extends Func<V> {
  readonly offset: number;
  constructor(
    expression: ExpressionArg,
    offset = 1,
    defaultValue?: unknown,
    options: FuncOptions = {},
  ) {
    super(defaultValue === undefined ? [expression] : [expression, defaultValue], options);
    this.offset = positiveInteger(`${new.target.name}'s offset`, offset, 0);
  }
  override get isWindow(): boolean {
    return true;
  }
  override asSqlFor(compiler: Parameters<Func<V>['asSqlFor']>[0], node: ResolvedNode): SqlFragment {
    const [value, fallback] = node.args.map((a) => compiler.compileExpr(a));
    // The offset is a checked integer written as a literal (MariaDB/MySQL take no parameter there).
    const sql = `${this.functionName}(${value!.sql}, ${this.offset}${fallback ? `, ${fallback.sql}` : ''})`;
    return { sql, params: [...value!.params, ...(fallback?.params ?? [])] };
  }
}

/** The value `offset` rows before, or `defaultValue` (null). */
export class Lag<V = unknown> extends OffsetFunction<V | null> {
  override readonly functionName = 'LAG';
}

/** The value `offset` rows after, or `defaultValue` (null). */
export class Lead<V = unknown> extends OffsetFunction<V | null> {
  override readonly functionName = 'LEAD';
}

/** The first value of the window frame. */
export class FirstValue<V = unknown> extends Func<V> {
  override readonly functionName = 'FIRST_VALUE';
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super([expression], options);
  }
  override get isWindow(): boolean {
    return true;
  }
}

/** The last value of the window frame. */
export class LastValue<V = unknown> extends Func<V> {
  override readonly functionName = 'LAST_VALUE';
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super([expression], options);
  }
  override get isWindow(): boolean {
    return true;
  }
}

/** The `nth` value of the window frame. */
export class NthValue<V = unknown> extends Func<V | null> {
  override readonly functionName = 'NTH_VALUE';
  readonly nth: number;
  constructor(expression: ExpressionArg, nth = 1, options: FuncOptions = {}) {
    super([expression], options);
    this.nth = positiveInteger('NthValue requires a positive integer as for nth', nth);
  }
  override get isWindow(): boolean {
    return true;
  }
  override asSqlFor(compiler: Parameters<Func<V>['asSqlFor']>[0], node: ResolvedNode): SqlFragment {
    const value = compiler.compileExpr(node.args[0]!);
    return { sql: `NTH_VALUE(${value.sql}, ${this.nth})`, params: value.params };
  }
}
