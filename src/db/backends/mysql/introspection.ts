/** Reads the MySQL/MariaDB schema from `information_schema`. */
import { ProgrammingError } from '../../errors.js';
import { columnsIn } from '../base/ddl-tokens.js';
import {
  BaseDatabaseIntrospection,
  type ColumnDescription,
  type ConstraintInfo,
} from '../base/introspection.js';
import type { InternalType } from '../base/schema.js';
import type { MySQLFeatures } from './features.js';

/**
 * @example
 * ```ts
 * const constraints = await connection.introspection.getConstraints('library_book');
 * constraints.PRIMARY.columns; // ['id']
 * ```
 */
export class MySQLIntrospection extends BaseDatabaseIntrospection {
  override readonly dataTypesReverse: Readonly<Record<string, InternalType>> = {
    bigint: 'BigIntegerField',
    'bigint unsigned': 'PositiveBigIntegerField',
    int: 'IntegerField',
    integer: 'IntegerField',
    'int unsigned': 'PositiveIntegerField',
    mediumint: 'IntegerField',
    smallint: 'SmallIntegerField',
    'smallint unsigned': 'PositiveSmallIntegerField',
    tinyint: 'IntegerField',
    bool: 'BooleanField',
    boolean: 'BooleanField',
    char: 'CharField',
    varchar: 'CharField',
    tinytext: 'TextField',
    text: 'TextField',
    mediumtext: 'TextField',
    longtext: 'TextField',
    tinyblob: 'BinaryField',
    blob: 'BinaryField',
    mediumblob: 'BinaryField',
    longblob: 'BinaryField',
    varbinary: 'BinaryField',
    binary: 'BinaryField',
    date: 'DateField',
    datetime: 'DateTimeField',
    timestamp: 'DateTimeField',
    time: 'TimeField',
    decimal: 'DecimalField',
    numeric: 'DecimalField',
    double: 'FloatField',
    'double precision': 'FloatField',
    float: 'FloatField',
    real: 'FloatField',
    json: 'JSONField',
    uuid: 'UUIDField',
    inet6: 'GenericIPAddressField',
  };
  override readonly introspectedFieldTypes: Readonly<Partial<Record<InternalType, InternalType>>> =
    {
      SlugField: 'CharField',
      DurationField: 'BigIntegerField',
      GenericIPAddressField: 'CharField',
      UUIDField: 'CharField',
    };

  private get isMariaDB(): boolean {
    return (this.connection.features as MySQLFeatures).isMariaDB;
  }

  override async tableNames(): Promise<string[]> {
    const { rows } = await this.connection.run<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    return rows.map((r) => r.name);
  }

  override async getTableDescription(table: string): Promise<ColumnDescription[]> {
    const { rows } = await this.connection.run<{
      name: string;
      column_type: string;
      is_nullable: string;
      column_default: string | null;
      column_key: string;
      extra: string;
      max_length: number | string | null;
      numeric_precision: number | string | null;
      numeric_scale: number | string | null;
      collation: string | null;
    }>(
      `SELECT column_name AS name, column_type AS column_type, is_nullable AS is_nullable,
              column_default AS column_default, column_key AS column_key, extra AS extra,
              character_maximum_length AS max_length, numeric_precision AS numeric_precision,
              numeric_scale AS numeric_scale, collation_name AS collation
       FROM information_schema.columns
       WHERE table_schema = DATABASE() AND table_name = ?
       ORDER BY ordinal_position`,
      [table],
    );
    if (rows.length === 0) {
      const exists = await this.connection.run(
        'SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?',
        [table],
      );
      if (exists.rows.length === 0) throw new ProgrammingError(`Table '${table}' does not exist.`);
    }
    const json = await this.jsonColumns(table);
    return rows.map((r) => {
      const lower = r.column_type.toLowerCase();
      // MariaDB reports "no default" of a nullable column as the expression NULL.
      const dflt = this.isMariaDB && r.column_default === 'NULL' ? null : r.column_default;
      const desc: ColumnDescription = {
        name: r.name,
        dataType: lower,
        nullable: r.is_nullable === 'YES',
        default: dflt,
        primaryKey: r.column_key === 'PRI',
        collation: r.collation,
        autoIncrement: /auto_increment/i.test(r.extra),
        isJson: json.has(r.name),
      };
      if (r.max_length !== null && /char/.test(lower)) desc.maxLength = Number(r.max_length);
      if (/^(decimal|numeric)/.test(lower)) {
        desc.precision = Number(r.numeric_precision);
        desc.scale = Number(r.numeric_scale);
      }
      return desc;
    });
  }

  override getFieldType(description: ColumnDescription): InternalType | null {
    // `bool` is stored as tinyint(1).
    if (/^tinyint\(1\)/.test(description.dataType) && !description.autoIncrement) {
      return 'BooleanField';
    }
    return super.getFieldType(description);
  }

