/**
 * The project state that migrations describe (Django's `ProjectState` and
 * `ModelState`): each model's fields (unbound field objects, as declared) and
 * the options that matter to migrations. A state is compared (the
 * autodetector) through its deconstruction into plain data, written out (the
 * writer), and rendered into historical model classes in a registry of its
 * own (what `RunCode` receives and what the operations build tables from).
 */
import { FieldRef, OrderBy, QNode } from '../models/expressions.js';
import type { Field } from '../models/fields/field.js';
import { ForeignKeyImpl, ManyToManyFieldImpl } from '../models/fields/related.js';
import type { MetaOptions, Options } from '../models/options.js';
import { type Apps, LookupError } from '../models/registry.js';
import { renderModels } from './render.js';

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
function targetLabel(
  field: ForeignKeyImpl | ManyToManyFieldImpl,
  appLabel: string,
  modelName?: string,
): string {
  const resolved = field.relatedModel as unknown as { _meta?: Options } | undefined;
  if (resolved?._meta) return resolved._meta.label;
  const to = field.to;
  if (to === 'self') return modelName ? `${appLabel}.${modelName}` : 'self';
  if (typeof to === 'string') return to.includes('.') ? to : `${appLabel}.${to}`;
  if (typeof to === 'function') {
    // A model class, or a thunk returning one (`() => Author`).
    const target = ('_declaredFields' in to ? to : (to as () => unknown)()) as {
      _meta?: Options;
    };
    if (target?._meta) return target._meta.label;
  }
  return '?';
}

/** The `through` model's label, when one was declared. */
function throughLabel(field: ManyToManyFieldImpl, appLabel: string): string | undefined {
  const through = field.through as unknown;
  if (through === undefined || through === null) return undefined;
  if (typeof through === 'string')
    return through.includes('.') ? through : `${appLabel}.${through}`;
  if (typeof through === 'function') {
    const model = ('_declaredFields' in through ? through : (through as () => unknown)()) as {
      _meta?: Options;
    };
    if (model?._meta) return model._meta.label;
  }
  return undefined;
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
export function deconstructField(
  field: Field,
  appLabel = '',
  modelName?: string,
): DeconstructedField {
  const options: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(field.declaredOptions)) {
    if (IGNORED.has(name) || value === undefined) continue;
    options[name] = plainValue(value);
  }
  if (field instanceof ForeignKeyImpl) {
    options.to = targetLabel(field, appLabel, modelName);
    options.onDelete = field.onDelete.name;
    // A foreign key is indexed by default: only the opposite is worth writing.
    if (options.dbIndex === true) delete options.dbIndex;
  }
  if (field instanceof ManyToManyFieldImpl) {
    options.to = targetLabel(field, appLabel, modelName);
    const through = throughLabel(field, appLabel);
    if (through) options.through = through;
    else delete options.through;
  }
  return { type: fieldType(field), options };
}

/** The factory a field is made by (`ForeignKey`, `CharField`…), as a migration file names it. */
export function fieldType(field: Field): string {
  if (field instanceof ForeignKeyImpl) return field.oneToOne ? 'OneToOneField' : 'ForeignKey';
  if (field instanceof ManyToManyFieldImpl) return 'ManyToManyField';
  return field.internalType;
}

/**
 * The model options a migration state keeps (Django's `ModelState.options`):
 * only those declared, so that a default (the table name) follows renames.
 */
export type ModelStateOptions = Omit<MetaOptions, 'apps' | 'abstract' | 'appLabel'>;

/** Options `AlterModelOptions` changes (Django's `ALTER_OPTION_KEYS`). */
export const ALTER_OPTION_KEYS = [
  'ordering',
  'verboseName',
  'verboseNamePlural',
  'getLatestBy',
  'managed',
  'defaultManagerName',
] as const satisfies readonly (keyof ModelStateOptions)[];

/** The options of a model that matter to migrations, in plain values. */
export interface ModelOptionsState {
  readonly dbTable: string;
  readonly ordering: readonly unknown[];
  readonly indexes: readonly unknown[];
  readonly constraints: readonly unknown[];
  readonly uniqueTogether: readonly (readonly string[])[];
  readonly managed: boolean;
  readonly verboseName: string | null;
  readonly verboseNamePlural: string | null;
}

/** Copies a field so that a state owns it: unbound, its relation unresolved. */
export function unboundField(field: Field): Field {
  const copy = Object.create(Object.getPrototypeOf(field) as object) as Field;
  Object.assign(copy, field);
  const raw = copy as unknown as Record<string, unknown>;
  raw.model = undefined;
  if (field instanceof ForeignKeyImpl || field instanceof ManyToManyFieldImpl) {
    raw.relatedModel = undefined;
    raw.targetField = undefined;
    raw.throughModel = undefined;
  }
  return copy;
}

/** One model as a migration state sees it. */
export class ModelState {
  /** Fields in order, by name. */
  readonly fields: Map<string, Field>;

