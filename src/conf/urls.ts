/**
 * Parsing of database and cache URLs (the role of dj-database-url /
 * django-environ), so one environment variable can configure a backend.
 */
import { ImproperlyConfigured } from '../core/exceptions.js';
import type { CacheSettings, DatabaseEngine, DatabaseSettings } from './types.js';

const DATABASE_SCHEMES: Record<string, DatabaseEngine> = {
  postgres: 'postgresql',
  postgresql: 'postgresql',
  pgsql: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mysql',
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
};

const DEFAULT_PORTS: Partial<Record<DatabaseEngine, number>> = { postgresql: 5432, mysql: 3306 };

function schemeOf(url: string, what: string): string {
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  if (!match) {
    throw new ImproperlyConfigured(`Invalid ${what} URL '${redact(url)}': it has no scheme.`);
  }
  return match[1]!.toLowerCase();
}

/** Splits at the first `?` only (`String.split` with a limit drops the rest). */
function splitQuery(text: string): [string, string | undefined] {
  const at = text.indexOf('?');
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function parseQuery(search: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of search) out[k] = v;
  return out;
}

/**
 * Turns a database URL into a {@link DatabaseSettings} entry.
 *
 * Accepted forms: `postgres://user:pass@host:5432/name`, `mysql://…` (also
 * `mariadb://`), `sqlite:///relative/path.sqlite3`, `sqlite:////absolute/path`,
 * `sqlite::memory:` and `sqlite://:memory:`. Query parameters become `options`.
 *
 * @example
 * ```ts
 * parseDatabaseUrl('postgres://app:secret@db:5432/shop?sslmode=require');
 * // { engine: 'postgresql', name: 'shop', user: 'app', password: 'secret',
 * //   host: 'db', port: 5432, options: { sslmode: 'require' } }
 * ```
 */
export function parseDatabaseUrl(url: string): DatabaseSettings {
  const scheme = schemeOf(url, 'database');
  // hasOwn: a scheme such as `constructor:` must not find Object.prototype members.
  const engine = Object.hasOwn(DATABASE_SCHEMES, scheme) ? DATABASE_SCHEMES[scheme] : undefined;
  if (!engine) {
    throw new ImproperlyConfigured(
      `Invalid database URL '${redact(url)}': unknown scheme '${scheme}'. ` +
        `Choices are: ${Object.keys(DATABASE_SCHEMES).join(', ')}.`,
    );
  }
  if (engine === 'sqlite') {
    const rest = url.slice(scheme.length + 1);
    if (rest === ':memory:' || rest === '//:memory:' || rest === '//' || rest === '') {
      return { engine, name: ':memory:' };
    }
    if (!rest.startsWith('//')) {
      throw new ImproperlyConfigured(
        `Invalid database URL '${url}': use sqlite:///relative/path, sqlite:////absolute/path or sqlite::memory:.`,
      );
    }
    // sqlite:///db.sqlite3 -> "db.sqlite3"; sqlite:////tmp/db.sqlite3 -> "/tmp/db.sqlite3"
    const [pathPart, query] = splitQuery(rest.slice(3));
    const settings: DatabaseSettings = { engine, name: decodeURIComponent(pathPart) || ':memory:' };
    if (query) settings.options = parseQuery(new URLSearchParams(query));
    return settings;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ImproperlyConfigured(`Invalid database URL '${redact(url)}': it cannot be parsed.`);
  }
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const settings: DatabaseSettings = { engine, name };
  if (parsed.username) settings.user = decodeURIComponent(parsed.username);
  if (parsed.password) settings.password = decodeURIComponent(parsed.password);
  if (parsed.hostname) settings.host = decodeURIComponent(parsed.hostname).replace(/^\[|\]$/g, '');
  if (parsed.port) settings.port = Number(parsed.port);
  else if (DEFAULT_PORTS[engine]) settings.port = DEFAULT_PORTS[engine];
  const options = parseQuery(parsed.searchParams);
  if (Object.keys(options).length) settings.options = options;
  return settings;
}

/**
 * Turns a cache URL into a {@link CacheSettings} entry.
 *
 * Accepted forms: `redis://host:6379/1` (and `rediss://`), `memcached://host:11211`
 * (several servers separated by commas), `locmem://name`, `dummy://`,
 * `file:///var/tmp/cache`, `db://table_name`.
 *
 * @example
 * ```ts
 * parseCacheUrl('redis://127.0.0.1:6379/1?keyPrefix=shop');
 * // { backend: 'redis', location: 'redis://127.0.0.1:6379/1', keyPrefix: 'shop' }
 * ```
 */
export function parseCacheUrl(url: string): CacheSettings {
  const scheme = schemeOf(url, 'cache');
  const rest = url.slice(scheme.length + 1).replace(/^\/\//, '');
  const [body, query] = splitQuery(rest);
  const params = new URLSearchParams(query ?? '');
  const settings: CacheSettings = (() => {
    switch (scheme) {
      case 'redis':
      case 'rediss':
        return { backend: 'redis', location: `${scheme}://${body}` };
      case 'memcached':
      case 'memcache':
        return { backend: 'memcached', location: body.split(',').filter(Boolean) };
      case 'locmem':
        return { backend: 'locmem', location: body };
      case 'dummy':
        return { backend: 'dummy' };
      case 'file':
        return { backend: 'file', location: decodeURIComponent(body) };
      case 'db':
      case 'dbcache':
        return { backend: 'db', location: body };
      default:
        throw new ImproperlyConfigured(
          `Invalid cache URL '${redact(url)}': unknown scheme '${scheme}'. ` +
            'Choices are: redis, rediss, memcached, locmem, dummy, file, db.',
        );
    }
  })();
  const keyPrefix = params.get('keyPrefix') ?? params.get('key_prefix');
  if (keyPrefix !== null) settings.keyPrefix = keyPrefix;
  const timeout = params.get('timeout');
  if (timeout !== null) {
    const seconds = Number(timeout);
    if (timeout !== 'none' && (timeout.trim() === '' || !Number.isFinite(seconds))) {
      throw new ImproperlyConfigured(
        `Invalid cache URL '${redact(url)}': timeout must be a number of seconds or 'none', not '${timeout}'.`,
      );
    }
    settings.timeout = timeout === 'none' ? null : seconds;
  }
  params.delete('keyPrefix');
  params.delete('key_prefix');
  params.delete('timeout');
  const options = parseQuery(params);
  if (Object.keys(options).length) settings.options = options;
  return settings;
}

/** Hides a password in a URL before it is shown in an error message. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}
