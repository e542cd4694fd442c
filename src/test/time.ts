/**
 * Frozen time for tests: `autoNow`/`autoNowAdd` fields (and `now()`) and
 * signature timestamps (`TimestampSigner`, `dumps`/`loads` with `maxAge`) read
 * the framework's clock, which `freezeTime` stops at a given instant while
 * `fn` runs (the role of freezegun / time-machine in Django projects).
 */
import { setClock } from '../utils/clock.js';

/**
 * Runs `fn` with the framework's clock stopped at `when` (a Date, an ISO string or
 * epoch milliseconds), then restores it, even if `fn` throws.
 *
 * @example
 * ```ts
 * const book = await freezeTime('2024-01-01T12:00:00Z', () => Book.objects.create({ … }));
 * book.createdAt.toISOString(); // '2024-01-01T12:00:00.000Z'
 * ```
 */
export async function freezeTime<T>(
  when: Date | string | number,
  fn: () => T,
): Promise<Awaited<T>> {
  const instant = new Date(when instanceof Date ? when.getTime() : when);
  if (Number.isNaN(instant.getTime()))
    throw new TypeError(`freezeTime: invalid date ${String(when)}`);
  const previous = setClock(() => new Date(instant.getTime()));
  try {
    return await fn();
  } finally {
    setClock(previous);
  }
}
