/**
 * Resolving relations when a model is prepared: targets (lazy, by label or
 * 'self'), target fields, reverse relations and their accessors, automatic
 * many-to-many tables, and the relation properties on instances.
 */
import { ImproperlyConfigured } from '../../core/exceptions.js';
import {
  ForeignKeyImpl,
  ManyToManyFieldImpl,
  CASCADE,
  type RelatedModelClass,
} from './fields/related.js';
import { snakeCase } from './fields/names.js';
import type { Options } from './options.js';
import { ManyRelatedManager, RelatedManager } from './related-managers.js';
import { apps, type RegistrableModel } from './registry.js';
import { defaultAccessorName, type ForeignObjectRel } from './reverse.js';
import type { QuerySetModel } from './queryset.js';

interface PreparedModel extends RegistrableModel {
  readonly prototype: object;
}

/** Raised when a relation that was not loaded is read. Built lazily to avoid an import cycle. */
let notLoaded: (model: string, name: string, hint: string) => Error = (model, name, hint) =>
  new Error(`${model}.${name} is not loaded. ${hint}`);

/** @internal Lets base.ts provide the RelationNotLoaded error class. */
export function setNotLoadedError(fn: typeof notLoaded): void {
  notLoaded = fn;
}

function resolveTarget(
  model: PreparedModel,
  to: unknown,
  onResolved: (target: PreparedModel) => void,
): void {
  if (to === 'self') return onResolved(model);
  if (typeof to === 'string') {
    const label = to.includes('.') ? to : `${model._meta.appLabel}.${to}`;
    // A historical model (migrations) resolves labels in its own registry.
    const registry = model._meta.apps ?? apps;
    registry.lazyModel(label, (m: RegistrableModel) => onResolved(m as PreparedModel));
    return;
  }
  if (typeof to === 'function') {
    // A class is a function too: a model class is used as it is, a thunk is called.
    // Model classes carry `_declaredFields`; anything else is a thunk returning one.
    const target =
      '_declaredFields' in to ? (to as unknown as PreparedModel) : (to as () => PreparedModel)();
    if (!target || typeof target !== 'function') {
      throw new ImproperlyConfigured(
        `The relation target of ${model.name} returned ${String(target)}; expected a model class.`,
      );
    }
    return onResolved(target);
  }
  throw new ImproperlyConfigured(`Invalid relation target on ${model.name}: ${String(to)}.`);
}

/** Resolves every relation declared by `model`. */
export function prepareRelations(model: PreparedModel): void {
  const opts = model._meta;
  for (const field of opts.fields) {
    if (field instanceof ForeignKeyImpl) {
      installForwardAccessor(model, field);
      resolveTarget(model, field.to, (target) => linkForeignKey(model, field, target));
    } else if (field instanceof ManyToManyFieldImpl) {
      resolveTarget(model, field.to, (target) => linkManyToMany(model, field, target));
    }
  }
}

function linkForeignKey(model: PreparedModel, field: ForeignKeyImpl, target: PreparedModel): void {
  field.relatedModel = target as unknown as RelatedModelClass;
  const targetOpts: Options = target._meta;
  field.targetField = field.toField ? targetOpts.getField(field.toField) : targetOpts.pk;
  const hidden = field.relatedName?.endsWith('+') ?? false;
  const multiple = !field.oneToOne;
  const accessorName = hidden
    ? null
    : (field.relatedName ?? defaultAccessorName(model.name, multiple));
  const rel: ForeignObjectRel = {
    field,
    relatedModel: model,
    accessorName,
    queryName:
      field.relatedQueryName ??
      (hidden ? `${field.relatedName}` : (field.relatedName ?? model._meta.modelName)),
    multiple,
    kind: multiple ? 'manyToOne' : 'oneToOne',
  };
  if (!targetOpts.relatedObjects.some((r) => r.field === field))
    targetOpts.relatedObjects.push(rel);
  if (accessorName) installReverseAccessor(target, rel);
}

