/** What PostgreSQL (12 or later) can do. */
import { BaseDatabaseFeatures } from '../base/features.js';

export class PostgreSQLFeatures extends BaseDatabaseFeatures {
  override maxQueryParams = 65_535;
  override maxNameLength = 63;
  override canRollbackDdl = true;
  override canDeferConstraintChecks = true;
  override canReturnColumnsFromInsert = true;
  override canReturnRowsFromBulkInsert = true;
  override hasSelectForUpdate = true;
  override hasSelectForUpdateNowait = true;
  override hasSelectForUpdateSkipLocked = true;
  override hasSelectForUpdateOf = true;
  override hasSelectForNoKeyUpdate = true;
  override supportsAdvisoryLocks = true;
  override supportedIsolationLevels = [
    'read uncommitted',
    'read committed',
    'repeatable read',
    'serializable',
  ];
  override supportsDistinctOn = true;
  override supportsPartialIndexes = true;
  override hasNativeJsonField = true;
  override driverParsesJson = true;
  override allowsGroupBySelectedPks = true;
  override hasNativeUuidField = true;
  override hasNativeDurationField = true;
  override supportsTimezones = true;
  override supportsNulInStrings = false;
  override supportsServerSideCursors = true;
  override supportsUpdateJoin = true;
  override supportsAggregateFilterClause = true;
}
