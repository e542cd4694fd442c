/**
 * PostgreSQL through node-postgres (`pg`), with its pool.
 *
 * PgBouncer (transaction mode): nothing here relies on session state outside
 * a transaction. No named prepared statements, no `SET` on connect; the
 * isolation level is set per transaction with `BEGIN ISOLATION LEVEL`, and
 * timestamps are exchanged with explicit offsets, so the session time zone
 * does not matter.
 */
import type { Pool, PoolClient, CustomTypesConfig } from 'pg';
import { BaseDatabaseWrapper } from '../base/wrapper.js';
import type { ConnectionPool, PooledConnection, QueryResult } from '../base/pool.js';
import type { SchemaEditorOptions } from '../base/schema.js';
import {
  DataError,
  DatabaseError,
  IntegrityError,
  InterfaceError,
  InternalError,
  OperationalError,
  ProgrammingError,
} from '../../errors.js';
import { getLogger } from '../../../utils/log.js';
import { PostgreSQLFeatures } from './features.js';
import { PostgreSQLIntrospection } from './introspection.js';
import { PostgreSQLOperations } from './operations.js';
import { PostgreSQLSchemaEditor } from './schema.js';

const logger = getLogger('reinhardt.db.backends.postgresql');

/** Options that are Reinhardt's, not the driver's. */
const OWN_OPTIONS = new Set(['isolationLevel']);

// Type OIDs whose default parsing would lose information.
const INT8 = 20;
const DATE = 1082;
const TIMESTAMP = 1114;

function parseInt8(value: string): number | bigint {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : BigInt(value);
}

export class PostgreSQLWrapper extends BaseDatabaseWrapper {
  readonly vendor = 'postgresql' as const;
  readonly displayName = 'PostgreSQL';
  readonly features = new PostgreSQLFeatures();
  readonly ops = new PostgreSQLOperations(this.features);
  readonly introspection: PostgreSQLIntrospection = new PostgreSQLIntrospection(this);

  protected override async createPool(): Promise<ConnectionPool> {
    const pg = (await import('pg')).default;
    const identity = (v: string): string => v;
    // Per-pool type parsers: the global pg.types registry stays untouched.
    const types: CustomTypesConfig = {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8) return parseInt8;
        if (oid === DATE || oid === TIMESTAMP) return identity;
        return pg.types.getTypeParser(oid, format);
      }) as CustomTypesConfig['getTypeParser'],
    };
    const s = this.settings;
    const pool = this.poolOptions();
    const driverOptions = Object.fromEntries(
      Object.entries(s.options ?? {}).filter(([k]) => !OWN_OPTIONS.has(k)),
    );
    const client = new pg.Pool({
      host: s.host ?? '127.0.0.1',
      port: s.port ?? 5432,
      user: s.user,
      password: s.password,
      database: s.name,
      max: pool.max,
      idleTimeoutMillis: pool.idleTimeoutMs,
      connectionTimeoutMillis: pool.connectTimeoutMs,
      types,
      ...driverOptions,
    });
    // An idle connection that dies (server restart, admin kill) must not crash the process;
    // the pool drops it and opens a new one when next needed.
    client.on('error', (error) =>
      logger.debug(`idle connection lost on '${this.alias}': ${error.message}`),
    );
    return new PgPool(client);
  }

  protected override translateError(error: unknown): unknown {
    if (!(error instanceof Error) || error instanceof DatabaseError) return error;
    const code = (error as { code?: unknown }).code;
    const sqlstate = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
    const opts = { cause: error, driverCode: (code as string | undefined) ?? undefined };
    if (!sqlstate) {
      // Node-level failures: refused, reset, terminated connections.
      return new OperationalError(
        `Connection to database '${this.alias}' (${this.describe()}) failed: ${error.message}`,
        opts,
      );
    }
    const cls = sqlstate.slice(0, 2);
    if (cls === '23') return new IntegrityError(error.message, opts);
    if (cls === '22') return new DataError(error.message, opts);
    if (cls === '42' || cls === '2F' || cls === '34' || cls === '26')
      return new ProgrammingError(error.message, opts);
    if (cls === '25' || cls === 'XX') return new InternalError(error.message, opts);
    if (cls === '0A') return new DatabaseError(error.message, opts);
    if (cls === '08') return new OperationalError(error.message, opts);
    if (['40', '53', '55', '57', '58', 'HV', 'F0', 'P0'].includes(cls))
      return new OperationalError(error.message, opts);
    return new DatabaseError(error.message, opts);
  }

  protected override isConnectionBroken(error: unknown): boolean {
    if (error instanceof InterfaceError) return true;
    const code = (error as { code?: unknown })?.code;
    if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
    return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03';
  }

  protected override createSchemaEditor(options: SchemaEditorOptions): PostgreSQLSchemaEditor {
    return new PostgreSQLSchemaEditor(this, options);
  }
}

class PgPool implements ConnectionPool {
  constructor(private readonly pool: Pool) {}

  get totalCount(): number {
    return this.pool.totalCount;
  }
  get activeCount(): number {
    return this.pool.totalCount - this.pool.idleCount;
  }

  async acquire(): Promise<PooledConnection> {
    const client = await this.pool.connect();
    return new PgConnection(client);
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

class PgConnection implements PooledConnection {
  private released = false;
  constructor(private readonly client: PoolClient) {}

  get sessionId(): number | undefined {
    return (this.client as unknown as { processID?: number }).processID;
  }

  async run(
    sql: string,
    params: readonly unknown[],
    options: { rowMode?: 'object' | 'array' },
  ): Promise<QueryResult<any>> {
    const result = await this.client.query({
      text: sql,
      values: params as unknown[],
      ...(options.rowMode === 'array' ? { rowMode: 'array' as const } : {}),
    });
    return {
      rows: result.rows,
      rowCount: result.rowCount ?? result.rows.length,
      columns: result.fields?.map((f) => f.name) ?? [],
    };
  }

  release(discard = false): void {
    if (this.released) return;
    this.released = true;
    this.client.release(discard ? true : undefined);
  }
}
