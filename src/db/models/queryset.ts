/**
 * The QuerySet (Django's `QuerySet`): lazy, immutable and chainable. Every
 * method returns a new QuerySet; awaiting one runs it, async iteration
 * streams it. Reads go to `router.dbForRead(model)` and writes to
 * `router.dbForWrite(model)` unless `using(alias)` says otherwise.
 */
import { FieldError, ValueError } from '../../core/exceptions.js';
import type { ForUpdateOptions } from '../backends/base/operations.js';
import type { BaseDatabaseWrapper } from '../backends/base/wrapper.js';
import { connections, router } from '../connections.js';
import { IntegrityError, OperationalError } from '../errors.js';
import { atomic } from '../transaction.js';
import type { Field } from './fields/field.js';
import type { OrderBy } from './expressions.js';
import { Expression, Func, outputFieldOf, QNode } from './expressions.js';
import { Aggregate, Count } from './aggregates.js';
import type { AnnotationValues, DefaultAliasValues } from './annotation-types.js';
import {
  aggregateOverSubquery,
  containsAggregateExpr,
  namedExpressions,
} from './sql/aggregation.js';
import type {
  DefaultSelectRelatedPath,
  PrefetchLookupsResult,
  PrefetchPath,
  SelectRelatedPath,
  SelectRelatedResult,
} from './eager-types.js';
import type {
  ANNOTATIONS,
  CheckedLookups,
  CheckedValues,
  CreateInputOf,
  DefaultsOf,
  UpdateInputOf,
} from './lookup-types.js';
import {
  makeDictBuilder,
  makeFlatBuilder,
  makeHydrator,
  makeRelatedLoader,
  makeTupleBuilder,
} from './hydrate.js';
import { mergeSelectRelated, relatedModelAt } from './sql/select-related.js';
import { checkFetchMode, type FetchMode, markPeers } from './fetch-modes.js';
import { type Prefetch, prefetchLookups, type PrefetchLookup, setExtraValue } from './prefetch.js';
import type { ColRef } from './sql/query.js';
import { EmptyResultSet } from './lookups.js';
import { compileInsert, SQLCompiler } from './sql/compiler.js';
import { Query, type QueryModel } from './sql/query.js';

/** Lookups as a dictionary: `{ title__icontains: 'django', rating__gte: 4 }`. */
export type Lookups = Readonly<Record<string, unknown>>;

/** A model class as QuerySets use it. */
export interface QuerySetModel<T> extends QueryModel {
  new (...args: any[]): T;
  readonly DoesNotExist: new (message: string) => Error;
  readonly MultipleObjectsReturned: new (message: string) => Error;
  /** @internal Saves a new instance (used by create and friends). */
  readonly _insertInstance?: unknown;
}

/** Instance methods the QuerySet relies on. */
interface SavableInstance {
  save(options?: { using?: string; forceInsert?: boolean }): Promise<void>;
  _state: { db: string | null; adding: boolean };
}

type ResultKind = 'model' | 'values' | 'valuesList' | 'flat';

const MAX_GET_RESULTS = 21;
let cursorCounter = 0;

export class QuerySet<T, R = T> implements PromiseLike<R[]>, AsyncIterable<R> {
  protected query: Query;
  protected db: string | undefined;
  protected kind: ResultKind = 'model';
  private resultCache: R[] | null = null;
  /** The fetch mode given to the instances this QuerySet loads (`fetchMode()`), if any. */
  private ownFetchMode: FetchMode | null = null;
  /** `prefetchRelated` lookups, run after the query (replaced, never mutated). */
  private prefetchLookups: readonly PrefetchLookup[] = [];

  constructor(
    readonly model: QuerySetModel<T>,
    query?: Query,
  ) {
    this.query = query ?? new Query(model);
  }

  /** A copy with a cloned query (Django's `_chain`). */
  protected chain<R2 = R>(): QuerySet<T, R2> {
    const copy = Object.create(Object.getPrototypeOf(this) as object) as QuerySet<T, R2>;
    Object.assign(copy, this);
    copy.query = this.query.clone();
    copy.resultCache = null;
    return copy;
  }

  /** @internal The query tree (for managers and related code). */
  get _query(): Query {
    return this.query;
  }

  /** @internal What the rows are: instances, dictionaries or arrays. */
  get _kind(): ResultKind {
    return this.kind;
  }

  /** @internal The alias set by `using()`, if any. */
  get _db(): string | undefined {
    return this.db;
  }

  /** @internal A copy selecting one more column after the model's (read back by prefetches). */
  _withExtraSelect(col: ColRef): this {
    const qs = this.chain() as this;
    qs.query.extraSelect = col;
    return qs;
  }

  private lookupsToQ(args: readonly (Lookups | QNode)[]): QNode {
    return args.reduce<QNode>(
      (acc, arg) => acc.and(arg instanceof QNode ? arg : new QNode(arg)),
      new QNode(),
    );
  }

  private assertNotSliced(action: string): void {
    if (this.query.isSliced)
      throw new TypeError(`Cannot ${action} a query once a slice has been taken.`);
  }

  // ---------------------------------------------------------------- chaining

  /** A copy of this QuerySet. */
  all(): this {
    return this.chain() as this;
  }

  /**
   * Rows matching every lookup (and every Q). Lookups in one call that cross
   * a multi-valued relation refer to the same related row; separate calls
   * may match different rows, as in Django.
   *
   * The keys of a lookups object are checked against the model at compile
   * time: a misspelled field, a lookup the field does not have, or a value of
   * the wrong type is an error at that key (see `CheckedLookups`). `Q()`
   * objects and objects built at run time (`Record<string, unknown>`) are
   * checked when the query is built.
   *
   * @example
   * ```ts
   * Book.objects.filter({ author__name__icontains: 'tolkien', rating__gte: 4 });
   * ```
   */
  filter<Q extends object = object>(
    ...args: (QNode | Expression<boolean> | CheckedLookups<T, Q>)[]
  ): this {
    this.assertNotSliced('filter');
    const qs = this.chain() as this;
    qs.addFilters(args, false);
    return qs;
  }

