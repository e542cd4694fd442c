/**
 * Query assertions and plans (P05): assertNumQueries with Django's failure
 * message, and explain() on each backend with Django's option checks.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../support/backends.js';
import { Author, Book, BOOKSTORE_MODELS } from '../support/bookstore.js';
import { createModelTables, dropModelTables } from '../../src/db/models/index.js';
import { assertNumQueries, QueryCountMismatch } from '../../src/db/debug.js';
import { ValueError } from '../../src/core/exceptions.js';

describeEachBackend('assertNumQueries and explain (P05)', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, BOOKSTORE_MODELS);
    await createModelTables(ctx.connection, BOOKSTORE_MODELS);
    const author = await Author.objects.create({ name: 'Tolkien' });
    await Book.objects.create({ title: 'The Hobbit', author, isbn: 'd1' });
    await Book.objects.create({ title: 'The Silmarillion', author, isbn: 'd2' });
  });

  test('P05 assertNumQueries passes on the exact count and prints the queries otherwise', async () => {
    const authors = await assertNumQueries(2, () => Author.objects.prefetchRelated('books'));
    assert.equal(authors[0]!.books.loaded.length, 2);
    await assert.rejects(
      assertNumQueries(1, async () => {
        for (const b of await Book.objects.orderBy('id'))
          await Author.objects.get({ id: b.authorId });
      }),
      (e: unknown) => {
        assert.ok(e instanceof QueryCountMismatch);
        assert.equal(e.name, 'AssertionError');
        const lines = e.message.split('\n');
        assert.equal(lines[0], '3 != 1 : 3 queries executed, 1 expected');
        assert.equal(lines[1], 'Captured queries were:');
        assert.match(lines[2]!, /^1\. SELECT .* FROM .library_book./);
        assert.match(lines[4]!, /^3\. SELECT .* FROM .library_author./);
        assert.equal(e.queries.length, 3);
        return true;
      },
    );
  });

  test('explain() returns the plan, with the options each backend has', async () => {
    const qs = Book.objects.filter({ title: 'The Hobbit' });
    const plan = await qs.explain();
    assert.ok(plan.length > 0);
    if (ctx.vendor === 'sqlite') assert.match(plan, /SCAN|SEARCH/);
    if (ctx.vendor === 'postgresql') {
      assert.match(plan, /Scan/);
      const json = JSON.parse(await qs.explain({ format: 'json', analyze: true }));
      assert.ok(Array.isArray(json) && 'Plan' in json[0] && 'Execution Time' in json[0]);
    }
    if (ctx.vendor === 'mysql') {
      const json = JSON.parse(await qs.explain({ format: 'json' }));
      assert.ok('query_block' in json);
    }
    await assert.rejects(
      qs.explain({ format: 'xyz' }),
      (e: unknown) =>
        e instanceof ValueError && /^XYZ is not a recognized format\./.test(e.message),
    );
    await assert.rejects(
      qs.explain({ bogus: true, other: true }),
      (e: unknown) => e instanceof ValueError && e.message === 'Unknown options: bogus, other',
    );
  });
});
