/**
 * Models (Django's `Model`): `class Book extends Model({ …fields }, { …meta }) { …methods }`.
 * TypeScript infers the instance type from the field declarations; methods
 * and getters live on the class as in Django. Relations never load behind
 * your back: reading one that was not loaded throws `RelationNotLoaded`
 * naming the fix.
 */
import {
  ImproperlyConfigured,
  MultipleObjectsReturned as BaseMultipleObjectsReturned,
  ObjectDoesNotExist,
  ReinhardtError,
  ValidationError,
  ValueError,
  type ValidationMessage,
} from '../../core/exceptions.js';
import { connections, router } from '../connections.js';
import { DatabaseError } from '../errors.js';
import type { Field } from './fields/field.js';
import { capfirst } from './fields/names.js';
import {
  effectiveFetchMode,
  fetchDeferredFields,
  FetchModeError,
  inheritFetchMode,
  recordSingleFetch,
} from './fetch-modes.js';
import { prefetchLookups } from './prefetch.js';
import { ForeignKeyImpl, ManyToManyFieldImpl, type RelatedModelClass } from './fields/related.js';
import { ModelState } from './hydrate.js';
import { Manager } from './manager.js';
import { Options, type MetaOptions } from './options.js';
import { apps, registeredAppLabel } from './registry.js';
import { compileInsert } from './sql/compiler.js';
import type { CreateInput, FieldsSpec, InstanceOf } from './types.js';
import { prepareRelations, setNotLoadedError, setThroughModelFactory } from './relations.js';
import { postSave, preSave } from './signals.js';

/** Reading a relation that was not loaded. */
export class RelationNotLoaded extends ReinhardtError {
  override readonly code: string = 'relation_not_loaded';
}

/** Options of `save()`. */
export interface SaveOptions {
  using?: string;
  forceInsert?: boolean;
  forceUpdate?: boolean;
  /** Only these fields are written (an UPDATE of those columns). */
  updateFields?: readonly string[];
}

const META = Symbol('reinhardt.meta');
const PREPARING = Symbol('reinhardt.preparing');

/** The static side every model class has. */
export interface ModelClass<T = ModelRoot> {
  new (values?: any): T;
  readonly name: string;
  readonly prototype: object;
  readonly _meta: Options;
  readonly objects: Manager<T>;
  readonly DoesNotExist: typeof ObjectDoesNotExist;
  readonly MultipleObjectsReturned: typeof BaseMultipleObjectsReturned;
}

/** The root of every model class; use {@link Model} to declare one. */
export abstract class ModelRoot {
  /** @internal Field declarations of the class built by `Model()`. */
  static _declaredFields: FieldsSpec = {};
  /** @internal Meta options of the class built by `Model()`. */
  static _metaOptions: MetaOptions = {};

  /** Per-instance state: the database and whether the row exists yet. */
  declare _state: ModelState;

  constructor(values: Record<string, unknown> = {}) {
    const model = this.constructor as unknown as ModelClass;
    const opts = model._meta;
    Object.defineProperty(this, '_state', {
      value: new ModelState(),
      enumerable: false,
      writable: true,
    });
    const given = new Set(Object.keys(values));
    for (const field of opts.fields) {
      if (field instanceof ManyToManyFieldImpl) {
        if (given.has(field.name)) {
          throw new TypeError(
            `Direct assignment to the forward side of a many-to-many set is prohibited. Use ${field.name}.set() instead.`,
          );
        }
        continue;
      }
      given.delete(field.name);
      given.delete(field.attname);
      if (field instanceof ForeignKeyImpl && field.name in values) {
        (this as Record<string, unknown>)[field.name] = values[field.name];
        continue;
      }
      const raw =
        field.attname in values
          ? values[field.attname]
          : field.name in values
            ? values[field.name]
            : undefined;
      (this as Record<string, unknown>)[field.attname] =
        raw !== undefined ? raw : emptyDefault(field);
    }
    if ('pk' in values) {
      given.delete('pk');
      (this as Record<string, unknown>)[opts.pk.attname] = values.pk;
    }
    if (given.size) {
      throw new TypeError(
        `${model.name}() got unexpected keyword arguments: ${[...given].map((k) => `'${k}'`).join(', ')}`,
      );
    }
  }

