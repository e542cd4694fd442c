/**
 * Eager loading: `selectRelated` (JOINs, pattern P01) and `prefetchRelated`
 * (one IN query per level, P02–P04), with exact query counts on every backend.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import { Author, Book, BOOKSTORE_MODELS, Review, Tag, User } from '../../support/bookstore.js';
import {
  apps,
  CASCADE,
  CharField,
  createModelTables,
  DeferredFieldNotLoaded,
  dropModelTables,
  type Manager,
  Model,
  OneToOneField,
  Prefetch,
  prefetchRelatedObjects,
  RelationNotLoaded,
} from '../../../src/db/models/index.js';
import { FieldError } from '../../../src/core/exceptions.js';
import { captureQueries } from '../../../src/db/backends/base/query-log.js';

class Profile extends Model({
  user: OneToOneField(() => User, { onDelete: CASCADE, relatedName: 'profile' }),
  city: CharField({ maxLength: 50 }),
}) {
  declare static objects: Manager<Profile>;
}
apps.register('accounts', { Profile });
const MODELS = [...BOOKSTORE_MODELS, Profile];
/** The reverse one-to-one accessor, declared here since Profile is this file's. */
type WithProfile = User & { profile: Profile | null };

async function counted<T>(fn: () => T): Promise<{ result: Awaited<T>; sql: string[] }> {
  const { result, queries } = await captureQueries(fn);
  return { result, sql: queries.map((q) => q.sql) };
}