  /** Lookups and Q objects as one filter() call; boolean expressions (`Exists`) as conditions of their own. */
  private addFilters(args: readonly unknown[], negate: boolean): void {
    const conditions = args.filter((a): a is Expression => a instanceof Expression);
    const lookups = args.filter((a) => !(a instanceof Expression)) as (Lookups | QNode)[];
    if (lookups.length || !conditions.length) this.query.addQ(this.lookupsToQ(lookups), negate);
    for (const c of conditions) this.query.addExpressionFilter(c, negate);
  }

  /** Rows not matching the lookups (Django's `exclude`). */
  exclude<Q extends object = object>(
    ...args: (QNode | Expression<boolean> | CheckedLookups<T, Q>)[]
  ): this {
    this.assertNotSliced('filter');
    const qs = this.chain() as this;
    qs.addFilters(args, true);
    return qs;
  }

  /** A QuerySet that matches nothing and runs no query. */
  none(): this {
    const qs = this.chain() as this;
    qs.query.empty = true;
    return qs;
  }

  /** Orders by names (`'-publishedDate'`, `'author__name'`, `'?'`) or expressions (`F('x').desc({ nullsLast: true })`). */
  orderBy(...terms: (string | OrderBy | Expression)[]): this {
    this.assertNotSliced('reorder');
    const qs = this.chain() as this;
    qs.query.setOrdering(terms);
    return qs;
  }

  /** The current ordering reversed. */
  reverse(): this {
    const qs = this.chain() as this;
    qs.query.ordering = qs.query
      .effectiveOrdering()
      .map((t) => ({ ...t, descending: !t.descending }));
    return qs;
  }

  /** `SELECT DISTINCT`, or `DISTINCT ON (fields)` on PostgreSQL. */
  distinct(...fields: string[]): this {
    const qs = this.chain() as this;
    qs.query.distinct = true;
    qs.query.distinctFields = fields.map(
      (name) =>
        qs.query.resolvePath(
          name.split('__'),
          { reuse: new Map(), outer: true, negated: false },
          true,
        ).col,
    );
    return qs;
  }

  /**
   * Rows `start` to `end` (exclusive), as LIMIT/OFFSET (Python's `qs[start:end]`).
   * Negative indexes are not supported, as in Django.
   */
  slice(start: number, end?: number): this {
    if (start < 0 || (end !== undefined && end < 0))
      throw new ValueError('Negative indexing is not supported.');
    const qs = this.chain() as this;
    qs.query.setLimits(start, end);
    return qs;
  }

  /** The first `n` rows (`qs[:n]`). */
  limit(n: number): this {
    return this.slice(0, n);
  }

  /** Reads from (or writes to) a given database alias. */
  using(alias: string): this {
    const qs = this.chain() as this;
    qs.db = alias;
    return qs;
  }

  /**
   * Loads only these fields (and the primary key); others are deferred.
   * Fields of relations loaded by `selectRelated` are named through them
   * (`only('title', 'author__name')`, which loads the `author` key too).
   */
  only(...names: string[]): this {
    const qs = this.chain() as this;
    const main = new Set<string>();
    const related = new Map<string, Set<string>>();
    for (const name of names) {
      const parts = name.split('__');
      const field = parts.pop()!;
      relatedModelAt(this.model, parts)._meta.getField(field);
      if (parts.length) main.add(parts[0]!);
      else main.add(field);
      // Each relation on the way loads its key to the next one.
      for (let i = 1; i <= parts.length; i++) {
        const path = parts.slice(0, i).join('__');
        if (!related.has(path)) related.set(path, new Set());
        related.get(path)!.add(i < parts.length ? parts[i]! : field);
      }
    }
    qs.query.loadedFields = main;
    qs.query.relatedLoadedFields = related.size ? related : null;
    return qs;
  }

  /** Loads every field but these (`'author__bio'` for a relation loaded by `selectRelated`). */
  defer(...names: string[]): this {
    const qs = this.chain() as this;
    const query = qs.query;
    for (const name of names) {
      const parts = name.split('__');
      const field = parts.pop()!;
      const model = relatedModelAt(this.model, parts);
      model._meta.getField(field);
      const all = () => new Set(model._meta.concreteFields.map((f) => f.name));
      if (!parts.length) {
        query.loadedFields ??= all();
        query.loadedFields.delete(field);
        continue;
      }
      const path = parts.join('__');
      query.relatedLoadedFields ??= new Map();
      const loaded = query.relatedLoadedFields.get(path) ?? all();
      loaded.delete(field);
      query.relatedLoadedFields.set(path, loaded);
    }
    return qs;
  }

  /**
   * Loads single-valued relations (foreign keys, one-to-ones and reverse
   * one-to-ones) in the same query, by JOIN: `book.author` can then be read
   * synchronously. Names follow relations with `__` (`'book__author'`);
   * with no names, every non-null foreign key is followed (up to 5 levels);
   * `selectRelated(false)` clears the list. Nullable relations, and those
   * reached through one, are LEFT OUTER JOINs; the others INNER JOINs.
   *
   * @example
   * ```ts
   * const books = await Book.objects.selectRelated('author'); // one query
   * books[0].author.name; // loaded: no query, no await
   * ```
   */
  selectRelated(): QuerySet<T, SelectRelatedResult<R, DefaultSelectRelatedPath<T>>>;
  selectRelated(clear: false): QuerySet<T, R>;
  selectRelated<P extends SelectRelatedPath<T>>(
    ...names: P[]
  ): QuerySet<T, SelectRelatedResult<R, P>>;
  selectRelated(...names: (string | false)[]): QuerySet<T, any> {
    if (this.kind !== 'model')
      throw new TypeError('Cannot call selectRelated() after .values() or .valuesList().');
    if (this.query.combinator)
      throw new TypeError(
        `Calling QuerySet.selectRelated() after ${this.query.combinator.kind.toLowerCase()}() is not supported.`,
      );
    const qs = this.chain();
    const query = qs.query;
    if (names.length === 1 && names[0] === false) query.selectRelated = null;
    else if (!names.length) query.selectRelated = true;
    else {
      const current =
        query.selectRelated && query.selectRelated !== true ? query.selectRelated : {};
      query.selectRelated = mergeSelectRelated(this.model, current, names as string[]);
    }
    return qs;
  }

