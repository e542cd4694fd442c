/**
 * Operations on whole models: create, delete, rename, change the table or
 * the options, and the indexes and constraints declared in `Meta`.
 */
import type { BaseDatabaseSchemaEditor } from '../../backends/base/schema.js';
import type { Field } from '../../models/fields/field.js';
import { ForeignKeyImpl, ManyToManyFieldImpl } from '../../models/fields/related.js';
import type { ConstraintOptions, IndexOptions } from '../../models/options.js';
import {
  autoThroughModels,
  constraintDefFor,
  indexDefFor,
  tableDefFor,
  uniqueTogetherDefs,
} from '../../models/schema.js';
import {
  ALTER_OPTION_KEYS,
  ModelState,
  type ModelStateOptions,
  type ProjectState,
  unboundField,
} from '../state.js';
import {
  type DeconstructedOperation,
  type HistoricalModel,
  historicalModel,
  lower,
  Operation,
} from './base.js';

/** The label (lower case) a relation option names, resolved against the app of its model. */
function relationLabel(to: unknown, fieldApp: string): string | undefined {
  return typeof to === 'string'
    ? (to.includes('.') ? to : `${fieldApp}.${to}`).toLowerCase()
    : undefined;
}

/**
 * Whether a relation field of a model of `fieldApp` points at `target`
 * (`app.Model`; case-insensitive), directly or through its `through` model.
 */
export function fieldReferencesModel(field: Field, fieldApp: string, target: string): boolean {
  if (!(field instanceof ForeignKeyImpl || field instanceof ManyToManyFieldImpl)) return false;
  const wanted = target.toLowerCase();
  if (relationLabel(field.to, fieldApp) === wanted) return true;
  return field instanceof ManyToManyFieldImpl && relationLabel(field.through, fieldApp) === wanted;
}

/**
 * Brings the automatic many-to-many tables of `to`'s models in line with
 * `from`'s (tables and columns renamed), after a model was renamed or moved
 * to another table: their names derive from the model's.
 */
async function syncAutoThroughTables(
  editor: BaseDatabaseSchemaEditor,
  fromModel: HistoricalModel,
  toModel: HistoricalModel,
  from: ProjectState,
  to: ProjectState,
): Promise<void> {
  const pairs: [HistoricalModel, HistoricalModel][] = [];
  // This model's own many-to-many fields…
  for (const field of toModel._meta.manyToMany) {
    const old = fromModel._meta.manyToMany.find((f) => f.name === field.name);
    if (old && !field.through) pairs.push([throughOf(old), throughOf(field)]);
  }
  // …and those of other models pointing at it.
  for (const model of to.apps.getModels() as unknown as HistoricalModel[]) {
    if (model === toModel) continue;
    for (const field of model._meta.manyToMany) {
      if (field.through || field.relatedModel !== (toModel as unknown)) continue;
      const before = from.apps
        .getModels()
        .find((m) => m._meta.labelLower === model._meta.labelLower);
      const old = before?._meta.manyToMany.find((f) => f.name === field.name);
      if (old) pairs.push([throughOf(old), throughOf(field)]);
    }
  }
  for (const [oldThrough, newThrough] of pairs) {
    const oldTable = oldThrough._meta.dbTable;
    const newTable = newThrough._meta.dbTable;
    if (oldTable !== newTable) await editor.renameTable(oldTable, newTable);
    const oldColumns = oldThrough._meta.concreteFields.filter((f) => !f.primaryKey);
    const newColumns = newThrough._meta.concreteFields.filter((f) => !f.primaryKey);
    for (let i = 0; i < newColumns.length; i++) {
      const a = oldColumns[i]?.column;
      const b = newColumns[i]!.column;
      if (a && a !== b) await editor.renameColumn(newTable, a, b);
    }
  }
}

function throughOf(field: ManyToManyFieldImpl): HistoricalModel {
  return field.throughModel as unknown as HistoricalModel;
}

async function createModelTable(
  editor: BaseDatabaseSchemaEditor,
  model: HistoricalModel,
): Promise<void> {
  await editor.createTable(tableDefFor(model, editor));
  for (const through of autoThroughModels(model))
    await editor.createTable(tableDefFor(through, editor));
}

