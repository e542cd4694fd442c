/**
 * Finds the migration files of each app, builds the graph from their
 * dependencies (with squashed migrations in place of those they replace
 * where that is consistent with the database), and rebuilds project states
 * from them (Django's `MigrationLoader`).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CommandError, ReinhardtError } from '../../core/exceptions.js';
import type { BaseDatabaseWrapper } from '../backends/base/wrapper.js';
import type { Options } from '../models/options.js';
import { keyOf, MigrationGraph, type MigrationKey, NodeNotFoundError } from './graph.js';
import { Migration } from './migration.js';
import { resolveSwappable, SETTING_DEPENDENCY } from './swappable.js';
import { MigrationRecorder } from './recorder.js';
import { ProjectState } from './state.js';

/** A migration file name: four digits, an underscore, a name; TypeScript or JavaScript. */
const MIGRATION_FILE = /^(\d{4}_\w+)\.(?:ts|mts|js|mjs)$/;

/** Raised when a migration is applied but one it depends on is not (Django's). */
export class InconsistentMigrationHistory extends ReinhardtError {
  override readonly code: string = 'inconsistent_migration_history';
}

/** Raised when a migration file cannot be used. */
export class BadMigrationError extends ReinhardtError {
  override readonly code: string = 'bad_migration';
}

/** Options of {@link MigrationLoader}. */
export interface MigrationLoaderOptions {
  /** The migrations folder of each app (`null`: the app has migrations disabled). */
  directories: Readonly<Record<string, string | null>>;
  /** Use squashed migrations in place of the ones they replace (default true). */
  replaceMigrations?: boolean;
  /**
   * Models of apps without migrations, added to every state so that
   * relations to them resolve (Django's "unmigrated apps").
   */
  unmigratedModels?: readonly {
    readonly name: string;
    readonly _meta: Options;
  }[];
}

export class MigrationLoader {
  readonly graph = new MigrationGraph();
  /** Every migration on disk, by `app.name`. */
  readonly diskMigrations = new Map<string, Migration>();
  /** The migrations in the graph, by `app.name` (squashed ones resolved). */
  readonly migrations = new Map<string, Migration>();
  /** Apps with a migrations folder. */
  readonly migratedApps = new Set<string>();
  /** Applied migrations on the database (`app.name` → when), when a connection was given. */
  appliedMigrations = new Map<string, Date>();

  private constructor(
    readonly connection: BaseDatabaseWrapper | null,
    readonly options: MigrationLoaderOptions,
  ) {}

  /**
   * Loads the migrations of `options.directories` and builds the graph
   * (with `connection`, squashed migrations are resolved against what is applied).
   *
   * @example
   * ```ts
   * const loader = await MigrationLoader.load(connection, { directories: { library: './library/migrations' } });
   * loader.graph.leafNodes('library'); // [['library', '0002_book_pages']]
   * ```
   */
  static async load(
    connection: BaseDatabaseWrapper | null,
    options: MigrationLoaderOptions,
  ): Promise<MigrationLoader> {
    const loader = new MigrationLoader(connection, options);
    await loader.loadDisk();
    if (connection)
      loader.appliedMigrations = await new MigrationRecorder(connection).appliedMigrations();
    loader.buildGraph();
    return loader;
  }

  private async loadDisk(): Promise<void> {
    for (const [app, dir] of Object.entries(this.options.directories).sort()) {
      if (!dir) continue;
      let entries: string[];
      try {
        if (!statSync(dir).isDirectory()) continue;
        entries = readdirSync(dir).sort();
      } catch {
        continue; // no migrations folder yet: an app without migrations
      }
      this.migratedApps.add(app);
      const seen = new Set<string>();
      for (const entry of entries) {
        const match = MIGRATION_FILE.exec(entry);
        if (!match) continue;
        const name = match[1]!;
        if (seen.has(name))
          throw new BadMigrationError(
            `Migration ${name} in app ${app} exists as both a .ts and a .js file.`,
          );
        seen.add(name);
        const file = join(dir, entry);
        // The modification time busts the module cache when a file was rewritten (makemigrations, squash).
        const url = `${pathToFileURL(file).href}?mtime=${statSync(file).mtimeMs}`;
        const mod = (await import(url)) as { default?: unknown; migration?: unknown };
        const migration = mod.default ?? mod.migration;
        if (!(migration instanceof Migration))
          throw new BadMigrationError(
            `Migration ${name} in app ${app} has no Migration class: export default new Migration({ … }).`,
          );
        migration.appLabel = app;
        migration.name = name;
        this.diskMigrations.set(`${app}.${name}`, migration);
      }
    }
  }

  /** Resolves `__first__` / `__latest__` and dependencies on apps without migrations (dropped). */
  private resolveDependency(dep: MigrationKey): MigrationKey | null {
    const [app, name] = resolveSwappable(dep);
    if (!this.migratedApps.has(app)) return null;
    if (name === '__first__' || name === '__latest__') {
      const names = [...this.diskMigrations.values()].filter((m) => m.appLabel === app);
      const inApp = names
        .filter((m) => !m.replaces.length || true)
        .map((m) => m.name)
        .sort();
      if (!inApp.length) return null;
      if (name === '__first__') {
        const roots = this.graph.rootNodes(app);
        return roots[0] ?? [app, inApp[0]!];
      }
      const leaves = this.graph.leafNodes(app);
      return leaves[leaves.length - 1] ?? [app, inApp[inApp.length - 1]!];
    }
    return dep;
  }

