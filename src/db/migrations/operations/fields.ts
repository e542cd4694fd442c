/**
 * Operations on one field of a model: add, remove, alter, rename. Columns
 * change through the schema editor (SQLite rebuilds the table where it
 * cannot ALTER); many-to-many fields create or drop their automatic table.
 */
import type { BaseDatabaseSchemaEditor } from '../../backends/base/schema.js';
import type { Field } from '../../models/fields/field.js';
import { ManyToManyFieldImpl } from '../../models/fields/related.js';

import { columnDefFor, effectiveDefault, tableDefFor } from '../../models/schema.js';
import { type ModelStateOptions, type ProjectState, unboundField } from '../state.js';
import {
  type DeconstructedOperation,
  type HistoricalModel,
  historicalModel,
  lower,
  Operation,
} from './base.js';

/** A copy of `field` without its default (the state of `preserveDefault: false`). */
function withoutDefault(field: Field): Field {
  const copy = unboundField(field) as unknown as Record<string, unknown>;
  const { default: _d, ...declared } = field.declaredOptions as Record<string, unknown>;
  copy.declaredOptions = declared;
  copy.hasDefault = false;
  copy.defaultValue = undefined;
  return copy as unknown as Field;
}

/** The automatic table of a many-to-many field, if it has one. */
function autoThrough(field: Field): HistoricalModel | undefined {
  return field instanceof ManyToManyFieldImpl && !field.through
    ? (field.throughModel as unknown as HistoricalModel)
    : undefined;
}

/** Adds `field`'s column (or its many-to-many table), existing rows getting `defaultFrom`'s value. */
async function addField(
  editor: BaseDatabaseSchemaEditor,
  model: HistoricalModel,
  field: Field,
  defaultFrom: Field = field,
): Promise<void> {
  if (field instanceof ManyToManyFieldImpl) {
    const through = autoThrough(field);
    if (through) await editor.createTable(tableDefFor(through, editor));
    return;
  }
  const col = columnDefFor(field);
  const value = effectiveDefault(defaultFrom);
  if (value !== undefined) col.default = value;
  await editor.addColumn(model._meta.dbTable, col);
}

async function removeField(
  editor: BaseDatabaseSchemaEditor,
  model: HistoricalModel,
  field: Field,
): Promise<void> {
  if (field instanceof ManyToManyFieldImpl) {
    const through = autoThrough(field);
    if (through) await editor.dropTable(through._meta.dbTable);
    return;
  }
  await editor.removeColumn(model._meta.dbTable, field.column);
}

/** Replaces field `oldName` in options that name fields (ordering, indexes, constraints…). */
function renameInOptions(
  options: ModelStateOptions,
  oldName: string,
  newName: string,
): ModelStateOptions {
  const rename = (f: string) => (f === oldName ? newName : f === `-${oldName}` ? `-${newName}` : f);
  const out: ModelStateOptions = { ...options };
  if (options.ordering)
    out.ordering = options.ordering.map((o) => (typeof o === 'string' ? rename(o) : o));
  if (options.indexes)
    out.indexes = options.indexes.map((i) => ({ ...i, fields: i.fields.map(rename) }));
  if (options.constraints)
    out.constraints = options.constraints.map((c) =>
      c.kind === 'unique' ? { ...c, fields: c.fields.map(rename) } : c,
    );
  if (options.uniqueTogether) out.uniqueTogether = options.uniqueTogether.map((t) => t.map(rename));
  return out;
}

/** An operation on field `name` of model `modelName`. */
abstract class FieldOperation extends Operation {
  /** What the CreateModel optimisation folds: 'add', 'alter', 'remove' or 'rename'. */
  abstract readonly fieldOperation: 'add' | 'alter' | 'remove' | 'rename';
  abstract readonly modelName: string;
  abstract readonly name: string;

  override referencesModel(name: string, appLabel: string): boolean {
    if (lower(name) === lower(this.modelName)) return true;
    const field = (this as { field?: Field }).field;
    const to = (field as { to?: unknown } | undefined)?.to;
    if (typeof to !== 'string') return false;
    const label = (to.includes('.') ? to : `${appLabel}.${to}`).toLowerCase();
    return label === `${appLabel}.${name}`.toLowerCase() || label === name.toLowerCase();
  }

