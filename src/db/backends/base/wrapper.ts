/**
 * The connection to one database alias (the role of Django's
 * `BaseDatabaseWrapper`): owns the pool, runs statements, records them,
 * translates driver errors, and implements `atomic` blocks.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { DatabaseEngine, DatabaseSettings } from '../../../conf/types.js';
import { ImproperlyConfigured } from '../../../core/exceptions.js';
import { getLogger } from '../../../utils/log.js';
import {
  DatabaseError,
  OperationalError,
  ProgrammingError,
  TransactionManagementError,
} from '../../errors.js';
import { Cursor } from './cursor.js';
import type { BaseDatabaseFeatures } from './features.js';
import type { BaseDatabaseIntrospection } from './introspection.js';
import type { BaseDatabaseOperations } from './operations.js';
import type { ConnectionPool, PooledConnection, QueryResult, RunOptions } from './pool.js';
import { QUERY_LOG_LIMIT, recordCaptured, type QueryLogEntry } from './query-log.js';
import type { BaseDatabaseSchemaEditor, SchemaEditorOptions } from './schema.js';
import { AtomicBlock, TransactionState, type AtomicOptions } from './transactions.js';

const logger = getLogger('reinhardt.db.backends');

/** Default pool timings, in milliseconds. */
export const POOL_DEFAULTS = {
  max: 10,
  idleTimeoutMs: 30_000,
  acquireTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
} as const;

/** Reads whether debugging (and so the full query log) is on. */
let debugProvider: () => boolean = () => false;

/** @internal Lets the settings layer tell the database layer whether DEBUG is on. */
export function setDebugProvider(fn: () => boolean): void {
  debugProvider = fn;
}

export abstract class BaseDatabaseWrapper {
  /** The backend's name as used in settings (`'sqlite'`, `'postgresql'`, `'mysql'`). */
  abstract readonly vendor: DatabaseEngine;
  /** A human-readable backend name for messages. */
  abstract readonly displayName: string;
  abstract readonly features: BaseDatabaseFeatures;
  abstract readonly ops: BaseDatabaseOperations;
  abstract readonly introspection: BaseDatabaseIntrospection;

  /** Record every statement even when DEBUG is off (Django's `force_debug_cursor`). */
  forceDebugCursor = false;
  /** Statements executed since the last {@link resetQueries}, when debugging (newest last). */
  readonly queries: QueryLogEntry[] = [];
  /** Statements executed on this alias since start, always counted. */
  queriesCount = 0;

  /** @internal The atomic block of the current async call chain. */
  readonly txStorage = new AsyncLocalStorage<AtomicBlock>();
  /**
   * @internal The transaction a test case holds open on this alias (see
   * `reinhardt/test`): every statement outside an `atomic` block runs in it,
   * whatever async context it comes from, and is rolled back at the end.
   */
  private testBlock: AtomicBlock | null = null;
  private poolPromise: Promise<ConnectionPool> | null = null;

  constructor(
    readonly alias: string,
    readonly settings: DatabaseSettings,
  ) {}

  /** Opens the driver's pool; the driver module is imported here and only here. */
  protected abstract createPool(): Promise<ConnectionPool>;
  /** Turns a driver error into a {@link DatabaseError} subclass (or returns it unchanged). */
  protected abstract translateError(error: unknown): unknown;
  /** True when `error` means the connection can no longer be used. */
  protected abstract isConnectionBroken(error: unknown): boolean;
  /** Creates a schema editor for this connection. */
  protected abstract createSchemaEditor(options: SchemaEditorOptions): BaseDatabaseSchemaEditor;

  /** Where this alias points, for messages: `PostgreSQL at host:port, database 'x'`. */
  describe(): string {
    const s = this.settings;
    const where = s.host ? ` at ${s.host}${s.port ? `:${s.port}` : ''}` : '';
    const user = s.user ? `, user '${s.user}'` : '';
    return `${this.displayName}${where}, database '${s.name}'${user}`;
  }

