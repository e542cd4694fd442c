/**
 * Applies and unapplies migrations on one database (Django's
 * `MigrationExecutor`): plans from targets, runs each migration in a
 * transaction where DDL is transactional, records it, and serialises
 * concurrent `migrate` runs with a database lock.
 */
import type { BaseDatabaseWrapper } from '../backends/base/wrapper.js';
import { withAdvisoryLock } from '../locks.js';
import { keyOf, type MigrationKey } from './graph.js';
import { MigrationLoader, type MigrationLoaderOptions } from './loader.js';
import type { Migration } from './migration.js';
import { CreateModel } from './operations/models.js';
import { AddField } from './operations/fields.js';
import { MigrationRecorder } from './recorder.js';
import type { ProjectState } from './state.js';

/** A target: `[app, name]`, or `[app, null]` for "unapply everything of app" (`zero`). */
export type MigrationTarget = readonly [app: string, name: string | null];

/** One step of a plan: the migration, and whether it is unapplied. */
export type PlanStep = readonly [migration: Migration, backwards: boolean];

/** What `migrate` reports as it goes (the command prints it). */
export type MigrationProgress =
  | { action: 'apply_start' | 'unapply_start'; migration: Migration; fake: boolean }
  | { action: 'apply_success' | 'unapply_success'; migration: Migration; fake: boolean; ms: number }
  | { action: 'lock_wait'; name: string };

/** Options of {@link MigrationExecutor.migrate}. */
export interface MigrateOptions {
  /** Record the migrations as applied/unapplied without running them. */
  fake?: boolean;
  /** Fake initial migrations whose tables (and columns) already exist. */
  fakeInitial?: boolean;
  /** Serialise concurrent runs with a database lock (default true where the database has one). */
  lock?: boolean;
}

/** The name of the lock `migrate` holds. */
export const MIGRATE_LOCK = 'reinhardt.migrate';

export class MigrationExecutor {
  loader: MigrationLoader;
  readonly recorder: MigrationRecorder;

  private constructor(
    readonly connection: BaseDatabaseWrapper,
    private readonly loaderOptions: MigrationLoaderOptions,
    loader: MigrationLoader,
    private readonly progress: (event: MigrationProgress) => void,
  ) {
    this.loader = loader;
    this.recorder = new MigrationRecorder(connection);
  }

  /**
   * @example
   * ```ts
   * const executor = await MigrationExecutor.create(connections.get('default'), {
   *   directories: { library: './library/migrations' },
   * });
   * await executor.migrate(executor.loader.graph.leafNodes());
   * ```
   */
  static async create(
    connection: BaseDatabaseWrapper,
    options: MigrationLoaderOptions,
    progress: (event: MigrationProgress) => void = () => {},
  ): Promise<MigrationExecutor> {
    const loader = await MigrationLoader.load(connection, options);
    return new MigrationExecutor(connection, options, loader, progress);
  }

  /** Reloads the migrations and what is applied (after another process migrated). */
  async reload(): Promise<void> {
    this.loader = await MigrationLoader.load(this.connection, this.loaderOptions);
  }

  /**
   * The steps that bring the database to `targets` (Django's
   * `migration_plan`): forwards for unapplied targets; for an applied target,
   * only the later migrations of its own app are unapplied; `[app, null]`
   * unapplies all of `app` (and what depends on it).
   */
  migrationPlan(targets: readonly MigrationTarget[], cleanStart = false): PlanStep[] {
    const graph = this.loader.graph;
    const applied = new Set(cleanStart ? [] : this.loader.appliedMigrations.keys());
    const plan: PlanStep[] = [];
    const step = (key: MigrationKey, backwards: boolean) =>
      plan.push([this.loader.getMigration(key[0], key[1]), backwards]);
    for (const [app, name] of targets) {
      if (name === null) {
        for (const root of graph.rootNodes(app))
          for (const key of graph.backwardsPlan(root))
            if (applied.delete(keyOf(key))) step(key, true);
      } else if (applied.has(`${app}.${name}`)) {
        const next = graph.childrenOf([app, name]).filter((k) => k[0] === app);
        for (const child of next)
          for (const key of graph.backwardsPlan(child))
            if (applied.delete(keyOf(key))) step(key, true);
      } else {
        for (const key of graph.forwardsPlan([app, name]))
          if (!applied.has(keyOf(key))) {
            applied.add(keyOf(key));
            step(key, false);
          }
      }
    }
    return plan;
  }

  /** Every leaf: the targets of a plain `migrate`. */
  leafTargets(app?: string): MigrationTarget[] {
    return this.loader.graph.leafNodes(app);
  }

