/**
 * The model-aware query tree (Django's `sql.Query`): which model, which joins,
 * the WHERE tree, ordering, slicing, and what to select. QuerySets build it;
 * a backend's compiler turns it into SQL. Names are resolved (and mistakes
 * reported as `FieldError`) when a filter is added, not when it runs.
 */
import { FieldError, ValueError } from '../../../core/exceptions.js';
import type { ForUpdateOptions } from '../../backends/base/operations.js';
import type { BaseDatabaseWrapper } from '../../backends/base/wrapper.js';
import type { SqlFragment } from './fragment.js';
import type { SelectRelatedSpec } from './select-related.js';
import type { Field } from '../fields/field.js';
import { ForeignKeyImpl, ManyToManyFieldImpl } from '../fields/related.js';
import {
  CombinedExpression,
  containsAggregate,
  containsWindow,
  Expression,
  FieldRef,
  OrderBy,
  outputFieldOf,
  QNode,
  Value,
} from '../expressions.js';
import { TextField } from '../fields/text.js';
import {
  availableLookups,
  findLookup,
  isTransformClass,
  type LookupClass,
  type TransformClass,
} from '../lookups.js';
import type { Options } from '../options.js';
import { jsonKeyTransform } from '../json-lookups.js';
import type { ForeignObjectRel } from '../reverse.js';

/** A model class as the query layer sees it. */
export interface QueryModel {
  readonly name: string;
  readonly _meta: Options;
  readonly prototype: object;
}

/** One JOIN. */
export interface Join {
  readonly alias: string;
  readonly table: string;
  readonly parentAlias: string;
  readonly parentColumn: string;
  readonly column: string;
  joinType: 'INNER' | 'LEFT OUTER';
  /** The join may multiply rows (reverse foreign key, many-to-many). */
  readonly multiValued: boolean;
  /** Identifies the same hop for reuse. */
  readonly key: string;
}

/** A resolved column reference (an `F()` after resolution). */
export interface ColRef {
  readonly kind: 'col';
  readonly alias: string;
  readonly column: string;
  readonly field: Field;
}

/** What a resolved node compiles through: the compiler of the query it is part of. */
export interface ExpressionCompiler {
  readonly connection: BaseDatabaseWrapper;
  /** Compiles any resolved expression (placeholders as `P`). */
  compileExpr(expr: ResolvedExpr): SqlFragment;
  /** Compiles a condition tree (for `filter:` of aggregates, `When`); throws EmptyResultSet when it can match nothing. */
  compileWhere(node: WhereNode): SqlFragment;
  /** Compiles ORDER BY terms (for `Window`), without the keyword. */
  compileOrderTerms(terms: readonly OrderTerm[]): SqlFragment;
  /** Compiles `OuterRef(name)` of a subquery: the outer query's expression. */
  compileOuterRef(name: string): SqlFragment;
  /** Compiles `query` as a subquery of this one (its `OuterRef`s bound to `refs`). */
  compileSubquery(
    query: Query,
    refs: ReadonlyMap<string, ResolvedExpr>,
    options?: { exists?: boolean },
  ): SqlFragment;
}

/**
 * A resolved function, aggregate, subquery or other expression that
 * compiles itself (`Func` and its subclasses make these).
 */
export interface ResolvedNode {
  readonly kind: 'node';
  /** The expression it was resolved from. */
  readonly expression: Expression;
  /** The field describing its value (for conversion and lookups); null when unknown. */
  readonly outputField: Field | null;
  /** Its resolved arguments. */
  readonly args: readonly ResolvedExpr[];
  readonly containsAggregate: boolean;
  readonly containsWindow: boolean;
  asSql(compiler: ExpressionCompiler): SqlFragment;
}

/** A resolved expression tree. */
export type ResolvedExpr =
  | ColRef
  | { readonly kind: 'value'; readonly value: unknown }
  | {
      readonly kind: 'combined';
      readonly lhs: ResolvedExpr;
      readonly operator: string;
      readonly rhs: ResolvedExpr;
    }
  | ResolvedNode;

