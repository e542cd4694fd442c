/**
 * Testing tools (the role of `django.test`): transactional test cases for
 * node's test runner, query assertions, and settings overrides.
 */
export {
  useTestCase,
  useTransactionTestCase,
  captureOnCommitCallbacks,
  cloneTestData,
  flushTables,
  type TestCaseOptions,
  type TestCaseHandle,
} from './testcase.js';
export { assertNumQueries, QueryCountMismatch } from '../db/debug.js';
export { captureQueries } from '../db/backends/base/query-log.js';
export { overrideSettings } from '../conf/override.js';
export {
  Factory,
  sequence,
  subFactory,
  seedFactories,
  type Declarations,
  type Maker,
  type Declaration,
  type FactoryContext,
  type FactoryOptions,
  type Overrides,
  type PostGeneration,
  type RelatedFactoryDeclaration,
  type Strategy,
} from './factory.js';
export {
  setupTestDatabases,
  teardownTestDatabases,
  prepareTestTables,
  testDatabaseSettings,
  type TestDatabaseOptions,
  type TestDatabases,
} from './databases.js';
export { freezeTime } from './time.js';
export { useTestFramework, type TestFrameworkHooks } from './hooks.js';
