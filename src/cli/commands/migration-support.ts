/**
 * What the migration commands share: the installed apps, their migrations
 * folders (`migrationModules` overriding), and the models of apps without
 * migrations.
 */
import { isAbsolute, resolve } from 'node:path';
import { populateApps } from '../../apps/index.js';
import { settings } from '../../conf/settings.js';
import { CommandError } from '../../core/exceptions.js';
import { apps } from '../../db/models/registry.js';
import type { MigrationLoaderOptions } from '../../db/migrations/index.js';

/** The migrations folder of every installed app (`null`: migrations disabled). */
export async function migrationDirectories(): Promise<Record<string, string | null>> {
  const configs = await populateApps();
  const out: Record<string, string | null> = {};
  for (const config of configs) out[config.label] = config.migrationsDir;
  for (const [label, dir] of Object.entries(settings.migrationModules ?? {}))
    out[label] = dir === null ? null : isAbsolute(dir) ? dir : resolve(process.cwd(), dir);
  return out;
}

/** Loader options for the project: folders and the models of apps without migrations. */
export async function loaderOptions(): Promise<MigrationLoaderOptions> {
  const directories = await migrationDirectories();
  return { directories, unmigratedModels: apps.getModels() };
}

/** Refuses an app label that is not installed (Django's wording). */
export function checkAppLabel(label: string, directories: Record<string, string | null>): void {
  if (!(label in directories)) throw new CommandError(`No installed app with label '${label}'.`);
}

/** Seconds with three decimals, as Django's `migrate` prints them. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}
