/**
 * Typed reading of environment variables for settings modules (the role of
 * django-environ's `Env`).
 */
import { ImproperlyConfigured } from '../core/exceptions.js';
import type { CacheSettings, DatabaseSettings } from './types.js';
import { parseCacheUrl, parseDatabaseUrl, redact } from './urls.js';

/** Where an {@link Env} reads variables from; `process.env` has this shape. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Options of {@link Env.list}. */
export interface ListOptions {
  /** What separates items. Default `','`. */
  separator?: string;
}

/** Accepted spellings of booleans, compared case-insensitively. */
const TRUE_VALUES = new Set(['true', '1', 'yes', 'on']);
const FALSE_VALUES = new Set(['false', '0', 'no', 'off']);

/** Variable names whose values must never appear in an error message. */
const SENSITIVE_NAME = /SECRET|PASS|TOKEN|KEY|CREDENTIAL|PRIVATE/i;

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Reads typed values from environment variables.
 *
 * Every method takes the variable's name and an optional default. Without a
 * default a missing variable throws {@link ImproperlyConfigured}
 * (`Set the SECRET_KEY environment variable`); with one, the default is
 * returned and the return type widens to include the default's type (pass
 * `null` to make a variable optional). A value that does not parse throws
 * {@link ImproperlyConfigured} naming the variable and the value, except for
 * names containing SECRET, PASS, TOKEN, KEY, CREDENTIAL or PRIVATE, whose
 * values are shown as `(hidden)`.
 *
 * An empty value counts as set: `PORT=` is an invalid integer, not a missing
 * one, so a typo in a deployment file is reported rather than ignored.
 *
 * @example
 * ```ts
 * import { Env } from 'reinhardt/conf';
 * const env = new Env({ PORT: '8000', DEBUG: 'off' });
 * env.int('PORT'); // 8000
 * env.bool('DEBUG', true); // false
 * env.str('MISSING', null); // null
 * ```
 */
export class Env {
  readonly #source: EnvSource | undefined;

  /**
   * @param source Variables to read. Omit to read `process.env` at each
   * call, so values set after this object was made are seen.
   */
  constructor(source?: EnvSource) {
    this.#source = source;
  }

  /**
   * Whether the variable is set (even to an empty string).
   *
   * @example
   * ```ts
   * if (env.has('SENTRY_DSN')) setUpSentry(env.str('SENTRY_DSN'));
   * ```
   */
  has(name: string): boolean {
    return this.#raw(name) !== undefined;
  }

  /**
   * The variable as a string.
   *
   * @example
   * ```ts
   * env.str('SECRET_KEY'); // throws if unset
   * env.str('EMAIL_HOST', 'localhost');
   * ```
   */
  str<D = never>(name: string, defaultValue?: D): string | Exclude<D, undefined> {
    return this.#get(name, defaultValue, (raw) => raw);
  }

