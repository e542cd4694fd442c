import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  include,
  path,
  rePath,
  registerConverter,
  Resolver,
  Resolver404,
  type ResolverMatch,
  type UrlconfEntry,
} from '../../src/routing/index.js';
import { flatten, walk } from '../../src/routing/match.js';
import { maySpanSlash, RadixIndex } from '../../src/routing/radix.js';

const named = (name: string) => Object.defineProperty(() => name, 'name', { value: name });

/** What a resolution gave, comparable between the radix resolver and Django's walk. */
function outcome(result: () => ResolverMatch | null): string {
  try {
    const m = result();
    if (!m) return '404';
    return JSON.stringify([m.urlName, m.args, m.kwargs, m.namespaces, m.route]);
  } catch (error) {
    if (error instanceof Resolver404) return '404';
    throw error;
  }
}

function assertSameAsDjango(patterns: readonly UrlconfEntry[], paths: readonly string[]): void {
  const resolver = new Resolver(patterns);
  for (const p of paths) {
    assert.equal(
      outcome(() => resolver.resolve(p)),
      outcome(() => walk(patterns, p).match),
      `path ${JSON.stringify(p)}`,
    );
  }
}

/** 500 routes of 50 apps, as a large project has them. */
function bigTable(): { patterns: UrlconfEntry[]; expected: [string, string, unknown][] } {
  const patterns: UrlconfEntry[] = [];
  const expected: [string, string, unknown][] = [];
  for (let app = 0; app < 50; app++) {
    const n = (suffix: string) => `app${app}-${suffix}`;
    patterns.push(
      path(`app${app}/`, named(n('list')), { name: n('list') }),
      path(`app${app}/new/`, named(n('new')), { name: n('new') }),
      path(`app${app}/<int:pk>/`, named(n('detail')), { name: n('detail') }),
      path(`app${app}/<int:pk>/edit/`, named(n('edit')), { name: n('edit') }),
      path(`app${app}/<int:pk>/delete/`, named(n('delete')), { name: n('delete') }),
      path(`app${app}/<slug:slug>/`, named(n('slug')), { name: n('slug') }),
      path(`app${app}/archive/<int:year>/<int:month>/`, named(n('month')), { name: n('month') }),
      path(`app${app}/items/<uuid:id>/`, named(n('item')), { name: n('item') }),
      path(`app${app}/tags/<str:tag>/feed.xml`, named(n('feed')), { name: n('feed') }),
      path(`app${app}/files/<path:name>`, named(n('file')), { name: n('file') }),
    );
    expected.push(
      [`/app${app}/`, n('list'), {}],
      [`/app${app}/new/`, n('new'), {}],
      [`/app${app}/42/`, n('detail'), { pk: 42 }],
      [`/app${app}/42/edit/`, n('edit'), { pk: 42 }],
      [`/app${app}/42/delete/`, n('delete'), { pk: 42 }],
      [`/app${app}/hello-world/`, n('slug'), { slug: 'hello-world' }],
      [`/app${app}/archive/2024/3/`, n('month'), { year: 2024, month: 3 }],
      [
        `/app${app}/items/39da9369-838e-4750-91a5-f7805cd82839/`,
        n('item'),
        { id: '39da9369-838e-4750-91a5-f7805cd82839' },
      ],
      [`/app${app}/tags/a b/feed.xml`, n('feed'), { tag: 'a b' }],
      [`/app${app}/files/a/b/c.txt`, n('file'), { name: 'a/b/c.txt' }],
    );
  }
  return { patterns, expected };
}

describe('a table of 500 routes', () => {
  const { patterns, expected } = bigTable();
  const resolver = new Resolver(patterns);

  test('every route resolves to its own pattern with its values', () => {
    assert.equal(flatten(patterns).length, 500);
    for (const [p, name, kwargs] of expected) {
      const match = resolver.resolve(p);
      assert.equal(match.urlName, name, p);
      assert.deepEqual(match.kwargs, kwargs, p);
    }
  });

  test('the tree narrows a lookup to the few patterns that can match', () => {
    const tree = new RadixIndex(flatten(patterns));
    const names = (p: string) => tree.candidates(p).map((e) => e.pattern.name);
    // Patterns of one app whose shape overlaps the path's (`new` and `files` are
    // slugs too), never another app's; each is then matched for real.
    assert.deepEqual(names('/app7/42/'), ['app7-new', 'app7-detail', 'app7-slug', 'app7-file']);
    assert.deepEqual(names('/app7/new/'), ['app7-new', 'app7-detail', 'app7-slug']);
    assert.deepEqual(names('/app7/42/edit/'), ['app7-edit']);
    assert.deepEqual(names('/app7/files/x/y'), ['app7-detail', 'app7-slug', 'app7-file']);
    assert.deepEqual(names('/app99/'), []);
    // A path find-my-way would decode: every endpoint, in order.
    assert.equal(tree.candidates('/app7/100%/').length, 500);
  });

  test('the same answers as Django’s walk, 404s included', () => {
    const paths = [
      ...expected.map(([p]) => p),
      '/app3/42',
      '/app3/42/edit',
      '/app3/-1/',
      '/app3/archive/2024/',
      '/app3/items/not-a-uuid/',
      '/app3/files/',
      '/app3/tags//feed.xml',
      '/app50/',
      '/',
      '/app3//',
    ];
    assertSameAsDjango(patterns, paths);
  });
});

