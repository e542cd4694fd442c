/**
 * Type-level tests of the ORM's typed lookups and values (`filter`, `exclude`,
 * `get`, `getOrCreate`, `updateOrCreate`, `create`, `update`): checked by
 * `npm run typecheck`, never run. Each `@ts-expect-error` line must fail to
 * compile (the comment above it says why), or the typecheck fails.
 */
import { Author, Book, Review, Tag, User } from '../support/bookstore.js';
import {
  BooleanField,
  CASCADE,
  CharField,
  DecimalField,
  Field,
  type Expression,
  F,
  ForeignKey,
  IntegerField,
  JSONField,
  type Lookups,
  type Manager,
  type ManyRelatedManager,
  ManyToManyField,
  Model,
  OneToOneField,
  Q,
  type QuerySet,
  type RelatedManager,
  TimeField,
  type Unloaded,
  UUIDField,
} from '../../src/db/models/index.js';
import type { ForeignKeyImpl } from '../../src/db/models/fields/related.js';
import type { InvalidLookup, ResolveLookup } from '../../src/db/models/lookup-types.js';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_: T): void {}

// Lookups registered at run time are declared by augmentation (test/db/models/relations.test.ts
// registers `ne` on every field).
declare module '../../src/db/models/lookup-types.js' {
  interface CustomLookups<V> {
    ne: V;
  }
}

// ---------------------------------------------------------------- models

/**
 * `ForeignKey('self', …)` infers its target as `unknown` today (the factory
 * drops the `'self'` literal), which leaves the path unchecked; this is the
 * field type once the factory keeps it, and what the lookups make of it.
 */
type SelfForeignKey<N extends boolean> = ForeignKeyImpl<'self', N, N>;

export class Category extends Model({
  name: CharField({ maxLength: 50 }),
  parent: ForeignKey('self', {
    onDelete: CASCADE,
    null: true,
    relatedName: 'children',
  }) as unknown as SelfForeignKey<true>,
  // As the factory types it today: a target that is not followed.
  sibling: ForeignKey('self', { onDelete: CASCADE, null: true }),
}) {
  declare static objects: Manager<Category>;
  declare children: RelatedManager<Category>;
}

export class Person extends Model({ name: CharField({ maxLength: 50 }) }) {
  declare static objects: Manager<Person>;
  declare memberships: RelatedManager<Membership>;
  /** A reverse many-to-many relation, declared. */
  declare groups: ManyRelatedManager<Group>;
  /** A reverse one-to-one relation, declared. */
  declare profile: Unloaded<Profile>;
}

export class Profile extends Model({
  person: OneToOneField(() => Person, { onDelete: CASCADE, relatedName: 'profile' }),
  bio: CharField({ maxLength: 100, blank: true }),
}) {
  declare static objects: Manager<Profile>;
}

export class Group extends Model({
  name: CharField({ maxLength: 50 }),
  members: ManyToManyField(() => Person, { through: 'app.Membership', relatedName: 'groups' }),
}) {
  declare static objects: Manager<Group>;
}

export class Membership extends Model({
  person: ForeignKey(() => Person, { onDelete: CASCADE, relatedName: 'memberships' }),
  // A target named by label: the type checker cannot follow it.
  group: ForeignKey('app.Group', { onDelete: CASCADE }),
  role: CharField({ maxLength: 20 }),
}) {
  declare static objects: Manager<Membership>;
}

interface Meta {
  pages?: number;
  author?: { name: string };
}

/** A custom field class naming its lookup kind (instead of having it told from its members). */
class HexColorFieldImpl extends Field<string, false, false> {
  declare readonly __lookupKind: 'string';
  readonly internalType = 'CharField';
}

/** One field of each kind. */
export class Gadget extends Model({
  name: CharField({ maxLength: 20 }),
  price: DecimalField({ maxDigits: 8, decimalPlaces: 2 }),
  active: BooleanField({ default: true }),
  token: UUIDField({ null: true }),
  opensAt: TimeField({ null: true }),
  priority: IntegerField({ choices: [1, 2, 3], default: 1 }),
  data: JSONField<Meta | null>({ null: true }),
  color: new HexColorFieldImpl(),
}) {
  declare static objects: Manager<Gadget>;
}

declare const author: Author;
declare const book: Book;
declare const tag: Tag;
declare const user: User;

