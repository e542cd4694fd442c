/**
 * The small contract every backend's driver adapter fulfils: a pool hands
 * out connections that run SQL with native placeholders.
 */

/** How rows come back: objects keyed by column name, or arrays in column order. */
export type RowMode = 'object' | 'array';

/** Options of one statement. */
export interface RunOptions {
  rowMode?: RowMode;
}

/** The outcome of one statement. */
export interface QueryResult<R = Record<string, unknown>> {
  /** Returned rows (empty for statements that return none). */
  rows: R[];
  /** Rows affected by a write, or rows returned by a read. */
  rowCount: number;
  /** The generated id of the last inserted row, where the driver reports one. */
  lastInsertId?: number | bigint | null;
  /** Column names of the returned rows, in order. */
  columns?: string[];
}

/** A connection lent by a pool. */
export interface PooledConnection {
  run(sql: string, params: readonly unknown[], options: RunOptions): Promise<QueryResult<any>>;
  /** Returns the connection to the pool; `discard` closes it instead (it is broken). */
  release(discard?: boolean): void;
  /** The server's id for this session (PostgreSQL pid, MySQL connection id), when known. */
  readonly sessionId?: number | undefined;
}

/** A pool of connections to one database. */
export interface ConnectionPool {
  acquire(): Promise<PooledConnection>;
  /** Closes every connection; the pool is not used again. */
  end(): Promise<void>;
  /** Open connections (idle or lent). */
  readonly totalCount: number;
  /** Connections currently lent out. */
  readonly activeCount: number;
}