  override referencesField(modelName: string, name: string, appLabel: string): boolean {
    return (
      (lower(modelName) === lower(this.modelName) && name === this.name) ||
      this.referencesModel(modelName, appLabel)
    );
  }

  protected isSameField(other: Operation): other is FieldOperation {
    return (
      other instanceof FieldOperation &&
      lower(other.modelName) === lower(this.modelName) &&
      other.name === this.name
    );
  }

  override get migrationNameFragment(): string {
    return `${lower(this.modelName)}_${lower(this.name)}`;
  }

  /** An operation that does not touch this field may move across it. */
  override reduce(other: Operation, appLabel: string): Operation[] | boolean {
    const result = super.reduce(other, appLabel);
    if (result !== false) return result;
    return !other.referencesField(this.modelName, this.name, appLabel);
  }
}

/**
 * Adds a field. Existing rows get the field's default (or, with
 * `preserveDefault: false`, a one-off value the model does not keep).
 *
 * @example
 * ```ts
 * new AddField({ modelName: 'Book', name: 'pages', field: IntegerField({ default: 0 }) });
 * ```
 */
export class AddField extends FieldOperation {
  readonly fieldOperation = 'add';
  readonly modelName: string;
  readonly name: string;
  readonly field: Field;
  readonly preserveDefault: boolean;
  constructor(args: { modelName: string; name: string; field: Field; preserveDefault?: boolean }) {
    super();
    this.modelName = args.modelName;
    this.name = args.name;
    this.field = args.field;
    this.preserveDefault = args.preserveDefault ?? true;
  }
  stateForwards(appLabel: string, state: ProjectState): void {
    const model = state.getModel(appLabel, this.modelName);
    const field = this.preserveDefault ? unboundField(this.field) : withoutDefault(this.field);
    state.replaceModel(model.clone({ fields: [...model.fields, [this.name, field]] }));
  }
  async databaseForwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    _from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    const model = historicalModel(to, appLabel, this.modelName);
    if (!this.allowMigrateModel(editor.connection.alias, model)) return;
    await addField(editor, model, model._meta.getField(this.name), this.field);
  }
  async databaseBackwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    _to?: ProjectState,
  ): Promise<void> {
    const model = historicalModel(from, appLabel, this.modelName);
    if (!this.allowMigrateModel(editor.connection.alias, model)) return;
    await removeField(editor, model, model._meta.getField(this.name));
  }
  describe(): string {
    return `Add field ${this.name} to ${lower(this.modelName)}`;
  }
  deconstruct(): DeconstructedOperation {
    return {
      name: 'AddField',
      options: {
        modelName: this.modelName,
        name: this.name,
        field: this.field,
        ...(this.preserveDefault ? {} : { preserveDefault: false }),
      },
    };
  }
  override reduce(other: Operation, appLabel: string): Operation[] | boolean {
    if (this.isSameField(other)) {
      if (other instanceof AlterField)
        return [new AddField({ modelName: this.modelName, name: this.name, field: other.field })];
      if (other instanceof RemoveField) return [];
    }
    if (
      other instanceof RenameField &&
      lower(other.modelName) === lower(this.modelName) &&
      other.oldName === this.name
    )
      return [new AddField({ modelName: this.modelName, name: other.newName, field: this.field })];
    return super.reduce(other, appLabel);
  }
}

/**
 * Removes a field (its column, or its many-to-many table). Reversing it
 * adds the column back, filled with the field's default.
 *
 * @example
 * ```ts
 * new RemoveField({ modelName: 'Book', name: 'legacyCode' });
 * ```
 */
