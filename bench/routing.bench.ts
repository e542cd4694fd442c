/**
 * URL resolution benchmark (method and results: docs/benchmarks.md).
 *
 * 500 routes (50 apps × 10 patterns: static, `<int>`, `<slug>`, `<uuid>`,
 * `<path>`, two parameters, literal text after a parameter), resolved by:
 * - the radix resolver (`Resolver.resolve`: find-my-way narrows, candidates
 *   matched in declaration order);
 * - a linear scan: every endpoint's regexes tried in declaration order, as a
 *   router without a tree does (the same per-pattern matching and match
 *   building, so the difference is the search alone);
 * - Django's walk: the URL configuration as a tree of includes, each prefix
 *   tested before its patterns, the tried list built as Django builds it.
 * Three configurations: flat (500 `path()`s), nested (an `include()` per
 * app), mixed (flat, with one pattern per app written as `rePath()`).
 *
 * Each sample resolves one path per route (hits) or 100 paths that match
 * nothing (misses); variants run back to back in each round, the order
 * rotated every round, after untimed warm-up rounds. Reported: the median
 * time per resolution, and the linear scan's median over the radix's.
 *
 * Run: `node --conditions=reinhardt-source --import tsx bench/routing.bench.ts`.
 * Environment: BENCH_ROUNDS (30), BENCH_WARMUP (5).
 */
import { performance } from 'node:perf_hooks';
import { include, path, rePath, type UrlconfEntry } from '../src/routing/conf.js';
import { flatten, matchEndpoint, walk } from '../src/routing/match.js';
import { Resolver } from '../src/routing/resolver.js';
import { machine, median, pkgVersion, printTable } from './support.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const APPS = 50;

const view = (name: string) => Object.defineProperty(() => name, 'name', { value: name });

type Shape = 'flat' | 'nested' | 'mixed';

/** The 10 patterns of one app (routes relative to the app's prefix) and a path for each. */
function appRoutes(app: number, shape: Shape): { entries: UrlconfEntry[]; paths: string[] } {
  const n = (s: string) => `app${app}-${s}`;
  const pre = shape === 'nested' ? '' : `app${app}/`;
  const entries = [
    path(`${pre}`, view(n('list')), { name: n('list') }),
    path(`${pre}new/`, view(n('new')), { name: n('new') }),
    path(`${pre}<int:pk>/`, view(n('detail')), { name: n('detail') }),
    path(`${pre}<int:pk>/edit/`, view(n('edit')), { name: n('edit') }),
    path(`${pre}<int:pk>/delete/`, view(n('delete')), { name: n('delete') }),
    path(`${pre}<slug:slug>/`, view(n('slug')), { name: n('slug') }),
    path(`${pre}archive/<int:year>/<int:month>/`, view(n('month')), { name: n('month') }),
    shape === 'mixed'
      ? rePath(`^${pre}items/(?<id>[0-9a-f-]{36})/$`, view(n('item')), { name: n('item') })
      : path(`${pre}items/<uuid:id>/`, view(n('item')), { name: n('item') }),
    path(`${pre}tags/<str:tag>/feed.xml`, view(n('feed')), { name: n('feed') }),
    path(`${pre}files/<path:name>`, view(n('file')), { name: n('file') }),
  ];
  const base = `/app${app}/`;
  const paths = [
    base,
    `${base}new/`,
    `${base}42/`,
    `${base}42/edit/`,
    `${base}42/delete/`,
    `${base}hello-world/`,
    `${base}archive/2024/3/`,
    `${base}items/39da9369-838e-4750-91a5-f7805cd82839/`,
    `${base}tags/news/feed.xml`,
    `${base}files/a/b/c.txt`,
  ];
  return { entries, paths };
}

function configuration(shape: Shape): { patterns: UrlconfEntry[]; hits: string[] } {
  const patterns: UrlconfEntry[] = [];
  const hits: string[] = [];
  for (let app = 0; app < APPS; app++) {
    const { entries, paths } = appRoutes(app, shape);
    if (shape === 'nested') patterns.push(path(`app${app}/`, include(entries)));
    else patterns.push(...entries);
    hits.push(...paths);
  }
  // A fixed shuffle, so hits are not resolved in declaration order.
  let seed = 7;
  for (let i = hits.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [hits[i], hits[j]] = [hits[j]!, hits[i]!];
  }
  return { patterns, hits };
}

const MISSES = Array.from({ length: 100 }, (_, i) =>
  i % 2 ? `/app${i % APPS}/42/nope/` : `/nowhere/${i}/`,
);

type Resolve = (path: string) => unknown;

function variants(patterns: UrlconfEntry[]): Record<string, Resolve> {
  const resolver = new Resolver(patterns);
  const endpoints = flatten(patterns);
  return {
    radix: (p) => resolver.isValidPath(p),
    linear: (p) => {
      const rest = p.slice(1);
      for (const endpoint of endpoints) {
        const match = matchEndpoint(endpoint, rest, []);
        if (match) return match;
      }
      return null;
    },
    'django walk': (p) => walk(patterns, p).match,
  };
}

/** Nanoseconds per resolution over `paths`. */
function sample(resolve: Resolve, paths: readonly string[]): number {
  const start = performance.now();
  for (const p of paths) resolve(p);
  return ((performance.now() - start) * 1e6) / paths.length;
}

function check(shape: Shape, patterns: UrlconfEntry[], hits: string[]): void {
  const v = variants(patterns);
  for (const p of [...hits, ...MISSES]) {
    const answers = Object.values(v).map((resolve) => {
      const m = resolve(p) as { urlName?: string } | false | null;
      return m && 'urlName' in m ? m.urlName : null;
    });
    if (new Set(answers).size !== 1) {
      throw new Error(`${shape}: the variants disagree on ${p}: ${answers.join(', ')}`);
    }
  }
}

console.log(machine());
console.log(
  `find-my-way ${pkgVersion('find-my-way')}; ${ROUNDS} rounds after ${WARMUP} warm-up rounds`,
);
const rows: string[][] = [];
for (const shape of ['flat', 'nested', 'mixed'] as const) {
  const { patterns, hits } = configuration(shape);
  if (flatten(patterns).length !== 500) throw new Error('expected 500 routes');
  check(shape, patterns, hits);
  const v = variants(patterns);
  const names = Object.keys(v);
  for (const [label, paths] of [
    ['hits', hits],
    ['misses', MISSES],
  ] as const) {
    const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    const ratios: number[] = [];
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      const order = names.map((_, i) => names[(i + round) % names.length]!);
      const got: Record<string, number> = {};
      for (const name of order) got[name] = sample(v[name]!, paths);
      if (round < WARMUP) continue;
      for (const name of names) times[name]!.push(got[name]!);
      ratios.push(got.linear! / got.radix!);
    }
    const radix = median(times.radix!);
    const linear = median(times.linear!);
    rows.push([
      shape,
      label,
      radix.toFixed(0),
      linear.toFixed(0),
      median(times['django walk']!).toFixed(0),
      `${(linear / radix).toFixed(1)}×`,
      `${median(ratios).toFixed(1)}×`,
    ]);
  }
}
printTable(
  ['routes', 'paths', 'radix ns', 'linear ns', 'django walk ns', 'linear / radix', 'median ratio'],
  rows,
);