  /** Check constraints of `table`: name and clause. */
  private async checkClauses(table: string): Promise<{ name: string; clause: string }[]> {
    // MariaDB names checks per table (a column check is named after its column),
    // MySQL per schema, and only MariaDB's view has the table name.
    const sql = this.isMariaDB
      ? `SELECT constraint_name AS name, check_clause AS clause
         FROM information_schema.check_constraints
         WHERE constraint_schema = DATABASE() AND table_name = ?`
      : `SELECT cc.constraint_name AS name, cc.check_clause AS clause
         FROM information_schema.check_constraints cc
         JOIN information_schema.table_constraints tc
           ON tc.constraint_schema = cc.constraint_schema AND tc.constraint_name = cc.constraint_name
         WHERE cc.constraint_schema = DATABASE() AND tc.table_name = ? AND tc.constraint_type = 'CHECK'`;
    const { rows } = await this.connection.run<{ name: string; clause: string }>(sql, [table]);
    return rows;
  }

  /** Columns stored as text with a `json_valid(col)` check (MariaDB's JSON). */
  private async jsonColumns(table: string): Promise<Set<string>> {
    const out = new Set<string>();
    for (const { clause } of await this.checkClauses(table)) {
      const m = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(clause.trim());
      if (m) out.add(m[1]!.replace(/``/g, '`'));
    }
    return out;
  }

  override async getConstraints(table: string): Promise<Record<string, ConstraintInfo>> {
    const constraints: Record<string, ConstraintInfo> = {};
    const keys = await this.connection.run<{
      name: string;
      col: string;
      ref_table: string | null;
      ref_column: string | null;
      kind: string;
    }>(
      `SELECT kc.constraint_name AS name, kc.column_name AS col,
              kc.referenced_table_name AS ref_table, kc.referenced_column_name AS ref_column,
              c.constraint_type AS kind
       FROM information_schema.key_column_usage kc
       JOIN information_schema.table_constraints c
         ON c.constraint_schema = kc.constraint_schema AND c.table_name = kc.table_name
        AND c.constraint_name = kc.constraint_name
       WHERE kc.table_schema = DATABASE() AND kc.table_name = ?
       ORDER BY kc.constraint_name, kc.ordinal_position`,
      [table],
    );
    for (const r of keys.rows) {
      const info = (constraints[r.name] ??= {
        columns: [],
        primaryKey: r.kind === 'PRIMARY KEY',
        unique: r.kind === 'PRIMARY KEY' || r.kind === 'UNIQUE',
        foreignKey: r.ref_table && r.ref_column ? [r.ref_table, r.ref_column] : null,
        check: false,
        index: false,
      });
      if (!info.columns.includes(r.col)) info.columns.push(r.col);
    }
    const clauses = await this.checkClauses(table);
    if (clauses.length) {
      const columns = (
        await this.connection.run<{ name: string }>(
          `SELECT column_name AS name FROM information_schema.columns
           WHERE table_schema = DATABASE() AND table_name = ?`,
          [table],
        )
      ).rows.map((r) => r.name);
      for (const { name, clause } of clauses) {
        constraints[name] = {
          columns: columnsIn(clause, columns, { backslashEscapes: true }),
          primaryKey: false,
          unique: false,
          foreignKey: null,
          check: true,
          index: false,
        };
      }
    }
    const stats = await this.connection.run<{
      name: string;
      col: string | null;
      non_unique: number | string;
      type: string;
      ord: string | null;
    }>(
      `SELECT index_name AS name, column_name AS col, non_unique AS non_unique,
              index_type AS type, collation AS ord
       FROM information_schema.statistics
       WHERE table_schema = DATABASE() AND table_name = ?
       ORDER BY index_name, seq_in_index`,
      [table],
    );
    for (const r of stats.rows) {
      const info = (constraints[r.name] ??= {
        columns: [],
        primaryKey: false,
        unique: Number(r.non_unique) === 0,
        foreignKey: null,
        check: false,
        index: true,
      });
      info.index = true;
      info.type = r.type === 'BTREE' ? 'idx' : r.type.toLowerCase();
      if (r.col !== null && !info.columns.includes(r.col)) info.columns.push(r.col);
      (info.orders ??= []).push(r.ord === 'D' ? 'DESC' : 'ASC');
    }
    return constraints;
  }

  override async getRelations(
    table: string,
  ): Promise<Record<string, [table: string, column: string]>> {
    const { rows } = await this.connection.run<{
      col: string;
      ref_table: string;
      ref_column: string;
    }>(
      `SELECT column_name AS col, referenced_table_name AS ref_table,
              referenced_column_name AS ref_column
       FROM information_schema.key_column_usage
       WHERE table_schema = DATABASE() AND table_name = ?
         AND referenced_table_schema = DATABASE() AND referenced_table_name IS NOT NULL`,
      [table],
    );
    return Object.fromEntries(rows.map((r) => [r.col, [r.ref_table, r.ref_column]]));
  }
}
