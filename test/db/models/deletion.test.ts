import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import {
  apps,
  CASCADE,
  CharField,
  createModelTables,
  DO_NOTHING,
  dropModelTables,
  ForeignKey,
  type Manager,
  Model,
  PROTECT,
  ProtectedError,
  RESTRICT,
  RestrictedError,
  SET,
  SET_DEFAULT,
  SET_NULL,
} from '../../../src/db/models/index.js';
import { captureQueries } from '../../../src/db/backends/base/query-log.js';

class Owner extends Model({ name: CharField({ maxLength: 20 }) }) {
  declare static objects: Manager<Owner>;
}
class Pet extends Model({
  name: CharField({ maxLength: 20 }),
  owner: ForeignKey(() => Owner, { onDelete: CASCADE, relatedName: 'pets' }),
  vet: ForeignKey(() => Owner, { onDelete: SET_NULL, null: true, relatedName: 'patients' }),
  sitter: ForeignKey(() => Owner, {
    onDelete: SET_DEFAULT,
    null: true,
    default: null,
    relatedName: 'sitting',
  }),
  walker: ForeignKey(() => Owner, {
    onDelete: SET(() => null),
    null: true,
    relatedName: 'walking',
  }),
}) {
  declare static objects: Manager<Pet>;
}
class Licence extends Model({
  pet: ForeignKey(() => Pet, { onDelete: PROTECT, relatedName: 'licences' }),
}) {
  declare static objects: Manager<Licence>;
}
class Toy extends Model({
  pet: ForeignKey(() => Pet, { onDelete: RESTRICT, relatedName: 'toys' }),
  // RESTRICT allows the delete when the row goes anyway through another cascade.
  owner: ForeignKey(() => Owner, { onDelete: CASCADE, relatedName: 'toys' }),
}) {
  declare static objects: Manager<Toy>;
}
class Note extends Model({
  pet: ForeignKey(() => Pet, { onDelete: DO_NOTHING, dbConstraint: false, relatedName: 'notes' }),
}) {
  declare static objects: Manager<Note>;
}
apps.register('deltest', { Owner, Pet, Licence, Toy, Note });
const MODELS = [Owner, Pet, Licence, Toy, Note];

describeEachBackend('deletion (onDelete)', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, MODELS);
    await createModelTables(ctx.connection, MODELS);
  });
  after(async () => {
    await dropModelTables(ctx.connection, MODELS);
  });

  test('CASCADE, SET_NULL, SET_DEFAULT and SET, with one query per model and batch', async () => {
    const [alice, bob] = [
      await Owner.objects.create({ name: 'alice' }),
      await Owner.objects.create({ name: 'bob' }),
    ];
    for (let i = 0; i < 30; i++) {
      await Pet.objects.create({ name: `a${i}`, owner: alice, vet: bob, sitter: bob, walker: bob });
    }
    await Pet.objects.create({ name: 'b0', owner: bob, vet: alice });
    const { result, queries } = await captureQueries(() => bob.delete());
    const [total, counts] = result;
    assert.deepEqual(counts, { 'deltest.Pet': 1, 'deltest.Owner': 1 });
    assert.equal(total, 2);
    // Independent of the 30 pets: selects per relation, 3 updates, 2 deletes, plus transaction statements.
    assert.ok(queries.length < 20, `${queries.length} queries`);
    const pets = await Pet.objects.filter({ owner: alice.pk }).orderBy('name');
    assert.equal(pets.length, 30);
    assert.ok(pets.every((p) => p.vetId === null && p.sitterId === null && p.walkerId === null));
  });

  test('PROTECT refuses with ProtectedError naming the field, and nothing is deleted', async () => {
    const owner = await Owner.objects.create({ name: 'carol' });
    const pet = await Pet.objects.create({ name: 'rex', owner });
    await Licence.objects.create({ pet });
    await assert.rejects(owner.delete(), (e: unknown) => {
      assert.ok(e instanceof ProtectedError);
      assert.equal(
        (e as Error).message,
        "Cannot delete some instances of model 'Pet' because they are referenced through protected foreign keys: 'Licence.pet'.",
      );
      assert.equal((e as ProtectedError).protectedObjects.length, 1);
      return true;
    });
    assert.equal(await Pet.objects.filter({ name: 'rex' }).count(), 1);
    assert.equal(await Owner.objects.filter({ name: 'carol' }).count(), 1);
  });

  test('RESTRICT refuses a direct delete but allows one reached through another cascade', async () => {
    const owner = await Owner.objects.create({ name: 'dave' });
    const pet = await Pet.objects.create({ name: 'fido', owner });
    await Toy.objects.create({ pet, owner });
    await assert.rejects(Pet.objects.filter({ pk: pet.pk }).delete(), (e: unknown) => {
      assert.ok(e instanceof RestrictedError);
      assert.match(
        (e as Error).message,
        /referenced through restricted foreign keys: 'Toy\.pet'\./,
      );
      return true;
    });
    // Deleting the owner deletes the toy through Toy.owner (CASCADE), so the restriction is lifted.
    const [, counts] = await owner.delete();
    assert.deepEqual(counts, { 'deltest.Toy': 1, 'deltest.Pet': 1, 'deltest.Owner': 1 });
  });

  test('DO_NOTHING leaves referring rows alone', async () => {
    const owner = await Owner.objects.create({ name: 'erin' });
    const pet = await Pet.objects.create({ name: 'tom', owner });
    await Note.objects.create({ pet });
    await owner.delete();
    assert.equal(await Note.objects.count(), 1);
  });
});
