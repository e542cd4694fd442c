/**
 * `defineSettings()`: types a settings module without changing it.
 */
import type { UserSettings } from './types.js';

/**
 * Returns `settings` unchanged, typed. Known keys are checked against
 * {@link Settings}; the literal type of the object is kept (so
 * `base.installedApps` is a readonly tuple other modules can spread), and
 * keys of the project's own are allowed.
 *
 * Defaults ({@link globalSettings}) are merged under this object when the
 * settings are configured, not here, so modules can spread each other
 * (`{ ...base, debug: true }`) without dragging every default along.
 *
 * @example
 * ```ts
 * // config/settings/base.ts
 * import { defineSettings, env } from 'reinhardt/conf';
 * export default defineSettings({
 *   secretKey: env.str('SECRET_KEY'),
 *   installedApps: ['shop'],
 * });
 * ```
 */
export function defineSettings<const T extends UserSettings>(settings: T): T {
  return settings;
}
