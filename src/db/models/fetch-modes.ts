/**
 * Fetch modes (the role of Django 6.1's `FETCH_PEERS`, `FETCH_ONE` and
 * `RAISE`) and the N+1 detector.
 *
 * Reinhardt never loads a relation when it is read; `fetchRelated()` is the
 * explicit, awaited way to load one that was not. Its mode decides how much
 * it loads: `'peers'` (the default) loads the relation for every instance of
 * the result set the instance came from, in one query, so even a naive loop
 * costs two queries; `'one'` loads it for this instance only; `'raise'`
 * refuses. What stays one-by-one (mode `'one'`, related-manager queries in a
 * loop) is watched by the N+1 detector.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { fileURLToPath } from 'node:url';
import { isConfigured, overrideStorage, settings } from '../../conf/settings.js';
import type { Settings } from '../../conf/types.js';
import { ReinhardtError } from '../../core/exceptions.js';
import { connections } from '../connections.js';
import { getLogger } from '../../utils/log.js';

/** How `fetchRelated()` loads a relation. */
export type FetchMode = 'peers' | 'one' | 'raise';

const FETCH_MODES: readonly FetchMode[] = ['peers', 'one', 'raise'];
const scopedMode = new AsyncLocalStorage<FetchMode>();
const logger = getLogger('reinhardt.db.models.nplusone');

/** Checks a fetch mode given at run time. */
export function checkFetchMode(mode: string): FetchMode {
  if (!(FETCH_MODES as readonly string[]).includes(mode)) {
    throw new TypeError(`Unknown fetch mode '${mode}'. Choices are: ${FETCH_MODES.join(', ')}.`);
  }
  return mode as FetchMode;
}

/**
 * Runs `fn` with a fetch mode for every `fetchRelated()` in its async call
 * chain (a test, a request) that no QuerySet set its own mode for.
 *
 * @example
 * ```ts
 * await withFetchMode('raise', async () => {
 *   await renderPage(); // any on-demand fetch is an error here
 * });
 * ```
 */
export function withFetchMode<T>(mode: FetchMode, fn: () => T): T {
  return scopedMode.run(checkFetchMode(mode), fn);
}

/** A setting's value: overridden in this async scope, else configured, else undefined. */
function setting<K extends 'fetchMode' | 'nPlusOne' | 'nPlusOneThreshold' | 'debug'>(
  name: K,
): Settings[K] | undefined {
  const layer = overrideStorage.getStore();
  if (layer && Object.hasOwn(layer, name)) return layer[name] as Settings[K];
  return isConfigured() ? settings[name] : undefined;
}

/** The mode that applies: the QuerySet's, else the scope's, else `settings.fetchMode`. */
export function effectiveFetchMode(own: FetchMode | null | undefined): FetchMode {
  if (own) return own;
  const scoped = scopedMode.getStore();
  if (scoped) return scoped;
  return setting('fetchMode') ?? 'peers';
}

// ---------------------------------------------------------------- peers

/** What this module reads of an instance (a model instance, seen structurally to avoid a cycle). */
interface Loaded {
  readonly _state: {
    peers: readonly object[] | null;
    fetchMode: FetchMode | null;
    readonly cache: Map<string, unknown>;
  };
}

function isLoaded(value: unknown): value is Loaded {
  return typeof value === 'object' && value !== null && '_state' in value;
}

/**
 * @internal Records that `instances` were loaded by one query (a result set,
 * or one batch of an iterator): each gets the same array as its peers, and
 * the QuerySet's fetch mode if it set one. With `followSelected`, the objects
 * `selectRelated` joined in become peers too, per relation (the authors of
 * these books are peers of one another), so a fetch from one of them also
 * loads for all of them.
 */
