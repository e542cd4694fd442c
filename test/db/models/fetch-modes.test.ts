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
  apps,
  CASCADE,
  CharField,
  createModelTables,
  dropModelTables,
  FetchModeError,
  type Manager,
  Model,
  NPlusOneError,
  OneToOneField,
  type Unloaded,
  withFetchMode,
} from '../../../src/db/models/index.js';
import { captureQueries } from '../../../src/db/backends/base/query-log.js';
import { overrideSettings } from '../../../src/conf/override.js';

class Person extends Model({ name: CharField({ maxLength: 50 }) }) {
  declare static objects: Manager<Person>;
  declare passport: Unloaded<Passport>;
}
class Passport extends Model({
  person: OneToOneField(() => Person, { onDelete: CASCADE, relatedName: 'passport' }),
  number: CharField({ maxLength: 20 }),
}) {
  declare static objects: Manager<Passport>;
}
apps.register('fetchtest', { Person, Passport });

/** The statements run by `fn` that read `table`. */
async function readsOf(table: string, fn: () => Promise<unknown>): Promise<string[]> {
  const { queries } = await captureQueries(fn);
  return queries.map((q) => q.sql).filter((sql) => sql.includes(table));
}

describeEachBackend('fetch modes and the N+1 detector', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, [...BOOKSTORE_MODELS, Person, Passport]);
    await createModelTables(ctx.connection, [...BOOKSTORE_MODELS, Person, Passport]);
    for (const name of ['Ada', 'Bea', 'Cy']) {
      const person = await Person.objects.create({ name });
      if (name !== 'Cy') await Passport.objects.create({ person, number: `P-${name}` });
    }
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
  test('a relation already loaded is returned without a query, in every mode', async () => {
    await withFetchMode('raise', async () => {
      const { result: books, queries } = await captureQueries(async () => {
        const books = await Book.objects.selectRelated('author').orderBy('id');
        for (const b of books) assert.equal((await b.fetchRelated('author')).id, b.authorId);
        // A null key needs no query either (Book.owner is nullable and unset).
        assert.equal(await books[0]!.fetchRelated('owner'), null);
        return books;
      });
      assert.equal(books.length, 6);
      assert.equal(queries.length, 1);
    });
  });

  test('reverse one-to-one: peers in one query, missing rows are null', async () => {
    const { result: numbers, queries } = await captureQueries(async () => {
      const people = await Person.objects.orderBy('name');
      const numbers: (string | null)[] = [];
      for (const p of people)
        numbers.push(((await p.fetchRelated('passport')) as Passport | null)?.number ?? null);
      assert.equal(people[2]!.passport, null, 'a plain read now');
      return numbers;
    });
    assert.deepEqual(numbers, ['P-Ada', 'P-Bea', null]);
    assert.equal(queries.length, 2);
    await withFetchMode('one', async () => {
      await overrideSettings({ nPlusOne: 'off' }, async () => {
        const people = await Person.objects.orderBy('name');
        const reads = await readsOf('passport', async () => {
          for (const p of people) await p.fetchRelated('passport');
        });
        assert.equal(reads.length, 3);
      });
    });
    const [ada] = await Person.objects.fetchMode('raise').filter({ name: 'Ada' });
    await assert.rejects(
      ada!.fetchRelated('passport'),
      /Fetching Person\.passport on demand is not allowed \(fetch mode 'raise'\)\. Load it with the query: Person\.objects\.selectRelated\('passport'\)/,
    );
  });

  test('peers are the batch of an iterator: one query per batch', async () => {
    const reads = await readsOf('library_author', async () => {
      const names: string[] = [];
      for await (const b of Book.objects.orderBy('id').iterator({ chunkSize: 4 }))
        names.push(((await b.fetchRelated('author')) as Author).name);
      assert.equal(names.length, 6);
    });
    assert.equal(reads.length, 2);
  });

  test('objects joined by selectRelated are peers of one another', async () => {
    const { queries } = await captureQueries(async () => {
      const reviews = await Review.objects.selectRelated('book').orderBy('id');
      assert.equal(reviews.length, 6);
      for (const r of reviews) await r.book.fetchRelated('author');
      assert.equal((reviews[5]!.book.author as unknown as Author).name, 'Le Guin');
    });
    assert.equal(queries.length, 2);
  });

  test("a QuerySet's mode reaches the objects loaded from its instances (as Django copies it)", async () => {
    // Joined objects carry it…
    const [review] = await Review.objects.fetchMode('raise').selectRelated('book').limit(1);
    await assert.rejects(review!.book.fetchRelated('author'), FetchModeError);
    // …and so do objects fetched on demand: here 'peers' wins over the scope's 'raise' twice.
    const reviews = await Review.objects.fetchMode('peers').orderBy('id');
    await withFetchMode('raise', async () => {
      const book = (await reviews[0]!.fetchRelated('book')) as Book;
      assert.equal(((await book.fetchRelated('author')) as Author).name, 'Tolkien');
    });
  });

  test('deferred fields: fetchDeferred() loads them for the peers too, by the fetch mode', async () => {
    const { result: authors, queries } = await captureQueries(async () => {
      const authors = await Author.objects.only('name').orderBy('name');
      assert.throws(
        () => authors[1]!.bio,
        /Author\.bio was deferred .* await author\.fetchDeferred\('bio'\)/,
      );
      for (const a of authors) await a.fetchDeferred('bio');
      return authors;
    });
    assert.equal(queries.length, 2);
    assert.deepEqual(
      authors.map((a) => a.bio),
      ['', '', ''],
    );
    assert.equal(authors[2]!.name, 'Tolkien', 'loaded fields are kept');
    // Loaded fields cost nothing; refreshFromDb still reloads this instance alone.
    const { queries: again } = await captureQueries(async () => {
      await authors[0]!.fetchDeferred('bio', 'name');
      await authors[0]!.refreshFromDb({ fields: ['bio'] });
    });
    assert.equal(again.length, 1);
    // Mode 'one': a query each, watched by the detector.
    await overrideSettings({ nPlusOne: 'raise' }, async () => {
      const one = await Author.objects.only('name').fetchMode('one').orderBy('name');
      await one[0]!.fetchDeferred('bio');
      await assert.rejects(one[1]!.fetchDeferred('bio'), (e: unknown) => {
        assert.ok(e instanceof NPlusOneError);
        assert.match(e.message, /Author\.bio is loaded one author at a time/);
        assert.match(e.message, /keep 'bio' in only\(\)\/defer\(\)/);
        return true;
      });
    });
    // Mode 'raise' refuses.
    const [raising] = await Author.objects.defer('bio').fetchMode('raise').limit(1);
    await assert.rejects(
      raising!.fetchDeferred('bio'),
      (e: unknown) =>
        e instanceof FetchModeError &&
        /^Fetching Author\.bio on demand is not allowed \(fetch mode 'raise'\)/.test(e.message),
    );
  });
});
