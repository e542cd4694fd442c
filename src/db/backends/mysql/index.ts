/**
 * The MySQL/MariaDB backend (`engine: 'mysql'`), on mysql2. Importing this
 * module does not load `mysql2`; the first query does.
 *
 * @example
 * ```ts
 * import { MySQLWrapper } from 'reinhardt/db/backends/mysql';
 * const db = new MySQLWrapper('default', { engine: 'mysql', name: 'shop', user: 'root' });
 * ```
 */
export { MySQLWrapper, MySQLWrapper as DatabaseWrapper } from './wrapper.js';
export { MySQLFeatures } from './features.js';
export { MySQLOperations } from './operations.js';
export { MySQLSchemaEditor } from './schema.js';
export { MySQLIntrospection } from './introspection.js';
