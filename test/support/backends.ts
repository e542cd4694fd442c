/**
 * The backend matrix: one test body, run once per reachable database.
 *
 * SQLite always runs. PostgreSQL and MariaDB run when reachable (defaults:
 * 127.0.0.1 on the standard ports); with CI=true an unreachable backend is a
 * failing test, never a skip. REINHARDT_TEST_DATABASES overrides the list:
 * comma-separated backend names (`sqlite,postgresql,mysql`) or database URLs.
 */
import { describe, before, after, test } from 'node:test';
import type { DatabaseEngine, DatabaseSettings } from '../../src/conf/types.js';
import { parseDatabaseUrl } from '../../src/conf/urls.js';
import { connections } from '../../src/db/connections.js';
import type { BaseDatabaseWrapper } from '../../src/db/backends/base/wrapper.js';

export interface BackendTarget {
  vendor: DatabaseEngine;
  settings: DatabaseSettings;
}

const DEFAULT_URLS: Record<DatabaseEngine, string> = {
  sqlite: 'sqlite::memory:',
  postgresql:
    process.env.REINHARDT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/reinhardt_test',
  mysql: process.env.REINHARDT_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/reinhardt_test',
};

/** The databases this run tests against. */
export const targets: BackendTarget[] = (
  process.env.REINHARDT_TEST_DATABASES ?? 'sqlite,postgresql,mysql'
)
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)
  .map((entry) => {
    const url = entry in DEFAULT_URLS ? DEFAULT_URLS[entry as DatabaseEngine] : entry;
    const settings = parseDatabaseUrl(url);
    return { vendor: settings.engine, settings };
  });

export const isCI = process.env.CI === 'true' || process.env.CI === '1';

const probes = new Map<string, Promise<Error | null>>();

/** Connects once to the server and creates the database when it is missing. */
export function probe(settings: DatabaseSettings): Promise<Error | null> {
  const key = JSON.stringify(settings);
  let p = probes.get(key);
  if (!p) {
    p = ensureDatabase(settings).then(
      () => null,
      (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
    );
    probes.set(key, p);
  }
  return p;
}

async function ensureDatabase(s: DatabaseSettings): Promise<void> {
  if (s.engine === 'sqlite') return;
  if (s.engine === 'postgresql') {
    const pg = (await import('pg')).default;
    const client = new pg.Client({
      host: s.host,
      port: s.port,
      user: s.user,
      password: s.password,
      database: 'postgres',
      connectionTimeoutMillis: 3000,
    });
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        s.name,
      ]);
      if (!rowCount) {
        await client
          .query(`CREATE DATABASE "${s.name.replace(/"/g, '""')}"`)
          .catch((e: { code?: string }) => {
            if (e.code !== '42P04' && e.code !== '23505') throw e; // created concurrently
          });
      }
    } finally {
      await client.end();
    }
    return;
  }
  const mysql = (await import('mysql2/promise')).default;
  const conn = await mysql.createConnection({
    host: s.host,
    port: s.port,
    user: s.user ?? 'root',
    password: s.password ?? '',
    connectTimeout: 3000,
  });
  try {
    await conn.query(
      `CREATE DATABASE IF NOT EXISTS \`${s.name.replace(/`/g, '``')}\` CHARACTER SET utf8mb4`,
    );
  } finally {
    await conn.end();
  }
}

/** Reachability of every target, probed once per test process before any suite is declared. */
const reachability = new Map<BackendTarget, Error | null>(
  await Promise.all(targets.map(async (t) => [t, await probe(t.settings)] as const)),
);

/** What a matrix test body receives. */
export interface BackendContext {
  readonly target: BackendTarget;
  readonly vendor: DatabaseEngine;
  /** The `default` connection, configured for this backend. */
  readonly connection: BaseDatabaseWrapper;
}

export interface MatrixOptions {
  /** Only these backends. */
  only?: DatabaseEngine[];
  /** Extra aliases to configure beside `default` (settings derived from the target). */
  extraDatabases?: (target: BackendTarget) => Record<string, DatabaseSettings>;
}

/**
 * Declares `describe(name [vendor])` once per target. Inside, `ctx.connection`
 * is the `default` alias of the global `connections`, pointing at the target.
 *
 * @example
 * describeEachBackend('raw SQL', (ctx) => {
 *   test('select 1', async () => { await ctx.connection.execute('SELECT 1'); });
 * });
 */
export function describeEachBackend(
  name: string,
  body: (ctx: BackendContext) => void,
  options: MatrixOptions = {},
): void {
  for (const target of targets) {
    if (options.only && !options.only.includes(target.vendor)) continue;
    describeBackend(name, target, body, options);
  }
}

/**
 * Declares one suite for one target outside the standard matrix (e.g. through
 * PgBouncer). Await it at the top level of the test file: it probes first.
 */
export async function describeOnTarget(
  name: string,
  target: BackendTarget,
  body: (ctx: BackendContext) => void,
  options: MatrixOptions = {},
): Promise<void> {
  reachability.set(target, await probe(target.settings));
  describeBackend(name, target, body, options);
}

/** A target from a database URL. */
export function targetFromUrl(url: string): BackendTarget {
  const settings = parseDatabaseUrl(url);
  return { vendor: settings.engine, settings };
}

function describeBackend(
  name: string,
  target: BackendTarget,
  body: (ctx: BackendContext) => void,
  options: MatrixOptions,
): void {
  let conn: BaseDatabaseWrapper | undefined;
  const ctx: BackendContext = {
    target,
    vendor: target.vendor,
    get connection(): BaseDatabaseWrapper {
      if (!conn) throw new Error('connection used outside a test');
      return conn;
    },
  };
  const title = `${name} [${target.vendor}]`;
  const failure = reachability.get(target);
  describe(title, () => {
    if (failure) {
      const reason = `${target.vendor} unreachable (${describeTarget(target.settings)}): ${failure.message}`;
      if (isCI) {
        test('backend is reachable', () => {
          throw new Error(`${reason} — with CI=true an unreachable backend is a failure`);
        });
      } else {
        test(`skipped: ${reason}`, { skip: reason }, () => undefined);
      }
      return;
    }
    before(async () => {
      const extra = options.extraDatabases?.(target) ?? {};
      for (const s of Object.values(extra)) {
        const extraFailure = await probe(s);
        if (extraFailure) throw extraFailure;
      }
      await connections.configure({ default: target.settings, ...extra });
      conn = connections.get('default');
    });
    body(ctx);
    // Registered after the body's own hooks, so it runs after them (they may still query).
    after(async () => {
      await connections.closeAll();
    });
  });
}

function describeTarget(s: DatabaseSettings): string {
  return s.engine === 'sqlite' ? s.name : `${s.host}:${s.port}/${s.name}`;
}
