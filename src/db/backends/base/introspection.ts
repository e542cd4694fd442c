/**
 * Reading the live schema back: tables, columns, indexes and constraints
 * (the role of Django's `BaseDatabaseIntrospection`). The shapes follow
 * Django's: `getTableDescription` lists columns, `getConstraints` maps each
 * constraint or index name to what it is.
 */
import type { InternalType } from './schema.js';
import type { BaseDatabaseWrapper } from './wrapper.js';

/**
 * One column as the database reports it.
 *
 * @example
 * ```ts
 * const [id] = await connection.introspection.getTableDescription('library_book');
 * // { name: 'id', dataType: 'bigint', nullable: false, default: null, primaryKey: true, autoIncrement: true }
 * ```
 */
export interface ColumnDescription {
  name: string;
  /** The column type as the database spells it (`character varying(200)`, `varchar(200)`, `int(11)`). */
  dataType: string;
  nullable: boolean;
  /** The database default as an SQL expression, or null when there is none. */
  default: string | null;
  primaryKey: boolean;
  /** Declared length of character columns. */
  maxLength?: number;
  /** Precision and scale of decimal columns. */
  precision?: number;
  scale?: number;
  /** Collation, when not the database's default. */
  collation?: string | null;
  /** An identity / AUTO_INCREMENT / AUTOINCREMENT column. */
  autoIncrement?: boolean;
  /** A JSON column stored as text with a JSON_VALID check (SQLite, MariaDB). */
  isJson?: boolean;
}

/**
 * One constraint or index, in the shape of Django's `get_constraints()`.
 *
 * @example
 * ```ts
 * const constraints = await connection.introspection.getConstraints('library_book');
 * Object.values(constraints).some((c) => c.foreignKey?.[0] === 'library_author'); // true
 * ```
 */
export interface ConstraintInfo {
  columns: string[];
  primaryKey: boolean;
  unique: boolean;
  /** The referenced table and column of a foreign key. */
  foreignKey: [table: string, column: string] | null;
  check: boolean;
  /** An index (rather than a constraint only). */
  index: boolean;
  /** Column orders of an index. */
  orders?: ('ASC' | 'DESC')[];
  /** Index type: `'idx'` for an ordinary b-tree index (Django's `Index.suffix`), else the method. */
  type?: string;
}

/**
 * The base type name of a column type, lower-cased and without parenthesised
 * parameters: the key of `dataTypesReverse`.
 *
 * @example
 * ```ts
 * baseTypeName('bigint(20) unsigned'); // 'bigint unsigned'
 * baseTypeName('character varying(200)'); // 'character varying'
 * ```
 */
export function baseTypeName(dataType: string): string {
  return dataType
    .toLowerCase()
    .replace(/\([^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * @example
 * ```ts
 * const introspection = connection.introspection;
 * await introspection.tableNames();                      // ['library_author', 'library_book']
 * await introspection.getPrimaryKeyColumn('library_book'); // 'id'
 * await introspection.getRelations('library_book');        // { author_id: ['library_author', 'id'] }
 * ```
 */
export abstract class BaseDatabaseIntrospection {
  /**
   * Internal type of each base column type (Django's `data_types_reverse`),
   * keyed by {@link baseTypeName}.
   */
  abstract readonly dataTypesReverse: Readonly<Record<string, InternalType>>;

  /**
   * What each internal type reads back as, where introspection cannot tell
   * it apart (Django's `introspected_field_types`): e.g. `SlugField` comes
   * back as `CharField`.
   */
  readonly introspectedFieldTypes: Readonly<Partial<Record<InternalType, InternalType>>> = {
    SlugField: 'CharField',
  };

  constructor(readonly connection: BaseDatabaseWrapper) {}

  /** Names of the tables (not views) in the database, sorted. */
  abstract tableNames(): Promise<string[]>;

  /** The columns of `table`, in order; rejects with a ProgrammingError when the table is missing. */
  abstract getTableDescription(table: string): Promise<ColumnDescription[]>;

  /**
   * Every constraint and index of `table`, by name (empty for a missing
   * table, as in Django).
   */
  abstract getConstraints(table: string): Promise<Record<string, ConstraintInfo>>;

  /** Foreign keys of `table`: `{ column: [referencedTable, referencedColumn] }`. */
  abstract getRelations(table: string): Promise<Record<string, [table: string, column: string]>>;

  /** The columns of the primary key of `table`, or null when it has none. */
  async getPrimaryKeyColumns(table: string): Promise<string[] | null> {
    for (const info of Object.values(await this.getConstraints(table))) {
      if (info.primaryKey) return info.columns;
    }
    return null;
  }

  /** The (first) primary-key column of `table`, or null when it has none. */
  async getPrimaryKeyColumn(table: string): Promise<string | null> {
    return (await this.getPrimaryKeyColumns(table))?.[0] ?? null;
  }

  /**
   * The internal type a column reads back as (Django's `get_field_type`),
   * or null when the column type is unknown.
   */
  getFieldType(description: ColumnDescription): InternalType | null {
    const type = this.dataTypesReverse[baseTypeName(description.dataType)] ?? null;
    if (description.isJson) return 'JSONField';
    if (description.autoIncrement && type) {
      if (type === 'IntegerField') return 'AutoField';
      if (type === 'BigIntegerField') return 'BigAutoField';
      if (type === 'SmallIntegerField') return 'SmallAutoField';
    }
    return type;
  }

  /** True when `table` exists. */
  async tableExists(table: string): Promise<boolean> {
    return (await this.tableNames()).includes(table);
  }
}
