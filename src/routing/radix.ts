/**
 * The radix tree in front of the patterns. Django tries patterns one after
 * another and takes the first that matches; a tree answers with one route,
 * the most specific. To keep Django's order, the tree only narrows the
 * search: every `path()` endpoint is registered in find-my-way under its
 * *shape* (static segments, a parameter per dynamic segment, a wildcard
 * where a converter may span `/`), endpoints of one shape share a node, and
 * the node found for a path leads to every endpoint whose shape could match
 * any path that node matches. Those candidates are then matched for real, in
 * declaration order, so the first match is the one Django would find.
 *
 * Each dynamic segment carries the segment's regular expression (literal
 * text and converter regexes) when find-my-way can hold it, so `<int:pk>`
 * only matches digits in the tree already; otherwise it is a plain
 * parameter, which matches any segment and leaves the check to the pattern.
 */
import FindMyWay from 'find-my-way';
import type { Converter } from './converters.js';
import type { Endpoint } from './match.js';
import type { RoutePattern } from './patterns.js';
import { escapeRegex, type RouteParameter } from './patterns.js';

/** One segment of a shape. `regex` is null for a parameter that matches any segment. */
type Segment =
  | { kind: 'static'; text: string }
  | { kind: 'param'; bodies: Set<string> | null; regex: RegExp | null }
  | { kind: 'wildcard' };

interface Shape {
  key: string;
  segments: Segment[];
  endpoints: Endpoint[];
  /** Endpoints of every shape that overlaps this one, by declaration order (built when first used). */
  candidates?: readonly Endpoint[];
}

interface ConverterTraits {
  /** The regex may match a `/`: the parameter can span segments. */
  spansSlash: boolean;
  /** The regex looks only at its own text (no lookaround, no backreference). */
  local: boolean;
}

const traitsCache = new WeakMap<Converter, ConverterTraits>();

function traitsOf(converter: Converter): ConverterTraits {
  let traits = traitsCache.get(converter);
  if (!traits) {
    traits = { spansSlash: maySpanSlash(converter.regex), local: isLocal(converter.regex) };
    traitsCache.set(converter, traits);
  }
  return traits;
}

/**
 * Whether a regex may match `/`. Errs towards yes: a false yes only makes the
 * route a wildcard (slower), a false no would lose matches.
 */
export function maySpanSlash(source: string): boolean {
  let inClass = false;
  let negated = false;
  let classMatchesSlash = false;
  let classNamesSlash = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      const escapesSlash =
        next === '/' ||
        /^x2f/i.test(source.slice(i + 1, i + 4)) ||
        /^u(002f|\{0*2f\})/i.test(source.slice(i + 1));
      const broad = 'SWDpP'.includes(next) && next !== '';
      if (inClass) {
        if (escapesSlash) classNamesSlash = true;
        if (broad) classMatchesSlash = true;
      } else if (escapesSlash || broad) {
        return true;
      }
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') {
        if (negated ? !classNamesSlash : classMatchesSlash || classNamesSlash) return true;
        inClass = false;
      } else if (c === '/') {
        classNamesSlash = true;
      } else if (source[i + 1] === '-' && source[i + 2] !== undefined && source[i + 2] !== ']') {
        const end = source[i + 2]!;
        // A range ending in an escape is not worth decoding: assume it covers '/'.
        if (end === '\\' || (c <= '/' && '/' <= end)) classMatchesSlash = true;
        i += 2;
      }
      continue;
    }
    if (c === '[') {
      inClass = true;
      negated = source[i + 1] === '^';
      if (negated) i++;
      classMatchesSlash = false;
      classNamesSlash = false;
    } else if (c === '.' || c === '/') {
      return true;
    }
  }
  return false;
}

