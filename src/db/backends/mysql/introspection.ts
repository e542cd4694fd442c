/** Reads the MySQL/MariaDB schema from `information_schema`. */
import { BaseDatabaseIntrospection } from '../base/introspection.js';

export class MySQLIntrospection extends BaseDatabaseIntrospection {
  override async tableNames(): Promise<string[]> {
    const { rows } = await this.connection.run<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    return rows.map((r) => r.name);
  }
}
