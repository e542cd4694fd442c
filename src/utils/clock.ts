/**
 * The framework's clock: everything that asks "what time is it?" (the ORM's
 * `autoNow` fields, signature timestamps and their expiry) reads it here, so
 * that one `freezeTime` from `reinhardt/test` stops all of them at once, as
 * freezegun does for a Django project.
 */

let clock: () => Date = () => new Date();

/** The current time according to the framework's clock. */
export function now(): Date {
  return clock();
}

/** Replaces the framework's clock (for frozen-time helpers); returns the previous one. */
export function setClock(fn: () => Date): () => Date {
  const previous = clock;
  clock = fn;
  return previous;
}
