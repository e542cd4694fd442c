/**
 * Eager loading across the other kinds of relation: many-to-many with an
 * explicit through model, one-to-ones both ways, self-references, `toAttr`
 * on a single-valued relation, and `iterator()` batches.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import {
  apps,
  CASCADE,
  CharField,
  createModelTables,
  dropModelTables,
  ForeignKey,
  IntegerField,
  type Manager,
  ManyToManyField,
  Model,
  OneToOneField,
  Prefetch,
  type RelatedManager,
  RelationNotLoaded,
  type Unloaded,
} from '../../../src/db/models/index.js';
import { captureQueries } from '../../../src/db/backends/base/query-log.js';

class Person extends Model({ name: CharField({ maxLength: 50 }) }) {
  declare static objects: Manager<Person>;
  declare clubs: RelatedManager<Club>;
  declare passport: Unloaded<Passport>;
}
class Club extends Model({
  name: CharField({ maxLength: 50 }),
  // A label: Membership refers back to Club.
  members: ManyToManyField(() => Person, { through: 'eagertest.Membership', relatedName: 'clubs' }),
}) {
  declare static objects: Manager<Club>;
}
class Membership extends Model({
  person: ForeignKey(() => Person, { onDelete: CASCADE }),
  club: ForeignKey(() => Club, { onDelete: CASCADE }),
  rank: IntegerField({ default: 0 }),
}) {
  declare static objects: Manager<Membership>;
}
class Passport extends Model({
  person: OneToOneField(() => Person, { onDelete: CASCADE, relatedName: 'passport' }),
  number: CharField({ maxLength: 20 }),
}) {
  declare static objects: Manager<Passport>;
}
class Category extends Model({
  name: CharField({ maxLength: 50 }),
  parent: ForeignKey('self', { onDelete: CASCADE, null: true, relatedName: 'children' }),
}) {
  declare static objects: Manager<Category>;
  declare children: RelatedManager<Category>;
}
apps.register('eagertest', { Person, Club, Membership, Passport, Category });
const MODELS = [Person, Club, Membership, Passport, Category];

async function counted<T>(fn: () => T): Promise<{ result: Awaited<T>; sql: string[] }> {
  const { result, queries } = await captureQueries(fn);
  return { result, sql: queries.map((q) => q.sql) };
}

describeEachBackend('eager loading across relation kinds', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, MODELS);
    await createModelTables(ctx.connection, MODELS);
    const [ann, bob, cy] = await Person.objects.bulkCreate(
      ['ann', 'bob', 'cy'].map((name) => new Person({ name })),
    );
    const chess = await Club.objects.create({ name: 'chess' });
    const go = await Club.objects.create({ name: 'go' });
    await Club.objects.create({ name: 'empty' });
    await Membership.objects.bulkCreate([
      new Membership({ person: ann!, club: chess, rank: 1 }),
      new Membership({ person: bob!, club: chess, rank: 2 }),
      new Membership({ person: ann!, club: go, rank: 1 }),
    ]);
    void cy;
    await Passport.objects.create({ person: ann!, number: 'A1' });
    await Passport.objects.create({ person: bob!, number: 'B2' });
    const root = await Category.objects.create({ name: 'root' });
    const a = await Category.objects.create({ name: 'a', parent: root });
    await Category.objects.create({ name: 'b', parent: root });
    await Category.objects.create({ name: 'a1', parent: a });
    await Category.objects.create({ name: 'a2', parent: a });
  });
  after(() => dropModelTables(ctx.connection, MODELS));

  test('many-to-many through an explicit model, from both sides: 2 queries each', async () => {
    const { result: clubs, sql } = await counted(() =>
      Club.objects.orderBy('name').prefetchRelated('members'),
    );
    assert.equal(sql.length, 2);
    assert.match(sql[1]!, /JOIN .eagertest_membership./);
    assert.deepEqual(
      clubs.map((c) => [c.name, c.members.loaded.map((p) => p.name).sort()]),
      [
        ['chess', ['ann', 'bob']],
        ['empty', []],
        ['go', ['ann']],
      ],
    );
    // The through table's key is not left on the instances.
    assert.deepEqual(
      Object.keys(clubs[0]!.members.loaded[0]!).filter((k) => !k.startsWith('_')),
      ['id', 'name'],
    );
    const { result: people, sql: two } = await counted(() =>
      Person.objects.orderBy('name').prefetchRelated('clubs'),
    );
    assert.equal(two.length, 2);
    assert.deepEqual(
      people.map((p) => [p.name, p.clubs.loaded.map((c) => c.name).sort()]),
      [
        ['ann', ['chess', 'go']],
        ['bob', ['chess']],
        ['cy', []],
      ],
    );
    // The same person reached from two clubs is one instance per club row, as in Django.
    assert.equal(await people[0]!.clubs.count(), 2);
  });

  test('one-to-ones both ways, by JOIN and by prefetch; a missing row is null', async () => {
    const { result: people, sql } = await counted(() =>
      Person.objects.orderBy('name').prefetchRelated('passport'),
    );
    assert.equal(sql.length, 2);
    assert.deepEqual(
      people.map((p) => p.passport?.number ?? null),
      ['A1', 'B2', null],
    );
    // The other side points back without a query.
    assert.equal(people[0]!.passport!.person, people[0]);
    const { result: passports, sql: two } = await counted(() =>
      Passport.objects.orderBy('number').prefetchRelated('person'),
    );
    assert.equal(two.length, 2);
    assert.deepEqual(
      passports.map((p) => p.person.name),
      ['ann', 'bob'],
    );
    const { result: joined, sql: one } = await counted(() =>
      Person.objects.orderBy('name').selectRelated('passport'),
    );
    assert.equal(one.length, 1);
    assert.match(one[0]!, /LEFT OUTER JOIN .eagertest_passport./);
    assert.deepEqual(
      joined.map((p) => p.passport?.number ?? null),
      ['A1', 'B2', null],
    );
  });

  test('self-references: nested levels of the same relation, one query each', async () => {
    const { result: roots, sql } = await counted(() =>
      Category.objects.filter({ parent__isnull: true }).prefetchRelated('children__children'),
    );
    assert.equal(sql.length, 3);
    const [root] = roots;
    assert.deepEqual(
      root!.children.loaded.map((c) => [c.name, c.children.loaded.map((g) => g.name).sort()]),
      [
        ['a', ['a1', 'a2']],
        ['b', []],
      ],
    );
    // selectRelated on a self-reference joins the table under another alias.
    const [leaf] = await Category.objects.selectRelated('parent__parent').filter({ name: 'a1' });
    assert.equal(leaf!.parent!.parent!.name, 'root');
  });

  test('toAttr on a single-valued relation stores the object or null', async () => {
    const people = await Person.objects
      .orderBy('name')
      .prefetchRelated(new Prefetch('passport', { toAttr: 'doc' }));
    assert.deepEqual(
      people.map((p) => p.doc?.number ?? null),
      ['A1', 'B2', null],
    );
    assert.throws(() => people[0]!.passport, RelationNotLoaded);
  });

  test('a Prefetch queryset filters and orders the related rows', async () => {
    const { result: clubs, sql } = await counted(() =>
      Club.objects.orderBy('name').prefetchRelated(
        new Prefetch('members', {
          queryset: Person.objects.filter({ name__in: ['ann', 'bob'] }).orderBy('-name'),
          toAttr: 'ordered',
        }),
      ),
    );
    assert.equal(sql.length, 2);
    assert.deepEqual(
      clubs.map((c) => c.ordered.map((p) => p.name)),
      [['bob', 'ann'], [], ['ann']],
    );
    await assert.rejects(
      async () =>
        await Club.objects.prefetchRelated(
          new Prefetch('members', { queryset: Person.objects.filter({ name: 'ann' }) }),
          new Prefetch('members', { queryset: Person.objects.filter({ name: 'bob' }) }),
        ),
      /'members' lookup was already seen with a different queryset/,
    );
  });

  test('a change through a prefetched manager drops the prefetch, as in Django', async () => {
    const [chess] = await Club.objects.filter({ name: 'chess' }).prefetchRelated('members');
    const [category] = await Category.objects.filter({ name: 'b' }).prefetchRelated('children');
    const cy = await Person.objects.get({ name: 'cy' });
    assert.equal(chess!.members.loaded.length, 2);
    await chess!.members.add(cy);
    assert.throws(() => chess!.members.loaded, RelationNotLoaded);
    const { result: n, sql } = await counted(() => chess!.members.count());
    assert.equal(n, 3);
    assert.equal(sql.length, 1);
    await chess!.members.remove(cy);
    // The reverse side of a foreign key too.
    assert.deepEqual(category!.children.loaded, []);
    const child = await category!.children.create({ name: 'b1' });
    assert.throws(() => category!.children.loaded, RelationNotLoaded);
    assert.equal(await category!.children.count(), 1);
    await child.delete();
  });

  test('iterator() prefetches each batch', async () => {
    const { result: names, sql } = await counted(async () => {
      const out: string[] = [];
      for await (const p of Person.objects.orderBy('name').prefetchRelated('clubs').iterator({
        chunkSize: 2,
      }))
        out.push(`${p.name}:${p.clubs.loaded.length}`);
      return out;
    });
    assert.deepEqual(names, ['ann:2', 'bob:1', 'cy:0']);
    // Two batches, each followed by its prefetch (a server-side cursor adds its own statements).
    assert.equal(sql.filter((s) => /eagertest_club/.test(s) && / IN \(/.test(s)).length, 2);
  });
});