  /**
   * Loads the named relations of the results with one extra query per level
   * (`IN` over the keys of the level above): reverse foreign keys and
   * many-to-many relations (read through `author.books.all()`, `.count()` or
   * `.loaded` without a query), foreign keys and one-to-ones, nested paths
   * (`'books__reviews'`), and `Prefetch` objects with their own queryset and
   * `toAttr`. `prefetchRelated(false)` clears the list.
   *
   * @example
   * ```ts
   * const authors = await Author.objects.prefetchRelated('books'); // 2 queries
   * authors[0].books.loaded; // Book[], no query, no await
   * ```
   */
  prefetchRelated(clear: false): QuerySet<T, R>;
  prefetchRelated<
    const L extends readonly (PrefetchPath<T> | Prefetch<PrefetchPath<T>, any, any>)[],
  >(...lookups: L): QuerySet<T, PrefetchLookupsResult<R, L>>;
  prefetchRelated(...lookups: (PrefetchLookup | false)[]): QuerySet<T, any> {
    if (this.kind !== 'model')
      throw new TypeError('Cannot call prefetchRelated() after .values() or .valuesList().');
    const qs = this.chain();
    if (lookups.length === 1 && lookups[0] === false) qs.prefetchLookups = [];
    else {
      const added = lookups.filter((l): l is PrefetchLookup => l !== false);
      qs.prefetchLookups = [...this.prefetchLookups, ...added];
    }
    return qs;
  }

  /**
   * Adds computed values to each row: aggregates over relations (the rows
   * are then grouped, by the model or by the `values()` selected before),
   * functions, subqueries. Positional aggregates get Django's default names
   * (`Count('books')` → `books__count`). Annotations can be filtered
   * (HAVING for aggregates), ordered by and selected by `values()`.
   *
   * @example
   * ```ts
   * const authors = await Author.objects.annotate({
   *   bookCount: Count('books'),
   *   avgRating: Avg('books__rating'),
   * });
   * authors[0].bookCount; // number
   * ```
   */
  annotate<A extends Record<string, Expression<any>>>(
    annotations: A,
  ): QuerySet<T & { readonly [ANNOTATIONS]: AnnotationValues<A> }, R & AnnotationValues<A>>;
  annotate<const E extends readonly Aggregate<any, string, string>[]>(
    ...aggregates: E
  ): QuerySet<T & { readonly [ANNOTATIONS]: DefaultAliasValues<E> }, R & DefaultAliasValues<E>>;
  annotate(...args: (Expression | Record<string, Expression>)[]): QuerySet<any, any> {
    return this.addAnnotations(args, true);
  }

  /** Like `annotate`, but the values are not selected: usable in filters and ordering only. */
  alias<A extends Record<string, Expression<any>>>(
    annotations: A,
  ): QuerySet<T & { readonly [ANNOTATIONS]: AnnotationValues<A> }, R> {
    return this.addAnnotations([annotations], false) as QuerySet<any, any>;
  }

  private addAnnotations(
    args: readonly (Expression | Record<string, Expression>)[],
    select: boolean,
  ): QuerySet<T, any> {
    if (this.query.combinator)
      throw new TypeError(
        `Calling QuerySet.annotate() after ${this.query.combinator.kind.toLowerCase()}() is not supported.`,
      );
    const qs = this.chain();
    for (const [name, expr] of namedExpressions(args, 'annotate')) {
      if (qs.query.annotations.has(name) && select && qs.query.annotationSelect.has(name)) {
        throw new ValueError(
          `The named annotation '${name}' conflicts with the default name for another annotation.`,
        );
      }
      qs.query.addAnnotation(name, expr, select);
    }
    return qs;
  }

  /**
   * Computes aggregates over the whole QuerySet and returns them as one
   * object: `aggregate(Avg('rating'))` → `{ rating__avg: 4.1 }`,
   * `aggregate({ best: Max('rating') })` → `{ best: 5 }`. Over a grouped,
   * distinct or sliced QuerySet, the aggregates run over it as a subquery.
   *
   * @example
   * ```ts
   * const { rating__avg } = await Book.objects.aggregate(Avg('rating'));
   * ```
   */
  aggregate<A extends Record<string, Expression<any>>>(named: A): Promise<AnnotationValues<A>>;
  aggregate<const E extends readonly Aggregate<any, string, string>[]>(
    ...aggregates: E
  ): Promise<DefaultAliasValues<E>>;
  async aggregate(
    ...args: (Expression | Record<string, Expression>)[]
  ): Promise<Record<string, unknown>> {
    if (this.query.combinator)
      throw new TypeError(
        `Calling QuerySet.aggregate() after ${this.query.combinator.kind.toLowerCase()}() is not supported.`,
      );
    const pairs = namedExpressions(args, 'aggregate');
    for (const [name, expr] of pairs) {
      if (!(expr instanceof Aggregate) && !(expr instanceof Func && containsAggregateExpr(expr)))
        throw new TypeError(`${name} is not an aggregate expression`);
    }
    const connection = this.readConnection();
    const query = this.query.clone();
    const overSubquery =
      !!query.groupBy || query.distinct || query.isSliced || query.distinctFields.length > 0;
    let compiled;
    const fields: (Field | null)[] = [];
    try {
      if (overSubquery) {
        const resolved = pairs.map(([name, expr]) => {
          const node = aggregateOverSubquery(query, expr as Aggregate<unknown>);
          fields.push(node.outputField);
          return [name, node] as const;
        });
        compiled = new SQLCompiler(query, connection).asAggregateOverSubquery(resolved);
      } else {
        query.ordering = [];
        query.defaultOrdering = false;
        query.valueSelect = null;
        query.annotationSelect.clear();
        const resolved = pairs.map(([name, expr]) => {
          const node = query.resolveExpression(expr, true, { outer: true, reuseAll: true });
          fields.push(outputFieldOf(node));
          return [name, node] as const;
        });
        compiled = new SQLCompiler(query, connection).asAggregate(resolved);
      }
    } catch (e) {
      if (!(e instanceof EmptyResultSet)) throw e;
      // Nothing can match: every aggregate of no rows (Count 0, the default, else null).
      return Object.fromEntries(
        pairs.map(([name, expr]) => [
          name,
          expr instanceof Count ? 0 : ((expr as Aggregate<unknown>).defaultValue ?? null),
        ]),
      );
    }
    const { rows } = await connection.run<unknown[]>(compiled.sql, compiled.params, {
      rowMode: 'array',
    });
    const row = rows[0] ?? [];
    return Object.fromEntries(
      pairs.map(([name], i) => {
        const v = row[i];
        const field = fields[i];
        return [
          name,
          v === null || v === undefined ? null : field ? field.fromDb(v, connection) : v,
        ];
      }),
    );
  }

