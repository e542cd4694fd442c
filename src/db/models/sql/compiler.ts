/**
 * Turns a `Query` into SQL for one connection (Django's `SQLCompiler`).
 * Backend differences come from `connection.ops` and `connection.features`;
 * every value is a bound parameter.
 */
import type { BaseDatabaseWrapper } from '../../backends/base/wrapper.js';
import { FieldError } from '../../../core/exceptions.js';
import type { Field } from '../fields/field.js';
import { EmptyResultSet, type LookupContext } from '../lookups.js';
import { containsAggregate, containsWindow, Expression } from '../expressions.js';
import { finalizeSql, joinFragments, P, type SqlFragment } from './fragment.js';
import { setupRelatedSelections, type RelatedSelection } from './select-related.js';
import { SUBQUERY_ALIAS } from './aggregation.js';
import type {
  ColRef,
  Condition,
  ExpressionCompiler,
  OrderTerm,
  Query,
  ResolvedExpr,
  WhereChild,
  WhereNode,
} from './query.js';

/** A compiled statement, ready for `connection.run`. */
export interface CompiledSql {
  sql: string;
  params: unknown[];
}

/** What a compiled SELECT returns per column, for hydration. */
export interface SelectColumn {
  field: Field;
  name: string;
}

export class SQLCompiler implements ExpressionCompiler {
  private readonly q: (name: string) => string;
  /** Related models selected by JOIN (`selectRelated`), their columns after the model's (set by `asSelect`). */
  related: readonly RelatedSelection[] = [];

  constructor(
    public query: Query,
    readonly connection: BaseDatabaseWrapper,
    /** Qualify columns with their table alias (false for CHECK constraints and index conditions). */
    private readonly qualify = true,
  ) {
    this.q = (name) => connection.ops.quoteName(name);
  }

  /**
   * Adds the JOINs of `selectRelated` for a SELECT of instances. Only that
   * statement has them: counts, updates and subqueries do without.
   */
  private prepareRelated(): void {
    const query = this.query;
    if (!query.selectRelated || query.valueSelect || query.combinator || this.related.length)
      return;
    this.query = query.clone();
    this.related = setupRelatedSelections(this.query, this.modelColumns().length);
  }

  /** The columns of the related models selected by JOIN, in row order. */
  relatedColumns(): string[] {
    const out: string[] = [];
    const walk = (selections: readonly RelatedSelection[]): void => {
      for (const s of selections) {
        for (const f of s.fields) out.push(`${this.qa(s.alias)}.${this.q(f.column)}`);
        walk(s.children);
      }
    };
    walk(this.related);
    return out;
  }

  private finalize(fragment: SqlFragment): CompiledSql {
    return { sql: finalizeSql(fragment.sql, this.connection.ops), params: fragment.params };
  }

  col(ref: ColRef): string {
    return this.qualify ? `${this.qa(ref.alias)}.${this.q(ref.column)}` : this.q(ref.column);
  }

  /** A table alias as written in SQL: renamed (`U0`, `U1`…) inside a subquery, so it never shadows the outer query's. */
  private qa(alias: string): string {
    return this.q(this.aliasMap?.get(alias) ?? alias);
  }

  /** @internal Alias renames of a subquery; the outer query's refs, compiled by its compiler. */
  private aliasMap: Map<string, string> | null = null;
  private outer: { compiler: SQLCompiler; refs: ReadonlyMap<string, ResolvedExpr> } | null = null;
  private depth = 0;

  compileOuterRef(name: string): SqlFragment {
    const expr = this.outer?.refs.get(name);
    if (!this.outer || !expr)
      throw new FieldError(
        `OuterRef('${name}') must be used inside a Subquery or Exists of a query that has '${name}'.`,
      );
    return this.outer.compiler.compileExpr(expr);
  }

  compileSubquery(
    query: Query,
    refs: ReadonlyMap<string, ResolvedExpr>,
    options: { exists?: boolean } = {},
  ): SqlFragment {
    const inner = new SQLCompiler(query, this.connection);
    inner.outer = { compiler: this, refs };
    inner.depth = this.depth + 1;
    const letter = String.fromCharCode('U'.charCodeAt(0) + (this.depth % 6));
    const map = new Map<string, string>();
    map.set(query.baseAlias, `${letter}0`);
    query.joins.forEach((j, i) => map.set(j.alias, `${letter}${i + 1}`));
    inner.aliasMap = map;
    return inner.selectFragment({
      forSubquery: true,
      ...(options.exists ? { columns: 'exists' } : {}),
    });
  }

