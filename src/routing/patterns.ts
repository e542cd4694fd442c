/**
 * The two kinds of pattern a URL configuration entry has: a route
 * (`'books/<int:pk>/'`, from `path()`) or a regular expression (from
 * `rePath()`). Both match a prefix of the path as Django's do: a route from
 * the start, ending at the end of the path for an endpoint; a regular
 * expression wherever `RegExp.exec` finds it (anchor it with `^`).
 */
import { ImproperlyConfigured } from '../core/exceptions.js';
import { getConverter, type Converter } from './converters.js';

/** What a pattern matched: the rest of the path and the captured values. */
export interface PatternMatch {
  rest: string;
  args: (string | undefined)[];
  kwargs: Record<string, unknown>;
}

/** A literal piece of a route, or a `<converter:name>` parameter. */
export type RoutePart = string | RouteParameter;

/** `<int:pk>` in a route. */
export interface RouteParameter {
  readonly name: string;
  readonly converterName: string;
  readonly converter: Converter;
}

// Django's grammar for a parameter: `<converter:name>` or `<name>`.
const PARAMETER = /<(?:([^>:]+):)?([^>]+)>/g;
// Python's string.whitespace, which Django refuses inside angle brackets.
const WHITESPACE = /[ \t\n\r\v\f]/;
const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;

/** Escapes text for use as a literal inside a regular expression. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The number of capturing groups in a regex (an empty alternative makes it match ''). */
function countGroups(regex: string): number {
  return new RegExp(`(?:${regex})|`).exec('')!.length - 1;
}

/**
 * A `path()` route: literal text and `<converter:name>` parameters.
 *
 * @example
 * ```ts
 * const route = new RoutePattern('books/<int:pk>/', true);
 * route.match('books/7/'); // { rest: '', args: [], kwargs: { pk: 7 } }
 * route.pattern; // 'books/(?<pk>[0-9]+)/$'
 * ```
 */
export class RoutePattern {
  readonly kind = 'route';
  readonly parts: readonly RoutePart[];
  readonly converters: Readonly<Record<string, Converter>>;
  /**
   * The route compiled, anchored at the start (and at the end for an
   * endpoint), with plain groups: reading `m[i]` is faster than `m.groups`.
   */
  readonly regex: RegExp;
  /** The regex as Django shows it, with named groups (`RegExp#source` would escape every `/`). */
  readonly source: string;
  /** For each parameter in order, the index of its group in {@link regex}. */
  readonly #groups: { name: string; index: number; converter: Converter }[] = [];

  constructor(
    readonly route: string,
    readonly isEndpoint: boolean,
  ) {
    if (typeof route !== 'string') {
      throw new TypeError(`A route must be a string, not ${describeValue(route)}.`);
    }
    const parts: RoutePart[] = [];
    const converters: Record<string, Converter> = {};
    let source = '^';
    let compiled = '^';
    let groupIndex = 1;
    let previousEnd = 0;
    for (const m of route.matchAll(PARAMETER)) {
      if (WHITESPACE.test(m[0])) {
        throw new ImproperlyConfigured(
          `URL route '${route}' cannot contain whitespace in angle brackets <…>.`,
        );
      }
      const converterName = m[1] ?? 'str';
      const name = m[2]!;
      if (!IDENTIFIER.test(name)) {
        throw new ImproperlyConfigured(
          `URL route '${route}' uses parameter name '${name}' which isn't a valid JavaScript identifier.`,
        );
      }
      const converter = getConverter(converterName);
      if (!converter) {
        throw new ImproperlyConfigured(
          `URL route '${route}' uses invalid converter '${converterName}'.`,
        );
      }
      if (Object.hasOwn(converters, name)) {
        throw new ImproperlyConfigured(
          `URL route '${route}' uses parameter name '${name}' more than once.`,
        );
      }
      converters[name] = converter;
      const literal = route.slice(previousEnd, m.index);
      if (literal) parts.push(literal);
      parts.push({ name, converterName, converter });
      source += `${escapeRegex(literal)}(?<${name}>${converter.regex})`;
      compiled += `${escapeRegex(literal)}(${converter.regex})`;
      this.#groups.push({ name, index: groupIndex, converter });
      groupIndex += 1 + countGroups(converter.regex);
      previousEnd = m.index + m[0].length;
    }
    const tail = route.slice(previousEnd);
    if (tail) parts.push(tail);
    source += escapeRegex(tail) + (isEndpoint ? '$' : '');
    compiled += escapeRegex(tail) + (isEndpoint ? '$' : '');
    this.parts = parts;
    this.converters = converters;
    this.source = source;
    this.regex = new RegExp(compiled);
  }

