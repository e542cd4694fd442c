/**
 * Lookups and transforms (Django's `django.db.models.lookups`), registered on
 * field classes: `title__icontains`, `publishedDate__year__gte`. Each compiles
 * itself for the connection; user values are always bound parameters.
 */
import { ValidationError, ValueError } from '../../core/exceptions.js';
import type { BaseDatabaseWrapper } from '../backends/base/wrapper.js';
import type { DateExtractPart } from '../backends/base/operations.js';
import { Field } from './fields/field.js';
import { IntegerFieldImpl } from './fields/numeric.js';
import { DateFieldImpl, DateTimeFieldImpl } from './fields/temporal.js';
import { P, type SqlFragment } from './sql/fragment.js';

/** What lookups need to compile: the connection and a way to compile expressions on the right. */
export interface LookupContext {
  readonly connection: BaseDatabaseWrapper;
  /** Compiles an expression (e.g. `F('sales')`) used as a right-hand side; undefined for plain values. */
  compileRhs(value: unknown): SqlFragment | undefined;
}

/** A lookup class: `static lookupName` plus the constructor. */
export interface LookupClass {
  readonly lookupName: string;
  new (lhs: SqlFragment, field: Field, rhs: unknown): Lookup;
}

/** A transform class: `static lookupName` plus the constructor. */
export interface TransformClass {
  readonly lookupName: string;
  readonly isTransform: true;
  new (field: Field): Transform;
}

/** Thrown while compiling when a condition can match nothing (`in: []`). */
export class EmptyResultSet extends Error {}

/** A comparison between a column (or transformed column) and a value. */
export abstract class Lookup {
  static readonly lookupName: string;
  /** Whether `rhs` goes through the field's conversion (false for pattern and boolean lookups). */
  protected readonly prepareRhs: boolean = true;

  constructor(
    readonly lhs: SqlFragment,
    readonly field: Field,
    readonly rhs: unknown,
  ) {}

  /** Converts one right-hand value through the field (`toJs` then `toDb`), as Django's `get_db_prep_lookup`. */
  protected prep(value: unknown, ctx: LookupContext): unknown {
    if (!this.prepareRhs) return value;
    // A model instance compared with a relation (`author: tolkien`) stands for its key.
    if (value !== null && typeof value === 'object' && '_state' in value && 'pk' in value) {
      const target = (this.field as { targetField?: Field }).targetField;
      value = target
        ? (value as Record<string, unknown>)[target.attname]
        : (value as { pk: unknown }).pk;
    }
    try {
      return this.field.toDb(this.field.toJs(value), ctx.connection);
    } catch (e) {
      if (e instanceof ValidationError) {
        throw new ValueError(
          `Field '${this.field.name}' expected ${describeExpected(this.field)} but got ${JSON.stringify(value)}.`,
          { cause: e },
        );
      }
      throw e;
    }
  }

  /** The right-hand side as SQL: an expression, or one bound parameter. */
  protected rhsSql(ctx: LookupContext, value: unknown = this.rhs): SqlFragment {
    const expr = ctx.compileRhs(value);
    if (expr) return expr;
    return { sql: P, params: [this.prep(value, ctx)] };
  }

  /** The SQL of this lookup. */
  abstract asSql(ctx: LookupContext): SqlFragment;

  /** `lhs <operator from the backend's table> rhs`. */
  protected operatorSql(ctx: LookupContext, name: string, rhs: SqlFragment): SqlFragment {
    const template = ctx.connection.ops.operators[name];
    if (!template) throw new ValueError(`Unsupported lookup '${name}' on this backend.`);
    const [before, after = ''] = template.split('%s');
    return {
      sql: `${this.lhs.sql} ${before}${rhs.sql}${after}`,
      params: [...this.lhs.params, ...rhs.params],
    };
  }
}

function describeExpected(field: Field): string {
  if (field instanceof IntegerFieldImpl) return 'a number';
  if (field instanceof DateFieldImpl) return 'a date';
  if (field instanceof DateTimeFieldImpl) return 'a datetime';
  return 'a valid value';
}

class Exact extends Lookup {
  static override readonly lookupName = 'exact';
  asSql(ctx: LookupContext): SqlFragment {
    if (this.rhs === null || this.rhs === undefined)
      return { sql: `${this.lhs.sql} IS NULL`, params: this.lhs.params };
    return this.operatorSql(ctx, 'exact', this.rhsSql(ctx));
  }
}

/** Comparisons: gt, gte, lt, lte. */
function comparison(name: 'gt' | 'gte' | 'lt' | 'lte'): LookupClass {
  return class extends Lookup {
    static override readonly lookupName = name;
    asSql(ctx: LookupContext): SqlFragment {
      return this.operatorSql(ctx, name, this.rhsSql(ctx));
    }
  };
}

