/**
 * The function protocol every expression builds on: a `Func` subclass names
 * a SQL function, resolves its arguments (strings are field names) and
 * compiles per backend, usable wherever an expression is.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import { Author, BOOKSTORE_MODELS } from '../../support/bookstore.js';
import { createModelTables, dropModelTables, F, Func } from '../../../src/db/models/index.js';
import { FieldError } from '../../../src/core/exceptions.js';
import { IntegerField } from '../../../src/db/models/index.js';

class Upper extends Func<string> {
  override readonly functionName = 'UPPER';
}
class Abs extends Func<number> {
  override readonly functionName = 'ABS';
}
class Mixed extends Func<unknown> {
  override readonly functionName = 'COALESCE';
}

describeEachBackend('Func', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, BOOKSTORE_MODELS);
    await createModelTables(ctx.connection, BOOKSTORE_MODELS);
    await Author.objects.bulkCreate([
      new Author({ name: 'b' }),
      new Author({ name: 'A' }),
      new Author({ name: 'c' }),
    ]);
  });

  test('a function orders and filters, its argument a field name or an F()', async () => {
    const ordered = await Author.objects.orderBy(new Upper(['name']).desc());
    assert.deepEqual(
      ordered.map((a) => a.name),
      ['c', 'b', 'A'],
    );
    // id = |id - 2| holds for id 1 only.
    const matched = await Author.objects.filter({ id: new Abs([F('id').sub(2)]) });
    assert.deepEqual(
      matched.map((a) => a.id),
      [1],
    );
  });

  test('mixed argument types need an outputField', () => {
    assert.throws(
      () => Author.objects.orderBy(new Mixed(['name', 'id'])),
      (e: unknown) =>
        e instanceof FieldError && /mixed types: CharField, AutoField.*outputField/.test(e.message),
    );
    Author.objects.orderBy(new Mixed(['name', 'id'], { outputField: IntegerField() }));
  });
});
