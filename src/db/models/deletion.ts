/**
 * The deletion collector (Django's `Collector`): finds what a delete
 * cascades to, refuses what is protected, and deletes in bulk (one query per
 * model and batch, never one per row), children before parents, in one
 * transaction.
 */
import type { BaseDatabaseWrapper } from '../backends/base/wrapper.js';
import { IntegrityError } from '../errors.js';
import { atomic } from '../transaction.js';
import type { ForeignKeyImpl } from './fields/related.js';
import type { QuerySet } from './queryset.js';
import type { QueryModel } from './sql/query.js';
import { postDelete, preDelete } from './signals.js';

/** Deleting would remove rows protected by `onDelete: PROTECT`. */
export class ProtectedError extends IntegrityError {
  override readonly code: string = 'protected';
  constructor(
    message: string,
    /** The referring objects that protect the delete, as `{ model, pk }`. */
    readonly protectedObjects: readonly { model: string; pk: unknown }[],
  ) {
    super(message);
  }
}

/** Deleting would remove rows restricted by `onDelete: RESTRICT` that are not deleted by the same cascade. */
export class RestrictedError extends IntegrityError {
  override readonly code: string = 'restricted';
  constructor(
    message: string,
    readonly restrictedObjects: readonly { model: string; pk: unknown }[],
  ) {
    super(message);
  }
}

interface ModelLike extends QueryModel {
  readonly objects: QuerySet<object> & { _queryset(): QuerySet<object> };
}

interface FieldUpdate {
  model: ModelLike;
  field: ForeignKeyImpl;
  value: unknown;
  pks: unknown[];
}

/** Collects rows to delete across relations. */
export class Collector {
  /** Primary keys to delete per model, in collection order (parents first). */
  readonly data = new Map<ModelLike, Set<unknown>>();
  /**
   * The same keys grouped as collected: a self-referencing cascade adds one
   * group per level, and groups are deleted last-first, so children go before
   * their parents even where constraints are checked row by row (MySQL).
   */
  private readonly groups = new Map<ModelLike, unknown[][]>();
  private readonly fieldUpdates: FieldUpdate[] = [];
  private readonly restricted: { model: ModelLike; field: ForeignKeyImpl; pks: unknown[] }[] = [];

  constructor(
    readonly connection: BaseDatabaseWrapper,
    /** What started the delete (an instance or a QuerySet), passed to the signals. */
    readonly origin: unknown = undefined,
  ) {}

  /** Loads the instances of `model` being deleted, in batches, for the delete signals. */
  private async instancesFor(model: ModelLike, pks: readonly unknown[]): Promise<object[]> {
    const out: object[] = [];
    for (let i = 0; i < pks.length; i += this.batchSize()) {
      const batch = pks.slice(i, i + this.batchSize());
      out.push(
        ...((await model.objects
          .using(this.connection.alias)
          .filter({ pk__in: batch })) as object[]),
      );
    }
    const origin = this.origin as { constructor?: unknown; pk?: unknown } | undefined;
    // The instance that started the delete is the one receivers get, not a copy.
    return out.map((o) =>
      origin && origin.constructor === model && origin.pk === (o as { pk?: unknown }).pk
        ? (origin as object)
        : o,
    );
  }

  private batchSize(): number {
    return Math.max(1, this.connection.features.maxQueryParams - 10);
  }

  private async selectPks(
    model: ModelLike,
    column: string,
    values: readonly unknown[],
  ): Promise<unknown[]> {
    const q = (n: string) => this.connection.ops.quoteName(n);
    const pk = model._meta.pk;
    const out: unknown[] = [];
    for (let i = 0; i < values.length; i += this.batchSize()) {
      const batch = values.slice(i, i + this.batchSize());
      const marks = batch.map((_, j) => this.connection.ops.placeholder(j + 1)).join(', ');
      const { rows } = await this.connection.run<unknown[]>(
        `SELECT ${q(pk.column)} FROM ${q(model._meta.dbTable)} WHERE ${q(column)} IN (${marks})`,
        batch,
        { rowMode: 'array' },
      );
      out.push(...rows.map((r) => r[0]));
    }
    return out;
  }

  /** Adds `pks` of `model` and follows the relations pointing at them. */
  async collect(model: ModelLike, pks: readonly unknown[]): Promise<void> {
    let seen = this.data.get(model);
    if (!seen) this.data.set(model, (seen = new Set()));
    const fresh = pks.filter((pk) => !seen!.has(pk));
    if (!fresh.length) return;
    for (const pk of fresh) seen.add(pk);
    const groups = this.groups.get(model) ?? [];
    groups.push(fresh);
    this.groups.set(model, groups);
    const protectedObjects: { model: string; pk: unknown }[] = [];
    const protectingFields = new Set<string>();
    for (const rel of model._meta.relatedObjects) {
      if (rel.kind === 'manyToMany') continue; // rows of the intermediate model cascade through its own keys
      const field = rel.field as ForeignKeyImpl;
      const related = rel.relatedModel as unknown as ModelLike;
      const behaviour = field.onDelete.name;
      if (behaviour === 'DO_NOTHING') continue;
      const targetValues =
        field.targetField === model._meta.pk ? fresh : await this.targetValues(model, field, fresh);
      const relatedPks = await this.selectPks(related, field.column, targetValues);
      if (!relatedPks.length) continue;
      switch (behaviour) {
        case 'CASCADE':
          await this.collect(related, relatedPks);
          break;
        case 'PROTECT':
          protectingFields.add(`'${related._meta.objectName}.${field.name}'`);
          protectedObjects.push(...relatedPks.map((pk) => ({ model: related._meta.label, pk })));
          break;
        case 'RESTRICT':
          this.restricted.push({ model: related, field, pks: relatedPks });
          break;
        case 'SET_NULL':
          this.fieldUpdates.push({ model: related, field, value: null, pks: relatedPks });
          break;
        case 'SET_DEFAULT':
          this.fieldUpdates.push({
            model: related,
            field,
            value: field.getDefault(),
            pks: relatedPks,
          });
          break;
        case 'SET': {
          const v = field.onDelete.value;
          this.fieldUpdates.push({
            model: related,
            field,
            value: typeof v === 'function' ? (v as () => unknown)() : v,
            pks: relatedPks,
          });
          break;
        }
      }
    }
    if (protectedObjects.length) {
      throw new ProtectedError(
        `Cannot delete some instances of model '${model._meta.objectName}' because they are referenced through protected foreign keys: ${[...protectingFields].join(', ')}.`,
        protectedObjects,
      );
    }
  }