  /**
   * The database's plan for this query, as text (Django's `explain()`):
   * `EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` with options and `format` on
   * PostgreSQL (`{ analyze: true, format: 'json' }`), `EXPLAIN FORMAT=…` or
   * `ANALYZE` on MariaDB/MySQL. Unknown formats and options are errors.
   *
   * @example
   * ```ts
   * console.log(await Book.objects.filter({ title: 'Mort' }).explain());
   * ```
   */
  async explain(
    options: { format?: string } & Readonly<Record<string, boolean | string | undefined>> = {},
  ): Promise<string> {
    const connection = this.readConnection();
    const ops = connection.ops;
    const { format: rawFormat, ...rest } = options;
    const format = typeof rawFormat === 'string' ? rawFormat.toUpperCase() : undefined;
    if (format !== undefined && !ops.explainFormats.includes(format)) {
      const allowed = [...ops.explainFormats].sort();
      throw new ValueError(
        `${format} is not a recognized format.${allowed.length ? ` Allowed formats: ${allowed.join(', ')}` : ''}`,
      );
    }
    const flags: Record<string, boolean> = {};
    const unknown: string[] = [];
    for (const [name, value] of Object.entries(rest)) {
      if (value === undefined) continue;
      // As Django: names that could smuggle SQL into the EXPLAIN prefix are refused first.
      if (!/^[\w-]+$/.test(name) || name.includes('--'))
        throw new ValueError(`Invalid option name: '${name}'.`);
      if (!ops.explainOptions.includes(name)) unknown.push(name);
      else flags[name] = !!value;
    }
    if (unknown.length) throw new ValueError(`Unknown options: ${unknown.sort().join(', ')}`);
    let compiled;
    try {
      compiled = new SQLCompiler(this.query, connection).asSelect();
    } catch (e) {
      if (e instanceof EmptyResultSet)
        throw new ValueError('This query matches nothing: there is no plan to explain.');
      throw e;
    }
    const { rows } = await connection.run<unknown[]>(
      `${ops.explainPrefix(format, flags)} ${compiled.sql}`,
      compiled.params,
      { rowMode: 'array' },
    );
    return rows
      .map((row) => row.map((c) => (typeof c === 'string' ? c : JSON.stringify(c))).join(' '))
      .join('\n');
  }

  /** Locks the selected rows until the end of the transaction (`SELECT … FOR UPDATE`). */
  selectForUpdate(options: ForUpdateOptions = {}): this {
    const qs = this.chain() as this;
    qs.query.forUpdate = options;
    return qs;
  }

  /**
   * Dictionaries of the named fields (all concrete fields when none), with
   * relations followed: `values('title', 'author__name')`.
   */
  values<K extends string>(...names: K[]): QuerySet<T, Record<K, unknown>> {
    const qs = this.chain<Record<K, unknown>>();
    qs.query.setValues(names);
    qs.kind = 'values';
    return qs;
  }

  /** Arrays of the named fields; with `{ flat: true }` and one field, the values themselves. */
  valuesList(...args: (string | { flat?: boolean })[]): QuerySet<T, unknown[]> {
    const last = args.at(-1);
    const flat = typeof last === 'object' ? !!last.flat : false;
    const names = args.filter((a): a is string => typeof a === 'string');
    if (flat && names.length > 1)
      throw new TypeError(
        "'flat' is not valid when valuesList is called with more than one field.",
      );
    const qs = this.chain<unknown[]>();
    qs.query.setValues(names);
    qs.kind = flat ? 'flat' : 'valuesList';
    return qs;
  }

  // ---------------------------------------------------------------- evaluation

  /** @internal The connection for reads. */
  protected readConnection(): BaseDatabaseWrapper {
    return connections.get(this.db ?? router.dbForRead(this.model));
  }

  /** @internal The connection for writes. */
  protected writeConnection(): BaseDatabaseWrapper {
    return connections.get(this.db ?? router.dbForWrite(this.model));
  }

  private async fetchAll(): Promise<R[]> {
    if (this.resultCache) return this.resultCache;
    const connection = this.readConnection();
    const compiler = new SQLCompiler(this.query, connection);
    let compiled;
    try {
      compiled = compiler.asSelect();
    } catch (e) {
      if (e instanceof EmptyResultSet) return (this.resultCache = []);
      throw e;
    }
    const { rows } = await connection.run<unknown[]>(compiled.sql, compiled.params, {
      rowMode: 'array',
    });
    const results = this.convertRows(rows, compiler, connection);
    this.markPeers(results);
    if (this.prefetchLookups.length && this.kind === 'model')
      await prefetchLookups(results as object[], this.prefetchLookups);
    this.resultCache = results;
    return results;
  }