/** A leaf of the WHERE tree. */
export interface Condition {
  readonly kind: 'condition';
  readonly col: ColRef;
  /** The left-hand side when it is an annotation rather than a column. */
  readonly expr?: ResolvedExpr;
  readonly transforms: readonly TransformClass[];
  readonly lookup: LookupClass;
  /** The field that describes the (transformed) left-hand side. */
  readonly outputField: Field;
  readonly rhs: unknown;
}

/** `outer IN (subquery)`, for negated conditions across multi-valued relations. */
export interface SubqueryCondition {
  readonly kind: 'in-subquery';
  readonly col: ColRef;
  readonly query: Query;
}

/** A node that matches nothing (`in: []`) or everything. */
export interface ConstantCondition {
  readonly kind: 'constant';
  readonly value: boolean;
}

/** A boolean expression used as a condition (`filter(Exists(…))`). */
export interface ExpressionCondition {
  readonly kind: 'expression';
  readonly expr: ResolvedExpr;
}

export type WhereChild =
  Condition | SubqueryCondition | ConstantCondition | ExpressionCondition | WhereNode;

export class WhereNode {
  readonly kind = 'node';
  constructor(
    readonly connector: 'AND' | 'OR' = 'AND',
    readonly negated = false,
    readonly children: WhereChild[] = [],
  ) {}
  clone(): WhereNode {
    return new WhereNode(
      this.connector,
      this.negated,
      this.children.map((c) => (c instanceof WhereNode ? c.clone() : c)),
    );
  }
}

/** One ORDER BY term, resolved. */
export interface OrderTerm {
  readonly expr: ResolvedExpr;
  readonly descending: boolean;
  readonly nullsFirst?: boolean;
  readonly nullsLast?: boolean;
  /** `?`: random order. */
  readonly random?: boolean;
}

/** A hop of a lookup path. */
type Hop =
  | { kind: 'forward'; field: ForeignKeyImpl; target: QueryModel }
  | { kind: 'm2m'; field: ManyToManyFieldImpl; target: QueryModel; reverse: boolean }
  | { kind: 'reverse'; rel: ForeignObjectRel; target: QueryModel };

interface FilterState {
  /** Multi-valued joins made in this filter() call, reused within it. */
  readonly reuse: Map<string, string>;
  /** Inside OR or NOT: joins must be LEFT OUTER. */
  readonly outer: boolean;
  readonly negated: boolean;
  /** Reuse any existing join, multi-valued ones too (annotations and their filters). */
  readonly reuseAll?: boolean;
}

export class Query {
  readonly baseAlias: string;
  joins: Join[] = [];
  where = new WhereNode();
  /** Explicit ordering; null means the model's default ordering. */
  ordering: OrderTerm[] | null = null;
  /** False after `orderBy()` with no arguments: no ORDER BY at all. */
  defaultOrdering = true;
  low = 0;
  high: number | null = null;
  distinct = false;
  distinctFields: ColRef[] = [];
  /** `values()` / `valuesList()`: the selected names and their columns (or annotations). */
  valueSelect: { name: string; col: ColRef; expr?: ResolvedExpr }[] | null = null;
  /** Annotations by name, in the order added (`annotate`, `alias`). */
  annotations = new Map<string, ResolvedExpr>();
  /** The annotations selected (`alias()` ones are not). */
  annotationSelect = new Set<string>();
  /**
   * GROUP BY: `true` groups by the model's columns (an aggregate annotation),
   * a list by those expressions (`values(...).annotate(...)`), null for none.
   */
  groupBy: true | ResolvedExpr[] | null = null;
  /** Conditions on aggregates (HAVING). */
  having = new WhereNode();
  /** Field names loaded for instances (`only`/`defer`); null means all concrete fields. */
  loadedFields: Set<string> | null = null;
  /** The same for related models selected by JOIN, by path (`author`, `author__publisher`). */
  relatedLoadedFields: Map<string, Set<string>> | null = null;
  forUpdate: ForUpdateOptions | null = null;
  /** A query that can match nothing (`none()`). */
  empty = false;
  /** A column selected after the model's (and its related models') own: a many-to-many prefetch's source key. */
  extraSelect: ColRef | null = null;
  /** Names referred to by `OuterRef(name)` in this query: resolved against the query it is a subquery of. */
  outerRefs = new Set<string>();
  /** Relations loaded by JOIN (`selectRelated`); replaced, never mutated, so clones share it. */
  selectRelated: SelectRelatedSpec | null = null;
  /** `union()` / `intersection()` / `difference()`: the other queries, combined with this one. */
  combinator: { kind: 'UNION' | 'INTERSECT' | 'EXCEPT'; all: boolean; queries: Query[] } | null =
    null;
  private aliasCounter = 1;

