/**
 * `reinhardt/routing`: Django's URL configuration (the role of
 * `django.urls`): `path()` and `rePath()` patterns with converters,
 * `include()` with namespaces, `resolve()`, `reverse()` and the
 * `APPEND_SLASH` test. Matching goes through a radix tree (find-my-way) and
 * keeps Django's first-match order.
 *
 * @example
 * ```ts
 * import { include, path, resolve, reverse } from 'reinhardt/routing';
 *
 * const bookDetail = (request: unknown, { pk }: { pk: number }) => `book ${pk}`;
 * const urlpatterns = [
 *   path('library/', include({ appName: 'library', urlpatterns: [
 *     path('books/<int:pk>/', bookDetail, { name: 'book' }),
 *   ] })),
 * ];
 * resolve('/library/books/7/', { urlconf: urlpatterns }).kwargs; // { pk: 7 }
 * reverse('library:book', { kwargs: { pk: 7 }, urlconf: urlpatterns }); // '/library/books/7/'
 * ```
 */
export { include, path, rePath, URLPattern, URLResolver } from './conf.js';
export type {
  IncludedUrlconf,
  PathOptions,
  RouteParams,
  Urlconf,
  UrlconfEntry,
  UrlconfModule,
  View,
} from './conf.js';
export { DEFAULT_CONVERTERS, getConverter, registerConverter } from './converters.js';
export type { Converter, ConverterTypes } from './converters.js';
export { NoReverseMatch, Resolver404 } from './exceptions.js';
export type { TriedPatterns } from './exceptions.js';
export { ResolverMatch } from './match.js';
export { RegexPattern, RoutePattern } from './patterns.js';
export type { Pattern } from './patterns.js';
export { Resolver } from './resolver.js';
export type { ReverseOptions } from './reverse.js';
export type { Query, QueryValue } from './text.js';
export {
  clearUrlCaches,
  getResolver,
  isValidPath,
  loadUrlconf,
  resolve,
  reverse,
  shouldAppendSlash,
} from './base.js';
export type { UrlconfOption } from './base.js';
