/**
 * Managers reached through relations: `author.books` (reverse foreign key)
 * and `book.tags` / `tag.books` (many-to-many). Every method is explicit and
 * async: nothing loads when the accessor is read.
 */
import { ValueError } from '../../core/exceptions.js';
import { atomic } from '../transaction.js';
import { router } from '../connections.js';
import type { ForeignKeyImpl, ManyToManyFieldImpl } from './fields/related.js';
import { Manager } from './manager.js';
import { QuerySet, type QuerySetModel } from './queryset.js';
import { throughFks, type QueryModel } from './sql/query.js';
import { m2mChanged, type M2MAction } from './signals.js';
import { recordSingleFetch } from './fetch-modes.js';

interface Instance {
  readonly pk: unknown;
  readonly _state: { db: string | null; cache: Map<string, unknown> };
  readonly constructor: { name: string };
}

function requireSaved(instance: Instance, what: string): void {
  if (instance.pk == null) {
    throw new ValueError(
      `"${String(instance)}" needs to have a value for field "${what}" before this relationship can be used.`,
    );
  }
}

/**
 * The reverse side of a foreign key: `author.books`. Queries start filtered
 * to the instance; `create()` and `add()` set the key.
 */
export class RelatedManager<T> extends Manager<T> {
  /** Phantom (never set): marks a related manager and its model for the eager-loading types. */
  declare readonly __related: T;
  constructor(
    private readonly instance: Instance,
    private readonly fk: ForeignKeyImpl,
    related: QuerySetModel<T>,
    private readonly accessor: string,
  ) {
    super(related);
  }

  private keyValue(): unknown {
    return (this.instance as unknown as Record<string, unknown>)[this.fk.targetField!.attname];
  }

  /**
   * The related objects' QuerySet, watched by the N+1 detector when it is
   * not served from a prefetch (reading one instance's related objects at a
   * time, across a result set, is the N+1 pattern).
   */
  override getQueryset(): QuerySet<T> {
    const qs = this.queryset();
    if (!this.instance._state.cache.has(`prefetch:${this.accessor}`))
      watchRead(this.instance, this.accessor);
    return qs;
  }

  /** The related objects' QuerySet, for the manager's own writes too. */
  private queryset(): QuerySet<T> {
    requireSaved(this.instance, this.fk.targetField!.attname);
    let qs = new QuerySet<T>(this.model).filter({ [this.fk.attname]: this.keyValue() });
    if (this.instance._state.db) qs = qs.using(this.instance._state.db);
    const prefetched = this.instance._state.cache.get(`prefetch:${this.accessor}`) as
      T[] | undefined;
    if (prefetched) (qs as unknown as { resultCache: T[] }).resultCache = prefetched;
    return qs;
  }

  /** Django's `_remove_prefetched_objects`: a change through the manager makes a prefetch stale. */
  private forgetPrefetched(): void {
    this.instance._state.cache.delete(`prefetch:${this.accessor}`);
  }

  /** Creates a related object pointing at this instance. */
  override create(values: Record<string, unknown>): Promise<T> {
    requireSaved(this.instance, this.fk.targetField!.attname);
    this.forgetPrefetched();
    return super.getQueryset().create({ ...values, [this.fk.name]: this.instance });
  }

  /** Points `objs` at this instance (one UPDATE for saved objects). */
  async add(...objs: T[]): Promise<void> {
    requireSaved(this.instance, this.fk.targetField!.attname);
    this.forgetPrefetched();
    const pks: unknown[] = [];
    for (const obj of objs) {
      const o = obj as unknown as Record<string, unknown> & Instance;
      if (o.pk == null)
        throw new ValueError(
          `'${String(o)}' instance isn't saved. Use bulk=False or save the object first.`,
        );
      o[this.fk.attname] = this.keyValue();
      o._state.cache.set(this.fk.name, this.instance);
      pks.push(o.pk);
    }
    if (pks.length)
      await new QuerySet<T>(this.model)
        .using(this.dbAlias())
        .filter({ pk__in: pks })
        .update({ [this.fk.attname]: this.keyValue() });
  }

  private dbAlias(): string {
    return this.instance._state.db ?? router.dbForWrite(this.model, { instance: this.instance });
  }