  constructor(readonly model: QueryModel) {
    this.baseAlias = model._meta.dbTable;
  }

  clone(): Query {
    const copy = Object.create(Query.prototype) as Query;
    Object.assign(copy, this);
    copy.joins = this.joins.map((j) => ({ ...j }));
    copy.where = this.where.clone();
    copy.ordering = this.ordering ? [...this.ordering] : null;
    copy.distinctFields = [...this.distinctFields];
    copy.valueSelect = this.valueSelect ? [...this.valueSelect] : null;
    copy.annotations = new Map(this.annotations);
    copy.annotationSelect = new Set(this.annotationSelect);
    copy.groupBy = Array.isArray(this.groupBy) ? [...this.groupBy] : this.groupBy;
    copy.having = this.having.clone();
    copy.outerRefs = new Set(this.outerRefs);
    copy.loadedFields = this.loadedFields ? new Set(this.loadedFields) : null;
    copy.relatedLoadedFields = this.relatedLoadedFields
      ? new Map([...this.relatedLoadedFields].map(([k, v]) => [k, new Set(v)]))
      : null;
    return copy;
  }

  /** True when a join may multiply the base rows. */
  get hasMultiValuedJoins(): boolean {
    return this.joins.some((j) => j.multiValued);
  }

  // ------------------------------------------------------------------ filters

  /** Adds `filter(q)` (or `exclude(q)` with `negate`) as one call: multi-valued joins are shared within it. */
  addQ(q: QNode, negate = false): void {
    const state: FilterState = { reuse: new Map(), outer: negate, negated: negate };
    const node = this.buildNode(q, state);
    // Conditions on aggregates go to HAVING; the others stay in WHERE (Django's split_having).
    const [where, having] = splitHaving(node);
    for (const [target, part] of [
      [this.where, where],
      [this.having, having],
    ] as const) {
      if (!part) continue;
      if (negate) target.children.push(new WhereNode('AND', true, [part]));
      else target.children.push(part);
    }
  }

  /**
   * Adds a boolean expression as a condition (`filter(Exists(…))`), to
   * HAVING when it contains an aggregate.
   */
  addExpressionFilter(expr: Expression, negate = false): void {
    const resolved = this.resolveExpression(expr, true);
    if (containsWindow(resolved))
      throw new FieldError('Window is disallowed in the filter clause.');
    const child: WhereChild = { kind: 'expression', expr: resolved };
    const node = negate ? new WhereNode('AND', true, [child]) : child;
    (containsAggregate(resolved) ? this.having : this.where).children.push(node);
  }

  /**
   * The condition tree of `q`, not added to the query: for the `filter` of an
   * aggregate (its joins reuse the aggregate's and stay outer).
   */
  buildWhere(q: QNode): WhereNode {
    return this.buildNode(q, { reuse: new Map(), outer: true, negated: false, reuseAll: true });
  }

  private buildNode(q: QNode, state: FilterState): WhereNode {
    const negated = state.negated !== q.negated;
    const inner: FilterState = {
      reuse: state.reuse,
      outer: state.outer || q.connector === 'OR' || q.negated,
      negated,
      ...(state.reuseAll ? { reuseAll: true } : {}),
    };
    const node = new WhereNode(q.connector, q.negated);
    for (const child of q.children) {
      node.children.push(
        child instanceof QNode
          ? this.buildNode(child, inner)
          : this.buildCondition(child[0], child[1], inner),
      );
    }
    return node;
  }

