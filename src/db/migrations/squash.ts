/**
 * `squashmigrations` as a function (P24): the operations of a range of an
 * app's migrations, optimized into one migration that `replaces` them. Data
 * migrations (`RunCode`, `RunSQL`) are kept, in order, unless declared
 * `elidable`; their code is copied into the new file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError } from '../../core/exceptions.js';
import { keyOf, type MigrationKey } from './graph.js';
import { MigrationLoader } from './loader.js';
import { Migration } from './migration.js';
import type { Operation } from './operations/base.js';
import { optimizeOperations } from './optimizer.js';
import { migrationSource, type WriterOptions } from './writer.js';

/** Options of {@link squashMigrations}. */
export interface SquashOptions {
  directories: Readonly<Record<string, string | null>>;
  appLabel: string;
  /** The first migration to squash (a name or its prefix; default: the app's first). */
  start?: string;
  /** The last migration to squash (a name or its prefix). */
  end: string;
  /** Skip the optimizer. */
  noOptimize?: boolean;
  /** The new migration's name (default `<start>_squashed_<end>`). */
  squashedName?: string;
  writer?: WriterOptions;
  /** Do not write the file. */
  dryRun?: boolean;
}

/** What was squashed. */
export interface SquashResult {
  readonly migration: Migration;
  readonly path: string;
  readonly source: string;
  /** Operations before and after optimizing. */
  readonly before: number;
  readonly after: number;
}

/**
 * @example
 * ```ts
 * await squashMigrations({ directories, appLabel: 'library', start: '0001', end: '0020' });
 * ```
 */
export async function squashMigrations(options: SquashOptions): Promise<SquashResult> {
  const app = options.appLabel;
  const dir = options.directories[app];
  if (!dir) throw new CommandError(`App '${app}' does not have migrations.`);
  // The originals are what is squashed, even where an earlier squash replaces them.
  const loader = await MigrationLoader.load(null, {
    directories: options.directories,
    replaceMigrations: false,
  });
  const end = loader.getMigrationByPrefix(app, options.end);
  const start = options.start ? loader.getMigrationByPrefix(app, options.start) : undefined;
  const plan = loader.graph.forwardsPlan(end.key).filter((k) => k[0] === app);
  const from = start ? plan.findIndex((k) => k[1] === start.name) : 0;
  if (from === -1)
    throw new CommandError(
      `The migration '${start!}' cannot be found. Maybe it comes after the migration '${end}'?\n` +
        `Have a look at:\n  reinhardt showmigrations ${app}\nto debug this issue.`,
    );
  const range = plan.slice(from).map((k) => loader.getMigration(k[0], k[1]));
  const inRange = new Set(range.map((m) => keyOf(m.key)));
  const operations: Operation[] = [];
  const dependencies: MigrationKey[] = [];
  const replaces: MigrationKey[] = [];
  for (const m of range) {
    if (m.replaces.length) replaces.push(...m.replaces);
    else replaces.push(m.key);
    operations.push(...m.operations);
    for (const dep of m.dependencies) {
      const inside = dep[0] === app && (inRange.has(keyOf(dep)) || dep[1] === '__first__');
      if (!inside && !dependencies.some((d) => keyOf(d) === keyOf(dep))) dependencies.push(dep);
    }
  }
  // A dependency on an earlier migration of this app: only the latest is needed.
  const optimized = options.noOptimize ? operations : optimizeOperations(operations, app);
  const first = range[0]!;
  const name =
    options.squashedName !== undefined
      ? `${first.name.slice(0, 4)}_${options.squashedName}`
      : start
        ? `${start.name}_squashed_${end.name}`
        : `0001_squashed_${end.name}`;
  if (loader.diskMigrations.has(`${app}.${name}`))
    throw new CommandError(`Migration ${name} already exists. Use a different name.`);
  const migration = new Migration({
    appLabel: app,
    name,
    operations: optimized,
    dependencies,
    replaces,
    initial: first.initial ?? !first.dependencies.some((d) => d[0] === app),
    atomic: range.every((m) => m.atomic),
  });
  const source = migrationSource(migration, options.writer);
  const path = join(dir, `${name}.ts`);
  if (!options.dryRun) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, source);
  }
  return { migration, path, source, before: operations.length, after: optimized.length };
}