  /** The model's metadata (Django's `_meta`), built on first use. */
  static get _meta(): Options {
    if (Object.hasOwn(this, META)) return (this as unknown as Record<symbol, Options>)[META]!;
    return prepareModel(this as unknown as ModelClass);
  }

  /** The default manager, `objects`. */
  static get objects(): Manager<any> {
    const self = this as unknown as ModelClass & Record<string, unknown>;
    void self._meta;
    return (self as unknown as Record<symbol, Manager<unknown>>)[DEFAULT_MANAGER]!;
  }

  /** The primary key's value (whatever the field is called). */
  get pk(): any {
    return (this as Record<string, unknown>)[
      (this.constructor as unknown as ModelClass)._meta.pk.attname
    ];
  }
  set pk(value: unknown) {
    (this as Record<string, unknown>)[
      (this.constructor as unknown as ModelClass)._meta.pk.attname
    ] = value;
  }

  /** `Book object (1)`, as Django's default `__str__`. */
  toString(): string {
    return `${this.constructor.name} object (${String(this.pk ?? 'None')})`;
  }

  /** The concrete field values by attribute name (for JSON). */
  toJSON(): Record<string, unknown> {
    const opts = (this.constructor as unknown as ModelClass)._meta;
    const out: Record<string, unknown> = {};
    for (const f of opts.concreteFields) {
      if (!this._state.deferred?.has(f.name))
        out[f.attname] = (this as Record<string, unknown>)[f.attname];
    }
    return out;
  }