async function dropModelTable(
  editor: BaseDatabaseSchemaEditor,
  model: HistoricalModel,
): Promise<void> {
  for (const through of autoThroughModels(model)) await editor.dropTable(through._meta.dbTable);
  await editor.dropTable(model._meta.dbTable);
}

/** An operation about one model, named `name` (or `modelName`). */
abstract class ModelOperation extends Operation {
  abstract readonly modelName: string;

  override referencesModel(name: string, _appLabel: string): boolean {
    return lower(name) === lower(this.modelName);
  }

  protected modelState(appLabel: string, state: ProjectState): ModelState {
    return state.getModel(appLabel, this.modelName);
  }

  override get migrationNameFragment(): string | null {
    return lower(this.modelName);
  }

  /** An operation that does not touch this model may move across it (Django's `can_reduce_through`). */
  override reduce(other: Operation, appLabel: string): Operation[] | boolean {
    const result = super.reduce(other, appLabel);
    return result !== false ? result : !other.referencesModel(this.modelName, appLabel);
  }
}

/**
 * Creates a model's table (and its automatic many-to-many tables).
 *
 * @example
 * ```ts
 * new CreateModel({
 *   name: 'Author',
 *   fields: { id: BigAutoField({ primaryKey: true }), name: CharField({ maxLength: 100 }) },
 *   options: { ordering: ['name'] },
 * });
 * ```
 */
export class CreateModel extends ModelOperation {
  readonly name: string;
  readonly fields: Readonly<Record<string, Field>>;
  readonly options: ModelStateOptions;

  constructor(args: { name: string; fields: Record<string, Field>; options?: ModelStateOptions }) {
    super();
    this.name = args.name;
    this.fields = args.fields;
    this.options = args.options ?? {};
  }

  get modelName(): string {
    return this.name;
  }

  stateForwards(appLabel: string, state: ProjectState): void {
    state.addModel(
      new ModelState(
        appLabel,
        this.name,
        Object.entries(this.fields).map(([n, f]) => [n, unboundField(f)] as const),
        { ...this.options },
      ),
    );
  }

  async databaseForwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    _from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    const model = historicalModel(to, appLabel, this.name);
    if (this.allowMigrateModel(editor.connection.alias, model))
      await createModelTable(editor, model);
  }

  async databaseBackwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    _to?: ProjectState,
  ): Promise<void> {
    const model = historicalModel(from, appLabel, this.name);
    if (this.allowMigrateModel(editor.connection.alias, model)) await dropModelTable(editor, model);
  }

  describe(): string {
    return `Create model ${this.name}`;
  }

  deconstruct(): DeconstructedOperation {
    return {
      name: 'CreateModel',
      options: {
        name: this.name,
        fields: this.fields,
        ...(hasKeys(this.options) ? { options: this.options } : {}),
      },
    };
  }

  override referencesModel(name: string, appLabel: string): boolean {
    if (super.referencesModel(name, appLabel)) return true;
    return Object.values(this.fields).some((f) =>
      fieldReferencesModel(f, appLabel, name.includes('.') ? name : `${appLabel}.${name}`),
    );
  }

  override reduce(other: Operation, appLabel: string): Operation[] | boolean {
    const mine = (name: string) => lower(name) === lower(this.name);
    const make = (
      changes: Partial<{ name: string; fields: Record<string, Field>; options: ModelStateOptions }>,
    ) =>
      new CreateModel({ name: this.name, fields: this.fields, options: this.options, ...changes });
    if (other instanceof DeleteModel && mine(other.name)) return [];
    if (other instanceof RenameModel && mine(other.oldName)) return [make({ name: other.newName })];
    if (other instanceof AlterModelOptions && mine(other.name)) {
      const options: Record<string, unknown> = { ...this.options };
      for (const key of ALTER_OPTION_KEYS) delete options[key];
      return [make({ options: { ...options, ...other.options } })];
    }
    if (other instanceof AlterModelTable && mine(other.name)) {
      const { dbTable: _old, ...rest } = this.options;
      return [make({ options: other.table ? { ...rest, dbTable: other.table } : rest })];
    }
    if (other instanceof AlterUniqueTogether && mine(other.name))
      return [make({ options: { ...this.options, uniqueTogether: other.uniqueTogether } })];
    // Field operations on this model fold into it (imported lazily to avoid a cycle).
    const field = other as Operation & {
      modelName?: string;
      name?: string;
      field?: Field;
      kind?: string;
    };
    if (field.modelName && mine(field.modelName) && 'fieldOperation' in other) {
      const kind = (other as { fieldOperation: string }).fieldOperation;
      const entries = Object.entries(this.fields);
      if (kind === 'add')
        return [make({ fields: { ...this.fields, [field.name!]: field.field! } })];
      if (kind === 'alter')
        return [
          make({
            fields: Object.fromEntries(
              entries.map(([n, f]) => [n, n === field.name ? field.field! : f]),
            ),
          }),
        ];
      if (kind === 'remove') {
        // A field named in options (ordering, indexes…) cannot simply disappear.
        if (JSON.stringify(this.options).includes(`"${field.name}"`))
          return super.reduce(other, appLabel);
        return [make({ fields: Object.fromEntries(entries.filter(([n]) => n !== field.name)) })];
      }
      if (kind === 'rename') {
        const { oldName, newName } = other as unknown as { oldName: string; newName: string };
        if (JSON.stringify(this.options).includes(`"${oldName}"`))
          return super.reduce(other, appLabel);
        return [
          make({
            fields: Object.fromEntries(entries.map(([n, f]) => [n === oldName ? newName : n, f])),
          }),
        ];
      }
    }
    return super.reduce(other, appLabel);
  }
}