/** No lookaround and no backreference: the regex judges a segment on its own text. */
function isLocal(source: string): boolean {
  return !/\(\?<?[=!]|\\[1-9]|\\k</.test(source);
}

/**
 * find-my-way finds the end of a parameter's regex by counting parentheses
 * (escapes skipped, character classes not understood): only hand it regexes
 * whose counting ends where the regex does.
 */
function findMyWayCanParse(regex: string): boolean {
  let depth = 0;
  for (let i = 0; i < regex.length; i++) {
    const c = regex[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
    if (c === '[' && /[()]/.test(regex.slice(i, regex.indexOf(']', i + 1) + 1 || undefined))) {
      return false;
    }
  }
  return depth === 0;
}

// Text find-my-way keeps as a plain static segment: no parameter, wildcard or
// regex syntax, nothing it decodes ('%') or cuts off as a query ('?', '#', ';').
const PLAIN_STATIC = /^[^:*()%?#;]*$/;

/** The shape of a route: its segments, each static, a parameter or the wildcard. */
function shapeOf(route: readonly (string | RouteParameter)[]): Segment[] {
  const segments: (string | RouteParameter)[][] = [[]];
  for (const part of route) {
    if (typeof part !== 'string') {
      segments[segments.length - 1]!.push(part);
      continue;
    }
    part.split('/').forEach((text, i) => {
      if (i > 0) segments.push([]);
      if (text) segments[segments.length - 1]!.push(text);
    });
  }
  const shape: Segment[] = [];
  for (const parts of segments) {
    const parameters = parts.filter((p): p is RouteParameter => typeof p !== 'string');
    if (parameters.some((p) => traitsOf(p.converter).spansSlash)) {
      shape.push({ kind: 'wildcard' });
      break;
    }
    if (parameters.length === 0) {
      const text = parts.join('');
      if (PLAIN_STATIC.test(text)) {
        shape.push({ kind: 'static', text });
        continue;
      }
    }
    const body = parts
      .map((p) => (typeof p === 'string' ? escapeRegex(p) : `(?:${p.converter.regex})`))
      .join('');
    const usable =
      parameters.length > 0 &&
      parameters.every((p) => traitsOf(p.converter).local) &&
      findMyWayCanParse(body);
    shape.push({ kind: 'param', bodies: usable ? new Set([body]) : null, regex: null });
  }
  return shape;
}

function keyOf(shape: readonly Segment[]): string {
  return shape
    .map((s) => (s.kind === 'static' ? `s${s.text}` : s.kind === 'param' ? 'p' : '*'))
    .join('/');
}

/** Whether some path could match both shapes. Errs towards yes. */
function overlaps(a: readonly Segment[], b: readonly Segment[]): boolean {
  for (let i = 0; ; i++) {
    const x = a[i];
    const y = b[i];
    if (!x || !y) return !x && !y;
    if (x.kind === 'wildcard' || y.kind === 'wildcard') return true;
    if (x.kind === 'static' && y.kind === 'static') {
      if (x.text !== y.text) return false;
    } else if (x.kind === 'static' && y.kind === 'param') {
      if (y.regex && !y.regex.test(x.text)) return false;
    } else if (x.kind === 'param' && y.kind === 'static') {
      if (x.regex && !x.regex.test(y.text)) return false;
    }
  }
}

/** The radix tree over the endpoints whose patterns are all `path()` routes. */
export class RadixIndex {
  readonly #router = FindMyWay({
    // A path segment may be long (a slug, a token): never refuse it for its length.
    maxParamLength: Number.MAX_SAFE_INTEGER,
    // The regexes are the application's own converters, checked again on every match.
    allowUnsafeRegex: true,
    caseSensitive: true,
    ignoreTrailingSlash: false,
    ignoreDuplicateSlashes: false,
  });
  readonly #shapes: Shape[] = [];
  /** Every endpoint in the tree, in order: the candidates for a path the tree cannot read. */
  readonly all: readonly Endpoint[];

  constructor(endpoints: readonly Endpoint[]) {
    const byKey = new Map<string, Shape>();
    for (const endpoint of endpoints) {
      const parts = endpoint.pieces.flatMap((piece) => (piece as RoutePattern).parts);
      const segments = shapeOf(parts);
      const key = keyOf(segments);
      const shape = byKey.get(key);
      if (!shape) {
        const created: Shape = { key, segments, endpoints: [endpoint] };
        byKey.set(key, created);
        this.#shapes.push(created);
        continue;
      }
      shape.endpoints.push(endpoint);
      // One node per shape: its parameters accept what any of its endpoints accepts.
      segments.forEach((segment, i) => {
        const mine = shape.segments[i]!;
        if (segment.kind !== 'param' || mine.kind !== 'param' || !mine.bodies) return;
        if (!segment.bodies) mine.bodies = null;
        else for (const body of segment.bodies) mine.bodies.add(body);
      });
    }
    for (const shape of this.#shapes) {
      const route = shape.segments.map((segment, i) => {
        if (segment.kind === 'static') return segment.text;
        if (segment.kind === 'wildcard') return '*';
        if (!segment.bodies) return `:p${i}`;
        const union = [...segment.bodies].map((b) => `(?:${b})`).join('|');
        segment.regex = new RegExp(`^(?:${union})$`);
        return `:p${i}(^${union}$)`;
      });
      // The method plays no part in Django's matching (every method reaches
      // the view): one method's tree holds every route.
      this.#router.on('GET', `/${route.join('/')}`, noop, shape);
    }
    this.all = endpoints;
  }

  /**
   * The endpoints that may match `path` (with its leading `/`), in
   * declaration order. Paths holding `%`, `?` or `#` (which find-my-way
   * decodes or cuts off) get every endpoint.
   */
  candidates(path: string): readonly Endpoint[] {
    if (/[%?#]/.test(path)) return this.all;
    const found = this.#router.find('GET', path);
    if (!found) return [];
    const shape = found.store as Shape;
    shape.candidates ??= this.#shapes
      .filter((other) => overlaps(shape.segments, other.segments))
      .flatMap((other) => other.endpoints)
      .sort((a, b) => a.order - b.order);
    return shape.candidates;
  }
}

function noop(): void {}
