/**
 * A resolver for one URL configuration: the radix tree for `path()`
 * endpoints, an ordered list for endpoints under a `rePath()`, both read in
 * declaration order so the first match is Django's.
 */
import { patternsOf, type Urlconf, type UrlconfEntry } from './conf.js';
import { Resolver404 } from './exceptions.js';
import { flatten, matchEndpoint, TriedLater, type Endpoint, type ResolverMatch } from './match.js';
import { RadixIndex } from './radix.js';
import { reverseIn, type ReverseOptions } from './reverse.js';

/**
 * Resolves paths to views and reverses names to paths for one URL
 * configuration (the role of Django's root `URLResolver`). Build it once:
 * the patterns are read when it is created.
 *
 * @example
 * ```ts
 * const resolver = new Resolver([path('books/<int:pk>/', bookDetail, { name: 'book' })]);
 * resolver.resolve('/books/7/').kwargs; // { pk: 7 }
 * resolver.reverse('book', { kwargs: { pk: 7 } }); // '/books/7/'
 * ```
 */
export class Resolver {
  readonly urlpatterns: readonly UrlconfEntry[];
  readonly #tree: RadixIndex;
  /** Endpoints with a `rePath()` along their chain, tried by regex in order. */
  readonly #scanned: readonly Endpoint[];

  constructor(urlconf: Urlconf) {
    this.urlpatterns = patternsOf(urlconf);
    const endpoints = flatten(this.urlpatterns);
    const routed = endpoints.filter((e) => e.pieces.every((p) => p.kind === 'route'));
    this.#tree = new RadixIndex(routed);
    this.#scanned = endpoints.filter((e) => e.pieces.some((p) => p.kind === 'regex'));
  }

  /**
   * The view for `path` (which starts with `/`), or {@link Resolver404}.
   *
   * The tree's candidates and the regex endpoints are merged by declaration
   * order and matched one by one; the first that matches is returned.
   */
  resolve(path: string): ResolverMatch {
    const match = this.#find(path);
    if (match) return match;
    // A 404 is an answer, not a bug: its stack trace would only cost time
    // (several microseconds, more than the lookup) on every unknown path.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      throw new Resolver404(
        path,
        path.startsWith('/') ? new TriedLater(this.urlpatterns, path) : [],
      );
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  /** The match for `path`, or `false` (Django's `is_valid_path`). */
  isValidPath(path: string): ResolverMatch | false {
    return this.#find(path) ?? false;
  }

  #find(path: string): ResolverMatch | null {
    if (!path.startsWith('/')) return null;
    const tried = new TriedLater(this.urlpatterns, path);
    const rest = path.slice(1);
    const fromTree = this.#tree.candidates(path);
    const scanned = this.#scanned;
    let i = 0;
    let j = 0;
    while (i < fromTree.length || j < scanned.length) {
      const takeTree =
        j >= scanned.length || (i < fromTree.length && fromTree[i]!.order < scanned[j]!.order);
      const endpoint = takeTree ? fromTree[i++]! : scanned[j++]!;
      const match = matchEndpoint(endpoint, rest, tried);
      if (match) return match;
    }
    return null;
  }

  /**
   * Whether `APPEND_SLASH` should redirect `path` to `path + '/'`: `path`
   * does not end with `/`, does not resolve, and `path + '/'` does, to a
   * view that does not opt out with `shouldAppendSlash = false` (the flag
   * Django's `no_append_slash` sets).
   */
  shouldAppendSlash(path: string): boolean {
    if (path.endsWith('/') || this.isValidPath(path)) return false;
    const match = this.isValidPath(`${path}/`);
    if (!match) return false;
    return (match.view as { shouldAppendSlash?: unknown }).shouldAppendSlash !== false;
  }

  /** The URL of a named pattern (or of a view), as {@link reverse} documents. */
  reverse(viewname: string | ((...args: never[]) => unknown), options?: ReverseOptions): string {
    return reverseIn(this.urlpatterns, viewname, options);
  }
}
