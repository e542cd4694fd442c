/**
 * Aggregate functions (Django's `django.db.models.aggregates`): `Count`,
 * `Sum`, `Avg`, `Min`, `Max`, `StdDev` and `Variance`, with `distinct`,
 * conditional `filter` (SQL `FILTER (WHERE …)` where the backend has it,
 * `CASE WHEN … END` elsewhere) and `default` (the value when no row matches).
 */
import { FieldError, ValueError } from '../../core/exceptions.js';
import type { Expression } from './expressions.js';
import { FieldRef, Func, containsAggregate, type ResolveOptions, QNode } from './expressions.js';
import type { Field } from './fields/field.js';
import { DecimalFieldImpl, FloatField, IntegerField } from './fields/numeric.js';
import { EmptyResultSet } from './lookups.js';
import type { SqlFragment } from './sql/fragment.js';
import type {
  ExpressionCompiler,
  Query,
  ResolvedExpr,
  ResolvedNode,
  WhereNode,
} from './sql/query.js';

/** Options of every aggregate. */
export interface AggregateOptions {
  /** Aggregate distinct values only (`COUNT(DISTINCT …)`). */
  readonly distinct?: boolean;
  /** Aggregate only the rows matching these lookups (conditional aggregation). */
  readonly filter?: QNode | Readonly<Record<string, unknown>>;
  /** The result when no row is aggregated, instead of null (Django 4.0's `default`). */
  readonly default?: unknown;
  /** The field describing the result. */
  readonly outputField?: Field;
}

const INTEGER = IntegerField();
const FLOAT = FloatField();

/**
 * The base of aggregates. `S` is the source field's name, which makes the
 * default result key (`rating__avg`); `K` the lowercase name in that key.
 */
export abstract class Aggregate<
  V,
  S extends string = string,
  K extends string = string,
> extends Func<V> {
  /** Phantom (never set): the name part of the default alias. */
  declare readonly __aggregateName: K;
  /** Phantom (never set): the source name part of the default alias. */
  declare readonly __source: S;
  /** The name in messages and default aliases (`Avg`). */
  abstract readonly name: string;
  /** Whether `distinct: true` is allowed. */
  readonly allowDistinct: boolean = false;
  readonly distinct: boolean;
  readonly filter: QNode | null;
  readonly defaultValue: unknown;

  constructor(
    readonly source: S | Expression,
    options: AggregateOptions = {},
  ) {
    super([source], options.outputField ? { outputField: options.outputField } : {});
    this.distinct = options.distinct ?? false;
    const filter = options.filter;
    this.filter =
      filter === undefined ? null : filter instanceof QNode ? filter : new QNode(filter);
    this.defaultValue = options.default ?? null;
  }

  override get isAggregate(): boolean {
    return true;
  }

  /** The key `aggregate()` and `annotate()` use when none is given (`rating__avg`). */
  get defaultAlias(): string {
    const source = this.sourceExpressions[0];
    if (source instanceof FieldRef) return `${source.name}__${this.name.toLowerCase()}`;
    throw new TypeError('Complex expressions require an alias');
  }

  override resolveExpression(query: Query, options: ResolveOptions): ResolvedNode {
    if (this.distinct && !this.allowDistinct) {
      throw new TypeError(`${this.name} does not allow distinct.`);
    }
    const args = this.sourceExpressions.map((e) =>
      query.resolveExpression(e, options.allowJoins, { outer: true, reuseAll: true }),
    );
    const nested = args.findIndex(containsAggregate);
    if (nested >= 0) {
      const source = this.sourceExpressions[nested];
      const label = source instanceof FieldRef ? source.name : String(source);
      throw new FieldError(`Cannot compute ${this.name}('${label}'): '${label}' is an aggregate`);
    }
    const node = this.makeNode(args);
    const where = this.filter ? query.buildWhere(this.filter) : null;
    return { ...node, asSql: (compiler) => this.compileAggregate(compiler, node, where) };
  }

  /**
   * The resolved aggregate of already resolved arguments (columns of a
   * subquery, for `aggregate()` over a grouped query).
   */
  resolveOver(args: readonly ResolvedExpr[]): ResolvedNode {
    const node = this.makeNode(args);
    return { ...node, asSql: (compiler) => this.compileAggregate(compiler, node, null) };
  }

  /** The SQL function's name for this backend. */
  protected sqlFunction(compiler: ExpressionCompiler): string {
    void compiler;
    return this.functionName;
  }

  private compileAggregate(
    compiler: ExpressionCompiler,
    node: ResolvedNode,
    where: WhereNode | null,
  ): SqlFragment {
    let arg: SqlFragment = this.compileArgument(compiler, node);
    let filterClause = '';
    const params: unknown[] = [];
    const condition = where ? compileCondition(compiler, where) : null;
    if (condition) {
      {
        if (compiler.connection.features.supportsAggregateFilterClause) {
          filterClause = ` FILTER (WHERE ${condition.sql})`;
          params.push(...condition.params);
        } else {
          arg = {
            sql: `CASE WHEN ${condition.sql} THEN ${arg.sql} ELSE NULL END`,
            params: [...condition.params, ...arg.params],
          };
        }
      }
    }
    const sql = `${this.sqlFunction(compiler)}(${this.distinct ? 'DISTINCT ' : ''}${arg.sql})${filterClause}`;
    const fragment = { sql, params: [...arg.params, ...params] };
    if (this.defaultValue === null) return fragment;
    return {
      sql: `COALESCE(${fragment.sql}, ${'\0'})`,
      params: [...fragment.params, this.defaultValue],
    };
  }

  /** The aggregated argument's SQL. */
  protected compileArgument(compiler: ExpressionCompiler, node: ResolvedNode): SqlFragment {
    return compiler.compileExpr(node.args[0]!);
  }
}

