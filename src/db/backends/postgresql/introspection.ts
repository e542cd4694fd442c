/** Reads PostgreSQL's schema from the catalogs of the current schema search path. */
import { ProgrammingError } from '../../errors.js';
import {
  BaseDatabaseIntrospection,
  type ColumnDescription,
  type ConstraintInfo,
} from '../base/introspection.js';
import type { InternalType } from '../base/schema.js';

/** Relation kinds that have columns: tables, partitioned tables, views, materialized views, foreign tables. */
const RELKINDS = "('r', 'p', 'v', 'm', 'f')";

/**
 * @example
 * ```ts
 * const desc = await connection.introspection.getTableDescription('library_book');
 * desc.find((c) => c.name === 'published')?.dataType; // 'timestamp with time zone'
 * ```
 */
export class PostgreSQLIntrospection extends BaseDatabaseIntrospection {
  override readonly dataTypesReverse: Readonly<Record<string, InternalType>> = {
    boolean: 'BooleanField',
    bytea: 'BinaryField',
    bigint: 'BigIntegerField',
    smallint: 'SmallIntegerField',
    integer: 'IntegerField',
    text: 'TextField',
    real: 'FloatField',
    'double precision': 'FloatField',
    inet: 'GenericIPAddressField',
    character: 'CharField',
    'character varying': 'CharField',
    date: 'DateField',
    'time without time zone': 'TimeField',
    'time with time zone': 'TimeField',
    'timestamp without time zone': 'DateTimeField',
    'timestamp with time zone': 'DateTimeField',
    interval: 'DurationField',
    numeric: 'DecimalField',
    uuid: 'UUIDField',
    jsonb: 'JSONField',
    json: 'JSONField',
  };
  override readonly introspectedFieldTypes: Readonly<Partial<Record<InternalType, InternalType>>> =
    {
      SlugField: 'CharField',
      PositiveBigIntegerField: 'BigIntegerField',
      PositiveIntegerField: 'IntegerField',
      PositiveSmallIntegerField: 'SmallIntegerField',
    };

  override async tableNames(): Promise<string[]> {
    const { rows } = await this.connection.run<{ name: string }>(
      `SELECT c.relname AS name FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND pg_catalog.pg_table_is_visible(c.oid)
         AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       ORDER BY c.relname`,
    );
    return rows.map((r) => r.name);
  }

