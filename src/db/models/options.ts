/**
 * A model's metadata (Django's `Model._meta`): labels, table, ordering,
 * indexes and constraints, and its fields in declaration order.
 */
import { FieldError } from '../../core/exceptions.js';
import type { Field } from './fields/field.js';
import { snakeCase } from './fields/names.js';
import { AutoFieldImpl } from './fields/numeric.js';
import { ForeignKeyImpl, ManyToManyFieldImpl } from './fields/related.js';
import type { ForeignObjectRel } from './reverse.js';
import type { OrderBy, QNode } from './expressions.js';

/** An index declared in `Meta` (Django's `models.Index`). */
export interface IndexOptions {
  /** Field names; a leading `-` sorts that column descending. */
  fields: readonly string[];
  name: string;
  /** A partial-index condition, as a lookup dictionary (compiled per backend). */
  condition?: Readonly<Record<string, unknown>> | QNode;
}

/** A constraint declared in `Meta`. */
export type ConstraintOptions =
  | {
      kind: 'unique';
      fields: readonly string[];
      name: string;
      condition?: Readonly<Record<string, unknown>> | QNode;
    }
  | { kind: 'check'; name: string; check: Readonly<Record<string, unknown>> | QNode };

/** What `Model(fields, meta)` accepts (Django's `class Meta`). */
export interface MetaOptions {
  /** The app this model belongs to (default: the app it is registered with). */
  appLabel?: string;
  /** The table name (default `<appLabel>_<modelname>`). */
  dbTable?: string;
  /** Default ordering: field names, `-` for descending, `?` for random. */
  ordering?: readonly (string | OrderBy)[];
  indexes?: readonly IndexOptions[];
  constraints?: readonly ConstraintOptions[];
  uniqueTogether?: readonly (readonly string[])[];
  verboseName?: string;
  verboseNamePlural?: string;
  /** The field `latest()`/`earliest()` use by default. */
  getLatestBy?: string;
  /** Whether the table is managed by migrations (default true). */
  managed?: boolean;
  /**
   * An abstract base model: no table, no queries; models made with its
   * `extend()` get its fields, methods and (unless they override them) its options.
   */
  abstract?: boolean;
  /** The name of the default manager (default `objects`). */
  defaultManagerName?: string;
  /**
   * The setting that can replace this model (Django's `swappable`, e.g.
   * `'authUserModel'` on `auth.User`): when the setting names another model,
   * migrations leave this one's table alone.
   */
  swappable?: string;
  /**
   * The registry the model belongs to (default: the global `apps`).
   * Migrations build historical models in a registry of their own.
   */
  apps?: AppsLike;
}

/** What `Options` needs of a registry (see `Apps` in registry.ts). */
export interface AppsLike {
  add(model: any): void;
  lazyModel(label: string, fn: (model: any) => void): void;
}

/** The model class as `Options` sees it. */
export interface OptionsOwner {
  readonly name: string;
}

export class Options {
  readonly appLabel: string;
  /** The class name: `Book`. */
  readonly objectName: string;
  /** The lower-cased name: `book`. */
  readonly modelName: string;
  readonly dbTable: string;
  readonly ordering: readonly (string | OrderBy)[];
  readonly indexes: readonly IndexOptions[];
  readonly constraints: readonly ConstraintOptions[];
  readonly uniqueTogether: readonly (readonly string[])[];
  readonly verboseName: string;
  readonly verboseNamePlural: string;
  readonly getLatestBy: string | undefined;
  readonly managed: boolean;
  /** The setting that can replace this model, if any. */
  readonly swappable: string | undefined;
  /** The registry holding this model: the global `apps`, or a migration state's. */
  readonly apps: AppsLike | undefined;
  /** Forward fields (columns and many-to-many), in declaration order, the primary key first. */
  readonly fields: readonly Field[];
  /** Fields with a column in this table. */
  readonly concreteFields: readonly Field[];
  /** Many-to-many fields. */
  readonly manyToMany: readonly ManyToManyFieldImpl[];
  readonly pk: Field;
  /** Reverse relations pointing at this model, added as other models are prepared. */
  readonly relatedObjects: ForeignObjectRel[] = [];
  private readonly byName = new Map<string, Field>();
  private readonly byAttname = new Map<string, Field>();

