/**
 * Content types (Django's `django.contrib.contenttypes`): one row per model
 * (`app_label`, `model`), what permissions and generic relations point at.
 */
import { CharField, Manager, Model } from '../db/models/index.js';
import type { Options } from '../db/models/options.js';

/** A model class as content types see it. */
interface ModelLike {
  readonly _meta: Pick<Options, 'appLabel' | 'modelName'>;
}

/** `getForModel` with a per-process cache (Django's `ContentTypeManager`). */
export class ContentTypeManager extends Manager<ContentType> {
  private readonly cache = new Map<string, ContentType>();

  /**
   * The content type of `model`, created on first use.
   *
   * @example
   * ```ts
   * const ct = await ContentType.objects.getForModel(Book);
   * ct.appLabel; // 'library'
   * ```
   */
  async getForModel(model: ModelLike, using?: string): Promise<ContentType> {
    const { appLabel, modelName } = model._meta;
    const key = `${using ?? ''}:${appLabel}.${modelName}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const qs = using ? this.using(using) : this.all();
    const [ct] = await qs.getOrCreate({ appLabel, model: modelName });
    this.cache.set(key, ct);
    return ct;
  }

  /** Forgets the cache (tests, or after content types were deleted). */
  clearCache(): void {
    this.cache.clear();
  }
}

export class ContentType extends Model(
  {
    appLabel: CharField({ maxLength: 100 }),
    model: CharField({ maxLength: 100, verboseName: 'python model class name' }),
  },
  {
    appLabel: 'contenttypes',
    dbTable: 'django_content_type',
    uniqueTogether: [['appLabel', 'model']],
    verboseName: 'content type',
  },
) {
  static override objects = new ContentTypeManager();
  override toString(): string {
    return `${this.appLabel} | ${this.model}`;
  }
}

/** The models this app registers. */
export const models = { ContentType };
