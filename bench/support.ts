/**
 * The backend matrix the benchmarks share: for each backend, the ORM's
 * settings (a database of the benchmark's own, or a temporary SQLite file)
 * and a raw driver connection configured with the ORM's type options, so both
 * sides receive the same values; plus timing helpers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, freemem, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CustomTypesConfig } from 'pg';
import type { DatabaseSettings } from '../src/conf/types.js';
import { parseDatabaseUrl } from '../src/conf/urls.js';

/**
 * The raw driver is configured with the options the ORM's backend gives it
 * (same type parsers, so both sides receive the same values and the ratio is
 * what the ORM adds). BENCH_RAW_DRIVER_DEFAULTS=1 uses the driver's defaults.
 */
export const RAW_DRIVER_DEFAULTS = process.env.BENCH_RAW_DRIVER_DEFAULTS === '1';

/** The raw driver, used as its documentation shows. */
export interface RawClient {
  /** Runs `sql` and returns the rows as plain objects (the driver's default). */
  objects(sql: string, params: readonly unknown[]): Promise<unknown[]>;
  /** Runs `sql` and returns the rows as arrays (what the ORM asks for). */
  arrays(sql: string, params: readonly unknown[]): Promise<unknown[]>;
  version(): Promise<string>;
  close(): Promise<void>;
}

/** One backend of the matrix, as data. */
export interface BenchBackend {
  name: string;
  driver: string;
  /** Settings of the ORM connection; `setUp` may create what they point at. */
  settings(): DatabaseSettings;
  setUp(settings: DatabaseSettings): Promise<void>;
  tearDown(settings: DatabaseSettings): Promise<void>;
  raw(settings: DatabaseSettings): Promise<RawClient>;
}

let sqliteDir: string | undefined;

/**
 * The backends, their databases named `db` (overridable by the environment
 * variables `${envPrefix}_POSTGRES_URL` and `${envPrefix}_MYSQL_URL`).
 */
