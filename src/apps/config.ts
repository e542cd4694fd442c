/**
 * Installed apps (Django's `AppConfig` and `apps.populate()`): each app is a
 * folder with a models module and a migrations folder. `installedApps`
 * names them by path (`'./library'`) or describes them (`{ label, path }`).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { settings } from '../conf/settings.js';
import type { InstalledApp } from '../conf/types.js';
import { ImproperlyConfigured } from '../core/exceptions.js';
import { apps } from '../db/models/registry.js';

/** An app as `installedApps` may describe it (relative paths are from the project root). */
export type AppConfigOptions = InstalledApp;

/** An installed app, resolved. */
export interface AppConfig {
  readonly label: string;
  /** Absolute folder. */
  readonly path: string;
  /** Absolute models module, when there is one. */
  readonly modelsModule: string | null;
  /** Absolute migrations folder (it may not exist yet), or null when the app has none. */
  readonly migrationsDir: string | null;
}

const MODEL_CANDIDATES = ['models.ts', 'models.js', 'models/index.ts', 'models/index.js'];

/** Reinhardt's own apps, by the name `installedApps` gives them (Django's `django.contrib.*`). */
const BUILTIN_APPS: Readonly<Record<string, { label: string; folder: string }>> = {
  'reinhardt.contrib.contenttypes': { label: 'contenttypes', folder: 'contenttypes' },
  'reinhardt.contrib.auth': { label: 'auth', folder: 'auth' },
};

/**
 * Resolves one `installedApps` entry. Entries starting with `reinhardt.`
 * name Reinhardt's own apps; those not built yet resolve to `null`.
 *
 * @example
 * ```ts
 * resolveAppConfig('./library').label; // 'library'
 * ```
 */
export function resolveAppConfig(
  entry: string | AppConfigOptions,
  root = process.cwd(),
): AppConfig | null {
  if (typeof entry === 'string' && entry.startsWith('reinhardt.')) {
    const builtin = BUILTIN_APPS[entry];
    // Apps of Reinhardt's that are not built yet (admin, the REST framework…) have nothing to load.
    if (!builtin) return null;
    const folder = fileURLToPath(new URL(`../${builtin.folder}/`, import.meta.url));
    return resolveAppConfig({ label: builtin.label, path: folder }, root);
  }
  const options: AppConfigOptions = typeof entry === 'string' ? { path: entry } : entry;
  const path = isAbsolute(options.path) ? options.path : resolve(root, options.path);
  if (!existsSync(path) || !statSync(path).isDirectory())
    throw new ImproperlyConfigured(
      `Installed app '${typeof entry === 'string' ? entry : options.path}' is not a folder (looked at ${path}).`,
    );
  const label = options.label ?? basename(path);
  if (!/^[A-Za-z_]\w*$/.test(label))
    throw new ImproperlyConfigured(
      `The app label '${label}' is not a valid identifier: give the app a label.`,
    );
  let modelsModule: string | null = null;
  if (options.models !== null) {
    const candidates = options.models ? [options.models] : MODEL_CANDIDATES;
    const found = candidates.map((c) => join(path, c)).find((f) => existsSync(f));
    if (options.models && !found)
      throw new ImproperlyConfigured(
        `The models module '${options.models}' of app '${label}' does not exist.`,
      );
    modelsModule = found ?? null;
  }
  const migrationsDir =
    options.migrations === null ? null : join(path, options.migrations ?? 'migrations');
  return { label, path, modelsModule, migrationsDir };
}

const populated = new Map<string, AppConfig>();

/**
 * Imports the models of every installed app (registering each exported
 * model class under the app's label) and returns the app configs, in order.
 * Runs once; later calls return the same configs.
 *
 * @example
 * ```ts
 * const configs = await populateApps(); // reads settings.installedApps
 * ```
 */
export async function populateApps(
  installed: readonly (string | AppConfigOptions)[] = settings.installedApps,
  root = process.cwd(),
): Promise<AppConfig[]> {
  for (const entry of installed) {
    const config = resolveAppConfig(entry, root);
    if (!config) continue;
    const existing = populated.get(config.label);
    if (existing) {
      if (existing.path !== config.path)
        throw new ImproperlyConfigured(
          `Application labels aren't unique, duplicates: ${config.label}`,
        );
      continue;
    }
    populated.set(config.label, config);
    if (config.modelsModule) {
      const mod = (await import(pathToFileURL(config.modelsModule).href)) as Record<
        string,
        unknown
      >;
      const models: Record<string, object> = {};
      for (const [name, value] of Object.entries(mod)) {
        const meta = (value as { _metaOptions?: { abstract?: boolean } } | null)?._metaOptions;
        if (typeof value === 'function' && '_declaredFields' in value && !meta?.abstract)
          models[name] = value;
      }
      apps.register(config.label, models);
    }
  }
  return [...populated.values()];
}

/** The configs populated so far, by label. */
export function appConfigs(): ReadonlyMap<string, AppConfig> {
  return populated;
}

/** @internal Forgets populated apps (tests). */
export function resetAppConfigs(): void {
  populated.clear();
}