  /**
   * Inserts or updates the row (Django's `save`): an UPDATE when the primary
   * key is set and the row exists, an INSERT otherwise.
   */
  async save(options: SaveOptions = {}): Promise<void> {
    const model = this.constructor as unknown as ModelClass;
    const opts = model._meta;
    const self = this as unknown as Record<string, unknown>;
    if (options.forceInsert && (options.forceUpdate || options.updateFields)) {
      throw new ValueError('Cannot force both insert and updating in model saving.');
    }
    let fields = opts.concreteFields;
    if (options.updateFields) {
      if (options.updateFields.length === 0) return;
      const unknown = options.updateFields.filter((n) => {
        const f = opts.findField(n);
        return !f || !f.concrete || f.primaryKey;
      });
      if (unknown.length) {
        throw new ValueError(
          `The following fields do not exist in this model, are m2m fields, or are non-concrete fields: ${unknown.join(', ')}`,
        );
      }
      const names = new Set(options.updateFields.map((n) => opts.findField(n)!.name));
      fields = fields.filter((f) => names.has(f.name));
    } else if (this._state.deferred?.size) {
      // As in Django: an instance loaded with only()/defer() saves the fields it has.
      const deferred = this._state.deferred;
      fields = fields.filter(
        (f) => !deferred.has(f.name) || Object.getOwnPropertyDescriptor(this, f.attname)?.writable,
      );
    }
    for (const fk of opts.foreignKeys) {
      const cached = this._state.cache.get(fk.name) as ModelRoot | null | undefined;
      if (cached && cached.pk == null) {
        throw new ValueError(
          `save() prohibited to prevent data loss due to unsaved related object '${fk.name}'.`,
        );
      }
      if (cached && self[fk.attname] !== cached.pk)
        self[fk.attname] = (cached as unknown as Record<string, unknown>)[fk.targetField!.attname];
    }
    const alias = options.using ?? router.dbForWrite(model, { instance: this });
    const connection = connections.get(alias);
    const updateFields = options.updateFields ? new Set(options.updateFields) : null;
    if (preSave.hasListeners(model))
      await preSave.send(model, { instance: this, raw: false, using: alias, updateFields });
    const adding = this._state.adding;
    const pk = opts.pk;
    const pkValue = self[pk.attname];
    const q = (n: string) => connection.ops.quoteName(n);
    let updated = false;
    if (pkValue != null && !options.forceInsert && !(adding && pk.hasDefault)) {
      const updates = fields.filter((f) => !f.primaryKey);
      if (updates.length) {
        const params = updates.map((f) => f.toDb(f.preSave(self, false) as never, connection));
        params.push(pk.toDb(pkValue as never, connection));
        let i = 0;
        const set = updates
          .map((f) => `${q(f.column)} = ${connection.ops.placeholder(++i)}`)
          .join(', ');
        const sql = `UPDATE ${q(opts.dbTable)} SET ${set} WHERE ${q(pk.column)} = ${connection.ops.placeholder(++i)}`;
        updated = (await connection.run(sql, params)).rowCount > 0;
      } else {
        const { rows } = await connection.run(
          `SELECT 1 FROM ${q(opts.dbTable)} WHERE ${q(pk.column)} = ${connection.ops.placeholder(1)}`,
          [pk.toDb(pkValue as never, connection)],
        );
        updated = rows.length > 0;
      }
      if (options.forceUpdate && !updated)
        throw new DatabaseError('Forced update did not affect any rows.');
      if (options.updateFields && !updated)
        throw new DatabaseError('Save with update_fields did not affect any rows.');
    }
    if (!updated) {
      if (options.forceUpdate)
        throw new DatabaseError('Cannot force an update in save() with no primary key.');
      const insertFields = opts.concreteFields.filter(
        (f) => !(f === pk && self[pk.attname] == null),
      );
      const row = insertFields.map((f) => f.toDb(f.preSave(self, true) as never, connection));
      const returning = self[pk.attname] == null ? [pk] : [];
      const compiled = compileInsert(connection, opts.dbTable, insertFields, [row], returning);
      const result = await connection.run<unknown[]>(compiled.sql, compiled.params, {
        rowMode: 'array',
      });
      if (returning.length) {
        const value = connection.features.canReturnColumnsFromInsert
          ? result.rows[0]?.[0]
          : result.lastInsertId;
        self[pk.attname] = pk.fromDb(typeof value === 'bigint' ? Number(value) : value, connection);
      }
    }
    this._state.adding = false;
    this._state.db = alias;
    if (postSave.hasListeners(model)) {
      await postSave.send(model, {
        instance: this,
        created: !updated,
        raw: false,
        using: alias,
        updateFields,
      });
    }
  }

  /** Deletes this row and what cascades from it; returns Django's counts. */
  async delete(options: { using?: string } = {}): Promise<[number, Record<string, number>]> {
    const model = this.constructor as unknown as ModelClass;
    if (this.pk == null) {
      throw new ValueError(
        `${model.name} object can't be deleted because its ${model._meta.pk.attname} attribute is set to None.`,
      );
    }
    const alias = options.using ?? this._state.db ?? router.dbForWrite(model, { instance: this });
    const { deleteQuerySet } = await import('./deletion.js');
    const result = await deleteQuerySet(
      model.objects.using(alias).filter({ pk: this.pk }) as never,
      connections.get(alias),
      this,
    );
    this.pk = null;
    this._state.adding = true;
    return result;
  }

  /** Reloads field values from the database (all, or `fields`), and forgets loaded relations. */
  async refreshFromDb(options: { fields?: readonly string[]; using?: string } = {}): Promise<void> {
    const model = this.constructor as unknown as ModelClass;
    const alias = options.using ?? this._state.db ?? router.dbForRead(model, { instance: this });
    let qs = model.objects.using(alias).filter({ pk: this.pk });
    if (options.fields) qs = qs.only(...options.fields);
    const fresh = (await qs.get()) as unknown as Record<string, unknown>;
    const names = options.fields ? new Set(options.fields) : null;
    for (const f of model._meta.concreteFields) {
      if (!names || names.has(f.name) || names.has(f.attname))
        (this as unknown as Record<string, unknown>)[f.attname] = fresh[f.attname];
    }
    this._state.cache.clear();
    this._state.db = alias;
    const deferred = this._state.deferred;
    if (deferred) {
      const left = names ? [...deferred].filter((n) => !names.has(n)) : [];
      this._state.deferred = left.length ? new Set(left) : null;
    }
  }

