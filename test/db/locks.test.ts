import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../support/backends.js';
import { withAdvisoryLock } from '../../src/db/locks.js';
import { connections } from '../../src/db/connections.js';
import { advisoryLockTests, rowLockTests } from './locks.case.js';

describeEachBackend('row locks: SELECT … FOR UPDATE', rowLockTests);
describeEachBackend('advisory locks', advisoryLockTests, { only: ['postgresql', 'mysql'] });

test('advisory locks are refused clearly where the backend has none', async () => {
  await connections.configure({ default: { engine: 'sqlite', name: ':memory:' } });
  try {
    await assert.rejects(
      withAdvisoryLock('x', async () => undefined),
      {
        message: "Advisory locks are not supported on SQLite (database 'default').",
      },
    );
  } finally {
    await connections.reset();
  }
});