  constructor(
    readonly model: OptionsOwner,
    appLabel: string,
    declared: Readonly<Record<string, Field>>,
    meta: MetaOptions,
  ) {
    this.appLabel = appLabel;
    this.objectName = model.name;
    this.modelName = model.name.toLowerCase();
    this.dbTable = meta.dbTable ?? `${appLabel}_${this.modelName}`;
    this.ordering = meta.ordering ?? [];
    this.indexes = meta.indexes ?? [];
    this.constraints = meta.constraints ?? [];
    this.uniqueTogether = meta.uniqueTogether ?? [];
    this.verboseName = meta.verboseName ?? snakeCase(model.name).replace(/_/g, ' ');
    this.verboseNamePlural = meta.verboseNamePlural ?? `${this.verboseName}s`;
    this.getLatestBy = meta.getLatestBy;
    this.managed = meta.managed ?? true;
    this.apps = meta.apps;
    this.swappable = meta.swappable;

    const entries = Object.entries(declared).sort(
      ([, a], [, b]) => a.creationCounter - b.creationCounter,
    );
    const fields: Field[] = [];
    let pk = entries.find(([, f]) => f.primaryKey)?.[1];
    if (!pk) {
      pk = new AutoFieldImpl('BigAutoField');
      pk.autoCreated = true;
      pk.contribute(model, 'id');
      fields.push(pk);
    }
    for (const [name, declaredField] of entries) {
      // A field object may be shared (spread from a mixin): each model gets its own copy.
      const field = declaredField.model ? cloneField(declaredField) : declaredField;
      field.contribute(model, name);
      fields.push(field);
      if (field.primaryKey) pk = field;
    }
    this.pk = pk;
    this.fields = fields;
    this.concreteFields = fields.filter((f) => f.concrete);
    this.manyToMany = fields.filter(
      (f): f is ManyToManyFieldImpl => f instanceof ManyToManyFieldImpl,
    );
    for (const f of fields) {
      this.byName.set(f.name, f);
      this.byAttname.set(f.attname, f);
    }
  }

  /** `library.Book`. */
  get label(): string {
    return `${this.appLabel}.${this.objectName}`;
  }

  /** `library.book`. */
  get labelLower(): string {
    return `${this.appLabel}.${this.modelName}`;
  }

  /** Foreign keys and one-to-one fields of this model. */
  get foreignKeys(): ForeignKeyImpl[] {
    return this.fields.filter((f): f is ForeignKeyImpl => f instanceof ForeignKeyImpl);
  }

  /** The field named `name` (or whose attname is `name`), or undefined. */
  findField(name: string): Field | undefined {
    if (name === 'pk') return this.pk;
    return this.byName.get(name) ?? this.byAttname.get(name);
  }

  /** The reverse relation whose query name is `name`, or undefined. */
  findRelatedObject(name: string): ForeignObjectRel | undefined {
    return this.relatedObjects.find((r) => r.queryName === name);
  }

  /**
   * The field named `name`, or a `FieldError` with Django's wording:
   * `Book has no field named 'nmae'`.
   */
  getField(name: string): Field {
    const field = this.findField(name);
    if (!field) throw new FieldError(`${this.objectName} has no field named '${name}'`);
    return field;
  }

  /** Every name a lookup may start with, sorted (for "Choices are: …" messages). */
  lookupChoices(): string[] {
    const names = new Set<string>(['pk']);
    for (const f of this.fields) {
      names.add(f.name);
      if (f.attname !== f.name) names.add(f.attname);
    }
    for (const r of this.relatedObjects) if (!r.queryName.endsWith('+')) names.add(r.queryName);
    names.delete('pk');
    return [...names].sort();
  }
}

function cloneField(field: Field): Field {
  const copy = Object.create(Object.getPrototypeOf(field) as object) as Field;
  Object.assign(copy, field);
  copy.model = undefined;
  return copy;
}