  private buildCondition(key: string, value: unknown, state: FilterState): WhereChild {
    const parts = key.split('__');
    const annotation = this.annotations.get(parts[0]!);
    if (annotation && containsWindow(annotation))
      throw new FieldError('Window is disallowed in the filter clause.');
    if (annotation) {
      const field = outputFieldOf(annotation) ?? IDENTITY_FIELD;
      const { transforms, lookup, outputField } = this.resolveLookups(field, parts.slice(1), key);
      return {
        kind: 'condition',
        col: { kind: 'col', alias: '', column: '', field },
        expr: annotation,
        transforms,
        lookup,
        outputField,
        rhs: this.resolveValue(value),
      };
    }
    if (state.negated) {
      const split = this.splitAtMultiValued(parts, value);
      if (split) return split;
    }
    const { col, rest } = this.resolvePath(parts, state, true);
    const { transforms, lookup, outputField } = this.resolveLookups(col.field, rest, key);
    if (lookup.lookupName === 'isnull' && value === true) this.promote(col.alias);
    return {
      kind: 'condition',
      col,
      transforms,
      lookup,
      outputField,
      rhs: this.resolveValue(value),
    };
  }

  /**
   * A negated condition through a multi-valued relation becomes
   * `pk IN (SELECT fk FROM related WHERE cond)` under the NOT, so that
   * `exclude({ books__title: 'x' })` keeps the authors with no such book
   * (Django's semantics), instead of those with some other book.
   */
  private splitAtMultiValued(parts: string[], value: unknown): WhereChild | undefined {
    let model = this.model;
    for (let i = 0; i < parts.length; i++) {
      const hop = this.hopFor(model, parts[i]!);
      if (!hop) return undefined;
      if (hop.kind === 'reverse' && hop.rel.multiple) {
        const prefix = parts.slice(0, i);
        const outer = prefix.length
          ? this.resolvePath(
              [...prefix, 'pk'],
              { reuse: new Map(), outer: true, negated: false },
              true,
            ).col
          : this.colFor(this.baseAlias, model._meta.pk);
        const fk = hop.rel.field as ForeignKeyImpl;
        const sub = new Query(hop.target);
        const innerKey = parts.slice(i + 1).join('__') || 'pk';
        sub.addQ(new QNode({ [innerKey]: value }));
        const fkCol = sub.colFor(sub.baseAlias, fk);
        sub.valueSelect = [{ name: fk.attname, col: fkCol }];
        sub.where.children.push({
          kind: 'condition',
          col: fkCol,
          transforms: [],
          lookup: findLookup(fk, 'isnull') as LookupClass,
          outputField: fk,
          rhs: false,
        });
        return { kind: 'in-subquery', col: outer, query: sub };
      }
      if (hop.kind === 'm2m') return undefined;
      model = hop.target;
    }
    return undefined;
  }

  private hopFor(model: QueryModel, name: string): Hop | undefined {
    const opts = model._meta;
    const field = opts.findField(name);
    if (field instanceof ForeignKeyImpl && field.name === name) {
      return { kind: 'forward', field, target: field.relatedModel as unknown as QueryModel };
    }
    if (field instanceof ManyToManyFieldImpl) {
      return {
        kind: 'm2m',
        field,
        target: field.relatedModel as unknown as QueryModel,
        reverse: false,
      };
    }
    if (field) return undefined;
    const rel = opts.findRelatedObject(name);
    if (!rel) return undefined;
    if (rel.kind === 'manyToMany') {
      return {
        kind: 'm2m',
        field: rel.field as ManyToManyFieldImpl,
        target: rel.relatedModel as unknown as QueryModel,
        reverse: true,
      };
    }
    return { kind: 'reverse', rel, target: rel.relatedModel as unknown as QueryModel };
  }

  /** A column of `alias`. */
  colFor(alias: string, field: Field): ColRef {
    return { kind: 'col', alias, column: field.column, field };
  }