/**
 * Pattern lookups. User text is escaped so `%`, `_` and `\` match literally.
 * Case-sensitive ones on SQLite use GLOB (SQLite's LIKE ignores ASCII case).
 */
function pattern(
  name: string,
  wrap: (escaped: string, any: string) => string,
  caseInsensitive: boolean,
): LookupClass {
  return class extends Lookup {
    static override readonly lookupName = name;
    protected override readonly prepareRhs = false;
    asSql(ctx: LookupContext): SqlFragment {
      const vendor = ctx.connection.vendor;
      const expr = ctx.compileRhs(this.rhs);
      if (expr) {
        // A pattern from another column: concatenate wildcards around it.
        return this.operatorSql(ctx, name, expr);
      }
      const text = String(this.rhs);
      if (vendor === 'sqlite' && !caseInsensitive) {
        const glob = wrap(
          text.replace(/[*?[]/g, (c) => `[${c}]`),
          '*',
        );
        return { sql: `${this.lhs.sql} GLOB ${P}`, params: [...this.lhs.params, glob] };
      }
      const escaped = ctx.connection.ops.prepLikeValue(text);
      const value = wrap(escaped, '%');
      if (vendor === 'postgresql') {
        const lhs = caseInsensitive ? `UPPER(${this.lhs.sql}::text)` : `${this.lhs.sql}::text`;
        const rhs = caseInsensitive ? `UPPER(${P})` : P;
        return { sql: `${lhs} LIKE ${rhs} ESCAPE '\\'`, params: [...this.lhs.params, value] };
      }
      return this.operatorSql(ctx, name, { sql: P, params: [value] });
    }
  };
}

class In extends Lookup {
  static override readonly lookupName = 'in';
  asSql(ctx: LookupContext): SqlFragment {
    const expr = ctx.compileRhs(this.rhs);
    if (expr)
      return {
        sql: `${this.lhs.sql} IN (${expr.sql})`,
        params: [...this.lhs.params, ...expr.params],
      };
    if (!isIterable(this.rhs))
      throw new ValueError(`The 'in' lookup of field '${this.field.name}' needs a list.`);
    const values = [...new Set([...this.rhs].filter((v) => v !== null && v !== undefined))];
    if (values.length === 0) throw new EmptyResultSet();
    const params = values.map((v) => this.prep(v, ctx));
    return {
      sql: `${this.lhs.sql} IN (${params.map(() => P).join(', ')})`,
      params: [...this.lhs.params, ...params],
    };
  }
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return value !== null && typeof value === 'object' && Symbol.iterator in value;
}

class Range extends Lookup {
  static override readonly lookupName = 'range';
  asSql(ctx: LookupContext): SqlFragment {
    if (!Array.isArray(this.rhs) || this.rhs.length !== 2) {
      throw new ValueError(`The 'range' lookup of field '${this.field.name}' needs [low, high].`);
    }
    const low = this.rhsSql(ctx, this.rhs[0]);
    const high = this.rhsSql(ctx, this.rhs[1]);
    return {
      sql: `${this.lhs.sql} BETWEEN ${low.sql} AND ${high.sql}`,
      params: [...this.lhs.params, ...low.params, ...high.params],
    };
  }
}

class IsNull extends Lookup {
  static override readonly lookupName = 'isnull';
  protected override readonly prepareRhs = false;
  asSql(): SqlFragment {
    if (typeof this.rhs !== 'boolean') {
      throw new ValueError('The QuerySet value for an isnull lookup must be true or false.');
    }
    return { sql: `${this.lhs.sql} IS ${this.rhs ? '' : 'NOT '}NULL`, params: this.lhs.params };
  }
}

function regex(name: 'regex' | 'iregex'): LookupClass {
  const insensitive = name === 'iregex';
  return class extends Lookup {
    static override readonly lookupName = name;
    protected override readonly prepareRhs = false;
    asSql(ctx: LookupContext): SqlFragment {
      const params = [...this.lhs.params, String(this.rhs)];
      switch (ctx.connection.vendor) {
        case 'postgresql':
          return { sql: `${this.lhs.sql}::text ${insensitive ? '~*' : '~'} ${P}`, params };
        case 'mysql':
          return insensitive
            ? { sql: `${this.lhs.sql} REGEXP ${P}`, params }
            : { sql: `${this.lhs.sql} REGEXP BINARY ${P}`, params };
        default:
          return {
            sql: `${insensitive ? 'iregexp' : 'regexp'}(${P}, ${this.lhs.sql})`,
            params: [String(this.rhs), ...this.lhs.params],
          };
      }
    }
  };
}

/** A function applied to the column before the lookup (`publishedDate__year`). */
export abstract class Transform {
  static readonly lookupName: string;
  static readonly isTransform = true as const;
  constructor(readonly field: Field) {}
  /** The field describing the transformed value (which lookups apply, how values convert). */
  abstract outputField(): Field;
  abstract asSql(lhs: SqlFragment, ctx: LookupContext): SqlFragment;
}

const INTEGER_OUTPUT = new IntegerFieldImpl('IntegerField');

function extract(name: DateExtractPart): TransformClass {
  return class extends Transform {
    static override readonly lookupName = name;
    outputField(): Field {
      return INTEGER_OUTPUT;
    }
    asSql(lhs: SqlFragment, ctx: LookupContext): SqlFragment {
      return {
        sql: ctx.connection.ops.dateExtractSql(name, utcColumn(lhs.sql, this.field, ctx)),
        params: lhs.params,
      };
    }
  };
}

/** On PostgreSQL a timestamptz is read in UTC explicitly, so the session time zone never matters. */
function utcColumn(sql: string, field: Field, ctx: LookupContext): string {
  return ctx.connection.vendor === 'postgresql' && field instanceof DateTimeFieldImpl
    ? `(${sql} AT TIME ZONE 'UTC')`
    : sql;
}

const DATE_OUTPUT = new DateFieldImpl();

class TruncDateTransform extends Transform {
  static override readonly lookupName = 'date';
  outputField(): Field {
    return DATE_OUTPUT;
  }
  asSql(lhs: SqlFragment, ctx: LookupContext): SqlFragment {
    return {
      sql: ctx.connection.ops.datetimeCastDateSql(utcColumn(lhs.sql, this.field, ctx)),
      params: lhs.params,
    };
  }
}

type Registered = LookupClass | TransformClass;
/** A class of fields (the registry key). */
type FieldClass = abstract new (...args: never[]) => Field;
const registry = new Map<FieldClass, Map<string, Registered>>();

/**
 * Registers a lookup or transform on a field class and its subclasses
 * (Django's `Field.register_lookup`).
 *
 * @example
 * ```ts
 * class NotEqual extends Lookup {
 *   static override readonly lookupName = 'ne';
 *   asSql(ctx: LookupContext) {
 *     const rhs = this.rhsSql(ctx);
 *     return { sql: `${this.lhs.sql} <> ${rhs.sql}`, params: [...this.lhs.params, ...rhs.params] };
 *   }
 * }
 * registerLookup(Field, NotEqual);
 * ```
 */
export function registerLookup(fieldClass: FieldClass, lookup: Registered): void {
  let map = registry.get(fieldClass);
  if (!map) registry.set(fieldClass, (map = new Map()));
  map.set(lookup.lookupName, lookup);
}

/** Removes a registration (for tests). */
export function unregisterLookup(fieldClass: FieldClass, name: string): void {
  registry.get(fieldClass)?.delete(name);
}

/** The lookup or transform called `name` for `field`, searching its class hierarchy. */
export function findLookup(field: Field, name: string): Registered | undefined {
  for (
    let proto: object | null = Object.getPrototypeOf(field) as object;
    proto;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    const found = registry.get((proto as { constructor: FieldClass }).constructor)?.get(name);
    if (found) return found;
    if (proto === Field.prototype) break;
  }
  return undefined;
}

/** Every lookup and transform name available on `field`, sorted. */
export function availableLookups(field: Field): string[] {
  const names = new Set<string>();
  for (
    let proto: object | null = Object.getPrototypeOf(field) as object;
    proto;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const name of registry.get((proto as { constructor: FieldClass }).constructor)?.keys() ??
      [])
      names.add(name);
    if (proto === Field.prototype) break;
  }
  return [...names].sort();
}

