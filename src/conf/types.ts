/**
 * The typed shape of Reinhardt settings (the role of Django's settings module
 * attributes, in camelCase).
 */

/** Which database backend an alias uses. */
export type DatabaseEngine = 'sqlite' | 'postgresql' | 'mysql';

/** Connection-pool options (PostgreSQL and MySQL/MariaDB; SQLite always uses one connection). */
export interface PoolSettings {
  /** Largest number of open connections for this alias (default 10). */
  max?: number;
  /** Close a connection idle for this long, in milliseconds (default 30 000; 0 keeps them). */
  idleTimeoutMs?: number;
  /** How long to wait for a free connection before failing, in milliseconds (default 10 000). */
  acquireTimeoutMs?: number;
  /** How long a new connection may take to open, in milliseconds (default 10 000). */
  connectTimeoutMs?: number;
}

/** One entry of `settings.databases` (Django's `DATABASES['alias']`). */
export interface DatabaseSettings {
  engine: DatabaseEngine;
  /** Database name; for SQLite a file path or `:memory:`. */
  name: string;
  user?: string;
  password?: string;
  host?: string;
  port?: number;
  /** Driver options passed through (e.g. `{ ssl: true }`), plus backend options such as `isolationLevel`. */
  options?: Record<string, unknown>;
  pool?: PoolSettings;
  /** Wrap each HTTP request in a transaction (Django's `ATOMIC_REQUESTS`). */
  atomicRequests?: boolean;
  /** Settings for the test database created by the test runner. */
  test?: { name?: string; mirror?: string };
}

/** One entry of `settings.caches` (Django's `CACHES['alias']`). */
export interface CacheSettings {
  backend: 'locmem' | 'redis' | 'memcached' | 'dummy' | 'file' | 'db';
  /** Where the cache lives: a URL, a name, a path, or several servers. */
  location?: string | readonly string[];
  keyPrefix?: string;
  /** Default timeout in seconds; `null` means never expire. */
  timeout?: number | null;
  version?: number;
  options?: Record<string, unknown>;
}

/**
 * A database router (Django's `DATABASE_ROUTERS` entries). Each method may
 * return `undefined` to express no opinion; the next router is then asked.
 */
export interface DatabaseRouter {
  dbForRead?(model: unknown, hints: RouterHints): string | undefined | null;
  dbForWrite?(model: unknown, hints: RouterHints): string | undefined | null;
  allowRelation?(obj1: unknown, obj2: unknown, hints: RouterHints): boolean | undefined | null;
  allowMigrate?(
    db: string,
    appLabel: string,
    hints: RouterHints & { modelName?: string },
  ): boolean | undefined | null;
}

/** Extra information passed to routers (e.g. the instance being saved). */
export interface RouterHints {
  instance?: unknown;
  [key: string]: unknown;
}

/**
 * Names of the built-in e-mail backends (Django's `EMAIL_BACKEND` dotted
 * paths, shortened). Any other string names a backend registered later.
 */
export type EmailBackendName =
  'smtp' | 'console' | 'locmem' | 'file' | 'dummy' | (string & Record<never, never>);

/**
 * Names of the built-in password hashers (Django's `PASSWORD_HASHERS`
 * entries, by algorithm). Any other string names a hasher registered with
 * `registerHasher` from `reinhardt/auth`.
 */
export type PasswordHasherName =
  | 'pbkdf2_sha256'
  | 'pbkdf2_sha1'
  | 'argon2'
  | 'bcrypt_sha256'
  | 'bcrypt'
  | 'scrypt'
  | 'md5'
  | (string & Record<never, never>);

/**
 * One entry of `settings.authPasswordValidators` (Django's
 * `AUTH_PASSWORD_VALIDATORS`): a validator's name (Django's class name, e.g.
 * `'MinimumLengthValidator'`, or one registered with
 * `registerPasswordValidator`) and its options (e.g. `{ minLength: 12 }`).
 */
export interface PasswordValidatorSettings {
  name: string;
  options?: Record<string, unknown>;
}

/**
 * Every setting Reinhardt knows, after defaults are merged under the user's
 * settings (the role of `django.conf.global_settings` plus the project's
 * settings module). Names are Django's, in camelCase.
 *
 * Projects add their own keys by declaration merging, which also types
 * `settings.myKey`:
 *
 * @example
 * ```ts
 * declare module 'reinhardt/conf' {
 *   interface Settings {
 *     paymentProvider: string;
 *   }
 * }
 * ```
 */
