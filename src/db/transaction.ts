/**
 * Transactions (Django's `django.db.transaction`): `atomic` blocks nest as
 * savepoints, roll back on an exception and re-throw it; `onCommit`
 * callbacks run only after the outermost commit. The current transaction
 * follows the async call chain, so concurrent requests never share one.
 */
import type { AtomicOptions } from './backends/base/transactions.js';
import { connections, DEFAULT_DB_ALIAS } from './connections.js';

export type { AtomicOptions };

/** A decorator or wrapper that runs a function inside `atomic`. */
export interface AtomicWrapper {
  <A extends unknown[], R>(
    fn: (...args: A) => R,
    context?: ClassMethodDecoratorContext,
  ): (...args: A) => Promise<Awaited<R>>;
}

function isDecoratorContext(value: unknown): value is ClassMethodDecoratorContext {
  return (
    typeof value === 'object' &&
    value !== null &&
    'kind' in value &&
    (value as { kind: unknown }).kind === 'method'
  );
}

function wrap(options: AtomicOptions): AtomicWrapper {
  return <A extends unknown[], R>(fn: (...args: A) => R) =>
    function (this: unknown, ...args: A): Promise<Awaited<R>> {
      return connections
        .get(options.using ?? DEFAULT_DB_ALIAS)
        .atomic(() => fn.apply(this, args) as Promise<Awaited<R>> | Awaited<R>, options);
    };
}

/**
 * Runs `fn` in a transaction on `options.using` (default `'default'`), or in
 * a savepoint when a transaction is already open in this async call chain.
 * If `fn` throws, the block is rolled back and the error re-thrown.
 *
 * Called with options only (or used bare as a method decorator), it returns
 * a wrapper, the role of Django's `@transaction.atomic`.
 *
 * @example
 * ```ts
 * await atomic(async () => {
 *   await connection.execute('UPDATE account SET balance = balance - %s WHERE id = %s', [10, 1]);
 *   await connection.execute('UPDATE account SET balance = balance + %s WHERE id = %s', [10, 2]);
 * });
 *
 * class Transfers {
 *   @atomic({ using: 'default' })
 *   async move(from: number, to: number) { … }
 * }
 * ```
 */
export function atomic<T>(fn: () => Promise<T> | T, options?: AtomicOptions): Promise<T>;
export function atomic(options?: AtomicOptions): AtomicWrapper;
export function atomic<A extends unknown[], R>(
  method: (...args: A) => R,
  context: ClassMethodDecoratorContext,
): (...args: A) => Promise<Awaited<R>>;
export function atomic(first?: unknown, second?: unknown): unknown {
  if (typeof first === 'function') {
    if (isDecoratorContext(second)) return wrap({})(first as (...a: unknown[]) => unknown);
    const options = (second ?? {}) as AtomicOptions;
    return connections
      .get(options.using ?? DEFAULT_DB_ALIAS)
      .atomic(first as () => unknown, options);
  }
  return wrap((first ?? {}) as AtomicOptions);
}

/**
 * Runs `fn` after the current transaction on `using` commits; immediately
 * when no transaction is open. Dropped if the transaction (or the savepoint
 * it was registered in) rolls back. With `robust`, an error in `fn` is
 * logged instead of thrown.
 *
 * @example
 * ```ts
 * await atomic(async () => {
 *   await createOrder();
 *   await onCommit(() => sendConfirmationEmail());
 * });
 * ```
 */
export function onCommit(
  fn: () => unknown,
  options: { using?: string; robust?: boolean } = {},
): Promise<void> {
  return connections.get(options.using ?? DEFAULT_DB_ALIAS).onCommit(fn, options.robust ?? false);
}

/** Marks the innermost atomic block to be rolled back (or not) when it ends. */
export function setRollback(rollback: boolean, options: { using?: string } = {}): void {
  connections.get(options.using ?? DEFAULT_DB_ALIAS).setRollback(rollback);
}

/** Whether the innermost atomic block is marked for rollback. */
export function getRollback(options: { using?: string } = {}): boolean {
  return connections.get(options.using ?? DEFAULT_DB_ALIAS).getRollback();
}

/** True inside an atomic block on `using` in the current async call chain. */
export function inAtomicBlock(options: { using?: string } = {}): boolean {
  return connections.get(options.using ?? DEFAULT_DB_ALIAS).inAtomicBlock();
}
