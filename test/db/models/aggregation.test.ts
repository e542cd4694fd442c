/**
 * annotate() and aggregate() (patterns P07–P09): the same data gives the
 * same results on every backend, computed here independently in JS.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import { Author, Book, BOOKSTORE_MODELS, Review, Tag, User } from '../../support/bookstore.js';
import {
  Avg,
  Count,
  createModelTables,
  dropModelTables,
  F,
  Max,
  Min,
  Q,
  StdDev,
  Sum,
  Variance,
} from '../../../src/db/models/index.js';
import { FieldError, ValueError } from '../../../src/core/exceptions.js';
import { captureQueries } from '../../../src/db/backends/base/query-log.js';

const BOOKS: [string, string, number, number, string[]][] = [
  // title, author, rating, sales, tags
  ['The Hobbit', 'Tolkien', 4.7, 100_000, ['fantasy', 'classic']],
  ['The Silmarillion', 'Tolkien', 3.9, 20_000, ['fantasy']],
  ['Mort', 'Pratchett', 4.4, 50_000, ['fantasy', 'humour']],
  ['Guards! Guards!', 'Pratchett', 4.5, 60_000, ['humour']],
  ['Eric', 'Pratchett', 3.5, 10_000, []],
];
const close = (a: number | null, b: number) =>
  assert.ok(a !== null && Math.abs(a - b) < 1e-9, `${a} ≈ ${b}`);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describeEachBackend('aggregation', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, BOOKSTORE_MODELS);
    await createModelTables(ctx.connection, BOOKSTORE_MODELS);
    const user = await User.objects.create({ username: 'ann' });
    const authors = new Map<string, Author>();
    for (const name of ['Tolkien', 'Pratchett', 'Nobody'])
      authors.set(name, await Author.objects.create({ name }));
    const tags = new Map<string, Tag>();
    for (const name of ['fantasy', 'classic', 'humour'])
      tags.set(name, await Tag.objects.create({ name }));
    let n = 0;
    for (const [title, author, rating, sales, tagNames] of BOOKS) {
      const book = await Book.objects.create({
        title,
        author: authors.get(author)!,
        rating,
        sales,
        isbn: `g${++n}`,
      });
      if (tagNames.length) await book.tags.add(...tagNames.map((t) => tags.get(t)!));
      // Two reviews per book rated above 4, one otherwise.
      await Review.objects.create({ book, user, rating: 5 });
      if (rating > 4) await Review.objects.create({ book, user, rating: 4 });
    }
  });

  test('P07 annotate Count/Avg/Sum across a relation', async () => {
    const { result: authors, queries } = await captureQueries(() =>
      Author.objects
        .annotate({
          bookCount: Count('books'),
          avgRating: Avg('books__rating'),
          sales: Sum('books__sales'),
        })
        .orderBy('name'),
    );
    assert.equal(queries.length, 1);
    assert.match(queries[0]!.sql, /GROUP BY/);
    const got = authors.map((a) => [a.name, a.bookCount, a.avgRating, a.sales]);
    assert.deepEqual(got[0], ['Nobody', 0, null, null]);
    assert.deepEqual(got[1]!.slice(0, 2), ['Pratchett', 3]);
    close(got[1]![2] as number, mean([4.4, 4.5, 3.5]));
    assert.equal(got[1]![3], 120_000);
    assert.deepEqual([got[2]![0], got[2]![1], got[2]![3]], ['Tolkien', 2, 120_000]);
    close(got[2]![2] as number, mean([4.7, 3.9]));
    // Positional aggregates take Django's default names.
    const [tolkien] = await Author.objects.annotate(Count('books')).filter({ name: 'Tolkien' });
    assert.equal(tolkien!.books__count, 2);
  });

  test('P08 aggregate single (default key rating__avg) and several named', async () => {
    const single = await Book.objects.aggregate(Avg('rating'));
    assert.deepEqual(Object.keys(single), ['rating__avg']);
    close(single.rating__avg, mean(BOOKS.map((b) => b[2])));
    const named = await Book.objects.aggregate({
      avg: Avg('rating'),
      best: Max('rating'),
      worst: Min('rating'),
      total: Sum('sales'),
      n: Count('id'),
    });
    close(named.avg, mean(BOOKS.map((b) => b[2])));
    assert.equal(named.best, 4.7);
    assert.equal(named.worst, 3.5);
    assert.equal(named.total, 240_000);
    assert.equal(named.n, 5);
    // No rows: Count is 0, the others null unless a default is given.
    const none = await Book.objects.filter({ rating__gt: 10 }).aggregate({
      n: Count('id'),
      avg: Avg('rating'),
      sum: Sum('sales', { default: 0 }),
    });
    assert.deepEqual(none, { n: 0, avg: null, sum: 0 });
  });

  test('P09 conditional aggregation Count(books, filter: Q(books__rating__gte=4))', async () => {
    const authors = await Author.objects
      .annotate({
        highlyRated: Count('books', { filter: Q({ books__rating__gte: 4 }) }),
        total: Count('books'),
      })
      .orderBy('name');
    assert.deepEqual(
      authors.map((a) => [a.name, a.highlyRated, a.total]),
      [
        ['Nobody', 0, 0],
        ['Pratchett', 2, 3],
        ['Tolkien', 1, 2],
      ],
    );
    const { queries } = await captureQueries(() =>
      Book.objects.aggregate({ good: Count('id', { filter: { rating__gte: 4 } }) }),
    );
    const filterClause = ctx.connection.features.supportsAggregateFilterClause;
    assert.match(queries[0]!.sql, filterClause ? /FILTER \(WHERE/ : /CASE WHEN/);
    const { good } = await Book.objects.aggregate({
      good: Count('id', { filter: { rating__gte: 4 } }),
    });
    assert.equal(good, 3);
  });

  test('every aggregate agrees with JS on the same data', async () => {
    const ratings = BOOKS.map((b) => b[2]);
    const m = mean(ratings);
    const varPop = mean(ratings.map((r) => (r - m) ** 2));
    const varSamp = (varPop * ratings.length) / (ratings.length - 1);
    const r = await Book.objects.aggregate({
      sd: StdDev('rating'),
      sdSample: StdDev('rating', { sample: true }),
      v: Variance('rating'),
      vSample: Variance('rating', { sample: true }),
      distinctAuthors: Count('author', { distinct: true }),
      sumDistinct: Sum('sales', { distinct: true }),
    });
    close(r.sd, Math.sqrt(varPop));
    close(r.sdSample, Math.sqrt(varSamp));
    close(r.v, varPop);
    close(r.vSample, varSamp);
    assert.equal(r.distinctAuthors, 2);
    assert.equal(r.sumDistinct, 240_000);
  });

  test('annotations filter (HAVING), exclude, order and are selected by values()', async () => {
    const { result: prolific, queries } = await captureQueries(() =>
      Author.objects.annotate({ n: Count('books') }).filter({ n__gte: 2, name__startswith: 'P' }),
    );
    assert.match(queries[0]!.sql, /HAVING/);
    assert.deepEqual(
      prolific.map((a) => a.name),
      ['Pratchett'],
    );
    const rest = await Author.objects
      .annotate({ n: Count('books') })
      .exclude({ n__gte: 3 })
      .orderBy('-n', 'name');
    assert.deepEqual(
      rest.map((a) => [a.name, a.n]),
      [
        ['Tolkien', 2],
        ['Nobody', 0],
      ],
    );
    const rows = await Author.objects
      .annotate({ n: Count('books') })
      .orderBy('name')
      .values('name', 'n');
    assert.deepEqual(rows, [
      { name: 'Nobody', n: 0 },
      { name: 'Pratchett', n: 3 },
      { name: 'Tolkien', n: 2 },
    ]);
    const byF = await Author.objects
      .annotate({ n: Count('books') })
      .filter({ n: F('n') })
      .orderBy(F('n').desc());
    assert.deepEqual(
      byF.map((a) => a.name),
      ['Pratchett', 'Tolkien', 'Nobody'],
    );
    assert.equal(
      await Author.objects
        .annotate({ n: Count('books') })
        .filter({ n__gt: 0 })
        .count(),
      2,
    );
  });

  test('values(...).annotate(...) groups by the values', async () => {
    const rows = await Book.objects
      .values('author__name')
      .annotate({ n: Count('id'), top: Max('rating') })
      .orderBy('author__name');
    assert.deepEqual(rows, [
      { author__name: 'Pratchett', n: 3, top: 4.5 },
      { author__name: 'Tolkien', n: 2, top: 4.7 },
    ]);
  });

  test('a filter before annotate restricts what is aggregated; after, it filters the rows', async () => {
    const before = await Author.objects
      .filter({ books__rating__gte: 4.5 })
      .annotate({ n: Count('books') })
      .orderBy('name');
    assert.deepEqual(
      before.map((a) => [a.name, a.n]),
      [
        ['Pratchett', 1],
        ['Tolkien', 1],
      ],
    );
    const after = await Author.objects
      .annotate({ n: Count('books', { distinct: true }) })
      .filter({ books__rating__gte: 4.5 })
      .orderBy('name');
    assert.deepEqual(
      after.map((a) => [a.name, a.n]),
      [
        ['Pratchett', 3],
        ['Tolkien', 2],
      ],
    );
  });

  test('several multi-valued joins multiply, as in Django; distinct counts do not', async () => {
    const [naive] = await Author.objects
      .filter({ name: 'Tolkien' })
      .annotate({ bookCount: Count('books'), reviewCount: Count('books__reviews') });
    // 2 books × their reviews (2 + 1 rows): the book count is inflated to 3.
    assert.deepEqual([naive!.bookCount, naive!.reviewCount], [3, 3]);
    const [fixed] = await Author.objects.filter({ name: 'Tolkien' }).annotate({
      bookCount: Count('books', { distinct: true }),
      reviewCount: Count('books__reviews', { distinct: true }),
    });
    assert.deepEqual([fixed!.bookCount, fixed!.reviewCount], [2, 3]);
  });

  test('aggregate over annotations and over sliced querysets runs on a subquery', async () => {
    const { avgBooks } = await Author.objects
      .annotate({ n: Count('books') })
      .aggregate({ avgBooks: Avg('n') });
    // MySQL's AVG keeps 4 decimals (div_precision_increment), as under Django.
    assert.ok(Math.abs(avgBooks! - 5 / 3) < 1e-4);
    const { sql } = (
      await captureQueries(() => Book.objects.orderBy('-rating').limit(2).aggregate(Avg('rating')))
    ).queries[0]!;
    assert.match(sql, /FROM \(SELECT/);
    const top2 = await Book.objects.orderBy('-rating').limit(2).aggregate(Avg('rating'));
    close(top2.rating__avg, (4.7 + 4.5) / 2);
  });

  test("mistakes are errors with Django's wording", async () => {
    assert.throws(
      () => Author.objects.annotate({ name: Count('books') }),
      (e: unknown) =>
        e instanceof ValueError &&
        e.message === "The annotation 'name' conflicts with a field on the model.",
    );
    assert.throws(
      () => Author.objects.annotate({ n: Count('books') }).annotate({ m: Avg('n') }),
      (e: unknown) =>
        e instanceof FieldError && e.message === "Cannot compute Avg('n'): 'n' is an aggregate",
    );
    assert.throws(() => Book.objects.annotate(Count('*')), /Complex aggregates require an alias/);
    assert.throws(
      () => Author.objects.annotate({ n: Count('bokos') }),
      /Cannot resolve keyword 'bokos' into field/,
    );
    await assert.rejects(
      Book.objects.aggregate({ x: F('rating') as never }),
      /x is not an aggregate expression/,
    );
    await assert.rejects(
      Book.objects.aggregate(Min('rating', { distinct: true })),
      /Min does not allow distinct/,
    );
    assert.throws(
      () => Author.objects.annotate({ books: Count('books') }),
      /The annotation 'books' conflicts with a field on the model/,
    );
  });
});
