/**
 * The app registry (Django's `django.apps.apps`): models by app label and
 * name, and the preparation step that resolves relations between them,
 * installs reverse accessors and creates automatic many-to-many tables.
 */
import { ImproperlyConfigured } from '../../core/exceptions.js';
import type { Options } from './options.js';

/** What the registry needs of a model class. */
export interface RegistrableModel {
  readonly name: string;
  readonly _meta: Options;
}

/** Raised when a model is not found (Django's `LookupError`). */
export class LookupError extends ImproperlyConfigured {
  override readonly code: string = 'lookup_error';
}

/** Registered app labels of model classes not yet prepared. */
const pendingLabels = new WeakMap<object, string>();

/** @internal The app label a model was registered with (before preparation). */
export function registeredAppLabel(model: object): string | undefined {
  return pendingLabels.get(model);
}

export class Apps {
  private readonly models = new Map<string, RegistrableModel>();
  private readonly waiting = new Map<string, Array<(model: RegistrableModel) => void>>();

  /**
   * Registers models under an app label and prepares them, resolving the
   * relations between them.
   *
   * @example
   * ```ts
   * apps.register('library', { Author, Book, Review, Tag });
   * ```
   */
  register<M extends Record<string, object>>(appLabel: string, models: M): M {
    const classes = Object.values(models);
    for (const model of classes) pendingLabels.set(model, appLabel);
    // Preparing builds _meta, which resolves relations (and prepares their targets).
    for (const model of classes) void (model as unknown as RegistrableModel)._meta;
    return models;
  }

  /** @internal Records a prepared model and wakes what waited for it. */
  add(model: RegistrableModel): void {
    const key = model._meta.labelLower;
    const existing = this.models.get(key);
    if (existing && existing !== model) {
      throw new ImproperlyConfigured(
        `Conflicting '${model._meta.modelName}' models in application '${model._meta.appLabel}'.`,
      );
    }
    this.models.set(key, model);
    for (const fn of this.waiting.get(key) ?? []) fn(model);
    this.waiting.delete(key);
  }

  /** Runs `fn` with the model labelled `label` now, or when it is registered. */
  lazyModel(label: string, fn: (model: RegistrableModel) => void): void {
    const found = this.models.get(label.toLowerCase());
    if (found) fn(found);
    else {
      const list = this.waiting.get(label.toLowerCase()) ?? [];
      list.push(fn);
      this.waiting.set(label.toLowerCase(), list);
    }
  }

  /**
   * The model `appLabel.modelName` (case-insensitive); `getModel('library.Book')` works too.
   *
   * @example
   * ```ts
   * const Book = apps.getModel('library', 'Book');
   * ```
   */
  getModel(appLabel: string, modelName?: string): RegistrableModel {
    if (modelName === undefined) {
      const [app, name] = appLabel.split('.');
      if (!app || !name)
        throw new LookupError(
          `Model label '${appLabel}' must be of the form 'app_label.ModelName'.`,
        );
      return this.getModel(app, name);
    }
    const found = this.models.get(`${appLabel}.${modelName}`.toLowerCase());
    if (!found) {
      const known = [...this.models.values()].some((m) => m._meta.appLabel === appLabel);
      throw new LookupError(
        known
          ? `App '${appLabel}' doesn't have a '${modelName}' model.`
          : `No installed app with label '${appLabel}'.`,
      );
    }
    return found;
  }

  /** Every registered model, optionally of one app. */
  getModels(appLabel?: string): RegistrableModel[] {
    return [...this.models.values()].filter(
      (m) => appLabel === undefined || m._meta.appLabel === appLabel,
    );
  }

  /** Labels still referenced but never registered (relations that cannot resolve). */
  unresolvedLabels(): string[] {
    return [...this.waiting.keys()];
  }

  /** @internal Forgets everything (tests). */
  clear(): void {
    this.models.clear();
    this.waiting.clear();
  }
}

/** The global registry. */
export const apps = new Apps();