  private convertRows(
    rows: unknown[][],
    compiler: SQLCompiler,
    connection: BaseDatabaseWrapper,
  ): R[] {
    if (this.kind === 'model') {
      const columns = compiler.modelColumns();
      const loaded = this.query.loadedFields;
      const deferred = loaded
        ? new Set(
            this.model._meta.concreteFields
              .filter((f) => !columns.some((c) => c.field === f))
              .map((f) => f.name),
          )
        : null;
      let hydrate = makeHydrator(
        this.model.prototype,
        columns.map((c) => c.field),
        connection,
        deferred,
      );
      const extra = this.query.extraSelect;
      const annotations = [...this.query.annotationSelect].map((name) => ({
        name,
        field: outputFieldOf(this.query.annotations.get(name)!),
      }));
      if (annotations.length) {
        // Annotation columns follow the model's and the related models' columns.
        const first = columns.length + compiler.relatedColumns().length;
        const base = hydrate;
        hydrate = (row) => {
          const instance = base(row);
          for (let i = 0; i < annotations.length; i++) {
            const { name, field } = annotations[i]!;
            const v = row[first + i];
            instance[name] =
              v === null || v === undefined ? null : field ? field.fromDb(v, connection) : v;
          }
          return instance;
        };
      }
      if (!compiler.related.length && !extra) return rows.map(hydrate) as R[];
      const loadRelated = compiler.related.length
        ? makeRelatedLoader(compiler.related, connection)
        : null;
      return rows.map((row) => {
        const instance = hydrate(row);
        if (loadRelated) loadRelated(instance, row);
        if (extra) {
          // The extra column is the last one selected (after related and annotation columns).
          const v = row[row.length - 1];
          setExtraValue(
            instance,
            v === null || v === undefined ? null : extra.field.fromDb(v, connection),
          );
        }
        return instance;
      }) as R[];
    }
    const select = this.query.valueSelect!;
    const fields = select.map((s) => s.col.field);
    const build =
      this.kind === 'values'
        ? makeDictBuilder(
            select.map((s) => s.name),
            fields,
            connection,
          )
        : this.kind === 'flat'
          ? makeFlatBuilder(fields[0]!, connection)
          : makeTupleBuilder(fields, connection);
    return rows.map(build) as R[];
  }

  /**
   * Records on each instance the others loaded by the same query (its
   * peers), and this QuerySet's fetch mode: `fetchRelated()` then loads a
   * relation for all of them at once, and the N+1 detector knows them. The
   * objects `selectRelated` joined in are peers per relation.
   */
  private markPeers(results: R[]): void {
    if (this.kind !== 'model' || !results.length) return;
    markPeers(results as object[], this.ownFetchMode, this.query.selectRelated !== null);
  }

  /**
   * Sets how `fetchRelated()` loads relations of the instances this QuerySet
   * returns: `'peers'` (for all of them at once), `'one'`, or `'raise'`.
   *
   * @example
   * ```ts
   * const books = await Book.objects.fetchMode('raise');
   * await books[0].fetchRelated('author'); // FetchModeError
   * ```
   */
  fetchMode(mode: FetchMode): this {
    const qs = this.chain() as this;
    qs.ownFetchMode = checkFetchMode(mode);
    return qs;
  }

  /** Awaiting a QuerySet runs it and gives the rows. */
  then<TResult1 = R[], TResult2 = never>(
    onfulfilled?: ((value: R[]) => TResult1 | PromiseLike<TResult1>) | null,
    onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    return this.fetchAll().then(onfulfilled, onrejected);
  }

  /** Streams the rows (in batches of `chunkSize` where the query is not sliced). */
  async *[Symbol.asyncIterator](): AsyncIterator<R> {
    yield* this.iterator();
  }

  /**
   * Iterates in batches of `chunkSize` rows, keeping memory bounded: keyset
   * pagination on the primary key when the query is unordered and unsliced,
   * LIMIT/OFFSET batches otherwise.
   */
  async *iterator(options: { chunkSize?: number } = {}): AsyncGenerator<R> {
    const chunkSize = options.chunkSize ?? 2000;
    if (this.query.isSliced || this.resultCache) {
      yield* await this.fetchAll();
      return;
    }
    const connection = this.readConnection();
    if (connection.features.supportsServerSideCursors) {
      yield* this.cursorIterator(connection, chunkSize);
      return;
    }
    // Elsewhere: LIMIT/OFFSET batches in a stable order (by primary key when unordered).
    const base = this.query.effectiveOrdering().length ? this.chain() : this.orderBy('pk');
    for (let offset = 0; ; offset += chunkSize) {
      const batch = await base
        .chain()
        .slice(offset, offset + chunkSize)
        .fetchAll();
      yield* batch;
      if (batch.length < chunkSize) return;
    }
  }

  /**
   * PostgreSQL: a server-side cursor (`DECLARE … CURSOR`, `FETCH n`) inside a
   * transaction (the current one, or its own on a dedicated connection), so
   * memory stays bounded by `chunkSize` whatever the result size.
   */
  private async *cursorIterator(
    connection: BaseDatabaseWrapper,
    chunkSize: number,
  ): AsyncGenerator<R> {
    const compiler = new SQLCompiler(this.query, connection);
    let compiled;
    try {
      compiled = compiler.asSelect();
    } catch (e) {
      if (e instanceof EmptyResultSet) return;
      throw e;
    }
    const block = connection.currentBlock();
    const conn = block ? block.tx.connection : await connection.acquire();
    const own = !block;
    const name = connection.ops.quoteName(`_reinhardt_cursor_${++cursorCounter}`);
    let broken = false;
    let finished = false;
    try {
      if (own) await connection.runOn(conn, 'BEGIN', [], {});
      await connection.runOn(
        conn,
        `DECLARE ${name} NO SCROLL CURSOR FOR ${compiled.sql}`,
        compiled.params,
        {},
      );
      try {
        while (true) {
          const { rows } = await connection.runOn<unknown[]>(
            conn,
            `FETCH FORWARD ${chunkSize} FROM ${name}`,
            [],
            { rowMode: 'array' },
          );
          const batch = this.convertRows(rows, compiler, connection);
          this.markPeers(batch);
          // Each batch is prefetched on its own, keeping memory bounded (as Django 4.1+).
          if (this.prefetchLookups.length && this.kind === 'model')
            await prefetchLookups(batch as object[], this.prefetchLookups);
          yield* batch;
          if (rows.length < chunkSize) break;
        }
      } finally {
        if (!own) await connection.runOn(conn, `CLOSE ${name}`, [], {}).catch(() => undefined);
      }
      if (own) await connection.runOn(conn, 'COMMIT', [], {});
      finished = true;
    } finally {
      if (own) {
        // An error, or a consumer that stopped early, leaves the transaction open: end it.
        if (!finished)
          await connection.runOn(conn, 'ROLLBACK', [], {}).catch(() => (broken = true));
        conn.release(broken);
      }
    }
  }

