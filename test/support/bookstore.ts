/**
 * The bookstore's models (../shared/spec/bookstore.md), used across the ORM
 * tests. The user model stands in for the auth app's until it exists.
 */
import {
  apps,
  BooleanField,
  CASCADE,
  CharField,
  DateField,
  DateTimeField,
  EmailField,
  F,
  PositiveSmallIntegerField,
  FloatField,
  ForeignKey,
  IntegerField,
  ManyToManyField,
  Manager,
  Model,
  type RelatedManager,
  SET_NULL,
  TextField,
} from '../../src/db/models/index.js';
import { MaxValueValidator, MinValueValidator } from '../../src/core/validators.js';

export class User extends Model({
  username: CharField({ maxLength: 150, unique: true }),
  email: EmailField({ blank: true }),
  firstName: CharField({ maxLength: 150, blank: true }),
  lastName: CharField({ maxLength: 150, blank: true }),
  isStaff: BooleanField({ default: false }),
  isActive: BooleanField({ default: true }),
  dateJoined: DateTimeField({ autoNowAdd: true }),
  department: CharField({ maxLength: 100, blank: true }),
}) {
  declare static objects: Manager<User>;
  declare books: RelatedManager<Book>;
  override toString(): string {
    return this.username;
  }
}

export class Author extends Model(
  {
    name: CharField({ maxLength: 100 }),
    bio: TextField({ blank: true }),
    createdAt: DateTimeField({ autoNowAdd: true }),
  },
  { ordering: ['name', 'id'] },
) {
  declare static objects: Manager<Author>;
  declare books: RelatedManager<Book>;
  override toString(): string {
    return this.name;
  }
}

export class Tag extends Model(
  { name: CharField({ maxLength: 50, unique: true }) },
  { ordering: ['name'] },
) {
  declare static objects: Manager<Tag>;
  declare books: RelatedManager<Book>;
}

export class Book extends Model(
  {
    title: CharField({ maxLength: 200 }),
    author: ForeignKey(() => Author, { onDelete: CASCADE, relatedName: 'books' }),
    tags: ManyToManyField(() => Tag, { relatedName: 'books', blank: true }),
    isbn: CharField({ maxLength: 20, unique: true }),
    publishedDate: DateField({ null: true, blank: true, dbIndex: true }),
    rating: FloatField({ default: 0 }),
    sales: IntegerField({ default: 0 }),
    status: CharField({ maxLength: 10, choices: ['draft', 'published'], default: 'draft' }),
    owner: ForeignKey(() => User, {
      null: true,
      blank: true,
      onDelete: SET_NULL,
      relatedName: 'books',
    }),
    createdAt: DateTimeField({ autoNowAdd: true }),
  },
  // Newest first, undated books last, the id breaking ties (as the oracle).
  { ordering: [F('publishedDate').desc({ nullsLast: true }), 'id'] },
) {
  declare static objects: Manager<Book>;
  declare reviews: RelatedManager<Review>;
  static published: Manager<Book> = new (class extends Manager<Book> {
    override getQueryset() {
      return super.getQueryset().filter({ status: 'published' });
    }
  })();
  get isBestseller(): boolean {
    return this.sales >= 10_000;
  }
  override toString(): string {
    return this.title;
  }
}

export class Review extends Model(
  {
    book: ForeignKey(() => Book, { onDelete: CASCADE, relatedName: 'reviews' }),
    user: ForeignKey(() => User, { onDelete: CASCADE }),
    rating: PositiveSmallIntegerField({
      validators: [new MinValueValidator(1), new MaxValueValidator(5)],
    }),
    body: TextField({ blank: true }),
    createdAt: DateTimeField({ autoNowAdd: true }),
  },
  { ordering: ['id'] },
) {
  declare static objects: Manager<Review>;
}

apps.register('accounts', { User });
apps.register('library', { Author, Tag, Book, Review });

/** Every bookstore model, in creation order. */
export const BOOKSTORE_MODELS = [User, Author, Tag, Book, Review];