  /**
   * Follows `parts` through relations, adding joins, and returns the column
   * reached and the names left over (lookups and transforms).
   */
  resolvePath(
    parts: readonly string[],
    state: FilterState,
    allowMany: boolean,
  ): { col: ColRef; rest: string[] } {
    let model = this.model;
    let alias = this.baseAlias;
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i]!;
      const opts = model._meta;
      const field = opts.findField(name);
      const next = parts[i + 1];
      if (field instanceof ForeignKeyImpl) {
        const target = field.relatedModel as unknown as QueryModel;
        const targetField = field.targetField!;
        // author / author__in / authorId / author__id: the local column, no join.
        // A lookup on the key itself unless the next name is a field of the target (or not a lookup at all).
        const nextIsLookup =
          next !== undefined &&
          !this.isFieldOf(target, next) &&
          findLookup(field, next) !== undefined;
        if (
          field.attname === name ||
          next === undefined ||
          nextIsLookup ||
          (parts.length === i + 2 && (next === targetField.name || next === 'pk'))
        ) {
          const stop =
            field.attname !== name &&
            next !== undefined &&
            (next === targetField.name || next === 'pk')
              ? i + 2
              : i + 1;
          return { col: this.colFor(alias, field), rest: parts.slice(stop) };
        }
        alias = this.join(
          alias,
          field.column,
          target._meta.dbTable,
          targetField.column,
          field.null || state.outer,
          false,
          state,
        );
        model = target;
        continue;
      }
      if (
        field instanceof ManyToManyFieldImpl ||
        (!field && opts.findRelatedObject(name)?.kind === 'manyToMany')
      ) {
        if (!allowMany)
          throw new FieldError(`Joined field references are not permitted in this query`);
        const m2m =
          field instanceof ManyToManyFieldImpl
            ? field
            : (opts.findRelatedObject(name)!.field as ManyToManyFieldImpl);
        const reverse = !(field instanceof ManyToManyFieldImpl);
        const through = m2m.throughModel as unknown as QueryModel;
        const [sourceFk, targetFk] = throughFks(m2m, reverse);
        const target = (reverse ? m2m.model : m2m.relatedModel) as unknown as QueryModel;
        const throughAlias = this.join(
          alias,
          model._meta.pk.column,
          through._meta.dbTable,
          sourceFk.column,
          state.outer,
          true,
          state,
        );
        alias = this.join(
          throughAlias,
          targetFk.column,
          target._meta.dbTable,
          target._meta.pk.column,
          state.outer,
          true,
          state,
        );
        model = target;
        // books__isnull, tags__in: a lookup on the related primary key.
        if (next === undefined || !this.isFieldOf(target, next)) {
          return { col: this.colFor(alias, target._meta.pk), rest: parts.slice(i + 1) };
        }
        continue;
      }
      if (field) {
        if (field.name === 'pk' || field === opts.pk || !field.isRelation)
          return { col: this.colFor(alias, field), rest: parts.slice(i + 1) };
      }
      const rel = opts.findRelatedObject(name);
      if (rel) {
        if (!allowMany && rel.multiple)
          throw new FieldError(`Joined field references are not permitted in this query`);
        const fk = rel.field as ForeignKeyImpl;
        const target = rel.relatedModel as unknown as QueryModel;
        alias = this.join(
          alias,
          fk.targetField!.column,
          target._meta.dbTable,
          fk.column,
          state.outer || !rel.multiple,
          rel.multiple,
          state,
        );
        model = target;
        if (next === undefined || !this.isFieldOf(target, next)) {
          return { col: this.colFor(alias, target._meta.pk), rest: parts.slice(i + 1) };
        }
        continue;
      }
      const choices = opts.lookupChoices();
      throw new FieldError(
        `Cannot resolve keyword '${name}' into field. Choices are: ${choices.join(', ')}.`,
      );
    }
    return { col: this.colFor(alias, model._meta.pk), rest: [] };
  }

  private isFieldOf(model: QueryModel, name: string): boolean {
    return name === 'pk' || !!model._meta.findField(name) || !!model._meta.findRelatedObject(name);
  }

  /** Adds (or reuses) a join and returns its alias. */
  private join(
    parentAlias: string,
    parentColumn: string,
    table: string,
    column: string,
    nullable: boolean,
    multiValued: boolean,
    state: FilterState | null,
  ): string {
    const key = `${parentAlias}|${parentColumn}|${table}|${column}`;
    const existing =
      multiValued && !state?.reuseAll
        ? state?.reuse.get(key)
        : this.joins.find((j) => j.key === key)?.alias;
    if (existing) {
      const join = this.joins.find((j) => j.alias === existing)!;
      if (nullable) join.joinType = 'LEFT OUTER';
      return existing;
    }
    const parent = this.joins.find((j) => j.alias === parentAlias);
    const used = new Set([this.baseAlias, ...this.joins.map((j) => j.alias)]);
    let alias = table;
    while (used.has(alias)) alias = `T${++this.aliasCounter}`;
    this.joins.push({
      alias,
      table,
      parentAlias,
      parentColumn,
      column,
      // A join after an outer join must be outer too, or it would drop the NULL rows.
      joinType: nullable || parent?.joinType === 'LEFT OUTER' ? 'LEFT OUTER' : 'INNER',
      multiValued,
      key,
    });
    if (multiValued && state) state.reuse.set(key, alias);
    return alias;
  }

  /**
   * Adds (or reuses) the JOIN of a single-valued relation and returns its
   * alias: for `selectRelated`, which needs no lookup resolution. A join a
   * filter made is reused as it is (as in Django): an INNER join there
   * already dropped the rows an outer join would keep.
   */
  joinSingle(
    parentAlias: string,
    parentColumn: string,
    table: string,
    column: string,
    nullable: boolean,
  ): string {
    const key = `${parentAlias}|${parentColumn}|${table}|${column}`;
    const existing = this.joins.find((j) => j.key === key);
    if (existing) return existing.alias;
    return this.join(parentAlias, parentColumn, table, column, nullable, false, null);
  }

  /** Makes the joins leading to `alias` outer joins (for `isnull: true`). */
  private promote(alias: string): void {
    for (
      let join = this.joins.find((j) => j.alias === alias);
      join;
      join = this.joins.find((j) => j.alias === join!.parentAlias)
    ) {
      join.joinType = 'LEFT OUTER';
    }
  }

  private resolveLookups(
    field: Field,
    names: readonly string[],
    key: string,
  ): { transforms: TransformClass[]; lookup: LookupClass; outputField: Field } {
    const transforms: TransformClass[] = [];
    let current = field;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      // On a JSON field, a name that is no lookup is a key (`data__author__name`).
      const found = findLookup(current, name) ?? jsonKeyTransform(current, name);
      if (!found) {
        if (i === 0 && !transforms.length) {
          const hint = availableLookups(current);
          throw new FieldError(
            `Unsupported lookup '${name}' for ${current.constructor.name.replace(/Impl$/, '')} or join on the field not permitted` +
              (hint.length ? `, perhaps you meant ${hint.join(' or ')}?` : '.') +
              ` (in '${key}')`,
          );
        }
        throw new FieldError(
          `Unsupported lookup '${name}' for ${current.constructor.name.replace(/Impl$/, '')} (in '${key}').`,
        );
      }
      if (isTransformClass(found)) {
        transforms.push(found);
        current = new found(current).outputField();
        continue;
      }
      if (i !== names.length - 1)
        throw new FieldError(`Unsupported lookup '${names.slice(i).join('__')}' (in '${key}').`);
      return { transforms, lookup: found, outputField: current };
    }
    return {
      transforms,
      lookup: findLookup(current, 'exact') as LookupClass,
      outputField: current,
    };
  }

  /** Resolves a field path to exactly one column (no lookups), with outer joins: for ordering and values(). */
  resolveColumn(name: string, where: string): ColRef {
    const { col, rest } = this.resolvePath(
      name.split('__'),
      { reuse: new Map(), outer: true, negated: false },
      true,
    );
    if (rest.length)
      throw new FieldError(`Cannot resolve keyword '${rest[0]}' into field (in ${where}).`);
    return col;
  }

  /** Resolves F() references in a value (right-hand sides, updates). */
  resolveValue(value: unknown, allowJoins = true): unknown {
    if (value instanceof Expression) return this.resolveExpression(value, allowJoins);
    return value;
  }

  /** Resolves an expression against this query's model, adding joins for related names. */
  resolveExpression(
    expr: Expression,
    allowJoins = true,
    joins: { outer?: boolean; reuseAll?: boolean } = {},
  ): ResolvedExpr {
    if (expr instanceof FieldRef) {
      const annotation = this.annotations.get(expr.name);
      if (annotation) return annotation;
      const parts = expr.name.split('__');
      if (!allowJoins && parts.length > 1 && !this.model._meta.findField(expr.name)) {
        throw new FieldError('Joined field references are not permitted in this query');
      }
      const { col, rest } = this.resolvePath(
        parts,
        {
          reuse: new Map(),
          outer: joins.outer ?? false,
          negated: false,
          ...(joins.reuseAll ? { reuseAll: true } : {}),
        },
        allowJoins,
      );
      if (rest.length)
        throw new FieldError(
          `Cannot resolve keyword '${rest[0]}' into field (in F('${expr.name}')).`,
        );
      return col;
    }
    if (expr instanceof CombinedExpression) {
      const side = (v: unknown): ResolvedExpr =>
        v instanceof Expression
          ? this.resolveExpression(v, allowJoins, joins)
          : { kind: 'value', value: v };
      return {
        kind: 'combined',
        lhs: side(expr.lhs),
        operator: expr.operator,
        rhs: side(expr.rhs),
      };
    }
    if (expr instanceof Value) return { kind: 'value', value: expr.value };
    return expr.resolveExpression(this, { allowJoins, ...joins });
  }

  // ------------------------------------------------------------------ ordering and selection

  /** Sets the ordering from names (`-field`, `author__name`, `?`) or expressions. */
  setOrdering(terms: readonly (string | OrderBy | Expression)[]): void {
    if (terms.length === 0) {
      this.ordering = [];
      this.defaultOrdering = false;
      return;
    }
    this.ordering = terms.map((t) => this.resolveOrderTerm(t));
  }

  /** Resolves one ordering term; the model's default ordering uses it too. */
  resolveOrderTerm(term: string | OrderBy | Expression): OrderTerm {
    if (term === '?')
      return { expr: { kind: 'value', value: null }, descending: false, random: true };
    if (typeof term === 'string') {
      const descending = term.startsWith('-');
      const name = descending ? term.slice(1) : term;
      const annotation = this.annotations.get(name);
      if (annotation) return { expr: annotation, descending };
      // Ordering by a relation orders by the related model's primary key (Django follows its default ordering).
      return { expr: this.resolveColumn(name, `orderBy('${term}')`), descending };
    }
    if (term instanceof OrderBy) {
      return {
        expr: this.resolveExpression(term.expression),
        descending: term.descending,
        ...term.options,
      };
    }
    return { expr: this.resolveExpression(term), descending: false };
  }

  /** The ordering that applies: explicit, else the model's default, else none. */
  effectiveOrdering(): OrderTerm[] {
    if (this.ordering) return this.ordering;
    // As Django 3.1+: the model's default ordering does not apply to GROUP BY queries.
    if (!this.defaultOrdering || this.groupBy) return [];
    return this.model._meta.ordering.map((t) => this.resolveOrderTerm(t));
  }

  /** Selects named columns (for `values()`), resolving relations. */
  setValues(names: readonly string[]): void {
    const selected = names.length
      ? names
      : [...this.model._meta.concreteFields.map((f) => f.attname), ...[...this.annotationSelect]];
    this.valueSelect = selected.map((name) => {
      const annotation = this.annotations.get(name);
      if (annotation) {
        const field = outputFieldOf(annotation) ?? IDENTITY_FIELD;
        return { name, col: { kind: 'col', alias: '', column: '', field }, expr: annotation };
      }
      return { name, col: this.resolveColumn(name, `values('${name}')`) };
    });
  }

  /**
   * Adds an annotation (`annotate`, or `alias` with `select: false`). An
   * aggregate groups the rows: by the `values()` selected so far, else by
   * the model. Its joins are outer joins and reuse the query's existing ones
   * (a filter before an annotation restricts what it aggregates, as Django).
   */
  addAnnotation(name: string, expr: Expression, select: boolean): void {
    const opts = this.model._meta;
    if (
      opts.findField(name) ||
      name === 'pk' ||
      opts.relatedObjects.some((r) => r.accessorName === name || r.queryName === name)
    ) {
      throw new ValueError(`The annotation '${name}' conflicts with a field on the model.`);
    }
    const resolved = this.resolveExpression(expr, true, { outer: true, reuseAll: true });
    this.annotations.set(name, resolved);
    if (select) this.annotationSelect.add(name);
    else this.annotationSelect.delete(name);
    if (containsAggregate(resolved)) {
      if (this.valueSelect) {
        if (!Array.isArray(this.groupBy))
          this.groupBy = this.valueSelect.filter((v) => !v.expr).map((v) => v.col);
      } else if (this.groupBy === null) this.groupBy = true;
    }
    if (select && this.valueSelect) {
      const field = outputFieldOf(resolved) ?? IDENTITY_FIELD;
      this.valueSelect = [
        ...this.valueSelect.filter((v) => v.name !== name),
        { name, col: { kind: 'col', alias: '', column: '', field }, expr: resolved },
      ];
    }
  }

  /** Applies a slice on top of any earlier one (Django's `set_limits`). */
  setLimits(low: number | undefined, high: number | undefined): void {
    if (high !== undefined)
      this.high = this.high !== null ? Math.min(this.high, this.low + high) : this.low + high;
    if (low !== undefined) {
      this.low = this.high !== null ? Math.min(this.high, this.low + low) : this.low + low;
    }
  }

  /** True once sliced. */
  get isSliced(): boolean {
    return this.low !== 0 || this.high !== null;
  }
}

