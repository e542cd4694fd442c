/**
 * The record of executed statements (Django's `connection.queries`) and the
 * `captureQueries` helper. Captures follow the async call chain, so a capture
 * sees what its own block executed, not what concurrent requests did.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** One executed statement. */
export interface QueryLogEntry {
  /** The SQL as sent to the driver (with the backend's placeholders). */
  sql: string;
  /** The bound parameters, as sent. */
  params: readonly unknown[];
  /** Duration in seconds with three decimals, as Django's `connection.queries` shows it. */
  time: string;
  /** Duration in milliseconds. */
  durationMs: number;
  /** The database alias it ran on. */
  alias: string;
  /** Set when the statement failed. */
  error?: string;
}

/** Django keeps at most this many entries per connection. */
export const QUERY_LOG_LIMIT = 9000;

interface CaptureSink {
  alias: string | undefined;
  entries: QueryLogEntry[];
}

const captureStorage = new AsyncLocalStorage<readonly CaptureSink[]>();

/** @internal Called by the connection wrapper for every statement. */
export function recordCaptured(entry: QueryLogEntry): void {
  const sinks = captureStorage.getStore();
  if (!sinks) return;
  for (const sink of sinks) {
    if (sink.alias === undefined || sink.alias === entry.alias) sink.entries.push(entry);
  }
}

/** What {@link captureQueries} returns. */
export interface CapturedQueries<T> {
  result: T;
  queries: QueryLogEntry[];
}

/**
 * Runs `fn` and returns its result with every statement it executed (on the
 * given alias, or on all aliases), whether or not debugging is on.
 *
 * @example
 * ```ts
 * const { queries } = await captureQueries(() => connection.execute('SELECT 1'));
 * console.log(queries.length, queries[0].sql);
 * ```
 */
export async function captureQueries<T>(
  fn: () => T,
  options: { using?: string } = {},
): Promise<CapturedQueries<Awaited<T>>> {
  const sink: CaptureSink = { alias: options.using, entries: [] };
  const outer = captureStorage.getStore() ?? [];
  // Awaited inside the capture, so a returned thenable (a QuerySet) runs within it.
  const result = await captureStorage.run([...outer, sink], async () => await fn());
  return { result, queries: sink.entries };
}