/** True when the registered class is a transform. */
export function isTransformClass(c: Registered): c is TransformClass {
  return (c as { isTransform?: boolean }).isTransform === true;
}

for (const lookup of [
  Exact,
  comparison('gt'),
  comparison('gte'),
  comparison('lt'),
  comparison('lte'),
  In,
  Range,
  IsNull,
  pattern('iexact', (v) => v, true),
  pattern('contains', (v, any) => `${any}${v}${any}`, false),
  pattern('icontains', (v, any) => `${any}${v}${any}`, true),
  pattern('startswith', (v, any) => `${v}${any}`, false),
  pattern('istartswith', (v, any) => `${v}${any}`, true),
  pattern('endswith', (v, any) => `${any}${v}`, false),
  pattern('iendswith', (v, any) => `${any}${v}`, true),
  regex('regex'),
  regex('iregex'),
]) {
  registerLookup(Field, lookup);
}
for (const part of [
  'year',
  'iso_year',
  'quarter',
  'month',
  'week',
  'week_day',
  'iso_week_day',
  'day',
] as const) {
  registerLookup(DateFieldImpl, extract(part));
  registerLookup(DateTimeFieldImpl, extract(part));
}
for (const part of ['hour', 'minute', 'second'] as const)
  registerLookup(DateTimeFieldImpl, extract(part));
registerLookup(DateTimeFieldImpl, TruncDateTransform);
