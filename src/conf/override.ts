/**
 * Scoped setting overrides (the role of `django.test.override_settings`) and
 * the notification sent when a setting changes (Django's `setting_changed`).
 */
import { configuredValue, overrideStorage, validateSettings } from './settings.js';
import type { UserSettings } from './types.js';

/** What a setting-changed listener receives. */
export interface SettingChangedEvent {
  /** The setting's name, e.g. `'caches'`. */
  readonly setting: string;
  /** The value now visible: the override on enter, the restored value on exit. */
  readonly value: unknown;
  /** `true` when an override starts, `false` when it ends. */
  readonly enter: boolean;
}

/** A function called when a setting changes; see {@link onSettingChanged}. */
export type SettingChangedListener = (event: SettingChangedEvent) => void;

const listeners = new Set<SettingChangedListener>();

/**
 * Calls `listener` whenever {@link overrideSettings} starts or ends an
 * override, once per setting. Use it to drop state derived from a setting
 * (a cache connection, a parsed value). Returns a function that removes the
 * listener.
 *
 * Listeners are global while overrides are scoped: a listener that clears
 * shared state affects concurrent code too, so keep them to cache clearing.
 *
 * @example
 * ```ts
 * let parsedHosts: string[] | undefined;
 * const stop = onSettingChanged(({ setting }) => {
 *   if (setting === 'allowedHosts') parsedHosts = undefined;
 * });
 * // later: stop();
 * ```
 */
export function onSettingChanged(listener: SettingChangedListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function notify(names: readonly string[], enter: boolean, valueOf: (name: string) => unknown) {
  for (const listener of [...listeners]) {
    for (const setting of names) listener({ setting, value: valueOf(setting), enter });
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Runs `fn` with some settings replaced, and returns what it returns. The
 * override is visible to everything `fn` calls or awaits, and to nothing
 * else: concurrent code outside `fn` keeps seeing the configured values
 * (the scope follows the async context, via `AsyncLocalStorage`). Overrides
 * nest; keys may be settings of the project's own. When `fn` returns a
 * promise the override ends when it settles.
 *
 * @example
 * ```ts
 * import { overrideSettings, settings } from 'reinhardt/conf';
 * await overrideSettings({ debug: true, allowedHosts: ['testserver'] }, async () => {
 *   assert.equal(settings.debug, true);
 * });
 * ```
 */
export function overrideSettings<const O extends UserSettings, R>(overrides: O, fn: () => R): R {
  validateSettings(overrides);
  const outer = overrideStorage.getStore();
  const layer: Readonly<Record<string, unknown>> = Object.freeze({ ...outer, ...overrides });
  const names = Object.keys(overrides);
  // On exit, listeners get the value visible again outside this override.
  const restored = (name: string): unknown =>
    outer && Object.hasOwn(outer, name) ? outer[name] : configuredValue(name);
  const exit = () => notify(names, false, restored);

  let result: R;
  try {
    result = overrideStorage.run(layer, () => {
      notify(names, true, (name) => layer[name]);
      return fn();
    });
  } catch (error) {
    exit();
    throw error;
  }
  if (isPromiseLike(result)) {
    return Promise.resolve(result).finally(exit) as R;
  }
  exit();
  return result;
}
