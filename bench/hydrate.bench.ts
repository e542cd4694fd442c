/**
 * Hydration benchmark: how long the ORM takes to turn 10 000 rows into
 * model instances (and into `values()` dictionaries and `valuesList()`
 * arrays), against the raw driver running the same SELECT in the same
 * process and returning plain rows. Method and results: docs/benchmarks.md.
 *
 * Every backend gets its own database (`reinhardt_bench` on PostgreSQL and
 * MariaDB/MySQL, a temporary file for SQLite), so a concurrent test run is
 * never disturbed; an unreachable server is skipped with a message. Seeding
 * happens before timing starts. Each round times every variant once: the
 * ORM, the raw driver returning objects and the raw driver returning arrays,
 * back to back, in an order reversed every other round; untimed warm-up
 * rounds come first. The table shows the median of each series, the ratio
 * of the medians, and the median of the per-round ratios.
 *
 * Run: `npm run bench`, that is `node --conditions=reinhardt-source --import
 * tsx bench/hydrate.bench.ts` (add `--expose-gc` to force a full GC before
 * every sample instead of measuring in steady state). Environment:
 * BENCH_ROWS (10000), BENCH_ROUNDS (40), BENCH_WARMUP (5), BENCH_DATABASES
 * (`sqlite,postgresql,mysql`), BENCH_RAW_DRIVER_DEFAULTS=1 (raw driver with
 * its own default type parsing), REINHARDT_BENCH_POSTGRES_URL,
 * REINHARDT_BENCH_MYSQL_URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, freemem, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CustomTypesConfig } from 'pg';
import type { DatabaseSettings } from '../src/conf/types.js';
import { parseDatabaseUrl } from '../src/conf/urls.js';
import { captureQueries } from '../src/db/backends/base/query-log.js';
import { connections } from '../src/db/connections.js';
import { createModelTables, dropModelTables } from '../src/db/models/index.js';
import { Author, Book, BOOKSTORE_MODELS, User } from '../test/support/bookstore.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const BENCH_DB = 'reinhardt_bench';
/**
 * The raw driver is configured with the options the ORM's backend gives it
 * (same type parsers, so both sides receive the same values and the ratio is
 * what the ORM adds). BENCH_RAW_DRIVER_DEFAULTS=1 uses the driver's defaults.
 */
const RAW_DRIVER_DEFAULTS = process.env.BENCH_RAW_DRIVER_DEFAULTS === '1';

/** The raw driver, used as its documentation shows. */
interface RawClient {
  /** Runs `sql` and returns the rows as plain objects (the driver's default). */
  objects(sql: string, params: readonly unknown[]): Promise<unknown[]>;
  /** Runs `sql` and returns the rows as arrays (what the ORM asks for). */
  arrays(sql: string, params: readonly unknown[]): Promise<unknown[]>;
  version(): Promise<string>;
  close(): Promise<void>;
}

/** One backend of the matrix, as data. */
interface BenchBackend {
  name: string;
  driver: string;
  /** Settings of the ORM connection; `setUp` may create what they point at. */
  settings(): DatabaseSettings;
  setUp(settings: DatabaseSettings): Promise<void>;
  tearDown(settings: DatabaseSettings): Promise<void>;
  raw(settings: DatabaseSettings): Promise<RawClient>;
}

let sqliteDir: string | undefined;

