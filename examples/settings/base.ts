// Settings shared by every environment (P28's settings/base.py). The other
// modules spread this object and change what differs.
import { defineSettings, env } from 'reinhardt/conf';

export default defineSettings({
  // Each environment module decides whether the key is required.
  secretKey: env.str('SECRET_KEY', ''),

  installedApps: ['reinhardt.contrib.admin', 'reinhardt.rest', 'myapp'],
  middleware: [
    'reinhardt.middleware.security',
    'reinhardt.middleware.sessions',
    'reinhardt.middleware.csrf',
  ],

  databases: {
    default: {
      engine: 'postgresql',
      name: env.str('DB_NAME', 'myapp'),
      user: env.str('DB_USER', 'myapp'),
      password: env.str('DB_PASSWORD', ''),
      host: env.str('DB_HOST', 'localhost'),
      port: env.int('DB_PORT', 5432),
    },
  },

  timeZone: 'UTC',
  useTz: true,
});
