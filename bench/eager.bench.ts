/**
 * Eager-loading benchmarks (method and results: docs/benchmarks.md).
 *
 * (a) `Book.objects.selectRelated('author')` over 10 000 books, hydrating
 *     each book and its author, against the raw driver running the same JOIN
 *     (captured from the ORM) and returning plain rows (objects, and arrays).
 * (b) `Author.objects.prefetchRelated('books')` over 1 000 authors with 10
 *     books each (2 queries), against the naive loop that asks each author for
 *     its books (1 + 1 000 queries); the query counts are measured too.
 *
 * The same data serves both: 20 users, 1 000 authors and 10 000 books,
 * inserted with bulkCreate before timing starts, in a database of its own per
 * backend (`reinhardt_bench_eager`, a temporary file for SQLite). Each round
 * runs every side back to back, in an order reversed every other round, after
 * untimed warm-up rounds; the tables show medians, the ratio of the medians
 * and the median of the per-round ratios.
 *
 * Run: `node --conditions=reinhardt-source --import tsx bench/eager.bench.ts`.
 * Environment: BENCH_AUTHORS (1000), BENCH_BOOKS_PER_AUTHOR (10),
 * BENCH_ROUNDS (40, for (a)), BENCH_PREFETCH_ROUNDS (10, for (b)),
 * BENCH_WARMUP (5; (b) uses 2), BENCH_DATABASES (`sqlite,postgresql,mysql`),
 * BENCH_RAW_DRIVER_DEFAULTS=1, REINHARDT_BENCH_EAGER_POSTGRES_URL,
 * REINHARDT_BENCH_EAGER_MYSQL_URL.
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
  printTable,
  RAW_DRIVER_DEFAULTS,
  type RawClient,
  wantedBackends,
} from './support.js';

const AUTHORS = Number(process.env.BENCH_AUTHORS ?? 1_000);
const PER_AUTHOR = Number(process.env.BENCH_BOOKS_PER_AUTHOR ?? 10);
const BOOKS = AUTHORS * PER_AUTHOR;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const PREFETCH_ROUNDS = Number(process.env.BENCH_PREFETCH_ROUNDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const PREFETCH_WARMUP = Math.min(WARMUP, 2);

async function seed(): Promise<void> {
  const users = await User.objects.bulkCreate(
    Array.from(
      { length: 20 },
      (_, i) => new User({ username: `reader${i}`, email: `reader${i}@example.com` }),
    ),
  );
  const authors = await Author.objects.bulkCreate(
    Array.from({ length: AUTHORS }, (_, i) => new Author({ name: `Author ${i}`, bio: 'Writes.' })),
    { batchSize: 1000 },
  );
  const books = Array.from(
    { length: BOOKS },
    (_, i) =>
      new Book({
        title: `Book number ${i}: a title of ordinary length`,
        author: authors[i % AUTHORS]!,
        isbn: `978-${String(i).padStart(9, '0')}`,
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

const gc = (globalThis as { gc?: () => void }).gc;

/** Milliseconds one call takes; `check` validates its result (so nothing is optimised away). */
async function time<T>(fn: () => Promise<T>, check: (result: T) => void): Promise<number> {
  gc?.();
  const start = performance.now();
  const result = await fn();
  const elapsed = performance.now() - start;
  check(result);
  return elapsed;
}

/**
 * Runs `sides` back to back for `warmup + rounds` rounds (order reversed
 * every other round) and returns each side's timed samples.
 */
async function alternate(
  sides: ReadonlyArray<() => Promise<number>>,
  warmup: number,
  rounds: number,
): Promise<number[][]> {
  const samples = sides.map(() => [] as number[]);
  for (let round = 0; round < warmup + rounds; round++) {
    const order = sides.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) {
      const ms = await sides[i]!();
      if (round >= warmup) samples[i]!.push(ms);
    }
  }
  return samples;
}

const pairedRatio = (a: readonly number[], b: readonly number[]): number =>
  median(a.map((x, i) => x / b[i]!));

interface SelectRow {
  backend: string;
  orm: number;
  rawObjects: number;
  rawArrays: number;
  paired: number;
}

interface PrefetchRow {
  backend: string;
  prefetchQueries: number;
  naiveQueries: number;
  prefetch: number;
  naive: number;
  paired: number;
}

