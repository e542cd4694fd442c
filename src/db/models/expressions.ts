/**
 * Q objects and F expressions (Django's `Q` and `F`): conditions combined
 * with and/or/not, and references to fields usable in filters, updates and
 * ordering, with arithmetic.
 *
 * Every expression is resolved against a query (names become columns and
 * joins) into a `ResolvedExpr`, which a backend's compiler turns into SQL.
 * Field references, arithmetic and values are resolved by the query itself;
 * every other expression (functions, aggregates, subqueries…) implements
 * `resolveExpression` and returns a `ResolvedNode` that compiles itself.
 */
import { FieldError } from '../../core/exceptions.js';
import type { Field } from './fields/field.js';
import type { ExpressionCompiler, Query, ResolvedExpr, ResolvedNode } from './sql/query.js';
import type { SqlFragment } from './sql/fragment.js';

/** A condition: lookups (`{ title__icontains: 'x' }`) combined with `and`, `or`, `not`. */
export class QNode {
  readonly connector: 'AND' | 'OR';
  readonly negated: boolean;
  readonly children: readonly (QNode | readonly [string, unknown])[];

  constructor(
    lookups: Readonly<Record<string, unknown>> = {},
    options: {
      connector?: 'AND' | 'OR';
      negated?: boolean;
      children?: readonly (QNode | readonly [string, unknown])[];
    } = {},
  ) {
    this.connector = options.connector ?? 'AND';
    this.negated = options.negated ?? false;
    this.children = options.children ?? Object.entries(lookups).map(([k, v]) => [k, v] as const);
  }

  private combine(other: QNode, connector: 'AND' | 'OR'): QNode {
    if (!other.children.length) return this;
    if (!this.children.length) return other;
    return new QNode({}, { connector, children: [this, other] });
  }

  /** `this AND other` (Django's `&`). */
  and(other: QNode): QNode {
    return this.combine(other, 'AND');
  }

  /** `this OR other` (Django's `|`). */
  or(other: QNode): QNode {
    return this.combine(other, 'OR');
  }

  /** `NOT this` (Django's `~`). */
  not(): QNode {
    return new QNode({}, { children: [this], negated: true });
  }
}

/**
 * A condition from lookups; `Q({ a: 1 }).or(Q({ b: 2 }))`.
 *
 * @example
 * ```ts
 * Book.objects.filter(Q({ rating__gte: 4 }).or(Q({ sales__gte: 10_000 })));
 * ```
 */
export function Q(lookups: Readonly<Record<string, unknown>> = {}): QNode {
  return new QNode(lookups);
}
/** The type of `Q(...)`. */
export type Q = QNode;

/** An arithmetic operator of combined expressions. */
export type Operator = '+' | '-' | '*' | '/' | '%';

/** How an expression is being resolved. */
export interface ResolveOptions {
  /** False where joins are not allowed (UPDATE values). */
  readonly allowJoins: boolean;
  /** Make the joins LEFT OUTER (annotations: rows without related rows stay). */
  readonly outer?: boolean;
  /** Reuse any existing join, multi-valued ones included (annotations, as Django's). */
  readonly reuseAll?: boolean;
}

/**
 * An expression usable in filters, updates, ordering and annotations. `V` is
 * the type of its value in results (phantom: used by the annotation types).
 */
export abstract class Expression<V = unknown> {
  /** Phantom (never set): the value type, for type inference. */
  declare readonly __value: V;

  /**
   * Resolves against `query` (adding joins for related names). Field
   * references, arithmetic and values are handled by the query; other
   * expressions override this.
   */
  resolveExpression(query: Query, options: ResolveOptions): ResolvedExpr {
    void query;
    void options;
    throw new TypeError(`${this.constructor.name} cannot be used in a query.`);
  }