/**
 * Drops a model's table (and its automatic many-to-many tables).
 *
 * @example
 * ```ts
 * new DeleteModel({ name: 'Coupon' });
 * ```
 */
export class DeleteModel extends ModelOperation {
  readonly name: string;
  constructor(args: { name: string }) {
    super();
    this.name = args.name;
  }
  get modelName(): string {
    return this.name;
  }
  stateForwards(appLabel: string, state: ProjectState): void {
    state.removeModel(`${appLabel}.${this.name}`);
  }
  async databaseForwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    _to?: ProjectState,
  ): Promise<void> {
    const model = historicalModel(from, appLabel, this.name);
    if (this.allowMigrateModel(editor.connection.alias, model)) await dropModelTable(editor, model);
  }
  async databaseBackwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    _from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    const model = historicalModel(to, appLabel, this.name);
    if (this.allowMigrateModel(editor.connection.alias, model))
      await createModelTable(editor, model);
  }
  describe(): string {
    return `Delete model ${this.name}`;
  }
  override get migrationNameFragment(): string {
    return `delete_${lower(this.name)}`;
  }
  deconstruct(): DeconstructedOperation {
    return { name: 'DeleteModel', options: { name: this.name } };
  }
}

/**
 * Renames a model: its table follows unless `dbTable` was declared, and
 * relations pointing at it follow in the state.
 *
 * @example
 * ```ts
 * new RenameModel({ oldName: 'Writer', newName: 'Author' });
 * ```
 */
export class RenameModel extends Operation {
  readonly oldName: string;
  readonly newName: string;
  constructor(args: { oldName: string; newName: string }) {
    super();
    this.oldName = args.oldName;
    this.newName = args.newName;
  }
  stateForwards(appLabel: string, state: ProjectState): void {
    renameInState(state, appLabel, this.oldName, this.newName);
  }
  async databaseForwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    const oldModel = historicalModel(from, appLabel, this.oldName);
    const newModel = historicalModel(to, appLabel, this.newName);
    if (!this.allowMigrateModel(editor.connection.alias, newModel)) return;
    if (oldModel._meta.dbTable !== newModel._meta.dbTable)
      await editor.renameTable(oldModel._meta.dbTable, newModel._meta.dbTable);
    await syncAutoThroughTables(editor, oldModel, newModel, from, to);
  }
  async databaseBackwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    const current = historicalModel(from, appLabel, this.newName);
    const previous = historicalModel(to, appLabel, this.oldName);
    if (!this.allowMigrateModel(editor.connection.alias, current)) return;
    if (current._meta.dbTable !== previous._meta.dbTable)
      await editor.renameTable(current._meta.dbTable, previous._meta.dbTable);
    await syncAutoThroughTables(editor, current, previous, from, to);
  }
  describe(): string {
    return `Rename model ${this.oldName} to ${this.newName}`;
  }
  override get migrationNameFragment(): string {
    return `rename_${lower(this.oldName)}_${lower(this.newName)}`;
  }
  deconstruct(): DeconstructedOperation {
    return { name: 'RenameModel', options: { oldName: this.oldName, newName: this.newName } };
  }
  override referencesModel(name: string): boolean {
    return lower(name) === lower(this.oldName) || lower(name) === lower(this.newName);
  }
  override reduce(other: Operation, appLabel: string): Operation[] | boolean {
    if (other instanceof RenameModel && lower(this.newName) === lower(other.oldName))
      return [new RenameModel({ oldName: this.oldName, newName: other.newName })];
    const result = super.reduce(other, appLabel);
    if (result !== false) return result;
    return (
      !other.referencesModel(this.oldName, appLabel) &&
      !other.referencesModel(this.newName, appLabel)
    );
  }
}

