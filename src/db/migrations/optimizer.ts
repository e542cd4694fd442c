/**
 * Folds a list of operations into a shorter equivalent one (Django's
 * `MigrationOptimizer`): CreateModel + AddField → CreateModel, AddField +
 * RemoveField → nothing, consecutive AlterFields → the last, renames chained,
 * … Operations that cannot be reasoned about (`RunSQL`, `RunCode`) are
 * barriers: nothing moves across them, and they keep their place.
 */
import type { Operation } from './operations/base.js';

/**
 * @example
 * ```ts
 * optimizeOperations([new CreateModel({ name: 'Foo', fields }), new DeleteModel({ name: 'Foo' })], 'app'); // []
 * ```
 */
export function optimizeOperations(
  operations: readonly Operation[],
  appLabel: string,
): Operation[] {
  let current = [...operations];
  // Each pass folds one pair; repeat until nothing changes.
  for (let pass = 0; pass < 10_000; pass++) {
    const next = optimizeOnce(current, appLabel);
    if (next.length === current.length && next.every((op, i) => op === current[i])) return next;
    current = next;
  }
  return current;
}

function optimizeOnce(operations: readonly Operation[], appLabel: string): Operation[] {
  const out: Operation[] = [];
  for (let i = 0; i < operations.length; i++) {
    const operation = operations[i]!;
    // Whether the result may go where `other` is (everything in between can move left of it).
    let right = true;
    let pushed = false;
    for (let j = i + 1; j < operations.length; j++) {
      const other = operations[j]!;
      const result = operation.reduce(other, appLabel);
      if (Array.isArray(result)) {
        const between = operations.slice(i + 1, j);
        if (right) {
          out.push(...between, ...result);
        } else if (between.every((op) => op.reduce(other, appLabel) === true)) {
          // `other` can move left across everything in between: fold at `operation`'s place.
          out.push(...result, ...between);
        } else {
          out.push(operation);
          pushed = true;
          break;
        }
        out.push(...operations.slice(j + 1));
        return out;
      }
      if (!result) right = false;
    }
    if (!pushed) out.push(operation);
  }
  return out;
}
