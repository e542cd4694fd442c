/**
 * `reinhardt/conf`: settings (the role of `django.conf`).
 *
 * @example
 * ```ts
 * import { defineSettings, env, settings, loadSettings } from 'reinhardt/conf';
 * ```
 */
export { globalSettings } from './defaults.js';
export { defineSettings } from './define.js';
export { Env, env } from './env.js';
export type { EnvSource, ListOptions } from './env.js';
export { onSettingChanged, overrideSettings } from './override.js';
export type { SettingChangedEvent, SettingChangedListener } from './override.js';
export { resolveSettingsModule, settingsModuleCandidates, SETTINGS_EXTENSIONS } from './resolve.js';
export {
  configureSettings,
  isConfigured,
  loadSettings,
  resetSettings,
  settings,
  settingsModulePath,
  SETTINGS_ENVIRONMENT_VARIABLE,
} from './settings.js';
export type {
  CacheSettings,
  DatabaseEngine,
  DatabaseRouter,
  DatabaseSettings,
  EmailBackendName,
  PasswordHasherName,
  PasswordValidatorSettings,
  PoolSettings,
  RouterHints,
  Settings,
  UserSettings,
} from './types.js';
export { parseCacheUrl, parseDatabaseUrl, redact } from './urls.js';
