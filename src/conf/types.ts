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
  location?: string | string[];
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