describeEachBackend('selectRelated', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, MODELS);
    await createModelTables(ctx.connection, MODELS);
    const ann = await User.objects.create({ username: 'ann' });
    await User.objects.create({ username: 'bob' });
    await Profile.objects.create({ user: ann, city: 'Oslo' });
    const tolkien = await Author.objects.create({ name: 'Tolkien' });
    const pratchett = await Author.objects.create({ name: 'Pratchett' });
    const hobbit = await Book.objects.create({
      title: 'The Hobbit',
      author: tolkien,
      isbn: 'e1',
      publishedDate: '1937-09-21',
      owner: ann,
    });
    await Book.objects.create({
      title: 'Mort',
      author: pratchett,
      isbn: 'e2',
      publishedDate: '1987-11-12',
    });
    await Review.objects.create({ book: hobbit, user: ann, rating: 5 });
  });
  // Profile points at the bookstore's users: other files drop those tables.
  after(() => dropModelTables(ctx.connection, [Profile]));

  test('P01 selectRelated follows a FK with one JOIN query; nullable FK → LEFT JOIN', async () => {
    const { result: books, sql } = await counted(() =>
      Book.objects.selectRelated('author', 'owner').orderBy('title'),
    );
    assert.equal(sql.length, 1);
    assert.match(sql[0]!, /INNER JOIN .library_author. ON/);
    assert.match(sql[0]!, /LEFT OUTER JOIN .accounts_user. ON/);
    // Read synchronously, with no further query.
    const { sql: more } = await counted(() =>
      books.map((b) => [b.title, b.author.name, b.owner?.username ?? null]),
    );
    assert.equal(more.length, 0);
    assert.deepEqual(
      books.map((b) => [b.title, b.author.name, b.owner?.username ?? null]),
      [
        ['Mort', 'Pratchett', null],
        ['The Hobbit', 'Tolkien', 'ann'],
      ],
    );
    assert.ok(books[0]!.author instanceof Author);
    assert.equal(books[0]!.author._state.adding, false);
  });

  test('nested paths join through, outer after a nullable relation', async () => {
    const { result: reviews, sql } = await counted(() =>
      Review.objects.selectRelated('book__author', 'book__owner__profile' as 'book__owner'),
    );
    assert.equal(sql.length, 1);
    assert.equal((sql[0]!.match(/JOIN/g) ?? []).length, 4);
    // profile hangs off a nullable owner: every join from owner on is outer.
    assert.match(sql[0]!, /LEFT OUTER JOIN .accounts_profile./);
    const [review] = reviews;
    assert.equal(review!.book.author.name, 'Tolkien');
    assert.equal(review!.book.owner!.username, 'ann');
    assert.equal((review!.book.owner as unknown as WithProfile).profile!.city, 'Oslo');
  });

  test('reverse one-to-one: a missing row is null, the other side is cached too', async () => {
    const users = (await User.objects
      .selectRelated('profile' as never)
      .orderBy('username')) as unknown as WithProfile[];
    assert.equal(users.length, 2);
    assert.equal(users[0]!.profile!.city, 'Oslo');
    assert.equal(users[0]!.profile!.user, users[0]);
    assert.equal(users[1]!.profile, null);
  });

  test('without names, every non-null foreign key is followed', async () => {
    const { result: reviews, sql } = await counted(() => Review.objects.selectRelated());
    assert.equal(sql.length, 1);
    // book, book.author and user are non-null; book.owner is nullable and not followed.
    assert.equal((sql[0]!.match(/INNER JOIN/g) ?? []).length, 3);
    assert.doesNotMatch(sql[0]!, /LEFT OUTER/);
    assert.equal(reviews[0]!.book.author.name, 'Tolkien');
    assert.equal(reviews[0]!.user.username, 'ann');
    assert.throws(() => reviews[0]!.book.owner, RelationNotLoaded);
  });

  test('selectRelated(false) clears; without it relations stay unloaded', async () => {
    const books = await Book.objects.selectRelated('author').selectRelated(false);
    assert.throws(() => books[0]!.author, RelationNotLoaded);
  });

  test('filters across the same relation reuse the join', async () => {
    const { result, sql } = await counted(() =>
      Book.objects.selectRelated('author').filter({ author__name: 'Tolkien' }),
    );
    assert.equal((sql[0]!.match(/JOIN/g) ?? []).length, 1);
    assert.equal(result.length, 1);
    assert.equal(result[0]!.author.name, 'Tolkien');
    // On a nullable relation too; the join a filter made is reused as it is.
    const { result: owned, sql: inner } = await counted(() =>
      Book.objects.selectRelated('owner').filter({ owner__username: 'ann' }),
    );
    assert.equal((inner[0]!.match(/JOIN/g) ?? []).length, 1);
    assert.equal(owned[0]!.owner!.username, 'ann');
    const { result: unowned, sql: outer } = await counted(() =>
      Book.objects.selectRelated('owner').filter({ owner__isnull: true }),
    );
    assert.match(outer[0]!, /LEFT OUTER JOIN .accounts_user./);
    assert.deepEqual(
      unowned.map((b) => [b.title, b.owner]),
      [['Mort', null]],
    );
  });

  test('counts, updates and values do without the joins', async () => {
    const qs = Book.objects.selectRelated('author', 'owner');
    const { result: n, sql } = await counted(() => qs.count());
    assert.equal(n, 2);
    assert.doesNotMatch(sql[0]!, /JOIN/);
    const { sql: updates } = await counted(() => qs.filter({ isbn: 'e2' }).update({ sales: 3 }));
    assert.doesNotMatch(updates[0]!, /JOIN|IN \(/);
    assert.throws(() => Book.objects.values('title').selectRelated('author' as never), TypeError);
    // values() after selectRelated ignores it, as Django does.
    const { result: titles, sql: plain } = await counted(() =>
      qs.orderBy('title').valuesList('title', { flat: true }),
    );
    assert.deepEqual(titles, ['Mort', 'The Hobbit']);
    assert.doesNotMatch(plain[0]!, /JOIN/);
  });

  test('deferred fields and only() combine with selectRelated', async () => {
    const [book] = await Book.objects
      .only('title', 'author')
      .selectRelated('author')
      .filter({ isbn: 'e1' });
    assert.equal(book!.author.name, 'Tolkien');
    // defer() on the main model: the related columns still follow the loaded ones.
    const [deferred] = await Book.objects
      .defer('isbn', 'publishedDate')
      .selectRelated('author', 'owner')
      .filter({ isbn: 'e1' });
    assert.equal(deferred!.title, 'The Hobbit');
    assert.equal(deferred!.author.name, 'Tolkien');
    assert.equal(deferred!.owner!.username, 'ann');
    assert.throws(() => deferred!.isbn, DeferredFieldNotLoaded);
  });

  test('only() and defer() name fields of the selected relations through them', async () => {
    const { result: reviews, sql } = await counted(() =>
      Review.objects
        .selectRelated('book__author', 'user')
        .only('rating', 'book__title', 'book__author__name', 'user'),
    );
    // Each model loads its primary key, the named fields and the keys the joins follow.
    const columns = sql[0]!.slice(0, sql[0]!.indexOf(' FROM '));
    assert.equal((columns.match(/library_author.\./g) ?? []).length, 2);
    assert.equal((columns.match(/library_book.\./g) ?? []).length, 3);
    assert.match(columns, /accounts_user.\..date_joined/);
    const [review] = reviews;
    assert.equal(review!.book.title, 'The Hobbit');
    assert.equal(review!.book.author.name, 'Tolkien');
    assert.throws(() => review!.book.author.bio, DeferredFieldNotLoaded);
    assert.throws(() => review!.book.isbn, DeferredFieldNotLoaded);
    assert.equal(review!.user.username, 'ann');
    const [book] = await Book.objects.selectRelated('author').defer('author__bio', 'isbn');
    assert.ok(book!.author.name);
    assert.throws(() => book!.author.bio, DeferredFieldNotLoaded);
    assert.throws(() => book!.isbn, DeferredFieldNotLoaded);
    assert.equal(typeof book!.title, 'string');
    // Deferring a key the JOIN follows is Django's error, at any depth.
    await assert.rejects(
      async () =>
        await Review.objects.selectRelated('book__author').only('rating', 'book', 'book__title'),
      /Field Book\.author cannot be both deferred and traversed using select_related/,
    );
    assert.throws(
      () => Book.objects.only('author__nmae'),
      (e: unknown) => e instanceof FieldError && e.message === "Author has no field named 'nmae'",
    );
    assert.throws(() => Book.objects.only('title__x'), /Non-relational field given in only/);
    await assert.rejects(
      async () => await Book.objects.only('title').selectRelated('author'),
      (e: unknown) =>
        e instanceof FieldError &&
        e.message ===
          'Field Book.author cannot be both deferred and traversed using select_related at the same time.',
    );
  });

  test('bad names are FieldErrors listing the choices', () => {
    assert.throws(
      () => Book.objects.selectRelated('auther' as never),
      (e: unknown) =>
        e instanceof FieldError &&
        e.message ===
          "Invalid field name(s) given in select_related: 'auther'. Choices are: author, owner",
    );
    assert.throws(
      () => Book.objects.selectRelated('title' as never),
      (e: unknown) =>
        e instanceof FieldError &&
        e.message ===
          "Non-relational field given in select_related: 'title'. Choices are: author, owner",
    );
    assert.throws(
      () => Tag.objects.selectRelated('books' as never),
      /Invalid field name\(s\) given in select_related: 'books'. Choices are: \(none\)/,
    );
  });
});