  override async getTableDescription(table: string): Promise<ColumnDescription[]> {
    const { rows } = await this.connection.run<{
      name: string;
      data_type: string;
      type_name: string;
      typmod: number;
      nullable: boolean;
      column_default: string | null;
      identity: string;
      collation: string | null;
      primary_key: boolean;
    }>(
      `SELECT a.attname AS name,
              pg_catalog.format_type(a.atttypid, a.atttypmod) AS data_type,
              t.typname AS type_name,
              a.atttypmod AS typmod,
              NOT a.attnotnull AS nullable,
              pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS column_default,
              a.attidentity::text AS identity,
              CASE WHEN co.collname = 'default' THEN NULL ELSE co.collname::text END AS collation,
              EXISTS (SELECT 1 FROM pg_catalog.pg_index i
                      WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY (i.indkey)) AS primary_key
       FROM pg_catalog.pg_attribute a
       JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
       JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
       LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
       WHERE c.relname = $1 AND c.relkind IN ${RELKINDS}
         AND pg_catalog.pg_table_is_visible(c.oid)
         AND a.attnum > 0 AND NOT a.attisdropped
       ORDER BY a.attnum`,
      [table],
    );
    if (rows.length === 0) await this.assertExists(table);
    return rows.map((r) => {
      const desc: ColumnDescription = {
        name: r.name,
        dataType: r.data_type,
        nullable: r.nullable,
        default: r.column_default,
        primaryKey: r.primary_key,
        collation: r.collation,
        autoIncrement: r.identity !== '' || /^nextval\(/.test(r.column_default ?? ''),
      };
      // atttypmod carries the declared length (+4) and the precision/scale of numerics.
      if ((r.type_name === 'varchar' || r.type_name === 'bpchar') && r.typmod > 0) {
        desc.maxLength = r.typmod - 4;
      }
      if (r.type_name === 'numeric' && r.typmod > 0) {
        desc.precision = ((r.typmod - 4) >> 16) & 0xffff;
        desc.scale = (r.typmod - 4) & 0xffff;
      }
      return desc;
    });
  }

  private async assertExists(table: string): Promise<void> {
    const { rows } = await this.connection.run(
      `SELECT 1 FROM pg_catalog.pg_class c
       WHERE c.relname = $1 AND c.relkind IN ${RELKINDS} AND pg_catalog.pg_table_is_visible(c.oid)`,
      [table],
    );
    if (rows.length === 0) throw new ProgrammingError(`Table '${table}' does not exist.`);
  }

  override async getConstraints(table: string): Promise<Record<string, ConstraintInfo>> {
    const constraints: Record<string, ConstraintInfo> = {};
    const { rows } = await this.connection.run<{
      name: string;
      columns: string[];
      kind: string;
      ref_table: string | null;
      ref_column: string | null;
    }>(
      `SELECT con.conname AS name,
              ARRAY(SELECT a.attname::text
                    FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                    ORDER BY k.ord) AS columns,
              con.contype::text AS kind,
              fc.relname AS ref_table,
              (SELECT fa.attname FROM pg_catalog.pg_attribute fa
               WHERE fa.attrelid = con.confrelid AND fa.attnum = con.confkey[1]) AS ref_column
       FROM pg_catalog.pg_constraint con
       JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
       LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
       WHERE c.relname = $1 AND pg_catalog.pg_table_is_visible(c.oid)
         AND con.contype IN ('p', 'u', 'f', 'c', 'x')`,
      [table],
    );
    for (const r of rows) {
      constraints[r.name] = {
        columns: r.columns,
        primaryKey: r.kind === 'p',
        unique: r.kind === 'p' || r.kind === 'u',
        foreignKey:
          r.kind === 'f' && r.ref_table && r.ref_column ? [r.ref_table, r.ref_column] : null,
        check: r.kind === 'c',
        index: false,
      };
    }
    const indexes = await this.connection.run<{
      name: string;
      columns: (string | null)[];
      orders: string[];
      is_unique: boolean;
      is_primary: boolean;
      method: string;
      has_expressions: boolean;
    }>(
      `SELECT ic.relname AS name,
              ARRAY(SELECT a.attname::text
                    FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                    LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                    WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS columns,
              ARRAY(SELECT CASE WHEN (o.opt & 1) = 1 THEN 'DESC' ELSE 'ASC' END
                    FROM unnest(i.indoption::int2[]) WITH ORDINALITY o(opt, ord)
                    WHERE o.ord <= i.indnkeyatts ORDER BY o.ord) AS orders,
              i.indisunique AS is_unique,
              i.indisprimary AS is_primary,
              am.amname::text AS method,
              i.indexprs IS NOT NULL AS has_expressions
       FROM pg_catalog.pg_index i
       JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
       JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_catalog.pg_am am ON am.oid = ic.relam
       WHERE c.relname = $1 AND pg_catalog.pg_table_is_visible(c.oid)`,
      [table],
    );
    for (const r of indexes.rows) {
      // The index behind a PRIMARY KEY or UNIQUE constraint is reported as that constraint.
      if (constraints[r.name]) continue;
      const btree = r.method === 'btree';
      const info: ConstraintInfo = {
        columns: r.columns.filter((c): c is string => c !== null),
        primaryKey: r.is_primary,
        unique: r.is_unique,
        foreignKey: null,
        check: false,
        index: true,
        type: btree && !r.has_expressions ? 'idx' : r.method,
      };
      if (btree) info.orders = r.orders as ('ASC' | 'DESC')[];
      constraints[r.name] = info;
    }
    return constraints;
  }

  override async getRelations(
    table: string,
  ): Promise<Record<string, [table: string, column: string]>> {
    const { rows } = await this.connection.run<{
      column: string;
      ref_table: string;
      ref_column: string;
    }>(
      `SELECT a1.attname AS column, fc.relname AS ref_table, a2.attname AS ref_column
       FROM pg_catalog.pg_constraint con
       JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
       JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
       JOIN pg_catalog.pg_attribute a1 ON a1.attrelid = con.conrelid AND a1.attnum = con.conkey[1]
       JOIN pg_catalog.pg_attribute a2 ON a2.attrelid = con.confrelid AND a2.attnum = con.confkey[1]
       WHERE c.relname = $1 AND con.contype = 'f' AND pg_catalog.pg_table_is_visible(c.oid)`,
      [table],
    );
    return Object.fromEntries(rows.map((r) => [r.column, [r.ref_table, r.ref_column]]));
  }
}
