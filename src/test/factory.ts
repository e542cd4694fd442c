/**
 * Model factories (the role of factory_boy's `DjangoModelFactory`, P27):
 * declarations with Faker values, sequences, lazy attributes, sub-factories,
 * related factories, post-generation hooks and traits; `build` (unsaved) and
 * `create` (saved), one or a batch; `author__name`-style overrides reach
 * sub-factories.
 */
import { faker as defaultFaker, type Faker } from '@faker-js/faker';
import type { CreateInputOf } from '../db/models/lookup-types.js';

/** How an object is made: `build` leaves it unsaved, `create` saves it. */
export type Strategy = 'build' | 'create';

/** What a lazy attribute receives. */
export interface FactoryContext {
  /** The shared Faker instance (seed it with {@link seedFactories} for reproducible runs). */
  readonly faker: Faker;
  /** This object's sequence number (0, 1, 2… per factory). */
  readonly sequence: number;
  /** The attributes resolved so far (declarations are resolved in order). */
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly strategy: Strategy;
}

const SEQUENCE = Symbol('reinhardt.factory.sequence');
const SUB_FACTORY = Symbol('reinhardt.factory.subFactory');

/** A per-factory counter: `sequence((n) => \`user${n}\`)`. */
export interface SequenceDeclaration<V> {
  readonly [SEQUENCE]: (n: number) => V;
}

/** What a sub-factory needs of a factory (covariant in what it makes). */
export interface Maker<V> {
  build(overrides?: Readonly<Record<string, unknown>>): Promise<V>;
  create(overrides?: Readonly<Record<string, unknown>>): Promise<V>;
}

/** A related object made by another factory (its `create` or `build`, as the parent's). */
export interface SubFactoryDeclaration<V> {
  readonly [SUB_FACTORY]: { factory: Maker<V>; overrides: Readonly<Record<string, unknown>> };
}

/** A declaration: a value, a lazy attribute, a sequence or a sub-factory. */
export type Declaration<V> =
  V | ((ctx: FactoryContext) => V | Promise<V>) | SequenceDeclaration<V> | SubFactoryDeclaration<V>;

/** Declarations for the fields of `T`. */
export type Declarations<T> = {
  [K in keyof CreateInputOf<T>]?: Declaration<CreateInputOf<T>[K]>;
};

/** Runs after the object is made, with the value given under its name (`tags: [t1, t2]`). */
export type PostGeneration<T> = (
  obj: T,
  extracted: unknown,
  ctx: { strategy: Strategy; faker: Faker },
) => unknown;

/** A factory making objects that point at the parent (factory_boy's `RelatedFactory`), after it is created. */
export interface RelatedFactoryDeclaration {
  readonly factory: Maker<unknown>;
  /** The field of the related object that points at the parent. */
  readonly field: string;
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/** Options of {@link Factory.define}. */
export interface FactoryOptions<T> {
  /** Named sets of declarations, switched on with `{ name: true }` in the overrides. */
  readonly traits?: Readonly<Record<string, Declarations<T>>>;
  /** Hooks run after the object is made, by name (the override under that name is passed in). */
  readonly postGeneration?: Readonly<Record<string, PostGeneration<T>>>;
  /** Objects created after the parent, by name (overridable with `name__field`). */
  readonly related?: Readonly<Record<string, RelatedFactoryDeclaration>>;
}

/**
 * Overrides, typed from the model and the factory's declarations: field
 * values, `sub__field` values for sub-factories and related factories,
 * trait switches, post-generation values. A misspelled name does not compile.
 */
export type Overrides<
  T,
  Sub extends string = string,
  Trait extends string = never,
  Post extends string = never,
> = Partial<CreateInputOf<T>> & { readonly [K in `${Sub}__${string}`]?: unknown } & {
  readonly [K in Trait]?: boolean;
} & { readonly [K in Post]?: unknown };

/** The names of the declarations that are sub-factories. */
export type SubFactoryNames<D> = {
  [K in keyof D]-?: NonNullable<D[K]> extends SubFactoryDeclaration<any> ? K : never;
}[keyof D] &
  string;

/** {@link FactoryOptions} with the names of traits, hooks and related factories captured. */
export interface TypedOptions<
  T,
  TR extends string,
  PG extends string,
  RL extends string,
> extends FactoryOptions<T> {
  readonly traits?: Readonly<Record<TR, Declarations<T>>>;
  readonly postGeneration?: Readonly<Record<PG, PostGeneration<T>>>;
  readonly related?: Readonly<Record<RL, RelatedFactoryDeclaration>>;
}

interface ModelLike<T> {
  new (...args: never[]): T;
  readonly name: string;
  readonly objects: { create(values: never): Promise<T> };
}

/** A counter: `sequence((n) => \`reader${n}@example.com\`)`. */
export function sequence<V>(fn: (n: number) => V): SequenceDeclaration<V> {
  return { [SEQUENCE]: fn };
}

/** A related object from another factory; `overrides` are its defaults here. */
export function subFactory<V>(
  factory: Maker<V>,
  overrides: Readonly<Record<string, unknown>> = {},
): SubFactoryDeclaration<V> {
  return { [SUB_FACTORY]: { factory, overrides } };
}

/** Seeds the shared Faker instance, so factory values repeat from run to run. */
export function seedFactories(seed: number): void {
  defaultFaker.seed(seed);
}

/**
 * A factory for one model.
 *
 * @example
 * ```ts
 * const AuthorFactory = Factory.define(Author, { name: ({ faker }) => faker.person.fullName() });
 * const BookFactory = Factory.define(Book, {
 *   title: ({ faker }) => faker.lorem.words(3),
 *   isbn: sequence((n) => `978-${n}`),
 *   author: subFactory(AuthorFactory),
 * }, { traits: { bestseller: { sales: 50_000 } } });
 * const book = await BookFactory.create({ author__name: 'Le Guin', bestseller: true });
 * ```
 */
export class Factory<
  T,
  Sub extends string = string,
  Trait extends string = never,
  Post extends string = never,
> {
  private counter = 0;

  private constructor(
    readonly model: ModelLike<T>,
    readonly declarations: Declarations<T>,
    readonly options: FactoryOptions<T>,
    private readonly faker: Faker,
  ) {}

  /** Declares a factory for `model`; its overrides are typed from the declarations and options. */
  static define<
    T,
    const D extends Declarations<T>,
    TR extends string = never,
    PG extends string = never,
    RL extends string = never,
  >(
    model: ModelLike<T>,
    declarations: D,
    options: TypedOptions<T, TR, PG, RL> & { faker?: Faker } = {},
  ): Factory<T, SubFactoryNames<D> | RL, TR, PG> {
    return new Factory(model, declarations, options, options.faker ?? defaultFaker);
  }

  /** A factory with more (or other) declarations: factory_boy's subclassing. */
  extend<
    const D extends Declarations<T>,
    TR extends string = never,
    PG extends string = never,
    RL extends string = never,
  >(
    declarations: D,
    options: TypedOptions<T, TR, PG, RL> = {},
  ): Factory<T, Sub | SubFactoryNames<D> | RL, Trait | TR, Post | PG> {
    return new Factory(
      this.model,
      { ...this.declarations, ...declarations },
      {
        traits: { ...this.options.traits, ...options.traits },
        postGeneration: { ...this.options.postGeneration, ...options.postGeneration },
        related: { ...this.options.related, ...options.related },
      },
      this.faker,
    );
  }

  /** Restarts the sequence (at `value`, default 0). */
  resetSequence(value = 0): void {
    this.counter = value;
  }

  /** An unsaved object (sub-factories build theirs unsaved too). */
  build(overrides: Overrides<T, Sub, Trait, Post> = {}): Promise<T> {
    return this.make('build', overrides);
  }

  /** A saved object (sub-factories create theirs first). */
  create(overrides: Overrides<T, Sub, Trait, Post> = {}): Promise<T> {
    return this.make('create', overrides);
  }

  /** `count` unsaved objects. */
  async buildBatch(count: number, overrides: Overrides<T, Sub, Trait, Post> = {}): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(await this.build(overrides));
    return out;
  }

