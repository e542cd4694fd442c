/**
 * Matching one endpoint the way Django's resolvers do, and Django's own
 * tree walk: the reference for first-match order, used to list the patterns
 * tried (for the 404 page) and as the baseline in tests and benchmarks.
 */
import type { URLResolver } from './conf.js';
import { URLPattern, type UrlconfEntry, type View } from './conf.js';
import { triedOf, type TriedInput, type TriedPatterns } from './exceptions.js';
import type { Pattern, PatternMatch } from './patterns.js';

/**
 * A resolved URL (Django's `ResolverMatch`): the view, its arguments, and
 * where the pattern sits in the URL configuration.
 *
 * @example
 * ```ts
 * const match = resolve('/books/7/', { urlconf });
 * match.kwargs; // { pk: 7 }
 * match.viewName; // 'library:book-detail'
 * ```
 */
export class ResolverMatch<V = View> {
  /** Application namespaces, outermost first (Django's `app_names`). */
  readonly appNames: readonly string[];
  /** Instance namespaces, outermost first. */
  readonly namespaces: readonly string[];
  #tried: TriedInput;

  constructor(
    /** The view (Django's `func`). */
    readonly view: V,
    /** Positional arguments: the groups of a `rePath()` without named groups. */
    readonly args: readonly (string | undefined)[],
    /** Keyword arguments: converted parameters, named groups and extra `kwargs`. */
    readonly kwargs: Readonly<Record<string, unknown>>,
    /** The pattern's name. */
    readonly urlName: string | undefined,
    appNames: readonly (string | undefined)[],
    namespaces: readonly (string | undefined)[],
    /** The patterns joined: `'blog/<int:pk>/'`. */
    readonly route: string,
    tried: TriedInput,
    /** The values captured from the path, converted. */
    readonly capturedKwargs: Readonly<Record<string, unknown>>,
    /** The `kwargs` given to `path()`/`include()` along the way. */
    readonly extraKwargs: Readonly<Record<string, unknown>>,
  ) {
    this.appNames = appNames.filter((x): x is string => !!x);
    this.namespaces = namespaces.filter((x): x is string => !!x);
    this.#tried = tried;
  }

  /** The application namespaces joined with `:`. */
  get appName(): string {
    return this.appNames.join(':');
  }

  /** The instance namespaces joined with `:`. */
  get namespace(): string {
    return this.namespaces.join(':');
  }

  /** `'namespace:name'`, or the view's function name when the pattern has no name. */
  get viewName(): string {
    const view = this.view as { name?: unknown };
    const own = this.urlName ?? (typeof view.name === 'string' && view.name ? view.name : 'view');
    return [...this.namespaces, own].join(':');
  }

  /** Every pattern tried before (and including) this one, as Django lists them. */
  get tried(): TriedPatterns {
    return (this.#tried = triedOf(this.#tried));
  }
}

/** One view's pattern with the includes above it, in declaration order. */
export interface Endpoint {
  /** Position in the flattened URL configuration: the first match wins. */
  readonly order: number;
  readonly resolvers: readonly URLResolver[];
  readonly pattern: URLPattern;
  /** The resolvers' patterns then the endpoint's. */
  readonly pieces: readonly Pattern[];
}

/** The endpoints of a URL configuration, depth first, in declaration order. */
export function flatten(patterns: readonly UrlconfEntry[]): Endpoint[] {
  const out: Endpoint[] = [];
  const visit = (entries: readonly UrlconfEntry[], resolvers: URLResolver[]): void => {
    for (const entry of entries) {
      if (entry instanceof URLPattern) {
        out.push({
          order: out.length,
          resolvers,
          pattern: entry,
          pieces: [...resolvers.map((r) => r.pattern), entry.pattern],
        });
      } else {
        visit(entry.urlPatterns, [...resolvers, entry]);
      }
    }
  };
  visit(patterns, []);
  return out;
}

/** `path` (without its leading `/`) against one endpoint, piece after piece as Django does. */
export function matchEndpoint(
  endpoint: Endpoint,
  path: string,
  tried: TriedInput,
): ResolverMatch | null {
  const levels: PatternMatch[] = [];
  let rest = path;
  for (const piece of endpoint.pieces) {
    const m = piece.match(rest);
    if (!m) return null;
    levels.push(m);
    rest = m.rest;
  }
  return assemble(endpoint.resolvers, endpoint.pattern, levels, tried);
}

/**
 * Builds the match bottom up with Django's merge rules: a resolver's captured
 * kwargs and extra kwargs under the endpoint's; positional args only while
 * there are no kwargs at all.
 */
function assemble(
  resolvers: readonly URLResolver[],
  pattern: URLPattern,
  levels: readonly PatternMatch[],
  tried: TriedInput,
): ResolverMatch {
  const own = levels[levels.length - 1]!;
  let args = own.args;
  let kwargs: Record<string, unknown> = { ...own.kwargs, ...pattern.defaultArgs };
  let extra: Record<string, unknown> = { ...pattern.defaultArgs };
  let route = String(pattern.pattern);
  const appNames: (string | undefined)[] = [];
  const namespaces: (string | undefined)[] = [];
  for (let i = resolvers.length - 1; i >= 0; i--) {
    const resolver = resolvers[i]!;
    const level = levels[i]!;
    kwargs = { ...level.kwargs, ...resolver.defaultKwargs, ...kwargs };
    if (Object.keys(kwargs).length === 0) args = [...level.args, ...args];
    extra = { ...resolver.defaultKwargs, ...extra };
    route = joinRoute(String(resolver.pattern), route);
    appNames.unshift(resolver.appName);
    namespaces.unshift(resolver.namespace);
  }
  return new ResolverMatch(
    pattern.callback,
    args,
    kwargs,
    pattern.name,
    appNames,
    namespaces,
    route,
    tried,
    own.kwargs,
    extra,
  );
}

/** Django's `_join_route`: the second route loses its leading `^`. */
function joinRoute(first: string, second: string): string {
  if (!first) return second;
  return first + (second.startsWith('^') ? second.slice(1) : second);
}

/**
 * The patterns Django would have tried for a path, computed on first read:
 * only a 404 page or a debugging session asks, so a lookup never pays for it.
 */
export class TriedLater {
  constructor(
    private readonly patterns: readonly UrlconfEntry[],
    private readonly path: string,
  ) {}

  computeTried(): TriedPatterns {
    return walk(this.patterns, this.path).tried;
  }
}

/** The result of Django's walk: the match (if any) and every pattern tried. */
export interface WalkResult {
  match: ResolverMatch | null;
  tried: (readonly UrlconfEntry[])[];
}

/**
 * Django's resolution: each entry in order, descending into an include when
 * its prefix matches. `path` is the full path, with its leading `/`.
 */
export function walk(patterns: readonly UrlconfEntry[], path: string): WalkResult {
  const tried: (readonly UrlconfEntry[])[] = [];
  if (!path.startsWith('/')) return { match: null, tried };
  const visit = (
    entries: readonly UrlconfEntry[],
    rest: string,
    chain: readonly URLResolver[],
    levels: readonly PatternMatch[],
  ): ResolverMatch | null => {
    for (const entry of entries) {
      const m = entry.pattern.match(rest);
      if (entry instanceof URLPattern) {
        tried.push([...chain, entry]);
        if (m) return assemble(chain, entry, [...levels, m], tried);
      } else if (!m) {
        tried.push([...chain, entry]);
      } else {
        const found = visit(entry.urlPatterns, m.rest, [...chain, entry], [...levels, m]);
        if (found) return found;
      }
    }
    return null;
  };
  return { match: visit(patterns, path.slice(1), [], []), tried };
}
