/**
 * QuerySet semantics that Django users rely on: multi-valued relations in one
 * filter() versus chained filter() calls, exclude() across them, slicing,
 * values, ordering, get_or_create races, bulk operations.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import { Author, Book, BOOKSTORE_MODELS, Tag } from '../../support/bookstore.js';
import {
  createModelTables,
  DeferredFieldNotLoaded,
  dropModelTables,
  F,
  Field,
  Q,
  registerLookup,
  Transform,
  unregisterLookup,
} from '../../../src/db/models/index.js';
import { captureQueries } from '../../../src/db/backends/base/query-log.js';
import { atomic, setRollback } from '../../../src/db/transaction.js';

describeEachBackend('QuerySet semantics', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, BOOKSTORE_MODELS);
    await createModelTables(ctx.connection, BOOKSTORE_MODELS);
    // Lennon wrote a 2008 book about "Lennon" only; Jagger wrote a 2008 book and a "Lennon" book in 2005.
    const lennon = await Author.objects.create({ name: 'Lennon' });
    const jagger = await Author.objects.create({ name: 'Jagger' });
    await Book.objects.create({
      title: 'Lennon',
      author: lennon,
      isbn: 'q1',
      publishedDate: '2008-01-01',
      rating: 4,
    });
    await Book.objects.create({
      title: 'Other',
      author: jagger,
      isbn: 'q2',
      publishedDate: '2008-05-01',
      rating: 2,
    });
    await Book.objects.create({
      title: 'Lennon',
      author: jagger,
      isbn: 'q3',
      publishedDate: '2005-01-01',
      rating: 5,
    });
    await Author.objects.create({ name: 'Nobody' });
  });
  after(async () => {
    await dropModelTables(ctx.connection, BOOKSTORE_MODELS);
  });

  const names = async (qs: PromiseLike<Author[]>) => (await qs).map((a) => a.name).sort();

  test('one filter() with two conditions on a multi-valued relation: the same related row', async () => {
    assert.deepEqual(
      await names(
        Author.objects.filter({ books__title: 'Lennon', books__publishedDate__year: 2008 }),
      ),
      ['Lennon'],
    );
  });

  test('chained filter() calls: each may match a different related row', async () => {
    assert.deepEqual(
      await names(
        Author.objects
          .filter({ books__title: 'Lennon' })
          .filter({ books__publishedDate__year: 2008 })
          .distinct(),
      ),
      ['Jagger', 'Lennon'],
    );
  });

  test('exclude() across a multi-valued relation keeps rows with no matching related row', async () => {
    assert.deepEqual(await names(Author.objects.exclude({ books__title: 'Other' })), [
      'Lennon',
      'Nobody',
    ]);
    assert.deepEqual(await names(Author.objects.exclude({ books__rating__gte: 4 })), ['Nobody']);
  });

  test('isnull across a reverse relation uses an outer join', async () => {
    assert.deepEqual(await names(Author.objects.filter({ books__isnull: true })), ['Nobody']);
  });

  test('slicing, first, last, exists, count and reverse follow the ordering', async () => {
    const ordered = Book.objects.orderBy('-rating');
    assert.deepEqual(
      (await ordered.slice(1, 3)).map((b) => b.rating),
      [4, 2],
    );
    assert.equal((await ordered.first())!.rating, 5);
    assert.equal((await ordered.last())!.rating, 2);
    assert.deepEqual(
      (await ordered.reverse().limit(1)).map((b) => b.rating),
      [2],
    );
    assert.equal(await Book.objects.filter({ rating__gt: 10 }).exists(), false);
    assert.equal(await Book.objects.slice(1).count(), 2);
    // The default ordering: newest first, then id.
    assert.deepEqual(
      (await Book.objects.all()).map((b) => b.isbn),
      ['q2', 'q1', 'q3'],
    );
  });

  test('values and valuesList follow relations', async () => {
    const rows = await Book.objects.orderBy('isbn').values('isbn', 'author__name');
    assert.deepEqual(rows, [
      { isbn: 'q1', author__name: 'Lennon' },
      { isbn: 'q2', author__name: 'Jagger' },
      { isbn: 'q3', author__name: 'Jagger' },
    ]);
    assert.deepEqual(await Book.objects.orderBy('isbn').valuesList('isbn', { flat: true }), [
      'q1',
      'q2',
      'q3',
    ]);
    assert.deepEqual(await Book.objects.orderBy('isbn').valuesList('isbn', 'rating'), [
      ['q1', 4],
      ['q2', 2],
      ['q3', 5],
    ]);
  });

  test('F expressions compare and order by columns; Q combines with OR and NOT', async () => {
    await Book.objects.update({ sales: F('rating').mul(100) });
    assert.equal(await Book.objects.filter({ sales__gte: F('rating').mul(100) }).count(), 3);
    assert.deepEqual(
      (
        await Book.objects.filter(
          Q({ rating__gte: 5 })
            .or(Q({ rating__lte: 2 }))
            .and(Q({ title: 'Lennon' }).not()),
        )
      ).map((b) => b.isbn),
      ['q2'],
    );
    assert.deepEqual(
      (await Book.objects.orderBy(F('sales').desc())).map((b) => b.isbn),
      ['q3', 'q1', 'q2'],
    );
  });

  test('LIKE wildcards and quotes in user input match literally', async () => {
    const author = await Author.objects.get({ name: 'Nobody' });
    await Book.objects.create({ title: '100%_sure', author, isbn: 'w1' });
    await Book.objects.create({ title: '1000 sure', author, isbn: 'w2' });
    await Book.objects.create({ title: "O'Brien\\", author, isbn: 'w3' });
    assert.deepEqual(
      (await Book.objects.filter({ title__contains: '%_' })).map((b) => b.isbn),
      ['w1'],
    );
    assert.deepEqual(
      (await Book.objects.filter({ title__icontains: '0%' })).map((b) => b.isbn),
      ['w1'],
    );
    assert.deepEqual(
      (await Book.objects.filter({ title__endswith: "'brien\\" })).map((b) => b.isbn),
      [],
    );
    assert.deepEqual(
      (await Book.objects.filter({ title__iendswith: "'brien\\" })).map((b) => b.isbn),
      ['w3'],
    );
    assert.deepEqual(
      (await Book.objects.filter({ title__startswith: 'o' })).map((b) => b.isbn),
      [],
    );
    assert.deepEqual(
      (await Book.objects.filter({ title__istartswith: 'o' })).map((b) => b.isbn).sort(),
      ['q2', 'w3'],
    );
    await Book.objects.filter({ isbn__startswith: 'w' }).delete();
  });

  test('getOrCreate returns an existing row or creates one; concurrent calls create once', async () => {
    const [tag, created] = await Tag.objects.getOrCreate({ name: 'race' });
    assert.equal(created, true);
    const [same, again] = await Tag.objects.getOrCreate({ name: 'race' });
    assert.equal(again, false);
    assert.equal(same.pk, tag.pk);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => Tag.objects.getOrCreate({ name: 'contended' })),
    );
    assert.equal(results.filter(([, c]) => c).length, 1);
    assert.equal(new Set(results.map(([t]) => t.pk)).size, 1);
    assert.equal(await Tag.objects.filter({ name: 'contended' }).count(), 1);
  });

  test('updateOrCreate updates the defaults or creates', async () => {
    const [tag, created] = await Tag.objects.updateOrCreate({ name: 'uoc' }, {});
    assert.equal(created, true);
    const author = await Author.objects.get({ name: 'Lennon' });
    const [book, c2] = await Book.objects.updateOrCreate(
      { isbn: 'q1' },
      { title: 'Lennon Remastered', author },
    );
    assert.equal(c2, false);
    assert.equal((await Book.objects.get({ isbn: 'q1' })).title, 'Lennon Remastered');
    assert.equal(book.title, 'Lennon Remastered');
    assert.ok(tag.pk);
  });

  test('bulkCreate sets primary keys; bulkUpdate writes many rows in few statements', async () => {
    const tags = await Tag.objects.bulkCreate(
      Array.from({ length: 50 }, (_, i) => new Tag({ name: `bulk-${i}` })),
    );
    assert.ok(tags.every((t) => typeof t.pk === 'number'));
    assert.equal(new Set(tags.map((t) => t.pk)).size, 50);
    for (const t of tags) t.name = t.name.toUpperCase();
    const n = await Tag.objects.bulkUpdate(tags, ['name'], { batchSize: 20 });
    assert.equal(n, 50);
    assert.equal(await Tag.objects.filter({ name__startswith: 'BULK-' }).count(), 50);
    const ignored = await Tag.objects.bulkCreate([new Tag({ name: 'BULK-1' })], {
      ignoreConflicts: true,
    });
    assert.equal(ignored.length, 1);
    assert.equal(await Tag.objects.filter({ name: 'BULK-1' }).count(), 1);
  });

  test('bulkCreate with updateConflicts updates the rows that already exist', async () => {
    await Tag.objects.bulkCreate([new Tag({ name: 'upsert-a' }), new Tag({ name: 'upsert-b' })]);
    const before = await Tag.objects.filter({ name__startswith: 'upsert-' }).count();
    const author = await Author.objects.get({ name: 'Lennon' });
    // Same isbn as an existing book: its title and rating are updated; a new isbn is inserted.
    await Book.objects.bulkCreate(
      [
        new Book({ title: 'Upserted', author, isbn: 'q2', rating: 1 }),
        new Book({ title: 'Brand new', author, isbn: 'up-1', rating: 3 }),
      ],
      { updateConflicts: true, uniqueFields: ['isbn'], updateFields: ['title', 'rating'] },
    );
    const q2 = await Book.objects.get({ isbn: 'q2' });
    assert.equal(q2.title, 'Upserted');
    assert.equal(q2.rating, 1);
    assert.equal((await Book.objects.get({ isbn: 'up-1' })).title, 'Brand new');
    assert.equal(await Tag.objects.filter({ name__startswith: 'upsert-' }).count(), before);
    await Book.objects.filter({ isbn: 'up-1' }).delete();
  });

  test('F() across relations in orderBy and filters; a custom transform', async () => {
    const ordered = await Book.objects.orderBy(F('author__name').asc(), 'isbn');
    assert.deepEqual(
      ordered.map((b) => b.isbn),
      ['q2', 'q3', 'q1'],
    );
    // A column compared with a column reached through a relation.
    assert.equal(
      await Book.objects
        .filter({ author__books__rating__gte: F('rating') })
        .distinct()
        .count(),
      3,
    );
    class Lower extends Transform {
      static override readonly lookupName = 'lower';
      outputField() {
        return this.field;
      }
      asSql(lhs: { sql: string; params: unknown[] }) {
        return { sql: `LOWER(${lhs.sql})`, params: lhs.params };
      }
    }
    registerLookup(Field, Lower);
    try {
      const found = await Book.objects.filter(Q({ title__lower: 'upserted' }));
      assert.deepEqual(
        found.map((b) => b.isbn),
        ['q2'],
      );
      const starts = await Book.objects
        .filter(Q({ title__lower__startswith: 'lennon' }))
        .orderBy('isbn');
      assert.deepEqual(
        starts.map((b) => b.isbn),
        ['q1', 'q3'],
      );
    } finally {
      unregisterLookup(Field, 'lower');
    }
  });

  test('date transforms: week_day, iso_week_day, quarter, month, day; date and hour on datetimes', async () => {
    // 2008-01-01 was a Tuesday: week_day 3 (Sunday = 1), iso_week_day 2.
    const isbns = async (lookups: Record<string, unknown>) =>
      (await Book.objects.filter(lookups).orderBy('isbn')).map((b) => b.isbn);
    assert.deepEqual(await isbns({ publishedDate__week_day: 3, publishedDate__year: 2008 }), [
      'q1',
    ]);
    assert.deepEqual(await isbns({ publishedDate__iso_week_day: 2, publishedDate__year: 2008 }), [
      'q1',
    ]);
    assert.deepEqual(await isbns({ publishedDate__quarter: 2 }), ['q2']);
    assert.deepEqual(await isbns({ publishedDate__month__gte: 5 }), ['q2']);
    assert.deepEqual(await isbns({ publishedDate__day: 1, publishedDate__year__lt: 2006 }), ['q3']);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(
      await Book.objects.filter({ createdAt__date: today }).count(),
      await Book.objects.count(),
    );
    assert.equal(
      await Book.objects.filter({ createdAt__hour__gte: 0, createdAt__hour__lte: 23 }).count(),
      await Book.objects.count(),
    );
  });

  test('updateOrCreate from concurrent tasks creates the row once', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => Tag.objects.updateOrCreate({ name: 'uoc-race' }, {})),
    );
    assert.equal(results.filter(([, created]) => created).length, 1);
    assert.equal(await Tag.objects.filter({ name: 'uoc-race' }).count(), 1);
  });

  test('inBulk maps primary keys (or a unique field) to instances', async () => {
    const byIsbn = await Book.objects.inBulk(['q1', 'q2'], { fieldName: 'isbn' });
    assert.deepEqual([...byIsbn.keys()].sort(), ['q1', 'q2']);
    const byPk = await Book.objects.inBulk();
    assert.equal(byPk.size, 3);
  });

  test('union, intersection and difference, ordered and sliced as a whole', async () => {
    const good = Book.objects.filter({ rating__gte: 4 });
    const recent = Book.objects.filter({ publishedDate__year: 2008 });
    const isbns = async (qs: PromiseLike<Book[]>) => (await qs).map((b) => b.isbn);
    assert.deepEqual(await isbns(good.union(recent).orderBy('isbn')), ['q1', 'q2', 'q3']);
    assert.deepEqual(await isbns(good.union(recent, { all: true }).orderBy('-isbn')), [
      'q3',
      'q2',
      'q1',
      'q1',
    ]);
    assert.deepEqual(await isbns(good.intersection(recent).orderBy('isbn')), ['q1']);
    assert.deepEqual(await isbns(good.difference(recent).orderBy('isbn')), ['q3']);
    assert.deepEqual(await isbns(good.union(recent).orderBy('isbn').slice(1, 2)), ['q2']);
    assert.deepEqual(await isbns(good.union(Book.objects.none()).orderBy('isbn')), ['q1', 'q3']);
    assert.deepEqual(await good.union(recent).orderBy('isbn').valuesList('isbn', { flat: true }), [
      'q1',
      'q2',
      'q3',
    ]);
  });

  test('raw() maps columns to fields; extra columns become properties', async () => {
    const q = (n: string) => ctx.connection.ops.quoteName(n);
    const books = await Book.objects.raw(
      `SELECT ${q('id')}, ${q('title')}, ${q('published_date')}, ${q('rating')} * 2 AS ${q('double_rating')} FROM ${q('library_book')} WHERE ${q('rating')} >= %s ORDER BY ${q('isbn')}`,
      [4],
    );
    assert.deepEqual(
      books.map((b) => [
        b.title,
        b.publishedDate,
        Number((b as unknown as { double_rating: number }).double_rating),
      ]),
      [
        ['Lennon Remastered', '2008-01-01', 8],
        ['Lennon', '2005-01-01', 10],
      ],
    );
    assert.ok(books[0] instanceof Book);
    await assert.rejects(
      async () => Book.objects.raw(`SELECT ${q('title')} FROM ${q('library_book')}`),
      {
        message: 'Raw query must include the primary key',
      },
    );
  });

  test('iterator uses a server-side cursor where there is one, and stopping early releases it', async () => {
    const { queries } = await captureQueries(async () => {
      let n = 0;
      for await (const tag of Tag.objects
        .filter({ name__startswith: 'BULK-' })
        .iterator({ chunkSize: 10 })) {
        assert.ok(tag instanceof Tag);
        if (++n === 15) break;
      }
      assert.equal(n, 15);
    });
    const sql = queries.map((q) => q.sql).join('\n');
    if (ctx.connection.features.supportsServerSideCursors) {
      assert.match(sql, /DECLARE .* CURSOR FOR SELECT/);
      assert.equal(queries.filter((q) => q.sql.startsWith('FETCH')).length, 2);
      assert.match(queries.at(-1)!.sql, /ROLLBACK/);
    } else {
      assert.equal(queries.filter((q) => /LIMIT 10/.test(q.sql)).length, 2);
    }
    // The connection went back to the pool: more queries work.
    assert.equal(await Tag.objects.filter({ name__startswith: 'BULK-' }).count(), 50);
    // Inside a transaction the cursor sees its uncommitted rows.
    await atomic(async () => {
      await Tag.objects.create({ name: 'uncommitted' });
      const seen: string[] = [];
      for await (const t of Tag.objects.filter({ name: 'uncommitted' }).iterator())
        seen.push(t.name);
      assert.deepEqual(seen, ['uncommitted']);
      setRollback(true);
    });
  });

  test('distinct on fields where supported; selectForUpdate locks inside a transaction', async (t) => {
    if (ctx.connection.features.supportsDistinctOn) {
      const firsts = await Book.objects.orderBy('author__name', '-rating').distinct('author__name');
      assert.deepEqual(
        firsts.map((b) => b.isbn),
        ['q3', 'q1'],
      );
    } else {
      await assert.rejects(
        async () => await Book.objects.distinct('author__name'),
        /not supported/,
      );
    }
    if (!ctx.connection.features.hasSelectForUpdate) return t.skip('no row locks');
    const { queries } = await captureQueries(() =>
      atomic(async () => {
        const locked = await Book.objects
          .filter({ isbn: 'q1' })
          .selectForUpdate({ skipLocked: true });
        assert.equal(locked.length, 1);
      }),
    );
    assert.ok(queries.some((q) => /FOR UPDATE SKIP LOCKED$/.test(q.sql)));
  });

  test('only() and defer() load fewer columns', async () => {
    const { result, queries } = await captureQueries(() =>
      Book.objects.only('title').filter({ isbn: 'q1' }),
    );
    assert.equal(result[0]!.title, 'Lennon Remastered');
    assert.ok(!/rating/.test(queries[0]!.sql));
    const [book] = await Book.objects.defer('title').filter({ isbn: 'q1' });
    assert.equal(book!.rating, 4);
    // A deferred field is never loaded behind your back.
    assert.throws(
      () => book!.title,
      (e: unknown) =>
        e instanceof DeferredFieldNotLoaded &&
        /Book\.title was deferred/.test((e as Error).message),
    );
    // Saving writes the loaded fields only; the deferred title is untouched.
    book!.rating = 4.5;
    await book!.save();
    const fresh = await Book.objects.get({ isbn: 'q1' });
    assert.equal(fresh.title, 'Lennon Remastered');
    assert.equal(fresh.rating, 4.5);
    await book!.refreshFromDb({ fields: ['title'] });
    assert.equal(book!.title, 'Lennon Remastered');
    assert.equal(book!._state.deferred, null);
    await Book.objects.filter({ isbn: 'q1' }).update({ rating: 4 });
  });

  test('iterator streams in bounded batches', async () => {
    const seen: string[] = [];
    for await (const tag of Tag.objects
      .filter({ name__startswith: 'BULK-' })
      .orderBy('pk')
      .iterator({ chunkSize: 7 })) {
      seen.push(tag.name);
    }
    assert.equal(seen.length, 50);
  });
});