export async function lookups(): Promise<void> {
  // ------------------------------------------------------------ fields and lookups

  await Book.objects.filter({ title: 'The Hobbit', title__icontains: 'hobbit' });
  await Book.objects.filter({ sales__gte: 3, rating__lt: 4.5, rating__range: [1, 5] });
  await Book.objects.filter({ status: 'draft', status__in: ['draft', 'published'] });
  await Book.objects.filter({ status__icontains: 'dra' }); // patterns take any text
  await Book.objects.filter({ publishedDate: '1937-09-21', publishedDate__gte: '1900-01-01' });
  await Book.objects.filter({ publishedDate: null, publishedDate__isnull: true }); // nullable
  await Book.objects.filter({ createdAt__gte: new Date(), createdAt__lt: '2024-01-01T00:00:00Z' });
  await Book.objects.exclude({ isbn__startswith: 'w', isbn__iendswith: 'x', isbn__regex: '^9' });

  // ------------------------------------------------------------ pk, id, attnames, relations

  await Book.objects.get({ pk: book.id });
  await Book.objects.filter({ id: 1, pk__in: [1, 2], id__gt: 0 });
  await Book.objects.filter({ authorId: 3, authorId__in: [1, 2], ownerId: null });
  await Book.objects.filter({ author: 2 }); // a foreign key compared with a key…
  await Book.objects.filter({ author }); // …or with an instance
  await Book.objects.filter({ author: book.author }); // …loaded or not
  await Book.objects.filter({ author__in: [1, author], author__isnull: false });
  await Book.objects.filter({ author__in: Author.objects.filter({ name__startswith: 'J' }) });
  await Book.objects.filter({ owner: null, owner__in: [user] }); // a nullable foreign key
  await Book.objects.filter({ author__id: 1, author__pk__in: [1], author__gt: 0 });

  // ------------------------------------------------------------ paths three and more relations deep

  await Book.objects.filter({ author__name__icontains: 'tolkien' });
  await Book.objects.filter({ author__books__reviews__rating__gte: 4 });
  await Book.objects.filter({ reviews__user__username__iexact: 'ada' });
  await Book.objects.filter({ reviews__book__author__books__tags__name__in: ['sf'] });
  await User.objects.filter({ books__author__books__reviews__user__isStaff: true });
  // Many-to-many, forward and reverse (declared on Tag as `books`).
  await Book.objects.filter({ tags__name__in: ['classic', 'sf'], tags: tag, tags__isnull: false });
  await Tag.objects.filter({ books__title: 'The Hobbit', books__author__name: 'Tolkien' });
  await Author.objects.filter({ books__isnull: true, books__publishedDate__year: 2008 });
  // Self-referencing foreign keys.
  await Category.objects.filter({ parent__parent__parent__name__startswith: 'root' });
  await Category.objects.filter({ children__children__parent__name: 'mid', parent: null });
  await Category.objects.filter({ parent__isnull: true, parent__in: [1, 2] });
  // Declared reverse one-to-one and many-to-many, and a `through` model.
  await Person.objects.get({ profile__bio: 'Analyst' });
  await Person.objects.filter({ groups__name: 'Navy' });
  await Group.objects.filter({ members__memberships__role: 'admiral' });

  // ------------------------------------------------------------ transforms

  await Book.objects.filter({ publishedDate__year: 2020, publishedDate__year__gte: 2000 });
  await Book.objects.filter({ publishedDate__month__in: [1, 2], publishedDate__week_day: 1 });
  await Book.objects.filter({ createdAt__hour__lt: 12, createdAt__date: '2024-01-01' });
  await Book.objects.filter({ createdAt__date__year: 2024, createdAt__iso_year__range: [1, 2] });

  // ------------------------------------------------------------ in, range, isnull values

  const ids: readonly number[] = [1, 2];
  await Book.objects.filter({ pk__in: ids, sales__in: ids });
  await Book.objects.filter({ sales__in: Book.objects.valuesList('sales', { flat: true }) });
  await Book.objects.filter({ title__in: [] });
  await Book.objects.filter({ rating__range: [1, 2] as const });

  // ------------------------------------------------------------ F() expressions wherever a value goes

  await Book.objects.filter({ sales__gt: F('rating').mul(100), title: F('isbn') });
  await Book.objects.filter({ rating__range: [F('sales'), 10], sales__in: [1, F('rating')] });
  await Book.objects.filter({ author: F('owner'), publishedDate__year: F('sales') });

  // ------------------------------------------------------------ other kinds of fields

  await Gadget.objects.filter({ price: '9.99', price__gte: 10, price__range: ['1', 2] });
  await Gadget.objects.filter({ active: true, active__in: [true], token__icontains: 'ab' });
  await Gadget.objects.filter({ opensAt__gte: '09:00', priority: 2, priority__gt: 1 });
  // JSON: keys below the field are not checked (their values are unknown to the model).
  await Gadget.objects.filter({ data: null, data__isnull: true, data__author__name: 'x' });
  await Gadget.objects.filter({ color: '#fff', color__istartswith: '#F' });

  // ------------------------------------------------------------ Q and dynamic lookups stay unchecked

  await Book.objects.filter(Q({ rating__gte: 4.6 }).or(Q({ publishedDate__isnull: true })));
  await Book.objects.filter(Q({ anything: 1 }), { title: 'typed' });
  await Book.objects.filter({ title: 'typed' }, Q({ rating__gte: 4 }).not());
  const dynamic: Record<string, unknown> = { author__nmae: 'checked at run time' };
  await Book.objects.filter(dynamic);
  const typedAsLookups: Lookups = { title: 'x' };
  await Book.objects.exclude(typedAsLookups);
  await Book.objects.filter({ [`${'title'}__in`]: ['computed key'] });

  // ------------------------------------------------------------ as test/db/models/*.test.ts use them

  await Book.objects.filter({ author__name: 'J. R. R. Tolkien' }).count();
  await Book.objects.filter({ publishedDate__year__lt: 1950 });
  await Book.objects.filter({ rating__gt: 10 }).exists();
  await Book.objects.get({ rating__gte: 0 });
  await Book.objects.filter({ isbn__startswith: 'w' }).delete();
  await Book.objects.exclude({ author__name__startswith: 'J.' }).orderBy('title');
  await Book.objects.filter({ owner: user.pk }).orderBy('title'); // `pk` is `any` on instances
  await Author.objects.filter({ books__title: 'Lennon', books__publishedDate__year: 2008 });
  await Author.objects.exclude({ books__title: 'Other' });
  await Author.objects.exclude({ books__rating__gte: 4 });
  await Book.objects.filter({ sales__gte: F('rating').mul(100) }).count();
  await Book.objects.filter(
    Q({ rating__gte: 5 })
      .or(Q({ rating__lte: 2 }))
      .and(Q({ title: 'x' })),
  );
  await Tag.objects.get({ name: 'fantasy' });
  await Book.objects.filter({ pk: book.pk }).update({ title: 'After' });

  // ------------------------------------------------------------ results keep their types

  const _one = await Book.objects.get({ isbn: 'h-1' });
  expectType<Equal<typeof _one, Book>>(true);
  const _some = Book.objects.filter({ title: 'x' }).exclude({ sales: 0 });
  expectType<Equal<typeof _some, QuerySet<Book, Book>>>(true);
  const _row = await Book.objects.values('title').get({ title: 'x' });
  expectType<Equal<typeof _row, Record<'title', unknown>>>(true);
  const _related = await author.books.filter({ title__startswith: 'T' });
  expectType<Equal<typeof _related, Book[]>>(true);

  // ------------------------------------------------------------ value types, as the checker computes them

  expectType<Equal<ResolveLookup<Book, 'publishedDate__year__gte'>, number | Expression>>(true);
  expectType<Equal<ResolveLookup<Book, 'author__name__icontains'>, string | Expression>>(true);
  expectType<Equal<ResolveLookup<Book, 'title__isnull'>, boolean>>(true);
  expectType<Equal<ResolveLookup<Book, 'status'>, 'draft' | 'published' | Expression>>(true);
  expectType<
    Equal<ResolveLookup<Book, 'rating__range'>, readonly [number | Expression, number | Expression]>
  >(true);
  expectType<Equal<ResolveLookup<Book, 'publishedDate'>, string | Date | null | Expression>>(true);
  expectType<
    Equal<ResolveLookup<Book, 'owner'>, User | Unloaded<User> | number | null | Expression>
  >(true);
  // A key that does not resolve says why (the choices come in no particular order).
  expectType<
    ResolveLookup<
      Book,
      'nmae'
    > extends InvalidLookup<`Cannot resolve keyword 'nmae' into field. Choices are: ${string}`>
      ? true
      : false
  >(true);
  expectType<
    ResolveLookup<
      Book,
      'sales__icontains'
    > extends InvalidLookup<`Unsupported lookup 'icontains' for a number field or join on the field not permitted. Choices are: ${string}`>
      ? true
      : false
  >(true);

  // ------------------------------------------------------------ what must not compile

  // @ts-expect-error 'titel' is no field of Book
  await Book.objects.filter({ titel: 'x' });
  // @ts-expect-error 'nmae' is no field of Author, the foreign key's target
  await Book.objects.filter({ author__nmae: 'x' });
  // @ts-expect-error a misspelling three relations deep ('ratin' on Review)
  await Book.objects.filter({ author__books__reviews__ratin: 4 });
  // @ts-expect-error a misspelling after a declared reverse relation ('usr' on Review)
  await Book.objects.filter({ reviews__usr__username__iexact: 'ada' });
  // @ts-expect-error 'nam' on Tag, through the many-to-many field
  await Book.objects.filter({ tags__nam__in: ['sf'] });
  // @ts-expect-error 'titl' on Book, through the reverse many-to-many relation declared on Tag
  await Tag.objects.filter({ books__titl: 'x' });
  // @ts-expect-error 'nam' on Category, three self-references deep
  await Category.objects.filter({ parent__parent__parent__nam: 'root' });
  // @ts-expect-error a method is not a field
  await Book.objects.filter({ toString: 'x' });
  // @ts-expect-error a getter is not a field
  await Book.objects.filter({ isBestseller: true });
  // @ts-expect-error 'isbnId': only foreign keys have an attname ending in Id
  await Book.objects.filter({ isbnId: 1 });

  // @ts-expect-error icontains does not apply to a number
  await Book.objects.filter({ sales__icontains: '1' });
  // @ts-expect-error year applies to dates, not to text
  await Book.objects.filter({ title__year: 2020 });
  // @ts-expect-error hour applies to datetimes, not to dates
  await Book.objects.filter({ publishedDate__hour: 1 });
  // @ts-expect-error gt does not apply to booleans
  await User.objects.filter({ isStaff__gt: true });
  // @ts-expect-error a lookup cannot be followed by anything
  await Book.objects.filter({ title__icontains__exact: 'x' });
  // @ts-expect-error a field of a text field: text has no fields
  await Book.objects.filter({ author__name__first: 'x' });
  // @ts-expect-error icontains on a relation (which compares keys) rather than a field of its target
  await Book.objects.filter({ author__icontains: 'x' });

  // @ts-expect-error a number field takes a number
  await Book.objects.filter({ sales__gte: 'many' });
  // @ts-expect-error a text field takes text
  await Book.objects.filter({ title: 1 });
  // @ts-expect-error a date transform gives a number
  await Book.objects.filter({ publishedDate__year__gte: '2000' });
  // @ts-expect-error 'archived' is not one of the choices
  await Book.objects.filter({ status: 'archived' });
  // @ts-expect-error 'archived' is not one of the choices, in a list either
  await Book.objects.filter({ status__in: ['draft', 'archived'] });
  // @ts-expect-error 4 is not one of the choices
  await Gadget.objects.filter({ priority: 4 });
  // @ts-expect-error title is not nullable
  await Book.objects.filter({ title: null });
  // @ts-expect-error the foreign key author is not nullable
  await Book.objects.filter({ author: null });
  // @ts-expect-error in takes a list
  await Book.objects.filter({ sales__in: 1 });
  // @ts-expect-error in takes a list of the field's values
  await Book.objects.filter({ sales__in: ['1'] });
  // @ts-expect-error range takes two values
  await Book.objects.filter({ rating__range: [1, 2, 3] });
  // @ts-expect-error range takes two values of the field's type
  await Book.objects.filter({ rating__range: ['1', '2'] });
  // @ts-expect-error isnull takes a boolean
  await Book.objects.filter({ publishedDate__isnull: 'yes' });
  // @ts-expect-error a Review is not an Author
  await Book.objects.filter({ author: {} as Review });
  // @ts-expect-error a foreign key's key is a number
  await Book.objects.filter({ authorId: 'tolkien' });
  // @ts-expect-error a many-to-many relation takes Tags or their keys
  await Book.objects.filter({ tags__in: [book] });
  // @ts-expect-error a boolean takes a boolean
  await Gadget.objects.filter({ active: 'yes' });
  // @ts-expect-error a custom field of kind 'string' has no date transforms
  await Gadget.objects.filter({ color__year: 2020 });

  // @ts-expect-error only the wrong key of several is an error (the others are fine)
  await Book.objects.filter({ title: 'ok', sales__gte: 1, autor__name: 'x' });
  // @ts-expect-error the lookups after a Q are checked
  await Book.objects.filter(Q({ rating__gte: 4 }), { titel: 'x' });
  // @ts-expect-error exclude checks its lookups
  await Book.objects.exclude({ titel: 'x' });
  // @ts-expect-error get checks its lookups
  await Book.objects.get({ titel: 'x' });
  // @ts-expect-error a related manager checks its lookups
  await author.books.filter({ titel: 'x' });
  // @ts-expect-error a QuerySet's filter checks its lookups
  await Book.objects.all().filter({ titel: 'x' });
  // @ts-expect-error a custom manager checks its lookups
  await Book.published.filter({ titel: 'x' });
  // @ts-expect-error undeclared reverse relations are unknown ('reviewSet' is not declared on User)
  await User.objects.filter({ review__rating: 5 });
}