  /**
   * The variable as an integer (`42`, `-7`; not `4.2` or `42abc`).
   *
   * @example
   * ```ts
   * env.int('EMAIL_PORT', 587);
   * ```
   */
  int<D = never>(name: string, defaultValue?: D): number | Exclude<D, undefined> {
    return this.#get(name, defaultValue, (raw) => {
      const value = Number(raw.trim());
      if (!INTEGER.test(raw.trim()) || !Number.isSafeInteger(value)) {
        throw this.#invalid(name, raw, 'an integer');
      }
      return value;
    });
  }

  /**
   * The variable as a finite number (`0.5`, `1e3`).
   *
   * @example
   * ```ts
   * env.float('SAMPLE_RATE', 0.1);
   * ```
   */
  float<D = never>(name: string, defaultValue?: D): number | Exclude<D, undefined> {
    return this.#get(name, defaultValue, (raw) => {
      const value = Number(raw.trim());
      if (!FLOAT.test(raw.trim()) || !Number.isFinite(value)) {
        throw this.#invalid(name, raw, 'a number');
      }
      return value;
    });
  }

  /**
   * The variable as a boolean: `true`/`false`, `1`/`0`, `yes`/`no` or
   * `on`/`off`, in any case. Anything else is an error rather than `false`.
   *
   * @example
   * ```ts
   * env.bool('DEBUG', false);
   * ```
   */
  bool<D = never>(name: string, defaultValue?: D): boolean | Exclude<D, undefined> {
    return this.#get(name, defaultValue, (raw) => {
      const word = raw.trim().toLowerCase();
      if (TRUE_VALUES.has(word)) return true;
      if (FALSE_VALUES.has(word)) return false;
      throw this.#invalid(name, raw, 'a boolean (true/false, 1/0, yes/no, on/off)');
    });
  }

  /**
   * The variable split on `separator` (default `,`); items are trimmed and
   * empty items dropped, so `'a, b,'` gives `['a', 'b']`.
   *
   * @example
   * ```ts
   * env.list('ALLOWED_HOSTS', ['localhost']);
   * env.list('ADMIN_EMAILS', [], { separator: ';' });
   * ```
   */
  list<D = never>(
    name: string,
    defaultValue?: D,
    options: ListOptions = {},
  ): string[] | Exclude<D, undefined> {
    const separator = options.separator ?? ',';
    return this.#get(name, defaultValue, (raw) =>
      raw
        .split(separator)
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    );
  }

  /**
   * The variable parsed as JSON. The type argument states what you expect;
   * it is not checked.
   *
   * @example
   * ```ts
   * const flags = env.json<Record<string, boolean>>('FEATURE_FLAGS', {});
   * ```
   */
  json<T = unknown>(name: string, defaultValue?: T): T {
    return this.#get(name, defaultValue, (raw) => {
      try {
        return JSON.parse(raw) as T;
      } catch (error) {
        throw this.#invalid(name, raw, `JSON (${(error as Error).message})`);
      }
    });
  }

  /**
   * The variable parsed as an absolute URL. A string default is parsed too.
   *
   * @example
   * ```ts
   * env.url('SITE_URL', 'http://localhost:8000').origin;
   * ```
   */
  url<D extends string | URL | null | undefined = undefined>(
    name: string,
    defaultValue?: D,
  ): URL | Extract<D, null> {
    const value = this.#get(name, defaultValue, (raw) => this.#parseUrl(name, raw));
    return (typeof value === 'string' ? new URL(value) : value) as URL | Extract<D, null>;
  }

  /**
   * A database URL (default variable `DATABASE_URL`) turned into
   * {@link DatabaseSettings} by {@link parseDatabaseUrl}. A string default
   * is parsed too.
   *
   * @example
   * ```ts
   * databases: { default: env.db('DATABASE_URL', 'sqlite:///db.sqlite3') }
   * ```
   */
  db<D extends string | DatabaseSettings | null | undefined = undefined>(
    name = 'DATABASE_URL',
    defaultValue?: D,
  ): DatabaseSettings | Extract<D, null> {
    const value = this.#get(name, defaultValue, (raw) =>
      this.#parseWith(name, raw, parseDatabaseUrl, 'a database URL'),
    );
    return (typeof value === 'string' ? parseDatabaseUrl(value) : value) as
      DatabaseSettings | Extract<D, null>;
  }

  /**
   * A cache URL (default variable `CACHE_URL`) turned into
   * {@link CacheSettings} by {@link parseCacheUrl}. A string default is
   * parsed too.
   *
   * @example
   * ```ts
   * caches: { default: env.cache('REDIS_URL', 'locmem://') }
   * ```
   */
  cache<D extends string | CacheSettings | null | undefined = undefined>(
    name = 'CACHE_URL',
    defaultValue?: D,
  ): CacheSettings | Extract<D, null> {
    const value = this.#get(name, defaultValue, (raw) =>
      this.#parseWith(name, raw, parseCacheUrl, 'a cache URL'),
    );
    return (typeof value === 'string' ? parseCacheUrl(value) : value) as
      CacheSettings | Extract<D, null>;
  }

  #raw(name: string): string | undefined {
    return (this.#source ?? process.env)[name];
  }

  #get<T, D>(name: string, defaultValue: D, parse: (raw: string) => T): T | Exclude<D, undefined> {
    const raw = this.#raw(name);
    if (raw !== undefined) return parse(raw);
    if (defaultValue !== undefined) return defaultValue as Exclude<D, undefined>;
    // django-environ's wording, so search results for it still help.
    throw new ImproperlyConfigured(`Set the ${name} environment variable`);
  }

  #shown(name: string, raw: string): string {
    // A URL may carry a password even when its variable's name does not say so.
    return SENSITIVE_NAME.test(name) ? '(hidden)' : `'${redact(raw)}'`;
  }

  #invalid(name: string, raw: string, expected: string): ImproperlyConfigured {
    return new ImproperlyConfigured(
      `Invalid value for the ${name} environment variable: expected ${expected}, ` +
        `got ${this.#shown(name, raw)}.`,
    );
  }

  #parseUrl(name: string, raw: string): URL {
    try {
      return new URL(raw.trim());
    } catch {
      throw this.#invalid(name, raw, 'an absolute URL');
    }
  }

  #parseWith<T>(name: string, raw: string, parse: (url: string) => T, expected: string): T {
    try {
      return parse(raw.trim());
    } catch (error) {
      if (!(error instanceof ImproperlyConfigured)) throw error;
      // The parser's message quotes the URL with its password masked; use
      // it unless the variable's name says the whole value is secret.
      const detail = SENSITIVE_NAME.test(name)
        ? `expected ${expected}, got (hidden).`
        : error.message;
      throw new ImproperlyConfigured(
        `Invalid value for the ${name} environment variable: ${detail}`,
        { cause: error },
      );
    }
  }
}

/**
 * The {@link Env} of the running process: reads `process.env` at each call.
 *
 * @example
 * ```ts
 * import { defineSettings, env } from 'reinhardt/conf';
 * export default defineSettings({
 *   debug: env.bool('DEBUG', false),
 *   databases: { default: env.db() },
 * });
 * ```
 */
export const env = new Env();