/** Renames `app.oldName` in `state`, with every relation pointing at it. */
function renameInState(
  state: ProjectState,
  appLabel: string,
  oldName: string,
  newName: string,
): void {
  const model = state.getModel(appLabel, oldName);
  state.removeModel(model.label);
  state.addModel(model.clone({ name: newName }));
  const oldLabel = `${appLabel}.${oldName}`.toLowerCase();
  const newLabel = `${appLabel}.${newName}`;
  for (const other of [...state.models.values()]) {
    let changed = false;
    const fields = [...other.fields].map(([n, f]) => {
      if (!fieldReferencesModel(f, other.appLabel, oldLabel)) return [n, f] as const;
      const copy = unboundField(f) as unknown as { to: unknown; through?: unknown };
      const relabel = (to: unknown) =>
        relationLabel(to, other.appLabel) === oldLabel ? newLabel : to;
      copy.to = relabel(copy.to);
      if (f instanceof ManyToManyFieldImpl) copy.through = relabel(copy.through);
      changed = true;
      return [n, copy as unknown as Field] as const;
    });
    if (changed) state.replaceModel(other.clone({ fields }));
  }
}

/**
 * Moves a model to another table (`table: null` for the default name).
 *
 * @example
 * ```ts
 * new AlterModelTable({ name: 'Book', table: 'books' });
 * ```
 */
export class AlterModelTable extends ModelOperation {
  readonly name: string;
  readonly table: string | null;
  constructor(args: { name: string; table: string | null }) {
    super();
    this.name = args.name;
    this.table = args.table;
  }
  get modelName(): string {
    return this.name;
  }
  stateForwards(appLabel: string, state: ProjectState): void {
    const model = this.modelState(appLabel, state);
    const { dbTable: _old, ...options } = model.options;
    state.replaceModel(
      model.clone({ options: this.table ? { ...options, dbTable: this.table } : options }),
    );
  }
  async databaseForwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    const oldModel = historicalModel(from, appLabel, this.name);
    const newModel = historicalModel(to, appLabel, this.name);
    if (!this.allowMigrateModel(editor.connection.alias, newModel)) return;
    if (oldModel._meta.dbTable !== newModel._meta.dbTable)
      await editor.renameTable(oldModel._meta.dbTable, newModel._meta.dbTable);
    await syncAutoThroughTables(editor, oldModel, newModel, from, to);
  }
  async databaseBackwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await this.databaseForwards(appLabel, editor, from, to);
  }
  describe(): string {
    return `Rename table for ${this.name} to ${this.table ?? '(default)'}`;
  }
  override get migrationNameFragment(): string {
    return `alter_${lower(this.name)}_table`;
  }
  deconstruct(): DeconstructedOperation {
    return { name: 'AlterModelTable', options: { name: this.name, table: this.table } };
  }
}

/**
 * Changes options that live only in the state (ordering, verbose names…).
 *
 * @example
 * ```ts
 * new AlterModelOptions({ name: 'Book', options: { ordering: ['-publishedDate'] } });
 * ```
 */