  /**
   * Loads fields that `only()`/`defer()` left out (the explicit fetch that
   * replaces Django's loading on access); fields already loaded cost
   * nothing. In fetch mode `'peers'` (the default) they are loaded, in one
   * query, for every instance of the same result set still lacking them, so
   * a loop costs one query; `'one'` loads this instance's (watched by the
   * N+1 detector); `'raise'` refuses. `refreshFromDb({ fields })` reloads
   * this instance alone, loaded or not.
   *
   * @example
   * ```ts
   * const authors = await Author.objects.only('name');
   * for (const a of authors) await a.fetchDeferred('bio'); // one query for all of them
   * authors[1].bio; // loaded
   * ```
   */
  async fetchDeferred(...fields: Extract<keyof this, string>[]): Promise<void> {
    await fetchDeferredFields(this, fields);
  }

  /** Hook for model-wide validation, called by `fullClean()` (Django's `clean`). */
  clean(): void | Promise<void> {}

  /** Cleans every field, collecting errors by field name (Django's `clean_fields`). */
  cleanFields(exclude: readonly string[] = []): void {
    const opts = (this.constructor as unknown as ModelClass)._meta;
    const errors: Record<string, ValidationMessage[]> = {};
    const self = this as unknown as Record<string, unknown>;
    for (const field of opts.concreteFields) {
      if (exclude.includes(field.name) || field.autoCreated) continue;
      const raw = self[field.attname];
      // Blank values of blank fields are not validated further (Django's rule).
      if (field.blank && field.isEmpty(raw)) continue;
      try {
        self[field.attname] = field.clean(raw);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        errors[field.name] = e.errorList;
      }
    }
    if (Object.keys(errors).length) throw new ValidationError(errors);
  }

  /** Checks unique fields and `uniqueTogether` against the database (Django's `validate_unique`). */
  async validateUnique(exclude: readonly string[] = []): Promise<void> {
    const model = this.constructor as unknown as ModelClass;
    const opts = model._meta;
    const self = this as unknown as Record<string, unknown>;
    const errors: Record<string, ValidationMessage[]> = {};
    const checks: Field[][] = [
      ...opts.concreteFields.filter((f) => f.unique && !f.primaryKey).map((f) => [f]),
      ...opts.uniqueTogether.map((names) => names.map((n) => opts.getField(n))),
      ...opts.constraints
        .filter((c) => c.kind === 'unique' && !c.condition)
        .map((c) => (c as { fields: readonly string[] }).fields.map((n) => opts.getField(n))),
    ];
    for (const group of checks) {
      if (group.some((f) => exclude.includes(f.name))) continue;
      const lookups: Record<string, unknown> = {};
      let skip = false;
      for (const f of group) {
        const value = self[f.attname];
        if (value === null || value === undefined) skip = true;
        lookups[f.attname] = value;
      }
      if (skip) continue;
      let qs = model.objects.filter(lookups);
      if (!this._state.adding && this.pk != null) qs = qs.exclude({ pk: this.pk });
      if (await qs.exists()) {
        const key = group.length === 1 ? group[0]!.name : '__all__';
        const message: ValidationMessage =
          group.length === 1
            ? {
                message: group[0]!.errorMessages.unique ?? '',
                code: 'unique',
                params: {
                  model_name: capfirst(opts.verboseName),
                  field_label: capfirst(group[0]!.verboseName),
                },
              }
            : {
                message: '%(model_name)s with this %(field_labels)s already exists.',
                code: 'unique_together',
                params: {
                  model_name: capfirst(opts.verboseName),
                  field_labels: group.map((f) => capfirst(f.verboseName)).join(' and '),
                },
              };
        (errors[key] ??= []).push(message);
      }
    }
    if (Object.keys(errors).length) throw new ValidationError(errors);
  }