describeEachBackend('prefetchRelated', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, MODELS);
    await createModelTables(ctx.connection, MODELS);
    const ann = await User.objects.create({ username: 'ann' });
    const bob = await User.objects.create({ username: 'bob' });
    const [fantasy, humour, classic] = await Tag.objects.bulkCreate([
      new Tag({ name: 'fantasy' }),
      new Tag({ name: 'humour' }),
      new Tag({ name: 'classic' }),
    ]);
    const tolkien = await Author.objects.create({ name: 'Tolkien' });
    const pratchett = await Author.objects.create({ name: 'Pratchett' });
    await Author.objects.create({ name: 'Nobody' });
    const specs: [string, Author, number, Tag[]][] = [
      ['The Hobbit', tolkien, 4.7, [fantasy!, classic!]],
      ['The Silmarillion', tolkien, 3.9, [fantasy!]],
      ['Mort', pratchett, 4.4, [fantasy!, humour!]],
      ['Guards! Guards!', pratchett, 4.5, [humour!]],
      ['Eric', pratchett, 3.5, []],
    ];
    let n = 0;
    for (const [title, author, rating, tags] of specs) {
      const book = await Book.objects.create({ title, author, rating, isbn: `p${++n}` });
      if (tags.length) await book.tags.add(...tags);
      await Review.objects.create({ book, user: n % 2 ? ann : bob, rating: Math.round(rating) });
      if (rating > 4) await Review.objects.create({ book, user: bob, rating: 5 });
    }
  });
  after(() => dropModelTables(ctx.connection, [Profile]));

  test('P02 prefetchRelated on a reverse FK: 2 queries, the second an IN query', async () => {
    const { result: authors, sql } = await counted(() =>
      Author.objects.prefetchRelated('books').orderBy('name'),
    );
    assert.equal(sql.length, 2);
    assert.match(sql[1]!, /FROM .library_book. WHERE .library_book.\..author_id. IN \(/);
    const { result: titles, sql: more } = await counted(async () =>
      Promise.all(
        authors.map(async (a) => [a.name, (await a.books.all()).map((b) => b.title).sort()]),
      ),
    );
    assert.equal(more.length, 0, 'all() is served from the prefetch');
    assert.deepEqual(titles, [
      ['Nobody', []],
      ['Pratchett', ['Eric', 'Guards! Guards!', 'Mort']],
      ['Tolkien', ['The Hobbit', 'The Silmarillion']],
    ]);
    // count() and the synchronous loaded list need no query either, and each book knows its author.
    const { result: counts, sql: none } = await counted(() =>
      Promise.all(authors.map((a) => a.books.count())),
    );
    assert.deepEqual(counts, [0, 3, 2]);
    assert.equal(none.length, 0);
    const tolkien = authors[2]!;
    assert.equal(tolkien.books.loaded.length, 2);
    assert.equal(tolkien.books.loaded[0]!.author, tolkien);
    // A filter is a new query, as in Django.
    const { sql: filtered } = await counted(() => tolkien.books.filter({ rating__gte: 4 }));
    assert.equal(filtered.length, 1);
  });

  test('P03 nested prefetch Prefetch(books, queryset with prefetchRelated(reviews)): 3 queries', async () => {
    const { result: authors, sql } = await counted(() =>
      Author.objects.prefetchRelated(
        new Prefetch('books', { queryset: Book.objects.prefetchRelated('reviews') }),
      ),
    );
    assert.equal(sql.length, 3);
    const { result: reviews, sql: none } = await counted(() =>
      authors.flatMap((a) => a.books.loaded.flatMap((b) => b.reviews.loaded)),
    );
    assert.equal(none.length, 0);
    assert.equal(reviews.length, 8);
    // The same with a path.
    const { result: again, sql: three } = await counted(() =>
      Author.objects.prefetchRelated('books__reviews'),
    );
    assert.equal(three.length, 3);
    assert.equal(again.flatMap((a) => a.books.loaded.flatMap((b) => b.reviews.loaded)).length, 8);
  });

  test('P04 Prefetch with a filtered, ordered queryset and toAttr', async () => {
    const { result: authors, sql } = await counted(() =>
      Author.objects.orderBy('name').prefetchRelated(
        new Prefetch('books', {
          queryset: Book.objects.filter({ rating__gte: 4 }).orderBy('-rating'),
          toAttr: 'topBooks',
        }),
      ),
    );
    assert.equal(sql.length, 2);
    assert.deepEqual(
      authors.map((a) => [a.name, a.topBooks.map((b) => b.title)]),
      [
        ['Nobody', []],
        ['Pratchett', ['Guards! Guards!', 'Mort']],
        ['Tolkien', ['The Hobbit']],
      ],
    );
    // toAttr leaves the relation itself unloaded (and untyped as loaded).
    assert.throws(
      () => (authors[0]!.books as unknown as { loaded: unknown }).loaded,
      RelationNotLoaded,
    );
  });

  test('a sliced Prefetch queryset slices the list of each parent (as Django 4.2)', async () => {
    const { result: authors, sql } = await counted(() =>
      Author.objects.orderBy('name').prefetchRelated(
        new Prefetch('books', {
          queryset: Book.objects.orderBy('-rating').slice(0, 2),
          toAttr: 'best',
        }),
        new Prefetch('books', { queryset: Book.objects.orderBy('title').slice(1, 2) }),
      ),
    );
    assert.equal(sql.length, 3);
    assert.deepEqual(
      authors.map((a) => [a.name, a.best.map((b) => b.title)]),
      [
        ['Nobody', []],
        ['Pratchett', ['Guards! Guards!', 'Mort']],
        ['Tolkien', ['The Hobbit', 'The Silmarillion']],
      ],
    );
    assert.deepEqual(
      authors.map((a) => a.books.loaded.map((b) => b.title)),
      [[], ['Guards! Guards!'], ['The Silmarillion']],
    );
    // Many-to-many too.
    const tags = await Tag.objects
      .orderBy('name')
      .prefetchRelated(
        new Prefetch('books', { queryset: Book.objects.orderBy('title').slice(0, 1) }),
      );
    assert.deepEqual(
      tags.map((t) => t.books.loaded.map((b) => b.title)),
      [['The Hobbit'], ['Mort'], ['Guards! Guards!']],
    );
  });

  test('many-to-many from both sides, forward foreign keys and selectRelated inside', async () => {
    const { result: books, sql } = await counted(() =>
      Book.objects.orderBy('title').prefetchRelated('tags', 'author'),
    );
    assert.equal(sql.length, 3);
    assert.deepEqual(
      books.map((b) => [b.title, b.author.name, b.tags.loaded.map((t) => t.name)]),
      [
        ['Eric', 'Pratchett', []],
        ['Guards! Guards!', 'Pratchett', ['humour']],
        ['Mort', 'Pratchett', ['fantasy', 'humour']],
        ['The Hobbit', 'Tolkien', ['classic', 'fantasy']],
        ['The Silmarillion', 'Tolkien', ['fantasy']],
      ],
    );
    const { result: tags, sql: two } = await counted(() =>
      Tag.objects.prefetchRelated(
        new Prefetch('books', { queryset: Book.objects.selectRelated('author').orderBy('title') }),
      ),
    );
    assert.equal(two.length, 2);
    assert.deepEqual(
      tags.map((t) => [t.name, t.books.loaded.map((b) => `${b.title}/${b.author.name}`)]),
      [
        ['classic', ['The Hobbit/Tolkien']],
        ['fantasy', ['Mort/Pratchett', 'The Hobbit/Tolkien', 'The Silmarillion/Tolkien']],
        ['humour', ['Guards! Guards!/Pratchett', 'Mort/Pratchett']],
      ],
    );
  });

  test('prefetches go through relations selected by JOIN and through toAttr lists', async () => {
    const { result: books, sql } = await counted(() =>
      Book.objects.filter({ isbn: 'p1' }).selectRelated('author').prefetchRelated('author__books'),
    );
    // The author came with the JOIN: only its books are fetched.
    assert.equal(sql.length, 2);
    assert.equal(books[0]!.author.books.loaded.length, 2);
    const { result: authors, sql: three } = await counted(() =>
      Author.objects.filter({ name: 'Pratchett' }).prefetchRelated(
        new Prefetch('books', {
          queryset: Book.objects.filter({ rating__gte: 4 }),
          toAttr: 'top',
        }),
        'top__reviews' as never,
      ),
    );
    assert.equal(three.length, 3);
    // (A path through a toAttr name is not in the types: it needs casts.)
    const top = (authors[0] as unknown as { top: (Book & { reviews: { loaded: Review[] } })[] })
      .top;
    assert.deepEqual(top.map((b) => b.title).sort(), ['Guards! Guards!', 'Mort']);
    assert.equal(top.flatMap((b) => b.reviews.loaded).length, 4);
  });

  test('prefetchRelatedObjects loads relations of instances already in memory', async () => {
    const reviews = await Review.objects.filter({ rating: 5 });
    const { result: loaded, sql } = await counted(() =>
      prefetchRelatedObjects(reviews, 'book__author', 'user'),
    );
    assert.equal(sql.length, 3);
    assert.equal(loaded, reviews, 'the same array, typed');
    assert.ok(loaded.every((r) => r.book.author.name && r.user.username));
    // Already loaded levels are not fetched again.
    const { sql: one } = await counted(() => prefetchRelatedObjects(reviews, 'book__tags'));
    assert.equal(one.length, 1);
  });

  test('prefetchRelatedObjects fetches only the instances that lack the relation', async () => {
    const books = await Book.objects.orderBy('title');
    const [first] = await prefetchRelatedObjects(books.slice(0, 1), 'author');
    const { result: loaded, sql } = await counted(() => prefetchRelatedObjects(books, 'author'));
    assert.equal(sql.length, 1);
    // The first book's author was loaded already: it is neither fetched again nor replaced.
    assert.equal(loaded[0]!.author, first!.author);
    assert.deepEqual(
      loaded.map((b) => b.author.name),
      ['Pratchett', 'Pratchett', 'Pratchett', 'Tolkien', 'Tolkien'],
    );
    const { sql: none } = await counted(() => prefetchRelatedObjects(books, 'author'));
    assert.equal(none.length, 0);
  });

  test('reading a relation that was not prefetched throws, naming the fix', async () => {
    const [author] = await Author.objects.filter({ name: 'Tolkien' });
    assert.throws(
      // (Not prefetched, so `loaded` is not even in the type.)
      () => (author!.books as unknown as { loaded: unknown }).loaded,
      (e: unknown) =>
        e instanceof RelationNotLoaded &&
        /Author\.books is not loaded.*Author\.objects\.prefetchRelated\('books'\)/.test(e.message),
    );
  });

  test('bad lookups are errors with Django messages', async () => {
    await assert.rejects(
      async () => await Author.objects.prefetchRelated('bokos' as never),
      /Cannot find 'bokos' on Author object, 'bokos' is an invalid parameter to prefetchRelated\(\)/,
    );
    await assert.rejects(
      async () => await Author.objects.prefetchRelated('name' as never),
      /'name' does not resolve to an item that supports prefetching/,
    );
    await assert.rejects(
      async () => await Author.objects.prefetchRelated(new Prefetch('books', { toAttr: 'name' })),
      /toAttr=name conflicts with a field on the Author model/,
    );
    assert.throws(() => Author.objects.values('name').prefetchRelated('books'), TypeError);
    assert.throws(
      () => new Prefetch('books', { queryset: Book.objects.values('title') as never }),
      /values/,
    );
  });

  test('IN lists are chunked below the parameter limit: 100 000 parents', async () => {
    const parents = Array.from({ length: 100_000 }, (_, i) => new Author({ name: `a${i}` }));
    await Author.objects.bulkCreate(parents);
    const authors = await Author.objects.filter({ name__startswith: 'a' });
    assert.equal(authors.length, 100_000);
    const { result: loaded, sql } = await counted(() => prefetchRelatedObjects(authors, 'books'));
    const limit = ctx.connection.features.maxQueryParams;
    assert.equal(sql.length, Math.ceil(100_000 / (limit - 1)));
    assert.ok(loaded.every((a) => a.books.loaded.length === 0));
    await Author.objects.filter({ name__startswith: 'a' }).delete();
  });
});