export interface Settings {
  /** Show detailed error pages and keep extra debugging state (Django's `DEBUG`). Default `false`. */
  debug: boolean;
  /**
   * How `instance.fetchRelated(name)` loads a relation that was not loaded
   * (Django 6.1's fetch modes): `'peers'` loads it for every instance of the
   * same result set at once, `'one'` for this instance only, `'raise'`
   * refuses. Default `'peers'`.
   */
  fetchMode: 'peers' | 'one' | 'raise';
  /**
   * What the N+1 detector does when one relation is queried instance by
   * instance across a result set: `'raise'`, `'warn'` (a log warning) or
   * `'off'`. Default `null`: `'raise'` when `debug` is on or `NODE_ENV` is
   * `test`, else `'off'`.
   */
  nPlusOne: 'raise' | 'warn' | 'off' | null;
  /**
   * How many instances of one result set may query the same relation one by
   * one before the N+1 detector reports it. Default `2` (the second is
   * reported).
   */
  nPlusOneThreshold: number;
  /** Used for signing (sessions, tokens); keep it long, random and private. Default `''`. */
  secretKey: string;
  /** Older keys still accepted when verifying signatures (key rotation). Default `[]`. */
  secretKeyFallbacks: readonly string[];
  /**
   * Also accept signed cookies signed with the ambiguous salt of Django
   * before 5.2.15 (cookie name + salt, concatenated; CVE-2026-6873), so
   * cookies set by an older Django keep verifying. Django's
   * `SIGNED_COOKIE_LEGACY_SALT_FALLBACK`. Default `true`.
   */
  signedCookieLegacySaltFallback: boolean;
  /** Host names this site may serve (`'.example.com'` matches subdomains, `'*'` anything). Default `[]`. */
  allowedHosts: readonly string[];
  /**
   * Applications of this project, in order: app folders (`'./library'`,
   * relative to the project root) or `{ label, path, models, migrations }`.
   * Default `[]`.
   */
  installedApps: readonly (string | InstalledApp)[];
  /**
   * The migrations folder of apps whose migrations are not in their own
   * `migrations` folder (Django's `MIGRATION_MODULES`); `null` disables an
   * app's migrations. Default `{}`.
   */
  migrationModules: Readonly<Record<string, string | null>>;
  /**
   * The user model, as `app.Model` (Django's `AUTH_USER_MODEL`): relations to
   * it are written into migrations through the setting, so a project can
   * swap it. Default `'auth.User'`.
   */
  authUserModel: string;
  /**
   * Authentication backends, asked in order (Django's
   * `AUTHENTICATION_BACKENDS`): `'ModelBackend'` or backend objects. Default
   * `['ModelBackend']`.
   */
  authenticationBackends: readonly (string | { authenticate(...args: any[]): Promise<unknown> })[];
  /** Middleware names, outermost first. Default `[]`. */
  middleware: readonly string[];
  /** Database connections by alias; `default` is required once the ORM is used. Default `{}`. */
  databases: Record<string, DatabaseSettings>;
  /** Routers asked, in order, which database to use. Default `[]`. */
  databaseRouters: readonly DatabaseRouter[];
  /** Cache backends by alias. Default: one `locmem` cache called `default`. */
  caches: Record<string, CacheSettings>;
  /** The URL configuration module of the project (Django's `ROOT_URLCONF`). Default `undefined`. */
  rootUrlconf: string | undefined;
  /** Time zone used to display dates (an IANA name). Default `'UTC'` (Django: `'America/Chicago'`). */
  timeZone: string;
  /** Store aware datetimes (in UTC) in the database. Default `true`. */
  useTz: boolean;
  /** Default language code. Default `'en-us'`. */
  languageCode: string;
  /** Redirect every plain-HTTP request to HTTPS. Default `false`. */
  secureSslRedirect: boolean;
  /** `max-age` of the `Strict-Transport-Security` header, in seconds (0: no header). Default `0`. */
  secureHstsSeconds: number;
  /** Add `includeSubDomains` to the HSTS header. Default `false`. */
  secureHstsIncludeSubdomains: boolean;
  /** Add `preload` to the HSTS header. Default `false`. */
  secureHstsPreload: boolean;
  /** Send `X-Content-Type-Options: nosniff`. Default `true`. */
  secureContentTypeNosniff: boolean;
  /** Value of the `Referrer-Policy` header. Default `'same-origin'`. */
  secureReferrerPolicy: string | null;
  /** Value of the `Cross-Origin-Opener-Policy` header. Default `'same-origin'`. */
  secureCrossOriginOpenerPolicy: string | null;
  /**
   * A header and value that mean "this request came over HTTPS" when set
   * by a trusted proxy, e.g. `['x-forwarded-proto', 'https']`. Default `null`.
   */
  secureProxySslHeader: readonly [header: string, value: string] | null;
  /** Value of the `X-Frame-Options` header. Default `'DENY'`. */
  xFrameOptions: 'DENY' | 'SAMEORIGIN';
  /** Send the session cookie over HTTPS only. Default `false`. */
  sessionCookieSecure: boolean;
  /** Hide the session cookie from JavaScript. Default `true`. */
  sessionCookieHttponly: boolean;
  /** Lifetime of the session cookie, in seconds. Default two weeks. */
  sessionCookieAge: number;
  /** Name of the session cookie. Default `'sessionid'`. */
  sessionCookieName: string;
  /** Send the CSRF cookie over HTTPS only. Default `false`. */
  csrfCookieSecure: boolean;
  /** Hide the CSRF cookie from JavaScript. Default `false`. */
  csrfCookieHttponly: boolean;
  /** Name of the CSRF cookie. Default `'csrftoken'`. */
  csrfCookieName: string;
  /** Origins trusted for unsafe requests, e.g. `'https://*.example.com'`. Default `[]`. */
  csrfTrustedOrigins: readonly string[];
  /** Which e-mail backend sends mail. Default `'smtp'`. */
  emailBackend: EmailBackendName;
  /** SMTP host. Default `'localhost'`. */
  emailHost: string;
  /** SMTP port. Default `25`. */
  emailPort: number;
  /** SMTP user name. Default `''`. */
  emailHostUser: string;
  /** SMTP password. Default `''`. */
  emailHostPassword: string;
  /** Use STARTTLS with the SMTP server. Default `false`. */
  emailUseTls: boolean;
  /** Use implicit TLS with the SMTP server. Default `false`. */
  emailUseSsl: boolean;
  /** SMTP timeout in seconds, or `null` for none. Default `null`. */
  emailTimeout: number | null;
  /** Sender of ordinary mail. Default `'webmaster@localhost'`. */
  defaultFromEmail: string;
  /** Sender of error mail to admins. Default `'root@localhost'`. */
  serverEmail: string;
  /** People who get error notifications, as `[name, email]`. Default `[]`. */
  admins: readonly (readonly [name: string, email: string])[];
  /** Client addresses that see debug information. Default `[]`. */
  internalIps: readonly string[];
  /** Redirect to the URL with a trailing slash when no pattern matches. Default `true`. */
  appendSlash: boolean;
  /** Ids of system checks to hide, e.g. `['security.W004']`. Default `[]`. */
  silencedSystemChecks: readonly string[];
  /**
   * Password hashers, preferred first: new passwords use the first, stored
   * hashes of the others still verify and are upgraded on login. Names or
   * `PasswordHasher` instances from `reinhardt/auth`. Default
   * `['pbkdf2_sha256', 'pbkdf2_sha1', 'argon2', 'bcrypt_sha256', 'scrypt']` (Django's).
   */
  passwordHashers: readonly (PasswordHasherName | { readonly algorithm: string })[];
  /** Validators `validatePassword` applies by default, in order. Default `[]`. */
  authPasswordValidators: readonly PasswordValidatorSettings[];
}

/**
 * What a settings module may define: any subset of {@link Settings}, plus
 * keys of the project's own (values missing here come from the defaults).
 */
export type UserSettings = Partial<Settings>;

/** An app described in `installedApps` (see `reinhardt/apps`). */
export interface InstalledApp {
  /** The app label (default: the folder's name). */
  label?: string;
  /** The app's folder, relative to the project root. */
  path: string;
  /** The models module in the folder (default `models.ts`). */
  models?: string | null;
  /** The migrations folder in the folder (default `migrations`). */
  migrations?: string | null;
}