  /** `this + other`. */
  add(other: unknown): CombinedExpression {
    return new CombinedExpression(this, '+', other);
  }
  /** `this - other`. */
  sub(other: unknown): CombinedExpression {
    return new CombinedExpression(this, '-', other);
  }
  /** `this * other`. */
  mul(other: unknown): CombinedExpression {
    return new CombinedExpression(this, '*', other);
  }
  /** `this / other`. */
  div(other: unknown): CombinedExpression {
    return new CombinedExpression(this, '/', other);
  }
  /** `this % other`. */
  mod(other: unknown): CombinedExpression {
    return new CombinedExpression(this, '%', other);
  }
  /** Ascending order, for `orderBy`. */
  asc(options: { nullsFirst?: boolean; nullsLast?: boolean } = {}): OrderBy {
    return new OrderBy(this, false, options);
  }
  /** Descending order, for `orderBy`. */
  desc(options: { nullsFirst?: boolean; nullsLast?: boolean } = {}): OrderBy {
    return new OrderBy(this, true, options);
  }
}

/** A reference to a field, possibly across relations (`F('author__name')`). */
export class FieldRef<V = unknown> extends Expression<V> {
  constructor(readonly name: string) {
    super();
  }
}

/** Two expressions joined by an arithmetic operator. */
export class CombinedExpression extends Expression {
  constructor(
    readonly lhs: unknown,
    readonly operator: Operator,
    readonly rhs: unknown,
  ) {
    super();
  }
}

/** A literal value, always a bound parameter. */
export class Value<V = unknown> extends Expression<V> {
  constructor(
    readonly value: V,
    readonly options: { outputField?: Field } = {},
  ) {
    super();
  }
}

/** An ordering term. */
export class OrderBy {
  constructor(
    readonly expression: Expression,
    readonly descending: boolean,
    readonly options: { nullsFirst?: boolean; nullsLast?: boolean } = {},
  ) {}
}

/**
 * A reference to a field's value in the database (Django's `F`).
 *
 * @example
 * ```ts
 * await Book.objects.filter({ sales__gt: F('rating').mul(1000) }).update({ sales: F('sales').add(1) });
 * ```
 */
export function F(name: string): FieldRef {
  return new FieldRef(name);
}

// ---------------------------------------------------------------- functions

/** An argument of a function: an expression, or a field name (as Django's `F(name)`). */
export type ExpressionArg = Expression | string;

/** Turns function arguments into expressions: strings name fields, as in Django. */
export function toExpression(arg: ExpressionArg | unknown): Expression {
  if (arg instanceof Expression) return arg;
  if (typeof arg === 'string') return new FieldRef(arg);
  return new Value(arg);
}

/** The options every function accepts. */
export interface FuncOptions {
  /** The field describing the result (for conversion and type checks); inferred when omitted. */
  readonly outputField?: Field;
}

/**
 * A SQL function call (Django's `Func`): subclasses set `functionName`
 * (and, where SQL differs per backend, override `asSqlFor` or a vendor hook
 * `asSqlite` / `asPostgresql` / `asMysql`). The output field is the
 * `outputField` option, else `defaultOutputField()`, else the common field
 * of the arguments.
 *
 * @example
 * ```ts
 * class Soundex extends Func<string> {
 *   override readonly functionName = 'SOUNDEX';
 * }
 * Author.objects.annotate({ sound: new Soundex('name') });
 * ```
 */
export class Func<V = unknown> extends Expression<V> {
  /** The SQL function's name. */
  readonly functionName: string = '';
  /** The separator between arguments. */
  readonly argJoiner: string = ', ';
  readonly sourceExpressions: readonly Expression[];

  constructor(
    args: readonly (ExpressionArg | unknown)[] = [],
    readonly options: FuncOptions = {},
  ) {
    super();
    this.sourceExpressions = args.map(toExpression);
  }

  /** The output field when no `outputField` option is given; null to infer it from the arguments. */
  defaultOutputField(sources: readonly (Field | null)[]): Field | null {
    void sources;
    return null;
  }

