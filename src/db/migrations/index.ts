/**
 * Migrations (Django's `django.db.migrations`): the graph of migrations and
 * the record of those applied. (Operations, the autodetector, the executor and
 * the commands are being built: see docs/migrations.md.)
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
  plainValue,
  type DeconstructedField,
  type ModelOptionsState,
} from './state.js';
