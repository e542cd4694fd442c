/** Every migration operation. */
export {
  Operation,
  IrreversibleError,
  type DeconstructedOperation,
  type HistoricalModel,
} from './base.js';
export {
  CreateModel,
  DeleteModel,
  RenameModel,
  AlterModelTable,
  AlterModelOptions,
  AlterUniqueTogether,
  AddIndex,
  RemoveIndex,
  RenameIndex,
  AddConstraint,
  RemoveConstraint,
} from './models.js';
export { AddField, RemoveField, AlterField, RenameField } from './fields.js';
export {
  RunSQL,
  RunCode,
  SeparateDatabaseAndState,
  splitSqlStatements,
  type HistoricalApps,
  type MigrationCode,
  type RunSqlStatements,
} from './special.js';
export { AddIndexConcurrently, RemoveIndexConcurrently, CreateExtension } from './postgres.js';
