/**
 * SQLite through better-sqlite3. The driver is synchronous and one
 * connection serves the alias: statements take turns through a one-slot
 * pool, so a transaction on one async call chain is never entered by
 * another.
 */
import type { Database, Statement } from 'better-sqlite3';
import { BaseDatabaseWrapper } from '../base/wrapper.js';
import type { ConnectionPool, PooledConnection, QueryResult, RunOptions } from '../base/pool.js';
import type { SchemaEditorOptions } from '../base/schema.js';
import {
  DataError,
  IntegrityError,
  InterfaceError,
  OperationalError,
  ProgrammingError,
} from '../../errors.js';
import { SQLiteFeatures } from './features.js';
import { SQLiteIntrospection } from './introspection.js';
import { SQLiteOperations } from './operations.js';
import { SQLiteSchemaEditor } from './schema.js';

const STATEMENT_CACHE_SIZE = 500;

export class SQLiteWrapper extends BaseDatabaseWrapper {
  readonly vendor = 'sqlite' as const;
  readonly displayName = 'SQLite';
  readonly features = new SQLiteFeatures(this.isInMemory());
  readonly ops = new SQLiteOperations(this.features);
  readonly introspection: SQLiteIntrospection = new SQLiteIntrospection(this);

  private isInMemory(): boolean {
    return (
      this.settings.name === ':memory:' ||
      this.settings.name === '' ||
      this.settings.name.includes('mode=memory')
    );
  }

  override describe(): string {
    return `SQLite, database '${this.settings.name}'`;
  }

  protected override async createPool(): Promise<ConnectionPool> {
    const { default: BetterSqlite3 } = await import('better-sqlite3');
    const options = this.settings.options ?? {};
    const db = new BetterSqlite3(this.settings.name || ':memory:', {
      timeout: typeof options.timeout === 'number' ? options.timeout : 5000,
    });
    db.pragma('foreign_keys = ON');
    if (typeof options.journalMode === 'string') db.pragma(`journal_mode = ${options.journalMode}`);
    // SQLite has no REGEXP of its own; Django registers one too.
    db.function('regexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
      if (pattern === null || value === null) return null;
      return new RegExp(String(pattern), 'u').test(String(value)) ? 1 : 0;
    });
    db.function('iregexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
      if (pattern === null || value === null) return null;
      return new RegExp(String(pattern), 'iu').test(String(value)) ? 1 : 0;
    });
    // Statistical aggregates SQLite lacks (Django registers the same four).
    for (const [name, sample, root] of [
      ['STDDEV_POP', false, true],
      ['STDDEV_SAMP', true, true],
      ['VAR_POP', false, false],
      ['VAR_SAMP', true, false],
    ] as const) {
      db.aggregate(name, {
        start: () => ({ n: 0, mean: 0, m2: 0 }),
        step: (acc: { n: number; mean: number; m2: number }, value: unknown) => {
          if (value === null || value === undefined) return acc;
          // Welford's online algorithm: numerically stable in one pass.
          const x = Number(value);
          acc.n += 1;
          const delta = x - acc.mean;
          acc.mean += delta / acc.n;
          acc.m2 += delta * (x - acc.mean);
          return acc;
        },
        result: (acc: { n: number; mean: number; m2: number }) => {
          const divisor = sample ? acc.n - 1 : acc.n;
          if (divisor <= 0) return null;
          const variance = acc.m2 / divisor;
          return root ? Math.sqrt(variance) : variance;
        },
      });
    }
    if (typeof options.transactionMode === 'string') {
      this.ops.transactionMode = options.transactionMode.toUpperCase();
    }
    return new SingleConnectionPool(db);
  }

  protected override translateError(error: unknown): unknown {
    if (!(error instanceof Error)) return error;
    const code = (error as { code?: string }).code;
    if (typeof code !== 'string' || !code.startsWith('SQLITE_')) {
      if (error instanceof RangeError || error instanceof TypeError) {
        return new ProgrammingError(error.message, { cause: error });
      }
      return error;
    }
    const opts = { cause: error, driverCode: code };
    if (code.startsWith('SQLITE_CONSTRAINT')) return new IntegrityError(error.message, opts);
    if (code === 'SQLITE_TOOBIG' || code === 'SQLITE_MISMATCH')
      return new DataError(error.message, opts);
    if (code === 'SQLITE_RANGE') return new ProgrammingError(error.message, opts);
    if (code === 'SQLITE_MISUSE') return new InterfaceError(error.message, opts);
    return new OperationalError(error.message, opts);
  }

  protected override isConnectionBroken(): boolean {
    return false;
  }

  protected override createSchemaEditor(options: SchemaEditorOptions): SQLiteSchemaEditor {
    return new SQLiteSchemaEditor(this, options);
  }
}

/** The one connection of an SQLite alias, lent to one caller at a time. */
class SingleConnectionPool implements ConnectionPool {
  private busy = false;
  private readonly waiters: Array<() => void> = [];
  private readonly statements = new Map<string, Statement>();
  private readonly connection: PooledConnection;

  constructor(private readonly db: Database) {
    this.connection = {
      run: (sql, params, options) => Promise.resolve(this.runSync(sql, params, options)),
      release: () => this.release(),
    };
  }

  get totalCount(): number {
    return 1;
  }
  get activeCount(): number {
    return this.busy ? 1 : 0;
  }

  acquire(): Promise<PooledConnection> {
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve(this.connection);
    }
    return new Promise((resolve) => this.waiters.push(() => resolve(this.connection)));
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.busy = false;
  }

  async end(): Promise<void> {
    this.statements.clear();
    this.db.close();
  }

  private prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (stmt) {
      // Refresh its place in the LRU order.
      this.statements.delete(sql);
      this.statements.set(sql, stmt);
      return stmt;
    }
    stmt = this.db.prepare(sql);
    this.statements.set(sql, stmt);
    if (this.statements.size > STATEMENT_CACHE_SIZE) {
      this.statements.delete(this.statements.keys().next().value!);
    }
    return stmt;
  }

  private runSync(sql: string, params: readonly unknown[], options: RunOptions): QueryResult<any> {
    const stmt = this.prepare(sql);
    if (stmt.reader) {
      const asArray = options.rowMode === 'array';
      stmt.raw(asArray);
      const rows = stmt.all(...params) as unknown[];
      const columns = stmt.columns().map((c) => c.name);
      return { rows, rowCount: rows.length, columns };
    }
    const info = stmt.run(...params);
    return { rows: [], rowCount: info.changes, lastInsertId: info.lastInsertRowid };
  }
}
