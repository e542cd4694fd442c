/**
 * Check messages and their levels (the role of `django.core.checks.messages`).
 */
import { ImproperlyConfigured } from '../exceptions.js';
import { settings } from '../../conf/settings.js';

/** Level of a {@link Debug} message. */
export const DEBUG = 10;
/** Level of an {@link Info} message. */
export const INFO = 20;
/** Level of a {@link Warning} message. */
export const WARNING = 30;
/** Level of a {@link CheckError} message; by default, messages at this level stop start-up. */
export const ERROR = 40;
/** Level of a {@link Critical} message. */
export const CRITICAL = 50;

/**
 * Level numbers by name, as accepted by `reinhardt check --fail-level`.
 *
 * @example
 * ```ts
 * CHECK_LEVELS.WARNING; // 30
 * ```
 */
export const CHECK_LEVELS = Object.freeze({ CRITICAL, ERROR, WARNING, INFO, DEBUG });

/** Name of a check level: `'CRITICAL' | 'ERROR' | 'WARNING' | 'INFO' | 'DEBUG'`. */
export type CheckLevelName = keyof typeof CHECK_LEVELS;

/** Optional parts of a {@link CheckMessage}. */
export interface CheckMessageOptions {
  /** A suggestion on how to fix the problem, printed after `HINT:`. */
  hint?: string | null;
  /** What the message is about (a model class, a setting name…); `?` when absent. */
  obj?: unknown;
  /** A stable identifier, `<app or area>.<letter><number>`, e.g. `'models.E001'`; used to silence it. */
  id?: string | null;
}

/**
 * One finding of a system check. Use the subclasses ({@link Warning},
 * {@link CheckError}, …) rather than passing a level.
 *
 * @example
 * ```ts
 * new CheckMessage(WARNING, 'Cache is slow.', { id: 'caches.W099' }).toString();
 * // '?: (caches.W099) Cache is slow.'
 * ```
 */
export class CheckMessage {
  /** One of {@link DEBUG}, {@link INFO}, {@link WARNING}, {@link ERROR}, {@link CRITICAL} (or between). */
  readonly level: number;
  /** What is wrong, as a sentence. */
  readonly msg: string;
  /** How to fix it, or `null`. */
  readonly hint: string | null;
  /** What the message is about, or `null`. */
  readonly obj: unknown;
  /** The message's stable id, or `null`. */
  readonly id: string | null;

  constructor(level: number, msg: string, options: CheckMessageOptions = {}) {
    this.level = level;
    this.msg = msg;
    this.hint = options.hint ?? null;
    this.obj = options.obj ?? null;
    this.id = options.id ?? null;
  }

  /**
   * Whether this message is at or above `level` (default {@link ERROR}),
   * i.e. whether it should stop start-up.
   *
   * @example
   * ```ts
   * new Warning('x').isSerious(); // false
   * new Warning('x').isSerious(WARNING); // true
   * ```
   */
  isSerious(level: number = ERROR): boolean {
    return this.level >= level;
  }

  /**
   * Whether the project listed this message's id in
   * `settings.silencedSystemChecks`. `false` when settings are not configured.
   *
   * @example
   * ```ts
   * // settings: silencedSystemChecks: ['security.W004']
   * new Warning('x', { id: 'security.W004' }).isSilenced(); // true
   * ```
   */
  isSilenced(): boolean {
    if (this.id === null) return false;
    let silenced: readonly string[];
    try {
      silenced = settings.silencedSystemChecks;
    } catch (error) {
      if (error instanceof ImproperlyConfigured) return false;
      throw error;
    }
    return silenced.includes(this.id);
  }

  /**
   * Whether `other` is a message of the same class with the same level,
   * text, hint, object and id (Django's `__eq__`), for tests.
   *
   * @example
   * ```ts
   * assert.ok(messages[0].equals(new Warning('x', { id: 'app.W001' })));
   * ```
   */
  equals(other: unknown): boolean {
    return (
      other instanceof CheckMessage &&
      other.constructor === this.constructor &&
      other.level === this.level &&
      other.msg === this.msg &&
      other.hint === this.hint &&
      other.obj === this.obj &&
      other.id === this.id
    );
  }

  /**
   * The message as the `check` command prints it:
   * `obj: (id) msg` and, when there is a hint, a tab-indented `HINT:` line.
   *
   * @example
   * ```ts
   * String(new CheckError('Bad.', { id: 'app.E001', hint: 'Fix it.' }));
   * // '?: (app.E001) Bad.\n\tHINT: Fix it.'
   * ```
   */
  toString(): string {
    const id = this.id ? `(${this.id}) ` : '';
    const hint = this.hint ? `\n\tHINT: ${this.hint}` : '';
    return `${describeObject(this.obj)}: ${id}${this.msg}${hint}`;
  }
}

/** `?` for no object; a class or function by its name (not its source); anything else via `String`. */
function describeObject(obj: unknown): string {
  if (obj === null || obj === undefined) return '?';
  if (typeof obj === 'function') return obj.name || '?';
  return String(obj);
}

/**
 * A message at {@link DEBUG} level.
 *
 * @example
 * ```ts
 * new Debug('Loaded 3 routers.', { id: 'database.D001' });
 * ```
 */
export class Debug extends CheckMessage {
  constructor(msg: string, options?: CheckMessageOptions) {
    super(DEBUG, msg, options);
  }
}

/**
 * A message at {@link INFO} level.
 *
 * @example
 * ```ts
 * new Info('Using the fallback cache.', { id: 'caches.I001' });
 * ```
 */
export class Info extends CheckMessage {
  constructor(msg: string, options?: CheckMessageOptions) {
    super(INFO, msg, options);
  }
}

/**
 * A message at {@link WARNING} level: printed, but start-up continues.
 *
 * @example
 * ```ts
 * new Warning('You should not have debug set to true in deployment.', { id: 'security.W018' });
 * ```
 */
export class Warning extends CheckMessage {
  constructor(msg: string, options?: CheckMessageOptions) {
    super(WARNING, msg, options);
  }
}

/**
 * A message at {@link ERROR} level: stops start-up. Django's `Error`,
 * renamed so it does not shadow the global `Error`.
 *
 * @example
 * ```ts
 * new CheckError("Field names must not end with an underscore.", { obj: Book, id: 'fields.E001' });
 * ```
 */
export class CheckError extends CheckMessage {
  constructor(msg: string, options?: CheckMessageOptions) {
    super(ERROR, msg, options);
  }
}

/**
 * A message at {@link CRITICAL} level.
 *
 * @example
 * ```ts
 * new Critical('The database cannot be reached.', { id: 'database.C001' });
 * ```
 */
export class Critical extends CheckMessage {
  constructor(msg: string, options?: CheckMessageOptions) {
    super(CRITICAL, msg, options);
  }
}
