/**
 * The test framework's lifecycle hooks the helpers register with: node's
 * test runner by default; Vitest (or another runner with the same four
 * hooks) after `useTestFramework({ … })`.
 */
import { after, afterEach, before, beforeEach } from 'node:test';

type Hook = (fn: () => unknown) => unknown;

/** The four hooks `useTestCase` and friends need. */
export interface TestFrameworkHooks {
  /** Once before the tests of the enclosing suite (`beforeAll` in Vitest). */
  before: Hook;
  /** Once after them (`afterAll` in Vitest). */
  after: Hook;
  beforeEach: Hook;
  afterEach: Hook;
}

let current: TestFrameworkHooks = { before, after, beforeEach, afterEach };

/**
 * Makes the helpers register their hooks with another test runner. Call it
 * once, e.g. in Vitest's `setupFiles`.
 *
 * @example
 * ```ts
 * import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
 * useTestFramework({ before: beforeAll, after: afterAll, beforeEach, afterEach });
 * ```
 */
export function useTestFramework(hooks: TestFrameworkHooks): void {
  current = hooks;
}

/** @internal The hooks in use. */
export function testHooks(): TestFrameworkHooks {
  return current;
}
