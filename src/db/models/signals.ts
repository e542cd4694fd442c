/**
 * The model signals (Django's `django.db.models.signals`). The sender is the
 * model class (for `m2mChanged`, the intermediate model). Bulk operations
 * send none, as in Django: `update()`, `bulkCreate()`, `bulkUpdate()`.
 *
 * @example
 * ```ts
 * postSave.connect(async ({ instance, created }) => {
 *   if (created) await notify(instance);
 * }, { sender: Book, dispatchUid: 'notify-new-book' });
 * ```
 */
import { Signal } from '../../signals/index.js';

/** Arguments of `preSave`. */
export interface PreSaveArgs {
  /** The instance being saved. */
  instance: any;
  /** True when saving exactly as given (fixture loading); Reinhardt's own saves send false. */
  raw: boolean;
  /** The database alias. */
  using: string;
  /** The `updateFields` given to `save()`, or null. */
  updateFields: ReadonlySet<string> | null;
}

/** Arguments of `postSave`. */
export interface PostSaveArgs extends PreSaveArgs {
  /** True when a row was inserted. */
  created: boolean;
}

/** Arguments of `preDelete` and `postDelete`. */
export interface DeleteArgs {
  instance: any;
  using: string;
  /** The instance or QuerySet whose delete started this one (cascades included). */
  origin: unknown;
}

/** The actions of `m2mChanged`. */
export type M2MAction =
  'pre_add' | 'post_add' | 'pre_remove' | 'post_remove' | 'pre_clear' | 'post_clear';

/** Arguments of `m2mChanged`. */
export interface M2MChangedArgs {
  /** The instance whose relation changed. */
  instance: any;
  action: M2MAction;
  /** True when the change was made from the reverse side (`tag.books.add(...)`). */
  reverse: boolean;
  /** The class of the objects added, removed or cleared. */
  model: unknown;
  /** Primary keys added or removed; null for clears. */
  pkSet: ReadonlySet<unknown> | null;
  using: string;
}

/** Arguments of `preMigrate` and `postMigrate`. */
export interface MigrateArgs {
  appConfig: unknown;
  verbosity: number;
  interactive: boolean;
  using: string;
  plan: unknown;
  apps: unknown;
}

/** Before a model instance is saved. */
export const preSave = new Signal<PreSaveArgs>({ useCaching: true });
/** After a model instance is saved; `created` tells an insert from an update. */
export const postSave = new Signal<PostSaveArgs>({ useCaching: true });
/** Before each instance is deleted, cascaded deletions included. */
export const preDelete = new Signal<DeleteArgs>({ useCaching: true });
/** After each instance is deleted, cascaded deletions included. */
export const postDelete = new Signal<DeleteArgs>({ useCaching: true });
/** When a many-to-many relation changes (sender: the intermediate model). */
export const m2mChanged = new Signal<M2MChangedArgs>({ useCaching: true });
/** Before migrations run for an app. */
export const preMigrate = new Signal<MigrateArgs>();
/** After migrations ran for an app (apps create what they need here, e.g. permissions). */
export const postMigrate = new Signal<MigrateArgs>();