  /** Unlinks `objs` (the key must be nullable). */
  async remove(...objs: T[]): Promise<void> {
    this.requireNullable('remove');
    this.forgetPrefetched();
    const pks = objs.map((o) => (o as unknown as Instance).pk);
    await this.queryset()
      .filter({ pk__in: pks })
      .update({ [this.fk.attname]: null });
    for (const o of objs) (o as unknown as Record<string, unknown>)[this.fk.attname] = null;
  }

  /** Unlinks every related object (the key must be nullable). */
  async clear(): Promise<void> {
    this.requireNullable('clear');
    this.forgetPrefetched();
    await this.queryset().update({ [this.fk.attname]: null });
  }

  /** Makes `objs` exactly the related set. */
  async set(objs: readonly T[]): Promise<void> {
    await atomic(
      async () => {
        const keep = new Set(objs.map((o) => (o as unknown as Instance).pk));
        if (this.fk.null) {
          const current = (await this.queryset().valuesList('pk', { flat: true })) as unknown[];
          const drop = current.filter((pk) => !keep.has(pk));
          if (drop.length)
            await this.queryset()
              .filter({ pk__in: drop })
              .update({ [this.fk.attname]: null });
        }
        await this.add(...objs);
      },
      { using: this.dbAlias() },
    );
  }

  private requireNullable(method: string): void {
    if (!this.fk.null) {
      throw new TypeError(`${method}() is not available: ${this.fk.toString()} is not nullable.`);
    }
  }
}

/**
 * Both sides of a many-to-many relation: `book.tags` and `tag.books`.
 * `add`, `remove`, `set` and `clear` write the intermediate table.
 */
export class ManyRelatedManager<T> extends Manager<T> {
  /** Phantom (never set): marks a related manager and its model for the eager-loading types. */
  declare readonly __related: T;
  private readonly sourceFk: ForeignKeyImpl;
  private readonly targetFk: ForeignKeyImpl;

  constructor(
    private readonly instance: Instance,
    private readonly field: ManyToManyFieldImpl,
    private readonly isReverse: boolean,
    target: QuerySetModel<T>,
    private readonly accessor: string,
  ) {
    super(target);
    [this.sourceFk, this.targetFk] = throughFks(field, isReverse);
  }

  private get through(): QueryModel & { objects: Manager<unknown> } {
    return this.field.throughModel as unknown as QueryModel & { objects: Manager<unknown> };
  }

  /** Django's `_remove_prefetched_objects`: a change through the manager makes a prefetch stale. */
  private forgetPrefetched(): void {
    this.instance._state.cache.delete(`prefetch:${this.accessor}`);
  }

  /** The lookup name from the target back to the instance's side. */
  private get backName(): string {
    const targetMeta = this.model._meta;
    const rel = targetMeta.relatedObjects.find((r) => r.field === this.field);
    return this.isReverse ? this.field.name : rel!.queryName;
  }

  /** The linked objects' QuerySet, watched by the N+1 detector unless served from a prefetch. */
  override getQueryset(): QuerySet<T> {
    if (!this.instance._state.cache.has(`prefetch:${this.accessor}`))
      watchRead(this.instance, this.accessor);
    requireSaved(this.instance, 'id');
    let qs = new QuerySet<T>(this.model).filter({ [this.backName]: this.instance.pk });
    if (this.instance._state.db) qs = qs.using(this.instance._state.db);
    const prefetched = this.instance._state.cache.get(`prefetch:${this.accessor}`) as
      T[] | undefined;
    if (prefetched) (qs as unknown as { resultCache: T[] }).resultCache = prefetched;
    return qs;
  }

  private dbAlias(): string {
    return this.instance._state.db ?? router.dbForWrite(this.through, { instance: this.instance });
  }

  private pkOf(obj: T | unknown): unknown {
    if (obj !== null && typeof obj === 'object' && 'pk' in obj) {
      const pk = (obj as Instance).pk;
      if (pk == null) throw new ValueError(`Cannot add "${String(obj)}": instance is not saved.`);
      return pk;
    }
    return obj;
  }

