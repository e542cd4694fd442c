/**
 * Migrations (Django's `django.db.migrations`): migration files made of
 * operations, the graph of their dependencies, the state of the models they
 * describe, the loader and executor that apply them, and the record of what
 * is applied. See docs/migrations.md.
 */
export {
  MigrationGraph,
  NodeNotFoundError,
  CircularDependencyError,
  type MigrationKey,
} from './graph.js';
export { MigrationRecorder, MIGRATIONS_TABLE } from './recorder.js';
export {
  ProjectState,
  ModelState,
  deconstructField,
  fieldType,
  plainValue,
  ALTER_OPTION_KEYS,
  type DeconstructedField,
  type ModelOptionsState,
  type ModelStateOptions,
} from './state.js';
export { renderModels } from './render.js';
export { Migration, IrreversibleMigration, type MigrationOptions } from './migration.js';
export {
  MigrationLoader,
  InconsistentMigrationHistory,
  BadMigrationError,
  type MigrationLoaderOptions,
} from './loader.js';
export {
  MigrationExecutor,
  MIGRATE_LOCK,
  type MigrateOptions,
  type MigrationProgress,
  type MigrationTarget,
  type PlanStep,
} from './executor.js';
export * from './operations/index.js';
export { MigrationAutodetector, type ChangesOptions } from './autodetector.js';
export {
  InteractiveQuestioner,
  NonInteractiveQuestioner,
  type MigrationQuestioner,
} from './questioner.js';
export { migrationSource, type WriterOptions } from './writer.js';
export { makeMigrations, type MadeMigration, type MakeMigrationsOptions } from './make.js';
export { optimizeOperations } from './optimizer.js';
export { squashMigrations, type SquashOptions, type SquashResult } from './squash.js';
export {
  lintOperations,
  ignoreLint,
  LINT_RULES,
  type LintFinding,
  type LintOptions,
  type LintRule,
} from './linter.js';
export {
  swappableDependency,
  swappableModel,
  SWAPPABLE_SETTINGS,
  type SwappableSetting,
} from './swappable.js';
