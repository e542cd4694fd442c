/**
 * PostgreSQL-only operations: indexes built without locking writes
 * (`CREATE INDEX CONCURRENTLY`, which cannot run in a transaction) and
 * extensions.
 */
import type { BaseDatabaseSchemaEditor } from '../../backends/base/schema.js';
import { DatabaseNotSupportedError } from '../../errors.js';
import type { IndexOptions } from '../../models/options.js';
import { indexDefFor } from '../../models/schema.js';
import { type DeconstructedOperation, Operation } from './base.js';
import { AddIndex, INDEXES, type MetaItemKind, RemoveIndex } from './models.js';

/**
 * Indexes built and dropped with `CONCURRENTLY` (PostgreSQL), which cannot
 * run in a transaction: refused there with Django's message. Elsewhere the
 * plain statements are used.
 */
function concurrentIndexes(operation: string): MetaItemKind<IndexOptions> {
  const outsideTransaction = (editor: BaseDatabaseSchemaEditor): boolean => {
    if (editor.connection.inAtomicBlock())
      throw new DatabaseNotSupportedError(
        `The ${operation} operation cannot be executed inside a transaction (set atomic: false on the migration).`,
      );
    return editor.connection.vendor === 'postgresql';
  };
  return {
    key: 'indexes',
    async create(editor, model, index) {
      if (!outsideTransaction(editor)) return INDEXES.create(editor, model, index);
      await editor.addIndex(model._meta.dbTable, {
        ...indexDefFor(model, index, editor),
        concurrently: true,
      });
    },
    async drop(editor, model, index) {
      if (!outsideTransaction(editor)) return INDEXES.drop(editor, model, index);
      await editor.execute(`DROP INDEX CONCURRENTLY IF EXISTS ${editor.quoteName(index.name)}`);
    },
  };
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
  protected override readonly kind = concurrentIndexes('AddIndexConcurrently');
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
  override readonly kind = concurrentIndexes('RemoveIndexConcurrently');
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
