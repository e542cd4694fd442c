import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import {
  apps,
  CASCADE,
  CharField,
  createModelTables,
  DateTimeField,
  dropModelTables,
  Field,
  ForeignKey,
  IntegerField,
  Lookup,
  type LookupContext,
  type Manager,
  type ManyRelatedManager,
  ManyToManyField,
  Model,
  Q,
  OneToOneField,
  registerLookup,
  type RelatedManager,
  RelationNotLoaded,
  type Unloaded,
  unregisterLookup,
} from '../../../src/db/models/index.js';

// Fields shared through a spread, the role of Django's abstract base models.
const timestamped = () => ({ created: DateTimeField({ autoNowAdd: true }) });

class Person extends Model({ name: CharField({ maxLength: 50 }), ...timestamped() }) {
  declare static objects: Manager<Person>;
  declare memberships: RelatedManager<Membership>;
  declare groups: ManyRelatedManager<Group>;
  declare profile: Unloaded<Profile>;
}
class Profile extends Model({
  // A string reference resolved through the registry.
  person: OneToOneField('reltest.Person', { onDelete: CASCADE, relatedName: 'profile' }),
  bio: CharField({ maxLength: 100, blank: true }),
}) {
  declare static objects: Manager<Profile>;
}
class Comment extends Model({
  body: CharField({ maxLength: 50 }),
  // The accessor is person.commentsWritten; lookups from Person use 'comment'.
  author: ForeignKey(() => Person, {
    onDelete: CASCADE,
    relatedName: 'commentsWritten',
    relatedQueryName: 'comment',
  }),
}) {
  declare static objects: Manager<Comment>;
}
class Category extends Model({
  name: CharField({ maxLength: 50 }),
  parent: ForeignKey('self', { onDelete: CASCADE, null: true, relatedName: 'children' }),
  ...timestamped(),
}) {
  declare static objects: Manager<Category>;
  declare children: RelatedManager<Category>;
}
class Group extends Model({
  name: CharField({ maxLength: 50 }),
  // A label, not a thunk: Membership refers back to Group, and TypeScript cannot
  // type two class declarations that need each other's types in their base expressions.
  members: ManyToManyField(() => Person, { through: 'reltest.Membership', relatedName: 'groups' }),
}) {
  declare static objects: Manager<Group>;
}
class Membership extends Model({
  person: ForeignKey(() => Person, { onDelete: CASCADE, relatedName: 'memberships' }),
  group: ForeignKey(() => Group, { onDelete: CASCADE }),
  role: CharField({ maxLength: 20 }),
  rank: IntegerField({ default: 0 }),
}) {
  declare static objects: Manager<Membership>;
}
apps.register('reltest', { Person, Profile, Comment, Category, Group, Membership });
const MODELS = [Person, Profile, Comment, Category, Group, Membership];

describeEachBackend('relations', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, MODELS);
    await createModelTables(ctx.connection, MODELS);
  });
  after(async () => {
    await dropModelTables(ctx.connection, MODELS);
  });

  test('a model is found in the registry by label; spread fields belong to each model', () => {
    assert.equal(apps.getModel('reltest', 'person'), Person);
    assert.equal(apps.getModel('reltest.Category'), Category);
    assert.throws(() => apps.getModel('reltest', 'Nope'), {
      message: "App 'reltest' doesn't have a 'Nope' model.",
    });
    assert.notEqual(Person._meta.getField('created'), Category._meta.getField('created'));
    assert.equal(Category._meta.getField('created').model, Category);
  });

  test('one-to-one: forward and reverse access, loaded only on request', async () => {
    const ada = await Person.objects.create({ name: 'Ada' });
    await Profile.objects.create({ person: ada, bio: 'Analyst' });
    assert.throws(() => (ada as unknown as { profile: Profile }).profile, RelationNotLoaded);
    const profile = (await ada.fetchRelated('profile')) as Profile;
    assert.equal(profile.bio, 'Analyst');
    assert.equal((await Person.objects.get({ profile__bio: 'Analyst' })).name, 'Ada');
  });

  test('self-referencing foreign keys: children, and lookups through parents', async () => {
    const root = await Category.objects.create({ name: 'root' });
    const mid = await Category.objects.create({ name: 'mid', parent: root });
    await Category.objects.create({ name: 'leaf', parent: mid });
    assert.deepEqual(
      (await root.children.all()).map((c) => c.name),
      ['mid'],
    );
    assert.deepEqual(
      (await Category.objects.filter({ parent__parent__name: 'root' })).map((c) => c.name),
      ['leaf'],
    );
    assert.deepEqual(
      (await Category.objects.filter({ parent__isnull: true })).map((c) => c.name),
      ['root'],
    );
    const [total] = await root.delete();
    assert.equal(total, 3);
  });

  test('many-to-many through an explicit model', async () => {
    const grace = await Person.objects.create({ name: 'Grace' });
    const navy = await Group.objects.create({ name: 'Navy' });
    await Membership.objects.create({ person: grace, group: navy, role: 'admiral', rank: 1 });
    assert.deepEqual(
      (await navy.members.all()).map((p) => p.name),
      ['Grace'],
    );
    assert.deepEqual(
      (await Person.objects.filter({ groups__name: 'Navy' })).map((p) => p.name),
      ['Grace'],
    );
    assert.deepEqual(
      (await Group.objects.filter({ members__memberships__role: 'admiral' })).map((g) => g.name),
      ['Navy'],
    );
    assert.equal(await grace.memberships.count(), 1);
  });

  test('relatedName names the accessor and relatedQueryName the lookup', async () => {
    const p = await Person.objects.create({ name: 'Writer' });
    await Comment.objects.create({ body: 'first', author: p });
    const accessor = (p as unknown as { commentsWritten: { count(): Promise<number> } })
      .commentsWritten;
    assert.equal(await accessor.count(), 1);
    assert.deepEqual(
      (await Person.objects.filter(Q({ comment__body: 'first' }))).map((x) => x.name),
      ['Writer'],
    );
    assert.throws(
      () => Person.objects.filter(Q({ commentsWritten__body: 'first' })),
      /Cannot resolve keyword 'commentsWritten'/,
    );
  });

  test('refreshFromDb reloads values and forgets loaded relations', async () => {
    const p = await Person.objects.create({ name: 'Before' });
    await Person.objects.filter({ pk: p.pk }).update({ name: 'After' });
    assert.equal(p.name, 'Before');
    await p.refreshFromDb();
    assert.equal(p.name, 'After');
  });

  test('assigning the wrong model to a relation is refused', () => {
    const profile = new Profile({ bio: 'x' });
    assert.throws(
      () => ((profile as unknown as { person: unknown }).person = new Category({ name: 'x' })),
      /must be a "Person" instance/,
    );
  });

  test('custom lookups registered on a field class (register_lookup)', async () => {
    class NotEqual extends Lookup {
      static override readonly lookupName = 'ne';
      asSql(c: LookupContext) {
        const rhs = this.rhsSql(c);
        return {
          sql: `${this.lhs.sql} <> ${rhs.sql}`,
          params: [...this.lhs.params, ...rhs.params],
        };
      }
    }
    registerLookup(Field, NotEqual);
    try {
      const names = (await Person.objects.filter({ name__ne: 'Ada' })).map((p) => p.name).sort();
      assert.ok(!names.includes('Ada'));
      assert.ok(names.length > 0);
    } finally {
      unregisterLookup(Field, 'ne');
    }
    assert.throws(() => Person.objects.filter({ name__ne: 'Ada' }), /Unsupported lookup 'ne'/);
  });
});