describe('radix and Django agree on random configurations', () => {
  // A small deterministic generator (mulberry32), so a failure repeats.
  function rng(seed: number): () => number {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  registerConverter('twoparts', {
    regex: '[a-z]+/[a-z]+',
    toJs: (v) => v,
    toUrl: (v: string) => v,
  });
  registerConverter('even', {
    regex: '[0-9]+',
    toJs: (v) => {
      if (Number(v) % 2) throw new RangeError('odd');
      return Number(v);
    },
    toUrl: String,
  });
  registerConverter('ahead', { regex: '[a-z]+(?=/)', toJs: (v) => v, toUrl: (v: string) => v });

  const words = ['a', 'b', 'ab', '1', '22', 'x-y', ''];
  const converters = ['int', 'str', 'slug', 'path', 'uuid', 'twoparts', 'even', 'ahead'];

  function randomConfig(random: () => number, depth = 0): UrlconfEntry[] {
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const entries: UrlconfEntry[] = [];
    const count = 2 + Math.floor(random() * 6);
    for (let i = 0; i < count; i++) {
      const segments: string[] = [];
      const length = Math.floor(random() * 3);
      let param = 0;
      for (let s = 0; s < length; s++) {
        const r = random();
        if (r < 0.5) segments.push(pick(words));
        else if (r < 0.8) segments.push(`<${pick(converters)}:p${depth}_${param++}>`);
        else segments.push(`${pick(words)}-<${pick(converters)}:p${depth}_${param++}>`);
      }
      const route = segments.join('/') + (random() < 0.7 ? '/' : '');
      const name = `n${depth}_${i}`;
      const kind = random();
      if (kind < 0.15 && depth < 2) {
        entries.push(
          path(route.endsWith('/') ? route : `${route}/`, include(randomConfig(random, depth + 1))),
        );
      } else if (kind < 0.3) {
        let group = 0;
        const regex = `^${segments.map((x) => (x.includes('<') ? `(?<r${depth}_${i}_${group++}>[a-z0-9]+)` : x)).join('/')}/${random() < 0.5 ? '$' : ''}`;
        entries.push(rePath(regex, named(name), { name }));
      } else {
        entries.push(path(route, named(name), { name }));
      }
    }
    return entries;
  }

  function randomPath(random: () => number): string {
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const length = Math.floor(random() * 5);
    const segments: string[] = [];
    for (let i = 0; i < length; i++) {
      segments.push(
        pick([...words, 'x-1', 'a-b', '39da9369-838e-4750-91a5-f7805cd82839', '4', '7', 'Z', '%']),
      );
    }
    return `/${segments.join('/')}${random() < 0.6 ? '/' : ''}`;
  }

  test('300 configurations × 200 paths', () => {
    const random = rng(20261124);
    let matched = 0;
    for (let c = 0; c < 300; c++) {
      const patterns = randomConfig(random);
      const paths = Array.from({ length: 200 }, () => randomPath(random));
      matched += paths.filter((p) => walk(patterns, p).match).length;
      try {
        assertSameAsDjango(patterns, paths);
      } catch (error) {
        const routes = flatten(patterns).map((e) => e.pieces.map(String).join(' | '));
        throw new Error(`configuration ${c}:\n${routes.join('\n')}\n${(error as Error).message}`, {
          cause: error,
        });
      }
    }
    // The generator must exercise matches, not only 404s.
    assert.ok(matched > 3000, `only ${matched} of 60000 paths matched`);
  });
});

describe('converters the tree must treat with care', () => {
  test('a converter that spans segments becomes a wildcard', () => {
    const r = new Resolver([
      path('d/<twoparts:v>/end/', named('two'), { name: 'two' }),
      path('d/<str:a>/<str:b>/end/', named('strs'), { name: 'strs' }),
    ]);
    assert.deepEqual(r.resolve('/d/ab/cd/end/').kwargs, { v: 'ab/cd' });
    assert.equal(r.reverse('two', { kwargs: { v: 'x/y' } }), '/d/x/y/end/');
  });

  test('a converter with a lookahead is checked on the whole path', () => {
    const r = new Resolver([path('look/<ahead:w>/', named('ahead'), { name: 'ahead' })]);
    assert.deepEqual(r.resolve('/look/abc/').kwargs, { w: 'abc' });
  });

  test('maySpanSlash errs towards yes', () => {
    for (const regex of ['[^/]+', '[0-9]+', '[-a-zA-Z0-9_]+', '[a-z]{2}\\d', 'x|y', '[^/.]+']) {
      assert.equal(maySpanSlash(regex), false, regex);
    }
    for (const regex of [
      '.+',
      '\\S+',
      '[^a]+',
      '[!-0]',
      '\\/',
      '[\\/a]',
      '\\x2f',
      '\\u002F',
      '\\W',
      '[\\s\\S]',
    ]) {
      assert.equal(maySpanSlash(regex), true, regex);
    }
  });
});
