import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import {
  apps,
  CharField,
  createModelTables,
  DateTimeField,
  dropModelTables,
  IntegerField,
  type Manager,
  Model,
} from '../../../src/db/models/index.js';
import { ImproperlyConfigured } from '../../../src/core/exceptions.js';

class Timestamped extends Model(
  { created: DateTimeField({ autoNowAdd: true }), version: IntegerField({ default: 1 }) },
  { abstract: true, ordering: ['-version'] },
) {
  bump(): number {
    this.version += 1;
    return this.version;
  }
}

class Note extends Timestamped.extend({ text: CharField({ maxLength: 50 }) }) {
  declare static objects: Manager<Note>;
}
class Task extends Timestamped.extend(
  { title: CharField({ maxLength: 50 }) },
  { ordering: ['title'] },
) {
  declare static objects: Manager<Task>;
}
apps.register('abstracttest', { Note, Task });

describeEachBackend('abstract base models', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, [Note, Task]);
    await createModelTables(ctx.connection, [Note, Task]);
  });
  after(async () => {
    await dropModelTables(ctx.connection, [Note, Task]);
  });

  test('children get the fields, methods and options; each has its own table and field objects', async () => {
    assert.deepEqual(
      Note._meta.fields.map((f) => f.name),
      ['id', 'created', 'version', 'text'],
    );
    assert.equal(Note._meta.dbTable, 'abstracttest_note');
    assert.deepEqual(Note._meta.ordering, ['-version']);
    assert.deepEqual(Task._meta.ordering, ['title']);
    assert.notEqual(Note._meta.getField('created'), Task._meta.getField('created'));
    const note = await Note.objects.create({ text: 'hello' });
    assert.ok(note.created instanceof Date);
    assert.equal(note.bump(), 2);
    await note.save();
    await Note.objects.create({ text: 'older' });
    assert.deepEqual(
      (await Note.objects.all()).map((n) => n.text),
      ['hello', 'older'],
    );
    await Task.objects.create({ title: 'b' });
    await Task.objects.create({ title: 'a', version: 5 });
    assert.deepEqual(
      (await Task.objects.all()).map((t) => t.title),
      ['a', 'b'],
    );
  });

  test('an abstract model cannot be queried, registered or extended when concrete', () => {
    assert.throws(() => (Timestamped as unknown as { _meta: unknown })._meta, ImproperlyConfigured);
    assert.throws(
      () => (Note as unknown as { extend(f: object): unknown }).extend({}),
      /not abstract/,
    );
  });
});
