/**
 * The lazy `settings` object and how it gets configured (the roles of
 * `django.conf.settings`, `settings.configure()` and the settings part of
 * `django.setup()`).
 *
 * Nothing here reads settings at import time: the object only looks values
 * up when a property is read, so modules can import `settings` freely and
 * the project chooses its settings module later.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { pathToFileURL } from 'node:url';
import { ImproperlyConfigured } from '../core/exceptions.js';
import { globalSettings } from './defaults.js';
import { resolveSettingsModule } from './resolve.js';
import type { Settings, UserSettings } from './types.js';

/**
 * The environment variable naming the settings module (Django's `DJANGO_SETTINGS_MODULE`).
 *
 * @example
 * ```ts
 * process.env[SETTINGS_ENVIRONMENT_VARIABLE] = 'config.settings.test';
 * await loadSettings();
 * ```
 */
export const SETTINGS_ENVIRONMENT_VARIABLE = 'REINHARDT_SETTINGS';

/** Settings that must be arrays; a string here is a classic mistake (`'localhost'` for `['localhost']`). */
const ARRAY_SETTINGS = [
  'allowedHosts',
  'installedApps',
  'middleware',
  'databaseRouters',
  'silencedSystemChecks',
  'internalIps',
  'csrfTrustedOrigins',
  'secretKeyFallbacks',
  'admins',
] as const;

interface State {
  values: Readonly<Record<string, unknown>> | undefined;
  /** Absolute path of the module the settings came from, if any. */
  source: string | undefined;
}

const state: State = { values: undefined, source: undefined };

/**
 * @internal The layer of overridden settings visible to the current async
 * context (see `overrideSettings`). Created here so reading a setting needs
 * no import of the override module.
 */
export const overrideStorage = new AsyncLocalStorage<Readonly<Record<string, unknown>>>();

function notConfigured(name: string): ImproperlyConfigured {
  return new ImproperlyConfigured(
    `Requested setting ${name}, but settings are not configured. You must either define the ` +
      `environment variable ${SETTINGS_ENVIRONMENT_VARIABLE} or call configureSettings() before ` +
      'accessing settings.',
  );
}

/** @internal Checks values that would otherwise fail far from their cause. */
export function validateSettings(values: Readonly<Record<string, unknown>>): void {
  for (const name of ARRAY_SETTINGS) {
    if (Object.hasOwn(values, name) && !Array.isArray(values[name])) {
      throw new ImproperlyConfigured(`The ${name} setting must be an array.`);
    }
  }
}

/** @internal A setting's configured value, ignoring overrides; `undefined` when unset or unconfigured. */
export function configuredValue(name: string): unknown {
  return state.values && Object.hasOwn(state.values, name) ? state.values[name] : undefined;
}

function lookup(name: string): unknown {
  const layer = overrideStorage.getStore();
  let value: unknown;
  if (layer && Object.hasOwn(layer, name)) value = layer[name];
  else if (state.values) value = Object.hasOwn(state.values, name) ? state.values[name] : undefined;
  else throw notConfigured(name);
  // As Django: an empty secret key is an error when used, not when defined,
  // so commands that never sign anything still run.
  if (name === 'secretKey' && !value) {
    throw new ImproperlyConfigured('The secretKey setting must not be empty.');
  }
  return value;
}

function visibleKeys(): string[] {
  const keys = new Set(Object.keys(state.values ?? {}));
  for (const key of Object.keys(overrideStorage.getStore() ?? {})) keys.add(key);
  return [...keys];
}

function readOnly(): never {
  throw new TypeError(
    'Settings are read-only. Use overrideSettings() to change them for a scope, ' +
      'or configureSettings() once at start-up.',
  );
}

/**
 * The project's settings, read lazily: each property read looks the value
 * up in the configured settings (after any {@link overrideSettings} scope
 * around the caller). Reading before settings are configured throws
 * {@link ImproperlyConfigured}. Read settings inside functions, never at
 * module top level, so importing a module never needs settings.
 *
 * @example
 * ```ts
 * import { settings } from 'reinhardt/conf';
 * export function cookieFlags(): string {
 *   return settings.sessionCookieSecure ? 'Secure; HttpOnly' : 'HttpOnly';
 * }
 * ```
 */
export const settings: Readonly<Settings> = new Proxy({} as Settings, {
  get(_target, key) {
    // Symbols come from inspection (util.inspect, Symbol.toPrimitive) and
    // `then` from `await`; neither is a setting, so never throw for them.
    if (typeof key === 'symbol' || key === 'then') return undefined;
    return lookup(key);
  },
  has(_target, key) {
    if (typeof key === 'symbol') return false;
    const layer = overrideStorage.getStore();
    return Boolean(
      (layer && Object.hasOwn(layer, key)) || (state.values && Object.hasOwn(state.values, key)),
    );
  },
  ownKeys() {
    return visibleKeys();
  },
  getOwnPropertyDescriptor(_target, key) {
    if (typeof key === 'symbol' || !visibleKeys().includes(key)) return undefined;
    return { value: lookup(key), enumerable: true, configurable: true, writable: false };
  },
  set: readOnly,
  defineProperty: readOnly,
  deleteProperty: readOnly,
});

