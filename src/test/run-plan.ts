/** What `reinhardt test` hands each test process (read by `register.ts`). */
import type { DatabaseSettings } from '../conf/types.js';

export interface TestRunPlan {
  /** The test database of each alias. */
  databases: Record<string, DatabaseSettings>;
  /** Apply migrations to databases made in the process (in-memory SQLite). */
  migrate: boolean;
}

/** The environment variable carrying the plan, as JSON. */
export const TEST_RUN_VARIABLE = 'REINHARDT_TEST_RUN';
