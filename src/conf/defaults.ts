/**
 * Default values of every setting (the role of `django.conf.global_settings`).
 * They are merged under the project's settings when settings are configured,
 * so a settings module only lists what differs.
 */
import type { Settings } from './types.js';

/**
 * The value each setting has when the project does not set it. Frozen:
 * copy what you need rather than changing it.
 *
 * @example
 * ```ts
 * import { globalSettings } from 'reinhardt/conf';
 * globalSettings.emailPort; // 25
 * ```
 */
export const globalSettings: Readonly<Settings> = deepFreeze({
  debug: false,
  fetchMode: 'peers',
  nPlusOne: null,
  nPlusOneThreshold: 2,
  secretKey: '',
  secretKeyFallbacks: [],
  signedCookieLegacySaltFallback: true,
  allowedHosts: [],
  installedApps: [],
  migrationModules: {},
  authUserModel: 'auth.User',
  authenticationBackends: ['ModelBackend'],
  middleware: [],
  databases: {},
  databaseRouters: [],
  caches: { default: { backend: 'locmem' } },
  rootUrlconf: undefined,
  // Django's global default is 'America/Chicago' for historical reasons; a
  // new project almost always wants UTC, which startproject also writes.
  timeZone: 'UTC',
  useTz: true,
  languageCode: 'en-us',
  secureSslRedirect: false,
  secureHstsSeconds: 0,
  secureHstsIncludeSubdomains: false,
  secureHstsPreload: false,
  secureContentTypeNosniff: true,
  secureReferrerPolicy: 'same-origin',
  secureCrossOriginOpenerPolicy: 'same-origin',
  secureProxySslHeader: null,
  xFrameOptions: 'DENY',
  sessionCookieSecure: false,
  sessionCookieHttponly: true,
  sessionCookieAge: 60 * 60 * 24 * 7 * 2,
  sessionCookieName: 'sessionid',
  csrfCookieSecure: false,
  csrfCookieHttponly: false,
  csrfCookieName: 'csrftoken',
  csrfTrustedOrigins: [],
  emailBackend: 'smtp',
  emailHost: 'localhost',
  emailPort: 25,
  emailHostUser: '',
  emailHostPassword: '',
  emailUseTls: false,
  emailUseSsl: false,
  emailTimeout: null,
  defaultFromEmail: 'webmaster@localhost',
  serverEmail: 'root@localhost',
  admins: [],
  internalIps: [],
  appendSlash: true,
  silencedSystemChecks: [],
  passwordHashers: ['pbkdf2_sha256', 'pbkdf2_sha1', 'argon2', 'bcrypt_sha256', 'scrypt'],
  authPasswordValidators: [],
});

/** Freezes nested arrays and objects too, so a merged copy cannot change the defaults. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