/**
 * Configures settings from an object (the role of `settings.configure()`),
 * for scripts and tests that do not use a settings module. Defaults are
 * merged under `values`. Throws if settings are already configured.
 *
 * @example
 * ```ts
 * import { configureSettings, settings } from 'reinhardt/conf';
 * configureSettings({ debug: true, databases: { default: { engine: 'sqlite', name: ':memory:' } } });
 * settings.debug; // true
 * ```
 */
export function configureSettings(values: UserSettings): void {
  configure(values, undefined);
}

function configure(values: unknown, source: string | undefined): void {
  if (state.values) throw new ImproperlyConfigured('Settings already configured.');
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw new ImproperlyConfigured(
      `Settings must be an object, not ${values === null ? 'null' : typeof values}.`,
    );
  }
  const merged = { ...structuredClone(globalSettings), ...(values as Record<string, unknown>) };
  validateSettings(merged);
  state.values = Object.freeze(merged);
  state.source = source;
}

/**
 * Whether settings have been configured (by {@link configureSettings} or
 * {@link loadSettings}).
 *
 * @example
 * ```ts
 * if (!isConfigured()) await loadSettings();
 * ```
 */
export function isConfigured(): boolean {
  return state.values !== undefined;
}

/**
 * Forgets the configured settings, so the next {@link configureSettings} or
 * {@link loadSettings} starts afresh. For tests; listeners registered with
 * `onSettingChanged` are kept.
 *
 * @example
 * ```ts
 * afterEach(() => resetSettings());
 * ```
 */
export function resetSettings(): void {
  state.values = undefined;
  state.source = undefined;
}

/**
 * The absolute path of the module the settings were loaded from, or
 * `undefined` if they were configured from an object or not yet configured.
 *
 * @example
 * ```ts
 * await loadSettings('config.settings.development');
 * settingsModulePath(); // '/srv/app/config/settings/development.ts'
 * ```
 */
export function settingsModulePath(): string | undefined {
  return state.source;
}

/**
 * Imports the project's settings module and configures settings from it
 * (the settings part of `django.setup()`).
 *
 * `specifier` defaults to the `REINHARDT_SETTINGS` environment variable. It
 * is either a file path (`./config/settings/development.ts`, absolute or
 * relative to `process.cwd()`) or a dotted name (`config.settings.development`,
 * relative to `process.cwd()`); `.ts`, `.js`, `.mts`, `.mjs` and `/index.*`
 * are tried in that order. The module's default export is used, or else a
 * named `settings` export.
 *
 * Loading the same module again is a no-op; loading a different one once
 * settings are configured throws (call `resetSettings()` first in tests).
 * Importing a `.ts` module needs a TypeScript loader such as tsx (the
 * `reinhardt` command registers one).
 *
 * @example
 * ```ts
 * // REINHARDT_SETTINGS=config.settings.production node --import tsx server.ts
 * import { loadSettings, settings } from 'reinhardt/conf';
 * await loadSettings();
 * console.log(settings.allowedHosts);
 * ```
 */
export async function loadSettings(specifier?: string): Promise<void> {
  const fromEnvironment = specifier === undefined;
  const spec = specifier ?? process.env[SETTINGS_ENVIRONMENT_VARIABLE];
  if (!spec) {
    throw new ImproperlyConfigured(
      `Settings are not configured. Set the ${SETTINGS_ENVIRONMENT_VARIABLE} environment ` +
        'variable to your settings module (for example config.settings.development or ' +
        './config/settings/development.ts), or pass it to loadSettings().',
    );
  }
  const origin = fromEnvironment ? ` (from ${SETTINGS_ENVIRONMENT_VARIABLE})` : '';
  const file = resolveSettingsModule(spec, process.cwd(), origin);
  if (state.values) {
    if (state.source === file) return;
    throw new ImproperlyConfigured(
      `Settings already configured${state.source ? ` from '${state.source}'` : ''}; ` +
        `cannot load '${file}'. Call resetSettings() first.`,
    );
  }
  const module = await importSettingsModule(file);
  const values = settingsExport(module);
  if (values === null || typeof values !== 'object') {
    throw new ImproperlyConfigured(
      `The settings module '${file}' must export its settings as the default export ` +
        "(export default defineSettings({ ... })) or as a named export called 'settings'.",
    );
  }
  // A concurrent loadSettings() of the same module may have finished first.
  if (state.values && state.source === file) return;
  configure(values, file);
}

/**
 * The default export, or else the `settings` export. A TypeScript file in a
 * CommonJS package is compiled to CommonJS with an `__esModule` marker, and
 * `import()` then wraps its exports in `default`; look inside that wrapper.
 */
function settingsExport(module: Record<string, unknown>): unknown {
  let exports = module;
  const wrapped = module.default as Record<string, unknown> | null | undefined;
  if (wrapped && typeof wrapped === 'object' && wrapped.__esModule === true) exports = wrapped;
  return exports.default ?? exports.settings;
}

async function importSettingsModule(file: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      const reason = /\.[cm]?ts$/.test(file)
        ? 'no TypeScript loader is registered. Run node with --import tsx, use the reinhardt ' +
          `command, or point ${SETTINGS_ENVIRONMENT_VARIABLE} at compiled JavaScript.`
        : 'Node cannot import files with this extension.';
      throw new ImproperlyConfigured(`Cannot import the settings module '${file}': ${reason}`, {
        cause: error,
      });
    }
    throw error;
  }
}