export function benchBackends(db: string, envPrefix: string): BenchBackend[] {
  const BENCH_DB = db;
  return [
    {
      name: 'sqlite',
      driver: 'better-sqlite3',
      settings: () => {
        sqliteDir ??= mkdtempSync(join(tmpdir(), 'reinhardt-bench-'));
        return { engine: 'sqlite', name: join(sqliteDir, 'bench.sqlite3') };
      },
      setUp: async () => undefined,
      tearDown: async () => {
        if (sqliteDir) rmSync(sqliteDir, { recursive: true, force: true });
        sqliteDir = undefined;
      },
      raw: async (s) => {
        const { default: Database } = await import('better-sqlite3');
        const db = new Database(s.name, { readonly: true });
        // Prepared once, as the ORM's statement cache does.
        type Statement = ReturnType<typeof db.prepare<unknown[]>>;
        const statements = new Map<string, { objects: Statement; arrays: Statement }>();
        const prepared = (sql: string) => {
          let entry = statements.get(sql);
          if (!entry) {
            entry = {
              objects: db.prepare<unknown[]>(sql),
              arrays: db.prepare<unknown[]>(sql).raw(true),
            };
            statements.set(sql, entry);
          }
          return entry;
        };
        return {
          objects: async (sql, params) => prepared(sql).objects.all(...params),
          arrays: async (sql, params) => prepared(sql).arrays.all(...params),
          version: async () =>
            String((db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v),
          close: async () => {
            db.close();
          },
        };
      },
    },
    {
      name: 'postgresql',
      driver: 'pg',
      settings: () => ({
        ...parseDatabaseUrl(
          process.env[`${envPrefix}_POSTGRES_URL`] ??
            `postgres://postgres@127.0.0.1:5432/${BENCH_DB}`,
        ),
        pool: { max: 1 },
      }),
      setUp: async (s) => {
        const pg = (await import('pg')).default;
        const client = new pg.Client({ ...pgOptions(s), database: 'postgres' });
        await client.connect();
        try {
          const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
            s.name,
          ]);
          if (!rowCount) await client.query(`CREATE DATABASE "${s.name.replace(/"/g, '""')}"`);
        } finally {
          await client.end();
        }
      },
      tearDown: async () => undefined,
      raw: async (s) => {
        const pg = (await import('pg')).default;
        const identity = (v: string): string => v;
        // The ORM's parsers (postgresql/wrapper.ts): int8 as a number, DATE and TIMESTAMP as text.
        const types: CustomTypesConfig = {
          getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
            if (oid === 20) return parseInt8;
            if (oid === 1082 || oid === 1114) return identity;
            return pg.types.getTypeParser(oid, format);
          }) as CustomTypesConfig['getTypeParser'],
        };
        const client = new pg.Client({
          ...pgOptions(s),
          ...(RAW_DRIVER_DEFAULTS ? {} : { types }),
        });
        await client.connect();
        return {
          objects: async (text, values) =>
            (await client.query({ text, values: [...values] })).rows as unknown[],
          arrays: async (text, values) =>
            (await client.query({ text, values: [...values], rowMode: 'array' })).rows as unknown[],
          version: async () =>
            String((await client.query('SHOW server_version')).rows[0]?.server_version),
          close: () => client.end(),
        };
      },
    },
    {
      name: 'mysql',
      driver: 'mysql2',
      settings: () => ({
        ...parseDatabaseUrl(
          process.env[`${envPrefix}_MYSQL_URL`] ?? `mysql://root@127.0.0.1:3306/${BENCH_DB}`,
        ),
        pool: { max: 1 },
      }),
      setUp: async (s) => {
        const mysql = (await import('mysql2/promise')).default;
        const conn = await mysql.createConnection({ ...mysqlOptions(s), database: undefined });
        try {
          await conn.query(
            `CREATE DATABASE IF NOT EXISTS \`${s.name.replace(/`/g, '``')}\` CHARACTER SET utf8mb4`,
          );
        } finally {
          await conn.end();
        }
      },
      tearDown: async () => undefined,
      raw: async (s) => {
        const mysql = (await import('mysql2/promise')).default;
        const conn = await mysql.createConnection({
          ...mysqlOptions(s),
          // The ORM's type options (mysql/wrapper.ts): UTC, DATE as text, big numbers exact.
          ...(RAW_DRIVER_DEFAULTS
            ? {}
            : {
                timezone: 'Z',
                dateStrings: ['DATE' as const],
                supportBigNumbers: true,
                bigNumberStrings: false,
                decimalNumbers: false,
              }),
        });
        // Without values the ORM uses the text protocol too (conn.query, not execute).
        const run = async (sql: string, params: readonly unknown[], rowsAsArray: boolean) =>
          (params.length
            ? (await conn.execute({ sql, rowsAsArray }, [...params] as never[]))[0]
            : (await conn.query({ sql, rowsAsArray }))[0]) as unknown[];
        return {
          objects: (sql, params) => run(sql, params, false),
          arrays: (sql, params) => run(sql, params, true),
          version: async () => {
            const [rows] = await conn.query('SELECT VERSION() AS v');
            return String((rows as Array<{ v: string }>)[0]?.v);
          },
          close: () => conn.end(),
        };
      },
    },
  ];
}

function parseInt8(value: string): number | bigint {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : BigInt(value);
}

function pgOptions(s: DatabaseSettings) {
  return {
    host: s.host ?? '127.0.0.1',
    port: s.port ?? 5432,
    user: s.user,
    password: s.password,
    database: s.name,
    connectionTimeoutMillis: 3000,
  };
}

function mysqlOptions(s: DatabaseSettings) {
  return {
    host: s.host ?? '127.0.0.1',
    port: s.port ?? 3306,
    user: s.user ?? 'root',
    password: s.password ?? '',
    database: s.name as string | undefined,
    charset: 'utf8mb4',
    connectTimeout: 3000,
  };
}

const require = createRequire(import.meta.url);

/** The installed version of a package. */
export function pkgVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return '?';
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One line describing the machine, printed above the results. */
export function machine(): string {
  const cpu = cpus();
  return (
    `Node ${process.version}, ${cpu.length}× ${cpu[0]?.model ?? '?'}, ` +
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} free)`
  );
}

/** The backends named in BENCH_DATABASES (all three by default). */
export function wantedBackends(db: string, envPrefix: string): BenchBackend[] {
  const wanted = (process.env.BENCH_DATABASES ?? 'sqlite,postgresql,mysql')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return benchBackends(db, envPrefix).filter((b) => wanted.includes(b.name));
}

/** Prints a Markdown table, the first `left` columns left-aligned. */
export function printTable(header: readonly string[], body: readonly string[][], left = 2): void {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(header));
  console.log(
    `|${widths.map((w, i) => (i < left ? ':' : '-') + '-'.repeat(w) + (i < left ? '-' : ':')).join('|')}|`,
  );
  for (const b of body) console.log(line(b));
}