  /**
   * The one row matching the lookups; `Model.DoesNotExist` when none,
   * `Model.MultipleObjectsReturned` when several.
   */
  async get<Q extends object = object>(...args: (QNode | CheckedLookups<T, Q>)[]): Promise<R> {
    let qs = args.length ? this.filter(...args) : this.chain();
    if (!qs.query.isSliced) qs = qs.orderBy().slice(0, MAX_GET_RESULTS);
    const rows = await qs.fetchAll();
    if (rows.length === 1) return rows[0]!;
    const name = this.model._meta.objectName;
    if (rows.length === 0)
      throw new this.model.DoesNotExist(`${name} matching query does not exist.`);
    const more =
      rows.length === MAX_GET_RESULTS ? `more than ${MAX_GET_RESULTS - 1}` : String(rows.length);
    throw new this.model.MultipleObjectsReturned(
      `get() returned more than one ${name} -- it returned ${more}!`,
    );
  }

  /** The first row in the current ordering (by primary key when unordered), or null. */
  async first(): Promise<R | null> {
    const qs =
      this.query.effectiveOrdering().length || this.query.ordering
        ? this.chain()
        : this.orderBy('pk');
    const rows = await qs.slice(0, 1).fetchAll();
    return rows[0] ?? null;
  }

  /** The last row in the current ordering (by primary key when unordered), or null. */
  async last(): Promise<R | null> {
    const qs =
      this.query.effectiveOrdering().length || this.query.ordering
        ? this.reverse()
        : this.orderBy('-pk');
    const rows = await qs.slice(0, 1).fetchAll();
    return rows[0] ?? null;
  }

  /** Whether any row matches (a `SELECT 1 … LIMIT 1`). */
  async exists(): Promise<boolean> {
    if (this.resultCache) return this.resultCache.length > 0;
    const connection = this.readConnection();
    try {
      const compiled = new SQLCompiler(this.query, connection).asExists();
      const { rows } = await connection.run(compiled.sql, compiled.params, { rowMode: 'array' });
      return rows.length > 0;
    } catch (e) {
      if (e instanceof EmptyResultSet) return false;
      throw e;
    }
  }

  /** The number of matching rows (`SELECT COUNT(*)`), or the cached length. */
  async count(): Promise<number> {
    if (this.resultCache) return this.resultCache.length;
    const connection = this.readConnection();
    try {
      const compiled = new SQLCompiler(this.query, connection).asCount();
      const { rows } = await connection.run<unknown[]>(compiled.sql, compiled.params, {
        rowMode: 'array',
      });
      return Number(rows[0]![0]);
    } catch (e) {
      if (e instanceof EmptyResultSet) return 0;
      throw e;
    }
  }

  /** Instances by primary key (or by a unique `fieldName`). */
  async inBulk(
    ids?: readonly unknown[],
    options: { fieldName?: string } = {},
  ): Promise<Map<unknown, R>> {
    const fieldName = options.fieldName ?? 'pk';
    const field = fieldName === 'pk' ? this.model._meta.pk : this.model._meta.getField(fieldName);
    if (fieldName !== 'pk' && !field.unique) {
      throw new ValueError(`inBulk()'s fieldName must be a unique field but '${fieldName}' isn't.`);
    }
    if (this.query.isSliced) throw new TypeError("Cannot use 'limit' or 'offset' with inBulk().");
    const qs = ids === undefined ? this.chain() : this.filter({ [`${fieldName}__in`]: ids });
    const rows = (await qs.fetchAll()) as Record<string, unknown>[];
    return new Map(rows.map((r) => [r[field.attname], r as R]));
  }

  // ---------------------------------------------------------------- writes

  /**
   * Creates and saves an instance (Django's `create`).
   *
   * @example
   * ```ts
   * const tag = await Tag.objects.create({ name: 'python' });
   * ```
   */
  async create<V extends object = object>(values: CheckedValues<CreateInputOf<T>, V>): Promise<T> {
    const obj = new this.model(values) as T & SavableInstance;
    await obj.save({ forceInsert: true, ...(this.db ? { using: this.db } : {}) });
    return obj;
  }

  /**
   * The instance matching `lookups`, or a new one created from the lookups
   * and `defaults`; `[instance, created]`. A concurrent insert that wins the
   * race is read back instead of failing.
   */
  async getOrCreate<Q extends object = object>(
    lookups: CheckedLookups<T, Q>,
    defaults: DefaultsOf<T> = {},
  ): Promise<[T, boolean]> {
    try {
      return [(await this.get(lookups)) as unknown as T, false];
    } catch (e) {
      if (!(e instanceof this.model.DoesNotExist)) throw e;
    }
    const params = { ...plainLookups(lookups), ...resolveCallables(defaults) };
    try {
      const created = await atomic(() => this.create(params), {
        using: this.writeConnection().alias,
      });
      return [created, true];
    } catch (e) {
      if (!(e instanceof IntegrityError)) throw e;
      try {
        return [(await this.get(lookups)) as unknown as T, false];
      } catch {
        throw e;
      }
    }
  }

