/**
 * `makemigrations` as a function: compares the migration files with the
 * models and writes the new migrations (or, with `check` / `dryRun`, only
 * says what they would be); `--empty` and `--merge` too.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CommandError } from '../../core/exceptions.js';
import type { Options } from '../models/options.js';
import { MigrationAutodetector } from './autodetector.js';
import { MigrationLoader } from './loader.js';
import { Migration } from './migration.js';
import type { MigrationQuestioner } from './questioner.js';
import { ProjectState } from './state.js';
import { migrationSource, type WriterOptions } from './writer.js';

/** Options of {@link makeMigrations}. */
export interface MakeMigrationsOptions {
  /** The registry of the current models (`apps`). */
  registry: { getModels(): readonly { readonly name: string; readonly _meta: Options }[] };
  /** The migrations folder of each app with migrations (or to create them in). */
  directories: Readonly<Record<string, string | null>>;
  /** Only these apps. */
  appLabels?: readonly string[];
  name?: string;
  /** An empty migration for each app of `appLabels`. */
  empty?: boolean;
  /** Resolve two leaves of one app with a merge migration. */
  merge?: boolean;
  /** Do not write files. */
  dryRun?: boolean;
  questioner?: MigrationQuestioner;
  writer?: WriterOptions;
  /** Where paths in the report are relative to (default: the current directory). */
  root?: string;
}

/** One migration made (or that would be). */
export interface MadeMigration {
  readonly migration: Migration;
  readonly path: string;
  readonly source: string;
}

/**
 * @example
 * ```ts
 * const made = await makeMigrations({ registry: apps, directories: { library: './library/migrations' } });
 * for (const m of made) console.log(m.path);
 * ```
 */
export async function makeMigrations(options: MakeMigrationsOptions): Promise<MadeMigration[]> {
  const loader = await MigrationLoader.load(null, { directories: options.directories });
  const labels = options.appLabels;
  for (const app of labels ?? [])
    if (!(app in options.directories))
      throw new CommandError(`App '${app}' could not be found. Is it in installedApps?`);
  const conflicts = loader.detectConflicts();
  const relevant = Object.entries(conflicts).filter(([app]) => !labels || labels.includes(app));
  if (options.merge) {
    if (!relevant.length) return [];
    return relevant.map(([app, leaves]) => {
      const numbers = leaves.map((l) => Number.parseInt(l.slice(0, 4), 10));
      const name = `${String(Math.max(...numbers) + 1).padStart(4, '0')}_${options.name ?? `merge_${leaves.join('_')}`.slice(0, 60)}`;
      const migration = new Migration({
        appLabel: app,
        name,
        dependencies: leaves.map((l) => [app, l] as const),
      });
      return emit(migration, options);
    });
  }
  if (relevant.length) {
    const list = relevant.map(([app, leaves]) => `${leaves.join(', ')} in ${app}`).join('; ');
    throw new CommandError(
      `Conflicting migrations detected; multiple leaf nodes in the migration graph: (${list}).\n` +
        `To fix them run 'reinhardt makemigrations --merge'`,
    );
  }
  if (options.empty) {
    if (!labels?.length)
      throw new CommandError('You must supply at least one app label when using --empty.');
    return labels.map((app) => {
      const leaf = loader.graph.leafNodes(app)[0];
      const next = leaf ? Number.parseInt(leaf[1].slice(0, 4), 10) + 1 : 1;
      const name = `${String(next).padStart(4, '0')}_${options.name ?? (leaf ? `auto_${stamp()}` : 'initial')}`;
      return emit(
        new Migration({ appLabel: app, name, dependencies: leaf ? [leaf] : [], initial: !leaf }),
        options,
      );
    });
  }
  const fromState = loader.projectState();
  const toState = ProjectState.fromApps(options.registry);
  // Apps without a migrations folder setting are not managed by migrations.
  for (const [key, model] of [...toState.models])
    if (!(model.appLabel in options.directories) || options.directories[model.appLabel] === null)
      toState.models.delete(key);
  const detector = new MigrationAutodetector(fromState, toState, options.questioner);
  const changes = await detector.changes(loader.graph, {
    ...(labels ? { appLabels: labels } : {}),
    ...(options.name ? { name: options.name } : {}),
  });
  const out: MadeMigration[] = [];
  for (const [, migrations] of [...changes].sort(([a], [b]) => a.localeCompare(b)))
    for (const m of migrations) out.push(emit(m, options));
  return out;
}

function emit(migration: Migration, options: MakeMigrationsOptions): MadeMigration {
  const dir = options.directories[migration.appLabel];
  if (!dir) throw new CommandError(`App '${migration.appLabel}' has no migrations folder.`);
  const path = join(dir, `${migration.name}.ts`);
  const source = migrationSource(migration, options.writer);
  if (!options.dryRun) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, source);
  }
  return { migration, path: relative(options.root ?? process.cwd(), path) || path, source };
}

function stamp(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
}