/** The number of rows, or of non-null (distinct) values: `Count('books', { distinct: true })`, `Count('*')`. */
export class CountAggregate<S extends string = string> extends Aggregate<number, S, 'count'> {
  override readonly functionName = 'COUNT';
  readonly name = 'Count';
  override readonly allowDistinct = true;

  constructor(source: S | Expression, options: AggregateOptions = {}) {
    super(source, options);
    if (source === '*' && options.distinct)
      throw new ValueError('Star cannot be used with distinct.');
  }

  override defaultOutputField(): Field {
    return INTEGER;
  }

  override resolveExpression(query: Query, options: ResolveOptions): ResolvedNode {
    if (this.source !== '*') return super.resolveExpression(query, options);
    // COUNT(*): no column to resolve; a filter counts the matching rows (`CASE WHEN … THEN 1`).
    const node = this.makeNode([]);
    const where = this.filter ? query.buildWhere(this.filter) : null;
    return {
      ...node,
      asSql: (compiler) => {
        const condition = where ? compileCondition(compiler, where) : null;
        if (!condition) return { sql: 'COUNT(*)', params: [] };
        if (compiler.connection.features.supportsAggregateFilterClause)
          return { sql: `COUNT(*) FILTER (WHERE ${condition.sql})`, params: condition.params };
        return {
          sql: `COUNT(CASE WHEN ${condition.sql} THEN 1 ELSE NULL END)`,
          params: condition.params,
        };
      },
    };
  }

  override get defaultAlias(): string {
    if (this.source === '*') throw new TypeError('Complex aggregates require an alias');
    return super.defaultAlias;
  }
}

/** A filter's SQL; `1 = 0` when it can match nothing, null when it matches everything. */
function compileCondition(compiler: ExpressionCompiler, where: WhereNode): SqlFragment | null {
  try {
    const condition = compiler.compileWhere(where);
    return condition.sql ? condition : null;
  } catch (e) {
    if (!(e instanceof EmptyResultSet)) throw e;
    return { sql: '1 = 0', params: [] };
  }
}

/** The sum of the values (null for no rows unless `default`). */
export class SumAggregate<S extends string = string> extends Aggregate<number | null, S, 'sum'> {
  override readonly functionName = 'SUM';
  readonly name = 'Sum';
  override readonly allowDistinct = true;
}

/** The mean: a float (a decimal for a decimal field), null for no rows. */
export class AvgAggregate<S extends string = string> extends Aggregate<number | null, S, 'avg'> {
  override readonly functionName = 'AVG';
  readonly name = 'Avg';
  override readonly allowDistinct = true;

  override defaultOutputField(sources: readonly (Field | null)[]): Field {
    return sources[0] instanceof DecimalFieldImpl ? sources[0] : FLOAT;
  }
}

/** The smallest value. */
export class MinAggregate<S extends string = string, V = number | string | null> extends Aggregate<
  V,
  S,
  'min'
> {
  override readonly functionName = 'MIN';
  readonly name = 'Min';
}

/** The largest value. */
export class MaxAggregate<S extends string = string, V = number | string | null> extends Aggregate<
  V,
  S,
  'max'
