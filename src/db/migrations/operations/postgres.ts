/**
 * PostgreSQL-only operations: indexes built without locking writes
 * (`CREATE INDEX CONCURRENTLY`, which cannot run in a transaction) and
 * extensions.
 */
import type { BaseDatabaseSchemaEditor } from '../../backends/base/schema.js';
import { DatabaseNotSupportedError } from '../../errors.js';
import { indexDefFor } from '../../models/schema.js';
import type { ProjectState } from '../state.js';
import { type DeconstructedOperation, historicalModel, Operation } from './base.js';
import { AddIndex, RemoveIndex } from './models.js';

/** Refuses to run inside a transaction, with Django's message. */
function ensureNotInTransaction(editor: BaseDatabaseSchemaEditor, name: string): void {
  if (editor.connection.inAtomicBlock())
    throw new DatabaseNotSupportedError(
      `The ${name} operation cannot be executed inside a transaction (set atomic: false on the migration).`,
    );
}

function ensurePostgres(editor: BaseDatabaseSchemaEditor, name: string): boolean {
  return editor.connection.vendor === 'postgresql' || (void name, false);
}

/**
 * `AddIndex` built with `CREATE INDEX CONCURRENTLY`: writes continue while it
 * builds (P23). The migration must declare `atomic: false`. Elsewhere than
 * PostgreSQL the index is built normally.
 *
 * @example
 * ```ts
 * export default new Migration({
 *   atomic: false,
 *   operations: [new AddIndexConcurrently({ modelName: 'Book', index: { name: 'book_isbn_idx', fields: ['isbn'] } })],
 * });
 * ```
 */
export class AddIndexConcurrently extends AddIndex {
  override readonly atomic = false;
  override async databaseForwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    ensureNotInTransaction(editor, 'AddIndexConcurrently');
    if (!ensurePostgres(editor, 'AddIndexConcurrently'))
      return super.databaseForwards(appLabel, editor, from, to);
    const model = historicalModel(to, appLabel, this.modelName);
    if (this.allowMigrateModel(editor.connection.alias, model))
      await editor.addIndex(model._meta.dbTable, {
        ...indexDefFor(model, this.index, editor),
        concurrently: true,
      });
  }
  override async databaseBackwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    ensureNotInTransaction(editor, 'AddIndexConcurrently');
    if (!ensurePostgres(editor, 'AddIndexConcurrently'))
      return super.databaseBackwards(appLabel, editor, from, to);
    const model = historicalModel(from, appLabel, this.modelName);
    if (this.allowMigrateModel(editor.connection.alias, model))
      await editor.execute(
        `DROP INDEX CONCURRENTLY IF EXISTS ${editor.quoteName(this.index.name)}`,
      );
  }
  override describe(): string {
    return `Concurrently create index ${this.index.name} on field(s) ${this.index.fields.join(', ')} of model ${this.modelName}`;
  }
}

/**
 * `RemoveIndex` with `DROP INDEX CONCURRENTLY`; the migration must declare `atomic: false`.
 *
 * @example
 * ```ts
 * new RemoveIndexConcurrently({ modelName: 'Book', name: 'book_isbn_idx' });
 * ```
 */
export class RemoveIndexConcurrently extends RemoveIndex {
  override readonly atomic = false;
  override async databaseForwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    ensureNotInTransaction(editor, 'RemoveIndexConcurrently');
    if (!ensurePostgres(editor, 'RemoveIndexConcurrently'))
      return super.databaseForwards(appLabel, editor, from, to);
    const model = historicalModel(from, appLabel, this.modelName);
    if (this.allowMigrateModel(editor.connection.alias, model))
      await editor.execute(`DROP INDEX CONCURRENTLY IF EXISTS ${editor.quoteName(this.name)}`);
  }
  override async databaseBackwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    ensureNotInTransaction(editor, 'RemoveIndexConcurrently');
    if (!ensurePostgres(editor, 'RemoveIndexConcurrently'))
      return super.databaseBackwards(appLabel, editor, from, to);
    const model = historicalModel(to, appLabel, this.modelName);
    const index = model._meta.indexes.find((i) => i.name === this.name);
    if (index && this.allowMigrateModel(editor.connection.alias, model))
      await editor.addIndex(model._meta.dbTable, {
        ...indexDefFor(model, index, editor),
        concurrently: true,
      });
  }
  override describe(): string {
    return `Concurrently remove index ${this.name} from ${this.modelName}`;
  }
}

/**
 * `CREATE EXTENSION IF NOT EXISTS` (reversed by `DROP EXTENSION`); nothing
 * on other databases.
 *
 * @example
 * ```ts
 * new CreateExtension({ name: 'pg_trgm' });
 * ```
 */
export class CreateExtension extends Operation {
  readonly name: string;
  constructor(args: { name: string }) {
    super();
    this.name = args.name;
  }
  stateForwards(): void {}
  async databaseForwards(appLabel: string, editor: BaseDatabaseSchemaEditor): Promise<void> {
    if (editor.connection.vendor !== 'postgresql') return;
    if (!this.allowMigrate(editor.connection.alias, appLabel)) return;
    await editor.execute(`CREATE EXTENSION IF NOT EXISTS ${editor.quoteName(this.name)}`);
  }
  async databaseBackwards(appLabel: string, editor: BaseDatabaseSchemaEditor): Promise<void> {
    if (editor.connection.vendor !== 'postgresql') return;
    if (!this.allowMigrate(editor.connection.alias, appLabel)) return;
    await editor.execute(`DROP EXTENSION IF EXISTS ${editor.quoteName(this.name)}`);
  }
  override referencesModel(): boolean {
    return false;
  }
  describe(): string {
    return `Creates extension ${this.name}`;
  }
  override get migrationNameFragment(): string {
    return `create_extension_${this.name}`;
  }
  deconstruct(): DeconstructedOperation {
    return { name: 'CreateExtension', options: { name: this.name } };
  }
}
