/**
 * Aggregation benchmark (method and results: docs/benchmarks.md).
 *
 * `Author.objects.annotate({ bookCount: Count('books'), avgRating:
 * Avg('books__rating') })` over 100 000 books (1 000 authors × 100), hydrated
 * into instances, against the same aggregation written by hand
 * (`LEFT JOIN … GROUP BY a.id`) on the raw driver, returning plain rows. Both
 * sides run back to back each round, in an order reversed every other round,
 * after untimed warm-up rounds; medians and the median of per-round ratios.
 *
 * Run: `node --conditions=reinhardt-source --import tsx bench/annotate.bench.ts`.
 * Environment: BENCH_DATABASES (default `postgresql`; `sqlite,postgresql,mysql`
 * for all), BENCH_ANNOTATE_AUTHORS (1000), BENCH_ANNOTATE_BOOKS_PER_AUTHOR
 * (100), BENCH_ROUNDS (20), BENCH_WARMUP (3).
 */
import { performance } from 'node:perf_hooks';
import { captureQueries } from '../src/db/backends/base/query-log.js';
import { connections } from '../src/db/connections.js';
import { Avg, Count, createModelTables, dropModelTables } from '../src/db/models/index.js';
import { Author, Book, BOOKSTORE_MODELS } from '../test/support/bookstore.js';
import {
  type BenchBackend,
  wantedBackends,
  machine,
  median,
  pkgVersion,
  printTable,
} from './support.js';

process.env.BENCH_DATABASES ??= 'postgresql';
const AUTHORS = Number(process.env.BENCH_ANNOTATE_AUTHORS ?? 1_000);
const PER_AUTHOR = Number(process.env.BENCH_ANNOTATE_BOOKS_PER_AUTHOR ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);

async function seed(): Promise<void> {
  const authors = await Author.objects.bulkCreate(
    Array.from({ length: AUTHORS }, (_, i) => new Author({ name: `Author ${i}`, bio: 'Writes.' })),
    { batchSize: 1000 },
  );
  const books: Book[] = [];
  authors.forEach((author, a) => {
    for (let i = 0; i < PER_AUTHOR; i++) {
      books.push(
        new Book({
          title: `Book ${a}-${i}`,
          author,
          isbn: `${a}-${i}`,
          rating: ((a * 7 + i * 3) % 50) / 10,
          sales: (a * 13 + i) % 1000,
        }),
      );
    }
  });
  await Book.objects.bulkCreate(books, { batchSize: 2000 });
}

/** The aggregation as a person would write it for the driver. */
function handWritten(vendor: string): string {
  const q = (n: string) => (vendor === 'mysql' ? `\`${n}\`` : `"${n}"`);
  return (
    `SELECT a.${q('id')}, a.${q('name')}, a.${q('bio')}, a.${q('created_at')}, ` +
    `COUNT(b.${q('id')}) AS ${q('book_count')}, AVG(b.${q('rating')}) AS ${q('avg_rating')} ` +
    `FROM ${q('library_author')} a LEFT OUTER JOIN ${q('library_book')} b ON b.${q('author_id')} = a.${q('id')} ` +
    `GROUP BY a.${q('id')}${vendor === 'postgresql' ? '' : `, a.${q('name')}, a.${q('bio')}, a.${q('created_at')}`}`
  );
}

async function time<T>(fn: () => Promise<T>, check: (r: T) => void): Promise<number> {
  const start = performance.now();
  const r = await fn();
  const ms = performance.now() - start;
  check(r);
  return ms;
}

async function bench(backend: BenchBackend): Promise<string[] | string> {
  const settings = backend.settings();
  try {
    await backend.setUp(settings);
  } catch (e) {
    return `${backend.name} unreachable: ${e instanceof Error ? e.message : String(e)}`;
  }
  await connections.configure({ default: settings });
  const connection = connections.get('default');
  let raw: Awaited<ReturnType<BenchBackend['raw']>> | undefined;
  try {
    await dropModelTables(connection, BOOKSTORE_MODELS);
    await createModelTables(connection, BOOKSTORE_MODELS);
    await seed();
    // Opened once the data exists (SQLite opens the file read-only).
    raw = await backend.raw(settings);
    const client = raw;
    console.log(
      `${backend.name}: ${await client.version()} through ${backend.driver} ${pkgVersion(backend.driver)}`,
    );
    const orm = () =>
      Author.objects.annotate({ bookCount: Count('books'), avgRating: Avg('books__rating') });
    const { queries } = await captureQueries(async () => await orm());
    console.log(`ORM SQL: ${queries[0]!.sql}`);
    const sql = handWritten(backend.name);
    const check = (rows: { length: number }) => {
      if (rows.length !== AUTHORS) throw new Error(`expected ${AUTHORS} rows, got ${rows.length}`);
    };
    const ormMs: number[] = [];
    const rawMs: number[] = [];
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      const sides = [
        async () => ormMs.push(await time(async () => await orm(), check)),
        async () => rawMs.push(await time(() => client.objects(sql, []), check)),
      ];
      if (round % 2) sides.reverse();
      for (const side of sides) await side();
      if (round < WARMUP) {
        ormMs.pop();
        rawMs.pop();
      }
    }
    const paired = median(ormMs.map((x, i) => x / rawMs[i]!));
    return [
      backend.name,
      `${AUTHORS * PER_AUTHOR}`,
      median(ormMs).toFixed(1),
      median(rawMs).toFixed(1),
      (median(ormMs) / median(rawMs)).toFixed(2),
      paired.toFixed(2),
    ];
  } finally {
    await raw?.close();
    await dropModelTables(connection, BOOKSTORE_MODELS).catch(() => undefined);
    await connections.closeAll();
    await backend.tearDown(settings);
  }
}

console.log(machine());
const body: string[][] = [];
for (const backend of wantedBackends('reinhardt_bench_annotate', 'REINHARDT_BENCH_ANNOTATE')) {
  const row = await bench(backend);
  if (typeof row === 'string') console.log(row);
  else body.push(row);
}
printTable(
  [
    'backend',
    'books',
    'ORM annotate (ms)',
    'hand-written SQL (ms)',
    'ratio of medians',
    'median ratio',
  ],
  body,
  1,
);
