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
import { performance } from 'node:perf_hooks';
import { captureQueries } from '../src/db/backends/base/query-log.js';
import { connections } from '../src/db/connections.js';
import { createModelTables, dropModelTables } from '../src/db/models/index.js';
import { Author, Book, BOOKSTORE_MODELS, User } from '../test/support/bookstore.js';
import {
  type BenchBackend,
  machine,
  median,
  pkgVersion,
  RAW_DRIVER_DEFAULTS,
  type RawClient,
  wantedBackends,
} from './support.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
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

console.log(
  `${ROWS} rows, ${WARMUP} warm-up + ${ROUNDS} timed rounds, medians; ${machine()}` +
    (gc ? '; a forced full GC before each sample' : '; no forced GC') +
    `; raw driver with ${RAW_DRIVER_DEFAULTS ? 'its default' : "the ORM's"} type options`,
);
const results: ResultRow[] = [];
for (const backend of wantedBackends('reinhardt_bench', 'REINHARDT_BENCH')) {
  const outcome = await benchBackend(backend);
  if (typeof outcome === 'string') console.log(`skipped: ${outcome}`);
  else results.push(...outcome);
}
console.log('');
printTable(results);
