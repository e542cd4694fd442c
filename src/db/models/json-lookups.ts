/**
 * Key transforms and lookups of JSONField (Django's `KeyTransform`):
 * `data__author__name: 'x'`, `data__tags__0`, `data__pages__gt: 100`,
 * `data__missing__isnull: true`, `data__has_key: 'pages'`. Keys and paths are
 * bound parameters, never spliced into the SQL.
 */
import { ValueError } from '../../core/exceptions.js';
import { JSONFieldImpl } from './fields/misc.js';
import { CharFieldImpl } from './fields/text.js';
import type { Field } from './fields/field.js';
import {
  findLookup,
  Lookup,
  registerLookup,
  Transform,
  type LookupClass,
  type LookupContext,
  type TransformClass,
} from './lookups.js';
import { P, type SqlFragment } from './sql/fragment.js';

/** A fragment that remembers the JSON column and the key path below it. */
interface JsonFragment extends SqlFragment {
  json?: { base: SqlFragment; path: string[] };
}

/** The field of a value reached through keys: more keys, or lookups. */
export class JSONKeyField extends JSONFieldImpl {
  override readonly internalType: string = 'JSONField';
}
const KEY_FIELD = new JSONKeyField();
const TEXT_FIELD = new CharFieldImpl({ maxLength: 1 });

