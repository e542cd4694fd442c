/**
 * The functions a URL configuration is written with: `path()`, `rePath()`
 * and `include()`, and the two entry types they build.
 */
import { ImproperlyConfigured } from '../core/exceptions.js';
import type { ConverterTypes } from './converters.js';
import { RegexPattern, RoutePattern, type Pattern } from './patterns.js';

/**
 * A view as routing sees it: something called with the request and the
 * keyword arguments of the match. Routing never calls it; the HTTP layer does.
 *
 * @example
 * ```ts
 * const bookDetail: View<{ pk: number }> = (request, { pk }) => `book ${pk}`;
 * ```
 */
export type View<P = any> = (request: any, kwargs: P) => unknown;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type ParameterType<S extends string> = S extends `${infer C}:${infer N}`
  ? { [K in N]: C extends keyof ConverterTypes ? ConverterTypes[C] : unknown }
  : { [K in S]: string };

type RouteParamsOf<R extends string> = R extends `${string}<${infer P}>${infer Rest}`
  ? ParameterType<P> & RouteParamsOf<Rest>
  : Record<never, never>;

/**
 * The keyword arguments a route gives its view, read from the route's text.
 *
 * @example
 * ```ts
 * type P = RouteParams<'books/<int:pk>/<slug:title>/'>; // { pk: number; title: string }
 * ```
 */
export type RouteParams<R extends string> = string extends R
  ? Record<string, unknown>
  : Simplify<RouteParamsOf<R>>;

/**
 * Options of `path()` and `rePath()` for a view.
 *
 * @example
 * ```ts
 * path('feed/', feed, { name: 'feed', kwargs: { format: 'rss' } });
 * ```
 */
export interface PathOptions<K extends Record<string, unknown> = Record<never, never>> {
  /** The name `reverse()` finds the pattern by. */
  name?: string;
  /** Extra keyword arguments given to the view (Django's `kwargs`). */
  kwargs?: K;
}

/**
 * An endpoint: a pattern and the view it leads to (Django's `URLPattern`),
 * as `path()` and `rePath()` return it for a view.
 *
 * @example
 * ```ts
 * const entry = path('books/<int:pk>/', bookDetail, { name: 'book' });
 * entry.name; // 'book'
 * String(entry); // "<URLPattern 'books/<int:pk>/' [name='book']>"
 * ```
 */
export class URLPattern<V = View> {
  readonly defaultArgs: Readonly<Record<string, unknown>>;
  constructor(
    readonly pattern: Pattern,
    readonly callback: V,
    defaultArgs: Record<string, unknown> | undefined,
    readonly name: string | undefined,
  ) {
    this.defaultArgs = defaultArgs ?? {};
  }

  /** `'books/<int:pk>/' [name='book']`, as Django's checks and 404 page show a pattern. */
  describe(): string {
    return describePattern(this.pattern, this.name);
  }

  toString(): string {
    return `<URLPattern ${this.describe()}>`;
  }
}

/**
 * A prefix and the patterns included under it (Django's `URLResolver`), as
 * `path()` and `rePath()` return it for an `include()`.
 *
 * @example
 * ```ts
 * const entry = path('blog/', include(blog, { namespace: 'news' }));
 * entry.namespace; // 'news'
 * entry.urlPatterns; // blog.urlpatterns
 * ```
 */
export class URLResolver {
  readonly defaultKwargs: Readonly<Record<string, unknown>>;
  constructor(
    readonly pattern: Pattern,
    readonly urlPatterns: readonly UrlconfEntry[],
    defaultKwargs: Record<string, unknown> | undefined,
    readonly appName: string | undefined,
    readonly namespace: string | undefined,
  ) {
    this.defaultKwargs = defaultKwargs ?? {};
  }

  describe(): string {
    return describePattern(this.pattern, undefined);
  }

