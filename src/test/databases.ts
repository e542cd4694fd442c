/**
 * Test databases (Django's `create_test_db` / `destroy_test_db`): a test run
 * gets its own database per alias (`test_<name>`, or `test.name` from the
 * settings; in memory for SQLite unless named), the tables of the
 * registered models created in it, and the databases dropped afterwards
 * unless `keepdb`.
 */
import type { DatabaseSettings } from '../conf/types.js';
import { connections, createWrapper } from '../db/connections.js';
import { apps } from '../db/models/registry.js';
import { createModelTables } from '../db/models/schema.js';
import { appConfigs } from '../apps/config.js';
import { MigrationExecutor } from '../db/migrations/executor.js';
import type { BaseDatabaseWrapper } from '../db/backends/base/wrapper.js';

/** Options of {@link setupTestDatabases}. */
export interface TestDatabaseOptions {
  /** Reuse existing test databases (and their tables) and keep them afterwards (`--keepdb`). */
  readonly keepdb?: boolean;
  /** Appended to every test database name, one per parallel test process (`test_shop_2`). */
  readonly suffix?: string | number;
  /** Called with progress lines (default: silent). */
  readonly log?: (line: string) => void;
  /**
   * Apply the migrations of apps that have them (default `true`); `false`
   * creates every table straight from the models, faster (Django's
   * `MIGRATE: False`). Apps without migrations always get their tables
   * from the models.
   */
  readonly migrate?: boolean;
  /** The migrations folder of each app (default: the installed apps' `migrations` folders). */
  readonly migrationDirectories?: Readonly<Record<string, string | null>>;
}

/** What {@link setupTestDatabases} made, for {@link teardownTestDatabases}. */
export interface TestDatabases {
  readonly original: Record<string, DatabaseSettings>;
  readonly test: Record<string, DatabaseSettings>;
  readonly keepdb: boolean;
}

/** The settings of the test database of one alias. */
export function testDatabaseSettings(
  settings: DatabaseSettings,
  suffix?: string | number,
): DatabaseSettings {
  const tail = suffix === undefined ? '' : `_${suffix}`;
  if (settings.engine === 'sqlite') {
    const name = settings.test?.name;
    return { ...settings, name: name ? `${name}${tail}` : ':memory:' };
  }
  return { ...settings, name: `${settings.test?.name ?? `test_${settings.name}`}${tail}` };
}

/** A connection to the server without the test database (to create or drop it). */
function serverConnection(settings: DatabaseSettings): BaseDatabaseWrapper {
  const maintenance = settings.engine === 'postgresql' ? 'postgres' : 'information_schema';
  return createWrapper('__test_server__', { ...settings, name: maintenance, pool: { max: 1 } });
}

async function databaseExists(server: BaseDatabaseWrapper, name: string): Promise<boolean> {
  const { rows } =
    server.vendor === 'postgresql'
      ? await server.execute('SELECT 1 FROM pg_database WHERE datname = %s', [name])
      : await server.execute('SELECT 1 FROM information_schema.schemata WHERE schema_name = %s', [
          name,
        ]);
  return rows.length > 0;
}

/**
 * Creates the test databases of every configured alias, points
 * `connections` at them and creates the registered models' tables.
 *
 * @example
 * ```ts
 * before(async () => { databases = await setupTestDatabases({ keepdb: true }); });
 * after(() => teardownTestDatabases(databases));
 * ```
 */
export async function setupTestDatabases(
  options: TestDatabaseOptions = {},
): Promise<TestDatabases> {
  const log = options.log ?? (() => undefined);
  const original = { ...connections.databases };
  const test: Record<string, DatabaseSettings> = {};
  const fresh = new Set<string>();
  for (const [alias, settings] of Object.entries(original)) {
    const mirror = settings.test?.mirror;
    if (mirror) continue;
    const target = testDatabaseSettings(settings, options.suffix);
    test[alias] = target;
    if (settings.engine === 'sqlite') {
      fresh.add(alias);
      continue;
    }
    const server = serverConnection(settings);
    try {
      const exists = await databaseExists(server, target.name);
      const q = server.ops.quoteName(target.name);
      if (exists && options.keepdb) {
        log(`Using existing test database for alias '${alias}' ('${target.name}')...`);
        continue;
      }
      if (exists) await server.execute(`DROP DATABASE ${q}`);
      log(`Creating test database for alias '${alias}' ('${target.name}')...`);
      await server.execute(`CREATE DATABASE ${q}`);
      fresh.add(alias);
    } finally {
      await server.close();
    }
  }
  // Mirrors (replicas in production) read the test database of their primary.
  for (const [alias, settings] of Object.entries(original)) {
    const mirror = settings.test?.mirror;
    if (mirror) test[alias] = test[mirror]!;
  }
  await connections.configure(test);
  for (const alias of fresh) {
    if (original[alias]!.test?.mirror) continue;
    await prepareTestTables(alias, options);
  }
  return { original, test, keepdb: !!options.keepdb };
}

/**
 * Fills a new test database: applies the migrations of apps that have them
 * and creates the other tables from the models (everything from the models
 * with `migrate: false`).
 */
export async function prepareTestTables(
  alias: string,
  options: Pick<TestDatabaseOptions, 'migrate' | 'migrationDirectories' | 'log'> = {},
): Promise<void> {
  const log = options.log ?? (() => undefined);
  const directories = options.migrationDirectories ?? installedMigrationDirectories();
  const connection = connections.get(alias);
  let migrated = new Set<string>();
  if ((options.migrate ?? true) && Object.keys(directories).length) {
    const executor = await MigrationExecutor.create(
      connection,
      { directories, unmigratedModels: apps.getModels() },
      (e) => {
        if (e.action === 'apply_success') log(`  Applying ${e.migration}... OK`);
      },
    );
    migrated = executor.loader.migratedApps;
    if (migrated.size) {
      log(`Applying migrations to the test database for alias '${alias}'...`);
      await executor.migrate(null, { lock: false });
    }
  }
  // Apps without migrations (and everything, with migrate: false): tables from the models.
  const models = apps
    .getModels()
    .filter((m) => !migrated.has(m._meta.appLabel)) as unknown as Parameters<
    typeof createModelTables
  >[1];
  await createModelTables(connection, models);
}

/** The migrations folders of the installed apps populated so far. */
function installedMigrationDirectories(): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const config of appConfigs().values()) out[config.label] = config.migrationsDir;
  return out;
}

/** Closes the test databases, drops them (unless `keepdb`) and restores the configuration. */
export async function teardownTestDatabases(databases: TestDatabases): Promise<void> {
  await connections.closeAll();
  if (!databases.keepdb) {
    for (const [alias, settings] of Object.entries(databases.test)) {
      if (settings.engine === 'sqlite' || databases.original[alias]?.test?.mirror) continue;
      const server = serverConnection(settings);
      try {
        await server.execute(`DROP DATABASE IF EXISTS ${server.ops.quoteName(settings.name)}`);
      } finally {
        await server.close();
      }
    }
  }
  await connections.configure(databases.original);
}