  private buildGraph(): void {
    for (const m of this.diskMigrations.values()) {
      this.graph.addNode(m.key);
      this.migrations.set(keyOf(m.key), m);
    }
    // Dependencies within an app first, so __first__/__latest__ see each app's own chain.
    const all = [...this.diskMigrations.values()];
    const sameApp = (m: Migration, d: MigrationKey) =>
      d[0] !== SETTING_DEPENDENCY && d[0] === m.appLabel;
    for (const pass of [true, false]) {
      for (const m of all) {
        for (const dep of m.dependencies) {
          if (sameApp(m, dep) !== pass) continue;
          const parent = this.resolveDependency(dep);
          if (parent) this.addDependency(m, m.key, parent);
        }
        if (pass) continue;
        for (const before of m.runBefore) {
          const child = this.resolveDependency(before);
          if (child) this.addDependency(m, child, m.key);
        }
      }
    }
    if (this.options.replaceMigrations ?? true) this.resolveReplacements();
    this.graph.ensureNotCyclic();
  }

  private addDependency(m: Migration, child: MigrationKey, parent: MigrationKey): void {
    // A dependency on a migration a squash replaced is satisfied by the squash (when both exist).
    if (!this.graph.has(parent)) {
      const replacing = [...this.diskMigrations.values()].find((r) =>
        r.replaces.some((k) => keyOf(k) === keyOf(parent)),
      );
      if (replacing) parent = replacing.key;
    }
    try {
      this.graph.addDependency(String(m), child, parent);
    } catch (e) {
      if (e instanceof NodeNotFoundError) throw e;
      throw e;
    }
  }

  /**
   * Squashed migrations: used in place of the ones they replace when those
   * are all applied or none is; when only some are, the originals are kept
   * (the database is in the middle of the squashed range).
   */
  private resolveReplacements(): void {
    for (const m of this.diskMigrations.values()) {
      if (!m.replaces.length) continue;
      const present = m.replaces.filter((k) => this.diskMigrations.has(keyOf(k)));
      const applied = m.replaces.filter((k) => this.appliedMigrations.has(keyOf(k)));
      const all = applied.length === m.replaces.length;
      if (all && !this.appliedMigrations.has(keyOf(m.key)))
        this.appliedMigrations.set(keyOf(m.key), new Date());
      if (all || applied.length === 0 || present.length === 0) {
        this.graph.removeReplacedNodes(m.key, present);
        for (const k of present) this.migrations.delete(keyOf(k));
      } else {
        // Partially applied: keep the originals; the squash is not usable here yet.
        this.appliedMigrations.delete(keyOf(m.key));
        this.graph.removeReplacementNode(m.key, present);
        this.migrations.delete(keyOf(m.key));
      }
    }
  }

  /** A migration in the graph. */
  getMigration(app: string, name: string): Migration {
    const m = this.migrations.get(`${app}.${name}`);
    if (!m) throw new NodeNotFoundError(`Migration ${app}.${name} not found in the graph.`);
    return m;
  }

  /** The migration of `app` whose name starts with `prefix` (Django's messages when none or several do). */
  getMigrationByPrefix(app: string, prefix: string): Migration {
    const found = [...this.diskMigrations.values()].filter(
      (m) => m.appLabel === app && m.name.startsWith(prefix),
    );
    if (found.length > 1)
      throw new CommandError(
        `More than one migration matches '${prefix}' in app '${app}'. Please be more specific.`,
      );
    if (!found.length)
      throw new CommandError(`Cannot find a migration matching '${prefix}' from app '${app}'.`);
    return found[0]!;
  }

  /** Apps with more than one leaf migration: what `makemigrations --merge` resolves. */
  detectConflicts(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const app of this.migratedApps) {
      const leaves = this.graph.leafNodes(app);
      if (leaves.length > 1) out[app] = leaves.map((k) => k[1]);
    }
    return out;
  }

  /** Raises when an applied migration has an unapplied dependency (Django's wording). */
  checkConsistentHistory(): void {
    const alias = this.connection?.alias ?? 'default';
    for (const key of this.graph.keys()) {
      if (!this.appliedMigrations.has(keyOf(key))) continue;
      for (const parent of this.graph.parentsOf(key)) {
        if (this.appliedMigrations.has(keyOf(parent))) continue;
        const m = this.migrations.get(keyOf(parent));
        // A squash whose originals are all applied counts as applied.
        if (m?.replaces.length && m.replaces.every((k) => this.appliedMigrations.has(keyOf(k))))
          continue;
        throw new InconsistentMigrationHistory(
          `Migration ${key[0]}.${key[1]} is applied before its dependency ${parent[0]}.${parent[1]} on database '${alias}'.`,
        );
      }
    }
  }

  /**
   * The project state after `nodes` (every leaf when omitted); with
   * `atEnd: false`, before them (the state a migration starts from).
   */
  projectState(nodes?: MigrationKey | readonly MigrationKey[], atEnd = true): ProjectState {
    const targets: readonly MigrationKey[] =
      nodes === undefined
        ? this.graph.leafNodes()
        : typeof nodes[0] === 'string'
          ? [nodes as MigrationKey]
          : (nodes as readonly MigrationKey[]);
    const plan: MigrationKey[] = [];
    const seen = new Set<string>();
    for (const target of targets)
      for (const key of this.graph.forwardsPlan(target)) {
        const k = keyOf(key);
        if (seen.has(k)) continue;
        if (!atEnd && targets.some((t) => keyOf(t) === k)) continue;
        seen.add(k);
        plan.push(key);
      }
    // Models of apps without migrations, their automatic many-to-many models left to their fields.
    const unmigrated = (this.options.unmigratedModels ?? []).filter(
      (m) => !this.migratedApps.has(m._meta.appLabel),
    );
    const state = ProjectState.fromApps({ getModels: () => unmigrated });
    for (const key of plan) this.migrations.get(keyOf(key))!.mutateState(state, false);
    return state;
  }
}