> {
  override readonly functionName = 'MAX';
  readonly name = 'Max';
}

/** The standard deviation (population; `{ sample: true }` for the sample's). */
export class StdDevAggregate<S extends string = string> extends Aggregate<
  number | null,
  S,
  'stddev'
> {
  override readonly functionName = 'STDDEV_POP';
  readonly name = 'StdDev';
  readonly sample: boolean;

  constructor(source: S | Expression, options: AggregateOptions & { sample?: boolean } = {}) {
    super(source, options);
    this.sample = options.sample ?? false;
  }

  override defaultOutputField(): Field {
    return FLOAT;
  }

  protected override sqlFunction(): string {
    return this.sample ? 'STDDEV_SAMP' : 'STDDEV_POP';
  }
}

/** The variance (population; `{ sample: true }` for the sample's). */
export class VarianceAggregate<S extends string = string> extends Aggregate<
  number | null,
  S,
  'variance'
> {
  override readonly functionName = 'VAR_POP';
  readonly name = 'Variance';
  readonly sample: boolean;

  constructor(source: S | Expression, options: AggregateOptions & { sample?: boolean } = {}) {
    super(source, options);
    this.sample = options.sample ?? false;
  }

  override defaultOutputField(): Field {
    return FLOAT;
  }

  protected override sqlFunction(): string {
    return this.sample ? 'VAR_SAMP' : 'VAR_POP';
  }
}

/**
 * A class callable without `new`, as Django's aggregates are written
 * (`Count('books')`); `instanceof` still works.
 */
function callable<C extends abstract new (...args: any[]) => object>(cls: C): C {
  return new Proxy(cls, {
    apply: (target, _this, args: unknown[]) =>
      new (target as unknown as new (...a: unknown[]) => object)(...args),
  });
}

type AggregateFactory<A extends abstract new (...args: any[]) => object, Make> = A & Make;

/** `Count('books')`, `Count('books', { distinct: true })`, `Count('*')`: see {@link CountAggregate}. */
export const Count = callable(CountAggregate) as AggregateFactory<
  typeof CountAggregate,
  <S extends string>(source: S | Expression, options?: AggregateOptions) => CountAggregate<S>
>;
export type Count<S extends string = string> = CountAggregate<S>;

/** `Sum('sales')`: see {@link SumAggregate}. */
export const Sum = callable(SumAggregate) as AggregateFactory<
  typeof SumAggregate,
  <S extends string>(source: S | Expression, options?: AggregateOptions) => SumAggregate<S>
>;
export type Sum<S extends string = string> = SumAggregate<S>;

/** `Avg('rating')`: see {@link AvgAggregate}. */
export const Avg = callable(AvgAggregate) as AggregateFactory<
  typeof AvgAggregate,
  <S extends string>(source: S | Expression, options?: AggregateOptions) => AvgAggregate<S>
>;
export type Avg<S extends string = string> = AvgAggregate<S>;

/** `Min('rating')`: see {@link MinAggregate}. */
export const Min = callable(MinAggregate) as AggregateFactory<
  typeof MinAggregate,
  <S extends string>(source: S | Expression, options?: AggregateOptions) => MinAggregate<S>
>;
export type Min<S extends string = string> = MinAggregate<S>;

/** `Max('rating')`: see {@link MaxAggregate}. */
export const Max = callable(MaxAggregate) as AggregateFactory<
  typeof MaxAggregate,
  <S extends string>(source: S | Expression, options?: AggregateOptions) => MaxAggregate<S>
>;
export type Max<S extends string = string> = MaxAggregate<S>;

/** `StdDev('rating', { sample: true })`: see {@link StdDevAggregate}. */
export const StdDev = callable(StdDevAggregate) as AggregateFactory<
  typeof StdDevAggregate,
  <S extends string>(
    source: S | Expression,
    options?: AggregateOptions & { sample?: boolean },
  ) => StdDevAggregate<S>
>;
export type StdDev<S extends string = string> = StdDevAggregate<S>;

/** `Variance('rating', { sample: true })`: see {@link VarianceAggregate}. */
export const Variance = callable(VarianceAggregate) as AggregateFactory<
  typeof VarianceAggregate,
  <S extends string>(
    source: S | Expression,
    options?: AggregateOptions & { sample?: boolean },
  ) => VarianceAggregate<S>
>;
export type Variance<S extends string = string> = VarianceAggregate<S>;
