// Local development (P28's settings/development.py).
// REINHARDT_SETTINGS=examples.settings.development
import { defineSettings } from 'reinhardt/conf';
import base from './base.js';

export default defineSettings({
  ...base,
  debug: true,
  // A throw-away key is fine on a laptop; `check --deploy` flags it (W009).
  secretKey: base.secretKey || 'reinhardt-insecure-development-only-key',
  allowedHosts: ['localhost', '127.0.0.1'],

  // Print e-mail to the console instead of sending it.
  emailBackend: 'console',

  // An in-process cache.
  caches: { default: { backend: 'locmem' } },

  installedApps: [...base.installedApps, 'debug_toolbar'],
  middleware: [...base.middleware, 'debug_toolbar.middleware'],
  internalIps: ['127.0.0.1'],
});
