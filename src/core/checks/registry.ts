/**
 * The registry of system checks (the role of `django.core.checks.registry`).
 */
import type { CheckMessage } from './messages.js';

/**
 * The built-in tags (Django's `Tags`). A check may use any other string too.
 *
 * @example
 * ```ts
 * registerCheck(checkCacheAliases, { tags: [Tags.caches] });
 * ```
 */
export const Tags = Object.freeze({
  admin: 'admin',
  asyncSupport: 'async_support',
  caches: 'caches',
  compatibility: 'compatibility',
  database: 'database',
  files: 'files',
  models: 'models',
  security: 'security',
  signals: 'signals',
  sites: 'sites',
  staticfiles: 'staticfiles',
  templates: 'templates',
  translation: 'translation',
  urls: 'urls',
} as const);

/** A tag name: one of {@link Tags} or a project's own. */
export type Tag = (typeof Tags)[keyof typeof Tags] | (string & Record<never, never>);

/** What a check function receives. */
export interface CheckContext {
  /** Limit the check to these apps; `null` means every app. */
  readonly appConfigs: readonly unknown[] | null;
  /** Database aliases a check may query; `null` means none (database checks then do nothing). */
  readonly databases: readonly string[] | null;
}

/**
 * A system check: returns the problems it found (an empty array when none).
 * May be async, e.g. to ask a database.
 */
export type CheckFunction = (
  context: CheckContext,
) => readonly CheckMessage[] | Promise<readonly CheckMessage[]>;

/** Options of {@link CheckRegistry.register}. */
export interface RegisterCheckOptions {
  /** Tags that select this check with `reinhardt check --tag`. */
  tags?: readonly Tag[];
  /** Run only for `reinhardt check --deploy` (checks of production settings). */
  deploy?: boolean;
}

/** Options of {@link CheckRegistry.runChecks}. */
export interface RunChecksOptions {
  /** Limit checks to these apps (default: every app). */
  appConfigs?: readonly unknown[] | null;
  /** Run only checks with at least one of these tags. */
  tags?: readonly Tag[] | null;
  /** Also run the deployment checks. */
  includeDeploymentChecks?: boolean;
  /** Database aliases the database checks may use (default: none). */
  databases?: readonly string[] | null;
}

interface Entry {
  readonly tags: readonly string[];
  readonly deploy: boolean;
}

/**
 * Holds check functions and runs them. Most code uses the shared
 * {@link registry} through {@link registerCheck} and {@link runChecks};
 * tests can make their own.
 *
 * @example
 * ```ts
 * const checks = new CheckRegistry();
 * checks.register(() => [new Warning('x', { id: 'app.W001' })], { tags: ['app'] });
 * await checks.runChecks({ tags: ['app'] }); // [Warning]
 * ```
 */
export class CheckRegistry {
  // A Map keeps registration order, so output order is stable; registering
  // the same function again replaces its options instead of running it twice.
  readonly #checks = new Map<CheckFunction, Entry>();

  /**
   * Adds `check`, returning it so a module can write
   * `export const checkX = registry.register(...)`.
   *
   * @example
   * ```ts
   * registry.register(checkSecretKey, { tags: [Tags.security], deploy: true });
   * ```
   */
  register<F extends CheckFunction>(check: F, options: RegisterCheckOptions = {}): F {
    this.#checks.set(check, { tags: [...(options.tags ?? [])], deploy: options.deploy ?? false });
    return check;
  }

  /**
   * Removes `check`; returns whether it was registered.
   *
   * @example
   * ```ts
   * after(() => registry.unregister(myCheck));
   * ```
   */
  unregister(check: CheckFunction): boolean {
    return this.#checks.delete(check);
  }

  /**
   * The registered checks, in registration order: the ordinary ones, plus
   * the deployment ones when asked.
   *
   * @example
   * ```ts
   * registry.getChecks(true).length;
   * ```
   */
  getChecks(includeDeploymentChecks = false): CheckFunction[] {
    return [...this.#checks]
      .filter(([, entry]) => includeDeploymentChecks || !entry.deploy)
      .map(([check]) => check);
  }

  /**
   * Runs the selected checks one after another and returns every message.
   * Throws a `TypeError` if a check does not return an array.
   *
   * @example
   * ```ts
   * const messages = await registry.runChecks({ includeDeploymentChecks: true });
   * ```
   */
  async runChecks(options: RunChecksOptions = {}): Promise<CheckMessage[]> {
    const { tags = null, includeDeploymentChecks = false } = options;
    const context: CheckContext = {
      appConfigs: options.appConfigs ?? null,
      databases: options.databases ?? null,
    };
    const messages: CheckMessage[] = [];
    for (const [check, entry] of this.#checks) {
      if (entry.deploy && !includeDeploymentChecks) continue;
      if (tags && !entry.tags.some((tag) => tags.includes(tag))) continue;
      const found: unknown = await check(context);
      if (!Array.isArray(found)) {
        throw new TypeError(
          `The check ${check.name || '(anonymous)'} did not return an array. ` +
            'Every function registered with the checks registry must return an array of messages.',
        );
      }
      messages.push(...(found as CheckMessage[]));
    }
    return messages;
  }

  /**
   * Whether any check carries `tag` (counting deployment checks when asked).
   *
   * @example
   * ```ts
   * registry.tagExists('security', true); // true
   * ```
   */
  tagExists(tag: string, includeDeploymentChecks = false): boolean {
    return this.tagsAvailable(includeDeploymentChecks).has(tag);
  }

  /**
   * Every tag used by a registered check (counting deployment checks when asked).
   *
   * @example
   * ```ts
   * [...registry.tagsAvailable(true)].sort(); // ['caches', 'database', 'security', …]
   * ```
   */
  tagsAvailable(includeDeploymentChecks = false): Set<string> {
    const tags = new Set<string>();
    for (const entry of this.#checks.values()) {
      if (entry.deploy && !includeDeploymentChecks) continue;
      for (const tag of entry.tags) tags.add(tag);
    }
    return tags;
  }
}

/**
 * The shared registry: apps register their checks here and
 * `reinhardt check` runs them.
 *
 * @example
 * ```ts
 * import { registry, Tags } from 'reinhardt/core';
 * registry.register(myCheck, { tags: [Tags.models] });
 * ```
 */
export const registry = new CheckRegistry();

/**
 * Registers `check` in the shared {@link registry} (Django's
 * `@register(...)`) and returns it.
 *
 * @example
 * ```ts
 * import { registerCheck, Warning, Tags } from 'reinhardt/core';
 * import { settings } from 'reinhardt/conf';
 *
 * export const checkAdmins = registerCheck(
 *   () => (settings.admins.length ? [] : [new Warning('No admins will get error mail.', { id: 'myapp.W001' })]),
 *   { tags: [Tags.compatibility] },
 * );
 * ```
 */
export function registerCheck<F extends CheckFunction>(
  check: F,
  options: RegisterCheckOptions = {},
): F {
  return registry.register(check, options);
}

/**
 * Runs the checks of the shared {@link registry}.
 *
 * @example
 * ```ts
 * const messages = await runChecks({ tags: ['security'], includeDeploymentChecks: true });
 * ```
 */
export function runChecks(options: RunChecksOptions = {}): Promise<CheckMessage[]> {
  return registry.runChecks(options);
}
