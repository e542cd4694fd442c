/** Reads PostgreSQL's schema from the catalogs of the current schema search path. */
import { BaseDatabaseIntrospection } from '../base/introspection.js';

export class PostgreSQLIntrospection extends BaseDatabaseIntrospection {
  override async tableNames(): Promise<string[]> {
    const { rows } = await this.connection.run<{ name: string }>(
      `SELECT c.relname AS name FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND pg_catalog.pg_table_is_visible(c.oid)
         AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       ORDER BY c.relname`,
    );
    return rows.map((r) => r.name);
  }
}
