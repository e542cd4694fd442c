/**
 * Connections per alias from `settings.databases` (Django's `connections`),
 * and the database router (Django's `router`).
 */
import type {
  DatabaseEngine,
  DatabaseRouter,
  DatabaseSettings,
  RouterHints,
} from '../conf/types.js';
import { ImproperlyConfigured } from '../core/exceptions.js';
import { isConfigured, settings } from '../conf/settings.js';
import { setDebugProvider } from './backends/base/wrapper.js';
import type { BaseDatabaseWrapper } from './backends/base/wrapper.js';
import { MySQLWrapper } from './backends/mysql/wrapper.js';
import { PostgreSQLWrapper } from './backends/postgresql/wrapper.js';
import { SQLiteWrapper } from './backends/sqlite/wrapper.js';

/** The alias used when none is given. */
export const DEFAULT_DB_ALIAS = 'default';

/** A backend class: builds the wrapper of one alias. Drivers load on first use. */
export type BackendClass = new (alias: string, settings: DatabaseSettings) => BaseDatabaseWrapper;

const BACKENDS = new Map<string, BackendClass>([
  ['sqlite', SQLiteWrapper],
  ['postgresql', PostgreSQLWrapper],
  ['mysql', MySQLWrapper],
]);

/**
 * Registers a third-party backend under an engine name.
 *
 * @example
 * ```ts
 * registerBackend('cockroach', CockroachWrapper);
 * ```
 */
export function registerBackend(engine: string, backend: BackendClass): void {
  BACKENDS.set(engine, backend);
}

/** Raised for an alias that `settings.databases` does not define. */
export class ConnectionDoesNotExist extends ImproperlyConfigured {
  override readonly code: string = 'connection_does_not_exist';
}

type Source<T> = () => T;

/**
 * Holds one wrapper per alias, created on first use.
 *
 * @example
 * ```ts
 * import { connections } from 'reinhardt/db';
 * const { rows } = await connections.get('replica').execute('SELECT 1 AS one');
 * ```
 */
export class ConnectionHandler {
  private explicit: Record<string, DatabaseSettings> | null = null;
  private readonly wrappers = new Map<string, BaseDatabaseWrapper>();

  constructor(
    private source: Source<Record<string, DatabaseSettings> | undefined> = () => undefined,
  ) {}

  /** @internal Where `databases` comes from when not configured explicitly (the settings). */
  setSource(source: Source<Record<string, DatabaseSettings> | undefined>): void {
    this.source = source;
  }

  /**
   * Uses these databases instead of `settings.databases` (for scripts and
   * tests). Open connections of replaced aliases are closed.
   */
  async configure(databases: Record<string, DatabaseSettings>): Promise<void> {
    await this.closeAll();
    this.wrappers.clear();
    this.explicit = databases;
  }

  /** The database settings in use, by alias. */
  get databases(): Record<string, DatabaseSettings> {
    const databases = this.explicit ?? this.source();
    if (!databases || Object.keys(databases).length === 0) {
      throw new ImproperlyConfigured(
        'settings.databases is improperly configured. Please supply the engine value. Check settings documentation for more details.',
      );
    }
    if (!databases[DEFAULT_DB_ALIAS]) {
      throw new ImproperlyConfigured(`You must define a '${DEFAULT_DB_ALIAS}' database.`);
    }
    return databases;
  }

  /** Every configured alias. */
  get aliases(): string[] {
    return Object.keys(this.databases);
  }

  /** The wrapper of `alias`, created on first use. */
  get(alias: string = DEFAULT_DB_ALIAS): BaseDatabaseWrapper {
    const existing = this.wrappers.get(alias);
    if (existing) return existing;
    const settings = this.databases[alias];
    if (!settings) throw new ConnectionDoesNotExist(`The connection '${alias}' doesn't exist.`);
    const wrapper = createWrapper(alias, settings);
    this.wrappers.set(alias, wrapper);
    return wrapper;
  }

  /** Wrappers of every configured alias. */
  all(): BaseDatabaseWrapper[] {
    return this.aliases.map((a) => this.get(a));
  }

  /** Closes every open pool; the next query reopens. */
  async closeAll(): Promise<void> {
    const open = [...this.wrappers.values()];
    await Promise.all(open.map((w) => w.close()));
  }

  /** @internal Forgets explicit configuration and wrappers (tests). */
  async reset(): Promise<void> {
    await this.closeAll();
    this.wrappers.clear();
    this.explicit = null;
  }
}