/** `$."a"[0]."b"` for SQLite and MySQL. */
function jsonPath(path: readonly string[]): string {
  return (
    '$' +
    path
      .map((k) =>
        /^\d+$/.test(k) ? `[${k}]` : `."${k.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
      )
      .join('')
  );
}

function parts(lhs: JsonFragment): { base: SqlFragment; path: string[] } {
  return lhs.json ?? { base: lhs, path: [] };
}

/** The value at the path, as JSON (jsonb on PostgreSQL). */
function extractJson(lhs: JsonFragment, ctx: LookupContext): SqlFragment {
  const { base, path } = parts(lhs);
  if (ctx.connection.vendor === 'postgresql')
    return { sql: `(${base.sql} #> ${P}::text[])`, params: [...base.params, path] };
  return { sql: `JSON_EXTRACT(${base.sql}, ${P})`, params: [...base.params, jsonPath(path)] };
}

/** The value at the path, as text (strings unquoted). */
function extractText(lhs: JsonFragment, ctx: LookupContext): SqlFragment {
  const { base, path } = parts(lhs);
  switch (ctx.connection.vendor) {
    case 'postgresql':
      return { sql: `(${base.sql} #>> ${P}::text[])`, params: [...base.params, path] };
    case 'mysql':
      // JSON functions answer in a binary collation; the cast gives the connection's, so the
      // case-insensitive lookups are case-insensitive (LIKE BINARY keeps the others exact).
      return {
        sql: `CAST(JSON_UNQUOTE(JSON_EXTRACT(${base.sql}, ${P})) AS CHAR CHARACTER SET utf8mb4)`,
        params: [...base.params, jsonPath(path)],
      };
    default:
      return { sql: `JSON_EXTRACT(${base.sql}, ${P})`, params: [...base.params, jsonPath(path)] };
  }
}

/** Builds the transform class for one key name. */
function keyTransform(key: string): TransformClass {
  return class extends Transform {
    static override readonly lookupName = key;
    outputField(): Field {
      return KEY_FIELD;
    }
    asSql(lhs: SqlFragment): SqlFragment {
      const { base, path } = parts(lhs as JsonFragment);
      const fragment: JsonFragment = {
        sql: lhs.sql,
        params: lhs.params,
        json: { base, path: [...path, key] },
      };
      return fragment;
    }
  };
}

/** `data__key: value`: the JSON value at the key equals `value` (JSON null for null). */
class KeyExact extends Lookup {
  static override readonly lookupName = 'exact';
  protected override readonly prepareRhs = false;
  asSql(ctx: LookupContext): SqlFragment {
    const lhs = extractJson(this.lhs, ctx);
    const json = JSON.stringify(this.rhs ?? null);
    if (ctx.connection.vendor === 'postgresql')
      return { sql: `${lhs.sql} = ${P}::jsonb`, params: [...lhs.params, json] };
    if (ctx.connection.vendor === 'sqlite' && this.rhs === null) {
      const { base, path } = parts(this.lhs);
      return {
        sql: `JSON_TYPE(${base.sql}, ${P}) = 'null'`,
        params: [...base.params, jsonPath(path)],
      };
    }
    if (
      ctx.connection.vendor === 'mysql' &&
      (ctx.connection.features as { isMariaDB?: boolean }).isMariaDB
    ) {
      // MariaDB's = on two JSON_EXTRACT results is false for equal strings; JSON_EQUALS is not.
      // (It also takes a missing key, SQL NULL, for a JSON null: exclude that.)
      return {
        sql: `(${lhs.sql} IS NOT NULL AND JSON_EQUALS(${lhs.sql}, ${P}))`,
        params: [...lhs.params, ...lhs.params, json],
      };
    }
    return { sql: `${lhs.sql} = JSON_EXTRACT(${P}, '$')`, params: [...lhs.params, json] };
  }
}

/** `data__key__isnull: true`: the key is missing (a JSON null is not missing). */
class KeyIsNull extends Lookup {
  static override readonly lookupName = 'isnull';
  protected override readonly prepareRhs = false;
  asSql(ctx: LookupContext): SqlFragment {
    if (typeof this.rhs !== 'boolean')
      throw new ValueError('The QuerySet value for an isnull lookup must be true or false.');
    const { base, path } = parts(this.lhs);
    let present: SqlFragment;
    switch (ctx.connection.vendor) {
      case 'postgresql':
        present = {
          sql: `(${base.sql} #> ${P}::text[]) IS NOT NULL`,
          params: [...base.params, path],
        };
        break;
      case 'mysql':
        present = {
          sql: `COALESCE(JSON_CONTAINS_PATH(${base.sql}, 'one', ${P}), 0) = 1`,
          params: [...base.params, jsonPath(path)],
        };
        break;
      default:
        present = {
          sql: `JSON_TYPE(${base.sql}, ${P}) IS NOT NULL`,
          params: [...base.params, jsonPath(path)],
        };
    }
    return this.rhs ? { sql: `NOT (${present.sql})`, params: present.params } : present;
  }
}

/** `data__has_key: 'pages'`. */
class HasKey extends Lookup {
  static override readonly lookupName = 'has_key';
  protected override readonly prepareRhs = false;
  asSql(ctx: LookupContext): SqlFragment {
    const { base, path } = parts(this.lhs);
    return new KeyIsNull(
      {
        sql: base.sql,
        params: base.params,
        json: { base, path: [...path, String(this.rhs)] },
      } as JsonFragment,
      KEY_FIELD,
      false,
    ).asSql(ctx);
  }
}

/** Text and comparison lookups on a key: on its text (or, against a number, its numeric) value. */
function onKeyValue(name: string): LookupClass {
  return class extends Lookup {
    static override readonly lookupName = name;
    protected override readonly prepareRhs = false;
    asSql(ctx: LookupContext): SqlFragment {
      const numeric =
        typeof this.rhs === 'number' ||
        (Array.isArray(this.rhs) && this.rhs.every((v) => typeof v === 'number'));
      let lhs = extractText(this.lhs, ctx);
      if (numeric && ctx.connection.vendor === 'postgresql')
        lhs = { sql: `(${lhs.sql})::numeric`, params: lhs.params };
      if (numeric && ctx.connection.vendor === 'mysql') lhs = extractJson(this.lhs, ctx);
      const base = findLookup(TEXT_FIELD, name) as LookupClass;
      const lookup = new base(lhs, TEXT_FIELD, this.rhs);
      (lookup as unknown as { prepareRhs: boolean }).prepareRhs = false;
      return lookup.asSql(ctx);
    }
  };
}

registerLookup(JSONFieldImpl, HasKey);
registerLookup(JSONKeyField, KeyExact);
registerLookup(JSONKeyField, KeyIsNull);
for (const name of [
  'iexact',
  'contains',
  'icontains',
  'startswith',
  'istartswith',
  'endswith',
  'iendswith',
  'in',
  'gt',
  'gte',
  'lt',
  'lte',
  'regex',
  'iregex',
]) {
  registerLookup(JSONKeyField, onKeyValue(name));
}

/** @internal Resolves a name on a JSON field: a registered lookup, or else a key. */
export function jsonKeyTransform(field: Field, name: string): TransformClass | undefined {
  return field instanceof JSONFieldImpl ? keyTransform(name) : undefined;
}
