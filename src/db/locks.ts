/**
 * Database-wide named locks, for work that must not run twice at once
 * across processes (e.g. two `migrate` runs): PostgreSQL's transaction-level
 * advisory locks and MySQL/MariaDB's `GET_LOCK`. Row locks are the
 * `FOR UPDATE` clauses of `connection.ops.forUpdateSql()`.
 */
import { DatabaseNotSupportedError, OperationalError } from './errors.js';
import { connections, DEFAULT_DB_ALIAS } from './connections.js';

/** Options of {@link withAdvisoryLock}. */
export interface AdvisoryLockOptions {
  using?: string;
  /** Give up after this many milliseconds (default: wait indefinitely on PostgreSQL, 1 day on MySQL). */
  timeoutMs?: number;
  /**
   * PostgreSQL: hold a session-level lock (`pg_advisory_lock`) instead of a
   * transaction-level one, so that no transaction stays open while `fn`
   * runs — an open transaction holds back the snapshot horizon, and
   * `CREATE INDEX CONCURRENTLY` would wait for it forever. Not safe behind
   * PgBouncer in transaction mode (`migrate` connects directly).
   */
  session?: boolean;
}

/**
 * Runs `fn` while holding the named lock; other callers of the same name,
 * in this process or another, wait until it is released. The lock is held
 * on a dedicated connection, inside a transaction on PostgreSQL so it is
 * also safe behind PgBouncer in transaction mode.
 *
 * @example
 * ```ts
 * await withAdvisoryLock('reinhardt.migrate', () => applyMigrations());
 * ```
 */
export async function withAdvisoryLock<T>(
  name: string,
  fn: () => Promise<T>,
  options: AdvisoryLockOptions = {},
): Promise<T> {
  const wrapper = connections.get(options.using ?? DEFAULT_DB_ALIAS);
  if (!wrapper.features.supportsAdvisoryLocks) {
    throw new DatabaseNotSupportedError(
      `Advisory locks are not supported on ${wrapper.displayName} (database '${wrapper.alias}').`,
    );
  }
  // The lock's connection must not be the caller's transaction: take a fresh one.
  const conn = await wrapper.acquire();
  let broken = false;
  try {
    if (wrapper.vendor === 'postgresql' && options.session) {
      if (options.timeoutMs !== undefined)
        await wrapper.runOn(
          conn,
          `SET lock_timeout = ${Math.max(1, Math.floor(options.timeoutMs))}`,
          [],
          {},
        );
      try {
        await wrapper.runOn(conn, 'SELECT pg_advisory_lock(hashtextextended($1, 0))', [name], {});
      } catch (error) {
        broken = true;
        throw lockTimeout(name, wrapper.alias, error);
      }
      try {
        return await fn();
      } finally {
        await wrapper
          .runOn(conn, 'SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name], {})
          .catch(() => (broken = true));
        if (options.timeoutMs !== undefined)
          await wrapper.runOn(conn, 'RESET lock_timeout', [], {}).catch(() => (broken = true));
      }
    }
    if (wrapper.vendor === 'postgresql') {
      await wrapper.runOn(conn, 'BEGIN', [], {});
      try {
        if (options.timeoutMs !== undefined) {
          await wrapper.runOn(
            conn,
            `SET LOCAL lock_timeout = ${Math.max(1, Math.floor(options.timeoutMs))}`,
            [],
            {},
          );
        }
        try {
          await wrapper.runOn(
            conn,
            'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
            [name],
            {},
          );
        } catch (error) {
          throw lockTimeout(name, wrapper.alias, error);
        }
        return await fn();
      } finally {
        await wrapper.runOn(conn, 'COMMIT', [], {}).catch(() => (broken = true));
      }
    }
    const seconds =
      options.timeoutMs === undefined ? 86_400 : Math.max(0, options.timeoutMs / 1000);
    const { rows } = await wrapper.runOn<{ got: number | null }>(
      conn,
      'SELECT GET_LOCK(?, ?) AS got',
      [name, seconds],
      {},
    );
    if (rows[0]?.got !== 1) throw lockTimeout(name, wrapper.alias);
    try {
      return await fn();
    } finally {
      await wrapper.runOn(conn, 'SELECT RELEASE_LOCK(?)', [name], {}).catch(() => (broken = true));
    }
  } finally {
    conn.release(broken);
  }
}

function lockTimeout(name: string, alias: string, cause?: unknown): OperationalError {
  return new OperationalError(`Timed out waiting for the lock '${name}' on database '${alias}'.`, {
    cause,
    alias,
  });
}
