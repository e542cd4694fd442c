/**
 * From models to tables: the `TableDef` of a model for the schema editor,
 * and a helper that creates the tables of several models (used by tests and
 * by the test runner's "no migrations" mode; migrations use the same defs).
 */
import type { BaseDatabaseWrapper } from '../backends/base/wrapper.js';
import type {
  BaseDatabaseSchemaEditor,
  ColumnDef,
  IndexDef,
  InternalType,
  TableDef,
} from '../backends/base/schema.js';
import { FieldError } from '../../core/exceptions.js';
import { QNode } from './expressions.js';
import { SQLCompiler } from './sql/compiler.js';
import { Query, type QueryModel } from './sql/query.js';
import { CharFieldImpl } from './fields/text.js';
import { DecimalFieldImpl } from './fields/numeric.js';
import { ForeignKeyImpl } from './fields/related.js';
import type { Field } from './fields/field.js';
import type { Options } from './options.js';

interface ModelWithMeta {
  readonly _meta: Options;
}

/** The column definition of one concrete field. */
export function columnDefFor(field: Field): ColumnDef {
  const def: ColumnDef = { name: field.column, type: field.internalType as InternalType };
  if (
    field instanceof CharFieldImpl &&
    field.internalType !== 'TextField' &&
    field.maxLength !== undefined
  )
    def.maxLength = field.maxLength;
  if (field instanceof DecimalFieldImpl) {
    def.maxDigits = field.maxDigits;
    def.decimalPlaces = field.decimalPlaces;
  }
  if (field.null) def.null = true;
  if (field.primaryKey) def.primaryKey = true;
  if (field.unique && !field.primaryKey) def.unique = true;
  if (field.dbIndex && !field.unique && !(field instanceof ForeignKeyImpl)) def.dbIndex = true;
  if (field instanceof ForeignKeyImpl) {
    const target = field.relatedModel as unknown as ModelWithMeta;
    if (field.dbConstraint)
      def.references = { table: target._meta.dbTable, column: field.targetField!.column };
    if (!field.unique) def.dbIndex = true;
  }
  return def;
}

/**
 * A condition written as lookups (`{ rating__gte: 0 }`), compiled to SQL for
 * DDL (CHECK constraints, partial indexes): columns unqualified, and values
 * written as literals by the schema editor, since DDL cannot bind parameters.
 */
export function conditionSql(
  model: ModelWithMeta,
  lookups: Readonly<Record<string, unknown>> | QNode,
  editor: BaseDatabaseSchemaEditor,
): string {
  const query = new Query(model as unknown as QueryModel);
  query.addQ(lookups instanceof QNode ? lookups : new QNode(lookups));
  if (query.joins.length)
    throw new FieldError(
      'Joined field references are not permitted in constraints or index conditions.',
    );
  const fragment = new SQLCompiler(query, editor.connection, false).compileWhere(query.where);
  let i = 0;
  return fragment.sql.replace(/\0/g, () => editor.quoteValue(fragment.params[i++]));
}

/** The table of a model: columns, indexes and constraints from its `Meta` (conditions need an editor). */
export function tableDefFor(model: ModelWithMeta, editor?: BaseDatabaseSchemaEditor): TableDef {
  const opts = model._meta;
  const columns = opts.concreteFields.map(columnDefFor);
  const column = (name: string) => opts.getField(name).column;
  const condition = (lookups: Readonly<Record<string, unknown>> | QNode): string => {
    if (!editor)
      throw new FieldError(`Compiling the conditions of ${opts.label} needs a schema editor.`);
    return conditionSql(model, lookups, editor);
  };
  const indexes: IndexDef[] = opts.indexes.map((i) => ({
    name: i.name,
    columns: i.fields.map((f) => (f.startsWith('-') ? `-${column(f.slice(1))}` : column(f))),
    ...(i.condition ? { condition: condition(i.condition) } : {}),
  }));
  const constraints: NonNullable<TableDef['constraints']> = [];
  for (const c of opts.constraints) {
    if (c.kind === 'unique') {
      constraints.push({
        kind: 'unique',
        name: c.name,
        columns: c.fields.map(column),
        ...(c.condition ? { condition: condition(c.condition) } : {}),
      });
    } else {
      constraints.push({ kind: 'check', name: c.name, check: condition(c.check) });
    }
  }
  opts.uniqueTogether.forEach((names, i) => {
    constraints.push({
      kind: 'unique',
      name: `${opts.dbTable}_${names.map(column).join('_')}_uniq${i || ''}`.slice(0, 60),
      columns: names.map(column),
    });
  });
  return { name: opts.dbTable, columns, indexes, constraints };
}

/** Every model needed with `models`: their automatic many-to-many tables too. */
function withThroughModels(models: readonly ModelWithMeta[]): ModelWithMeta[] {
  const out = [...models];
  for (const m of models) {
    for (const f of m._meta.manyToMany) {
      const through = f.throughModel as unknown as ModelWithMeta | undefined;
      if (through && !out.includes(through)) out.push(through);
    }
  }
  return out;
}

/**
 * Creates the tables of `models` (and their many-to-many tables) in one
 * schema-editor run; foreign keys are added once every table exists.
 *
 * @example
 * ```ts
 * await createModelTables(connection, [Author, Book, Tag]);
 * ```
 */
export async function createModelTables(
  connection: BaseDatabaseWrapper,
  models: readonly ModelWithMeta[],
): Promise<void> {
  await connection.schemaEditor(async (editor) => {
    for (const model of withThroughModels(models))
      await editor.createTable(tableDefFor(model, editor));
  });
}

/** Drops the tables of `models` (and their many-to-many tables), if they exist. */
export async function dropModelTables(
  connection: BaseDatabaseWrapper,
  models: readonly ModelWithMeta[],
): Promise<void> {
  await connection.schemaEditor(async (editor) => {
    for (const model of withThroughModels(models).reverse())
      await editor.dropTable(model._meta.dbTable, { ifExists: true });
  });
}
