/**
 * Test cases for node's test runner (the roles of Django's `TestCase` and
 * `TransactionTestCase`), as hooks installed in a `describe` block.
 *
 * `useTestCase()` opens one transaction per suite and a savepoint per test,
 * rolled back after it: tests never see each other's data, and data made once
 * by `setUpTestData` is there, unmodified, for every test. Every statement on
 * the alias runs in that transaction, whatever async context it comes from
 * (concurrent work inside a test included), since node's test runner runs
 * hooks and tests in separate contexts.
 */
import { testHooks } from './hooks.js';
import { connections } from '../db/connections.js';
import type { BaseDatabaseWrapper } from '../db/backends/base/wrapper.js';
import { apps } from '../db/models/registry.js';
import { ModelState } from '../db/models/hydrate.js';

/** Options of {@link useTestCase}. */
export interface TestCaseOptions<D> {
  /** Database aliases the tests use (default `['default']`). */
  readonly databases?: readonly string[];
  /** Makes the suite's data, once; each test gets its own copy (Django's `setUpTestData`). */
  readonly setUpTestData?: () => Promise<D> | D;
}

/** What {@link useTestCase} gives the tests. */
export interface TestCaseHandle<D> {
  /** This test's copy of what `setUpTestData` returned (changes do not leak to other tests). */
  readonly data: D;
}

function aliases(options: { databases?: readonly string[] }): BaseDatabaseWrapper[] {
  return (options.databases ?? ['default']).map((alias) => connections.get(alias));
}

/**
 * Installs Django `TestCase` isolation in the enclosing `describe`.
 *
 * @example
 * ```ts
 * describe('books', () => {
 *   const t = useTestCase({
 *     async setUpTestData() {
 *       return { author: await Author.objects.create({ name: 'Le Guin' }) };
 *     },
 *   });
 *   test('one book', async () => {
 *     await Book.objects.create({ title: 'Tehanu', author: t.data.author });
 *     assert.equal(await Book.objects.count(), 1); // rolled back after the test
 *   });
 * });
 * ```
 */
export function useTestCase<D = undefined>(options: TestCaseOptions<D> = {}): TestCaseHandle<D> {
  let classData: D | undefined;
  let current: D | undefined;
  let open: BaseDatabaseWrapper[] = [];
  testHooks().before(async () => {
    open = aliases(options);
    for (const connection of open) await connection.beginTestTransaction();
    classData = options.setUpTestData ? await options.setUpTestData() : undefined;
  });
  testHooks().beforeEach(async () => {
    for (const connection of open) await connection.beginTestSavepoint();
    current = cloneTestData(classData) as D;
  });
  testHooks().afterEach(async () => {
    for (const connection of open) await connection.rollbackTestSavepoint();
  });
  testHooks().after(async () => {
    for (const connection of open) await connection.endTestTransaction();
  });
  return {
    get data(): D {
      return current as D;
    },
  };
}

/**
 * Installs Django `TransactionTestCase` behaviour: tests commit for real (for
 * code that depends on transactions and `onCommit`), and every table of the
 * registered models is emptied after each test.
 *
 * @example
 * ```ts
 * describe('checkout', () => {
 *   useTransactionTestCase();
 *   test('sends the mail after commit', async () => { … });
 * });
 * ```
 */
export function useTransactionTestCase(options: { databases?: readonly string[] } = {}): void {
  testHooks().afterEach(async () => {
    for (const connection of aliases(options)) await flushTables(connection);
  });
}

/** Empties every existing table of the registered models (Django's `flush`), keys reset. */
export async function flushTables(connection: BaseDatabaseWrapper): Promise<void> {
  const tables: string[] = [];
  for (const model of apps.getModels()) {
    const table = model._meta.dbTable;
    if (!tables.includes(table) && (await connection.introspection.tableExists(table)))
      tables.push(table);
  }
  if (!tables.length) return;
  const q = (n: string) => connection.ops.quoteName(n);
  if (connection.vendor === 'postgresql') {
    await connection.execute(`TRUNCATE ${tables.map(q).join(', ')} RESTART IDENTITY CASCADE`);
  } else if (connection.vendor === 'mysql') {
    await connection.atomic(async () => {
      await connection.execute('SET FOREIGN_KEY_CHECKS = 0');
      try {
        for (const t of tables) await connection.execute(`DELETE FROM ${q(t)}`);
      } finally {
        await connection.execute('SET FOREIGN_KEY_CHECKS = 1');
      }
    });
  } else {
    await connection.execute('PRAGMA foreign_keys = OFF');
    try {
      await connection.atomic(async () => {
        for (const t of tables) await connection.execute(`DELETE FROM ${q(t)}`);
        if (await connection.introspection.tableExists('sqlite_sequence'))
          await connection.execute('DELETE FROM sqlite_sequence');
      });
    } finally {
      await connection.execute('PRAGMA foreign_keys = ON');
    }
  }
}

/**
 * Runs `fn` and returns the `onCommit` callbacks it registered (which a
 * `useTestCase` transaction never runs), running them too with `execute`
 * (Django's `captureOnCommitCallbacks`).
 *
 * @example
 * ```ts
 * const callbacks = await captureOnCommitCallbacks(() => placeOrder(), { execute: true });
 * assert.equal(callbacks.length, 1);
 * ```
 */
export async function captureOnCommitCallbacks(
  fn: () => unknown,
  options: { using?: string; execute?: boolean } = {},
): Promise<(() => unknown)[]> {
  const connection = connections.get(options.using ?? 'default');
  const block = connection.currentBlock();
  const start = block ? block.tx.callbacks.length : 0;
  await fn();
  if (!block) return [];
  const captured: (() => unknown)[] = [];
  // Callbacks registered by callbacks are captured (and run) too, as in Django.
  for (let i = start; i < block.tx.callbacks.length; i++) {
    const { fn: callback } = block.tx.callbacks[i]!;
    captured.push(callback);
    if (options.execute) await callback();
  }
  block.tx.callbacks.splice(start);
  return captured;
}

/**
 * A deep copy of test data: model instances stay instances of their class
 * (with their own state and relation cache), arrays, plain objects, maps,
 * sets and dates are copied, anything else is shared.
 */
export function cloneTestData<T>(value: T, seen = new Map<object, unknown>()): T {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const v of value) copy.push(cloneTestData(v, seen));
    return copy as T;
  }
  if (value instanceof Map) {
    const copy = new Map();
    seen.set(value, copy);
    for (const [k, v] of value) copy.set(k, cloneTestData(v, seen));
    return copy as T;
  }
  if (value instanceof Set) {
    const copy = new Set();
    seen.set(value, copy);
    for (const v of value) copy.add(cloneTestData(v, seen));
    return copy as T;
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  const isInstance = (value as { _state?: unknown })._state instanceof ModelState;
  if (!isInstance && proto !== Object.prototype && proto !== null) return value;
  const copy = Object.create(proto) as Record<string, unknown>;
  seen.set(value, copy);
  for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
    if ('value' in descriptor) {
      descriptor.value =
        key === '_state' && descriptor.value instanceof ModelState
          ? cloneState(descriptor.value, seen)
          : cloneTestData(descriptor.value, seen);
    }
    Object.defineProperty(copy, key, descriptor);
  }
  return copy as T;
}

function cloneState(state: ModelState, seen: Map<object, unknown>): ModelState {
  const copy = new ModelState();
  copy.db = state.db;
  copy.adding = state.adding;
  copy.deferred = state.deferred;
  copy.fetchMode = state.fetchMode;
  for (const [k, v] of state.cache) copy.cache.set(k, cloneTestData(v, seen));
  return copy;
}