  constructor(
    readonly appLabel: string,
    readonly name: string,
    fields: Iterable<readonly [string, Field]>,
    readonly options: ModelStateOptions = {},
  ) {
    this.fields = new Map(fields);
  }

  /** `app.Model`. */
  get label(): string {
    return `${this.appLabel}.${this.name}`;
  }

  /** `app.model`, the key of the state's map. */
  get labelLower(): string {
    return this.label.toLowerCase();
  }

  /** The table: declared, or Django's default `<app>_<model>`. */
  get dbTable(): string {
    return this.options.dbTable ?? `${this.appLabel}_${this.name.toLowerCase()}`;
  }

  /** The state of a model class. */
  static fromModel(model: { readonly name: string; readonly _meta: Options }): ModelState {
    const opts = model._meta;
    const declared = (model as unknown as { _metaOptions?: MetaOptions })._metaOptions ?? {};
    const { apps: _apps, abstract: _abstract, appLabel: _appLabel, ...options } = declared;
    const fields = opts.fields
      .filter((f) => !f.autoCreated || f.primaryKey)
      .map((f) => {
        const copy = unboundField(f);
        // Relations are kept by label: the state never holds a model class.
        if (f instanceof ForeignKeyImpl || f instanceof ManyToManyFieldImpl) {
          const d = deconstructField(f, opts.appLabel);
          (copy as unknown as { to: string }).to = d.options.to as string;
          if (f instanceof ManyToManyFieldImpl)
            (copy as unknown as { through: string | undefined }).through = d.options.through as
              string | undefined;
        }
        return [f.name, copy] as const;
      });
    return new ModelState(opts.appLabel, model.name, fields, options);
  }

  /** A field, by name. */
  field(name: string): Field | undefined {
    return this.fields.get(name);
  }

  /** A field as data, by name. */
  deconstructField(name: string): DeconstructedField | undefined {
    const f = this.fields.get(name);
    return f && deconstructField(f, this.appLabel, this.name);
  }

  /** Everything about the model as plain data (what two states are compared by). */
  deconstruct(): {
    fields: [string, DeconstructedField][];
    options: Record<string, unknown>;
  } {
    return {
      fields: [...this.fields].map(([n, f]) => [n, deconstructField(f, this.appLabel, this.name)]),
      options: plainValue(this.options) as Record<string, unknown>,
    };
  }

  /** The options as data, with their defaults (the table, ordering…). */
  get optionsState(): ModelOptionsState {
    const o = this.options;
    return {
      dbTable: this.dbTable,
      ordering: (o.ordering ?? []).map(plainValue),
      indexes: (o.indexes ?? []).map(plainValue),
      constraints: (o.constraints ?? []).map(plainValue),
      uniqueTogether: o.uniqueTogether ?? [],
      managed: o.managed ?? true,
      verboseName: o.verboseName ?? null,
      verboseNamePlural: o.verboseNamePlural ?? null,
    };
  }

  /** A copy with other fields or options (fields are copied, so the copy owns them). */
  clone(
    changes: {
      name?: string;
      fields?: Iterable<readonly [string, Field]>;
      options?: ModelStateOptions;
    } = {},
  ): ModelState {
    return new ModelState(
      this.appLabel,
      changes.name ?? this.name,
      changes.fields ?? this.fields,
      changes.options ?? { ...this.options },
    );
  }
}

/** Every model of a project, as a migration state. */
export class ProjectState {
  readonly models = new Map<string, ModelState>();
  private rendered: Apps | null = null;

  /** The state of registered models (all, or those of `appLabels`); automatic through models are left out. */
  static fromApps(
    registry: { getModels(): readonly { readonly name: string; readonly _meta: Options }[] },
    appLabels?: readonly string[],
  ): ProjectState {
    const state = new ProjectState();
    const models = registry.getModels();
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
    this.models.set(model.labelLower, model);
    this.rendered = null;
  }

  removeModel(label: string): void {
    this.models.delete(label.toLowerCase());
    this.rendered = null;
  }

  /** Replaces a model's state (after an operation changed it). */
  replaceModel(model: ModelState): void {
    this.addModel(model);
  }

  /** A model's state, by `app.Model` label (case-insensitive, as Django's). */
  model(label: string): ModelState | undefined {
    return this.models.get(label.toLowerCase());
  }

  /** A model's state, or Django's error when the state has no such model. */
  getModel(appLabel: string, name: string): ModelState {
    const found = this.model(`${appLabel}.${name}`);
    if (!found)
      throw new LookupError(
        `App '${appLabel}' doesn't have a '${name}' model in this migration state.`,
      );
    return found;
  }

  clone(): ProjectState {
    const copy = new ProjectState();
    for (const [k, v] of this.models) copy.models.set(k, v);
    return copy;
  }

  /**
   * The historical models of this state, in a registry of their own (what
   * `RunCode` receives as `apps`); rendered on first use after a change.
   */
  get apps(): Apps {
    return (this.rendered ??= renderModels(this.models.values()));
  }
}
