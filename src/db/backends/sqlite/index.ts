/**
 * The SQLite backend (`engine: 'sqlite'`), on better-sqlite3.
 *
 * @example
 * ```ts
 * import { SQLiteWrapper } from 'reinhardt/db/backends/sqlite';
 * const db = new SQLiteWrapper('default', { engine: 'sqlite', name: ':memory:' });
 * await db.execute('SELECT 1');
 * ```
 */
export { SQLiteWrapper, SQLiteWrapper as DatabaseWrapper } from './wrapper.js';
export { SQLiteFeatures } from './features.js';
export { SQLiteOperations, formatUtcDateTime } from './operations.js';
export { SQLiteSchemaEditor } from './schema.js';
export { SQLiteIntrospection } from './introspection.js';
