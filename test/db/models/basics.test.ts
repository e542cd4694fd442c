import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import { Author, Book, BOOKSTORE_MODELS, Review, Tag, User } from '../../support/bookstore.js';
import {
  createModelTables,
  dropModelTables,
  F,
  Q,
  RelationNotLoaded,
} from '../../../src/db/models/index.js';
import { FieldError, ValidationError } from '../../../src/core/exceptions.js';
import { captureQueries } from '../../../src/db/backends/base/query-log.js';

describeEachBackend('ORM basics', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, BOOKSTORE_MODELS);
    await createModelTables(ctx.connection, BOOKSTORE_MODELS);
  });
  after(async () => {
    await dropModelTables(ctx.connection, BOOKSTORE_MODELS);
  });

  test('create, save and get round-trip every field', async () => {
    const author = await Author.objects.create({ name: 'Ursula K. Le Guin', bio: 'Earthsea' });
    assert.equal(typeof author.id, 'number');
    assert.ok(author.createdAt instanceof Date);
    const book = await Book.objects.create({
      title: 'A Wizard of Earthsea',
      author,
      isbn: '978-0',
      publishedDate: '1968-11-01',
      rating: 4.5,
      sales: 12000,
    });
    assert.equal(book.authorId, author.id);
    assert.equal(book.status, 'draft');
    const again = await Book.objects.get({ pk: book.id });
    assert.equal(again.title, 'A Wizard of Earthsea');
    assert.equal(again.publishedDate, '1968-11-01');
    assert.equal(again.rating, 4.5);
    assert.equal(again.sales, 12000);
    assert.equal(again.authorId, author.id);
    assert.ok(again.createdAt instanceof Date);
    assert.equal(again.isBestseller, true);
    assert.equal(String(again), 'A Wizard of Earthsea');
  });

  test('filters across relations, Q objects and default ordering', async () => {
    const tolkien = await Author.objects.create({ name: 'J. R. R. Tolkien' });
    await Book.objects.create({
      title: 'The Hobbit',
      author: tolkien,
      isbn: 'h-1',
      publishedDate: '1937-09-21',
      rating: 4.7,
      status: 'published',
    });
    await Book.objects.create({
      title: 'Silmarillion',
      author: tolkien,
      isbn: 's-1',
      publishedDate: null,
      rating: 3.9,
    });
    const titles = async (qs: PromiseLike<Book[]>) => (await qs).map((b) => b.title);
    assert.deepEqual(await titles(Book.objects.filter({ author__name__icontains: 'tolkien' })), [
      'The Hobbit',
      'Silmarillion',
    ]);
    assert.deepEqual(
      await titles(
        Book.objects.filter(Q({ rating__gte: 4.6 }).or(Q({ publishedDate__isnull: true }))),
      ),
      ['The Hobbit', 'Silmarillion'],
    );
    assert.deepEqual(
      await titles(Book.objects.exclude({ author__name__startswith: 'J.' }).orderBy('title')),
      ['A Wizard of Earthsea'],
    );
    assert.deepEqual(await titles(Book.objects.filter({ publishedDate__year__lt: 1950 })), [
      'The Hobbit',
    ]);
    assert.deepEqual(await titles(Book.published.all()), ['The Hobbit']);
    assert.equal(await Author.objects.filter({ books__title: 'The Hobbit' }).count(), 1);
    assert.equal(await Book.objects.filter({ title__in: [] }).count(), 0);
  });

  test('a misspelled field is a FieldError listing the choices', async () => {
    assert.throws(
      // @ts-expect-error a misspelling on purpose: the run-time FieldError is under test
      () => Book.objects.filter({ author__nmae: 'x' }),
      (e: unknown) =>
        e instanceof FieldError &&
        e.message ===
          "Cannot resolve keyword 'nmae' into field. Choices are: bio, books, createdAt, id, name.",
    );
  });

  test('get raises the model DoesNotExist and MultipleObjectsReturned', async () => {
    await assert.rejects(
      Book.objects.get({ title: 'nope' }),
      (e: unknown) =>
        e instanceof Book.DoesNotExist &&
        (e as Error).message === 'Book matching query does not exist.',
    );
    await assert.rejects(
      Book.objects.get({ rating__gte: 0 }),
      (e: unknown) =>
        e instanceof Book.MultipleObjectsReturned && /returned 3/.test((e as Error).message),
    );
  });

  test('relations are never loaded behind your back', async () => {
    const book = await Book.objects.get({ isbn: 'h-1' });
    assert.throws(
      () => (book as unknown as { author: Author }).author,
      (e: unknown) => {
        assert.ok(e instanceof RelationNotLoaded);
        assert.match((e as Error).message, /Book\.author is not loaded/);
        assert.match((e as Error).message, /selectRelated\('author'\)/);
        assert.match((e as Error).message, /fetchRelated\('author'\)/);
        return true;
      },
    );
    const { queries } = await captureQueries(async () => {
      const author = (await book.fetchRelated('author')) as Author;
      assert.equal(author.name, 'J. R. R. Tolkien');
    });
    assert.equal(queries.length, 1);
    assert.equal((book as unknown as { author: Author }).author.name, 'J. R. R. Tolkien');
  });

  test('reverse and many-to-many managers', async () => {
    const tolkien = await Author.objects.get({ name: 'J. R. R. Tolkien' });
    assert.equal(await tolkien.books.count(), 2);
    assert.deepEqual(
      (await tolkien.books.filter({ rating__gte: 4 })).map((b) => b.title),
      ['The Hobbit'],
    );
    const hobbit = await Book.objects.get({ isbn: 'h-1' });
    const [fantasy, classic] = await Promise.all([
      Tag.objects.create({ name: 'fantasy' }),
      Tag.objects.create({ name: 'classic' }),
    ]);
    await hobbit.tags.add(fantasy, classic);
    await hobbit.tags.add(fantasy); // already linked: kept once
    assert.deepEqual(
      (await hobbit.tags.orderBy('name')).map((t) => t.name),
      ['classic', 'fantasy'],
    );
    assert.deepEqual(
      (await fantasy.books.all()).map((b) => b.title),
      ['The Hobbit'],
    );
    assert.deepEqual(
      (await Book.objects.filter({ tags__name: 'classic' })).map((b) => b.title),
      ['The Hobbit'],
    );
    await hobbit.tags.set([classic]);
    assert.deepEqual(
      (await hobbit.tags.all()).map((t) => t.name),
      ['classic'],
    );
    await hobbit.tags.clear();
    assert.equal(await hobbit.tags.count(), 0);
  });

  test('update with F expressions returns the row count', async () => {
    const n = await Book.objects
      .filter({ author__name: 'J. R. R. Tolkien' })
      .update({ sales: F('sales').add(5) });
    assert.equal(n, 2);
    assert.deepEqual(
      (
        await Book.objects
          .filter({ author__name: 'J. R. R. Tolkien' })
          .valuesList('sales', { flat: true })
      ).map(Number),
      [5, 5],
    );
  });

  test('fullClean reports Django messages by field', async () => {
    const author = await Author.objects.get({ name: 'J. R. R. Tolkien' });
    const book = new Book({
      title: 'x'.repeat(201),
      author,
      isbn: 'h-1',
      status: 'archived' as 'draft',
    });
    await assert.rejects(book.fullClean(), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.deepEqual(e.messageDict, {
        title: ['Ensure this value has at most 200 characters (it has 201).'],
        status: ["Value 'archived' is not a valid choice."],
        isbn: ['Book with this Isbn already exists.'],
      });
      return true;
    });
  });

  test('delete cascades in bulk and returns Django counts', async () => {
    const user = await User.objects.create({ username: 'reader' });
    const hobbit = await Book.objects.get({ isbn: 'h-1' });
    await Review.objects.create({ book: hobbit, user, rating: 5 });
    await hobbit.tags.add(await Tag.objects.get({ name: 'fantasy' }));
    const tolkien = await Author.objects.get({ name: 'J. R. R. Tolkien' });
    const [total, counts] = await tolkien.delete();
    assert.deepEqual(counts, {
      'library.Review': 1,
      'library.Book_tags': 1,
      'library.Book': 2,
      'library.Author': 1,
    });
    assert.equal(total, 5);
    assert.equal(await Book.objects.count(), 1);
    assert.equal(tolkien.pk, null);
  });
});