  /**
   * Brings the database to `targets`; returns the plan that was run. Under
   * the migrate lock (PostgreSQL advisory lock, MySQL `GET_LOCK`), the plan
   * is made after the lock is taken, from what is applied then: a second
   * `migrate` started at the same time waits, then finds nothing left to do.
   */
  async migrate(
    targets: readonly MigrationTarget[] | null = null,
    options: MigrateOptions = {},
  ): Promise<PlanStep[]> {
    const run = async (): Promise<PlanStep[]> => {
      await this.reload();
      this.loader.checkConsistentHistory();
      const plan = this.migrationPlan(targets ?? this.leafTargets());
      if (plan.length) await this.recorder.ensureSchema();
      const forwards = plan.filter(([, b]) => !b).length;
      if (forwards && forwards !== plan.length)
        throw new Error(
          'Migration plans with both forwards and backwards migrations are not supported. ' +
            'Please split your migration process into separate plans of only forwards OR backwards migrations.',
        );
      for (const [migration, backwards] of plan) {
        if (backwards) await this.unapplyMigration(migration, options);
        else await this.applyMigration(migration, options);
      }
      if (plan.length) await this.recordReplacements();
      return plan;
    };
    const lock = (options.lock ?? true) && this.connection.features.supportsAdvisoryLocks;
    if (!lock) return run();
    // A session lock: a transaction held open for the whole run would make
    // CREATE INDEX CONCURRENTLY (P23) wait for it forever.
    return withAdvisoryLock(MIGRATE_LOCK, run, { using: this.connection.alias, session: true });
  }

  /** The state before `migration` (what its operations start from). */
  stateBefore(migration: Migration): ProjectState {
    return this.loader.projectState(migration.key, false);
  }

  /** Applies one migration (or fakes it), and records it. */
  async applyMigration(migration: Migration, options: MigrateOptions = {}): Promise<void> {
    let fake = options.fake ?? false;
    const state = this.stateBefore(migration);
    if (!fake && options.fakeInitial && (await this.detectSoftApplied(state, migration)))
      fake = true;
    this.progress({ action: 'apply_start', migration, fake });
    const started = performance.now();
    if (fake) await this.recordMigration(migration, true);
    else
      await this.connection.schemaEditor(
        async (editor) => {
          await migration.apply(state, editor);
          // Recorded in the migration's transaction where there is one: both happen or neither.
          await this.recordMigration(migration, true);
        },
        { atomic: migration.atomic && this.connection.features.canRollbackDdl },
      );
    this.progress({ action: 'apply_success', migration, fake, ms: performance.now() - started });
  }

  /** Unapplies one migration (or fakes it), and records it. */
  async unapplyMigration(migration: Migration, options: MigrateOptions = {}): Promise<void> {
    const fake = options.fake ?? false;
    this.progress({ action: 'unapply_start', migration, fake });
    const started = performance.now();
    if (fake) await this.recordMigration(migration, false);
    else {
      const state = this.stateBefore(migration);
      await this.connection.schemaEditor(
        async (editor) => {
          await migration.unapply(state, editor);
          await this.recordMigration(migration, false);
        },
        { atomic: migration.atomic && this.connection.features.canRollbackDdl },
      );
    }
    this.progress({ action: 'unapply_success', migration, fake, ms: performance.now() - started });
  }

  /** Records a migration (and, for a squashed one, each it replaces). */
  private async recordMigration(migration: Migration, applied: boolean): Promise<void> {
    const keys = [...migration.replaces, migration.key];
    for (const key of keys) {
      if (applied) {
        if (!this.loader.appliedMigrations.has(keyOf(key))) {
          await this.recorder.recordApplied(key);
          this.loader.appliedMigrations.set(keyOf(key), new Date());
        }
      } else {
        await this.recorder.recordUnapplied(key);
        this.loader.appliedMigrations.delete(keyOf(key));
      }
    }
  }

  /**
   * Records a squashed migration as applied once every migration it
   * replaces is (Django's `check_replacements`): a database migrated through
   * the originals then treats the squash as applied too.
   */
  private async recordReplacements(): Promise<void> {
    const recorded = await this.recorder.appliedMigrations();
    for (const m of this.loader.diskMigrations.values()) {
      if (!m.replaces.length || recorded.has(keyOf(m.key))) continue;
      if (m.replaces.every((k) => recorded.has(keyOf(k)))) await this.recorder.recordApplied(m.key);
    }
  }

  /**
   * Whether an initial migration's tables (and added columns) all exist
   * already — `--fake-initial` then records it without running it.
   */
  async detectSoftApplied(state: ProjectState, migration: Migration): Promise<boolean> {
    const initial =
      migration.initial ?? !migration.dependencies.some((d) => d[0] === migration.appLabel);
    if (!initial) return false;
    const creates = migration.operations.filter(
      (op) => op instanceof CreateModel || op instanceof AddField,
    );
    if (!creates.length) return false;
    const after = migration.mutateState(state);
    const tables = new Set(
      (await this.connection.introspection.tableNames()).map((t) => t.toLowerCase()),
    );
    for (const op of creates) {
      if (op instanceof CreateModel) {
        const model = after.apps.getModel(migration.appLabel, op.name) as unknown as {
          _meta: { dbTable: string; managed: boolean };
        };
        if (!model._meta.managed) continue;
        if (!tables.has(model._meta.dbTable.toLowerCase())) return false;
      } else if (op instanceof AddField) {
        const model = after.apps.getModel(migration.appLabel, op.modelName) as unknown as {
          _meta: { dbTable: string; getField(n: string): { column: string; concrete: boolean } };
        };
        const field = model._meta.getField(op.name);
        if (!field.concrete) continue;
        const columns = await this.connection.introspection.getTableDescription(
          model._meta.dbTable,
        );
        if (!columns.some((c) => c.name.toLowerCase() === field.column.toLowerCase())) return false;
      }
    }
    return true;
  }
}
