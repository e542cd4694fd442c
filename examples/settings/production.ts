// Production (P28's settings/production.py). Everything secret or
// host-specific comes from the environment; a missing variable stops
// start-up with "Set the SECRET_KEY environment variable".
// REINHARDT_SETTINGS=examples.settings.production
import { defineSettings, env } from 'reinhardt/conf';
import base from './base.js';

export default defineSettings({
  ...base,
  debug: false,
  secretKey: env.str('SECRET_KEY'),
  allowedHosts: [env.str('ALLOWED_HOST')],

  databases: { default: env.db('DATABASE_URL') },

  // Security settings
  secureSslRedirect: true,
  sessionCookieSecure: true,
  csrfCookieSecure: true,
  secureHstsSeconds: 31_536_000,
  secureHstsIncludeSubdomains: true,
  secureHstsPreload: true,

  // Redis cache
  caches: { default: env.cache('REDIS_URL') },

  // Real e-mail
  emailBackend: 'smtp',
  emailHost: env.str('EMAIL_HOST'),
  emailPort: env.int('EMAIL_PORT', 587),
  emailUseTls: true,
});
