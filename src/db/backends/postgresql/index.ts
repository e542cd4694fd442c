/**
 * The PostgreSQL backend (`engine: 'postgresql'`), on node-postgres. Importing
 * this module does not load `pg`; the first query does.
 *
 * @example
 * ```ts
 * import { PostgreSQLWrapper } from 'reinhardt/db/backends/postgresql';
 * const db = new PostgreSQLWrapper('default', { engine: 'postgresql', name: 'shop', host: '127.0.0.1' });
 * ```
 */
export { PostgreSQLWrapper, PostgreSQLWrapper as DatabaseWrapper } from './wrapper.js';
export { PostgreSQLFeatures } from './features.js';
export { PostgreSQLOperations } from './operations.js';
export { PostgreSQLSchemaEditor } from './schema.js';
export { PostgreSQLIntrospection } from './introspection.js';
