/**
 * Managers (Django's `Manager`): the entry point of queries on a model
 * (`Book.objects`). Every QuerySet method is available on the manager and
 * starts from `getQueryset()`, which custom managers override.
 */
import { ImproperlyConfigured } from '../../core/exceptions.js';
import { QuerySet, type QuerySetModel } from './queryset.js';
import type { CheckedValues, CreateInputOf } from './lookup-types.js';
import { RawQuerySet } from './raw.js';

/** QuerySet methods a manager delegates. */
const DELEGATED = [
  'all',
  'filter',
  'exclude',
  'none',
  'orderBy',
  'reverse',
  'distinct',
  'slice',
  'limit',
  'using',
  'only',
  'defer',
  'selectForUpdate',
  'selectRelated',
  'prefetchRelated',
  'annotate',
  'alias',
  'aggregate',
  'explain',
  'fetchMode',
  'values',
  'valuesList',
  'get',
  'first',
  'last',
  'exists',
  'count',
  'inBulk',
  'getOrCreate',
  'updateOrCreate',
  'bulkCreate',
  'bulkUpdate',
  'update',
  'delete',
  'iterator',
] as const;

type Delegated = (typeof DELEGATED)[number];

/**
 * @example
 * ```ts
 * class PublishedManager extends Manager<Book> {
 *   override getQueryset() {
 *     return super.getQueryset().filter({ status: 'published' });
 *   }
 * }
 * class Book extends Model({ … }) {
 *   static published: Manager<Book> = new PublishedManager();
 * }
 * await Book.published.count();
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Manager<T> {
  private boundModel: QuerySetModel<T> | undefined;
  /** The attribute name on the model (`objects`). */
  name = '';

  constructor(model?: QuerySetModel<T>) {
    this.boundModel = model;
  }

  /** @internal Binds the manager to its model under `name`. */
  contribute(model: QuerySetModel<T>, name: string): void {
    this.boundModel = model;
    this.name = name;
  }

  /** The model this manager queries. */
  get model(): QuerySetModel<T> {
    if (!this.boundModel) {
      throw new ImproperlyConfigured(
        `Manager '${this.name || this.constructor.name}' is not bound to a model yet: register the model with apps.register(appLabel, { … }).`,
      );
    }
    return this.boundModel;
  }

  /** The QuerySet every query of this manager starts from. */
  getQueryset(): QuerySet<T> {
    return new QuerySet<T>(this.model);
  }

  /**
   * A manager whose queries start from a custom QuerySet class, with that
   * class's own methods on the manager too (Django's `QuerySet.as_manager()` /
   * `Manager.from_queryset()`).
   *
   * @example
   * ```ts
   * class BookQuerySet extends QuerySet<Book> {
   *   published() { return this.filter({ status: 'published' }); }
   * }
   * class Book extends Model({ … }) {
   *   static override objects = Manager.fromQueryset<Book, BookQuerySet>(BookQuerySet);
   * }
   * await Book.objects.published().count();
   * ```
   */
  static fromQueryset<T, QS extends QuerySet<T>>(
    querysetClass: new (model: QuerySetModel<T>) => QS,
  ): Manager<T> & Omit<QS, keyof QuerySet<T>> {
    const manager = new Manager<T>();
    manager.getQueryset = function (this: Manager<T>) {
      return new querysetClass(this.model);
    };
    // Methods the QuerySet class adds (not QuerySet's own) are offered by the manager too.
    for (
      let proto = querysetClass.prototype as object;
      proto !== QuerySet.prototype;
      proto = Object.getPrototypeOf(proto) as object
    ) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (name === 'constructor' || name in manager) continue;
        Object.defineProperty(manager, name, {
          value: (...args: unknown[]) =>
            (manager.getQueryset() as unknown as Record<string, (...a: unknown[]) => unknown>)[
              name
            ]!(...args),
          enumerable: false,
        });
      }
    }
    return manager as Manager<T> & Omit<QS, keyof QuerySet<T>>;
  }

  /**
   * Instances from raw SQL with `%s` placeholders (Django's `raw()`).
   *
   * @example
   * ```ts
   * const top = await Book.objects.raw('SELECT * FROM library_book WHERE sales > %s', [10_000]);
   * ```
   */
  raw(sql: string, params: readonly unknown[] = []): RawQuerySet<T> {
    return new RawQuerySet<T>(this.model, sql, params);
  }

  /** Creates and saves an instance (see `QuerySet.create`). */
  create<V extends object = object>(values: CheckedValues<CreateInputOf<T>, V>): Promise<T> {
    return this.getQueryset().create(values);
  }
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Manager<T> extends Pick<QuerySet<T>, Delegated> {}

for (const name of DELEGATED) {
  Object.defineProperty(Manager.prototype, name, {
    value: function (this: Manager<unknown>, ...args: unknown[]) {
      const qs = this.getQueryset() as unknown as Record<string, (...a: unknown[]) => unknown>;
      return qs[name]!(...args);
    },
    writable: true,
    configurable: true,
  });
}

// As Django's: all() is getQueryset() itself, so a related manager's prefetched results serve it.
Manager.prototype.all = function <T>(this: Manager<T>) {
  return this.getQueryset();
} as Manager<unknown>['all'];
