/**
 * Raw SQL returning model instances (Django's `Manager.raw()` and
 * `RawQuerySet`). Columns are matched to fields by column name (or attribute
 * name); other columns become plain properties, as Django's annotations.
 */
import { FieldError } from '../../core/exceptions.js';
import { connections, router } from '../connections.js';
import { makeHydrator } from './hydrate.js';
import type { Field } from './fields/field.js';
import type { QuerySetModel } from './queryset.js';

/**
 * @example
 * ```ts
 * const books = await Book.objects.raw('SELECT * FROM library_book WHERE sales > %s', [1000]);
 * ```
 */
export class RawQuerySet<T> implements PromiseLike<T[]>, AsyncIterable<T> {
  private db: string | undefined;

  constructor(
    readonly model: QuerySetModel<T>,
    readonly sql: string,
    readonly params: readonly unknown[] = [],
  ) {}

  /** Runs on a given database alias. */
  using(alias: string): RawQuerySet<T> {
    const copy = new RawQuerySet(this.model, this.sql, this.params);
    copy.db = alias;
    return copy;
  }

  private async fetch(): Promise<T[]> {
    const connection = connections.get(this.db ?? router.dbForRead(this.model));
    const { rows, columns = [] } = await connection.execute<unknown[]>(this.sql, this.params, {
      rowMode: 'array',
    });
    const opts = this.model._meta;
    const byName = new Map<string, Field>();
    for (const f of opts.concreteFields) {
      byName.set(f.column, f);
      byName.set(f.attname, f);
    }
    const fieldIndexes: number[] = [];
    const fields: Field[] = [];
    const extras: [number, string][] = [];
    columns.forEach((column, i) => {
      const field = byName.get(column);
      if (field && !fields.includes(field)) {
        fields.push(field);
        fieldIndexes.push(i);
      } else if (!field) extras.push([i, column]);
    });
    if (!fields.includes(opts.pk)) throw new FieldError('Raw query must include the primary key');
    const deferred = new Set(
      opts.concreteFields.filter((f) => !fields.includes(f)).map((f) => f.name),
    );
    const hydrate = makeHydrator(
      this.model.prototype,
      fields,
      connection,
      deferred.size ? deferred : null,
    );
    return rows.map((row) => {
      const obj = hydrate(fieldIndexes.map((i) => row[i])) as Record<string, unknown>;
      for (const [i, name] of extras) obj[name] = row[i];
      return obj as T;
    });
  }

  then<A = T[], B = never>(
    onfulfilled?: ((value: T[]) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.fetch().then(onfulfilled, onrejected);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    yield* await this.fetch();
  }
}
