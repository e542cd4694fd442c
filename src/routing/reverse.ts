/**
 * `reverse()`: from a view name (or the view itself) and arguments back to a
 * URL, with Django's rules for namespaces, defaults, converters and errors.
 */
import { URLPattern, type URLResolver, type UrlconfEntry } from './conf.js';
import type { Converter } from './converters.js';
import { NoReverseMatch } from './exceptions.js';
import { templatesOf, type Template } from './normalize.js';
import type { Pattern } from './patterns.js';
import { pyRepr, pyTuple, quote, urlencode, type Query } from './text.js';

/** Options of `reverse()`. */
export interface ReverseOptions {
  /** Positional arguments, filling the pattern's parameters in order. */
  args?: readonly unknown[] | undefined;
  /** Keyword arguments, by parameter name. */
  kwargs?: Readonly<Record<string, unknown>> | undefined;
  /** Appended as `?query` (Django 5.2's `query`). */
  query?: Query | undefined;
  /** Appended as `#fragment`. */
  fragment?: string | undefined;
  /** The application instance to prefer for application namespaces (`'ns'` or `'outer:inner'`). */
  currentApp?: string | undefined;
}

/** A way to reach a view from one namespace level: the patterns down to it and its defaults. */
interface Possibility {
  readonly pieces: readonly Pattern[];
  readonly defaults: Readonly<Record<string, unknown>>;
}

/** What one level of namespace knows (Django's reverse, namespace and app dicts). */
interface NamespaceIndex {
  /** By name and by view; the last declared first, as Django tries them. */
  readonly lookups: Map<unknown, Possibility[]>;
  /** Instance namespace → the prefix down to it and its resolver; the first declared wins. */
  readonly namespaces: Map<string, { prefix: readonly Pattern[]; resolver: URLResolver }>;
  /** Application namespace → its instance namespaces, the last declared first. */
  readonly apps: Map<string, string[]>;
}

const indexes = new WeakMap<readonly UrlconfEntry[], NamespaceIndex>();

function append<K, V>(map: Map<K, V[]>, key: K, ...values: V[]): void {
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, values);
}

/**
 * Django's `_populate`: entries read from last to first, names of includes
 * without an application namespace merged in, namespaced includes kept apart.
 */
function indexOf(patterns: readonly UrlconfEntry[]): NamespaceIndex {
  let index = indexes.get(patterns);
  if (index) return index;
  index = { lookups: new Map(), namespaces: new Map(), apps: new Map() };
  for (let i = patterns.length - 1; i >= 0; i--) {
    const entry = patterns[i]!;
    if (entry instanceof URLPattern) {
      const possibility = { pieces: [entry.pattern], defaults: entry.defaultArgs };
      append(index.lookups, entry.callback, possibility);
      if (entry.name !== undefined) append(index.lookups, entry.name, possibility);
    } else if (entry.appName) {
      append(index.apps, entry.appName, entry.namespace!);
      index.namespaces.set(entry.namespace!, { prefix: [entry.pattern], resolver: entry });
    } else {
      const inner = indexOf(entry.urlPatterns);
      for (const [key, list] of inner.lookups) {
        for (const p of list) {
          append(index.lookups, key, {
            pieces: [entry.pattern, ...p.pieces],
            defaults: { ...p.defaults, ...entry.defaultKwargs },
          });
        }
      }
      for (const [ns, { prefix, resolver }] of inner.namespaces) {
        index.namespaces.set(ns, { prefix: [entry.pattern, ...prefix], resolver });
      }
      for (const [app, list] of inner.apps) append(index.apps, app, ...list);
    }
  }
  indexes.set(patterns, index);
  return index;
}

const templateCache = new WeakMap<Pattern, ReturnType<typeof templatesOf>>();

function templates(pattern: Pattern): ReturnType<typeof templatesOf> {
  let t = templateCache.get(pattern);
  if (!t) templateCache.set(pattern, (t = templatesOf(pattern)));
  return t;
}

/** Every template of a chain of patterns, with the converters of all its parameters. */
function chainTemplates(pieces: readonly Pattern[]): {
  forms: Template[];
  converters: Record<string, Converter>;
} {
  let forms: Template[] = [{ parts: [], params: [] }];
  const converters: Record<string, Converter> = {};
  for (const piece of pieces) {
    const t = templates(piece);
    Object.assign(converters, t.converters);
    forms = forms.flatMap((f) =>
      t.templates.map((g) => ({
        parts: [...f.parts, ...g.parts],
        params: [...f.params, ...g.params],
      })),
    );
  }
  return { forms, converters };
}

/** Whether the chain matches `path` from its start, piece after piece, without converting. */
function chainMatches(pieces: readonly Pattern[], path: string): boolean {
  let rest = path;
  for (const piece of pieces) {
    const length = piece.matchLength(rest);
    if (length < 0) return false;
    rest = rest.slice(length);
  }
  return true;
}

