/**
 * Type-level tests of eager loading: `selectRelated` names are checked and
 * the selected relations are loaded in the result type. Checked by
 * `npm run typecheck`, never run.
 */
import { Author, Book, Review, Tag, type User } from '../support/bookstore.js';
import { Prefetch, prefetchRelatedObjects, type Unloaded } from '../../src/db/models/index.js';

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

export async function prefetchRelatedTypes(): Promise<void> {
  const authors = await Author.objects.prefetchRelated('books');
  authors[0]!.books.loaded[0]!.title satisfies string;
  // the manager is still a manager
  await authors[0]!.books.filter({ rating__gte: 4 });

  const plain = await Author.objects.all();
  // @ts-expect-error not prefetched: no `loaded`
  plain[0]!.books.loaded;

  const nested = await Author.objects.prefetchRelated('books__reviews', 'books__tags');
  nested[0]!.books.loaded[0]!.reviews.loaded[0]!.rating satisfies number;
  nested[0]!.books.loaded[0]!.tags.loaded[0]!.name satisfies string;

  const withAttr = await Author.objects.prefetchRelated(
    new Prefetch('books', {
      queryset: Book.objects.selectRelated('owner').filter({ rating__gte: 4 }),
      toAttr: 'topBooks',
    }),
  );
  withAttr[0]!.topBooks[0]!.owner?.username satisfies string | undefined;
  // @ts-expect-error toAttr leaves books itself unloaded
  withAttr[0]!.books.loaded;

  const viaQueryset = await Tag.objects.prefetchRelated(
    new Prefetch('books', { queryset: Book.objects.selectRelated('author') }),
  );
  viaQueryset[0]!.books.loaded[0]!.author.name satisfies string;

  const forward = await Review.objects.prefetchRelated('book__author');
  forward[0]!.book.author.name satisfies string;

  const reviews = await Review.objects.all();
  const loaded = await prefetchRelatedObjects(reviews, 'user');
  loaded[0]!.user.username satisfies string;

  // Prefetch without toAttr: the relation itself, typed by the queryset's rows.
  const ordered = await Author.objects.prefetchRelated(
    new Prefetch('books', { queryset: Book.objects.selectRelated('author').orderBy('title') }),
  );
  ordered[0]!.books.loaded[0]!.author.name satisfies string;
  expectType<Equal<(typeof ordered)[number]['books']['loaded'][number]['author'], Author>>(true);

  // A toAttr on a nested level lands on the objects of that level.
  const deep = await Author.objects.prefetchRelated(
    new Prefetch('books__reviews', {
      queryset: Review.objects.filter({ rating__gte: 4 }),
      toAttr: 'goodReviews',
    }),
  );
  deep[0]!.books.loaded[0]!.goodReviews[0]!.rating satisfies number;
  // @ts-expect-error reviews itself was not prefetched
  deep[0]!.books.loaded[0]!.reviews.loaded;

  // A single-valued relation under toAttr is the object or null.
  const _single = await Review.objects.prefetchRelated(new Prefetch('book', { toAttr: 'theBook' }));
  expectType<Equal<(typeof _single)[number]['theBook'], Book | null>>(true);

  // prefetchRelatedObjects takes Prefetch objects too; prefetchRelated(false) clears.
  const again = await prefetchRelatedObjects(
    await Author.objects.all(),
    new Prefetch('books', { toAttr: 'all' }),
  );
  again[0]!.all[0]!.title satisfies string;
  // @ts-expect-error only the toAttr name is added (not a string index)
  again[0]!.other;
  Author.objects.prefetchRelated('books').prefetchRelated(false);

  // selectRelated and prefetchRelated combine.
  const both = await Book.objects.selectRelated('author').prefetchRelated('tags');
  both[0]!.author.name satisfies string;
  both[0]!.tags.loaded[0]!.name satisfies string;

  // @ts-expect-error misspelled
  Author.objects.prefetchRelated('bokos');
  // @ts-expect-error a plain field is not prefetchable
  Author.objects.prefetchRelated('name');
  // @ts-expect-error a Prefetch path is checked too
  Author.objects.prefetchRelated(new Prefetch('bokos'));
}