  private async targetValues(
    model: ModelLike,
    field: ForeignKeyImpl,
    pks: readonly unknown[],
  ): Promise<unknown[]> {
    const target = field.targetField!;
    const q = (n: string) => this.connection.ops.quoteName(n);
    const marks = pks.map((_, j) => this.connection.ops.placeholder(j + 1)).join(', ');
    const { rows } = await this.connection.run<unknown[]>(
      `SELECT ${q(target.column)} FROM ${q(model._meta.dbTable)} WHERE ${q(model._meta.pk.column)} IN (${marks})`,
      pks,
      { rowMode: 'array' },
    );
    return rows.map((r) => r[0]);
  }

  /** Applies the collected updates and deletes; returns Django's counts. */
  async delete(): Promise<[number, Record<string, number>]> {
    const restricted: { model: string; pk: unknown }[] = [];
    const restrictingFields = new Set<string>();
    let restrictedModel = '';
    for (const r of this.restricted) {
      const deleted = this.data.get(r.model);
      const left = r.pks.filter((pk) => !deleted?.has(pk));
      if (left.length) {
        restrictingFields.add(`'${r.model._meta.objectName}.${r.field.name}'`);
        restrictedModel ||= (r.field.relatedModel as ModelLike | undefined)?._meta.objectName ?? '';
        restricted.push(...left.map((pk) => ({ model: r.model._meta.label, pk })));
      }
    }
    if (restricted.length) {
      throw new RestrictedError(
        `Cannot delete some instances of model '${restrictedModel}' because they are referenced through restricted foreign keys: ${[...restrictingFields].join(', ')}.`,
        restricted,
      );
    }
    const q = (n: string) => this.connection.ops.quoteName(n);
    const counts: Record<string, number> = {};
    let total = 0;
    for (const update of this.fieldUpdates) {
      const deleted = this.data.get(update.model);
      const pks = update.pks.filter((pk) => !deleted?.has(pk));
      for (let i = 0; i < pks.length; i += this.batchSize()) {
        const batch = pks.slice(i, i + this.batchSize());
        const marks = batch.map((_, j) => this.connection.ops.placeholder(j + 2)).join(', ');
        await this.connection.run(
          `UPDATE ${q(update.model._meta.dbTable)} SET ${q(update.field.column)} = ${this.connection.ops.placeholder(1)} WHERE ${q(update.model._meta.pk.column)} IN (${marks})`,
          [update.field.toDb(update.value as never, this.connection), ...batch],
        );
      }
    }
    // Children were collected after their parents: delete in reverse order.
    const ordered = [...this.data.entries()].reverse();
    const signalled = new Map<ModelLike, object[]>();
    for (const [model, pkSet] of ordered) {
      if (preDelete.hasListeners(model) || postDelete.hasListeners(model)) {
        const instances = await this.instancesFor(model, [...pkSet]);
        signalled.set(model, instances);
        for (const instance of instances) {
          await preDelete.send(model, {
            instance,
            using: this.connection.alias,
            origin: this.origin,
          });
        }
      }
    }
    for (const [model] of ordered) {
      let deleted = 0;
      for (const group of [...(this.groups.get(model) ?? [])].reverse()) {
        for (let i = 0; i < group.length; i += this.batchSize()) {
          const batch = group.slice(i, i + this.batchSize());
          const marks = batch.map((_, j) => this.connection.ops.placeholder(j + 1)).join(', ');
          const result = await this.connection.run(
            `DELETE FROM ${q(model._meta.dbTable)} WHERE ${q(model._meta.pk.column)} IN (${marks})`,
            batch,
          );
          deleted += result.rowCount;
        }
      }
      if (deleted) {
        counts[model._meta.label] = (counts[model._meta.label] ?? 0) + deleted;
        total += deleted;
      }
    }
    for (const [model, instances] of signalled) {
      for (const instance of instances) {
        await postDelete.send(model, {
          instance,
          using: this.connection.alias,
          origin: this.origin,
        });
      }
    }
    return [total, counts];
  }
}

/** Deletes what `qs` matches, with cascades, in one transaction. */
export async function deleteQuerySet(
  qs: QuerySet<object>,
  connection: BaseDatabaseWrapper,
  origin: unknown = qs,
): Promise<[number, Record<string, number>]> {
  return atomic(
    async () => {
      const pks = await qs.using(connection.alias)._pks();
      if (!pks.length) return [0, {}] as [number, Record<string, number>];
      const collector = new Collector(connection, origin);
      await collector.collect(qs.model as unknown as ModelLike, pks);
      return collector.delete();
    },
    { using: connection.alias },
  );
}