  /** Whether statements are recorded in {@link queries}. */
  get queriesLogged(): boolean {
    return this.forceDebugCursor || debugProvider();
  }

  /** Empties {@link queries} (Django's `reset_queries()`). */
  resetQueries(): void {
    this.queries.length = 0;
  }

  /** Pool sizes from settings with defaults applied. */
  protected poolOptions(): Required<NonNullable<DatabaseSettings['pool']>> {
    return { ...POOL_DEFAULTS, ...this.settings.pool };
  }

  private getPool(): Promise<ConnectionPool> {
    if (!this.poolPromise) {
      const created = this.createPool();
      this.poolPromise = created;
      // A failed start is not cached: the next statement tries again.
      created.catch(() => {
        if (this.poolPromise === created) this.poolPromise = null;
      });
    }
    return this.poolPromise;
  }

  /** @internal Borrows a connection, failing clearly after the acquire timeout. */
  async acquire(): Promise<PooledConnection> {
    let pool: ConnectionPool;
    try {
      pool = await this.getPool();
    } catch (error) {
      throw this.connectError(error);
    }
    const timeoutMs = this.poolOptions().acquireTimeoutMs;
    const pending = pool.acquire();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new OperationalError(
            `Timed out after ${timeoutMs} ms waiting for a connection to database '${this.alias}' ` +
              `(${this.describe()}; ${pool.activeCount} of ${pool.totalCount} connection(s) in use). ` +
              'Raise pool.max or pool.acquireTimeoutMs, or look for a transaction left open.',
            { alias: this.alias },
          ),
        );
      }, timeoutMs);
    });
    try {
      return await Promise.race([pending, timeout]);
    } catch (error) {
      // A connection that arrives after we gave up goes straight back.
      pending.then(
        (c) => c.release(),
        () => undefined,
      );
      if (error instanceof OperationalError && error.alias === this.alias) throw error;
      throw this.connectError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  private connectError(error: unknown): DatabaseError {
    if (error instanceof ImproperlyConfigured) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    return new OperationalError(
      `Could not connect to database '${this.alias}' (${this.describe()}): ${reason}`,
      { cause: error, alias: this.alias },
    );
  }

  /**
   * Runs one statement written with this backend's own placeholders (`$1` on
   * PostgreSQL, `?` elsewhere). Used by the ORM's compilers; application code
   * usually wants {@link execute}, which takes `%s` placeholders everywhere.
   */
  async run<R = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
    options: RunOptions = {},
  ): Promise<QueryResult<R>> {
    const adapted = params.map((p, i) => {
      if (p === undefined) {
        throw new ProgrammingError(`Parameter ${i + 1} is undefined; pass null for SQL NULL.`, {
          alias: this.alias,
        });
      }
      return this.ops.adaptParam(p);
    });
    const block = this.txStorage.getStore() ?? this.testBlock ?? undefined;
    if (block) {
      if (block.tx.closed) {
        throw new TransactionManagementError(
          `A query was made on database '${this.alias}' from an atomic block whose transaction has ` +
            'already ended (code that outlived its atomic block, e.g. a promise that was not awaited).',
        );
      }
      if (block.needsRollback) {
        throw new TransactionManagementError(
          "An error occurred in the current transaction. You can't execute queries until the end of the 'atomic' block.",
        );
      }
      return this.runOn(block.tx.connection, sql, adapted, options);
    }
    const conn = await this.acquire();
    let broken = false;
    try {
      return await this.runOn(conn, sql, adapted, options);
    } catch (error) {
      broken = this.isConnectionBroken((error as { cause?: unknown }).cause ?? error);
      throw error;
    } finally {
      conn.release(broken);
    }
  }

  /** @internal Runs on a given connection, recording and translating errors. */
  async runOn<R>(
    conn: PooledConnection,
    sql: string,
    params: readonly unknown[],
    options: RunOptions,
  ): Promise<QueryResult<R>> {
    const start = performance.now();
    let failure: string | undefined;
    try {
      return (await conn.run(sql, params, options)) as QueryResult<R>;
    } catch (error) {
      const translated = this.translateError(error);
      if (translated instanceof DatabaseError) translated.alias ??= this.alias;
      failure = translated instanceof Error ? translated.message : String(translated);
      throw translated;
    } finally {
      this.record(sql, params, performance.now() - start, failure);
    }
  }

  private record(
    sql: string,
    params: readonly unknown[],
    durationMs: number,
    error?: string,
  ): void {
    this.queriesCount += 1;
    const entry: QueryLogEntry = {
      sql,
      params,
      durationMs,
      time: (durationMs / 1000).toFixed(3),
      alias: this.alias,
    };
    if (error !== undefined) entry.error = error;
    if (this.queriesLogged) {
      this.queries.push(entry);
      if (this.queries.length > QUERY_LOG_LIMIT) this.queries.shift();
    }
    recordCaptured(entry);
  }

  /**
   * Runs raw SQL written with Django-style `%s` placeholders (and `%%` for a
   * literal `%` when parameters are given). Values are always bound, never
   * spliced into the SQL.
   *
   * @example
   * ```ts
   * const { rows } = await connection.execute(
   *   'SELECT id, title FROM library_book WHERE title LIKE %s', ['%Django%'],
   * );
   * ```
   */
  async execute<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options: RunOptions = {},
  ): Promise<QueryResult<R>> {
    return this.run<R>(this.ops.formatRawSql(sql, params?.length), params ?? [], options);
  }

  /**
   * A Django-style cursor: `await cursor.execute(sql, params)`, then
   * `fetchone()`, `fetchmany(n)`, `fetchall()`, `rowcount`, `lastrowid`.
   */
  cursor(): Cursor {
    return new Cursor(this);
  }

  /**
   * Opens a schema editor and runs `fn` with it. With `atomic` (the default
   * where DDL is transactional) every statement runs in one transaction;
   * deferred statements (foreign keys, indexes) run at the end.
   */
  async schemaEditor<T>(
    fn: (editor: BaseDatabaseSchemaEditor) => Promise<T>,
    options: SchemaEditorOptions = {},
  ): Promise<T> {
    const editor = this.createSchemaEditor(options);
    const atomic = options.atomic ?? this.features.canRollbackDdl;
    const body = async (): Promise<T> => {
      const result = await fn(editor);
      await editor.runDeferred();
      return result;
    };
    return atomic && !options.collectSql ? this.atomic(body) : body();
  }

  /** Closes every pooled connection; the next statement opens new ones. */
  async close(): Promise<void> {
    const pool = this.poolPromise;
    this.poolPromise = null;
    if (pool) await (await pool.catch(() => null))?.end();
  }

  // ---------------------------------------------------------------- transactions

  /** True inside an `atomic` block on this alias in the current async call chain. */
  inAtomicBlock(): boolean {
    const block = this.txStorage.getStore() ?? this.testBlock;
    return !!block && !block.tx.closed;
  }

  /** @internal The current atomic block, if any (a test case's, outside any other). */
  currentBlock(): AtomicBlock | undefined {
    const block = this.txStorage.getStore() ?? this.testBlock ?? undefined;
    return block && !block.tx.closed ? block : undefined;
  }

  // ---------------------------------------------------------------- test cases

  /**
   * @internal Opens the transaction of a test case (Django's `TestCase`
   * class-level atomic block): statements on this alias run in it until
   * {@link endTestTransaction} rolls it back.
   */
  async beginTestTransaction(): Promise<void> {
    if (this.testBlock) throw new TransactionManagementError('A test transaction is already open.');
    const conn = await this.acquire();
    const tx = new TransactionState(conn);
    try {
      for (const sql of this.ops.beginSql({ isolationLevel: this.defaultIsolationLevel() }))
        await this.runOn(conn, sql, [], {});
    } catch (error) {
      conn.release(true);
      throw error;
    }
    this.testBlock = new AtomicBlock(tx, null, null, false, true);
  }

  /** @internal A savepoint for one test, inside the test case's transaction. */
  async beginTestSavepoint(): Promise<void> {
    const parent = this.testBlock;
    if (!parent) throw new TransactionManagementError('No test transaction is open.');
    const sid = parent.tx.nextSavepointId();
    await this.runOn(parent.tx.connection, this.ops.savepointCreateSql(sid), [], {});
    this.testBlock = new AtomicBlock(parent.tx, parent, sid, false, true);
  }

  /** @internal Undoes everything the test did since its savepoint. */
  async rollbackTestSavepoint(): Promise<void> {
    const block = this.testBlock;
    if (!block?.parent || !block.savepointId)
      throw new TransactionManagementError('No test savepoint is open.');
    block.tx.discardCallbacksOf(block.savepointId);
    await this.runOn(block.tx.connection, this.ops.savepointRollbackSql(block.savepointId), [], {});
    this.testBlock = block.parent;
  }

  /** @internal Rolls back the test case's transaction and returns its connection. */
  async endTestTransaction(): Promise<void> {
    let block = this.testBlock;
    if (!block) return;
    while (block.parent) block = block.parent;
    this.testBlock = null;
    const tx = block.tx;
    let broken = false;
    try {
      await this.runOn(tx.connection, this.ops.rollbackSql(), [], {});
    } catch {
      broken = true;
    } finally {
      tx.closed = true;
      tx.connection.release(broken);
    }
  }

  /**
   * Runs `fn` in a transaction, or in a savepoint when already inside one
   * (see `atomic` in `reinhardt/db` for the public API).
   */
  async atomic<T>(fn: () => Promise<T> | T, options: AtomicOptions = {}): Promise<T> {
    const parent = this.currentBlock();
    if (parent) return this.nestedAtomic(parent, fn, options);
    const conn = await this.acquire();
    const tx = new TransactionState(conn);
    const block = new AtomicBlock(tx, null, null, !!options.durable, !!options.fromTestCase);
    let result: T;
    try {
      for (const sql of this.ops.beginSql({
        isolationLevel: options.isolationLevel ?? this.defaultIsolationLevel(),
      })) {
        await this.runOn(conn, sql, [], {});
      }
    } catch (error) {
      tx.closed = true;
      conn.release(this.isConnectionBroken((error as { cause?: unknown }).cause ?? error));
      throw error;
    }
    try {
      result = await this.txStorage.run(block, fn);
    } catch (error) {
      await this.finishOutermost(tx, 'rollback');
      throw error;
    }
    if (block.needsRollback) {
      await this.finishOutermost(tx, 'rollback');
      return result;
    }
    await this.finishOutermost(tx, 'commit');
    await this.runCommitCallbacks(tx.callbacks.splice(0));
    return result;
  }

  /** The isolation level from `options.isolationLevel` in the database settings. */
  protected defaultIsolationLevel(): AtomicOptions['isolationLevel'] {
    return this.settings.options?.isolationLevel as AtomicOptions['isolationLevel'];
  }

  private async finishOutermost(tx: TransactionState, how: 'commit' | 'rollback'): Promise<void> {
    const conn = tx.connection;
    let broken = false;
    try {
      await this.runOn(
        conn,
        how === 'commit' ? this.ops.commitSql() : this.ops.rollbackSql(),
        [],
        {},
      );
    } catch (error) {
      if (how === 'rollback') {
        // The transaction is gone with the connection; the original error matters more.
        broken = true;
        logger.error(
          `Rollback failed on database '${this.alias}'; the connection is discarded.`,
          error,
        );
        return;
      }
      broken = this.isConnectionBroken((error as { cause?: unknown }).cause ?? error);
      try {
        if (!broken) await this.runOn(conn, this.ops.rollbackSql(), [], {});
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      tx.closed = true;
      conn.release(broken);
    }
  }

  private async nestedAtomic<T>(
    parent: AtomicBlock,
    fn: () => Promise<T> | T,
    options: AtomicOptions,
  ): Promise<T> {
    if (options.durable && parent.hasNonTestCaseAncestor()) {
      throw new TransactionManagementError(
        'A durable atomic block cannot be nested within another atomic block.',
      );
    }
    if (options.isolationLevel) {
      throw new TransactionManagementError(
        'The isolation level can only be set on the outermost atomic block.',
      );
    }
    if (parent.needsRollback) {
      throw new TransactionManagementError(
        "An error occurred in the current transaction. You can't execute queries until the end of the 'atomic' block.",
      );
    }
    const tx = parent.tx;
    if (options.savepoint === false || !this.features.usesSavepoints) {
      const block = new AtomicBlock(tx, parent, null, !!options.durable, !!options.fromTestCase);
      try {
        const result = await this.txStorage.run(block, fn);
        if (block.needsRollback) parent.needsRollback = true;
        return result;
      } catch (error) {
        // Without a savepoint the enclosing block can only be rolled back as a whole.
        parent.needsRollback = true;
        throw error;
      }
    }
    return parent.childMutex.runExclusive(async () => {
      const sid = tx.nextSavepointId();
      await this.runOn(tx.connection, this.ops.savepointCreateSql(sid), [], {});
      const block = new AtomicBlock(tx, parent, sid, !!options.durable, !!options.fromTestCase);
      let result: T;
      try {
        result = await this.txStorage.run(block, fn);
      } catch (error) {
        await this.rollbackSavepoint(parent, sid);
        throw error;
      }
      if (block.needsRollback) {
        await this.rollbackSavepoint(parent, sid);
        return result;
      }
      try {
        await this.runOn(tx.connection, this.ops.savepointCommitSql(sid), [], {});
      } catch (error) {
        await this.rollbackSavepoint(parent, sid);
        throw error;
      }
      return result;
    });
  }

  private async rollbackSavepoint(parent: AtomicBlock, sid: string): Promise<void> {
    parent.tx.discardCallbacksOf(sid);
    try {
      await this.runOn(parent.tx.connection, this.ops.savepointRollbackSql(sid), [], {});
    } catch (error) {
      // The savepoint could not be restored: only rolling back the enclosing block is safe.
      parent.needsRollback = true;
      logger.error(`Rollback to savepoint ${sid} failed on database '${this.alias}'.`, error);
    }
  }

  /**
   * Registers `fn` to run after the current transaction commits, or runs it
   * now when no transaction is open. Callbacks of a rolled-back savepoint or
   * transaction are dropped.
   */
  async onCommit(fn: () => unknown, robust = false): Promise<void> {
    const block = this.currentBlock();
    if (!block) {
      await this.runCommitCallbacks([{ fn, robust }]);
      return;
    }
    block.tx.callbacks.push({ fn, robust, savepoints: block.savepointPath() });
  }

  private async runCommitCallbacks(
    callbacks: readonly { fn: () => unknown; robust: boolean }[],
  ): Promise<void> {
    for (const { fn, robust } of callbacks) {
      if (!robust) {
        await fn();
        continue;
      }
      try {
        await fn();
      } catch (error) {
        logger.error(`Error calling an onCommit callback on database '${this.alias}'.`, error);
      }
    }
  }

  /** Marks the innermost atomic block to be rolled back at its end (Django's `set_rollback`). */
  setRollback(rollback: boolean): void {
    const block = this.currentBlock();
    if (!block)
      throw new TransactionManagementError(
        "The rollback flag doesn't work outside of an 'atomic' block.",
      );
    block.needsRollback = rollback;
  }

  /** Whether the innermost atomic block will be rolled back (Django's `get_rollback`). */
  getRollback(): boolean {
    const block = this.currentBlock();
    if (!block)
      throw new TransactionManagementError(
        "The rollback flag doesn't work outside of an 'atomic' block.",
      );
    return block.needsRollback;
  }
}