export async function writes(): Promise<void> {
  // ------------------------------------------------------------ create

  await Book.objects.create({ title: 'T', author, isbn: '1' });
  await Book.objects.create({ title: 'T', authorId: 1, isbn: '2', status: 'published' });
  await Book.objects.create({ title: 'T', author, isbn: '3', publishedDate: null, owner: user });
  await Author.objects.create({ name: 'Ursula K. Le Guin', bio: 'Earthsea' });
  await Review.objects.create({ book, user, rating: 5 });
  await author.books.create({ title: 'related', isbn: '4' }); // the key is set by the manager
  const values: Record<string, unknown> = { title: 'dynamic' };
  await Book.objects.create(values); // keys known at run time only: checked then

  // @ts-expect-error 'isbn' is required
  await Book.objects.create({ title: 'T', author });
  // @ts-expect-error 'titel' is no field
  await Book.objects.create({ titel: 'T', author, isbn: '1' });
  // @ts-expect-error a number field takes a number
  await Book.objects.create({ title: 'T', author, isbn: '1', sales: 'many' });
  // @ts-expect-error 'archived' is not one of the choices
  await Book.objects.create({ title: 'T', author, isbn: '1', status: 'archived' });
  // @ts-expect-error the foreign key takes an Author, not a Tag
  await Book.objects.create({ title: 'T', author: tag, isbn: '1' });

  // ------------------------------------------------------------ update

  await Book.objects.filter({ status: 'draft' }).update({ sales: F('sales').add(1) });
  await Book.objects.update({ sales: F('rating').mul(100), status: 'published' });
  await Book.objects.update({ author, owner: null, ownerId: null, authorId: 1 });
  await Book.objects.update({ publishedDate: null, title: 'x' });

  // @ts-expect-error 'titel' is no field
  await Book.objects.update({ titel: 'x' });
  // @ts-expect-error a number field takes a number
  await Book.objects.update({ sales: 'x' });
  // @ts-expect-error many-to-many relations are not columns
  await Book.objects.update({ tags: [tag] });
  // @ts-expect-error title is not nullable
  await Book.objects.update({ title: null });
  // @ts-expect-error update takes values, not lookups
  await Book.objects.update({ sales__gte: 1 });

  // ------------------------------------------------------------ getOrCreate, updateOrCreate

  const [_tagged, _created] = await Tag.objects.getOrCreate({ name: 'race' });
  expectType<Equal<typeof _tagged, Tag>>(true);
  expectType<Equal<typeof _created, boolean>>(true);
  await Tag.objects.updateOrCreate({ name: 'uoc' }, {});
  await Book.objects.updateOrCreate({ isbn: 'q1' }, { title: 'Lennon Remastered', author });
  await Book.objects.getOrCreate({ isbn: 'q1' }, { title: () => 'computed', author });

  // @ts-expect-error getOrCreate checks its lookups
  await Tag.objects.getOrCreate({ nmae: 'race' });
  // @ts-expect-error defaults are create values ('titel' is no field)
  await Book.objects.getOrCreate({ isbn: 'q1' }, { titel: 'x' });
  // @ts-expect-error defaults take values of the field's type
  await Book.objects.updateOrCreate({ isbn: 'q1' }, { sales: 'many' });
}

/** QuerySets of unknown models (`any`, `unknown`, `object`) take any lookups. */
export function untyped(a: QuerySet<any>, b: QuerySet<unknown>, c: QuerySet<object>): void {
  a.filter({ any__thing: 1 });
  b.filter({ any__thing: 1 });
  c.exclude({ any__thing: 1 });
}

/** Code generic over the model may pass keys of unknown type: a `pk` lookup, or a computed key. */
export function byKeys<T>(qs: QuerySet<T>, pks: unknown[], attname: string): QuerySet<T> {
  return qs.filter({ pk__in: pks }).exclude({ [attname]: null });
}