  toString(): string {
    return `<URLResolver (${this.appName ?? 'None'}:${this.namespace ?? 'None'}) ${this.describe()}>`;
  }
}

/** An entry of a URL configuration. */
export type UrlconfEntry = URLPattern | URLResolver;

/** What `include()` returns: given to `path()` or `rePath()` in place of a view. */
export interface IncludedUrlconf {
  readonly [INCLUDED]: true;
  readonly urlpatterns: readonly UrlconfEntry[];
  readonly appName: string | undefined;
  readonly namespace: string | undefined;
}

const INCLUDED: unique symbol = Symbol('reinhardt.routing.included');

/**
 * A module (or object) that holds a URL configuration, as `include()` accepts it.
 *
 * @example
 * ```ts
 * // blog/urls.ts
 * export const appName = 'blog';
 * export const urlpatterns = [path('', postList, { name: 'index' })];
 * ```
 */
export interface UrlconfModule {
  readonly urlpatterns: readonly UrlconfEntry[];
  /** The application namespace (Django's `app_name`). */
  readonly appName?: string | undefined;
}

/** A URL configuration: its patterns, or a module exporting `urlpatterns`. */
export type Urlconf = readonly UrlconfEntry[] | UrlconfModule;

/** The patterns of a URL configuration, with Django's error when there are none. */
export function patternsOf(urlconf: Urlconf, what = 'URLconf'): readonly UrlconfEntry[] {
  let patterns: unknown;
  try {
    patterns = Array.isArray(urlconf) ? urlconf : (urlconf as UrlconfModule).urlpatterns;
  } catch {
    // A module read before it has finished evaluating (a circular import) throws here.
    patterns = undefined;
  }
  if (!Array.isArray(patterns)) {
    throw new ImproperlyConfigured(
      `The included ${what} '${describeUrlconf(urlconf)}' does not appear to have any patterns in it. ` +
        "If you see the 'urlpatterns' variable with valid patterns in the file then the issue " +
        'is probably caused by a circular import.',
    );
  }
  for (const entry of patterns) {
    if (!(entry instanceof URLPattern || entry instanceof URLResolver)) {
      throw new ImproperlyConfigured(
        `Your URL pattern ${describeUrlconf(entry)} is invalid. Ensure that urlpatterns is a ` +
          'list of path() and/or rePath() instances.',
      );
    }
  }
  return patterns as readonly UrlconfEntry[];
}

/**
 * Includes another URL configuration under a prefix. With an application
 * namespace (`appName`, from the included module or given here), the names
 * inside are reversed as `'namespace:name'`; `namespace` names this instance
 * of the application (it defaults to the application namespace).
 *
 * @example
 * ```ts
 * import * as blog from './blog/urls.js'; // exports urlpatterns and appName = 'blog'
 *
 * export const urlpatterns = [
 *   path('blog/', include(blog)),
 *   path('news/', include(blog, { namespace: 'news' })),
 *   path('api/', include([path('ping/', ping, { name: 'ping' })])),
 * ];
 * ```
 */
export function include(
  urlconf: Urlconf,
  options: { namespace?: string | undefined } = {},
): IncludedUrlconf {
  const urlpatterns = patternsOf(urlconf);
  const appName = Array.isArray(urlconf) ? undefined : (urlconf as UrlconfModule).appName;
  if (options.namespace && !appName) {
    throw new ImproperlyConfigured(
      'Specifying a namespace in include() without providing an appName is not supported. ' +
        'Set the appName export in the included module, or pass { urlpatterns, appName } instead.',
    );
  }
  return Object.freeze({
    [INCLUDED]: true as const,
    urlpatterns,
    appName: appName || undefined,
    namespace: options.namespace || appName || undefined,
  });
}

function isIncluded(value: unknown): value is IncludedUrlconf {
  return typeof value === 'object' && value !== null && INCLUDED in value;
}