  /**
   * Validates every field, then `clean()`, then uniqueness; throws one
   * `ValidationError` whose `messageDict` has Django's messages by field.
   */
  async fullClean(
    options: { exclude?: readonly string[]; validateUnique?: boolean } = {},
  ): Promise<void> {
    const exclude = options.exclude ?? [];
    const errors: Record<string, ValidationMessage[]> = {};
    const merge = (e: unknown): void => {
      if (!(e instanceof ValidationError)) throw e;
      for (const [k, v] of Object.entries(e.errorDict ?? { __all__: e.errorList }))
        (errors[k] ??= []).push(...v);
    };
    try {
      this.cleanFields(exclude);
    } catch (e) {
      merge(e);
    }
    try {
      await this.clean();
    } catch (e) {
      merge(e);
    }
    if (options.validateUnique ?? true) {
      try {
        await this.validateUnique([...exclude, ...Object.keys(errors)]);
      } catch (e) {
        merge(e);
      }
    }
    if (Object.keys(errors).length) throw new ValidationError(errors);
  }

  /**
   * Loads one relation explicitly (the async fetch that replaces Django's
   * lazy loading) and returns it; later reads of the relation are
   * synchronous. In fetch mode `'peers'` (the default) the relation is
   * loaded, in the same query, for every instance of the result set this one
   * came from: a loop over books calling `fetchRelated('author')` costs one
   * query, not one per book. Mode `'one'` loads it for this instance only
   * (watched by the N+1 detector); `'raise'` refuses.
   *
   * @example
   * ```ts
   * const author = await book.fetchRelated('author');
   * book.author.name; // loaded now
   * ```
   */
  async fetchRelated<K extends string>(name: K): Promise<any> {
    const model = this.constructor as unknown as ModelClass;
    const field = model._meta.findField(name);
    const forward = field instanceof ForeignKeyImpl && field.name === name ? field : null;
    const rel = field
      ? undefined
      : model._meta.relatedObjects.find((r) => r.accessorName === name && !r.multiple);
    if (!forward && !rel) {
      throw new ValueError(
        `'${name}' is not a foreign key or one-to-one relation of ${model.name}.`,
      );
    }
    // Already loaded (selected, prefetched, fetched, or a null key): nothing to fetch, in any mode.
    try {
      return (this as unknown as Record<string, unknown>)[name];
    } catch (e) {
      if (!(e instanceof RelationNotLoaded)) throw e;
    }
    const fix = `${model.name}.objects.selectRelated('${name}')`;
    const mode = effectiveFetchMode(this._state.fetchMode);
    if (mode === 'raise') {
      throw new FetchModeError(
        `Fetching ${model.name}.${name} on demand is not allowed (fetch mode 'raise'). ` +
          `Load it with the query: ${fix} or ${model.name}.objects.prefetchRelated('${name}').`,
      );
    }
    const peers = this._state.peers;
    if (mode === 'peers' && peers && peers.length > 1) {
      // This instance first (it decides the relation and the database); every one of them
      // already holding the relation (from an earlier fetch) keeps it and costs nothing.
      await prefetchLookups([this, ...peers.filter((p) => p !== this)], [name]);
      for (const p of peers) inheritFetchMode(p, (p as ModelRoot)._state.cache.get(name));
      return this._state.cache.get(name) ?? null;
    }
    if (mode === 'one') recordSingleFetch(this, model.name, name, fix);
    const self = this as unknown as Record<string, unknown>;
    const db = this._state.db ?? 'default';
    if (forward) {
      const raw = self[forward.attname];
      const target = forward.relatedModel as unknown as ModelClass;
      const value =
        raw == null
          ? null
          : await target.objects.using(db).get({ [forward.targetField!.attname]: raw });
      this._state.cache.set(name, value);
      inheritFetchMode(this, value);
      return value;
    }
    const related = rel!.relatedModel as unknown as ModelClass;
    const fk = rel!.field as ForeignKeyImpl;
    const value = await related.objects
      .using(db)
      .filter({ [fk.attname]: self[fk.targetField!.attname] })
      .first();
    this._state.cache.set(name, value);
    inheritFetchMode(this, value);
    return value;
  }
}

