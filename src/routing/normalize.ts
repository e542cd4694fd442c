/**
 * Turning a pattern into the URL templates `reverse()` fills in (the role of
 * Django's `regex_helper.normalize`). Not a regex decompiler: it produces
 * enough forms for the URLs people write, and `reverse()` checks every URL it
 * builds against the pattern anyway.
 *
 * The rules are Django's: a repeated item appears its minimum number of times;
 * an optional item holding a group gives two forms, without then with it;
 * a character class or `.` gives one representative character; `^`,
 * lookarounds and `\b` give nothing; `$` ends the template; a pattern with `|`
 * gives one empty form.
 */
import type { Converter } from './converters.js';
import type { Pattern } from './patterns.js';

/** A literal piece of a template, or a parameter to fill in. */
export type TemplatePart = string | { param: string };

/** One way to write a URL for a pattern: its parts and the parameters it needs, in order. */
export interface Template {
  parts: TemplatePart[];
  params: string[];
}

type Node = string | { param: string } | { optional: Node[] } | Node[];

// What an escape stands for in a built URL; null: nothing.
const ESCAPES: Record<string, string | null> = {
  b: null,
  B: null,
  d: '0',
  D: 'x',
  s: ' ',
  S: 'x',
  w: 'x',
  W: '!',
};

class Alternation extends Error {}

/** The templates of a `rePath()` expression. */
export function normalizeRegex(source: string): Template[] {
  let pos = 0;
  let positional = 0;

  // Reads one escape at `pos` (just after the backslash) into a character, or null.
  const escape = (): string | null => {
    const c = source[pos++] ?? '';
    if (c in ESCAPES) return ESCAPES[c]!;
    if (c === 'x') {
      const hex = source.slice(pos, pos + 2);
      pos += 2;
      return String.fromCharCode(parseInt(hex, 16));
    }
    if (c === 'u') {
      const braced = /^\{([0-9a-fA-F]+)\}/.exec(source.slice(pos));
      const hex = braced ? braced[1]! : source.slice(pos, pos + 4);
      pos += braced ? braced[0].length : 4;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    if (c === 'k' && source[pos] === '<') {
      pos = source.indexOf('>', pos) + 1;
      return null;
    }
    if (/[1-9]/.test(c)) return null;
    return c;
  };

  // Skips to the `)` closing the group opened before `pos`.
  const skipGroup = (): void => {
    let depth = 1;
    let inClass = false;
    while (pos < source.length && depth > 0) {
      const c = source[pos++];
      if (c === '\\') pos++;
      else if (inClass) inClass = c !== ']';
      else if (c === '[') inClass = true;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
    }
  };

  // Returns the minimum count of a quantifier at `pos`, or -1 when there is none.
  const quantifier = (): number => {
    const c = source[pos];
    let min = -1;
    if (c === '*' || c === '?') min = 0;
    else if (c === '+') min = 1;
    else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(source.slice(pos));
      if (!m) return -1;
      pos += m[0].length - 1;
      min = Number(m[1]);
    }
    if (min < 0) return -1;
    pos++;
    if (source[pos] === '?') pos++; // lazy
    return min;
  };

  let ended = false;
  const sequence = (): Node[] => {
    const items: Node[] = [];
    while (pos < source.length && !ended) {
      const c = source[pos++]!;
      let item: Node | null;
      if (c === ')') return items;
      if (c === '|') throw new Alternation();
      if (c === '$') {
        ended = true;
        break;
      }
      if (c === '^') continue;
      if (c === '\\') item = escape();
      else if (c === '.') item = '.';
      else if (c === '[') {
        // The first character of the class stands for it.
        const negated = source[pos] === '^';
        if (negated) pos++;
        let first: string | null = source[pos++] ?? '';
        if (first === '\\') first = escape();
        while (pos < source.length) {
          const d = source[pos++];
          if (d === '\\') pos++;
          else if (d === ']') break;
        }
        item = negated ? 'x' : first;
      } else if (c === '(') {
        if (source.startsWith('?:', pos)) {
          pos += 2;
          item = sequence();
        } else if (/^\?<?[=!]/.test(source.slice(pos))) {
          skipGroup();
          item = null;
        } else {
          const named = /^\?<([^>]+)>/.exec(source.slice(pos));
          if (named) pos += named[0].length;
          item = { param: named ? named[1]! : `_${positional++}` };
          skipGroup();
        }
      } else {
        item = c;
      }
      const min = quantifier();
      if (item === null) continue;
      if (min === 0) {
        if (containsParam(item)) items.push({ optional: [item] });
      } else {
        for (let i = 0; i < (min < 0 ? 1 : min); i++) items.push(item);
      }
    }
    return items;
  };

  try {
    return expand(sequence());
  } catch (error) {
    if (error instanceof Alternation) return [{ parts: [], params: [] }];
    throw error;
  }
}

function containsParam(node: Node): boolean {
  if (typeof node === 'string') return false;
  if (Array.isArray(node)) return node.some(containsParam);
  if ('param' in node) return true;
  return node.optional.some(containsParam);
}

/** Every combination of the optional parts: without first, then with. */
function expand(nodes: readonly Node[]): Template[] {
  let forms: Template[] = [{ parts: [], params: [] }];
  const append = (node: Node): void => {
    if (typeof node === 'string') {
      for (const f of forms) pushText(f.parts, node);
    } else if (Array.isArray(node)) {
      node.forEach(append);
    } else if ('param' in node) {
      for (const f of forms) {
        f.parts.push({ param: node.param });
        f.params.push(node.param);
      }
    } else {
      const inner = expand(node.optional);
      forms = forms.flatMap((f) => [
        f,
        ...inner.map((g) => {
          const parts = [...f.parts];
          for (const p of g.parts) {
            if (typeof p === 'string') pushText(parts, p);
            else parts.push(p);
          }
          return { parts, params: [...f.params, ...g.params] };
        }),
      ]);
    }
  };
  nodes.forEach(append);
  return forms;
}

function pushText(parts: TemplatePart[], text: string): void {
  const last = parts.length - 1;
  if (typeof parts[last] === 'string') parts[last] += text;
  else parts.push(text);
}

/** The templates of a pattern, with the converters of its parameters. */
export function templatesOf(pattern: Pattern): {
  templates: Template[];
  converters: Readonly<Record<string, Converter>>;
} {
  if (pattern.kind === 'route') {
    const parts: TemplatePart[] = pattern.parts.map((p) =>
      typeof p === 'string' ? p : { param: p.name },
    );
    const params = pattern.parts.flatMap((p) => (typeof p === 'string' ? [] : [p.name]));
    return { templates: [{ parts, params }], converters: pattern.converters };
  }
  return { templates: normalizeRegex(pattern.source), converters: {} };
}