/** The foreign keys of an intermediate model: [to the source side, to the target side]. */
export function throughFks(
  m2m: ManyToManyFieldImpl,
  reverse: boolean,
): [ForeignKeyImpl, ForeignKeyImpl] {
  const through = m2m.throughModel as unknown as QueryModel;
  const fks = through._meta.foreignKeys;
  let source: ForeignKeyImpl | undefined;
  let target: ForeignKeyImpl | undefined;
  if (m2m.throughFields) {
    source = fks.find((f) => f.name === m2m.throughFields![0]);
    target = fks.find((f) => f.name === m2m.throughFields![1]);
  } else {
    source = fks.find((f) => f.relatedModel === m2m.model);
    target = fks.find((f) => f.relatedModel === m2m.relatedModel && f !== source);
  }
  if (!source || !target)
    throw new FieldError(
      `Cannot find the foreign keys of the intermediate model of ${m2m.toString()}.`,
    );
  return reverse ? [target, source] : [source, target];
}

/** Describes values of unknown type (a bare `Value`): read as they come. */
const IDENTITY_FIELD: Field = TextField();

/** True when a condition tree refers to an aggregate annotation. */
function refersToAggregate(child: WhereChild): boolean {
  if (child instanceof WhereNode) return child.children.some(refersToAggregate);
  return child.kind === 'condition' && !!child.expr && containsAggregate(child.expr);
}

/**
 * Splits a filter into its WHERE and HAVING parts: the children of an AND
 * go to HAVING when they refer to aggregates; any other node that does goes
 * to HAVING whole.
 */
function splitHaving(node: WhereNode): [WhereNode | null, WhereNode | null] {
  if (!refersToAggregate(node)) return [node, null];
  if (node.connector !== 'AND' || node.negated) return [null, node];
  const where = node.children.filter((c) => !refersToAggregate(c));
  const having = node.children.filter(refersToAggregate);
  return [
    where.length ? new WhereNode('AND', false, where) : null,
    new WhereNode('AND', false, having),
  ];
}