export class AlterModelOptions extends ModelOperation {
  readonly name: string;
  readonly options: ModelStateOptions;
  constructor(args: { name: string; options: ModelStateOptions }) {
    super();
    this.name = args.name;
    this.options = args.options;
  }
  get modelName(): string {
    return this.name;
  }
  stateForwards(appLabel: string, state: ProjectState): void {
    const model = this.modelState(appLabel, state);
    const options: Record<string, unknown> = { ...model.options };
    for (const key of ALTER_OPTION_KEYS) delete options[key];
    state.replaceModel(model.clone({ options: { ...options, ...this.options } }));
  }
  async databaseForwards(): Promise<void> {}
  async databaseBackwards(): Promise<void> {}
  describe(): string {
    return `Change Meta options on ${this.name}`;
  }
  override get migrationNameFragment(): string {
    return `alter_${lower(this.name)}_options`;
  }
  deconstruct(): DeconstructedOperation {
    return { name: 'AlterModelOptions', options: { name: this.name, options: this.options } };
  }
  override reduce(other: Operation, appLabel: string): Operation[] | boolean {
    if (
      (other instanceof AlterModelOptions || other instanceof DeleteModel) &&
      lower(other.name) === lower(this.name)
    )
      return [other];
    return super.reduce(other, appLabel);
  }
}

/**
 * Sets `Meta.uniqueTogether`, adding and dropping the unique constraints that differ.
 *
 * @example
 * ```ts
 * new AlterUniqueTogether({ name: 'Review', uniqueTogether: [['book', 'user']] });
 * ```
 */
export class AlterUniqueTogether extends ModelOperation {
  readonly name: string;
  readonly uniqueTogether: readonly (readonly string[])[];
  constructor(args: { name: string; uniqueTogether: readonly (readonly string[])[] }) {
    super();
    this.name = args.name;
    this.uniqueTogether = args.uniqueTogether;
  }
  get modelName(): string {
    return this.name;
  }
  stateForwards(appLabel: string, state: ProjectState): void {
    const model = this.modelState(appLabel, state);
    const { uniqueTogether: _old, ...options } = model.options;
    state.replaceModel(
      model.clone({
        options: this.uniqueTogether.length
          ? { ...options, uniqueTogether: this.uniqueTogether }
          : options,
      }),
    );
  }
  async databaseForwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    const oldModel = historicalModel(from, appLabel, this.name);
    const newModel = historicalModel(to, appLabel, this.name);
    if (!this.allowMigrateModel(editor.connection.alias, newModel)) return;
    const table = newModel._meta.dbTable;
    const before = uniqueTogetherDefs(oldModel);
    const after = uniqueTogetherDefs(newModel);
    for (const c of before)
      if (!after.some((a) => a.name === c.name)) await editor.removeConstraint(table, c);
    for (const c of after)
      if (!before.some((b) => b.name === c.name)) await editor.addConstraint(table, c);
  }
  async databaseBackwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await this.databaseForwards(appLabel, editor, from, to);
  }
  describe(): string {
    return `Alter unique_together for ${this.name} (${this.uniqueTogether.length} constraint(s))`;
  }
  override get migrationNameFragment(): string {
    return `alter_${lower(this.name)}_unique_together`;
  }
  deconstruct(): DeconstructedOperation {
    return {
      name: 'AlterUniqueTogether',
      options: { name: this.name, uniqueTogether: this.uniqueTogether },
    };
  }
}

/** An operation on one index or constraint of a model. */
abstract class IndexOperation extends ModelOperation {
  abstract override readonly modelName: string;
  protected changeOptions(
    appLabel: string,
    state: ProjectState,
    change: (options: ModelStateOptions) => ModelStateOptions,
  ): void {
    const model = this.modelState(appLabel, state);
    state.replaceModel(model.clone({ options: change({ ...model.options }) }));
  }
}

/** What differs between indexes and constraints: where `Meta` lists them, and their DDL. */
export interface MetaItemKind<I extends { name: string }> {
  readonly key: 'indexes' | 'constraints';
  create(editor: BaseDatabaseSchemaEditor, model: HistoricalModel, item: I): Promise<void>;
  drop(editor: BaseDatabaseSchemaEditor, model: HistoricalModel, item: I): Promise<void>;
}

export const INDEXES: MetaItemKind<IndexOptions> = {
  key: 'indexes',
  create: (editor, model, index) =>
    editor.addIndex(model._meta.dbTable, indexDefFor(model, index, editor)),
  drop: (editor, model, index) => editor.removeIndex(model._meta.dbTable, index.name),
};

