/**
 * Type-level tests of annotate() and aggregate(): annotation values are
 * typed from their expressions, default keys from the aggregate and its
 * source. Checked by `npm run typecheck`, never run.
 */
import { Author, Book } from '../support/bookstore.js';
import {
  Avg,
  Count,
  Exists,
  Length,
  Lower,
  Max,
  RowNumber,
  Subquery,
  Sum,
  Window,
} from '../../src/db/models/index.js';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_: T): void {}

export async function annotationTypes(): Promise<void> {
  const authors = await Author.objects.annotate({
    bookCount: Count('books'),
    avgRating: Avg('books__rating'),
  });
  expectType<Equal<(typeof authors)[number]['bookCount'], number>>(true);
  expectType<Equal<(typeof authors)[number]['avgRating'], number | null>>(true);
  authors[0]!.name satisfies string;

  // Annotations can be filtered with typed lookups.
  Author.objects.annotate({ n: Count('books') }).filter({ n__gte: 2 });
  // @ts-expect-error a count is a number
  Author.objects.annotate({ n: Count('books') }).filter({ n__gte: 'two' });
  // @ts-expect-error unknown names are still errors
  Author.objects.annotate({ n: Count('books') }).filter({ m__gte: 2 });

  const _positional = await Author.objects.annotate(Count('books'));
  expectType<Equal<(typeof _positional)[number]['books__count'], number>>(true);

  const _single = await Book.objects.aggregate(Avg('rating'));
  expectType<Equal<typeof _single, { rating__avg: number | null }>>(true);
  const named = await Book.objects.aggregate({ total: Sum('sales'), best: Max('rating') });
  named.total satisfies number | null;
  // @ts-expect-error not an aggregate key
  named.rating__avg;
}

export async function expressionTypes(): Promise<void> {
  const _rows = await Author.objects.annotate({
    lower: new Lower('name'),
    len: new Length('name'),
    star: new Exists(Book.objects.filter({ rating__gte: 4 })),
    n: new Window(new RowNumber(), { orderBy: 'name' }),
  });
  expectType<Equal<(typeof _rows)[number]['lower'], string>>(true);
  expectType<Equal<(typeof _rows)[number]['len'], number | null>>(true);
  expectType<Equal<(typeof _rows)[number]['star'], boolean>>(true);
  expectType<Equal<(typeof _rows)[number]['n'], number>>(true);
  const sub = await Author.objects.annotate({
    best: new Subquery<string>(Book.objects.values('title').slice(0, 1)),
  });
  sub[0]!.best satisfies string;
}
