/**
 * From models to tables: the `TableDef` of a model for the schema editor,
 * and a helper that creates the tables of several models (used by tests and
 * by the test runner's "no migrations" mode; migrations use the same defs).
 */
import type { BaseDatabaseWrapper } from '../backends/base/wrapper.js';
import type {
  BaseDatabaseSchemaEditor,
  ColumnDef,
  ConstraintDef,
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
import { now, todayUtc } from './fields/temporal.js';
import type { ConstraintOptions, IndexOptions, Options } from './options.js';

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

/** A condition compiler for `model`, or an error naming what needs one. */
function conditionCompiler(
  model: ModelWithMeta,
  editor: BaseDatabaseSchemaEditor | undefined,
): (lookups: Readonly<Record<string, unknown>> | QNode) => string {
  return (lookups) => {
    if (!editor)
      throw new FieldError(
        `Compiling the conditions of ${model._meta.label} needs a schema editor.`,
      );
    return conditionSql(model, lookups, editor);
  };
}

/** The index `index` of `model` (a `Meta.indexes` entry) as the schema editor takes it. */
export function indexDefFor(
  model: ModelWithMeta,
  index: IndexOptions,
  editor?: BaseDatabaseSchemaEditor,
): IndexDef {
  const column = (name: string) => model._meta.getField(name).column;
  return {
    name: index.name,
    columns: index.fields.map((f) => (f.startsWith('-') ? `-${column(f.slice(1))}` : column(f))),
    ...(index.condition ? { condition: conditionCompiler(model, editor)(index.condition) } : {}),
  };
}

/** The constraint `c` of `model` (a `Meta.constraints` entry) as the schema editor takes it. */
export function constraintDefFor(
  model: ModelWithMeta,
  c: ConstraintOptions,
  editor?: BaseDatabaseSchemaEditor,
): ConstraintDef {
  const column = (name: string) => model._meta.getField(name).column;
  const condition = conditionCompiler(model, editor);
  if (c.kind === 'unique')
    return {
      kind: 'unique',
      name: c.name,
      columns: c.fields.map(column),
      ...(c.condition ? { condition: condition(c.condition) } : {}),
    };
  return { kind: 'check', name: c.name, check: condition(c.check) };
}

/** The unique constraints of `Meta.uniqueTogether`, named as Reinhardt names them. */
export function uniqueTogetherDefs(model: ModelWithMeta): ConstraintDef[] {
  const opts = model._meta;
  const column = (name: string) => opts.getField(name).column;
  return opts.uniqueTogether.map((names) => ({
    kind: 'unique' as const,
    name: uniqueTogetherName(opts.dbTable, names.map(column)),
    columns: names.map(column),
  }));
}

/** The name of a `uniqueTogether` constraint: from the table and columns, so it survives reordering. */
export function uniqueTogetherName(table: string, columns: readonly string[]): string {
  const base = `${table}_${columns.join('_')}_uniq`;
  if (base.length <= 60) return base;
  let h = 0;
  for (const ch of base) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return `${base.slice(0, 51)}_${h.toString(16).padStart(8, '0')}`;
}

/** The table of a model: columns, indexes and constraints from its `Meta` (conditions need an editor). */
export function tableDefFor(model: ModelWithMeta, editor?: BaseDatabaseSchemaEditor): TableDef {
  const opts = model._meta;
  return {
    name: opts.dbTable,
    columns: opts.concreteFields.map(columnDefFor),
    indexes: opts.indexes.map((i) => indexDefFor(model, i, editor)),
    constraints: [
      ...opts.constraints.map((c) => constraintDefFor(model, c, editor)),
      ...uniqueTogetherDefs(model),
    ],
  };
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

/**
 * The value existing rows get when `field`'s column is added or made NOT
 * NULL (Django's `effective_default`): the field's default, else `''` for a
 * NOT NULL text field that may be blank, else the current time for
 * `autoNow`/`autoNowAdd`, else none.
 */
export function effectiveDefault(field: Field): unknown {
  if (field.hasDefault) return field.getDefault();
  const declared = field.declaredOptions as { autoNow?: boolean; autoNowAdd?: boolean };
  if (!field.null && field.blank) {
    if (field.internalType === 'BinaryField') return Buffer.alloc(0);
    if (field instanceof CharFieldImpl) return '';
  }
  if (declared.autoNow || declared.autoNowAdd) {
    const current = now();
    if (field.internalType === 'DateField') return todayUtc(current);
    if (field.internalType === 'TimeField') return current.toISOString().slice(11, 23);
    return current;
  }
  return undefined;
}

/** The column of `field` with the value existing rows get (for adding or altering it). */
export function columnDefWithDefault(field: Field): ColumnDef {
  const def = columnDefFor(field);
  const value = effectiveDefault(field);
  if (value !== undefined) def.default = value;
  return def;
}

/** The automatic many-to-many tables of `model` (its fields without `through`). */
export function autoThroughModels(model: ModelWithMeta): ModelWithMeta[] {
  return model._meta.manyToMany
    .filter((f) => !f.through && f.throughModel)
    .map((f) => f.throughModel as unknown as ModelWithMeta);
}
