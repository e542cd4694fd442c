/**
 * Operations that are not about one model: raw SQL, code (data
 * migrations), and the split of database and state changes.
 */
import type { BaseDatabaseSchemaEditor } from '../../backends/base/schema.js';
import type { ProjectState } from '../state.js';
import { type DeconstructedOperation, IrreversibleError, Operation } from './base.js';

/** SQL for `RunSQL`: one text (possibly several statements), or a list of texts and `[sql, params]`. */
export type RunSqlStatements = string | readonly (string | readonly [string, readonly unknown[]])[];

/**
 * Splits `sql` into statements at semicolons outside quotes, comments and
 * PostgreSQL dollar quotes (drivers run one statement per call).
 */
export function splitSqlStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = sql.indexOf(ch, i + 1);
      i = end === -1 ? sql.length : end + 1;
      // A doubled quote inside a literal continues it.
      while (sql[i] === ch) {
        const next = sql.indexOf(ch, i + 1);
        i = next === -1 ? sql.length : next + 1;
      }
      continue;
    }
    if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
      continue;
    }
    if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
      continue;
    }
    if (ch === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? sql.length : end + tag[0].length;
        continue;
      }
    }
    if (ch === ';') {
      const stmt = sql.slice(start, i).trim();
      if (stmt) out.push(stmt);
      start = i + 1;
    }
    i++;
  }
  const last = sql.slice(start).trim();
  if (last && !/^(--[^\n]*\n?|\s)*$/.test(last)) out.push(last);
  return out;
}

/** The marker of an operation that does nothing in one direction (`RunSQL.noop`, `RunCode.noop`). */
const NOOP = Symbol('noop');

/**
 * Raw SQL, with the SQL that undoes it. Placeholders are `%s`, as in
 * `connection.execute()`; values are bound. `stateOperations` tell the state
 * what the SQL did to the models, when it did.
 *
 * @example
 * ```ts
 * new RunSQL({
 *   sql: 'CREATE INDEX book_lower_title ON library_book (LOWER(title))',
 *   reverseSql: 'DROP INDEX book_lower_title',
 * });
 * ```
 */
export class RunSQL extends Operation {
  /** A reverse (or forward) that does nothing. */
  static readonly noop: typeof NOOP = NOOP;
  readonly sql: RunSqlStatements | typeof NOOP;
  readonly reverseSql: RunSqlStatements | typeof NOOP | null;
  readonly stateOperations: readonly Operation[];
  readonly hints: Readonly<Record<string, unknown>>;
  override readonly elidable: boolean;

  constructor(args: {
    sql: RunSqlStatements | typeof NOOP;
    reverseSql?: RunSqlStatements | typeof NOOP | null;
    stateOperations?: readonly Operation[];
    hints?: Record<string, unknown>;
    elidable?: boolean;
  }) {
    super();
    this.sql = args.sql;
    this.reverseSql = args.reverseSql ?? null;
    this.stateOperations = args.stateOperations ?? [];
    this.hints = args.hints ?? {};
    this.elidable = args.elidable ?? false;
  }
  override get reversible(): boolean {
    return this.reverseSql !== null;
  }
  stateForwards(appLabel: string, state: ProjectState): void {
    for (const op of this.stateOperations) op.stateForwards(appLabel, state);
  }
  async databaseForwards(appLabel: string, editor: BaseDatabaseSchemaEditor): Promise<void> {
    if (this.allowMigrate(editor.connection.alias, appLabel, this.hints))
      await runStatements(editor, this.sql);
  }
  async databaseBackwards(appLabel: string, editor: BaseDatabaseSchemaEditor): Promise<void> {
    if (this.reverseSql === null) throw new IrreversibleError(`You cannot reverse this operation`);
    if (this.allowMigrate(editor.connection.alias, appLabel, this.hints))
      await runStatements(editor, this.reverseSql);
  }
  describe(): string {
    return 'Raw SQL operation';
  }
  deconstruct(): DeconstructedOperation {
    return {
      name: 'RunSQL',
      options: {
        sql: this.sql,
        ...(this.reverseSql !== null ? { reverseSql: this.reverseSql } : {}),
        ...(this.stateOperations.length ? { stateOperations: this.stateOperations } : {}),
        ...(Object.keys(this.hints).length ? { hints: this.hints } : {}),
        ...(this.elidable ? { elidable: true } : {}),
      },
    };
  }
}

async function runStatements(
  editor: BaseDatabaseSchemaEditor,
  sql: RunSqlStatements | typeof NOOP,
): Promise<void> {
  if (sql === NOOP) return;
  const ops = editor.connection.ops;
  const items = typeof sql === 'string' ? splitSqlStatements(sql) : sql;
  for (const item of items) {
    if (typeof item === 'string') {
      for (const stmt of splitSqlStatements(item)) await editor.execute(ops.formatRawSql(stmt, 0));
    } else {
      const [text, params] = item as readonly [string, readonly unknown[]];
      await editor.execute(ops.formatRawSql(text, params.length), params);
    }
  }
}

/**
 * The historical models a data migration receives. They have no static
 * types (they are the models as they were, not as they are now), so
 * `getModel` returns a loosely typed model class, as Django's do.
 */
export interface HistoricalApps {
  getModel(appLabel: string, modelName?: string): any;
  getModels(): readonly any[];
}

