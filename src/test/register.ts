/**
 * Loaded with `--import` into each test process that `reinhardt test`
 * starts: loads the settings, imports the installed apps' models, and points
 * the connections at the test databases the command prepared (an in-memory
 * SQLite database cannot be shared between processes: each process makes
 * its own, with the migrations applied).
 */
import { after } from 'node:test';
import { populateApps } from '../apps/config.js';
import { loadSettings, isConfigured } from '../conf/settings.js';
import { connections } from '../db/connections.js';
import { prepareTestTables } from './databases.js';
import { TEST_RUN_VARIABLE, type TestRunPlan } from './run-plan.js';

const raw = process.env[TEST_RUN_VARIABLE];
if (raw) {
  const plan = JSON.parse(raw) as TestRunPlan;
  if (!isConfigured()) await loadSettings();
  await populateApps();
  await connections.configure(plan.databases);
  for (const [alias, settings] of Object.entries(plan.databases))
    if (settings.engine === 'sqlite' && settings.name === ':memory:')
      await prepareTestTables(alias, { migrate: plan.migrate });
  // Pooled connections would keep the process (and so the run) alive after its tests.
  after(() => connections.closeAll());
}
