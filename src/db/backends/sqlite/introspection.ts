/** Reads SQLite's schema from `sqlite_master` and the `pragma_*` table functions. */
import { BaseDatabaseIntrospection } from '../base/introspection.js';

export class SQLiteIntrospection extends BaseDatabaseIntrospection {
  override async tableNames(): Promise<string[]> {
    const { rows } = await this.connection.run<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    );
    return rows.map((r) => r.name);
  }
}