  private async signal(
    action: M2MAction,
    pkSet: ReadonlySet<unknown> | null,
    using: string,
  ): Promise<void> {
    if (!m2mChanged.hasListeners(this.through)) return;
    await m2mChanged.send(this.through, {
      instance: this.instance,
      action,
      reverse: this.isReverse,
      model: this.model,
      pkSet,
      using,
    });
  }

  /** Links objects (instances or primary keys); links that exist already are kept. */
  async add(...objs: (T | unknown)[]): Promise<void> {
    requireSaved(this.instance, 'id');
    this.forgetPrefetched();
    const ids = [...new Set(objs.map((o) => this.pkOf(o)))];
    if (!ids.length) return;
    const alias = this.dbAlias();
    await atomic(
      async () => {
        const existing = new Set(
          (await this.through.objects
            .using(alias)
            .filter({
              [this.sourceFk.attname]: this.instance.pk,
              [`${this.targetFk.attname}__in`]: ids,
            })
            .valuesList(this.targetFk.attname, { flat: true })) as unknown[],
        );
        const missing = ids.filter((id) => !existing.has(id));
        // As in Django, the signals carry the ids actually added (possibly none).
        const pkSet = new Set(missing);
        await this.signal('pre_add', pkSet, alias);
        if (missing.length) {
          const Through = this.through as unknown as new (v: Record<string, unknown>) => unknown;
          await this.through.objects.using(alias).bulkCreate(
            missing.map(
              (id) =>
                new Through({
                  [this.sourceFk.attname]: this.instance.pk,
                  [this.targetFk.attname]: id,
                }),
            ),
          );
        }
        await this.signal('post_add', pkSet, alias);
      },
      { using: alias },
    );
  }

  /** Unlinks objects (instances or primary keys). */
  async remove(...objs: (T | unknown)[]): Promise<void> {
    requireSaved(this.instance, 'id');
    this.forgetPrefetched();
    const ids = objs.map((o) => this.pkOf(o));
    if (!ids.length) return;
    const alias = this.dbAlias();
    const pkSet = new Set(ids);
    await atomic(
      async () => {
        await this.signal('pre_remove', pkSet, alias);
        await this.through.objects
          .using(alias)
          .filter({
            [this.sourceFk.attname]: this.instance.pk,
            [`${this.targetFk.attname}__in`]: ids,
          })
          .delete();
        await this.signal('post_remove', pkSet, alias);
      },
      { using: alias },
    );
  }

  /** Unlinks everything. */
  async clear(): Promise<void> {
    requireSaved(this.instance, 'id');
    this.forgetPrefetched();
    const alias = this.dbAlias();
    await atomic(
      async () => {
        await this.signal('pre_clear', null, alias);
        await this.through.objects
          .using(alias)
          .filter({ [this.sourceFk.attname]: this.instance.pk })
          .delete();
        await this.signal('post_clear', null, alias);
      },
      { using: alias },
    );
  }

  /** Makes `objs` exactly the linked set (one transaction). */
  async set(objs: readonly (T | unknown)[]): Promise<void> {
    const ids = new Set(objs.map((o) => this.pkOf(o)));
    const alias = this.dbAlias();
    await atomic(
      async () => {
        const current = (await this.through.objects
          .using(alias)
          .filter({ [this.sourceFk.attname]: this.instance.pk })
          .valuesList(this.targetFk.attname, { flat: true })) as unknown[];
        const drop = current.filter((id) => !ids.has(id));
        if (drop.length) await this.remove(...drop);
        await this.add(...ids);
      },
      { using: alias },
    );
  }

  /** Creates a target object and links it. */
  override async create(values: Record<string, unknown>): Promise<T> {
    const obj = await new QuerySet<T>(this.model).using(this.dbAlias()).create(values);
    await this.add(obj);
    return obj;
  }
}

/** Reports a related-manager read for one instance to the N+1 detector. */
function watchRead(instance: Instance, accessor: string): void {
  const model = instance.constructor.name;
  recordSingleFetch(
    instance as unknown as { _state: { peers?: readonly object[] | null } },
    model,
    accessor,
    `${model}.objects.prefetchRelated('${accessor}')`,
  );
}
