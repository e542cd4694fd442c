import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import {
  apps,
  CharField,
  createModelTables,
  dropModelTables,
  JSONField,
  type Manager,
  Model,
} from '../../../src/db/models/index.js';

interface Meta {
  author?: { name: string; born?: number };
  pages?: number;
  tags?: string[];
  note?: string | null;
}

class Doc extends Model({
  name: CharField({ maxLength: 20 }),
  data: JSONField<Meta | null>({ null: true }),
}) {
  declare static objects: Manager<Doc>;
}
apps.register('jsontest', { Doc });

describeEachBackend('JSONField keys and lookups', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, [Doc]);
    await createModelTables(ctx.connection, [Doc]);
    await Doc.objects.bulkCreate([
      new Doc({
        name: 'a',
        data: {
          author: { name: 'Le Guin', born: 1929 },
          pages: 250,
          tags: ['sf', 'classic'],
          note: null,
        },
      }),
      new Doc({
        name: 'b',
        data: { author: { name: 'O\'Brien "Flann"' }, pages: 90, tags: ['satire'] },
      }),
      new Doc({ name: 'c', data: { pages: 1200 } }),
      new Doc({ name: 'd', data: null }),
    ]);
  });
  after(async () => {
    await dropModelTables(ctx.connection, [Doc]);
  });

  const names = async (lookups: Record<string, unknown>) =>
    (await Doc.objects.filter(lookups).orderBy('name')).map((d) => d.name);

  test('nested keys and array indexes compare JSON values', async () => {
    assert.deepEqual(await names({ data__author__name: 'Le Guin' }), ['a']);
    assert.deepEqual(await names({ data__author__name: 'O\'Brien "Flann"' }), ['b']);
    assert.deepEqual(await names({ data__author__born: 1929 }), ['a']);
    assert.deepEqual(await names({ data__tags__0: 'satire' }), ['b']);
    assert.deepEqual(await names({ data__note: null }), ['a']);
  });

  test('isnull and has_key tell missing keys from JSON null', async () => {
    assert.deepEqual(await names({ data__note__isnull: false }), ['a']);
    assert.deepEqual(await names({ data__author__isnull: true }), ['c', 'd']);
    assert.deepEqual(await names({ data__has_key: 'tags' }), ['a', 'b']);
    assert.deepEqual(await names({ data__isnull: true }), ['d']);
  });

  test('text and numeric lookups on keys', async () => {
    assert.deepEqual(await names({ data__author__name__icontains: 'guin' }), ['a']);
    assert.deepEqual(await names({ data__author__name__startswith: 'O' }), ['b']);
    assert.deepEqual(await names({ data__pages__gt: 200 }), ['a', 'c']);
    assert.deepEqual(await names({ data__pages__lte: 250 }), ['a', 'b']);
    assert.deepEqual(await names({ data__author__name__in: ['Le Guin', 'nobody'] }), ['a']);
  });

  test('values round-trip as JSON', async () => {
    const a = await Doc.objects.get({ name: 'a' });
    assert.deepEqual(a.data, {
      author: { name: 'Le Guin', born: 1929 },
      pages: 250,
      tags: ['sf', 'classic'],
      note: null,
    });
  });
});