  /** The lookup context: right-hand expressions compile through this compiler. */
  private get lookupContext(): LookupContext {
    return {
      connection: this.connection,
      compileRhs: (value) => {
        if (value && typeof value === 'object' && 'kind' in value)
          return this.compileExpr(value as ResolvedExpr);
        if (value instanceof Expression) throw new FieldError('Unresolved expression in a filter.');
        return undefined;
      },
    };
  }

  compileExpr(expr: ResolvedExpr): SqlFragment {
    switch (expr.kind) {
      case 'col':
        return { sql: this.col(expr), params: [] };
      case 'value':
        return { sql: P, params: [expr.value] };
      case 'combined': {
        const lhs = this.compileExpr(expr.lhs);
        const rhs = this.compileExpr(expr.rhs);
        return {
          sql: `(${lhs.sql} ${expr.operator} ${rhs.sql})`,
          params: [...lhs.params, ...rhs.params],
        };
      }
      case 'node':
        return expr.asSql(this);
    }
  }

  private compileCondition(c: Condition): SqlFragment {
    let lhs: SqlFragment = c.expr ? this.compileExpr(c.expr) : { sql: this.col(c.col), params: [] };
    let field = c.col.field;
    for (const T of c.transforms) {
      const transform = new T(field);
      lhs = transform.asSql(lhs, this.lookupContext);
      field = transform.outputField();
    }
    const lookup = new c.lookup(lhs, c.outputField, c.rhs);
    return lookup.asSql(this.lookupContext);
  }

  /** Compiles a WHERE node; throws EmptyResultSet when it can match nothing. */
  compileWhere(node: WhereNode): SqlFragment {
    const parts: SqlFragment[] = [];
    let full = 0; // children that match everything
    let empty = 0; // children that match nothing
    for (const child of node.children) {
      let fragment: SqlFragment | null;
      try {
        fragment = this.compileChild(child);
      } catch (e) {
        if (!(e instanceof EmptyResultSet)) throw e;
        empty += 1;
        if (node.connector === 'AND') break;
        continue;
      }
      if (fragment === null) full += 1;
      else parts.push(fragment);
    }
    // An AND with an impossible child, or an OR whose children are all impossible.
    const nothing =
      node.connector === 'AND' ? empty > 0 : empty > 0 && parts.length === 0 && full === 0;
    const everything = node.connector === 'AND' ? parts.length === 0 && !nothing : full > 0;
    if (nothing) {
      if (node.negated) return { sql: '', params: [] };
      throw new EmptyResultSet();
    }
    if (everything) {
      if (node.negated) throw new EmptyResultSet();
      return { sql: '', params: [] };
    }
    const joined = joinFragments(parts, ` ${node.connector} `);
    const sql = parts.length > 1 ? `(${joined.sql})` : joined.sql;
    return { sql: node.negated ? `NOT (${sql})` : sql, params: joined.params };
  }

  private compileChild(child: WhereChild): SqlFragment | null {
    switch (child.kind) {
      case 'node': {
        const fragment = this.compileWhere(child);
        return fragment.sql ? fragment : null;
      }
      case 'condition':
        return this.compileCondition(child);
      case 'constant':
        if (!child.value) throw new EmptyResultSet();
        return null;
      case 'expression':
        return this.compileExpr(child.expr);
      case 'in-subquery': {
        const sub = new SQLCompiler(child.query, this.connection).selectFragment({
          forSubquery: true,
        });
        return { sql: `${this.col(child.col)} IN (${sub.sql})`, params: sub.params };
      }
    }
  }

  private fromClause(): string {
    const query = this.query;
    const parts = [
      `${this.q(query.model._meta.dbTable)}${this.qa(query.baseAlias) !== this.q(query.model._meta.dbTable) ? ` ${this.qa(query.baseAlias)}` : ''}`,
    ];
    for (const j of query.joins) {
      const table =
        this.qa(j.alias) === this.q(j.table)
          ? this.q(j.table)
          : `${this.q(j.table)} ${this.qa(j.alias)}`;
      parts.push(
        `${j.joinType} JOIN ${table} ON (${this.qa(j.parentAlias)}.${this.q(j.parentColumn)} = ${this.qa(j.alias)}.${this.q(j.column)})`,
      );
    }
    return parts.join(' ');
  }

