import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import { Author, Book, BOOKSTORE_MODELS, Review, Tag, User } from '../../support/bookstore.js';
import { createModelTables, dropModelTables } from '../../../src/db/models/index.js';
import { receiver } from '../../../src/signals/index.js';
import {
  m2mChanged,
  postDelete,
  postSave,
  preDelete,
  preSave,
} from '../../../src/db/models/signals.js';

describeEachBackend('model signals', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, BOOKSTORE_MODELS);
    await createModelTables(ctx.connection, BOOKSTORE_MODELS);
  });
  after(async () => {
    await dropModelTables(ctx.connection, BOOKSTORE_MODELS);
  });

  test('preSave and postSave carry the instance, created, using and updateFields', async () => {
    const events: string[] = [];
    const pre = ({
      instance,
      updateFields,
      using,
    }: {
      instance: Author;
      updateFields: ReadonlySet<string> | null;
      using: string;
    }) => {
      events.push(
        `pre ${instance.name} pk=${String(instance.pk)} using=${using} fields=${updateFields ? [...updateFields].join(',') : '-'}`,
      );
    };
    const post = async ({ instance, created }: { instance: Author; created: boolean }) => {
      await new Promise((r) => setTimeout(r, 2)); // async receivers are awaited
      events.push(`post ${instance.name} created=${created}`);
    };
    preSave.connect(pre, { sender: Author });
    postSave.connect(post, { sender: Author });
    postSave.connect(() => events.push('tag saved'), { sender: Tag });
    try {
      const a = await Author.objects.create({ name: 'Le Guin' });
      a.name = 'Ursula K. Le Guin';
      await a.save({ updateFields: ['name'] });
      await Author.objects.filter({ pk: a.pk }).update({ name: 'no signal' });
      await Author.objects.bulkCreate([new Author({ name: 'bulk' })]);
      assert.deepEqual(events, [
        `pre Le Guin pk=null using=default fields=-`,
        'post Le Guin created=true',
        `pre Ursula K. Le Guin pk=${String(a.pk)} using=default fields=name`,
        'post Ursula K. Le Guin created=false',
      ]);
    } finally {
      preSave.disconnect(pre, { sender: Author });
      postSave.disconnect(post, { sender: Author });
    }
  });

  test('preDelete and postDelete are sent for cascaded rows too, children first', async () => {
    const author = await Author.objects.create({ name: 'Cascade' });
    const book = await Book.objects.create({ title: 'Doomed', author, isbn: 'sig-1' });
    const user = await User.objects.create({ username: 'sig-user' });
    await Review.objects.create({ book, user, rating: 3 });
    const events: string[] = [];
    const receivers = [
      [preDelete, Review, 'pre review'],
      [preDelete, Book, 'pre book'],
      [preDelete, Author, 'pre author'],
      [postDelete, Review, 'post review'],
      [postDelete, Book, 'post book'],
      [postDelete, Author, 'post author'],
    ] as const;
    const fns = receivers.map(([signal, sender, label]) => {
      const fn = ({ instance, origin }: { instance: { pk: unknown }; origin: unknown }) => {
        events.push(`${label} ${String(instance.pk !== null)} origin=${origin === author}`);
      };
      signal.connect(fn, { sender });
      return [signal, sender, fn] as const;
    });
    try {
      await author.delete();
      assert.deepEqual(events, [
        'pre review true origin=true',
        'pre book true origin=true',
        'pre author true origin=true',
        'post review true origin=true',
        'post book true origin=true',
        'post author true origin=true',
      ]);
    } finally {
      for (const [signal, sender, fn] of fns) signal.disconnect(fn, { sender });
    }
  });

  test('m2mChanged reports adds, removes and clears with the ids involved', async () => {
    const author = await Author.objects.create({ name: 'M2M' });
    const book = await Book.objects.create({ title: 'Tagged', author, isbn: 'sig-2' });
    const [a, b] = [
      await Tag.objects.create({ name: 'sig-a' }),
      await Tag.objects.create({ name: 'sig-b' }),
    ];
    const through = Book._meta.manyToMany[0]!.throughModel!;
    const events: string[] = [];
    const fn = ({
      action,
      pkSet,
      reverse,
      model,
    }: {
      action: string;
      pkSet: ReadonlySet<unknown> | null;
      reverse: boolean;
      model: unknown;
    }) => {
      // From the reverse side the ids are books'; from the forward side, tags'.
      const name = (id: unknown) =>
        reverse ? (id === book.pk ? 'book' : '?') : id === a.pk ? 'a' : id === b.pk ? 'b' : '?';
      const ids = pkSet ? [...pkSet].map(name).sort().join('') : 'null';
      events.push(
        `${action}:${ids}:${reverse ? 'rev' : 'fwd'}:${(model as { name: string }).name}`,
      );
    };
    m2mChanged.connect(fn, { sender: through });
    try {
      await book.tags.add(a, b);
      await book.tags.add(a);
      await book.tags.remove(b);
      await a.books.remove(book);
      await book.tags.add(b);
      await book.tags.clear();
      assert.deepEqual(events, [
        'pre_add:ab:fwd:Tag',
        'post_add:ab:fwd:Tag',
        'pre_add::fwd:Tag',
        'post_add::fwd:Tag',
        'pre_remove:b:fwd:Tag',
        'post_remove:b:fwd:Tag',
        'pre_remove:book:rev:Book',
        'post_remove:book:rev:Book',
        'pre_add:b:fwd:Tag',
        'post_add:b:fwd:Tag',
        'pre_clear:null:fwd:Tag',
        'post_clear:null:fwd:Tag',
      ]);
    } finally {
      m2mChanged.disconnect(fn, { sender: through });
    }
  });
});

describeEachBackend('P20 cache invalidation receivers', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, BOOKSTORE_MODELS);
    await createModelTables(ctx.connection, BOOKSTORE_MODELS);
  });
  after(async () => {
    await dropModelTables(ctx.connection, BOOKSTORE_MODELS);
  });

  test('P20 invalidation by post_save / post_delete receivers with a sender', async () => {
    const deleted: string[] = [];
    const invalidate = ({ instance }: { instance: Book }) => {
      deleted.push(
        `book:${String(instance.id)}`,
        'books:list',
        `author:${instance.authorId}:books`,
      );
    };
    receiver([postSave, postDelete], { sender: Book })(invalidate);
    try {
      const author = await Author.objects.create({ name: 'P20' });
      const book = await Book.objects.create({ title: 'Cached', author, isbn: 'p20' });
      const id = book.id;
      await Tag.objects.create({ name: 'not a book' }); // other senders do not trigger it
      await book.delete();
      assert.deepEqual(deleted, [
        `book:${id}`,
        'books:list',
        `author:${author.id}:books`,
        `book:${id}`,
        'books:list',
        `author:${author.id}:books`,
      ]);
    } finally {
      postSave.disconnect(invalidate as never, { sender: Book });
      postDelete.disconnect(invalidate as never, { sender: Book });
    }
  });
});
