/**
 * The schema editor: DDL for tables, columns, indexes and constraints, with
 * each backend's differences as data (type maps, templates).
 */
import type { BaseDatabaseWrapper } from './wrapper.js';

/** Options of `connection.schemaEditor()`. */
export interface SchemaEditorOptions {
  /** Run every statement in one transaction (default: where DDL is transactional). */
  atomic?: boolean;
  /** Collect the SQL instead of running it (for `sqlmigrate`). */
  collectSql?: boolean;
}

export abstract class BaseDatabaseSchemaEditor {
  /** Statements collected when `collectSql` is on. */
  readonly collectedSql: string[] = [];
  /** Statements to run once the main ones are done (foreign keys, indexes). */
  protected readonly deferredSql: string[] = [];

  constructor(
    readonly connection: BaseDatabaseWrapper,
    readonly options: SchemaEditorOptions = {},
  ) {}

  /** Runs (or collects) one DDL statement. */
  async execute(sql: string, params: readonly unknown[] = []): Promise<void> {
    if (this.options.collectSql) {
      this.collectedSql.push(
        params.length ? `${sql} -- params: ${JSON.stringify(params)}` : `${sql};`,
      );
      return;
    }
    await this.connection.run(sql, params);
  }

  /** Runs the deferred statements; called at the end of `schemaEditor()`. */
  async runDeferred(): Promise<void> {
    const pending = this.deferredSql.splice(0);
    for (const sql of pending) await this.execute(sql);
  }
}
