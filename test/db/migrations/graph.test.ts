/**
 * The migration graph: plans in dependency order, stable, across apps;
 * missing parents and cycles reported as Django does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CircularDependencyError,
  MigrationGraph,
  NodeNotFoundError,
  type MigrationKey,
} from '../../../src/db/migrations/index.js';

function graph(edges: [string, string][], nodes: string[]): MigrationGraph {
  const g = new MigrationGraph();
  const key = (s: string): MigrationKey => s.split('.') as unknown as MigrationKey;
  for (const n of nodes) g.addNode(key(n));
  for (const [child, parent] of edges) g.addDependency(child, key(child), key(parent));
  return g;
}

const names = (keys: MigrationKey[]) => keys.map((k) => k.join('.'));

test('forwards plans list dependencies first, across apps, in a stable order', () => {
  const g = graph(
    [
      ['library.0002_book', 'library.0001_initial'],
      ['library.0002_book', 'accounts.0001_initial'],
      ['library.0003_review', 'library.0002_book'],
      ['accounts.0002_profile', 'accounts.0001_initial'],
    ],
    [
      'library.0001_initial',
      'library.0002_book',
      'library.0003_review',
      'accounts.0001_initial',
      'accounts.0002_profile',
    ],
  );
  assert.deepEqual(names(g.forwardsPlan(['library', '0003_review'])), [
    'accounts.0001_initial',
    'library.0001_initial',
    'library.0002_book',
    'library.0003_review',
  ]);
  assert.deepEqual(names(g.backwardsPlan(['accounts', '0001_initial'])), [
    'accounts.0002_profile',
    'library.0003_review',
    'library.0002_book',
    'accounts.0001_initial',
  ]);
  assert.deepEqual(names(g.leafNodes('library')), ['library.0003_review']);
  assert.deepEqual(names(g.rootNodes('library')), ['library.0001_initial']);
  assert.deepEqual(names(g.leafNodes()), ['accounts.0002_profile', 'library.0003_review']);
});

test('two leaves in one app are both leaves (a merge is needed)', () => {
  const g = graph(
    [
      ['shop.0002_a', 'shop.0001_initial'],
      ['shop.0002_b', 'shop.0001_initial'],
    ],
    ['shop.0001_initial', 'shop.0002_a', 'shop.0002_b'],
  );
  assert.deepEqual(names(g.leafNodes('shop')), ['shop.0002_a', 'shop.0002_b']);
});

test('a missing parent and a cycle are errors naming the migrations', () => {
  assert.throws(
    () => graph([['shop.0002_a', 'shop.0001_initial']], ['shop.0002_a']),
    (e: unknown) =>
      e instanceof NodeNotFoundError &&
      e.message ===
        'Migration shop.0002_a dependencies reference nonexistent parent node ["shop","0001_initial"]',
  );
  const g = graph(
    [
      ['shop.0002_a', 'shop.0001_initial'],
      ['shop.0001_initial', 'shop.0002_a'],
    ],
    ['shop.0001_initial', 'shop.0002_a'],
  );
  assert.throws(
    () => g.ensureNotCyclic(),
    (e: unknown) =>
      e instanceof CircularDependencyError && /shop\.0001_initial.*shop\.0002_a/.test(e.message),
  );
});