  /** True for aggregates (they make the query grouped). */
  get isAggregate(): boolean {
    return false;
  }

  /** True for window expressions. */
  get isWindow(): boolean {
    return false;
  }

  override resolveExpression(query: Query, options: ResolveOptions): ResolvedNode {
    const args = this.sourceExpressions.map((e) =>
      query.resolveExpression(e, options.allowJoins, options),
    );
    return this.makeNode(args);
  }

  /** The resolved node for resolved arguments (subclasses that resolve more call it). */
  protected makeNode(args: readonly ResolvedExpr[]): ResolvedNode {
    const sources = args.map(outputFieldOf);
    const outputField =
      this.options.outputField ?? this.defaultOutputField(sources) ?? commonField(this, sources);
    const node: ResolvedNode = {
      kind: 'node',
      expression: this,
      outputField,
      args,
      containsAggregate: this.isAggregate || args.some(containsAggregate),
      containsWindow: this.isWindow || args.some(containsWindow),
      asSql: (compiler) => this.compileNode(compiler, node),
    };
    return node;
  }

  /** Compiles through the backend's hook (`asSqlite`, `asPostgresql`, `asMysql`) when the class has one. */
  private compileNode(compiler: ExpressionCompiler, node: ResolvedNode): SqlFragment {
    const vendor = compiler.connection.vendor;
    const hook = `as${vendor[0]!.toUpperCase()}${vendor.slice(1)}`;
    const special = (this as unknown as Record<string, unknown>)[hook];
    return typeof special === 'function'
      ? (special as (c: ExpressionCompiler, n: ResolvedNode) => SqlFragment).call(
          this,
          compiler,
          node,
        )
      : this.asSqlFor(compiler, node);
  }

  /** `NAME(arg, arg, …)`: the SQL of the call, the same on every backend unless overridden. */
  asSqlFor(compiler: ExpressionCompiler, node: ResolvedNode): SqlFragment {
    const parts = node.args.map((a) => compiler.compileExpr(a));
    return {
      sql: `${this.functionName}(${parts.map((p) => p.sql).join(this.argJoiner)})`,
      params: parts.flatMap((p) => p.params),
    };
  }
}

/** The field describing a resolved expression's value; null when unknown (a bare value). */
export function outputFieldOf(expr: ResolvedExpr): Field | null {
  switch (expr.kind) {
    case 'col':
      return expr.field;
    case 'value':
      return null;
    case 'combined':
      return outputFieldOf(expr.lhs) ?? outputFieldOf(expr.rhs);
    case 'node':
      return expr.outputField;
  }
}

/** True when an aggregate occurs in the expression. */
export function containsAggregate(expr: ResolvedExpr): boolean {
  if (expr.kind === 'combined') return containsAggregate(expr.lhs) || containsAggregate(expr.rhs);
  return expr.kind === 'node' && expr.containsAggregate;
}

/** True when a window function occurs in the expression. */
export function containsWindow(expr: ResolvedExpr): boolean {
  if (expr.kind === 'combined') return containsWindow(expr.lhs) || containsWindow(expr.rhs);
  return expr.kind === 'node' && expr.containsWindow;
}

/**
 * The arguments' common field (Django's `_resolve_output_field`): arguments
 * of different kinds need an explicit `outputField`.
 */
function commonField(func: Func<unknown>, sources: readonly (Field | null)[]): Field | null {
  const known = sources.filter((f): f is Field => f !== null);
  const first = known[0];
  if (!first) return null;
  for (const f of known) {
    if (f.constructor !== first.constructor) {
      throw new FieldError(
        `Expression contains mixed types: ${first.constructor.name.replace(/Impl$/, '')}, ${f.constructor.name.replace(/Impl$/, '')}. You must set outputField (in ${func.constructor.name}).`,
      );
    }
  }
  return first;
}
