/**
 * The project state: models as comparable data, fields deconstructed into a
 * type and plain options (relations by label), automatic m2m tables left to
 * their field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../support/bookstore.js';
import {
  apps,
  CASCADE,
  CharField,
  DecimalField,
  ForeignKey,
} from '../../../src/db/models/index.js';
import { deconstructField, ProjectState } from '../../../src/db/migrations/index.js';

test('fields deconstruct into a type and the declared options', () => {
  assert.deepEqual(deconstructField(CharField({ maxLength: 100, blank: true })), {
    type: 'CharField',
    options: { maxLength: 100, blank: true },
  });
  assert.deepEqual(deconstructField(DecimalField({ maxDigits: 6, decimalPlaces: 2 })), {
    type: 'DecimalField',
    options: { maxDigits: 6, decimalPlaces: 2 },
  });
  const fk = ForeignKey('library.Author', { onDelete: CASCADE, relatedName: 'x' });
  assert.deepEqual(deconstructField(fk, 'shop'), {
    type: 'ForeignKey',
    options: { onDelete: 'CASCADE', relatedName: 'x', to: 'library.Author' },
  });
  // The same declaration twice gives the same data (what keeps regenerated migrations stable).
  assert.deepEqual(
    JSON.stringify(deconstructField(CharField({ maxLength: 5, default: 'a' }))),
    JSON.stringify(deconstructField(CharField({ maxLength: 5, default: 'a' }))),
  );
});

test('the state of the registered models', () => {
  const state = ProjectState.fromApps(apps, ['library', 'accounts']);
  assert.deepEqual([...state.models.values()].map((m) => m.label).sort(), [
    'accounts.User',
    'library.Author',
    'library.Book',
    'library.Review',
    'library.Tag',
  ]);
  const book = state.model('library.book')!;
  assert.deepEqual(
    [...book.fields.keys()],
    [
      'id',
      'title',
      'author',
      'tags',
      'isbn',
      'publishedDate',
      'rating',
      'sales',
      'status',
      'owner',
      'createdAt',
    ],
  );
  assert.deepEqual(book.deconstructField('author'), {
    type: 'ForeignKey',
    options: { onDelete: 'CASCADE', relatedName: 'books', to: 'library.Author' },
  });
  assert.deepEqual(book.deconstructField('tags'), {
    type: 'ManyToManyField',
    options: { relatedName: 'books', blank: true, to: 'library.Tag' },
  });
  assert.equal(book.dbTable, 'library_book');
  assert.deepEqual(book.optionsState.ordering, [
    { orderBy: { F: 'publishedDate' }, descending: true, nullsLast: true },
    'id',
  ]);
  const copy = state.clone();
  copy.removeModel('library.Tag');
  assert.ok(state.model('library.Tag') && !copy.model('library.Tag'));
});