const CONSTRAINTS: MetaItemKind<ConstraintOptions> = {
  key: 'constraints',
  create: (editor, model, c) =>
    editor.addConstraint(model._meta.dbTable, constraintDefFor(model, c, editor)),
  drop: (editor, model, c) =>
    editor.removeConstraint(model._meta.dbTable, constraintDefFor(model, c, editor)),
};

/** The `Meta` list of `kind` of a model's options. */
function itemsOf<I extends { name: string }>(
  options: ModelStateOptions,
  kind: MetaItemKind<I>,
): readonly I[] {
  return (options[kind.key] ?? []) as unknown as readonly I[];
}

/** Adds `item` to a `Meta` list (indexes or constraints) and creates it. */
abstract class AddMetaItem<I extends { name: string }> extends IndexOperation {
  protected abstract readonly kind: MetaItemKind<I>;
  constructor(
    readonly modelName: string,
    protected readonly item: I,
  ) {
    super();
  }
  stateForwards(appLabel: string, state: ProjectState): void {
    this.changeOptions(appLabel, state, (o) => ({
      ...o,
      [this.kind.key]: [...itemsOf(o, this.kind), this.item],
    }));
  }
  async databaseForwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    _from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    const model = historicalModel(to, appLabel, this.modelName);
    if (this.allowMigrateModel(editor.connection.alias, model))
      await this.kind.create(editor, model, this.item);
  }
  async databaseBackwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    _to?: ProjectState,
  ): Promise<void> {
    const model = historicalModel(from, appLabel, this.modelName);
    if (this.allowMigrateModel(editor.connection.alias, model))
      await this.kind.drop(editor, model, this.item);
  }
  /** Adding then removing the same item is nothing. */
  override reduce(other: Operation, appLabel: string): Operation[] | boolean {
    if (
      other instanceof RemoveMetaItem &&
      other.kind.key === this.kind.key &&
      lower(other.modelName) === lower(this.modelName) &&
      other.name === this.item.name
    )
      return [];
    return super.reduce(other, appLabel);
  }
}

/** Removes an item of a `Meta` list (indexes or constraints) by name, and drops it. */
abstract class RemoveMetaItem<I extends { name: string }> extends IndexOperation {
  abstract readonly kind: MetaItemKind<I>;
  constructor(
    readonly modelName: string,
    readonly name: string,
  ) {
    super();
  }
  stateForwards(appLabel: string, state: ProjectState): void {
    this.changeOptions(appLabel, state, (o) => ({
      ...o,
      [this.kind.key]: itemsOf(o, this.kind).filter((i) => i.name !== this.name),
    }));
  }
  /** The item as `state` declares it. */
  private find(state: ProjectState, appLabel: string): [HistoricalModel, I | undefined] {
    const model = historicalModel(state, appLabel, this.modelName);
    const items = model._meta[this.kind.key] as unknown as readonly I[];
    return [model, items.find((i) => i.name === this.name)];
  }
  async databaseForwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    _to?: ProjectState,
  ): Promise<void> {
    const [model, item] = this.find(from, appLabel);
    if (item && this.allowMigrateModel(editor.connection.alias, model))
      await this.kind.drop(editor, model, item);
  }
  async databaseBackwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    _from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    const [model, item] = this.find(to, appLabel);
    if (item && this.allowMigrateModel(editor.connection.alias, model))
      await this.kind.create(editor, model, item);
  }
  override get migrationNameFragment(): string {
    return `remove_${lower(this.modelName)}_${lower(this.name)}`;
  }
  deconstruct(): DeconstructedOperation {
    return { name: this.constructor.name, options: { modelName: this.modelName, name: this.name } };
  }
}

/**
 * Adds an index declared in `Meta.indexes`.
 *
 * @example
 * ```ts
 * new AddIndex({ modelName: 'Book', index: { name: 'book_title_idx', fields: ['title'] } });
 * ```
 */
export class AddIndex extends AddMetaItem<IndexOptions> {
  protected readonly kind = INDEXES;
  constructor(args: { modelName: string; index: IndexOptions }) {
    super(args.modelName, args.index);
  }
  get index(): IndexOptions {
    return this.item;
  }
  describe(): string {
    return `Create index ${this.index.name} on field(s) ${this.index.fields.join(', ')} of model ${this.modelName}`;
  }
  override get migrationNameFragment(): string {
    return lower(this.index.name);
  }
  deconstruct(): DeconstructedOperation {
    return {
      name: this.constructor.name,
      options: { modelName: this.modelName, index: this.index },
    };
  }
}

