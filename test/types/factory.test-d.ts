/**
 * Type-level tests of factories: overrides are typed from the model and the
 * factory's declarations (sub-factories, traits, hooks, related factories);
 * a misspelled name does not compile. Checked by `npm run typecheck`, never run.
 */
import { Author, Book } from '../support/bookstore.js';
import { Factory, sequence, subFactory } from '../../src/test/index.js';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_: T): void {}

const AuthorFactory = Factory.define(Author, { name: ({ faker }) => faker.person.fullName() });
const BookFactory = Factory.define(
  Book,
  {
    title: 'Dune',
    isbn: sequence((n) => `978-${n}`),
    author: subFactory(AuthorFactory),
  },
  {
    traits: { bestseller: { sales: 50_000 } },
    postGeneration: {
      tags(book, extracted) {
        void book.title;
        void extracted;
      },
    },
  },
);
const ProlificAuthorFactory = AuthorFactory.extend(
  {},
  { related: { book: { factory: BookFactory, field: 'author' } } },
);

export async function factoryTypes(): Promise<void> {
  const _book = await BookFactory.create({
    title: 'Tehanu',
    author__name: 'Ursula K. Le Guin',
    bestseller: true,
    tags: [],
  });
  expectType<Equal<typeof _book, Book>>(true);
  const _books = await BookFactory.buildBatch(2, { sales: 3 });
  expectType<Equal<typeof _books, Book[]>>(true);
  await ProlificAuthorFactory.create({ book__title: 'Earthsea', name: 'Le Guin' });

  // @ts-expect-error a misspelled field
  await BookFactory.create({ titel: 'x' });
  // @ts-expect-error a misspelled sub-factory
  await BookFactory.create({ autor__name: 'x' });
  // @ts-expect-error a trait is switched on with a boolean
  await BookFactory.create({ bestseller: 'yes' });
  // @ts-expect-error a field value of the wrong type
  await BookFactory.create({ sales: 'many' });
  // @ts-expect-error an unknown trait
  await BookFactory.create({ classic: true });
  // @ts-expect-error `author` is a sub-factory of BookFactory, not of AuthorFactory
  await AuthorFactory.create({ author__name: 'x' });
}