/** `book.author` (throws when not loaded) and its setter; `book.authorId` stays a plain property. */
function installForwardAccessor(model: PreparedModel, field: ForeignKeyImpl): void {
  const name = field.name;
  Object.defineProperty(model.prototype, name, {
    configurable: true,
    enumerable: false,
    get(this: { _state: { cache: Map<string, unknown> } } & Record<string, unknown>) {
      const cache = this._state.cache;
      if (cache.has(name)) {
        const cached = cache.get(name) as { pk?: unknown } | null;
        // A cached object that no longer matches the key (the key was changed) is stale.
        if (
          cached === null
            ? this[field.attname] == null
            : cachedMatches(cached, field, this[field.attname])
        )
          return cached;
      }
      if (this[field.attname] == null) return null;
      throw notLoaded(
        model.name,
        name,
        `Reinhardt never loads relations behind your back: load it in the query with ` +
          `${model.name}.objects.selectRelated('${name}'), or fetch it explicitly with await ${lowerFirst(model.name)}.fetchRelated('${name}').`,
      );
    },
    set(
      this: { _state: { cache: Map<string, unknown> } } & Record<string, unknown>,
      value: unknown,
    ) {
      if (value === null || value === undefined) {
        if (!field.null && value === null) {
          // Django allows assigning None and fails at save; keep that behaviour.
        }
        this[field.attname] = null;
        this._state.cache.set(name, null);
        return;
      }
      const target = field.relatedModel as unknown as
        { prototype: object; name: string } | undefined;
      if (target && !(value instanceof (target as unknown as new () => object))) {
        throw new TypeError(
          `Cannot assign "${String(value)}": "${model.name}.${name}" must be a "${target.name}" instance.`,
        );
      }
      const key = field.targetField
        ? (value as Record<string, unknown>)[field.targetField.attname]
        : (value as { pk?: unknown }).pk;
      this[field.attname] = key ?? null;
      this._state.cache.set(name, value);
    },
  });
}

function cachedMatches(cached: unknown, field: ForeignKeyImpl, key: unknown): boolean {
  const attname = field.targetField?.attname ?? 'pk';
  const value = (cached as Record<string, unknown>)[attname];
  // An unsaved related object has no key yet: keep it.
  return value == null || value === key;
}

function lowerFirst(s: string): string {
  return s[0]!.toLowerCase() + s.slice(1);
}

/** `author.books` (a manager) or, for one-to-one, `user.profile` (throws when not loaded). */
function installReverseAccessor(target: PreparedModel, rel: ForeignObjectRel): void {
  const accessor = rel.accessorName!;
  const related = rel.relatedModel as unknown as QuerySetModel<unknown>;
  if (rel.multiple) {
    Object.defineProperty(target.prototype, accessor, {
      configurable: true,
      enumerable: false,
      get(this: never) {
        return new RelatedManager(this, rel.field as ForeignKeyImpl, related, accessor);
      },
    });
    return;
  }
  Object.defineProperty(target.prototype, accessor, {
    configurable: true,
    enumerable: false,
    get(this: { _state: { cache: Map<string, unknown> } }) {
      if (this._state.cache.has(accessor)) return this._state.cache.get(accessor);
      throw notLoaded(
        target.name,
        accessor,
        `Reinhardt never loads relations behind your back: load it in the query with ` +
          `${target.name}.objects.selectRelated('${accessor}'), or fetch it explicitly with await ${lowerFirst(target.name)}.fetchRelated('${accessor}').`,
      );
    },
    set(this: { _state: { cache: Map<string, unknown> } }, value: unknown) {
      this._state.cache.set(accessor, value);
    },
  });
}

/** `book.tags` / `tag.books`: a many-to-many manager for the instance, made on each read. */
function defineManyAccessor(
  owner: PreparedModel,
  name: string,
  field: ManyToManyFieldImpl,
  reverse: boolean,
  other: PreparedModel,
): void {
  Object.defineProperty(owner.prototype, name, {
    configurable: true,
    enumerable: false,
    get(this: never) {
      return new ManyRelatedManager(
        this,
        field,
        reverse,
        other as unknown as QuerySetModel<unknown>,
        name,
      );
    },
  });
}

