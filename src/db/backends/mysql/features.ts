/**
 * What MariaDB (10.6 or later) and MySQL (8.0 or later) can do. Flags start
 * as MariaDB's; the first connection adjusts them when the server is MySQL.
 */
import { BaseDatabaseFeatures } from '../base/features.js';

export class MySQLFeatures extends BaseDatabaseFeatures {
  override maxQueryParams = 65_535;
  override maxNameLength = 64;
  override driverParsesJson = true;
  override canRollbackDdl = false;
  override canReturnColumnsFromInsert = true;
  override canReturnRowsFromBulkInsert = true;
  override hasSelectForUpdate = true;
  override hasSelectForUpdateNowait = true;
  override hasSelectForUpdateSkipLocked = true;
  override hasSelectForUpdateOf = false;
  override supportsAdvisoryLocks = true;
  override supportedIsolationLevels = [
    'read uncommitted',
    'read committed',
    'repeatable read',
    'serializable',
  ];
  override supportsOrderByNullsModifier = false;
  override supportsUpdateJoin = true;
  override hasCaseSensitiveTextComparison = false;
  override supportsSliceSubqueriesWithIn = false;
  /** True once the server was seen to be MariaDB (the default assumption). */
  isMariaDB = true;
  /** The server's version string, once connected. */
  serverVersion: string | undefined;

  /** Adjusts the flags to the server's product and version. */
  applyServerVersion(version: string): void {
    this.serverVersion = version;
    this.isMariaDB = /mariadb/i.test(version);
    if (!this.isMariaDB) {
      // MySQL 8: FOR UPDATE OF, but no RETURNING.
      this.hasSelectForUpdateOf = true;
      this.canReturnColumnsFromInsert = false;
      this.canReturnRowsFromBulkInsert = false;
    }
  }
}
