// The test run (P28's settings/test.py): an in-memory database, no real
// e-mail, a fixed key, nothing read from the environment that could make
// tests depend on the machine.
// REINHARDT_SETTINGS=examples.settings.test
import { defineSettings, parseDatabaseUrl } from 'reinhardt/conf';
import base from './base.js';

export default defineSettings({
  ...base,
  debug: false,
  secretKey: 'reinhardt-insecure-test-key',
  allowedHosts: ['testserver'],
  databases: { default: parseDatabaseUrl('sqlite::memory:') },
  caches: { default: { backend: 'locmem' } },
  emailBackend: 'locmem',
});