export class RemoveField extends FieldOperation {
  readonly fieldOperation = 'remove';
  readonly modelName: string;
  readonly name: string;
  constructor(args: { modelName: string; name: string }) {
    super();
    this.modelName = args.modelName;
    this.name = args.name;
  }
  stateForwards(appLabel: string, state: ProjectState): void {
    const model = state.getModel(appLabel, this.modelName);
    if (!model.fields.has(this.name))
      throw new Error(`${model.label} has no field named '${this.name}' in this migration state.`);
    state.replaceModel(model.clone({ fields: [...model.fields].filter(([n]) => n !== this.name) }));
  }
  async databaseForwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    _to?: ProjectState,
  ): Promise<void> {
    const model = historicalModel(from, appLabel, this.modelName);
    if (!this.allowMigrateModel(editor.connection.alias, model)) return;
    await removeField(editor, model, model._meta.getField(this.name));
  }
  async databaseBackwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    _from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    const model = historicalModel(to, appLabel, this.modelName);
    if (!this.allowMigrateModel(editor.connection.alias, model)) return;
    await addField(editor, model, model._meta.getField(this.name));
  }
  describe(): string {
    return `Remove field ${this.name} from ${lower(this.modelName)}`;
  }
  override get migrationNameFragment(): string {
    return `remove_${lower(this.modelName)}_${lower(this.name)}`;
  }
  deconstruct(): DeconstructedOperation {
    return { name: 'RemoveField', options: { modelName: this.modelName, name: this.name } };
  }
}

/**
 * Changes a field's definition: type, null, default, unique, index, foreign
 * key. Making a column NOT NULL fills its NULLs with the default first.
 *
 * @example
 * ```ts
 * new AlterField({ modelName: 'Book', name: 'isbn', field: CharField({ maxLength: 13, unique: true }) });
 * ```
 */
export class AlterField extends FieldOperation {
  readonly fieldOperation = 'alter';
  readonly modelName: string;
  readonly name: string;
  readonly field: Field;
  readonly preserveDefault: boolean;
  constructor(args: { modelName: string; name: string; field: Field; preserveDefault?: boolean }) {
    super();
    this.modelName = args.modelName;
    this.name = args.name;
    this.field = args.field;
    this.preserveDefault = args.preserveDefault ?? true;
  }
  stateForwards(appLabel: string, state: ProjectState): void {
    const model = state.getModel(appLabel, this.modelName);
    const field = this.preserveDefault ? unboundField(this.field) : withoutDefault(this.field);
    state.replaceModel(
      model.clone({
        fields: [...model.fields].map(([n, f]) => [n, n === this.name ? field : f] as const),
      }),
    );
  }
  async databaseForwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await this.alter(appLabel, editor, from, to, this.field);
  }
  async databaseBackwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await this.alter(appLabel, editor, from, to);
  }
  private async alter(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    to: ProjectState,
    defaultFrom?: Field,
  ): Promise<void> {
    const fromModel = historicalModel(from, appLabel, this.modelName);
    const toModel = historicalModel(to, appLabel, this.modelName);
    if (!this.allowMigrateModel(editor.connection.alias, toModel)) return;
    const oldField = fromModel._meta.getField(this.name);
    const newField = toModel._meta.getField(this.name);
    if (oldField instanceof ManyToManyFieldImpl || newField instanceof ManyToManyFieldImpl) {
      const a = autoThrough(oldField);
      const b = autoThrough(newField);
      if (a && b && a._meta.dbTable !== b._meta.dbTable)
        await editor.renameTable(a._meta.dbTable, b._meta.dbTable);
      else if (!!a !== !!b || oldField.isRelation !== newField.isRelation)
        throw new Error(
          `Cannot alter field ${fromModel.name}.${this.name} into ${toModel.name}.${this.name}: ` +
            `they are not compatible types (a many-to-many field cannot become or stop being one, ` +
            `nor change its through model; add a new field and remove the old one).`,
        );
      return;
    }
    const newCol = columnDefFor(newField);
    const value = effectiveDefault(defaultFrom ?? newField);
    if (value !== undefined) newCol.default = value;
    await editor.alterColumn(toModel._meta.dbTable, columnDefFor(oldField), newCol);
  }
  describe(): string {
    return `Alter field ${this.name} on ${lower(this.modelName)}`;
  }
  override get migrationNameFragment(): string {
    return `alter_${lower(this.modelName)}_${lower(this.name)}`;
  }
  deconstruct(): DeconstructedOperation {
    return {
      name: 'AlterField',
      options: {
        modelName: this.modelName,
        name: this.name,
        field: this.field,
        ...(this.preserveDefault ? {} : { preserveDefault: false }),
      },
    };
  }
  override reduce(other: Operation, appLabel: string): Operation[] | boolean {
    if (this.isSameField(other) && (other instanceof AlterField || other instanceof RemoveField))
      return [other];
    if (
      other instanceof RenameField &&
      lower(other.modelName) === lower(this.modelName) &&
      other.oldName === this.name
    )
      return [
        other,
        new AlterField({ modelName: this.modelName, name: other.newName, field: this.field }),
      ];
    return super.reduce(other, appLabel);
  }
}

