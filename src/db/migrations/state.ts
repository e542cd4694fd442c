/**
 * The project state that migrations describe (Django's `ProjectState` and
 * `ModelState`): each model as data — its fields deconstructed into a type
 * and plain options, and the options that matter to migrations — so that two
 * states can be compared (the autodetector) and written out (the writer).
 */
import { FieldRef, OrderBy, QNode } from '../models/expressions.js';
import type { Field } from '../models/fields/field.js';
import { ForeignKeyImpl, ManyToManyFieldImpl } from '../models/fields/related.js';
import type { Options } from '../models/options.js';

/** A field as data: its type and the options it was declared with, in plain values. */
export interface DeconstructedField {
  readonly type: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/** Options that are not about the schema or the state (Django leaves validators out too). */
const IGNORED = new Set(['validators', 'errorMessages']);

/** A value as plain data (JSON-able), for comparison and writing. */
export function plainValue(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (['string', 'number', 'boolean'].includes(typeof value)) return value;
  if (typeof value === 'bigint') return { bigint: value.toString() };
  if (typeof value === 'function') {
    const label = (value as { _meta?: Options })._meta?.label;
    return label ? { model: label } : { callable: value.name || 'anonymous' };
  }
  if (Array.isArray(value)) return value.map(plainValue);
  if (value instanceof Date) return { date: value.toISOString() };
  if (value instanceof FieldRef) return { F: value.name };
  if (value instanceof OrderBy)
    return {
      orderBy: plainValue(value.expression),
      descending: value.descending,
      ...value.options,
    };
  if (value instanceof QNode)
    return {
      Q: value.children.map((c) => (c instanceof QNode ? plainValue(c) : [c[0], plainValue(c[1])])),
      connector: value.connector,
      negated: value.negated,
    };
  if (Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plainValue(v);
    return out;
  }
  return { value: String(value) };
}

/** The model label a relation points at (`library.Author`), from a class, a thunk or a label. */
function targetLabel(field: ForeignKeyImpl | ManyToManyFieldImpl, appLabel: string): string {
  const resolved = field.relatedModel as unknown as { _meta?: Options } | undefined;
  if (resolved?._meta) return resolved._meta.label;
  const to = field.to;
  if (to === 'self') return 'self';
  if (typeof to === 'string') return to.includes('.') ? to : `${appLabel}.${to}`;
  return '?';
}

/**
 * A field as data (Django's `Field.deconstruct()`): relations name their
 * target by label and `onDelete` by name.
 *
 * @example
 * ```ts
 * deconstructField(CharField({ maxLength: 100 })); // { type: 'CharField', options: { maxLength: 100 } }
 * ```
 */
export function deconstructField(field: Field, appLabel = ''): DeconstructedField {
  const options: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(field.declaredOptions)) {
    if (IGNORED.has(name) || value === undefined) continue;
    options[name] = plainValue(value);
  }
  if (field instanceof ForeignKeyImpl) {
    options.to = targetLabel(field, appLabel);
    options.onDelete = field.onDelete.name;
    // A foreign key is indexed by default: only the opposite is worth writing.
    if (options.dbIndex === true) delete options.dbIndex;
  }
  if (field instanceof ManyToManyFieldImpl) {
    options.to = targetLabel(field, appLabel);
    if (field.through) options.through = plainValue(field.through);
  }
  // Relations are named by what they are, not by their column's type.
  const type =
    field instanceof ForeignKeyImpl
      ? field.oneToOne
        ? 'OneToOneField'
        : 'ForeignKey'
      : field instanceof ManyToManyFieldImpl
        ? 'ManyToManyField'
        : field.internalType;
  return { type, options };
}

/** The options of a model that matter to migrations. */
export interface ModelOptionsState {
  readonly dbTable: string;
  readonly ordering: readonly unknown[];
  readonly indexes: readonly unknown[];
  readonly constraints: readonly unknown[];
  readonly uniqueTogether: readonly (readonly string[])[];
  readonly managed: boolean;
  readonly verboseName: string;
  readonly verboseNamePlural: string;
}

/** One model as data. */
export class ModelState {
  constructor(
    readonly appLabel: string,
    readonly name: string,
    /** Fields in declaration order. */
    readonly fields: readonly (readonly [string, DeconstructedField])[],
    readonly options: ModelOptionsState,
  ) {}

  /** `app.Model`. */
  get label(): string {
    return `${this.appLabel}.${this.name}`;
  }

  /** The state of a model class. */
  static fromModel(model: { readonly name: string; readonly _meta: Options }): ModelState {
    const opts = model._meta;
    const fields = opts.fields
      .filter((f) => !f.autoCreated || f.primaryKey)
      .map((f) => [f.name, deconstructField(f, opts.appLabel)] as const);
    return new ModelState(opts.appLabel, model.name, fields, {
      dbTable: opts.dbTable,
      ordering: opts.ordering.map(plainValue),
      indexes: opts.indexes.map(plainValue),
      constraints: opts.constraints.map(plainValue),
      uniqueTogether: opts.uniqueTogether,
      managed: opts.managed,
      verboseName: opts.verboseName,
      verboseNamePlural: opts.verboseNamePlural,
    });
  }

  /** A field's state, by name. */
  field(name: string): DeconstructedField | undefined {
    return this.fields.find(([n]) => n === name)?.[1];
  }
}

/** Every model of a project, as data. */
export class ProjectState {
  readonly models = new Map<string, ModelState>();

  /** The state of registered models (all, or those of `appLabels`); automatic through models are left out. */
  static fromApps(
    apps: { getModels(): readonly { readonly name: string; readonly _meta: Options }[] },
    appLabels?: readonly string[],
  ): ProjectState {
    const state = new ProjectState();
    const models = apps.getModels();
    // Tables Reinhardt makes for many-to-many fields without `through`: the field describes them.
    const automatic = new Set<unknown>();
    for (const model of models)
      for (const field of model._meta.manyToMany)
        if (!field.through) automatic.add(field.throughModel);
    for (const model of models) {
      const opts = model._meta;
      if (appLabels && !appLabels.includes(opts.appLabel)) continue;
      if (automatic.has(model)) continue;
      state.addModel(ModelState.fromModel(model));
    }
    return state;
  }

  addModel(model: ModelState): void {
    this.models.set(model.label.toLowerCase(), model);
  }

  removeModel(label: string): void {
    this.models.delete(label.toLowerCase());
  }

  /** A model's state, by `app.Model` label (case-insensitive, as Django's). */
  model(label: string): ModelState | undefined {
    return this.models.get(label.toLowerCase());
  }

  clone(): ProjectState {
    const copy = new ProjectState();
    for (const [k, v] of this.models) copy.models.set(k, v);
    return copy;
  }
}
