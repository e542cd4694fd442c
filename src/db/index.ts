/**
 * `reinhardt/db`: connections, transactions, raw SQL, query logging and the
 * database errors. The ORM (models, QuerySets) builds on this module.
 *
 * @example
 * ```ts
 * import { atomic, connection } from 'reinhardt/db';
 * await atomic(async () => {
 *   await connection.execute('INSERT INTO tag (name) VALUES (%s)', ['django']);
 * });
 * ```
 */
export {
  connections,
  connection,
  router,
  resetQueries,
  registerBackend,
  createWrapper,
  ConnectionHandler,
  ConnectionRouter,
  ConnectionDoesNotExist,
  DEFAULT_DB_ALIAS,
  type BackendClass,
} from './connections.js';
export {
  atomic,
  onCommit,
  setRollback,
  getRollback,
  inAtomicBlock,
  type AtomicOptions,
  type AtomicWrapper,
} from './transaction.js';
export { checkDatabaseConnections } from './checks.js';
export { withAdvisoryLock, type AdvisoryLockOptions } from './locks.js';
export {
  captureQueries,
  type CapturedQueries,
  type QueryLogEntry,
} from './backends/base/query-log.js';
export type { DatabaseRouter, DatabaseSettings, RouterHints } from '../conf/types.js';
export {
  assertNumQueries,
  debugQueries,
  formatQueryReport,
  QueryCountMismatch,
  type DebugQueriesOptions,
} from './debug.js';
export { Cursor } from './backends/base/cursor.js';
export { BaseDatabaseWrapper, POOL_DEFAULTS } from './backends/base/wrapper.js';
export { BaseDatabaseFeatures } from './backends/base/features.js';
export {
  BaseDatabaseOperations,
  type ForUpdateOptions,
  type IsolationLevel,
  type DateExtractPart,
  type DateTruncKind,
} from './backends/base/operations.js';
export {
  BaseDatabaseSchemaEditor,
  INTERNAL_TYPES,
  isAutoType,
  type SchemaEditorOptions,
  type InternalType,
  type ColumnDef,
  type TableDef,
  type IndexDef,
  type ConstraintDef,
  type ColumnReference,
} from './backends/base/schema.js';
export {
  BaseDatabaseIntrospection,
  type ColumnDescription,
  type ConstraintInfo,
} from './backends/base/introspection.js';
export type { QueryResult, RunOptions, RowMode } from './backends/base/pool.js';
export * from './errors.js';
export * from './models/index.js';