/**
 * Renames a field: its column follows unless `dbColumn` was declared, and
 * options naming it (ordering, indexes, constraints) follow in the state.
 *
 * @example
 * ```ts
 * new RenameField({ modelName: 'Book', oldName: 'name', newName: 'title' });
 * ```
 */
export class RenameField extends FieldOperation {
  readonly fieldOperation = 'rename';
  readonly modelName: string;
  readonly oldName: string;
  readonly newName: string;
  constructor(args: { modelName: string; oldName: string; newName: string }) {
    super();
    this.modelName = args.modelName;
    this.oldName = args.oldName;
    this.newName = args.newName;
  }
  get name(): string {
    return this.oldName;
  }
  stateForwards(appLabel: string, state: ProjectState): void {
    const model = state.getModel(appLabel, this.modelName);
    if (!model.fields.has(this.oldName))
      throw new Error(
        `${model.label} has no field named '${this.oldName}' in this migration state.`,
      );
    state.replaceModel(
      model.clone({
        fields: [...model.fields].map(
          ([n, f]) => [n === this.oldName ? this.newName : n, f] as const,
        ),
        options: renameInOptions(model.options, this.oldName, this.newName),
      }),
    );
  }
  async databaseForwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await this.rename(
      editor,
      historicalModel(from, appLabel, this.modelName),
      this.oldName,
      historicalModel(to, appLabel, this.modelName),
      this.newName,
    );
  }
  async databaseBackwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await this.rename(
      editor,
      historicalModel(from, appLabel, this.modelName),
      this.newName,
      historicalModel(to, appLabel, this.modelName),
      this.oldName,
    );
  }
  private async rename(
    editor: BaseDatabaseSchemaEditor,
    fromModel: HistoricalModel,
    fromName: string,
    toModel: HistoricalModel,
    toName: string,
  ): Promise<void> {
    if (!this.allowMigrateModel(editor.connection.alias, toModel)) return;
    const a = fromModel._meta.getField(fromName);
    const b = toModel._meta.getField(toName);
    const throughA = autoThrough(a);
    const throughB = autoThrough(b);
    if (throughA && throughB) {
      if (throughA._meta.dbTable !== throughB._meta.dbTable)
        await editor.renameTable(throughA._meta.dbTable, throughB._meta.dbTable);
      return;
    }
    if (a.concrete && a.column !== b.column)
      await editor.renameColumn(toModel._meta.dbTable, a.column, b.column);
  }
  describe(): string {
    return `Rename field ${this.oldName} on ${lower(this.modelName)} to ${this.newName}`;
  }
  override get migrationNameFragment(): string {
    return `rename_${lower(this.oldName)}_${lower(this.modelName)}_${lower(this.newName)}`;
  }
  deconstruct(): DeconstructedOperation {
    return {
      name: 'RenameField',
      options: { modelName: this.modelName, oldName: this.oldName, newName: this.newName },
    };
  }
  override referencesField(modelName: string, name: string, appLabel: string): boolean {
    return (
      (lower(modelName) === lower(this.modelName) &&
        (name === this.oldName || name === this.newName)) ||
      super.referencesField(modelName, name, appLabel)
    );
  }
  override reduce(other: Operation, appLabel: string): Operation[] | boolean {
    if (
      other instanceof RenameField &&
      lower(other.modelName) === lower(this.modelName) &&
      other.oldName === this.newName
    )
      return [
        new RenameField({
          modelName: this.modelName,
          oldName: this.oldName,
          newName: other.newName,
        }),
      ];
    return super.reduce(other, appLabel);
  }
}