  /** The selected annotations' SQL (`expr AS name`), in order. */
  annotationColumns(): SqlFragment[] {
    const query = this.query;
    return [...query.annotationSelect].map((name) => {
      const expr = this.compileExpr(query.annotations.get(name)!);
      return { sql: `${expr.sql} AS ${this.q(name)}`, params: expr.params };
    });
  }

  /**
   * GROUP BY: the model's columns (only its primary key where the backend
   * knows the others depend on it) and the selected related models', or the
   * `values()` columns; plus the selected non-aggregate annotations and the
   * explicit ordering's non-aggregate terms, as Django.
   */
  private groupByClause(): SqlFragment {
    const query = this.query;
    if (!query.groupBy) return { sql: '', params: [] };
    const terms: SqlFragment[] = [];
    const byPk = this.connection.features.allowsGroupBySelectedPks;
    if (query.groupBy === true) {
      const pk = query.model._meta.pk;
      for (const c of this.modelColumns()) {
        if (byPk && c.field !== pk) continue;
        terms.push({ sql: `${this.qa(query.baseAlias)}.${this.q(c.field.column)}`, params: [] });
      }
      const walk = (selections: readonly RelatedSelection[]): void => {
        for (const s of selections) {
          for (const f of s.fields) {
            if (byPk && f !== s.model._meta.pk) continue;
            terms.push({ sql: `${this.qa(s.alias)}.${this.q(f.column)}`, params: [] });
          }
          walk(s.children);
        }
      };
      walk(this.related);
    } else {
      for (const e of query.groupBy) terms.push(this.compileExpr(e));
    }
    const extra: ResolvedExpr[] = [];
    for (const name of query.annotationSelect) {
      const e = query.annotations.get(name)!;
      if (!containsAggregate(e) && !containsWindow(e)) extra.push(e);
    }
    for (const v of query.valueSelect ?? [])
      if (v.expr && !containsAggregate(v.expr)) extra.push(v.expr);
    for (const t of query.ordering ?? [])
      if (!t.random && !containsAggregate(t.expr)) extra.push(t.expr);
    for (const e of extra) terms.push(this.compileExpr(e));
    const seen = new Set<string>();
    const unique = terms.filter((t) => {
      const key = `${t.sql}|${JSON.stringify(t.params)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return joinFragments(unique, ', ');
  }

  /** Columns selected for model instances, in order. */
  modelColumns(): SelectColumn[] {
    const opts = this.query.model._meta;
    const loaded = this.query.loadedFields;
    return opts.concreteFields
      .filter((f) => !loaded || loaded.has(f.name) || f === opts.pk)
      .map((field) => ({ field, name: field.attname }));
  }

  private orderByClause(): SqlFragment {
    const terms = this.query.effectiveOrdering();
    if (!terms.length) return { sql: '', params: [] };
    const joined = this.compileOrderTerms(terms);
    return { sql: ` ORDER BY ${joined.sql}`, params: joined.params };
  }

  /** ORDER BY terms, without the keyword (also for `Window`). */
  compileOrderTerms(terms: readonly OrderTerm[]): SqlFragment {
    const parts: SqlFragment[] = terms.map((t) => {
      if (t.random)
        return { sql: this.connection.vendor === 'mysql' ? 'RAND()' : 'RANDOM()', params: [] };
      const expr = this.compileExpr(t.expr);
      const direction = t.descending ? ' DESC' : ' ASC';
      if (!t.nullsFirst && !t.nullsLast)
        return { sql: `${expr.sql}${direction}`, params: expr.params };
      if (this.connection.features.supportsOrderByNullsModifier) {
        return {
          sql: `${expr.sql}${direction} NULLS ${t.nullsFirst ? 'FIRST' : 'LAST'}`,
          params: expr.params,
        };
      }
      // Emulated: order by "is null" first, then the value.
      return {
        sql: `(${expr.sql} IS NULL) ${t.nullsFirst ? 'DESC' : 'ASC'}, ${expr.sql}${direction}`,
        params: [...expr.params, ...expr.params],
      };
    });
    return joinFragments(parts, ', ');
  }

  /**
   * The SELECT statement. `forSubquery` keeps the selected columns only
   * (no ORDER BY unless sliced).
   */
  selectFragment(
    options: { forSubquery?: boolean; columns?: 'model' | 'values' | 'exists' } = {},
  ): SqlFragment {
    const query = this.query;
    if (query.empty) throw new EmptyResultSet();
    const columns = options.columns ?? (query.valueSelect ? 'values' : 'model');
    let select: string;
    const params: unknown[] = [];
    if (columns === 'exists') select = '1 AS a';
    else if (query.valueSelect) {
      select = query.valueSelect
        .map((v) => {
          const expr = v.expr ? this.compileExpr(v.expr) : { sql: this.col(v.col), params: [] };
          params.push(...expr.params);
          return `${expr.sql}${options.forSubquery ? '' : ` AS ${this.q(v.name)}`}`;
        })
        .join(', ');
    } else {
      const annotations = options.forSubquery ? [] : this.annotationColumns();
      for (const a of annotations) params.push(...a.params);
      select = [
        ...this.modelColumns().map((c) => `${this.qa(query.baseAlias)}.${this.q(c.field.column)}`),
        ...(options.forSubquery ? [] : this.relatedColumns()),
        ...annotations.map((a) => a.sql),
        // Always last: read back at the end of the row (a many-to-many prefetch's source key).
        ...(query.extraSelect && !options.forSubquery ? [this.col(query.extraSelect)] : []),
      ].join(', ');
    }
    let distinct = '';
    if (query.distinctFields.length) {
      if (!this.connection.features.supportsDistinctOn) {
        throw new FieldError('DISTINCT ON fields is not supported by this database backend.');
      }
      distinct = `DISTINCT ON (${query.distinctFields.map((c) => this.col(c)).join(', ')}) `;
    } else if (query.distinct) distinct = 'DISTINCT ';
    const where = this.compileWhere(query.where);
    // Resolved before FROM: the model's default ordering may follow relations (joins).
    const order =
      (!options.forSubquery || query.isSliced) && columns !== 'exists'
        ? this.orderByClause()
        : null;
    let sql = `SELECT ${distinct}${select} FROM ${this.fromClause()}`;
    if (where.sql) {
      sql += ` WHERE ${where.sql}`;
      params.push(...where.params);
    }
    if (columns !== 'exists' || query.groupBy) {
      const group = this.groupByClause();
      if (group.sql) {
        sql += ` GROUP BY ${group.sql}`;
        params.push(...group.params);
      }
      const having = this.compileWhere(query.having);
      if (having.sql) {
        sql += ` HAVING ${having.sql}`;
        params.push(...having.params);
      }
    }
    if (order) {
      sql += order.sql;
      params.push(...order.params);
    }
    if (query.isSliced) {
      const limit = query.high !== null ? query.high - query.low : null;
      sql += ` ${this.connection.ops.limitOffsetSql(limit, query.low)}`;
    }
    if (query.forUpdate) sql += ` ${this.connection.ops.forUpdateSql(query.forUpdate)}`;
    return { sql, params };
  }

  /** SELECT for rows; throws EmptyResultSet when nothing can match. */
  asSelect(options: { columns?: 'model' | 'values' } = {}): CompiledSql {
    if (this.query.combinator) return this.finalize(this.combinedFragment());
    this.prepareRelated();
    return this.finalize(this.selectFragment(options));
  }

  /**
   * `a UNION b …`, with the outer ORDER BY (by column position) and LIMIT of
   * the first query; members that can match nothing are left out (except for
   * INTERSECT, where one empty member empties the result).
   */
  private combinedFragment(): SqlFragment {
    const { kind, all, queries } = this.query.combinator!;
    const parts: SqlFragment[] = [];
    for (const q of [this.query, ...queries]) {
      const member = q.clone();
      member.combinator = null;
      member.ordering = [];
      member.defaultOrdering = false;
      member.low = 0;
      member.high = null;
      // values() after a combinator applies to every member (as in Django).
      if (this.query.valueSelect && q !== this.query)
        member.setValues(this.query.valueSelect.map((v) => v.name));
      try {
        parts.push(new SQLCompiler(member, this.connection).selectFragment());
      } catch (e) {
        if (!(e instanceof EmptyResultSet)) throw e;
        if (kind === 'INTERSECT' || (kind === 'EXCEPT' && q === this.query)) throw e;
      }
    }
    if (!parts.length) throw new EmptyResultSet();
    // SQLite refuses parentheses around compound members; the others accept them bare too.
    const joined = joinFragments(parts, ` ${kind}${all ? ' ALL' : ''} `);
    let sql = joined.sql;
    const params = [...joined.params];
    const columns = this.query.valueSelect
      ? this.query.valueSelect.map((v) => v.col.column)
      : this.modelColumns().map((c) => c.field.column);
    const order = this.query.ordering ?? [];
    if (order.length) {
      const terms = order.map((t) => {
        const index = t.expr.kind === 'col' ? columns.indexOf(t.expr.column) : -1;
        if (index < 0)
          throw new FieldError('ORDER BY term does not match any column in the result set.');
        return `${index + 1}${t.descending ? ' DESC' : ' ASC'}`;
      });
      sql += ` ORDER BY ${terms.join(', ')}`;
    }
    if (this.query.isSliced) {
      const limit = this.query.high !== null ? this.query.high - this.query.low : null;
      sql += ` ${this.connection.ops.limitOffsetSql(limit, this.query.low)}`;
    }
    return { sql, params };
  }

  /** `SELECT agg AS name, …` over the query's rows (no grouping, no ordering). */
  asAggregate(aggregates: readonly (readonly [string, ResolvedExpr])[]): CompiledSql {
    const select = aggregates.map(([name, expr]) => {
      const c = this.compileExpr(expr);
      return { sql: `${c.sql} AS ${this.q(name)}`, params: c.params };
    });
    const joined = joinFragments(select, ', ');
    const where = this.compileWhere(this.query.where);
    let sql = `SELECT ${joined.sql} FROM ${this.fromClause()}`;
    if (where.sql) sql += ` WHERE ${where.sql}`;
    return this.finalize({ sql, params: [...joined.params, ...where.params] });
  }

  /** `SELECT agg AS name, … FROM (the query) subquery`: aggregates over grouped, distinct or sliced rows. */
  asAggregateOverSubquery(aggregates: readonly (readonly [string, ResolvedExpr])[]): CompiledSql {
    const inner = this.selectFragment();
    const select = aggregates.map(([name, expr]) => {
      const c = this.compileExpr(expr);
      return { sql: `${c.sql} AS ${this.q(name)}`, params: c.params };
    });
    const joined = joinFragments(select, ', ');
    return this.finalize({
      sql: `SELECT ${joined.sql} FROM (${inner.sql}) ${this.q(SUBQUERY_ALIAS)}`,
      params: [...joined.params, ...inner.params],
    });
  }

  /** SELECT COUNT(*), through a subquery when distinct or sliced. */
  asCount(): CompiledSql {
    const query = this.query;
    if (query.distinct || query.isSliced || query.distinctFields.length || query.groupBy) {
      const inner = this.selectFragment({ forSubquery: true });
      return this.finalize({
        sql: `SELECT COUNT(*) AS ${this.q('count')} FROM (${inner.sql}) ${this.q('subquery')}`,
        params: inner.params,
      });
    }
    const where = this.compileWhere(query.where);
    const target = query.hasMultiValuedJoins
      ? `COUNT(DISTINCT ${this.qa(query.baseAlias)}.${this.q(query.model._meta.pk.column)})`
      : 'COUNT(*)';
    let sql = `SELECT ${target} AS ${this.q('count')} FROM ${this.fromClause()}`;
    if (where.sql) sql += ` WHERE ${where.sql}`;
    return this.finalize({ sql, params: where.params });
  }

  /** SELECT 1 … LIMIT 1. */
  asExists(): CompiledSql {
    const inner = this.selectFragment({ columns: 'exists' });
    return this.finalize({
      sql: `${inner.sql}${this.query.isSliced ? '' : ' LIMIT 1'}`,
      params: inner.params,
    });
  }

  /** `WHERE pk IN (…)` for UPDATE/DELETE across joins, or the plain WHERE. */
  private writeWhere(): SqlFragment {
    const query = this.query;
    const pk = query.model._meta.pk;
    if (!query.joins.length && !query.isSliced) {
      const where = this.compileWhere(query.where);
      // Plain statements name the table, never an alias.
      return where;
    }
    const inner = query.clone();
    inner.valueSelect = [
      {
        name: pk.attname,
        col: { kind: 'col', alias: inner.baseAlias, column: pk.column, field: pk },
      },
    ];
    inner.ordering = inner.isSliced ? inner.ordering : [];
    inner.defaultOrdering = inner.isSliced;
    const sub = new SQLCompiler(inner, this.connection).selectFragment({ forSubquery: true });
    // MySQL cannot read the table it updates in a subquery unless it is materialised.
    const subSql =
      this.connection.vendor === 'mysql'
        ? `SELECT * FROM (${sub.sql}) ${this.q('subquery')}`
        : sub.sql;
    return {
      sql: `${this.q(query.model._meta.dbTable)}.${this.q(pk.column)} IN (${subSql})`,
      params: sub.params,
    };
  }

  /** UPDATE table SET … WHERE …; values are bound or compiled expressions. */
  asUpdate(values: readonly (readonly [Field, unknown])[]): CompiledSql {
    const table = this.q(this.query.model._meta.dbTable);
    const sets = values.map(([field, value]): SqlFragment => {
      if (value && typeof value === 'object' && 'kind' in value) {
        const expr = this.compileExpr(value as ResolvedExpr);
        return { sql: `${this.q(field.column)} = ${expr.sql}`, params: expr.params };
      }
      return {
        sql: `${this.q(field.column)} = ${P}`,
        params: [field.toDb(value, this.connection)],
      };
    });
    const set = joinFragments(sets, ', ');
    const where = this.writeWhere();
    return this.finalize({
      sql: `UPDATE ${table} SET ${set.sql}${where.sql ? ` WHERE ${where.sql}` : ''}`,
      params: [...set.params, ...where.params],
    });
  }

  /** DELETE FROM table WHERE …. */
  asDelete(): CompiledSql {
    const where = this.writeWhere();
    return this.finalize({
      sql: `DELETE FROM ${this.q(this.query.model._meta.dbTable)}${where.sql ? ` WHERE ${where.sql}` : ''}`,
      params: where.params,
    });
  }
}

/** INSERT of several rows with the same fields; RETURNING the given columns where supported. */
export function compileInsert(
  connection: BaseDatabaseWrapper,
  table: string,
  fields: readonly Field[],
  rows: readonly (readonly unknown[])[],
  returning: readonly Field[],
  onConflict: {
    ignore?: boolean;
    updateFields?: readonly Field[];
    uniqueFields?: readonly Field[];
  } = {},
): CompiledSql {
  const q = (n: string) => connection.ops.quoteName(n);
  const params: unknown[] = [];
  let sql: string;
  if (fields.length === 0) {
    // A row of defaults only.
    sql =
      connection.vendor === 'mysql'
        ? `INSERT INTO ${q(table)} () VALUES ${rows.map(() => '()').join(', ')}`
        : `INSERT INTO ${q(table)} DEFAULT VALUES`;
  } else {
    const values = rows.map((row) => {
      params.push(...row);
      return `(${row.map(() => P).join(', ')})`;
    });
    const verb = onConflict.ignore && connection.vendor === 'mysql' ? 'INSERT IGNORE' : 'INSERT';
    sql = `${verb} INTO ${q(table)} (${fields.map((f) => q(f.column)).join(', ')}) VALUES ${values.join(', ')}`;
  }
  if (onConflict.ignore && connection.vendor !== 'mysql') sql += ' ON CONFLICT DO NOTHING';
  if (onConflict.updateFields?.length) {
    if (connection.vendor === 'mysql') {
      sql += ` ON DUPLICATE KEY UPDATE ${onConflict.updateFields.map((f) => `${q(f.column)} = VALUES(${q(f.column)})`).join(', ')}`;
    } else {
      const target = (onConflict.uniqueFields ?? []).map((f) => q(f.column)).join(', ');
      sql += ` ON CONFLICT(${target}) DO UPDATE SET ${onConflict.updateFields.map((f) => `${q(f.column)} = EXCLUDED.${q(f.column)}`).join(', ')}`;
    }
  }
  if (returning.length && connection.features.canReturnColumnsFromInsert) {
    sql += connection.ops.returningSql(returning.map((f) => f.column));
  }
  return { sql: finalizeSql(sql, connection.ops), params };
}
