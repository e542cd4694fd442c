/**
 * Type-level tests for reinhardt/db: checked by `npm run typecheck`, never run.
 * Each @ts-expect-error line must fail to compile, or the typecheck fails.
 */
import { atomic, connection, connections, onCommit, type QueryResult } from '../../src/db/index.js';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_: T): void {}

export async function checks(): Promise<void> {
  // atomic() returns what the block returns.
  const _n = await atomic(async () => 42);
  expectType<Equal<typeof _n, number>>(true);

  // Row types flow from execute's type argument.
  const result = await connection.execute<{ id: number; title: string }>(
    'SELECT id, title FROM book',
  );
  expectType<Equal<typeof result, QueryResult<{ id: number; title: string }>>>(true);
  const title: string = result.rows[0]!.title;
  void title;

  // @ts-expect-error a row field that the type argument does not have
  void result.rows[0]!.author;

  // @ts-expect-error the engine must be one of the backends
  await connections.configure({ default: { engine: 'oracle', name: 'x' } });

  // @ts-expect-error a database needs a name
  await connections.configure({ default: { engine: 'sqlite' } });

  // @ts-expect-error isolation levels are the four SQL ones
  await atomic(async () => undefined, { isolationLevel: 'snapshot' });

  // @ts-expect-error onCommit takes a callback, not a promise
  await onCommit(Promise.resolve());

  // The wrapper form keeps the wrapped function's parameters and result.
  const wrapped = atomic({ using: 'default' })(async (a: number, b: string) => `${a}${b}`);
  const _s = await wrapped(1, 'x');
  expectType<Equal<typeof _s, string>>(true);
  // @ts-expect-error wrong argument type for the wrapped function
  await wrapped('1', 'x');

  class Service {
    @atomic
    async save(id: number): Promise<number> {
      return id;
    }
  }
  const _saved = await new Service().save(1);
  expectType<Equal<typeof _saved, number>>(true);

  // @ts-expect-error forUpdateSql options are typed
  connection.ops.forUpdateSql({ skip_locked: true });
}