/**
 * Drops an index declared in `Meta.indexes`, by name.
 *
 * @example
 * ```ts
 * new RemoveIndex({ modelName: 'Book', name: 'book_title_idx' });
 * ```
 */
export class RemoveIndex extends RemoveMetaItem<IndexOptions> {
  readonly kind = INDEXES;
  constructor(args: { modelName: string; name: string }) {
    super(args.modelName, args.name);
  }
  describe(): string {
    return `Remove index ${this.name} from ${this.modelName}`;
  }
}

/**
 * Renames an index.
 *
 * @example
 * ```ts
 * new RenameIndex({ modelName: 'Book', oldName: 'book_t_idx', newName: 'book_title_idx' });
 * ```
 */
export class RenameIndex extends IndexOperation {
  readonly modelName: string;
  readonly oldName: string;
  readonly newName: string;
  constructor(args: { modelName: string; oldName: string; newName: string }) {
    super();
    this.modelName = args.modelName;
    this.oldName = args.oldName;
    this.newName = args.newName;
  }
  stateForwards(appLabel: string, state: ProjectState): void {
    this.changeOptions(appLabel, state, (o) => ({
      ...o,
      indexes: (o.indexes ?? []).map((i) =>
        i.name === this.oldName ? { ...i, name: this.newName } : i,
      ),
    }));
  }
  async databaseForwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    _from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    const model = historicalModel(to, appLabel, this.modelName);
    if (this.allowMigrateModel(editor.connection.alias, model))
      await editor.renameIndex(model._meta.dbTable, this.oldName, this.newName);
  }
  async databaseBackwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    _to?: ProjectState,
  ): Promise<void> {
    const model = historicalModel(from, appLabel, this.modelName);
    if (this.allowMigrateModel(editor.connection.alias, model))
      await editor.renameIndex(model._meta.dbTable, this.newName, this.oldName);
  }
  describe(): string {
    return `Rename index ${this.oldName} on ${this.modelName} to ${this.newName}`;
  }
  override get migrationNameFragment(): string {
    return `rename_${lower(this.oldName)}_${lower(this.newName)}`;
  }
  deconstruct(): DeconstructedOperation {
    return {
      name: 'RenameIndex',
      options: { modelName: this.modelName, oldName: this.oldName, newName: this.newName },
    };
  }
}

/**
 * Adds a constraint declared in `Meta.constraints` (unique or check).
 *
 * @example
 * ```ts
 * new AddConstraint({
 *   modelName: 'Book',
 *   constraint: { kind: 'check', name: 'book_rating_gte_0', check: { rating__gte: 0 } },
 * });
 * ```
 */
export class AddConstraint extends AddMetaItem<ConstraintOptions> {
  protected readonly kind = CONSTRAINTS;
  constructor(args: { modelName: string; constraint: ConstraintOptions }) {
    super(args.modelName, args.constraint);
  }
  get constraint(): ConstraintOptions {
    return this.item;
  }
  describe(): string {
    return `Create constraint ${this.constraint.name} on model ${this.modelName}`;
  }
  override get migrationNameFragment(): string {
    return `${lower(this.modelName)}_${lower(this.constraint.name)}`;
  }
  deconstruct(): DeconstructedOperation {
    return {
      name: 'AddConstraint',
      options: { modelName: this.modelName, constraint: this.constraint },
    };
  }
}

/**
 * Drops a constraint declared in `Meta.constraints`, by name.
 *
 * @example
 * ```ts
 * new RemoveConstraint({ modelName: 'Book', name: 'book_rating_gte_0' });
 * ```
 */
export class RemoveConstraint extends RemoveMetaItem<ConstraintOptions> {
  readonly kind = CONSTRAINTS;
  constructor(args: { modelName: string; name: string }) {
    super(args.modelName, args.name);
  }
  describe(): string {
    return `Remove constraint ${this.name} from model ${this.modelName}`;
  }
}

function hasKeys(o: object): boolean {
  return Object.keys(o).length > 0;
}
