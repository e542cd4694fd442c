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
  dropModelTables,
  type Manager,
  Model,
  OneToOneField,
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
  });

  test('counts, updates and values do without the joins', async () => {
    const qs = Book.objects.selectRelated('author', 'owner');
    const { result: n, sql } = await counted(() => qs.count());
    assert.equal(n, 2);
    assert.doesNotMatch(sql[0]!, /JOIN/);
    const { sql: updates } = await counted(() => qs.filter({ isbn: 'e2' }).update({ sales: 3 }));
    assert.doesNotMatch(updates[0]!, /JOIN|IN \(/);
    assert.throws(() => Book.objects.values('title').selectRelated('author' as never), TypeError);
  });

  test('deferred fields and only() combine with selectRelated', async () => {
    const [book] = await Book.objects
      .only('title', 'author')
      .selectRelated('author')
      .filter({ isbn: 'e1' });
    assert.equal(book!.author.name, 'Tolkien');
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