export function markPeers(
  instances: readonly object[],
  mode: FetchMode | null,
  followSelected: boolean,
): void {
  for (const instance of instances as readonly Loaded[]) {
    instance._state.peers = instances;
    if (mode) instance._state.fetchMode = mode;
  }
  if (!followSelected) return;
  const byRelation = new Map<string, Set<Loaded>>();
  for (const instance of instances as readonly Loaded[]) {
    for (const [name, value] of instance._state.cache) {
      // Objects already marked are this result set or a parent (a one-to-one's back reference).
      if (!isLoaded(value) || value._state.peers) continue;
      let group = byRelation.get(name);
      if (!group) byRelation.set(name, (group = new Set()));
      group.add(value);
    }
  }
  for (const group of byRelation.values()) markPeers([...group], mode, true);
}

/**
 * @internal Gives objects loaded for `parent` (by `fetchRelated`) the fetch
 * mode `parent` was loaded with, as Django copies it down a tree of relations.
 */
export function inheritFetchMode(parent: object, loaded: unknown): void {
  const mode = (parent as Loaded)._state.fetchMode;
  if (mode && isLoaded(loaded) && !loaded._state.fetchMode) loaded._state.fetchMode = mode;
}

/** The structural view of a model class this module needs. */
interface ModelLike {
  readonly name: string;
  readonly DoesNotExist: new (message: string) => Error;
  readonly _meta: {
    readonly pk: { readonly name: string; readonly attname: string };
    getField(name: string): { readonly name: string; readonly attname: string };
  };
  readonly objects: {
    using(alias: string): {
      filter(lookups: Record<string, unknown>): {
        values(...names: string[]): PromiseLike<Record<string, unknown>[]>;
      };
    };
  };
}

/** Whether `attname` of `instance` is still deferred (its own property is the throwing getter). */
function isDeferred(instance: object, attname: string): boolean {
  return Object.getOwnPropertyDescriptor(instance, attname)?.get !== undefined;
}

/**
 * @internal The engine of `instance.fetchDeferred(...names)`: loads the
 * fields `only()`/`defer()` left out, by the fetch mode. Fields already
 * loaded cost nothing; in mode `'peers'` they are loaded for every peer still
 * lacking them too, in one query (per chunk of keys below the backend's
 * parameter limit); `'one'` loads this instance's, watched by the N+1
 * detector; `'raise'` refuses.
 */
export async function fetchDeferredFields(
  instance: object,
  names: readonly string[],
): Promise<void> {
  const model = instance.constructor as unknown as ModelLike;
  const fields = names
    .map((n) => model._meta.getField(n))
    .filter((f) => isDeferred(instance, f.attname));
  if (!fields.length) return;
  const own = (instance as Loaded & { _state: { db: string | null } })._state;
  const mode = effectiveFetchMode(own.fetchMode);
  const listed = fields.map((f) => f.name);
  const quoted = listed.map((n) => `'${n}'`).join(', ');
  const what = `${model.name}.${listed.join(', ')}`;
  if (mode === 'raise') {
    throw new FetchModeError(
      `Fetching ${what} on demand is not allowed (fetch mode 'raise'). ` +
        `Load it with the query: leave ${quoted} out of defer(), or name it in only().`,
    );
  }
  if (mode === 'one')
    recordSingleFetch(
      instance as never,
      model.name,
      listed.join(', '),
      `keep ${quoted} in only()/defer()`,
    );
  const alias = own.db ?? 'default';
  const peers = mode === 'peers' ? (own.peers ?? []) : [];
  // This instance, and the peers of the same database still lacking every one of these fields.
  const targets = [
    instance,
    ...peers.filter(
      (p) =>
        p !== instance &&
        (p as { _state: { db: string | null } })._state.db === own.db &&
        fields.every((f) => isDeferred(p, f.attname)),
    ),
  ] as Record<string, unknown>[];
  const pk = model._meta.pk;
  const size = Math.max(1, connections.get(alias).features.maxQueryParams - 1);
  const byPk = new Map<unknown, Record<string, unknown>>();
  for (let i = 0; i < targets.length; i += size) {
    const pks = targets.slice(i, i + size).map((t) => t[pk.attname]);
    const rows = await model.objects
      .using(alias)
      .filter({ pk__in: pks })
      .values(pk.name, ...listed);
    for (const row of rows) byPk.set(keyOf(row[pk.name]), row);
  }
  if (!byPk.has(keyOf((instance as Record<string, unknown>)[pk.attname])))
    throw new model.DoesNotExist(`${model.name} matching query does not exist.`);
  for (const target of targets) {
    const row = byPk.get(keyOf(target[pk.attname]));
    if (!row) continue; // a peer deleted since: left deferred
    for (const f of fields) target[f.attname] = row[f.name];
    const state = (target as unknown as { _state: { deferred: ReadonlySet<string> | null } })
      ._state;
    const left = state.deferred ? [...state.deferred].filter((n) => !listed.includes(n)) : [];
    state.deferred = left.length ? new Set(left) : null;
  }
}

