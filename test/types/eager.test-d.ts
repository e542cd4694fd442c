/**
 * Type-level tests of eager loading: `selectRelated` names are checked and
 * the selected relations are loaded in the result type. Checked by
 * `npm run typecheck`, never run.
 */
import { Author, Book, Review, type User } from '../support/bookstore.js';
import type { Unloaded } from '../../src/db/models/index.js';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_: T): void {}

export async function selectRelatedTypes(): Promise<void> {
  const _plain = await Book.objects.all();
  expectType<Equal<(typeof _plain)[number]['author'], Unloaded<Author>>>(true);

  const books = await Book.objects.selectRelated('author', 'owner');
  const book = books[0]!;
  expectType<Equal<typeof book.author, Author>>(true);
  // owner is a nullable key: loaded, or null.
  expectType<Equal<typeof book.owner, User | null>>(true);
  book.author.name satisfies string;
  book.title satisfies string;
  book.isBestseller satisfies boolean;

  const reviews = await Review.objects.filter({ rating__gte: 4 }).selectRelated('book__author');
  reviews[0]!.book.author.name satisfies string;
  reviews[0]!.book.title satisfies string;
  // user was not selected: still unloaded.
  expectType<Equal<(typeof reviews)[number]['user'], Unloaded<User>>>(true);
  // @ts-expect-error book.owner was not selected either
  reviews[0]!.book.owner.username;

  const got = await Book.objects.selectRelated('author').get({ isbn: 'x' });
  got.author.name satisfies string;
  const first = await Book.objects.selectRelated('author').first();
  first?.author.name satisfies string | undefined;

  // @ts-expect-error misspelled relation
  Book.objects.selectRelated('auther');
  // @ts-expect-error not a relation
  Book.objects.selectRelated('title');
  // @ts-expect-error a reverse foreign key is for prefetchRelated
  Author.objects.selectRelated('books');
  // @ts-expect-error a misspelled nested name
  Review.objects.selectRelated('book__auther');
  Book.objects.selectRelated(false);
  Book.objects.selectRelated();
}
