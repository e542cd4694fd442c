/**
 * MariaDB and MySQL through mysql2, with its pool. Statements with
 * parameters use the binary protocol (`execute`), so values are bound by the
 * server rather than escaped into the SQL by the client.
 */
import type {
  Pool,
  PoolConnection,
  PoolOptions,
  FieldPacket,
  ResultSetHeader,
} from 'mysql2/promise';
import { BaseDatabaseWrapper } from '../base/wrapper.js';
import type { ConnectionPool, PooledConnection, QueryResult } from '../base/pool.js';
import type { SchemaEditorOptions } from '../base/schema.js';
import {
  DataError,
  DatabaseError,
  IntegrityError,
  InternalError,
  OperationalError,
  ProgrammingError,
} from '../../errors.js';
import { MySQLFeatures } from './features.js';
import { MySQLIntrospection } from './introspection.js';
import { MySQLOperations } from './operations.js';
import { MySQLSchemaEditor } from './schema.js';

const OWN_OPTIONS = new Set(['isolationLevel']);

// errno → error class (https://mariadb.com/kb/en/mariadb-error-codes/)
const INTEGRITY = new Set([1022, 1048, 1062, 1169, 1216, 1217, 1451, 1452, 1557, 1586, 3819, 4025]);
const DATA = new Set([1264, 1265, 1292, 1366, 1367, 1406, 1416, 3140]);
const PROGRAMMING = new Set([
  1049, 1054, 1064, 1091, 1109, 1110, 1146, 1149, 1210, 1054, 1060, 1061, 1050, 1051, 1072, 1166,
]);
const OPERATIONAL = new Set([
  1040, 1045, 1053, 1205, 1213, 1317, 2002, 2003, 2006, 2013, 3024, 3572, 1969,
]);

export class MySQLWrapper extends BaseDatabaseWrapper {
  readonly vendor = 'mysql' as const;
  readonly displayName = 'MySQL/MariaDB';
  readonly features = new MySQLFeatures();
  readonly ops = new MySQLOperations(this.features);
  readonly introspection: MySQLIntrospection = new MySQLIntrospection(this);

  protected override async createPool(): Promise<ConnectionPool> {
    const mysql = (await import('mysql2/promise')).default;
    const s = this.settings;
    const pool = this.poolOptions();
    const driverOptions = Object.fromEntries(
      Object.entries(s.options ?? {}).filter(([k]) => !OWN_OPTIONS.has(k)),
    );
    const options: PoolOptions = {
      host: s.host ?? '127.0.0.1',
      port: s.port ?? 3306,
      user: s.user ?? 'root',
      database: s.name,
      connectionLimit: pool.max,
      maxIdle: pool.max,
      idleTimeout: pool.idleTimeoutMs || 60_000,
      connectTimeout: pool.connectTimeoutMs,
      waitForConnections: true,
      queueLimit: 0,
      charset: 'utf8mb4',
      // Dates travel in UTC; DATE columns stay 'YYYY-MM-DD' strings (no time zone shift).
      timezone: 'Z',
      dateStrings: ['DATE'],
      supportBigNumbers: true,
      bigNumberStrings: false,
      decimalNumbers: false,
      multipleStatements: false,
      ...driverOptions,
    };
    if (s.password !== undefined) options.password = s.password;
    const client = mysql.createPool(options);
    // Learn whether this is MariaDB or MySQL before the first statement.
    try {
      const [rows] = await client.query('SELECT VERSION() AS v');
      this.features.applyServerVersion(String((rows as Array<{ v: string }>)[0]?.v ?? ''));
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    client.on('connection', () => undefined);
    return new MySQLPool(client);
  }

  protected override translateError(error: unknown): unknown {
    if (!(error instanceof Error) || error instanceof DatabaseError) return error;
    const errno = (error as { errno?: unknown }).errno;
    const code = (error as { code?: unknown }).code;
    const opts = {
      cause: error,
      driverCode: (typeof errno === 'number' ? errno : (code as string)) ?? undefined,
    };
    if (typeof errno !== 'number' || (error as { fatal?: boolean }).fatal) {
      if (typeof errno === 'number' && INTEGRITY.has(errno))
        return new IntegrityError(error.message, opts);
      return new OperationalError(
        `Connection to database '${this.alias}' (${this.describe()}) failed: ${error.message}`,
        opts,
      );
    }
    if (INTEGRITY.has(errno)) return new IntegrityError(error.message, opts);
    if (DATA.has(errno)) return new DataError(error.message, opts);
    if (PROGRAMMING.has(errno)) return new ProgrammingError(error.message, opts);
    if (OPERATIONAL.has(errno)) return new OperationalError(error.message, opts);
    if (errno === 1399 || errno === 1400) return new InternalError(error.message, opts);
    return new DatabaseError(error.message, opts);
  }

  protected override isConnectionBroken(error: unknown): boolean {
    const e = error as { fatal?: unknown; errno?: unknown };
    return e?.fatal === true || typeof e?.errno !== 'number';
  }

  protected override createSchemaEditor(options: SchemaEditorOptions): MySQLSchemaEditor {
    return new MySQLSchemaEditor(this, options);
  }
}

class MySQLPool implements ConnectionPool {
  private active = 0;
  constructor(private readonly pool: Pool) {}

  get totalCount(): number {
    const inner = (this.pool as unknown as { pool?: { _allConnections?: { length: number } } })
      .pool;
    return inner?._allConnections?.length ?? this.active;
  }
  get activeCount(): number {
    return this.active;
  }

  async acquire(): Promise<PooledConnection> {
    const conn = await this.pool.getConnection();
    this.active += 1;
    return new MySQLConnection(conn, () => (this.active -= 1));
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

class MySQLConnection implements PooledConnection {
  private released = false;
  constructor(
    private readonly conn: PoolConnection,
    private readonly onRelease: () => void,
  ) {}

  get sessionId(): number | undefined {
    return (
      (this.conn as unknown as { threadId?: number }).threadId ??
      (this.conn as unknown as { connection?: { threadId?: number } }).connection?.threadId
    );
  }

  async run(
    sql: string,
    params: readonly unknown[],
    options: { rowMode?: 'object' | 'array' },
  ): Promise<QueryResult<any>> {
    const query = { sql, rowsAsArray: options.rowMode === 'array' };
    // Statements without values go over the text protocol: some (BEGIN, SAVEPOINT, DDL)
    // cannot be prepared, and nothing needs binding.
    const [result, fields] = params.length
      ? await this.conn.execute(query, params as any[])
      : await this.conn.query(query);
    if (Array.isArray(result)) {
      return {
        rows: result as unknown[],
        rowCount: result.length,
        columns: ((fields ?? []) as FieldPacket[]).map((f) => f.name),
      };
    }
    const header = result as ResultSetHeader;
    return { rows: [], rowCount: header.affectedRows, lastInsertId: header.insertId || null };
  }

  release(discard = false): void {
    if (this.released) return;
    this.released = true;
    this.onRelease();
    if (discard) this.conn.destroy();
    else this.conn.release();
  }
}