function isClass(fn: unknown): fn is abstract new (...args: never[]) => unknown {
  return typeof fn === 'function' && /^class\b/.test(Function.prototype.toString.call(fn));
}

function makeEntry(
  makePattern: (isEndpoint: boolean) => Pattern,
  view: unknown,
  options: PathOptions<Record<string, unknown>> | undefined,
): UrlconfEntry {
  const kwargs = options?.kwargs;
  if (kwargs !== undefined && (typeof kwargs !== 'object' || kwargs === null)) {
    throw new TypeError(
      `kwargs argument must be an object, but it received ${kwargs === null ? 'null' : typeof kwargs}.`,
    );
  }
  if (isIncluded(view)) {
    return new URLResolver(
      makePattern(false),
      view.urlpatterns,
      kwargs,
      view.appName,
      view.namespace,
    );
  }
  if (isClass(view)) {
    throw new TypeError(
      `view must be a function, pass ${view.name}.asView(), not the class ${view.name}.`,
    );
  }
  if (typeof view === 'function') {
    return new URLPattern(makePattern(true), view as View, kwargs, options?.name);
  }
  throw new TypeError('view must be a function or the result of include().');
}

/**
 * A URL pattern written as a route: literal text and `<converter:name>`
 * parameters (`int`, `str`, `slug`, `uuid`, `path`, or registered ones).
 * The view is typed by the route: `<int:pk>` gives it `{ pk: number }`.
 *
 * @example
 * ```ts
 * import { path } from 'reinhardt/routing';
 *
 * const bookDetail = (request: unknown, { pk }: { pk: number }) => `book ${pk}`;
 * export const urlpatterns = [path('books/<int:pk>/', bookDetail, { name: 'book-detail' })];
 * ```
 */
export function path<R extends string, K extends Record<string, unknown> = Record<never, never>>(
  route: R,
  view: View<RouteParams<R> & NoInfer<K>>,
  options?: PathOptions<K>,
): URLPattern;
export function path(
  route: string,
  view: IncludedUrlconf,
  options?: Pick<PathOptions<Record<string, unknown>>, 'kwargs'>,
): URLResolver;
export function path(
  route: string,
  view: unknown,
  options?: PathOptions<Record<string, unknown>>,
): UrlconfEntry {
  return makeEntry((isEndpoint) => new RoutePattern(route, isEndpoint), view, options);
}

/**
 * A URL pattern written as a regular expression (a string or a `RegExp`).
 * Named groups become keyword arguments (as strings); without named groups,
 * the groups become positional `args`.
 *
 * @example
 * ```ts
 * import { rePath } from 'reinhardt/routing';
 *
 * export const urlpatterns = [
 *   rePath(/^archive\/(?<year>[0-9]{4})\/$/, yearArchive, { name: 'archive' }),
 *   rePath('^legacy/(\\d+)/$', legacyRedirect),
 * ];
 * ```
 */
export function rePath<K extends Record<string, unknown> = Record<never, never>>(
  regex: string | RegExp,
  view: View<any>,
  options?: PathOptions<K>,
): URLPattern;
export function rePath(
  regex: string | RegExp,
  view: IncludedUrlconf,
  options?: Pick<PathOptions<Record<string, unknown>>, 'kwargs'>,
): URLResolver;
export function rePath(
  regex: string | RegExp,
  view: unknown,
  options?: PathOptions<Record<string, unknown>>,
): UrlconfEntry {
  return makeEntry((isEndpoint) => new RegexPattern(regex, isEndpoint), view, options);
}

function describePattern(pattern: Pattern, name: string | undefined): string {
  return `'${String(pattern)}'` + (name !== undefined ? ` [name='${name}']` : '');
}

function describeUrlconf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'function') return value.name || 'anonymous function';
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (value && typeof value === 'object') {
    const tag = Object.prototype.toString.call(value);
    return tag === '[object Object]' ? `{${Object.keys(value).join(', ')}}` : tag;
  }
  return String(value);
}