const DEFAULT_MANAGER = Symbol('reinhardt.defaultManager');

/** The value a field starts with when none is given (Django's `get_default`). */
function emptyDefault(field: Field): unknown {
  if (field.hasDefault) return field.getDefault();
  if (field.null || field.primaryKey) return null;
  // Text fields default to the empty string and binary ones to no bytes, as in Django.
  if (field.internalType === 'BinaryField') return Buffer.alloc(0);
  return 'maxLength' in field ? '' : null;
}

/** Builds `_meta`, registers the model and resolves its relations. */
function prepareModel(model: ModelClass): Options {
  const record = model as unknown as Record<symbol, unknown> & typeof ModelRoot;
  if (record[PREPARING])
    throw new ImproperlyConfigured(`Model ${model.name} is referenced while it is being prepared.`);
  if (
    model === (ModelRoot as unknown as ModelClass) ||
    (!Object.hasOwn(record, '_declaredFields') && Object.getPrototypeOf(model) === ModelRoot)
  ) {
    throw new ImproperlyConfigured('Declare models with `class Book extends Model({ … }) {}`.');
  }
  const metaOptions = record._metaOptions;
  if (metaOptions.abstract) {
    throw new ImproperlyConfigured(
      `${model.name} is abstract: it has no table and cannot be queried or registered. Use ${model.name}.extend({ … }).`,
    );
  }
  const appLabel = metaOptions.appLabel ?? registeredAppLabel(model);
  if (!appLabel) {
    throw new ImproperlyConfigured(
      `Model class ${model.name} doesn't declare an explicit appLabel and isn't registered with an app: ` +
        `use apps.register('<app>', { ${model.name} }) or Model(fields, { appLabel: '<app>' }).`,
    );
  }
  Object.defineProperty(record, PREPARING, { value: true, configurable: true });
  try {
    const opts = new Options(model, appLabel, record._declaredFields, metaOptions);
    Object.defineProperty(record, META, { value: opts });
    // Exceptions and managers of this model.
    Object.defineProperty(record, 'DoesNotExist', {
      value: class extends ObjectDoesNotExist {},
      configurable: true,
    });
    Object.defineProperty(record, 'MultipleObjectsReturned', {
      value: class extends BaseMultipleObjectsReturned {},
      configurable: true,
    });
    Object.defineProperty(
      (record as unknown as { DoesNotExist: { name: string } }).DoesNotExist,
      'name',
      { value: `${model.name}.DoesNotExist` },
    );
    Object.defineProperty(
      (record as unknown as { MultipleObjectsReturned: { name: string } }).MultipleObjectsReturned,
      'name',
      { value: `${model.name}.MultipleObjectsReturned` },
    );
    bindManagers(model);
    (metaOptions.apps ?? apps).add(model);
    prepareRelations(model);
    return opts;
  } finally {
    delete (record as Record<symbol, unknown>)[PREPARING];
  }
}

function bindManagers(model: ModelClass): void {
  let defaultManager: Manager<unknown> | undefined;
  for (const key of Object.getOwnPropertyNames(model)) {
    const descriptor = Object.getOwnPropertyDescriptor(model, key);
    if (descriptor && 'value' in descriptor && descriptor.value instanceof Manager) {
      (descriptor.value as Manager<unknown>).contribute(model as never, key);
      // `objects` always exists (Django drops it once a model declares another manager).
      if (key === 'objects') defaultManager = descriptor.value as Manager<unknown>;
    }
  }
  if (!defaultManager) {
    defaultManager = new Manager();
    defaultManager.contribute(model as never, 'objects');
  }
  Object.defineProperty(model, DEFAULT_MANAGER, { value: defaultManager });
}

