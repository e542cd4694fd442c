/**
 * Turning database rows into model instances, without running the model's
 * constructor (as Django's `Model.from_db`): each loaded field's converter
 * runs once per value, and the instance records the database it came from.
 *
 * This is the ORM's hot loop (docs/benchmarks.md). For each column list the
 * row builders are generated once as straight-line code (one assignment per
 * column, the converter called only for fields whose `fromDb` is not the
 * identity) and cached, so a row costs one allocation of a fixed shape and
 * one monomorphic call per converted value. Where code generation is
 * disallowed (`--disallow-code-generation-from-strings`), equivalent loops
 * are used instead.
 */
import type { BaseDatabaseWrapper } from '../backends/base/wrapper.js';
import { ReinhardtError } from '../../core/exceptions.js';
import { Field } from './fields/field.js';

/** Per-instance state (Django's `ModelState`). */
export class ModelState {
  /** The alias the instance was loaded from or saved to; null before either. */
  db: string | null = null;
  /** True until the instance is saved or loaded. */
  adding = true;
  /** Names of fields not loaded (`only`/`defer`). */
  deferred: ReadonlySet<string> | null = null;
  /** The instances loaded by the same query (for the `peers` fetch mode and the N+1 detector). */
  peers: readonly object[] | null = null;
  /** The fetch mode of the QuerySet that loaded the instance, if it set one. */
  fetchMode: 'peers' | 'one' | 'raise' | null = null;
  #cache: Map<string, unknown> | undefined = undefined;