const BACKENDS: BenchBackend[] = [
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
        process.env.REINHARDT_BENCH_POSTGRES_URL ??
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
      const client = new pg.Client({ ...pgOptions(s), ...(RAW_DRIVER_DEFAULTS ? {} : { types }) });
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
        process.env.REINHARDT_BENCH_MYSQL_URL ?? `mysql://root@127.0.0.1:3306/${BENCH_DB}`,
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

// ---------------------------------------------------------------- the workload

/** What is timed: the ORM call, and the statement it sends (captured once). */
interface Variant {
  name: string;
  orm: () => PromiseLike<unknown[]>;
}

const VARIANTS: Variant[] = [
  { name: 'Book.objects.all()', orm: () => Book.objects.all() },
  { name: 'values()', orm: () => Book.objects.values() },
  { name: 'valuesList()', orm: () => Book.objects.valuesList() },
];

async function seed(rows: number): Promise<void> {
  const users = await User.objects.bulkCreate(
    Array.from(
      { length: 20 },
      (_, i) => new User({ username: `reader${i}`, email: `reader${i}@example.com` }),
    ),
  );
  const authors = await Author.objects.bulkCreate(
    Array.from({ length: 200 }, (_, i) => new Author({ name: `Author ${i}`, bio: 'Writes.' })),
  );
  const books = Array.from(
    { length: rows },
    (_, i) =>
      new Book({
        title: `Book number ${i}: a title of ordinary length`,
        author: authors[i % authors.length]!,
        isbn: `978-${String(i).padStart(9, '0')}`,
        // One book in ten is undated; the rest spread over ~27 years.
        publishedDate:
          i % 10 === 0
            ? null
            : new Date(Date.UTC(1990, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
        rating: (i % 50) / 10 + 0.25,
        sales: (i * 7919) % 100_000,
        status: i % 3 ? 'published' : 'draft',
        owner: i % 2 ? users[i % users.length]! : null,
      }),
  );
  await Book.objects.bulkCreate(books, { batchSize: 1000 });
}

// ---------------------------------------------------------------- measuring

const gc = (globalThis as { gc?: () => void }).gc;

/** Milliseconds one call takes (after a forced full GC when node runs with --expose-gc). */
async function time(fn: () => PromiseLike<unknown[]>, expected: number): Promise<number> {
  gc?.();
  const start = performance.now();
  const rows = await fn();
  const elapsed = performance.now() - start;
  if (rows.length !== expected) throw new Error(`expected ${expected} rows, got ${rows.length}`);
  return elapsed;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface ResultRow {
  backend: string;
  variant: string;
  orm: number;
  rawObjects: number;
  rawArrays: number;
  /** Median of the per-round ratios ORM / raw objects (each pair ran back to back). */
  paired: number;
}

async function benchBackend(backend: BenchBackend): Promise<ResultRow[] | string> {
  const settings = backend.settings();
  try {
    await backend.setUp(settings);
  } catch (e) {
    return `${backend.name} unreachable: ${e instanceof Error ? e.message : String(e)}`;
  }
  await connections.configure({ default: settings });
  const connection = connections.get('default');
  let raw: RawClient | undefined;
  try {
    await dropModelTables(connection, BOOKSTORE_MODELS);
    await createModelTables(connection, BOOKSTORE_MODELS);
    await seed(ROWS);
    raw = await backend.raw(settings);
    const serverVersion = await raw.version();
    console.log(
      `${backend.name}: ${serverVersion} through ${backend.driver} ${pkgVersion(backend.driver)}`,
    );

    // The exact statement each variant sends, for the raw driver to send too.
    const statements = [];
    for (const variant of VARIANTS) {
      // Awaited inside the capture: a QuerySet only runs when awaited.
      const { queries } = await captureQueries(async () => await variant.orm());
      if (queries.length !== 1) throw new Error(`${variant.name}: ${queries.length} queries`);
      statements.push({ sql: queries[0]!.sql, params: queries[0]!.params });
    }
    const client = raw;
    const samples = VARIANTS.map(() => ({
      orm: [] as number[],
      objects: [] as number[],
      arrays: [] as number[],
    }));
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      for (const [i, variant] of VARIANTS.entries()) {
        const { sql, params } = statements[i]!;
        const steps: Array<[keyof (typeof samples)[number], () => PromiseLike<unknown[]>]> = [
          ['orm', variant.orm],
          ['objects', () => client.objects(sql, params)],
          ['arrays', () => client.arrays(sql, params)],
        ];
        // Alternate the order so neither side always runs first.
        if (round % 2) steps.reverse();
        for (const [key, fn] of steps) {
          const ms = await time(fn, ROWS);
          if (round >= WARMUP) samples[i]![key].push(ms);
        }
      }
    }
    return VARIANTS.map((variant, i) => ({
      backend: backend.name,
      variant: variant.name,
      orm: median(samples[i]!.orm),
      rawObjects: median(samples[i]!.objects),
      rawArrays: median(samples[i]!.arrays),
      paired: median(samples[i]!.orm.map((ms, round) => ms / samples[i]!.objects[round]!)),
    }));
  } finally {
    await raw?.close();
    await dropModelTables(connection, BOOKSTORE_MODELS).catch(() => undefined);
    await connections.closeAll();
    await backend.tearDown(settings);
  }
}

const require = createRequire(import.meta.url);
function pkgVersion(name: string): string {
  try {
    return String((require(`${name}/package.json`) as { version: string }).version);
  } catch {
    return '?';
  }
}

function printTable(rows: readonly ResultRow[]): void {
  const header = [
    'backend',
    'variant',
    'ORM ms',
    'raw objects ms',
    'ratio',
    'paired ratio',
    'raw arrays ms',
    'ORM / arrays',
  ];
  const body = rows.map((r) => [
    r.backend,
    r.variant,
    r.orm.toFixed(2),
    r.rawObjects.toFixed(2),
    `${(r.orm / r.rawObjects).toFixed(2)}×`,
    `${r.paired.toFixed(2)}×`,
    r.rawArrays.toFixed(2),
    `${(r.orm / r.rawArrays).toFixed(2)}×`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(header));
  console.log(
    `|${widths.map((w, i) => (i < 2 ? ':' : '-') + '-'.repeat(w) + (i < 2 ? '-' : ':')).join('|')}|`,
  );
  for (const b of body) console.log(line(b));
}

// ---------------------------------------------------------------- main

const wanted = (process.env.BENCH_DATABASES ?? 'sqlite,postgresql,mysql')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const cpu = cpus();
console.log(
  `${ROWS} rows, ${WARMUP} warm-up + ${ROUNDS} timed rounds, medians; ` +
    `Node ${process.version}, ${cpu.length}× ${cpu[0]?.model ?? '?'}, ` +
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} free)` +
    (gc ? '; a forced full GC before each sample' : '; no forced GC') +
    `; raw driver with ${RAW_DRIVER_DEFAULTS ? 'its default' : "the ORM's"} type options`,
);
const results: ResultRow[] = [];
for (const backend of BACKENDS.filter((b) => wanted.includes(b.name))) {
  const outcome = await benchBackend(backend);
  if (typeof outcome === 'string') console.log(`skipped: ${outcome}`);
  else results.push(...outcome);
}
console.log('');
printTable(results);