/** A model class built from `fields`, to extend with methods. */
export interface ModelBase<F extends FieldsSpec> {
  new (values?: CreateInput<F>): ModelRoot & InstanceOf<F>;
  readonly prototype: ModelRoot & InstanceOf<F>;
  readonly _meta: Options;
  /** The default manager. Declare `declare static objects: Manager<YourModel>` to include your methods in its results' type. */
  readonly objects: Manager<ModelRoot & InstanceOf<F>>;
  /** Raised by `get()` when no row matches. */
  readonly DoesNotExist: typeof ObjectDoesNotExist;
  /** Raised by `get()` when several rows match. */
  readonly MultipleObjectsReturned: typeof BaseMultipleObjectsReturned;
  /**
   * A model with this one's fields, methods and options plus `fields` (the
   * role of subclassing an abstract Django model).
   *
   * @example
   * ```ts
   * class Timestamped extends Model({ created: DateTimeField({ autoNowAdd: true }) }, { abstract: true }) {
   *   get age() { return Date.now() - this.created.getTime(); }
   * }
   * class Note extends Timestamped.extend({ text: TextField() }) {}
   * ```
   */
  extend<C extends abstract new (...args: any) => any, const F2 extends FieldsSpec>(
    this: C,
    fields: F2,
    meta?: MetaOptions,
  ): ExtendedModel<C, F & F2>;
}

/** What `Base.extend(fields)` returns: the base's methods, with the combined fields. */
export type ExtendedModel<
  C extends abstract new (...args: any) => any,
  F extends FieldsSpec,
> = Omit<ModelBase<F>, 'prototype'> & {
  new (values?: CreateInput<F>): InstanceType<C> & InstanceOf<F>;
  readonly prototype: InstanceType<C> & InstanceOf<F>;
};

/**
 * Declares a model: its fields (the instance type is inferred from them) and
 * its `Meta` options. Extend the result to add methods and getters.
 *
 * @example
 * ```ts
 * export class Author extends Model({
 *   name: CharField({ maxLength: 100 }),
 *   bio: TextField({ blank: true }),
 * }) {
 *   declare static objects: Manager<Author>;
 *   declare books: RelatedManager<Book>;
 *   override toString() { return this.name; }
 * }
 * apps.register('library', { Author, Book });
 * ```
 */
export function Model<const F extends FieldsSpec>(fields: F, meta: MetaOptions = {}): ModelBase<F> {
  const Base = class extends ModelRoot {};
  Object.defineProperty(Base, '_declaredFields', { value: fields });
  Object.defineProperty(Base, '_metaOptions', { value: meta });
  return Base as unknown as ModelBase<F>;
}

Object.defineProperty(ModelRoot, 'extend', {
  value: function extend(this: typeof ModelRoot, fields: FieldsSpec, meta: MetaOptions = {}) {
    const parentMeta = this._metaOptions;
    if (!parentMeta.abstract) {
      throw new ImproperlyConfigured(
        `${this.name} is not abstract: only models declared with { abstract: true } can be extended.`,
      );
    }
    const Base = class extends (this as unknown as new (...args: never[]) => ModelRoot) {};
    // Options are inherited, except what names one table.
    const { abstract: _abstract, dbTable: _dbTable, ...inherited } = parentMeta;
    Object.defineProperty(Base, '_declaredFields', {
      value: { ...this._declaredFields, ...fields },
    });
    Object.defineProperty(Base, '_metaOptions', { value: { ...inherited, ...meta } });
    return Base;
  },
});

export type { RelatedModelClass };

setNotLoadedError(
  (model, name, hint) => new RelationNotLoaded(`${model}.${name} is not loaded. ${hint}`),
);
setThroughModelFactory((name, fields, meta) => {
  const Through = Model(fields as unknown as FieldsSpec, meta);
  const Named = { [name]: class extends Through {} }[name]!;
  void (Named as unknown as ModelClass)._meta;
  return Named as unknown as ModelClass;
});