  /** Loaded related objects and prefetched results, by name (created on first use). */
  get cache(): Map<string, unknown> {
    return (this.#cache ??= new Map());
  }
}

/** The state of an instance just loaded from `db`. */
function loadedState(db: string, deferred: ReadonlySet<string> | null): ModelState {
  const state = new ModelState();
  state.db = db;
  state.adding = false;
  state.deferred = deferred;
  return state;
}

/** A loaded value: the field's `fromDb` unless null, with `undefined` read as null. */
function convert(field: Field | null, value: unknown, connection: BaseDatabaseWrapper): unknown {
  if (value === null || value === undefined) return null;
  return field ? field.fromDb(value, connection) : value;
}

/** The fields whose conversion is not the identity (null where the value is copied as it is). */
function convertersOf(fields: readonly Field[]): (Field | null)[] {
  return fields.map((f) => (f.fromDb === Field.prototype.fromDb ? null : f));
}

// ---------------------------------------------------------------- generated code

const canGenerate = ((): boolean => {
  try {
    return (new Function('return 1') as () => number)() === 1;
  } catch {
    return false;
  }
})();

/**
 * The expression converting `row[i]` in generated code, where `c` holds the
 * converters and `conn` is the connection; `v` keeps `row[i]` read once.
 */
function valueSource(i: number, converter: Field | null, offset = 0): string {
  return converter
    ? `(v = row[${i + offset}]) === null || v === undefined ? null : c[${i}].fromDb(v, conn)`
    : `(v = row[${i + offset}]) === undefined ? null : v`;
}

/** Property keys safe to write in generated code (`__proto__` in a literal sets the prototype). */
function safeKeys(names: readonly string[]): boolean {
  return !names.includes('__proto__');
}

function compile<F>(body: string): F {
  return new Function(`'use strict';\n${body}`)() as F;
}

/** A row function generated for one column list, with that list's converters. */
interface Generated<F> {
  readonly names: readonly string[];
  readonly fields: readonly Field[];
  readonly converters: readonly (Field | null)[];
  readonly fn: F;
}

/** Bounds the column lists remembered per owner (`only()`/`defer()`/`values()` combinations). */
const MAX_PER_OWNER = 32;

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The function generated for these names and fields under `owner` (a model
 * prototype, or the first field), made on first use. Found by identity, so a
 * query pays a few comparisons, not a rebuild of the code.
 */
function recall<F>(
  cache: WeakMap<object, Generated<F>[]>,
  owner: object,
  names: readonly string[],
  fields: readonly Field[],
  make: (converters: readonly (Field | null)[]) => F,
): Generated<F> {
  let list = cache.get(owner);
  if (!list) cache.set(owner, (list = []));
  for (const entry of list)
    if (sameList(entry.fields, fields) && sameList(entry.names, names)) return entry;
  const converters = convertersOf(fields);
  const entry = { names: [...names], fields: [...fields], converters, fn: make(converters) };
  if (list.length >= MAX_PER_OWNER) list.shift();
  list.push(entry);
  return entry;
}

type InstanceConstructor = new (
  row: readonly unknown[],
  state: ModelState,
  conn: BaseDatabaseWrapper,
  c: readonly (Field | null)[],
) => Record<string, unknown>;

type RowBuilder<R> = (
  row: readonly unknown[],
  conn: BaseDatabaseWrapper,
  c: readonly (Field | null)[],
) => R;

/** Instance constructors, by model prototype (null where a name cannot be generated). */
const constructors = new WeakMap<object, Generated<InstanceConstructor | null>[]>();
/** `values()` and `valuesList()` row builders, by first field. */
const dictBuilders = new WeakMap<object, Generated<RowBuilder<Record<string, unknown>>>[]>();
const tupleBuilders = new WeakMap<object, Generated<RowBuilder<unknown[]>>[]>();
const NO_FIELDS = {};

/**
 * A constructor whose instances have `proto` as prototype and are built in
 * one pass: `_state` first, then the fields in column order (the order the
 * properties had when they were written one by one).
 */
function makeConstructor(
  proto: object,
  names: readonly string[],
  converters: readonly (Field | null)[],
  offset: number,
): InstanceConstructor {
  const assignments = names.map(
    (name, i) => `  this[${JSON.stringify(name)}] = ${valueSource(i, converters[i]!, offset)};\n`,
  );
  const ctor = compile<InstanceConstructor>(
    'return function LoadedInstance(row, state, conn, c) {\n  let v;\n  this._state = state;\n' +
      `${assignments.join('')}};`,
  );
  ctor.prototype = proto;
  return ctor;
}

// ---------------------------------------------------------------- builders

/**
 * Builds a function that hydrates array rows of the given columns into
 * instances of `proto`'s class; the columns start at `offset` in the row
 * (related models selected by `selectRelated` follow the model's own).
 */
export function makeHydrator(
  proto: object,
  fields: readonly Field[],
  connection: BaseDatabaseWrapper,
  deferred: ReadonlySet<string> | null,
  offset = 0,
): (row: readonly unknown[]) => Record<string, unknown> {
  const hydrate = makeFullHydrator(proto, fields, connection, deferred, offset);
  return deferred && deferred.size ? withDeferredFields(hydrate, proto, deferred) : hydrate;
}

function makeFullHydrator(
  proto: object,
  fields: readonly Field[],
  connection: BaseDatabaseWrapper,
  deferred: ReadonlySet<string> | null,
  offset: number,
): (row: readonly unknown[]) => Record<string, unknown> {
  const alias = connection.alias;
  if (canGenerate) {
    // The offset is part of the generated code, so it is part of the cache key.
    const made = recall(constructors, proto, [String(offset)], fields, (converters) => {
      const names = fields.map((f) => f.attname);
      return safeKeys(names) ? makeConstructor(proto, names, converters, offset) : null;
    });
    const Instance = made.fn;
    const converters = made.converters;
    if (Instance)
      return (row) => new Instance(row, loadedState(alias, deferred), connection, converters);
  }
  const names = fields.map((f) => f.attname);
  const converters = convertersOf(fields);
  return (row) => {
    const obj = Object.create(proto) as Record<string, unknown>;
    obj._state = loadedState(alias, deferred);
    for (let i = 0; i < names.length; i++)
      obj[names[i]!] = convert(converters[i]!, row[i + offset], connection);
    return obj;
  };
}

/** Reading a field that `only()`/`defer()` left out. */
export class DeferredFieldNotLoaded extends ReinhardtError {
  override readonly code: string = 'deferred_field_not_loaded';
}

/**
 * Fields left out by `only()`/`defer()` throw when read, instead of loading
 * behind the caller's back (Django would run a query); assigning one stores it.
 */
function withDeferredFields(
  hydrate: (row: readonly unknown[]) => Record<string, unknown>,
  proto: object,
  deferred: ReadonlySet<string>,
): (row: readonly unknown[]) => Record<string, unknown> {
  const model = (
    proto as { constructor: { name: string; _meta?: { findField(n: string): Field | undefined } } }
  ).constructor;
  const attnames = [...deferred].map((name) => model._meta?.findField(name)?.attname ?? name);
  const variable = model.name[0]!.toLowerCase() + model.name.slice(1);
  const descriptors: PropertyDescriptorMap = {};
  for (const attname of attnames) {
    descriptors[attname] = {
      configurable: true,
      enumerable: false,
      get() {
        throw new DeferredFieldNotLoaded(
          `${model.name}.${attname} was deferred (only()/defer()) and is not loaded. Reinhardt never loads ` +
            `fields behind your back: include it in the query, or load it with ` +
            `await ${variable}.fetchDeferred('${attname}') (for every instance of the result set at once).`,
        );
      },
      set(this: Record<string, unknown>, value: unknown) {
        Object.defineProperty(this, attname, {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      },
    };
  }
  return (row) => Object.defineProperties(hydrate(row), descriptors);
}

/** Builds a function that turns array rows into `values()` dictionaries keyed by `names`. */
export function makeDictBuilder(
  names: readonly string[],
  fields: readonly Field[],
  connection: BaseDatabaseWrapper,
): (row: readonly unknown[]) => Record<string, unknown> {
  if (canGenerate && safeKeys(names)) {
    const made = recall(dictBuilders, fields[0] ?? NO_FIELDS, names, fields, (converters) => {
      const entries = names.map(
        (name, i) => `    ${JSON.stringify(name)}: ${valueSource(i, converters[i]!)},\n`,
      );
      return compile<RowBuilder<Record<string, unknown>>>(
        `return function valuesRow(row, conn, c) {\n  let v;\n  return {\n${entries.join('')}  };\n};`,
      );
    });
    const { fn: build, converters } = made;
    return (row) => build(row, connection, converters);
  }
  const converters = convertersOf(fields);
  return (row) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++)
      out[names[i]!] = convert(converters[i]!, row[i], connection);
    return out;
  };
}

/** Builds a function that turns array rows into `valuesList()` arrays of the given fields' values. */
export function makeTupleBuilder(
  fields: readonly Field[],
  connection: BaseDatabaseWrapper,
): (row: readonly unknown[]) => unknown[] {
  if (canGenerate) {
    const made = recall(tupleBuilders, fields[0] ?? NO_FIELDS, [], fields, (converters) => {
      const items = converters.map((c, i) => `    ${valueSource(i, c)},\n`);
      return compile<RowBuilder<unknown[]>>(
        `return function valuesListRow(row, conn, c) {\n  let v;\n  return [\n${items.join('')}  ];\n};`,
      );
    });
    const { fn: build, converters } = made;
    return (row) => build(row, connection, converters);
  }
  const converters = convertersOf(fields);
  return (row) => {
    const out = new Array<unknown>(converters.length);
    for (let i = 0; i < converters.length; i++)
      out[i] = convert(converters[i]!, row[i], connection);
    return out;
  };
}

/** Builds a function that returns the converted first value of each row (`valuesList(name, { flat: true })`). */
export function makeFlatBuilder(
  field: Field,
  connection: BaseDatabaseWrapper,
): (row: readonly unknown[]) => unknown {
  const converter = convertersOf([field])[0]!;
  return (row) => convert(converter, row[0], connection);
}

/** Where `selectRelated` put a related model's columns (see `sql/select-related.ts`). */
export interface RelatedColumns {
  readonly model: { readonly prototype: object; readonly _meta: { readonly pk: Field } };
  readonly cacheName: string;
  readonly reverseCacheName: string | null;
  readonly fields: readonly Field[];
  readonly deferred: ReadonlySet<string> | null;
  readonly start: number;
  readonly children: readonly RelatedColumns[];
}

type Loaded = Record<string, unknown> & { _state: ModelState };

/**
 * Builds a function that hydrates the related models of one row (their
 * columns follow the model's) and caches each on its parent, so that
 * `book.author` reads synchronously. An outer-joined relation with no row
 * (its primary key NULL) is cached as null.
 */
export function makeRelatedLoader(
  selections: readonly RelatedColumns[],
  connection: BaseDatabaseWrapper,
): (instance: object, row: readonly unknown[]) => void {
  const steps = selections.map((s) => ({
    hydrate: makeHydrator(s.model.prototype, s.fields, connection, s.deferred, s.start),
    pkIndex: s.start + s.fields.indexOf(s.model._meta.pk),
    cacheName: s.cacheName,
    reverseCacheName: s.reverseCacheName,
    children: s.children.length ? makeRelatedLoader(s.children, connection) : null,
  }));
  return (instance, row) => {
    const cache = (instance as Loaded)._state.cache;
    for (const step of steps) {
      const value = row[step.pkIndex];
      if (value === null || value === undefined) {
        cache.set(step.cacheName, null);
        continue;
      }
      const related = step.hydrate(row) as Loaded;
      cache.set(step.cacheName, related);
      if (step.reverseCacheName) related._state.cache.set(step.reverseCacheName, instance);
      if (step.children) step.children(related, row);
    }
  };
}