  /** Updates the instance matching `lookups` with `defaults`, or creates it; `[instance, created]`. */
  async updateOrCreate<Q extends object = object>(
    lookups: CheckedLookups<T, Q>,
    defaults: DefaultsOf<T> = {},
  ): Promise<[T, boolean]> {
    const connection = this.writeConnection();
    const alias = connection.alias;
    const attempt = () =>
      atomic(
        async () => {
          const [obj, created] = await this.selectForUpdateIfSupported(alias).getOrCreate(
            lookups,
            defaults,
          );
          if (created) return [obj, true] as [T, boolean];
          const values = resolveCallables(defaults);
          Object.assign(obj as object, values);
          await (obj as unknown as SavableInstance & { save(o: object): Promise<void> }).save({
            using: alias,
            updateFields: Object.keys(values),
          });
          return [obj, false] as [T, boolean];
        },
        { using: alias },
      );
    // Concurrent upserts can deadlock on the row locks (InnoDB gap locks); the whole
    // transaction was rolled back, so it is retried (a bounded number of times). Inside an enclosing
    // transaction it cannot be, and the error is the caller's to handle.
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (e) {
        // A lost insert race can also surface as an IntegrityError when the snapshot
        // (REPEATABLE READ) cannot see the winner's row yet; a new transaction can.
        const retryable =
          e instanceof IntegrityError ||
          (e instanceof OperationalError &&
            ['1213', '40P01', '40001'].includes(String(e.driverCode)));
        if (!retryable || tries >= 10 || connection.inAtomicBlock()) throw e;
      }
    }
  }

  private selectForUpdateIfSupported(alias: string): QuerySet<T, R> {
    return connections.get(alias).features.hasSelectForUpdate
      ? this.selectForUpdate()
      : this.chain();
  }

  /**
   * Inserts many instances in as few statements as the backend's parameter
   * limit allows; sets primary keys where the backend returns them. Sends no
   * signals and calls no `save()`, as in Django.
   */
  async bulkCreate(
    objs: readonly T[],
    options: {
      batchSize?: number;
      ignoreConflicts?: boolean;
      updateConflicts?: boolean;
      updateFields?: readonly string[];
      uniqueFields?: readonly string[];
    } = {},
  ): Promise<T[]> {
    if (!objs.length) return [];
    const connection = this.writeConnection();
    const opts = this.model._meta;
    const pk = opts.pk;
    const withPk = objs.filter((o) => (o as Record<string, unknown>)[pk.attname] != null);
    const withoutPk = objs.filter((o) => (o as Record<string, unknown>)[pk.attname] == null);
    const update = options.updateConflicts
      ? {
          updateFields: (options.updateFields ?? []).map((n) => opts.getField(n)),
          uniqueFields: (options.uniqueFields ?? []).map((n) => opts.getField(n)),
        }
      : {};
    const conflict = { ignore: options.ignoreConflicts ?? false, ...update };
    await atomic(
      async () => {
        for (const [group, includePk] of [
          [withPk, true],
          [withoutPk, false],
        ] as const) {
          if (!group.length) continue;
          const fields = opts.concreteFields.filter((f) => includePk || f !== pk);
          const maxBatch = connection.ops.bulkBatchSize(fields.length, group.length);
          const size = Math.max(1, Math.min(options.batchSize ?? maxBatch, maxBatch));
          for (let i = 0; i < group.length; i += size) {
            const batch = group.slice(i, i + size);
            const rows = batch.map((o) =>
              fields.map((f) =>
                f.toDb(f.preSave(o as Record<string, unknown>, true) as never, connection),
              ),
            );
            const returning =
              !includePk && connection.features.canReturnRowsFromBulkInsert && !conflict.ignore
                ? [pk]
                : [];
            const compiled = compileInsert(
              connection,
              opts.dbTable,
              fields,
              rows,
              returning,
              conflict,
            );
            const result = await connection.run<unknown[]>(compiled.sql, compiled.params, {
              rowMode: 'array',
            });
            if (returning.length) {
              result.rows.forEach((row, j) => {
                (batch[j] as Record<string, unknown>)[pk.attname] = pk.fromDb(row[0], connection);
              });
            } else if (
              !includePk &&
              connection.vendor === 'mysql' &&
              batch.length &&
              result.lastInsertId &&
              !conflict.ignore
            ) {
              // MySQL: consecutive ids from the first one (innodb_autoinc_lock_mode 1 or 2 for one statement).
              const first = Number(result.lastInsertId);
              batch.forEach((o, j) => ((o as Record<string, unknown>)[pk.attname] = first + j));
            }
            for (const o of batch) {
              const state = (o as unknown as SavableInstance)._state;
              state.adding = false;
              state.db = connection.alias;
            }
          }
        }
      },
      { using: connection.alias },
    );
    return [...objs];
  }

  /**
   * Updates `fields` of many saved instances with one statement per batch
   * (`CASE WHEN pk = … THEN …`). Returns the number of rows matched.
   */
  async bulkUpdate(
    objs: readonly T[],
    fieldNames: readonly string[],
    options: { batchSize?: number } = {},
  ): Promise<number> {
    if (!fieldNames.length) throw new ValueError('Field names must be given to bulkUpdate().');
    const opts = this.model._meta;
    const fields = fieldNames.map((n) => opts.getField(n));
    if (fields.some((f) => f.primaryKey))
      throw new ValueError('bulkUpdate() cannot be used with primary key fields.');
    if (fields.some((f) => !f.concrete || (f as { manyToMany?: boolean }).manyToMany)) {
      throw new ValueError('bulkUpdate() can only be used with concrete fields.');
    }
    if (!objs.length) return 0;
    const pk = opts.pk;
    if (objs.some((o) => (o as Record<string, unknown>)[pk.attname] == null)) {
      throw new ValueError('All bulkUpdate() objects must have a primary key set.');
    }
    const connection = this.writeConnection();
    const q = (n: string) => connection.ops.quoteName(n);
    const perRow = fields.length * 2 + 1;
    const maxBatch = connection.ops.bulkBatchSize(perRow, objs.length);
    const size = Math.max(1, Math.min(options.batchSize ?? maxBatch, maxBatch));
    let total = 0;
    await atomic(
      async () => {
        for (let i = 0; i < objs.length; i += size) {
          const batch = objs.slice(i, i + size) as Record<string, unknown>[];
          const params: unknown[] = [];
          const sets = fields.map((f) => {
            const cases = batch.map((o) => {
              params.push(
                pk.toDb(o[pk.attname] as never, connection),
                f.toDb(f.preSave(o, false) as never, connection),
              );
              return `WHEN ${q(pk.column)} = \0 THEN \0`;
            });
            const cast = connection.vendor === 'postgresql' ? `::${pgCastType(f)}` : '';
            return `${q(f.column)} = (CASE ${cases.join(' ')} ELSE ${q(f.column)} END)${cast}`;
          });
          for (const o of batch) params.push(pk.toDb(o[pk.attname] as never, connection));
          let index = 0;
          const sql =
            `UPDATE ${q(opts.dbTable)} SET ${sets.join(', ')} WHERE ${q(pk.column)} IN (${batch.map(() => '\0').join(', ')})`.replace(
              /\0/g,
              () => connection.ops.placeholder(++index),
            );
          total += (await connection.run(sql, params)).rowCount;
        }
      },
      { using: connection.alias },
    );
    return total;
  }

  /**
   * Updates every matching row in one statement and returns the number of
   * rows matched. Values may be `F()` expressions. Sends no signals.
   *
   * @example
   * ```ts
   * await Book.objects.filter({ status: 'draft' }).update({ sales: F('sales').add(1) });
   * ```
   */
  async update<V extends object = object>(
    values: CheckedValues<UpdateInputOf<T>, V>,
  ): Promise<number> {
    this.assertNotSliced('update');
    const opts = this.model._meta;
    const query = this.query.clone();
    query.ordering = [];
    query.defaultOrdering = false;
    const pairs = Object.entries(values).map(([name, value]) => {
      const field = opts.findField(name);
      if (!field || !field.concrete) {
        throw new FieldError(
          `Cannot update model field ${JSON.stringify(name)} (only non-relations and foreign keys permitted).`,
        );
      }
      if (field.primaryKey && field.autoCreated) {
        // Django allows it; nothing special to do.
      }
      const resolved =
        value instanceof Expression
          ? query.resolveExpression(value, false)
          : field.toJs((value as { pk?: unknown })?.pk ?? value);
      return [field, resolved] as const;
    });
    const connection = this.writeConnection();
    try {
      const compiled = new SQLCompiler(query, connection).asUpdate(pairs);
      return (await connection.run(compiled.sql, compiled.params)).rowCount;
    } catch (e) {
      if (e instanceof EmptyResultSet) return 0;
      throw e;
    }
  }

  /**
   * Deletes the matching rows and what cascades from them, in one
   * transaction; returns `[total, { 'app.Model': count }]` as Django does.
   */
  async delete(): Promise<[number, Record<string, number>]> {
    this.assertNotSliced('delete');
    if (this.kind !== 'model')
      throw new TypeError('Cannot call delete() after values() or valuesList().');
    const { deleteQuerySet } = await import('./deletion.js');
    return deleteQuerySet(this as unknown as QuerySet<object>, this.writeConnection());
  }

  private combine(
    kind: 'UNION' | 'INTERSECT' | 'EXCEPT',
    others: readonly QuerySet<T, R>[],
    all: boolean,
  ): QuerySet<T, R> {
    const qs = this.chain() as this;
    if (qs.query.combinator)
      throw new TypeError(
        `Calling ${kind.toLowerCase()}() after a combinator is not supported yet.`,
      );
    qs.query.combinator = { kind, all, queries: others.map((o) => o.query.clone()) };
    qs.query.ordering = [];
    return qs;
  }

  /** Rows of this query or any of `others` (`UNION`; `{ all: true }` keeps duplicates). */
  union(...args: (QuerySet<T, R> | { all?: boolean })[]): QuerySet<T, R> {
    const all = args.some((a) => !(a instanceof QuerySet) && (a as { all?: boolean }).all === true);
    return this.combine(
      'UNION',
      args.filter((a): a is QuerySet<T, R> => a instanceof QuerySet),
      all,
    );
  }

  /** Rows in this query and in every one of `others` (`INTERSECT`). */
  intersection(...others: QuerySet<T, R>[]): QuerySet<T, R> {
    return this.combine('INTERSECT', others, false);
  }

  /** Rows of this query not in any of `others` (`EXCEPT`). */
  difference(...others: QuerySet<T, R>[]): QuerySet<T, R> {
    return this.combine('EXCEPT', others, false);
  }

  /** @internal For the deletion collector: matching primary keys. */
  async _pks(): Promise<unknown[]> {
    return (await this.valuesList('pk', { flat: true })) as unknown[];
  }
}

function pgCastType(field: Field): string {
  const map: Record<string, string> = {
    CharField: 'varchar',
    SlugField: 'varchar',
    TextField: 'text',
    IntegerField: 'integer',
    SmallIntegerField: 'smallint',
    BigIntegerField: 'bigint',
    PositiveIntegerField: 'integer',
    PositiveSmallIntegerField: 'smallint',
    PositiveBigIntegerField: 'bigint',
    FloatField: 'double precision',
    DecimalField: 'numeric',
    BooleanField: 'boolean',
    DateField: 'date',
    DateTimeField: 'timestamp with time zone',
    TimeField: 'time',
    DurationField: 'interval',
    UUIDField: 'uuid',
    JSONField: 'jsonb',
    BinaryField: 'bytea',
  };
  return map[field.internalType] ?? 'text';
}

/** Lookups without `__` become constructor values (Django keeps only exact lookups for create). */
function plainLookups(lookups: Lookups): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(lookups)
      .filter(([k]) => !k.includes('__') || k.endsWith('__exact'))
      .map(([k, v]) => [k.replace(/__exact$/, ''), v]),
  );
}

function resolveCallables(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [
      k,
      typeof v === 'function' ? (v as () => unknown)() : v,
    ]),
  );
}
