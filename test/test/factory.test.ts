/**
 * Factories (P27): Faker values, sequences, lazy attributes, sub-factories
 * with `author__name` overrides, related factories, post-generation hooks,
 * traits, build/create and batches, on every backend.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../support/backends.js';
import { Author, Book, BOOKSTORE_MODELS, Review, Tag, User } from '../support/bookstore.js';
import { createModelTables, dropModelTables } from '../../src/db/models/index.js';
import { Factory, seedFactories, sequence, subFactory, useTestCase } from '../../src/test/index.js';

const UserFactory = Factory.define(User, {
  username: sequence((n) => `reader${n}`),
  email: ({ attrs }) => `${String(attrs.username)}@example.com`,
  firstName: ({ faker }) => faker.person.firstName(),
});
const AuthorFactory = Factory.define(Author, {
  name: ({ faker }) => faker.person.fullName(),
  bio: 'Writes.',
});
const BookFactory = Factory.define(
  Book,
  {
    title: ({ faker }) => faker.lorem.words(3),
    isbn: sequence((n) => `978-${String(n).padStart(6, '0')}`),
    author: subFactory(AuthorFactory),
    rating: 3,
  },
  {
    traits: { bestseller: { sales: 50_000, rating: 4.8 } },
    postGeneration: {
      async tags(book, extracted, { strategy }) {
        if (strategy === 'create' && Array.isArray(extracted)) await book.tags.add(...extracted);
      },
    },
  },
);
const ReviewFactory = Factory.define(Review, {
  book: subFactory(BookFactory),
  user: subFactory(UserFactory),
  rating: 5,
});
const ProlificAuthorFactory = AuthorFactory.extend(
  {},
  { related: { book: { factory: BookFactory, field: 'author' } } },
);

describeEachBackend('factories (P27)', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, BOOKSTORE_MODELS);
    await createModelTables(ctx.connection, BOOKSTORE_MODELS);
  });
  useTestCase();

  test('P27 create saves the object and its sub-factories; build saves nothing', async () => {
    const built = await BookFactory.build();
    assert.equal(built.pk, null);
    assert.equal((built.author as unknown as Author).pk, null);
    assert.equal(await Book.objects.count(), 0);
    const book = await BookFactory.create({ title: 'Tehanu', author__name: 'Ursula K. Le Guin' });
    assert.ok(book.pk);
    const saved = await Book.objects.selectRelated('author').get({ pk: book.pk });
    assert.equal(saved.title, 'Tehanu');
    assert.equal(saved.author.name, 'Ursula K. Le Guin');
    assert.equal(saved.rating, 3);
  });

  test('P27 sequences and lazy attributes; Faker values repeat with a seed', async () => {
    UserFactory.resetSequence();
    const [a, b] = await UserFactory.createBatch(2);
    assert.deepEqual([a!.username, b!.username], ['reader0', 'reader1']);
    assert.equal(b!.email, 'reader1@example.com');
    seedFactories(42);
    const first = await AuthorFactory.build();
    seedFactories(42);
    const again = await AuthorFactory.build();
    assert.equal(first.name, again.name);
    assert.ok(first.name.length > 3);
  });

  test('P27 traits, post-generation hooks and batches', async () => {
    const [fantasy, classic] = await Tag.objects.bulkCreate([
      new Tag({ name: 'fantasy' }),
      new Tag({ name: 'classic' }),
    ]);
    const hit = await BookFactory.create({ bestseller: true, tags: [fantasy!, classic!] });
    assert.deepEqual([hit.sales, hit.rating], [50_000, 4.8]);
    assert.equal(await hit.tags.count(), 2);
    const reviews = await ReviewFactory.createBatch(3, { book__author__name: 'Pratchett' });
    assert.equal(reviews.length, 3);
    assert.equal(await Book.objects.filter({ author__name: 'Pratchett' }).count(), 3);
    assert.equal(await User.objects.count(), 3);
  });

  test('P27 related factories create objects pointing back, with their own overrides', async () => {
    const author = await ProlificAuthorFactory.create({ name: 'Banks', book__title: 'Excession' });
    const titles = await Book.objects.filter({ author }).valuesList('title', { flat: true });
    assert.deepEqual(titles, ['Excession']);
  });
});