/** A key usable in a Map whatever its type (bigints from some drivers). */
function keyOf(value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

/** Raised by `fetchRelated()` in fetch mode `'raise'`. */
export class FetchModeError extends ReinhardtError {
  override readonly code: string = 'fetch_mode_raise';
}

/** Raised by the N+1 detector (setting `nPlusOne: 'raise'`). */
export class NPlusOneError extends ReinhardtError {
  override readonly code: string = 'n_plus_one';
}

// ---------------------------------------------------------------- the detector

/** What the detector does now (see the `nPlusOne` setting). */
function detectorAction(): 'raise' | 'warn' | 'off' {
  const configured = setting('nPlusOne');
  if (configured) return configured;
  return setting('debug') === true || process.env.NODE_ENV === 'test' ? 'raise' : 'off';
}

/** Reinhardt's own source folder: stack frames inside it are not the caller. */
const OWN_SOURCE = fileURLToPath(new URL('../../', import.meta.url));

/** The first stack frame outside Reinhardt: where the loop is. */
function callSite(): string {
  const stack = new Error().stack?.split('\n').slice(1) ?? [];
  for (const line of stack) {
    const frame = line.trim();
    if (frame.includes(OWN_SOURCE) || frame.includes('node:') || frame.includes('node_modules'))
      continue;
    const location = /\(([^)]+)\)$/.exec(frame)?.[1] ?? frame.replace(/^at /, '');
    return location;
  }
  return 'unknown location';
}

/** Queries seen one by one, per result set (its peers array) and relation. */
const seen = new WeakMap<object, Map<string, Set<object>>>();

/**
 * @internal Called for each relation queried for one instance (a
 * `fetchRelated` in mode `'one'`, a related manager's query): raises or
 * warns when instances of the same result set do it one after another.
 */
export function recordSingleFetch(
  instance: { readonly _state: { peers?: readonly object[] | null } },
  model: string,
  relation: string,
  fix: string,
): void {
  const peers = instance._state.peers;
  if (!peers || peers.length < 2) return;
  const action = detectorAction();
  if (action === 'off') return;
  let byRelation = seen.get(peers);
  if (!byRelation) seen.set(peers, (byRelation = new Map()));
  let instances = byRelation.get(relation);
  if (!instances) byRelation.set(relation, (instances = new Set()));
  instances.add(instance);
  // Reported once per result set and relation: when the threshold is reached, not after.
  if (instances.size !== threshold()) return;
  const meta = (
    instance.constructor as { _meta?: { verboseName: string; verboseNamePlural: string } }
  )._meta;
  const one = meta?.verboseName ?? model.toLowerCase();
  const many = meta?.verboseNamePlural ?? `${one}s`;
  const message =
    `N+1 queries: ${model}.${relation} is loaded one ${one} at a time for ${many} ` +
    `of the same result set (at ${callSite()}). Load it with the query instead: ${fix}.`;
  if (action === 'raise') throw new NPlusOneError(message);
  logger.warn(message);
}

/** `settings.nPlusOneThreshold`, at least 2 (one instance alone is never a loop). */
function threshold(): number {
  const configured = setting('nPlusOneThreshold');
  return typeof configured === 'number' && configured >= 2 ? Math.floor(configured) : 2;
}
