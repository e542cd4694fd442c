/**
 * `prefetchRelated` (Django's `prefetch_related_objects`): relations of many
 * instances loaded with one `IN` query per level, then joined in memory.
 * Results go where the relation accessors read them: the relation cache for
 * single-valued relations (`book.author`), `prefetch:<accessor>` for related
 * managers (`author.books.all()`, `.count()`, `.loaded`), or the attribute
 * named by `toAttr`.
 */
import { ValueError } from '../../core/exceptions.js';
import { connections, router } from '../connections.js';
import { ForeignKeyImpl, ManyToManyFieldImpl } from './fields/related.js';
import type { ModelState } from './hydrate.js';
import { EmptyResultSet } from './lookups.js';
import type { PrefetchLookupsResult, PrefetchPath, PrefetchTypes } from './eager-types.js';
import { QuerySet, type QuerySetModel } from './queryset.js';
import type { ForeignObjectRel } from './reverse.js';
import { SQLCompiler } from './sql/compiler.js';
import { throughFks, type QueryModel } from './sql/query.js';

/**
 * A prefetch with its own queryset (filtered, ordered, with its own
 * `selectRelated` and `prefetchRelated`) and, with `toAttr`, stored as a
 * plain attribute instead of the relation's cache.
 *
 * @example
 * ```ts
 * const authors = await Author.objects.prefetchRelated(
 *   new Prefetch('books', {
 *     queryset: Book.objects.filter({ rating__gte: 4 }).orderBy('-rating'),
 *     toAttr: 'topBooks',
 *   }),
 * );
 * authors[0].topBooks; // Book[]
 * ```
 */
export class Prefetch<
  const P extends string = string,
  const A extends string = never,
  E = unknown,
> implements PrefetchTypes<P, A, E> {
  declare readonly __path: P;
  declare readonly __toAttr: A;
  declare readonly __element: E;
  /** The relation path the objects are fetched through (`books__reviews`). */
  readonly prefetchThrough: string;
  /** Where the results go: the path with its last name replaced by `toAttr`. */
  readonly prefetchTo: string;
  /** The queryset, without its slice (which applies to each parent's objects: `slice`). */
  readonly queryset: QuerySet<E, any> | null;
  readonly toAttr: A | null;
  /** A sliced queryset's bounds, applied to each parent's list (as Django 4.2+). */
  readonly slice: PrefetchSlice | null = null;

  constructor(lookup: P, options: { queryset?: QuerySet<any, E>; toAttr?: A } = {}) {
    let queryset = options.queryset ?? null;
    if (queryset && queryset._kind !== 'model') {
      throw new ValueError('Prefetch querysets cannot use raw(), values(), and valuesList().');
    }
    if (queryset && queryset._query.isSliced) {
      // `[:3]` means the first three of each parent, not of all the rows together:
      // the query runs unsliced and each parent's list is sliced.
      const { low, high } = queryset._query;
      this.slice = { low, high };
      queryset = queryset.all();
      queryset._query.low = 0;
      queryset._query.high = null;
    }
    this.prefetchThrough = lookup;
    this.toAttr = options.toAttr ?? null;
    this.prefetchTo = this.toAttr
      ? [...lookup.split('__').slice(0, -1), this.toAttr].join('__')
      : lookup;
    this.queryset = queryset as QuerySet<E, any> | null;
  }
}

/** The bounds of a sliced Prefetch queryset (`slice(low, high)`). */
interface PrefetchSlice {
  readonly low: number;
  readonly high: number | null;
}

/** One parent's objects, within the Prefetch's slice if any. */
function sliced<T>(list: T[], slice: PrefetchSlice | null): T[] {
  return slice ? list.slice(slice.low, slice.high ?? undefined) : list;
}

/** A lookup: a relation path, or a `Prefetch`. */
export type PrefetchLookup = string | Prefetch<string, any, any>;

interface Instance {
  readonly _state: ModelState;
  readonly constructor: QuerySetModel<unknown>;
}

type Row = Instance & Record<string, unknown>;

/** How to fetch one relation of a model, and where the results are cached. */
interface Relation {
  readonly kind: 'forward' | 'reverse' | 'reverseOne' | 'm2m';
  /** The cache key on the instance for these results. */
  readonly cacheKey: string;
  readonly multiple: boolean;
  /** Whether the relation of `obj` is already loaded (selected, prefetched). */
  isLoaded(obj: Row): boolean;
  /** The related objects already loaded on `obj`. */
  loaded(obj: Row): unknown[];
  /** Fetches for `objs` with `queryset` and stores the results (on `toAttr` when given). */
  fetch(
    objs: Row[],
    queryset: QuerySet<unknown, any> | null,
    toAttr: string | null,
    slice?: PrefetchSlice | null,
  ): Promise<void>;
}

