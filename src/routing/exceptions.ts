/** The two errors of URL resolution, in the roles of `django.urls.exceptions`. */
import { ReinhardtError } from '../core/exceptions.js';
import type { UrlconfEntry } from './conf.js';

/** The patterns tried, each as its chain from the top-level entry down. */
export type TriedPatterns = readonly (readonly UrlconfEntry[])[];

/** The patterns tried, or what computes them when first read. */
export type TriedInput = TriedPatterns | { computeTried(): TriedPatterns };

/** Reads a {@link TriedInput}. */
export function triedOf(input: TriedInput): TriedPatterns {
  return 'computeTried' in input ? input.computeTried() : input;
}

/**
 * No URL pattern matches the path (Django's `Resolver404`). `tried` lists the
 * patterns in the order Django would have tried them; it is computed when
 * first read, so a flood of 404s costs no more than the lookup.
 *
 * @example
 * ```ts
 * try {
 *   resolve('/nowhere/', { urlconf });
 * } catch (error) {
 *   if (error instanceof Resolver404) console.log(error.tried.map((chain) => chain.join(' ')));
 * }
 * ```
 */
export class Resolver404 extends ReinhardtError {
  override readonly code: string = 'resolver404';
  #tried: TriedInput;

  constructor(
    /** The path that was resolved. */
    readonly path: string,
    tried: TriedInput,
  ) {
    super(`The current path, ${path}, didn't match any of the URL patterns.`);
    this.#tried = tried;
  }

  get tried(): TriedPatterns {
    return (this.#tried = triedOf(this.#tried));
  }
}

/**
 * `reverse()` found no URL for the name and arguments (Django's `NoReverseMatch`).
 *
 * @example
 * ```ts
 * assert.throws(() => reverse('nowhere', { urlconf }), NoReverseMatch);
 * ```
 */
export class NoReverseMatch extends ReinhardtError {
  override readonly code: string = 'no_reverse_match';
}