/** (a) selectRelated('author') against the same JOIN on the raw driver. */
async function benchSelectRelated(backend: BenchBackend, raw: RawClient): Promise<SelectRow> {
  const orm = () => Book.objects.selectRelated('author');
  const { queries } = await captureQueries(async () => await orm());
  if (queries.length !== 1) throw new Error(`selectRelated: ${queries.length} queries`);
  const { sql, params } = queries[0]!;
  const checkBooks = (books: Awaited<ReturnType<typeof orm>>) => {
    if (books.length !== BOOKS || !books[BOOKS - 1]!.author.name)
      throw new Error('selectRelated: wrong result');
  };
  const checkRows = (rows: unknown[]) => {
    if (rows.length !== BOOKS) throw new Error(`raw: ${rows.length} rows`);
  };
  const [ormMs, objectsMs, arraysMs] = await alternate(
    [
      () => time(async () => await orm(), checkBooks),
      () => time(() => raw.objects(sql, params), checkRows),
      () => time(() => raw.arrays(sql, params), checkRows),
    ],
    WARMUP,
    ROUNDS,
  );
  return {
    backend: backend.name,
    orm: median(ormMs!),
    rawObjects: median(objectsMs!),
    rawArrays: median(arraysMs!),
    paired: pairedRatio(ormMs!, objectsMs!),
  };
}

/** (b) prefetchRelated('books') against one query per author. */
async function benchPrefetch(backend: BenchBackend): Promise<PrefetchRow> {
  const prefetched = async () => {
    const authors = await Author.objects.prefetchRelated('books');
    let books = 0;
    for (const author of authors) books += author.books.loaded.length;
    return books;
  };
  const naive = async () => {
    const authors = await Author.objects.all();
    let books = 0;
    for (const author of authors) books += (await author.books.all()).length;
    return books;
  };
  const check = (books: number) => {
    if (books !== BOOKS) throw new Error(`expected ${BOOKS} books, got ${books}`);
  };
  const { queries: p } = await captureQueries(prefetched);
  const { queries: n } = await captureQueries(naive);
  const [prefetchMs, naiveMs] = await alternate(
    [() => time(prefetched, check), () => time(naive, check)],
    PREFETCH_WARMUP,
    PREFETCH_ROUNDS,
  );
  return {
    backend: backend.name,
    prefetchQueries: p.length,
    naiveQueries: n.length,
    prefetch: median(prefetchMs!),
    naive: median(naiveMs!),
    paired: pairedRatio(naiveMs!, prefetchMs!),
  };
}

async function benchBackend(
  backend: BenchBackend,
): Promise<{ select: SelectRow; prefetch: PrefetchRow } | string> {
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
    await seed();
    raw = await backend.raw(settings);
    console.log(
      `${backend.name}: ${await raw.version()} through ${backend.driver} ${pkgVersion(backend.driver)}`,
    );
    const select = await benchSelectRelated(backend, raw);
    const prefetch = await benchPrefetch(backend);
    return { select, prefetch };
  } finally {
    await raw?.close();
    await dropModelTables(connection, BOOKSTORE_MODELS).catch(() => undefined);
    await connections.closeAll();
    await backend.tearDown(settings);
  }
}

console.log(
  `${AUTHORS} authors × ${PER_AUTHOR} books; (a) ${WARMUP} warm-up + ${ROUNDS} timed rounds, ` +
    `(b) ${PREFETCH_WARMUP} + ${PREFETCH_ROUNDS}; medians; ${machine()}` +
    (gc ? '; a forced full GC before each sample' : '; no forced GC') +
    `; raw driver with ${RAW_DRIVER_DEFAULTS ? 'its default' : "the ORM's"} type options`,
);
const selects: SelectRow[] = [];
const prefetches: PrefetchRow[] = [];
for (const backend of wantedBackends('reinhardt_bench_eager', 'REINHARDT_BENCH_EAGER')) {
  const outcome = await benchBackend(backend);
  if (typeof outcome === 'string') console.log(`skipped: ${outcome}`);
  else {
    selects.push(outcome.select);
    prefetches.push(outcome.prefetch);
  }
}

console.log(`\n(a) ${BOOKS} books with selectRelated('author') against the raw driver\n`);
printTable(
  ['backend', 'ORM ms', 'raw objects ms', 'ratio', 'paired ratio', 'raw arrays ms', 'ORM / arrays'],
  selects.map((r) => [
    r.backend,
    r.orm.toFixed(2),
    r.rawObjects.toFixed(2),
    `${(r.orm / r.rawObjects).toFixed(2)}×`,
    `${r.paired.toFixed(2)}×`,
    r.rawArrays.toFixed(2),
    `${(r.orm / r.rawArrays).toFixed(2)}×`,
  ]),
  1,
);
console.log(
  `\n(b) ${AUTHORS} authors with their books: prefetchRelated('books') against one query per author\n`,
);
printTable(
  [
    'backend',
    'prefetch queries',
    'naive queries',
    'prefetch ms',
    'naive ms',
    'naive / prefetch',
    'paired',
  ],
  prefetches.map((r) => [
    r.backend,
    String(r.prefetchQueries),
    String(r.naiveQueries),
    r.prefetch.toFixed(2),
    r.naive.toFixed(2),
    `${(r.naive / r.prefetch).toFixed(2)}×`,
    `${r.paired.toFixed(2)}×`,
  ]),
  1,
);