/** A data migration's function: the historical models (`apps.getModel(...)`) and the schema editor. */
export type MigrationCode = (apps: HistoricalApps, editor: BaseDatabaseSchemaEditor) => unknown;

/**
 * Code run as a migration step (Django's `RunPython`): a data migration. It
 * receives the historical models — as they were at this point of the
 * history — through `apps.getModel('app', 'Model')`, and the schema editor
 * (`editor.connection.alias` is the database being migrated). Without
 * `reverseCode` it cannot be unapplied; `RunCode.noop` reverses it by doing
 * nothing.
 *
 * @example
 * ```ts
 * new RunCode({
 *   code: async (apps, editor) => {
 *     const Book = apps.getModel('library', 'Book') as typeof import('./models').Book;
 *     await Book.objects.using(editor.connection.alias).filter({ status: '' }).update({ status: 'draft' });
 *   },
 *   reverseCode: RunCode.noop,
 * });
 * ```
 */
export class RunCode extends Operation {
  /** A reverse (or forward) that does nothing. */
  static readonly noop: MigrationCode = () => undefined;
  readonly code: MigrationCode;
  readonly reverseCode: MigrationCode | null;
  override readonly atomic: boolean | undefined;
  readonly hints: Readonly<Record<string, unknown>>;
  override readonly elidable: boolean;
  override readonly reducesToSql = false;

  constructor(
    args:
      | MigrationCode
      | {
          code: MigrationCode;
          reverseCode?: MigrationCode | null;
          atomic?: boolean;
          hints?: Record<string, unknown>;
          elidable?: boolean;
        },
  ) {
    super();
    const a = typeof args === 'function' ? { code: args } : args;
    if (typeof a.code !== 'function')
      throw new TypeError('RunCode must be given a function as code.');
    if (
      a.reverseCode !== undefined &&
      a.reverseCode !== null &&
      typeof a.reverseCode !== 'function'
    )
      throw new TypeError('RunCode must be given a function as reverseCode.');
    this.code = a.code;
    this.reverseCode = a.reverseCode ?? null;
    this.atomic = a.atomic;
    this.hints = a.hints ?? {};
    this.elidable = a.elidable ?? false;
  }
  override get reversible(): boolean {
    return this.reverseCode !== null;
  }
  stateForwards(): void {}
  async databaseForwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
  ): Promise<void> {
    if (this.allowMigrate(editor.connection.alias, appLabel, this.hints))
      await this.code(from.apps as HistoricalApps, editor);
  }
  async databaseBackwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
  ): Promise<void> {
    if (this.reverseCode === null) throw new IrreversibleError(`You cannot reverse this operation`);
    if (this.allowMigrate(editor.connection.alias, appLabel, this.hints))
      await this.reverseCode(from.apps as HistoricalApps, editor);
  }
  describe(): string {
    return 'Raw code operation';
  }
  deconstruct(): DeconstructedOperation {
    return {
      name: 'RunCode',
      options: {
        code: this.code,
        ...(this.reverseCode ? { reverseCode: this.reverseCode } : {}),
        ...(this.atomic !== undefined ? { atomic: this.atomic } : {}),
        ...(this.elidable ? { elidable: true } : {}),
      },
    };
  }
}

/**
 * Database operations and state operations given separately: for changes
 * the state should record without touching the database (a table already
 * there), or SQL the state should not see.
 *
 * @example
 * ```ts
 * new SeparateDatabaseAndState({
 *   stateOperations: [new DeleteModel({ name: 'Legacy' })],
 *   databaseOperations: [], // the table is kept for the previous release
 * });
 * ```
 */
export class SeparateDatabaseAndState extends Operation {
  readonly databaseOperations: readonly Operation[];
  readonly stateOperations: readonly Operation[];
  constructor(args: {
    databaseOperations?: readonly Operation[];
    stateOperations?: readonly Operation[];
  }) {
    super();
    this.databaseOperations = args.databaseOperations ?? [];
    this.stateOperations = args.stateOperations ?? [];
  }
  override get reversible(): boolean {
    return this.databaseOperations.every((op) => op.reversible);
  }
  stateForwards(appLabel: string, state: ProjectState): void {
    for (const op of this.stateOperations) op.stateForwards(appLabel, state);
  }
  async databaseForwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
  ): Promise<void> {
    let state = from;
    for (const op of this.databaseOperations) {
      const next = state.clone();
      op.stateForwards(appLabel, next);
      await op.databaseForwards(appLabel, editor, state, next);
      state = next;
    }
  }
  async databaseBackwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    _from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    // The states each database operation saw going forwards, undone in reverse.
    const steps: [Operation, ProjectState, ProjectState][] = [];
    let state = to;
    for (const op of this.databaseOperations) {
      const next = state.clone();
      op.stateForwards(appLabel, next);
      steps.push([op, state, next]);
      state = next;
    }
    for (const [op, before, after] of steps.reverse())
      await op.databaseBackwards(appLabel, editor, after, before);
  }
  describe(): string {
    return 'Custom state/database change combination';
  }
  deconstruct(): DeconstructedOperation {
    return {
      name: 'SeparateDatabaseAndState',
      options: {
        ...(this.databaseOperations.length ? { databaseOperations: this.databaseOperations } : {}),
        ...(this.stateOperations.length ? { stateOperations: this.stateOperations } : {}),
      },
    };
  }
}