/** The patterns as Django's message lists them. */
function chainSource(pieces: readonly Pattern[]): string {
  return pieces.map((p) => p.pattern).join('');
}

/** RFC 3986 sub-delimiters plus what a path segment may hold: never escaped. */
const PCHAR_SAFE = "!$&'()*+,;=/~:@";

function tryPossibility(
  possibility: Possibility,
  prefix: readonly Pattern[],
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
): string | null {
  const pieces = [...prefix, ...possibility.pieces];
  const { defaults } = possibility;
  const { forms, converters } = chainTemplates(pieces);
  for (const form of forms) {
    let subs: Record<string, unknown>;
    if (args.length) {
      if (args.length !== form.params.length) continue;
      subs = Object.fromEntries(form.params.map((p, i) => [p, args[i]]));
    } else {
      const params = new Set(form.params);
      const given = Object.keys(kwargs);
      if (given.some((k) => !params.has(k) && !Object.hasOwn(defaults, k))) continue;
      if (form.params.some((p) => !Object.hasOwn(kwargs, p) && !Object.hasOwn(defaults, p))) {
        continue;
      }
      const clash = Object.entries(defaults).some(
        ([k, v]) => !params.has(k) && Object.hasOwn(kwargs, k) && kwargs[k] !== v,
      );
      if (clash) continue;
      subs = { ...kwargs };
    }
    const text: Record<string, string> = {};
    let convertible = true;
    for (const [name, value] of Object.entries(subs)) {
      const converter = converters[name];
      if (!converter) {
        text[name] = String(value);
        continue;
      }
      try {
        text[name] = converter.toUrl(value);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        convertible = false;
        break;
      }
    }
    if (!convertible) continue;
    // A parameter filled by a default only (Django fails on it with a KeyError): not this form.
    if (form.params.some((p) => !Object.hasOwn(text, p))) continue;
    const candidate = form.parts.map((p) => (typeof p === 'string' ? p : text[p.param])).join('');
    if (!chainMatches(pieces, candidate)) continue;
    const url = quote(`/${candidate}`, PCHAR_SAFE);
    // A URL starting with '//' would be read as another host's.
    return url.startsWith('//') ? `/%2F${url.slice(2)}` : url;
  }
  return null;
}

/** `reverse()` against one URL configuration's patterns. */
export function reverseIn(
  patterns: readonly UrlconfEntry[],
  viewname: string | ((...args: never[]) => unknown),
  options: ReverseOptions = {},
): string {
  const args = options.args ?? [];
  const kwargs = options.kwargs ?? {};
  if (args.length && Object.keys(kwargs).length) {
    throw new RangeError("Don't mix *args and **kwargs in call to reverse()!");
  }
  let index = indexOf(patterns);
  let view: unknown = viewname;
  const prefix: Pattern[] = [];
  if (typeof viewname === 'string') {
    const path = viewname.split(':');
    view = path.pop();
    // Popped from the end: the outermost namespace of currentApp comes first.
    let current = options.currentApp ? options.currentApp.split(':').reverse() : undefined;
    const resolved: string[] = [];
    for (let ns of path) {
      const currentNs = current?.length ? current.pop() : undefined;
      const instances = index.apps.get(ns);
      if (instances) {
        if (currentNs && instances.includes(currentNs)) ns = currentNs;
        else if (!instances.includes(ns)) ns = instances[0]!;
      }
      if (ns !== currentNs) current = undefined;
      const found = index.namespaces.get(ns);
      if (!found) {
        throw new NoReverseMatch(
          resolved.length
            ? `'${ns}' is not a registered namespace inside '${resolved.join(':')}'`
            : `'${ns}' is not a registered namespace`,
        );
      }
      resolved.push(ns);
      prefix.push(...found.prefix);
      index = indexOf(found.resolver.urlPatterns);
    }
  }
  const possibilities = index.lookups.get(view) ?? [];
  for (const possibility of possibilities) {
    const url = tryPossibility(possibility, prefix, args, kwargs);
    if (url === null) continue;
    let result = url;
    if (options.query !== undefined) {
      const query = urlencode(options.query);
      if (query) result += `?${query}`;
    }
    if (options.fragment !== undefined) result += `#${options.fragment}`;
    return result;
  }
  const shown = typeof view === 'function' ? view.name || 'anonymous function' : String(view);
  if (possibilities.length) {
    const tried = possibilities.map((p) => chainSource([...prefix, ...p.pieces]));
    const argText = args.length
      ? `arguments '${pyTuple(args)}'`
      : Object.keys(kwargs).length
        ? `keyword arguments '${pyRepr({ ...kwargs })}'`
        : 'no arguments';
    throw new NoReverseMatch(
      `Reverse for '${shown}' with ${argText} not found. ${tried.length} pattern(s) tried: ${pyRepr(tried)}`,
    );
  }
  throw new NoReverseMatch(
    `Reverse for '${shown}' not found. '${shown}' is not a valid view function or pattern name.`,
  );
}
