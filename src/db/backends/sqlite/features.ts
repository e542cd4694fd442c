/** What SQLite (3.35 or later, as bundled with better-sqlite3) can do. */
import { BaseDatabaseFeatures } from '../base/features.js';

export class SQLiteFeatures extends BaseDatabaseFeatures {
  override maxQueryParams = 32_766;
  override maxNameLength = 1_000;
  override canRollbackDdl = true;
  override canDeferConstraintChecks = true;
  override canReturnColumnsFromInsert = true;
  override canReturnRowsFromBulkInsert = true;
  override supportedIsolationLevels = ['serializable'];
  override supportsPartialIndexes = true;
  override supportsAggregateFilterClause = true;
  override supportsIgnoreConflicts = true;
  override supportsUpdateConflicts = true;
  override supportsAlterTableAddConstraint = false;

  constructor(inMemory: boolean) {
    super();
    // Each connection to ":memory:" is a separate database.
    this.supportsConcurrentConnections = !inMemory;
  }
}
