/**
 * The TestCase roles (P25): per-test rollback inside a suite transaction,
 * setUpTestData copied per test, concurrent work inside a test, onCommit
 * capture; and TransactionTestCase's real commits and flush.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../support/backends.js';
import { Author, Book, BOOKSTORE_MODELS, Tag } from '../support/bookstore.js';
import { createModelTables, dropModelTables } from '../../src/db/models/index.js';
import { atomic, onCommit } from '../../src/db/transaction.js';
import {
  captureOnCommitCallbacks,
  freezeTime,
  useTestCase,
  useTransactionTestCase,
} from '../../src/test/index.js';

describeEachBackend('TestCase (P25)', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, BOOKSTORE_MODELS);
    await createModelTables(ctx.connection, BOOKSTORE_MODELS);
  });

  describe('a suite with setUpTestData', () => {
    const t = useTestCase({
      async setUpTestData() {
        const author = await Author.objects.create({ name: 'Le Guin' });
        const book = await Book.objects.create({ title: 'Tehanu', author, isbn: 't1' });
        return { author, books: [book] };
      },
    });

    test('P25 setUpTestData is visible; a test changes the data and the database', async () => {
      assert.equal(t.data.author.name, 'Le Guin');
      t.data.author.name = 'Changed';
      await t.data.author.save();
      await Book.objects.create({ title: 'Other', author: t.data.author, isbn: 't2' });
      assert.equal(await Book.objects.count(), 2);
    });

    test('P25 the next test sees both as setUpTestData left them', async () => {
      assert.equal(t.data.author.name, 'Le Guin');
      assert.ok(t.data.books[0] instanceof Book);
      assert.equal((await Author.objects.get({ pk: t.data.author.pk })).name, 'Le Guin');
      assert.equal(await Book.objects.count(), 1);
    });

    test('tests writing the same unique value in sequence both pass (1)', async () => {
      await Tag.objects.create({ name: 'unique' });
    });

    test('tests writing the same unique value in sequence both pass (2)', async () => {
      await Tag.objects.create({ name: 'unique' });
      assert.equal(await Tag.objects.count(), 1);
    });

    test('concurrent work inside a test uses the test transaction', async () => {
      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          i % 2
            ? Tag.objects.create({ name: `c${i}` })
            : atomic(() => Tag.objects.create({ name: `c${i}` })),
        ),
      );
      assert.equal(await Tag.objects.count(), 5);
    });

    test('onCommit callbacks are captured, and run on demand', async () => {
      const ran: string[] = [];
      const callbacks = await captureOnCommitCallbacks(
        async () => {
          await atomic(async () => {
            await Tag.objects.create({ name: 'mail' });
            await onCommit(() => void ran.push('mail'));
          });
        },
        { execute: true },
      );
      assert.equal(callbacks.length, 1);
      assert.deepEqual(ran, ['mail']);
      const notRun = await captureOnCommitCallbacks(() => onCommit(() => void ran.push('x')));
      assert.equal(notRun.length, 1);
      assert.deepEqual(ran, ['mail']);
    });
  });

  describe('after the suite', () => {
    test('everything the suite wrote is rolled back', async () => {
      assert.equal(await Author.objects.count(), 0);
      assert.equal(await Book.objects.count(), 0);
      assert.equal(await Tag.objects.count(), 0);
    });
  });

  describe('TransactionTestCase', () => {
    useTransactionTestCase();

    test('P25 commits for real: onCommit callbacks run', async () => {
      const ran: string[] = [];
      await atomic(async () => {
        await Tag.objects.create({ name: 'committed' });
        await onCommit(() => void ran.push('done'));
      });
      assert.deepEqual(ran, ['done']);
      assert.equal(await Tag.objects.count(), 1);
    });

    test('P25 the tables were flushed after the previous test', async () => {
      assert.equal(await Tag.objects.count(), 0);
      const tag = await Tag.objects.create({ name: 'again' });
      assert.ok(tag.pk);
    });
  });
});

describeEachBackend('freezeTime', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, BOOKSTORE_MODELS);
    await createModelTables(ctx.connection, BOOKSTORE_MODELS);
  });
  useTestCase();

  test('autoNowAdd fields read the frozen clock; it runs again afterwards', async () => {
    const author = await freezeTime('2024-01-01T12:00:00Z', () =>
      Author.objects.create({ name: 'Frozen' }),
    );
    assert.equal(author.createdAt.toISOString(), '2024-01-01T12:00:00.000Z');
    const saved = await Author.objects.get({ pk: author.pk });
    assert.equal(saved.createdAt.toISOString(), '2024-01-01T12:00:00.000Z');
    const later = await Author.objects.create({ name: 'Now' });
    assert.ok(later.createdAt.getTime() > Date.now() - 60_000);
    await assert.rejects(
      freezeTime('not a date', () => 1),
      /invalid date/,
    );
  });
});
