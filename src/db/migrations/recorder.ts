/**
 * The record of applied migrations (Django's `MigrationRecorder`): the table
 * `reinhardt_migrations` (app, name, applied), created on first use.
 */
import type { BaseDatabaseWrapper } from '../backends/base/wrapper.js';
import { DateTimeField } from '../models/fields/temporal.js';
import type { MigrationKey } from './graph.js';

/** Converts the `applied` column like any datetime field (UTC on every backend). */
const APPLIED = DateTimeField();

/** The name of the table that records applied migrations. */
export const MIGRATIONS_TABLE = 'reinhardt_migrations';

export class MigrationRecorder {
  constructor(readonly connection: BaseDatabaseWrapper) {}

  private get q(): (name: string) => string {
    return (n) => this.connection.ops.quoteName(n);
  }

  /** Whether the table exists yet. */
  hasTable(): Promise<boolean> {
    return this.connection.introspection.tableExists(MIGRATIONS_TABLE);
  }

  /** Creates the table if it does not exist. */
  async ensureSchema(): Promise<void> {
    if (await this.hasTable()) return;
    await this.connection.schemaEditor((editor) =>
      editor.createTable({
        name: MIGRATIONS_TABLE,
        columns: [
          { name: 'id', type: 'BigAutoField', primaryKey: true },
          { name: 'app', type: 'CharField', maxLength: 255 },
          { name: 'name', type: 'CharField', maxLength: 255 },
          { name: 'applied', type: 'DateTimeField' },
        ],
      }),
    );
  }

  /** The applied migrations, as `app.name` keys, in the order they were applied. */
  async appliedMigrations(): Promise<Map<string, Date>> {
    if (!(await this.hasTable())) return new Map();
    const q = this.q;
    const { rows } = await this.connection.execute<{ app: string; name: string; applied: unknown }>(
      `SELECT ${q('app')}, ${q('name')}, ${q('applied')} FROM ${q(MIGRATIONS_TABLE)} ORDER BY ${q('id')}`,
    );
    return new Map(
      rows.map((r) => [`${r.app}.${r.name}`, APPLIED.fromDb(r.applied, this.connection)!]),
    );
  }

  /** Records `key` as applied. */
  async recordApplied([app, name]: MigrationKey): Promise<void> {
    await this.ensureSchema();
    const q = this.q;
    await this.connection.execute(
      `INSERT INTO ${q(MIGRATIONS_TABLE)} (${q('app')}, ${q('name')}, ${q('applied')}) VALUES (%s, %s, %s)`,
      [app, name, APPLIED.toDb(new Date(), this.connection)],
    );
  }

  /** Records `key` as not applied. */
  async recordUnapplied([app, name]: MigrationKey): Promise<void> {
    await this.ensureSchema();
    const q = this.q;
    await this.connection.execute(
      `DELETE FROM ${q(MIGRATIONS_TABLE)} WHERE ${q('app')} = %s AND ${q('name')} = %s`,
      [app, name],
    );
  }

  /** Forgets every record (tests). */
  async flush(): Promise<void> {
    if (await this.hasTable())
      await this.connection.execute(`DELETE FROM ${this.q(MIGRATIONS_TABLE)}`);
  }
}