/** Builds the wrapper for one alias, validating its settings. */
export function createWrapper(alias: string, settings: DatabaseSettings): BaseDatabaseWrapper {
  if (!settings.engine) {
    throw new ImproperlyConfigured(
      `settings.databases['${alias}'] is improperly configured. Please supply the engine value.`,
    );
  }
  const Backend = BACKENDS.get(settings.engine);
  if (!Backend) {
    throw new ImproperlyConfigured(
      `'${settings.engine}' isn't an available database backend or couldn't be imported. ` +
        `Choices are: ${[...BACKENDS.keys()].map((k) => `'${k}'`).join(', ')}.`,
    );
  }
  if (settings.name === undefined || settings.name === null) {
    throw new ImproperlyConfigured(
      `settings.databases['${alias}'] is improperly configured. Please supply the name value.`,
    );
  }
  return new Backend(alias, settings);
}

/** The database an instance was loaded from or saved to (`instance._state.db`). */
function instanceDb(instance: unknown): string | undefined {
  const state = (instance as { _state?: { db?: unknown } } | null | undefined)?._state;
  return typeof state?.db === 'string' ? state.db : undefined;
}

/**
 * Asks the configured routers, in order, where to read, write and migrate;
 * the first router with an opinion wins (Django's `ConnectionRouter`).
 *
 * @example
 * ```ts
 * class PrimaryReplicaRouter implements DatabaseRouter {
 *   dbForRead() { return 'replica'; }
 *   dbForWrite() { return 'default'; }
 * }
 * // settings: databaseRouters: [new PrimaryReplicaRouter()]
 * router.dbForRead(Book); // 'replica'
 * ```
 */
export class ConnectionRouter {
  private explicit: readonly DatabaseRouter[] | null = null;

  constructor(private source: Source<readonly DatabaseRouter[] | undefined> = () => undefined) {}

  /** @internal Where the routers come from when not set explicitly (the settings). */
  setSource(source: Source<readonly DatabaseRouter[] | undefined>): void {
    this.source = source;
  }

  /** Uses these routers instead of `settings.databaseRouters` (`null` goes back to settings). */
  setRouters(routers: readonly DatabaseRouter[] | null): void {
    this.explicit = routers;
  }

  get routers(): readonly DatabaseRouter[] {
    return this.explicit ?? this.source() ?? [];
  }

  private route(method: 'dbForRead' | 'dbForWrite', model: unknown, hints: RouterHints): string {
    for (const r of this.routers) {
      const chosen = r[method]?.(model, hints);
      if (chosen) return chosen;
    }
    return instanceDb(hints.instance) ?? DEFAULT_DB_ALIAS;
  }

  /** The alias to read `model` from. */
  dbForRead(model: unknown, hints: RouterHints = {}): string {
    return this.route('dbForRead', model, hints);
  }

  /** The alias to write `model` to. */
  dbForWrite(model: unknown, hints: RouterHints = {}): string {
    return this.route('dbForWrite', model, hints);
  }

  /** Whether a relation between two instances is allowed (default: both from one database). */
  allowRelation(obj1: unknown, obj2: unknown, hints: RouterHints = {}): boolean {
    for (const r of this.routers) {
      const allowed = r.allowRelation?.(obj1, obj2, hints);
      if (allowed !== undefined && allowed !== null) return allowed;
    }
    return (instanceDb(obj1) ?? DEFAULT_DB_ALIAS) === (instanceDb(obj2) ?? DEFAULT_DB_ALIAS);
  }

  /** Whether migrations of `appLabel` may run on `db` (default: yes). */
  allowMigrate(
    db: string,
    appLabel: string,
    hints: RouterHints & { modelName?: string } = {},
  ): boolean {
    for (const r of this.routers) {
      const allowed = r.allowMigrate?.(db, appLabel, hints);
      if (allowed !== undefined && allowed !== null) return allowed;
    }
    return true;
  }
}

/** The connections of every configured alias, from `settings.databases` (read on first use). */
export const connections = new ConnectionHandler(() => settings.databases);

/** The routers of `settings.databaseRouters`. Without settings, no routers. */
export const router = new ConnectionRouter(() =>
  isConfigured() ? settings.databaseRouters : undefined,
);

// The full query log is kept when DEBUG is on.
setDebugProvider(() => isConfigured() && settings.debug === true);

/**
 * The default connection (Django's `django.db.connection`): every property
 * forwards to `connections.get('default')`.
 */
export const connection: BaseDatabaseWrapper = new Proxy({} as BaseDatabaseWrapper, {
  get(_target, prop) {
    const wrapper = connections.get(DEFAULT_DB_ALIAS);
    const value = Reflect.get(wrapper, prop, wrapper) as unknown;
    return typeof value === 'function'
      ? (value as (...a: unknown[]) => unknown).bind(wrapper)
      : value;
  },
  set(_target, prop, value) {
    return Reflect.set(connections.get(DEFAULT_DB_ALIAS), prop, value);
  },
});

/** Empties the query log of every open connection (Django's `reset_queries()`). */
export function resetQueries(): void {
  for (const w of connections.all()) w.resetQueries();
}

export type { DatabaseEngine };
