/**
 * Q objects and F expressions (Django's `Q` and `F`): conditions combined
 * with and/or/not, and references to fields usable in filters, updates and
 * ordering, with arithmetic.
 */

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

/** An expression usable in filters, updates and ordering. */
export abstract class Expression {
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
export class FieldRef extends Expression {
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
export class Value extends Expression {
  constructor(readonly value: unknown) {
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