/** Creates the automatic intermediate model of a many-to-many field (Django's `create_many_to_many_intermediary_model`). */
let makeThroughModel: (
  name: string,
  fields: Record<string, ForeignKeyImpl>,
  meta: { appLabel: string; dbTable: string; uniqueTogether: string[][]; apps?: Options['apps'] },
) => PreparedModel = () => {
  throw new Error('makeThroughModel not initialised');
};

/** @internal Lets base.ts provide the model factory. */
export function setThroughModelFactory(fn: typeof makeThroughModel): void {
  makeThroughModel = fn;
}

function linkManyToMany(
  model: PreparedModel,
  field: ManyToManyFieldImpl,
  target: PreparedModel,
): void {
  field.relatedModel = target as unknown as RelatedModelClass;
  const finish = (through: PreparedModel): void => {
    field.throughModel = through as unknown as RelatedModelClass;
    const hidden = field.relatedName?.endsWith('+') ?? false;
    const accessorName = hidden
      ? null
      : (field.relatedName ?? defaultAccessorName(model.name, true));
    const rel: ForeignObjectRel = {
      field,
      relatedModel: model,
      accessorName,
      queryName: field.relatedQueryName ?? field.relatedName ?? model._meta.modelName,
      multiple: true,
      kind: 'manyToMany',
    };
    if (!target._meta.relatedObjects.some((r) => r.field === field))
      target._meta.relatedObjects.push(rel);
    const forward = field.name;
    defineManyAccessor(model, forward, field, false, target);
    if (accessorName && !(field.symmetrical && target === model)) {
      defineManyAccessor(target, accessorName, field, true, model);
    }
  };
  if (field.through) {
    resolveTarget(model, field.through, finish);
    return;
  }
  const self = target === model;
  const from = self ? `from${model.name}` : lowerFirst(model.name);
  const to = self ? `to${model.name}` : lowerFirst(target.name);
  const hiddenName = `${model.name}_${field.name}+`;
  const through = makeThroughModel(
    `${model.name}_${field.name}`,
    {
      [from]: new ForeignKeyImpl(() => model as unknown as RelatedModelClass, {
        onDelete: CASCADE,
        relatedName: hiddenName,
        dbColumn: `${snakeCase(from)}_id`,
      }),
      [to]: new ForeignKeyImpl(() => target as unknown as RelatedModelClass, {
        onDelete: CASCADE,
        relatedName: `${hiddenName}${self ? '+' : ''}`,
        dbColumn: `${snakeCase(to)}_id`,
      }),
    },
    {
      appLabel: model._meta.appLabel,
      dbTable: field.dbTable ?? `${model._meta.dbTable}_${snakeCase(field.name)}`,
      uniqueTogether: [[from, to]],
      ...(model._meta.apps ? { apps: model._meta.apps } : {}),
    },
  );
  finish(through);
}

/**
 * `author.books.loaded` / `book.tags.loaded`: the prefetched related objects,
 * read synchronously; throws RelationNotLoaded naming the fix when the
 * relation was not prefetched. (Typed only on prefetched results: see
 * `PrefetchedManager`.)
 */
for (const Manager of [RelatedManager, ManyRelatedManager]) {
  Object.defineProperty(Manager.prototype, 'loaded', {
    configurable: true,
    enumerable: false,
    get(this: {
      instance: { _state: { cache: Map<string, unknown> }; constructor: { name: string } };
      accessor: string;
    }): unknown[] {
      const cached = this.instance._state.cache.get(`prefetch:${this.accessor}`);
      if (Array.isArray(cached)) return cached;
      const model = this.instance.constructor.name;
      throw notLoaded(
        model,
        this.accessor,
        `Reinhardt never loads relations behind your back: prefetch it with ` +
          `${model}.objects.prefetchRelated('${this.accessor}'), or query it with await ${lowerFirst(model)}.${this.accessor}.all().`,
      );
    },
  });
}