/** The values of `objs` for `attname`, without nulls or duplicates. */
function keysOf(objs: readonly Row[], attname: string): unknown[] {
  const keys = new Set<unknown>();
  for (const o of objs) {
    const v = o[attname];
    if (v !== null && v !== undefined) keys.add(v);
  }
  return [...keys];
}

/** A key usable in a Map whatever its type (UUID strings, numbers, bigints). */
function keyOf(value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

/**
 * Runs `queryset` filtered by `lookup__in` over `keys`, in as many queries as
 * the backend's parameter limit needs (one below it), and returns the rows
 * with the value of `extra` (a column selected beside the model's) if given.
 */
async function fetchIn(
  queryset: QuerySet<unknown, any>,
  lookup: string,
  keys: readonly unknown[],
  db: string | null,
  extra?: (qs: QuerySet<unknown, any>) => QuerySet<unknown, any>,
): Promise<Row[]> {
  if (!keys.length) return [];
  let qs = queryset;
  if (db && !qs._db) qs = qs.using(db);
  const connection = connections.get(qs._db ?? router.dbForRead(qs.model));
  // The queryset's own parameters count against the limit too.
  let own: number;
  try {
    own = new SQLCompiler(qs._query, connection).asSelect().params.length;
  } catch (e) {
    if (e instanceof EmptyResultSet) return [];
    throw e;
  }
  const size = Math.max(1, connection.features.maxQueryParams - own - 1);
  const rows: Row[] = [];
  for (let i = 0; i < keys.length; i += size) {
    let chunk = qs.filter({ [`${lookup}__in`]: keys.slice(i, i + size) });
    if (extra) chunk = extra(chunk);
    rows.push(...((await chunk) as Row[]));
  }
  return rows;
}

/** The default queryset of a related model (its default manager's). */
function defaultQueryset(model: QueryModel): QuerySet<unknown, any> {
  return (
    model as unknown as { objects: { getQueryset(): QuerySet<unknown, any> } }
  ).objects.getQueryset();
}

/** Values selected beside instances (the through table's key of a many-to-many prefetch). */
const extraValues = new WeakMap<object, unknown>();

/** @internal Records the extra column value of an instance (see QuerySet's `extraSelect`). */
export function setExtraValue(instance: object, value: unknown): void {
  extraValues.set(instance, value);
}

function forwardRelation(field: ForeignKeyImpl): Relation {
  const target = field.relatedModel as unknown as QueryModel;
  const targetField = field.targetField!;
  const reverseName = field.oneToOne
    ? (target._meta.relatedObjects.find((r) => r.field === field)?.accessorName ?? null)
    : null;
  return {
    kind: 'forward',
    cacheKey: field.name,
    multiple: false,
    isLoaded: (obj) => {
      if (obj[field.attname] == null) return true;
      // A cached object for another key (the key was changed since) is stale.
      const cached = obj._state.cache.get(field.name) as Row | null | undefined;
      return !!cached && keyOf(cached[targetField.attname]) === keyOf(obj[field.attname]);
    },
    loaded: (obj) => {
      const v = obj._state.cache.get(field.name);
      return v ? [v] : [];
    },
    async fetch(objs, queryset, toAttr) {
      const rows = await fetchIn(
        // As Django's base manager: a default manager's filters must not hide a related row.
        queryset ?? new QuerySet<unknown>(target as QuerySetModel<unknown>),
        targetField.name,
        keysOf(objs, field.attname),
        objs[0]!._state.db,
      );
      const byKey = new Map(rows.map((r) => [keyOf(r[targetField.attname]), r]));
      for (const obj of objs) {
        const key = obj[field.attname];
        const related = key == null ? null : (byKey.get(keyOf(key)) ?? null);
        if (toAttr) obj[toAttr] = related;
        else obj._state.cache.set(field.name, related);
        if (related && reverseName) related._state.cache.set(reverseName, obj);
      }
    },
  };
}

function reverseRelation(rel: ForeignObjectRel): Relation {
  const fk = rel.field as ForeignKeyImpl;
  const related = rel.relatedModel as unknown as QueryModel;
  const accessor = rel.accessorName!;
  const cacheKey = rel.multiple ? `prefetch:${accessor}` : accessor;
  return {
    kind: rel.multiple ? 'reverse' : 'reverseOne',
    cacheKey,
    multiple: rel.multiple,
    isLoaded: (obj) => obj._state.cache.has(cacheKey),
    loaded: (obj) => {
      const v = obj._state.cache.get(cacheKey);
      return Array.isArray(v) ? v : v ? [v] : [];
    },
    async fetch(objs, queryset, toAttr, slice = null) {
      const sourceAttname = fk.targetField!.attname;
      const rows = await fetchIn(
        queryset ?? defaultQueryset(related),
        fk.attname,
        keysOf(objs, sourceAttname),
        objs[0]!._state.db,
      );
      const groups = new Map<unknown, Row[]>();
      for (const r of rows) {
        const key = keyOf(r[fk.attname]);
        const list = groups.get(key);
        if (list) list.push(r);
        else groups.set(key, [r]);
      }
      for (const obj of objs) {
        const list = sliced(groups.get(keyOf(obj[sourceAttname])) ?? [], slice);
        // Each related object's own key points back at obj: cache it (no query to read it).
        for (const r of list) r._state.cache.set(fk.name, obj);
        const value = rel.multiple ? list : (list[0] ?? null);
        if (toAttr) obj[toAttr] = value;
        else obj._state.cache.set(cacheKey, value);
      }
    },
  };
}

function manyToManyRelation(
  field: ManyToManyFieldImpl,
  reverse: boolean,
  accessor: string,
): Relation {
  const cacheKey = `prefetch:${accessor}`;
  const target = (reverse ? field.model : field.relatedModel) as unknown as QueryModel;
  const through = field.throughModel as unknown as QueryModel;
  return {
    kind: 'm2m',
    cacheKey,
    multiple: true,
    isLoaded: (obj) => obj._state.cache.has(cacheKey),
    loaded: (obj) => (obj._state.cache.get(cacheKey) as unknown[] | undefined) ?? [],
    async fetch(objs, queryset, toAttr, slice = null) {
      const [sourceFk, targetFk] = throughFks(field, reverse);
      const targetRel = target._meta.relatedObjects.find((r) => r.field === field);
      // The name from the target back to the source side (`books` for Book.tags).
      const backName = reverse ? field.name : targetRel!.queryName;
      const sourceAttname = sourceFk.targetField!.attname;
      const rows = await fetchIn(
        queryset ?? defaultQueryset(target),
        backName,
        keysOf(objs, sourceAttname),
        objs[0]!._state.db,
        // Select the through table's source key with each row, from the join the filter made.
        (qs) => {
          const query = qs._query;
          const join = query.joins.find(
            (j) =>
              j.table === through._meta.dbTable &&
              j.parentAlias === query.baseAlias &&
              j.column === targetFk.column,
          );
          if (!join)
            throw new Error(`No join to ${through._meta.dbTable} in a prefetch of ${accessor}.`);
          return qs._withExtraSelect({
            kind: 'col',
            alias: join.alias,
            column: sourceFk.column,
            field: sourceFk,
          });
        },
      );
      const groups = new Map<unknown, Row[]>();
      for (const r of rows) {
        const key = keyOf(extraValues.get(r));
        const list = groups.get(key);
        if (list) list.push(r);
        else groups.set(key, [r]);
      }
      for (const obj of objs) {
        const list = sliced(groups.get(keyOf(obj[sourceAttname])) ?? [], slice);
        if (toAttr) obj[toAttr] = list;
        else obj._state.cache.set(cacheKey, list);
      }
    },
  };
}

/** The relation named `name` on `obj`'s model, or undefined. */
function relationOf(obj: Row, name: string): Relation | undefined {
  const opts = obj.constructor._meta;
  const field = opts.findField(name);
  if (field instanceof ForeignKeyImpl && field.name === name) return forwardRelation(field);
  if (field instanceof ManyToManyFieldImpl) return manyToManyRelation(field, false, field.name);
  if (field) return undefined;
  const rel = opts.relatedObjects.find((r) => r.accessorName === name);
  if (!rel) return undefined;
  if (rel.kind === 'manyToMany')
    return manyToManyRelation(rel.field as ManyToManyFieldImpl, true, name);
  return reverseRelation(rel);
}

/** The objects one level down: through a relation's cache, or an attribute set by `toAttr`. */
function descend(objs: readonly Row[], name: string, relation: Relation | undefined): Row[] {
  const next: Row[] = [];
  const seen = new Set<unknown>();
  for (const obj of objs) {
    const values = relation
      ? relation.loaded(obj)
      : ((v: unknown) => (Array.isArray(v) ? v : v ? [v] : []))(obj[name]);
    for (const v of values as Row[]) {
      if (seen.has(v)) continue;
      seen.add(v);
      next.push(v);
    }
  }
  return next;
}

/**
 * Loads the relations named by `lookups` for instances already in memory,
 * one query per level (Django's `prefetch_related_objects`), and returns the
 * same array, typed with the relations loaded.
 *
 * @example
 * ```ts
 * const books = await Book.objects.filter({ rating__gte: 4 });
 * const loaded = await prefetchRelatedObjects(books, 'author', 'tags'); // the same array, typed
 * loaded[0].author.name; // loaded
 * ```
 */
export async function prefetchRelatedObjects<
  T extends object,
  const L extends readonly (PrefetchPath<T> | Prefetch<PrefetchPath<T>, any, any>)[],
>(instances: readonly T[], ...lookups: L): Promise<PrefetchLookupsResult<T, L>[]> {
  const result = instances as unknown as PrefetchLookupsResult<T, L>[];
  if (!instances.length) return result;
  await prefetchLookups(instances, lookups as readonly PrefetchLookup[]);
  return result;
}

/**
 * @internal `prefetchRelatedObjects` without the types, for lookups known
 * only at run time (`prefetchLookups(peers, ['author'])` loads the authors
 * of every peer that does not have its author yet, in one query).
 */
export async function prefetchLookups(
  instances: readonly object[],
  lookups: readonly PrefetchLookup[],
): Promise<void> {
  if (!instances.length) return;
  const done = new Map<string, Prefetch<string, any, any> | null>();
  const queue = lookups.map((l) => (typeof l === 'string' ? new Prefetch(l) : l));
  for (const lookup of queue) {
    if (done.has(lookup.prefetchTo)) {
      if (lookup.queryset && done.get(lookup.prefetchTo) !== lookup) {
        throw new ValueError(
          `'${lookup.prefetchTo}' lookup was already seen with a different queryset. You may need to adjust the ordering of your lookups.`,
        );
      }
      continue;
    }
    let objs = instances as Row[];
    const through = lookup.prefetchThrough.split('__');
    const to = lookup.prefetchTo.split('__');
    for (let level = 0; level < through.length && objs.length; level++) {
      const name = through[level]!;
      const isLast = level === through.length - 1;
      const path = to.slice(0, level + 1).join('__');
      const first = objs[0]!;
      const relation = relationOf(first, name);
      if (!relation) {
        // An attribute set by an earlier Prefetch's toAttr can be traversed.
        if (
          !isLast &&
          first[name] !== undefined &&
          done.has(through.slice(0, level + 1).join('__'))
        ) {
          objs = descend(objs, name, undefined);
          continue;
        }
        const isField = !!first.constructor._meta.findField(name);
        if (isField || first[name] !== undefined) {
          throw new ValueError(
            `'${lookup.prefetchThrough}' does not resolve to an item that supports prefetching - this is an invalid parameter to prefetchRelated().`,
          );
        }
        throw new ValueError(
          `Cannot find '${name}' on ${first.constructor.name} object, '${lookup.prefetchThrough}' is an invalid parameter to prefetchRelated()`,
        );
      }
      if (isLast && lookup.toAttr) {
        const clash = first.constructor._meta.findField(lookup.toAttr);
        if (clash || relationOf(first, lookup.toAttr)) {
          throw new ValueError(
            `toAttr=${lookup.toAttr} conflicts with a field on the ${first.constructor.name} model.`,
          );
        }
      }
      if (isLast) {
        // As Django's is_fetched: objects that already have the relation (or toAttr) keep it.
        const toAttr = lookup.toAttr;
        const missing = objs.filter((o) =>
          toAttr ? !Object.prototype.hasOwnProperty.call(o, toAttr) : !relation.isLoaded(o),
        );
        if (missing.length) await relation.fetch(missing, lookup.queryset, toAttr, lookup.slice);
        done.set(path, lookup);
        if (lookup.toAttr) {
          objs = descend(objs, lookup.toAttr, undefined);
          continue;
        }
      } else if (!done.has(path)) {
        // An intermediate level: fetched with the default queryset unless already loaded.
        const missing = objs.filter((o) => !relation.isLoaded(o));
        if (missing.length) await relation.fetch(missing, null, null);
        done.set(path, null);
      }
      objs = descend(objs, name, relation);
    }
  }
}
