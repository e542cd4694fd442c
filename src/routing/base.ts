/**
 * The module-level functions (`resolve`, `reverse`, …) and the URL
 * configuration they use by default: the module named by the `rootUrlconf`
 * setting, loaded once with {@link loadUrlconf}.
 */
import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { settingsModuleCandidates } from '../conf/resolve.js';
import { settings } from '../conf/settings.js';
import { ImproperlyConfigured } from '../core/exceptions.js';
import type { Urlconf, UrlconfModule } from './conf.js';
import type { ResolverMatch } from './match.js';
import { Resolver } from './resolver.js';
import type { ReverseOptions } from './reverse.js';

/** Which URL configuration to use: patterns, a module, or a loaded module's specifier. */
export type UrlconfOption = Urlconf | string | undefined;

let byObject = new WeakMap<object, Resolver>();
const bySpecifier = new Map<string, Resolver>();

/**
 * The resolver of a URL configuration, built once per patterns array or
 * module. Without an argument: the `rootUrlconf` setting's module, which
 * {@link loadUrlconf} must have loaded.
 *
 * @example
 * ```ts
 * const resolver = getResolver(urlpatterns);
 * resolver === getResolver(urlpatterns); // true
 * ```
 */
export function getResolver(urlconf?: UrlconfOption): Resolver {
  if (urlconf === undefined) {
    const root = settings.rootUrlconf;
    if (!root) {
      throw new ImproperlyConfigured(
        'The rootUrlconf setting is not set: set it to the module of your URL configuration, ' +
          'or pass { urlconf }.',
      );
    }
    urlconf = root;
  }
  if (typeof urlconf === 'string') {
    const loaded = bySpecifier.get(urlconf);
    if (!loaded) {
      throw new ImproperlyConfigured(
        `The URL configuration '${urlconf}' is not loaded: await loadUrlconf('${urlconf}') first.`,
      );
    }
    return loaded;
  }
  let resolver = byObject.get(urlconf);
  if (!resolver) byObject.set(urlconf, (resolver = new Resolver(urlconf)));
  return resolver;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Imports a URL configuration module (by default the `rootUrlconf`
 * setting): a path or a dotted name relative to the working directory, as
 * settings modules are found. The module exports `urlpatterns` (or has them
 * as its default export). Later calls with the same specifier reuse it.
 *
 * @example
 * ```ts
 * await loadUrlconf(); // settings.rootUrlconf, e.g. 'config.urls'
 * reverse('home'); // now works without { urlconf }
 * ```
 */
export async function loadUrlconf(specifier?: string): Promise<Resolver> {
  const spec = specifier ?? settings.rootUrlconf;
  if (!spec) {
    throw new ImproperlyConfigured(
      'The rootUrlconf setting is not set: set it to the module of your URL configuration.',
    );
  }
  const cached = bySpecifier.get(spec);
  if (cached) return cached;
  const candidates = settingsModuleCandidates(spec, process.cwd());
  const file = candidates.find(isFile);
  if (!file) {
    throw new ImproperlyConfigured(
      `Cannot find the URL configuration module '${spec}'. Tried:\n` +
        candidates.map((c) => `  ${c}`).join('\n'),
    );
  }
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const resolver = new Resolver(urlconfOfModule(module, spec));
  bySpecifier.set(spec, resolver);
  return resolver;
}

function urlconfOfModule(module: Record<string, unknown>, spec: string): Urlconf {
  // tsx wraps a CommonJS-shaped module's exports in `default`.
  const wrapped = module.default as Record<string, unknown> | undefined;
  const exports =
    wrapped && typeof wrapped === 'object' && (wrapped as { __esModule?: unknown }).__esModule
      ? wrapped
      : module;
  if (Array.isArray(exports.urlpatterns)) return exports as unknown as UrlconfModule;
  if (Array.isArray(exports.default)) return exports.default as Urlconf;
  throw new ImproperlyConfigured(
    `The included URLconf '${spec}' does not appear to have any patterns in it. If you see the ` +
      "'urlpatterns' variable with valid patterns in the file then the issue is probably caused " +
      'by a circular import.',
  );
}

/**
 * Forgets every resolver built by {@link getResolver} and every module loaded
 * by {@link loadUrlconf} (Django's `clear_url_caches`): patterns changed since
 * are read again, and loaded modules need `loadUrlconf` again.
 *
 * @example
 * ```ts
 * afterEach(() => clearUrlCaches());
 * ```
 */
export function clearUrlCaches(): void {
  byObject = new WeakMap();
  bySpecifier.clear();
}

/**
 * The view and arguments for a path (Django's `resolve`); throws
 * {@link Resolver404} when nothing matches.
 *
 * @example
 * ```ts
 * const match = resolve('/books/7/', { urlconf: urlpatterns });
 * match.urlName; // 'book-detail'
 * match.kwargs; // { pk: 7 }
 * ```
 */
export function resolve(path: string, options: { urlconf?: UrlconfOption } = {}): ResolverMatch {
  return getResolver(options.urlconf).resolve(path);
}

/**
 * The URL of a named pattern, `'namespace:name'`, or a view function
 * (Django's `reverse`); throws {@link NoReverseMatch} with Django's message
 * when no pattern fits the arguments.
 *
 * @example
 * ```ts
 * reverse('book-detail', { kwargs: { pk: 7 }, urlconf: urlpatterns }); // '/books/7/'
 * reverse('blog:post', { args: ['hello'], query: { page: 2 }, urlconf: urlpatterns });
 * // '/blog/hello/?page=2'
 * ```
 */
export function reverse(
  viewname: string | ((...args: never[]) => unknown),
  options: ReverseOptions & { urlconf?: UrlconfOption } = {},
): string {
  return getResolver(options.urlconf).reverse(viewname, options);
}

/**
 * The match for `path`, or `false` when it does not resolve (Django's `is_valid_path`).
 *
 * @example
 * ```ts
 * isValidPath('/books/', { urlconf: urlpatterns }); // a ResolverMatch
 * isValidPath('/books', { urlconf: urlpatterns }); // false
 * ```
 */
export function isValidPath(
  path: string,
  options: { urlconf?: UrlconfOption } = {},
): ResolverMatch | false {
  return getResolver(options.urlconf).isValidPath(path);
}

/**
 * Whether `APPEND_SLASH` applies: `path` has no trailing slash and does not
 * resolve, while `path + '/'` does (to a view not marked
 * `shouldAppendSlash = false`). The middleware that redirects reads the
 * `appendSlash` setting; this only answers for the URLs.
 *
 * @example
 * ```ts
 * shouldAppendSlash('/books', { urlconf: [path('books/', bookList)] }); // true
 * ```
 */
export function shouldAppendSlash(
  path: string,
  options: { urlconf?: UrlconfOption } = {},
): boolean {
  return getResolver(options.urlconf).shouldAppendSlash(path);
}
