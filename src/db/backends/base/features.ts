/**
 * What a database backend can do, as data (the role of Django's
 * `BaseDatabaseFeatures`). The ORM, the migration executor and the tests
 * branch on these flags, never on the vendor's name.
 */
export class BaseDatabaseFeatures {
  /** Largest number of bound parameters one statement may carry. */
  maxQueryParams = 65_535;
  /** Longest identifier the backend accepts (table, column, index names). */
  maxNameLength = 63;

  /** DDL statements can be rolled back inside a transaction. */
  canRollbackDdl = false;
  /** Constraint checks (foreign keys) can be deferred to the end of the transaction. */
  canDeferConstraintChecks = false;
  /** `SAVEPOINT` / `ROLLBACK TO SAVEPOINT` are available. */
  usesSavepoints = true;
  /** `INSERT … RETURNING` (or an equivalent) can return generated columns. */
  canReturnColumnsFromInsert = false;
  /** A multi-row `INSERT` can return every row's generated primary key. */
  canReturnRowsFromBulkInsert = false;

  /** `SELECT … FOR UPDATE` is supported. */
  hasSelectForUpdate = false;
  /** `FOR UPDATE NOWAIT`. */
  hasSelectForUpdateNowait = false;
  /** `FOR UPDATE SKIP LOCKED`. */
  hasSelectForUpdateSkipLocked = false;
  /** `FOR UPDATE OF table`. */
  hasSelectForUpdateOf = false;
  /** `FOR NO KEY UPDATE`. */
  hasSelectForNoKeyUpdate = false;
  /** Named, database-wide advisory locks (`pg_advisory_lock`, `GET_LOCK`). */
  supportsAdvisoryLocks = false;

  /** Transaction isolation levels that can be requested. */
  supportedIsolationLevels: readonly string[] = [];
  /** Several connections can be open at once (false for an in-memory SQLite database). */
  supportsConcurrentConnections = true;

  /** `SELECT DISTINCT ON (…)`. */
  supportsDistinctOn = false;
  /** Indexes with a `WHERE` condition. */
  supportsPartialIndexes = false;
  /** `CHECK` constraints are enforced. */
  supportsCheckConstraints = true;
  /** Table-level `CHECK` constraints can be added to an existing table with `ALTER TABLE`. */
  supportsAlterTableAddConstraint = true;
  /** `INSERT … ON CONFLICT DO NOTHING` or equivalent. */
  supportsIgnoreConflicts = true;
  /** `INSERT … ON CONFLICT DO UPDATE` or equivalent. */
  supportsUpdateConflicts = true;
  /** Regular expressions in `WHERE`. */
  supportsRegex = true;
  /**
   * GROUP BY the primary key covers the other columns of its table
   * (functional dependency), so grouping by the model needs only its pk.
   */
  allowsGroupBySelectedPks = false;
  /** A native JSON column type. */
  hasNativeJsonField = false;
  /**
   * The driver hands JSON columns over already parsed (node-postgres for
   * `jsonb`, mysql2 for `json`), so a string read from one is a JSON string
   * value, not text to parse.
   */
  driverParsesJson = false;
  /** A native UUID column type. */
  hasNativeUuidField = false;
  /** A native interval/duration column type. */
  hasNativeDurationField = false;
  /** Timestamps carry a time zone in the column type. */
  supportsTimezones = false;
  /** Strings may contain the NUL character. */
  supportsNulInStrings = true;
  /** Server-side cursors for streaming large results. */
  supportsServerSideCursors = false;
  /** `NULLS FIRST` / `NULLS LAST` in `ORDER BY`. */
  supportsOrderByNullsModifier = true;
  /** `UPDATE … FROM` / joins in `UPDATE`. */
  supportsUpdateJoin = false;
  /** Comparisons of text are case-sensitive by default (false for MySQL's default collations). */
  hasCaseSensitiveTextComparison = true;
  /** `FILTER (WHERE …)` on aggregates. */
  supportsAggregateFilterClause = false;
  /** Sub-selects in `LIMIT`/`IN` with `LIMIT` work (false on MySQL). */
  supportsSliceSubqueriesWithIn = true;
}