  /** The regular expression as Django shows it in messages (no leading `^`). */
  get pattern(): string {
    return this.source.slice(1);
  }

  /** Matches the start of `path`, converting the parameters with their `toJs`. */
  match(path: string): PatternMatch | null {
    // Without parameters the regex is not needed (Django does the same).
    if (this.parts.length <= 1 && typeof this.parts[0] !== 'object') {
      if (this.isEndpoint) return path === this.route ? { rest: '', args: [], kwargs: {} } : null;
      return path.startsWith(this.route)
        ? { rest: path.slice(this.route.length), args: [], kwargs: {} }
        : null;
    }
    const m = this.regex.exec(path);
    if (!m) return null;
    const kwargs: Record<string, unknown> = {};
    for (const { name, index, converter } of this.#groups) {
      try {
        kwargs[name] = converter.toJs(m[index]!);
      } catch (error) {
        if (error instanceof RangeError) return null;
        throw error;
      }
    }
    return { rest: path.slice(m[0].length), args: [], kwargs };
  }

  /** The length of the start of `path` the regex matches (no conversion), or -1. */
  matchLength(path: string): number {
    const m = this.regex.exec(path);
    return m ? m[0].length : -1;
  }

  toString(): string {
    return this.route;
  }
}

/**
 * A `rePath()` regular expression.
 *
 * @example
 * ```ts
 * const regex = new RegexPattern('^archive/(?<year>[0-9]{4})/$', true);
 * regex.match('archive/2024/'); // { rest: '', args: [], kwargs: { year: '2024' } }
 * ```
 */
export class RegexPattern {
  readonly kind = 'regex';
  /** The expression as given: the string, or the `RegExp`'s source. */
  readonly source: string;
  /** Used to search the path (Django's `regex.search`). */
  readonly regex: RegExp;
  /** Used for an endpoint ending in `$` (Django's `regex.fullmatch`). */
  private readonly full: RegExp | undefined;
  /** Matches at the start only: `reverse()` checks a built URL with it. */
  private readonly sticky: RegExp;

  constructor(
    regex: string | RegExp,
    readonly isEndpoint: boolean,
  ) {
    if (typeof regex !== 'string' && !(regex instanceof RegExp)) {
      throw new TypeError(
        `A regular expression must be a string or a RegExp, not ${describeValue(regex)}.`,
      );
    }
    this.source = typeof regex === 'string' ? regex : regex.source;
    // `g` and `y` make exec() stateful (lastIndex), which a shared pattern must not be.
    const flags = typeof regex === 'string' ? '' : regex.flags.replace(/[gy]/g, '');
    try {
      this.regex = new RegExp(this.source, flags);
      this.full =
        isEndpoint && this.source.endsWith('$')
          ? new RegExp(`^(?:${this.source})$`, flags)
          : undefined;
      this.sticky = new RegExp(this.source, `${flags}y`);
    } catch (error) {
      throw new ImproperlyConfigured(
        `"${this.source}" is not a valid regular expression: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /** The regular expression as Django shows it in messages (no leading `^`). */
  get pattern(): string {
    return this.source.startsWith('^') ? this.source.slice(1) : this.source;
  }

  /** Django's rule: named groups become kwargs (unmatched ones left out), else groups become args. */
  match(path: string): PatternMatch | null {
    const m = (this.full ?? this.regex).exec(path);
    if (!m) return null;
    const rest = path.slice(m.index + m[0].length);
    if (m.groups) {
      const kwargs: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(m.groups)) {
        if (value !== undefined) kwargs[name] = value;
      }
      return { rest, args: [], kwargs };
    }
    return { rest, args: m.slice(1), kwargs: {} };
  }

  /** The length of the start of `path` the expression matches, or -1. */
  matchLength(path: string): number {
    this.sticky.lastIndex = 0;
    const m = this.sticky.exec(path);
    return m ? m[0].length : -1;
  }

  toString(): string {
    return this.source;
  }
}

export type Pattern = RoutePattern | RegexPattern;

function describeValue(value: unknown): string {
  return value === null ? 'null' : typeof value;
}
