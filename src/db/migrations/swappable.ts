/**
 * Swappable models (Django's `swappable_dependency` and
 * `settings.AUTH_USER_MODEL` in migration files): a relation to the user
 * model is written through the setting, so the same migration works with
 * whichever model a project configures.
 */
import { isConfigured, overrideStorage, settings } from '../../conf/settings.js';
import type { MigrationKey } from './graph.js';

/** Settings that name a swappable model. */
export const SWAPPABLE_SETTINGS = ['authUserModel'] as const;
export type SwappableSetting = (typeof SWAPPABLE_SETTINGS)[number];

/** The marker app of a dependency on a swappable setting (resolved by the loader). */
export const SETTING_DEPENDENCY = '__setting__';

/**
 * A dependency on the first migration of the app of the model a setting
 * names, resolved when the migrations are loaded.
 *
 * @example
 * ```ts
 * dependencies: [swappableDependency('authUserModel')],
 * ```
 */
export function swappableDependency(setting: SwappableSetting): MigrationKey {
  return [SETTING_DEPENDENCY, setting];
}

/**
 * The model label a swappable setting names, read when the migration file is
 * loaded (`ForeignKey(swappableModel('authUserModel'), …)`).
 *
 * @example
 * ```ts
 * author: ForeignKey(swappableModel('authUserModel'), { onDelete: CASCADE }),
 * ```
 */
export function swappableModel(setting: SwappableSetting): string {
  return settingValue(setting) ?? 'auth.User';
}

/** A setting overridden in this async scope, else configured, else undefined (never an error). */
function settingValue(name: SwappableSetting): string | undefined {
  const layer = overrideStorage.getStore();
  if (layer && Object.hasOwn(layer, name)) return layer[name] as string;
  return isConfigured() ? settings[name] : undefined;
}

/** The swappable setting naming `label`, if any. */
export function swappableSettingFor(label: string): SwappableSetting | undefined {
  return SWAPPABLE_SETTINGS.find((s) => settingValue(s)?.toLowerCase() === label.toLowerCase());
}

/** Resolves a dependency on a setting to `[app, '__first__']`; other keys unchanged. */
export function resolveSwappable(dep: MigrationKey): MigrationKey {
  if (dep[0] !== SETTING_DEPENDENCY) return dep;
  const label = swappableModel(dep[1] as SwappableSetting);
  return [label.split('.')[0]!, '__first__'];
}
