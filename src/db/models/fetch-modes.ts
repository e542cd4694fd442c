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
function setting<K extends 'fetchMode' | 'nPlusOne' | 'debug'>(name: K): Settings[K] | undefined {
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

/** How many instances of one result set may query a relation one by one. */
const THRESHOLD = 2;

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
  if (instances.size !== THRESHOLD) return;
  const plural = `${model[0]!.toLowerCase()}${model.slice(1)}s`;
  const message =
    `N+1 queries: ${model}.${relation} is loaded one ${model.toLowerCase()} at a time for ${plural} ` +
    `of the same result set (at ${callSite()}). Load it with the query instead: ${fix}.`;
  if (action === 'raise') throw new NPlusOneError(message);
  logger.warn(message);
}
