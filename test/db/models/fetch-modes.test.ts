/**
 * Fetch modes and the N+1 detector: the naive loop costs two queries in
 * mode 'peers'; what stays one-by-one is caught with a message naming the
 * model, the relation, the call site and the fix.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import { Author, Book, BOOKSTORE_MODELS, Review, User } from '../../support/bookstore.js';
import {
  createModelTables,
  dropModelTables,
  FetchModeError,
  NPlusOneError,
  withFetchMode,
} from '../../../src/db/models/index.js';
import { captureQueries } from '../../../src/db/backends/base/query-log.js';
import { overrideSettings } from '../../../src/conf/override.js';

describeEachBackend('fetch modes and the N+1 detector', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, BOOKSTORE_MODELS);
    await createModelTables(ctx.connection, BOOKSTORE_MODELS);
    const user = await User.objects.create({ username: 'ann' });
    for (const name of ['Tolkien', 'Pratchett', 'Le Guin']) {
      const author = await Author.objects.create({ name });
      for (let i = 0; i < 2; i++) {
        const book = await Book.objects.create({
          title: `${name} ${i}`,
          author,
          isbn: `${name}${i}`,
        });
        await Review.objects.create({ book, user, rating: 4 });
      }
    }
  });

  test('peers (the default): the naive loop costs 2 queries, not N+1', async () => {
    const { queries } = await captureQueries(async () => {
      const books = await Book.objects.orderBy('id');
      const names: string[] = [];
      for (const book of books) names.push(((await book.fetchRelated('author')) as Author).name);
      assert.equal(names.length, 6);
      assert.equal((books[5]!.author as unknown as Author).name, 'Le Guin');
    });
    assert.equal(queries.length, 2);
    assert.match(queries[1]!.sql, / IN \(/);
  });

  test("mode 'one' loads one instance at a time; the detector stops the second", async () => {
    await overrideSettings({ nPlusOne: 'raise' }, async () => {
      const books = await Book.objects.fetchMode('one').orderBy('id');
      await books[0]!.fetchRelated('author');
      await assert.rejects(books[1]!.fetchRelated('author'), (e: unknown) => {
        assert.ok(e instanceof NPlusOneError);
        assert.match(e.message, /Book\.author is loaded one book at a time/);
        assert.match(e.message, /fetch-modes\.test\.ts:\d+:\d+/, 'names the call site');
        assert.match(e.message, /Book\.objects\.selectRelated\('author'\)/);
        return true;
      });
    });
    // With the detector off, mode 'one' is N queries.
    await overrideSettings({ nPlusOne: 'off' }, async () => {
      const books = await Book.objects.fetchMode('one').orderBy('id');
      const { queries } = await captureQueries(async () => {
        for (const b of books) await b.fetchRelated('author');
      });
      assert.equal(queries.length, 6);
    });
  });

  test("mode 'raise' refuses any on-demand fetch, per queryset, scope or setting", async () => {
    const [book] = await Book.objects.fetchMode('raise').limit(1);
    await assert.rejects(book!.fetchRelated('author'), (e: unknown) => {
      assert.ok(e instanceof FetchModeError);
      assert.match(
        e.message,
        /Fetching Book\.author on demand is not allowed \(fetch mode 'raise'\)/,
      );
      assert.match(e.message, /Book\.objects\.selectRelated\('author'\)/);
      return true;
    });
    const [plain] = await Book.objects.limit(1);
    await withFetchMode('raise', async () => {
      await assert.rejects(plain!.fetchRelated('author'), FetchModeError);
    });
    await overrideSettings({ fetchMode: 'raise' }, async () => {
      await assert.rejects(plain!.fetchRelated('author'), FetchModeError);
    });
    // The queryset's own mode wins over the scope's.
    const [peer] = await Book.objects.fetchMode('peers').limit(1);
    await withFetchMode('raise', async () => {
      assert.equal(((await peer!.fetchRelated('author')) as Author).name, 'Tolkien');
    });
    assert.throws(() => Book.objects.fetchMode('lazy' as never), /Unknown fetch mode 'lazy'/);
  });

  test('related managers queried author by author are an N+1; a prefetch is not', async () => {
    await overrideSettings({ nPlusOne: 'raise' }, async () => {
      const authors = await Author.objects.orderBy('name');
      await authors[0]!.books.count();
      assert.throws(
        () => authors[1]!.books.all(),
        (e: unknown) =>
          e instanceof NPlusOneError &&
          /Author\.books is loaded one author at a time/.test(e.message) &&
          /Author\.objects\.prefetchRelated\('books'\)/.test(e.message),
      );
      const prefetched = await Author.objects.prefetchRelated('books');
      for (const a of prefetched) assert.equal(await a.books.count(), 2);
      // One instance (no peers) is not a loop; nor are instances of different queries.
      const [only] = await Author.objects.filter({ name: 'Tolkien' });
      await only!.books.count();
      const [a1] = await Author.objects.filter({ name: 'Tolkien' });
      const [a2] = await Author.objects.filter({ name: 'Pratchett' });
      await a1!.books.count();
      await a2!.books.count();
    });
  });

  test('by default the detector is on in debug only', async () => {
    await overrideSettings({ debug: false }, async () => {
      const authors = await Author.objects.orderBy('name');
      for (const a of authors) await a.books.count();
    });
    await overrideSettings({ debug: true }, async () => {
      const authors = await Author.objects.orderBy('name');
      await authors[0]!.books.count();
      assert.throws(() => authors[1]!.books.all(), NPlusOneError);
    });
  });
});
