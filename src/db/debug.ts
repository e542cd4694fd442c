/**
 * Query debugging helpers (pattern P05): print how many statements a
 * function ran and what they were, like the reference's `debug_queries`
 * decorator.
 */
import { captureQueries, type QueryLogEntry } from './backends/base/query-log.js';

/** Options of {@link debugQueries}. */
export interface DebugQueriesOptions {
  /** Only statements on this alias (default: all). */
  using?: string;
  /** Where the report goes (default: stdout). */
  write?: (line: string) => void;
  /** Characters of SQL shown per statement (default 100). */
  sqlLength?: number;
}

/** Formats a query report: `Queries: N`, then `  0.001s: SELECT …` per statement. */
export function formatQueryReport(queries: readonly QueryLogEntry[], sqlLength = 100): string[] {
  return [
    `Queries: ${queries.length}`,
    ...queries.map((q) => `  ${q.time}s: ${q.sql.slice(0, sqlLength)}`),
  ];
}

/**
 * Wraps `fn` so every call prints the statements it executed. Works as a
 * plain wrapper or as a method decorator.
 *
 * @example
 * ```ts
 * const getBooks = debugQueries(() => connection.execute('SELECT * FROM library_book'));
 * await getBooks();
 * // Queries: 1
 * //   0.000s: SELECT * FROM library_book
 * ```
 */
export function debugQueries<A extends unknown[], R>(
  fn: (...args: A) => R,
  options: DebugQueriesOptions | ClassMethodDecoratorContext = {},
): (...args: A) => Promise<Awaited<R>> {
  const opts: DebugQueriesOptions = 'kind' in options ? {} : options;
  const write = opts.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  return async function (this: unknown, ...args: A): Promise<Awaited<R>> {
    const { result, queries } = await captureQueries(
      async () => (await fn.apply(this, args)) as Awaited<R>,
      opts.using === undefined ? {} : { using: opts.using },
    );
    for (const line of formatQueryReport(queries, opts.sqlLength)) write(line);
    return result as Awaited<R>;
  };
}

/** Thrown by {@link assertNumQueries} when the count differs (an `AssertionError`, as Django's). */
export class QueryCountMismatch extends Error {
  override readonly name = 'AssertionError';
  constructor(
    message: string,
    readonly queries: readonly QueryLogEntry[],
  ) {
    super(message);
  }
}

/**
 * Runs `fn` and fails unless it executed exactly `expected` statements (on
 * `using`, or on every alias), printing them numbered as Django's
 * `assertNumQueries` does. Returns what `fn` returned.
 *
 * @example
 * ```ts
 * await assertNumQueries(2, () => Author.objects.prefetchRelated('books'));
 * ```
 */
export async function assertNumQueries<T>(
  expected: number,
  fn: () => T,
  options: { using?: string } = {},
): Promise<Awaited<T>> {
  const { result, queries } = await captureQueries(fn, options);
  if (queries.length !== expected) {
    const list = queries.map((q, i) => `${i + 1}. ${q.sql}`).join('\n');
    throw new QueryCountMismatch(
      `${queries.length} != ${expected} : ${queries.length} queries executed, ${expected} expected\nCaptured queries were:\n${list}`,
      queries,
    );
  }
  return result;
}