  /** `count` saved objects. */
  async createBatch(count: number, overrides: Overrides<T, Sub, Trait, Post> = {}): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(await this.create(overrides));
    return out;
  }

  private async make(strategy: Strategy, overrides: Readonly<Record<string, unknown>>): Promise<T> {
    const n = this.counter++;
    const traits = this.options.traits ?? {};
    const hooks = this.options.postGeneration ?? {};
    const related = this.options.related ?? {};
    // Split the overrides: traits, hooks' values, `sub__field` values, plain values.
    const declarations: Record<string, unknown> = { ...this.declarations };
    const nested = new Map<string, Record<string, unknown>>();
    const plain: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(overrides)) {
      if (key in traits) {
        if (value) Object.assign(declarations, traits[key]);
        continue;
      }
      if (key in hooks) continue;
      const split = key.indexOf('__');
      if (split > 0) {
        const head = key.slice(0, split);
        if (head in declarations || head in related) {
          const group = nested.get(head) ?? {};
          group[key.slice(split + 2)] = value;
          nested.set(head, group);
          continue;
        }
      }
      plain[key] = value;
    }
    const attrs: Record<string, unknown> = {};
    for (const [name, declaration] of Object.entries(declarations)) {
      if (name in plain) {
        attrs[name] = plain[name];
        continue;
      }
      attrs[name] = await this.evaluate(declaration, nested.get(name) ?? {}, {
        faker: this.faker,
        sequence: n,
        attrs,
        strategy,
      });
    }
    for (const [name, value] of Object.entries(plain)) if (!(name in attrs)) attrs[name] = value;
    const obj =
      strategy === 'create'
        ? await this.model.objects.create(attrs as never)
        : new (this.model as unknown as new (values: Record<string, unknown>) => T)(attrs);
    if (strategy === 'create') {
      for (const [name, rel] of Object.entries(related)) {
        await rel.factory.create({ ...rel.overrides, ...nested.get(name), [rel.field]: obj });
      }
    }
    for (const [name, hook] of Object.entries(hooks))
      await hook(obj, overrides[name], { strategy, faker: this.faker });
    return obj;
  }

  private async evaluate(
    declaration: unknown,
    nested: Record<string, unknown>,
    ctx: FactoryContext,
  ): Promise<unknown> {
    if (declaration && typeof declaration === 'object') {
      if (SEQUENCE in declaration)
        return (declaration as SequenceDeclaration<unknown>)[SEQUENCE](ctx.sequence);
      if (SUB_FACTORY in declaration) {
        const { factory, overrides } = (declaration as SubFactoryDeclaration<unknown>)[SUB_FACTORY];
        return factory[ctx.strategy]({ ...overrides, ...nested });
      }
    }
    // A function is a lazy attribute (a model class is a value: it has a prototype with fields).
    if (typeof declaration === 'function' && !('_meta' in declaration))
      return (declaration as (c: FactoryContext) => unknown)(ctx);
    return declaration;
  }
}
