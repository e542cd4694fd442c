/**
 * A migration (Django's `Migration`): a list of operations with the
 * migrations it depends on. Migration files default-export one; the loader
 * gives it its app label and name (from its folder and file name).
 */
import type { BaseDatabaseSchemaEditor } from '../backends/base/schema.js';
import type { MigrationKey } from './graph.js';
import type { Operation } from './operations/base.js';
import type { ProjectState } from './state.js';

/** What a migration file declares. */
export interface MigrationOptions {
  /** Migrations this one needs first: `['library', '0001_initial']`; `'__first__'` / `'__latest__'` work as in Django. */
  dependencies?: readonly MigrationKey[];
  operations?: readonly Operation[];
  /** Run in one transaction where DDL is transactional (default true). */
  atomic?: boolean;
  /** The migrations a squashed migration replaces. */
  replaces?: readonly MigrationKey[];
  /** The first migration of its app (`--fake-initial` looks at these). */
  initial?: boolean | null;
  /** Migrations that must run after this one (Django's `run_before`). */
  runBefore?: readonly MigrationKey[];
  /** Set by the loader; give them when building a migration in code. */
  appLabel?: string;
  name?: string;
}

/**
 * @example
 * ```ts
 * export default new Migration({
 *   dependencies: [['library', '0001_initial']],
 *   operations: [new AddField({ modelName: 'Book', name: 'pages', field: IntegerField({ default: 0 }) })],
 * });
 * ```
 */
export class Migration {
  appLabel: string;
  name: string;
  readonly dependencies: readonly MigrationKey[];
  readonly operations: readonly Operation[];
  readonly atomic: boolean;
  readonly replaces: readonly MigrationKey[];
  readonly initial: boolean | null;
  readonly runBefore: readonly MigrationKey[];

  constructor(options: MigrationOptions = {}) {
    this.dependencies = options.dependencies ?? [];
    this.operations = options.operations ?? [];
    this.atomic = options.atomic ?? true;
    this.replaces = options.replaces ?? [];
    this.initial = options.initial ?? null;
    this.runBefore = options.runBefore ?? [];
    this.appLabel = options.appLabel ?? '';
    this.name = options.name ?? '';
  }

  /** `[app, name]`. */
  get key(): MigrationKey {
    return [this.appLabel, this.name];
  }

  toString(): string {
    return `${this.appLabel}.${this.name}`;
  }

  /** The state after this migration's operations, from `state` (changed in place unless `preserve`). */
  mutateState(state: ProjectState, preserve = true): ProjectState {
    const next = preserve ? state.clone() : state;
    for (const op of this.operations) op.stateForwards(this.appLabel, next);
    return next;
  }

  /**
   * Applies the operations to the database, from `state` (the state before
   * this migration); returns the state after. With a collecting editor
   * (`sqlmigrate`), operations are written as SQL with a comment each.
   */
  async apply(state: ProjectState, editor: BaseDatabaseSchemaEditor): Promise<ProjectState> {
    let current = state;
    for (const op of this.operations) {
      if (editor.options.collectSql) {
        editor.collectedSql.push(`--\n-- ${op.describe()}\n--`);
        if (!op.reducesToSql) {
          editor.collectedSql.push('-- THIS OPERATION CANNOT BE WRITTEN AS SQL');
          const next = current.clone();
          op.stateForwards(this.appLabel, next);
          current = next;
          continue;
        }
      }
      const next = current.clone();
      op.stateForwards(this.appLabel, next);
      await runOperation(op, editor, this.atomic, () =>
        op.databaseForwards(this.appLabel, editor, current, next),
      );
      current = next;
    }
    return current;
  }

  /**
   * Unapplies the operations, last first, from `state` (the state before
   * this migration, as for `apply`); returns it unchanged.
   */
  async unapply(state: ProjectState, editor: BaseDatabaseSchemaEditor): Promise<ProjectState> {
    // The state each operation saw going forwards.
    const steps: [Operation, ProjectState, ProjectState][] = [];
    let current = state;
    for (const op of this.operations) {
      if (!op.reversible)
        throw new IrreversibleMigration(`Operation ${op.describe()} in ${this} is not reversible`);
      const next = current.clone();
      op.stateForwards(this.appLabel, next);
      steps.push([op, current, next]);
      current = next;
    }
    for (const [op, before, after] of steps.reverse()) {
      if (editor.options.collectSql) {
        editor.collectedSql.push(`--\n-- ${op.describe()}\n--`);
        if (!op.reducesToSql) {
          editor.collectedSql.push('-- THIS OPERATION CANNOT BE WRITTEN AS SQL');
          continue;
        }
      }
      await runOperation(op, editor, this.atomic, () =>
        op.databaseBackwards(this.appLabel, editor, after, before),
      );
    }
    return state;
  }

  /** A name from the operations (`book_pages`, `initial`, `auto_<time>`), as Django's `suggest_name`. */
  suggestName(): string {
    if (this.initial) return 'initial';
    const fragments = this.operations.map((op) => op.migrationNameFragment);
    if (!fragments.length || fragments.some((f) => f === null)) return `auto_${timestamp()}`;
    const name = (fragments as string[]).join('_');
    return name.length > 52 ? `${(fragments as string[])[0]}_and_more` : name;
  }
}

/** Raised when unapplying a migration one of whose operations cannot be reversed. */
export class IrreversibleMigration extends Error {
  override readonly name = 'IrreversibleError';
}

/** Runs one operation; an operation asking for a transaction gets one in a non-atomic migration. */
async function runOperation(
  op: Operation,
  editor: BaseDatabaseSchemaEditor,
  migrationAtomic: boolean,
  fn: () => Promise<void>,
): Promise<void> {
  if (!migrationAtomic && op.atomic === true && !editor.options.collectSql)
    await editor.connection.atomic(fn);
  else await fn();
}

function timestamp(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
}
