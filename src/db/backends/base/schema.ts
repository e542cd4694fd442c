/**
 * The schema editor: DDL for tables, columns, indexes and constraints (the
 * role of Django's `BaseDatabaseSchemaEditor`). Backend differences are data
 * first (the column type map and the statement templates below), code
 * second: each backend's `schema.ts` overrides only what differs.
 *
 * Identifiers are always quoted with `connection.ops.quoteName`. DDL cannot
 * bind parameters, so the one place a value becomes SQL text is
 * {@link BaseDatabaseSchemaEditor.quoteValue}, used for column defaults.
 * Statements that move data (`UPDATE … WHERE col IS NULL`) bind their values.
 */
import { getLogger } from '../../../utils/log.js';
import { DatabaseNotSupportedError, DataError, ProgrammingError } from '../../errors.js';
import { DdlStatement, renderTemplate } from './ddl-references.js';
import type { ConstraintInfo } from './introspection.js';
import { createIndexName } from './schema-names.js';
import type { BaseDatabaseWrapper } from './wrapper.js';

const logger = getLogger('reinhardt.db.backends.schema');

/**
 * Django's field internal types: what a column holds, independently of the
 * database. Each backend maps them to a column type in
 * {@link BaseDatabaseSchemaEditor.dataTypes}.
 */
export type InternalType =
  | 'AutoField'
  | 'BigAutoField'
  | 'SmallAutoField'
  | 'CharField'
  | 'SlugField'
  | 'TextField'
  | 'IntegerField'
  | 'BigIntegerField'
  | 'SmallIntegerField'
  | 'PositiveIntegerField'
  | 'PositiveBigIntegerField'
  | 'PositiveSmallIntegerField'
  | 'FloatField'
  | 'DecimalField'
  | 'BooleanField'
  | 'DateField'
  | 'DateTimeField'
  | 'TimeField'
  | 'DurationField'
  | 'UUIDField'
  | 'JSONField'
  | 'BinaryField'
  | 'GenericIPAddressField';

/**
 * Every {@link InternalType}, in declaration order.
 *
 * @example
 * ```ts
 * INTERNAL_TYPES.includes('JSONField'); // true
 * ```
 */
export const INTERNAL_TYPES: readonly InternalType[] = [
  'AutoField',
  'BigAutoField',
  'SmallAutoField',
  'CharField',
  'SlugField',
  'TextField',
  'IntegerField',
  'BigIntegerField',
  'SmallIntegerField',
  'PositiveIntegerField',
  'PositiveBigIntegerField',
  'PositiveSmallIntegerField',
  'FloatField',
  'DecimalField',
  'BooleanField',
  'DateField',
  'DateTimeField',
  'TimeField',
  'DurationField',
  'UUIDField',
  'JSONField',
  'BinaryField',
  'GenericIPAddressField',
];

const AUTO_TYPES: ReadonlySet<InternalType> = new Set([
  'AutoField',
  'BigAutoField',
  'SmallAutoField',
]);

/**
 * True for the auto-incrementing primary-key types.
 *
 * @example
 * ```ts
 * isAutoType('BigAutoField'); // true
 * ```
 */
export function isAutoType(type: InternalType): boolean {
  return AUTO_TYPES.has(type);
}

/**
 * A foreign key: the referenced table and column.
 *
 * @example
 * ```ts
 * const ref: ColumnReference = { table: 'library_author', column: 'id' };
 * ```
 */
export interface ColumnReference {
  table: string;
  column: string;
}

/**
 * One column, described independently of the database.
 *
 * @example
 * ```ts
 * const title: ColumnDef = { name: 'title', type: 'CharField', maxLength: 200, dbIndex: true };
 * const author: ColumnDef = {
 *   name: 'author_id', type: 'BigIntegerField', references: { table: 'library_author', column: 'id' },
 * };
 * ```
 */
export interface ColumnDef {
  name: string;
  type: InternalType;
  /** Length of `CharField`/`SlugField` (required there). */
  maxLength?: number;
  /** Precision of `DecimalField`. */
  maxDigits?: number;
  /** Scale of `DecimalField`. */
  decimalPlaces?: number;
  /** Whether NULL is allowed (default false, as in Django). */
  null?: boolean;
  /** The primary key. Auto types are always primary keys. */
  primaryKey?: boolean;
  /** A single-column UNIQUE constraint. */
  unique?: boolean;
  /** An index on this column. */
  dbIndex?: boolean;
  /**
   * A one-off value: fills existing rows when the column is added (or made
   * NOT NULL), and is not kept as a database default afterwards (Django's
   * "effective default").
   */
  default?: unknown;
  /** A foreign key; the constraint name is generated (Django's pattern). */
  references?: ColumnReference;
  /** A collation for the column. */
  dbCollation?: string;
}

/**
 * An index. A column written `'-name'` is in descending order.
 *
 * @example
 * ```ts
 * const idx: IndexDef = { name: 'book_recent_idx', columns: ['-published'], condition: '"published" IS NOT NULL' };
 * ```
 */
export interface IndexDef {
  name: string;
  columns: string[];
  unique?: boolean;
  /** SQL condition of a partial index; skipped (with a warning) where partial indexes are unsupported. */
  condition?: string;
  /** Build without blocking writes (PostgreSQL's `CONCURRENTLY`; outside a transaction only). */
  concurrently?: boolean;
}

/**
 * A table constraint.
 *
 * @example
 * ```ts
 * const c1: ConstraintDef = { kind: 'unique', name: 'book_isbn_uniq', columns: ['isbn'] };
 * const c2: ConstraintDef = { kind: 'check', name: 'book_price_gte_0', check: '"price" >= 0' };
 * ```
 */
export type ConstraintDef =
  | {
      kind: 'unique';
      name: string;
      columns: string[];
      /** A condition makes it a partial unique index (where supported). */
      condition?: string;
    }
  | { kind: 'check'; name: string; check: string };

/**
 * A whole table, as `createTable` takes it.
 *
 * @example
 * ```ts
 * const book: TableDef = {
 *   name: 'library_book',
 *   columns: [
 *     { name: 'id', type: 'BigAutoField', primaryKey: true },
 *     { name: 'title', type: 'CharField', maxLength: 200 },
 *   ],
 *   constraints: [{ kind: 'check', name: 'title_not_empty', check: `"title" <> ''` }],
 * };
 * ```
 */
export interface TableDef {
  name: string;
  columns: ColumnDef[];
  indexes?: IndexDef[];
  constraints?: ConstraintDef[];
}

/**
 * Options of `connection.schemaEditor()`.
 *
 * @example
 * ```ts
 * const sql = await connection.schemaEditor(
 *   async (editor) => {
 *     await editor.createTable(book);
 *     return editor.collectedSql;
 *   },
 *   { collectSql: true },
 * );
 * ```
 */
export interface SchemaEditorOptions {
  /** Run every statement in one transaction (default: where DDL is transactional). */
  atomic?: boolean;
  /** Collect the SQL instead of running it (for `sqlmigrate`). */
  collectSql?: boolean;
}

/**
 * Options of {@link BaseDatabaseSchemaEditor.columnSql}.
 *
 * @example
 * ```ts
 * editor.columnSql({ name: 'pages', type: 'IntegerField', default: 0 }, { includeDefault: true });
 * // 'integer DEFAULT 0 NOT NULL'
 * ```
 */
export interface ColumnSqlOptions {
  /** Include `DEFAULT <effective default>` (used when adding a column). */
  includeDefault?: boolean;
}

/**
 * @example
 * ```ts
 * await connection.schemaEditor(async (editor) => {
 *   await editor.createTable({
 *     name: 'library_book',
 *     columns: [
 *       { name: 'id', type: 'BigAutoField', primaryKey: true },
 *       { name: 'title', type: 'CharField', maxLength: 200, dbIndex: true },
 *     ],
 *   });
 *   await editor.addColumn('library_book', { name: 'pages', type: 'IntegerField', default: 0 });
 * });
 * ```
 */
export abstract class BaseDatabaseSchemaEditor {
  // ------------------------------------------------------------------ data

  /**
   * Column type of each internal type (Django's `data_types`), with
   * `%(maxLength)s`, `%(maxDigits)s` and `%(decimalPlaces)s` placeholders.
   */
  abstract readonly dataTypes: Readonly<Record<InternalType, string>>;
  /** Text after the rest of the column definition (Django's `data_types_suffix`): auto-increment. */
  readonly dataTypesSuffix: Readonly<Partial<Record<InternalType, string>>> = {};
  /** A CHECK per type (Django's `data_type_check_constraints`); `%(column)s` is the quoted column. */
  readonly dataTypeCheckConstraints: Readonly<Partial<Record<InternalType, string>>> = {
    PositiveBigIntegerField: '%(column)s >= 0',
    PositiveIntegerField: '%(column)s >= 0',
    PositiveSmallIntegerField: '%(column)s >= 0',
  };

  readonly sqlCreateTable: string = 'CREATE TABLE %(table)s (%(definition)s)';
  readonly sqlRenameTable: string = 'ALTER TABLE %(oldTable)s RENAME TO %(newTable)s';
  readonly sqlDeleteTable: string = 'DROP TABLE%(ifExists)s %(table)s CASCADE';

  readonly sqlCreateColumn: string = 'ALTER TABLE %(table)s ADD COLUMN %(column)s %(definition)s';
  readonly sqlAlterColumn: string = 'ALTER TABLE %(table)s %(changes)s';
  readonly sqlAlterColumnType: string = 'ALTER COLUMN %(column)s TYPE %(type)s%(collation)s';
  readonly sqlAlterColumnNull: string = 'ALTER COLUMN %(column)s DROP NOT NULL';
  readonly sqlAlterColumnNotNull: string = 'ALTER COLUMN %(column)s SET NOT NULL';
  readonly sqlAlterColumnNoDefault: string = 'ALTER COLUMN %(column)s DROP DEFAULT';
  readonly sqlDeleteColumn: string = 'ALTER TABLE %(table)s DROP COLUMN %(column)s CASCADE';
  readonly sqlRenameColumn: string =
    'ALTER TABLE %(table)s RENAME COLUMN %(oldColumn)s TO %(newColumn)s';
  /** Fills NULLs before a column becomes NOT NULL; `%(default)s` is a bound placeholder. */
  readonly sqlUpdateWithDefault: string =
    'UPDATE %(table)s SET %(column)s = %(default)s WHERE %(column)s IS NULL';

  readonly sqlCollate: string = ' COLLATE %(collation)s';
  readonly sqlUniqueConstraint: string = 'UNIQUE (%(columns)s)';
  readonly sqlCheckConstraint: string = 'CHECK (%(check)s)';
  readonly sqlConstraint: string = 'CONSTRAINT %(name)s %(constraint)s';
  readonly sqlDeleteConstraint: string = 'ALTER TABLE %(table)s DROP CONSTRAINT %(name)s';

  readonly sqlCreateCheck: string =
    'ALTER TABLE %(table)s ADD CONSTRAINT %(name)s CHECK (%(check)s)';
  readonly sqlDeleteCheck: string = 'ALTER TABLE %(table)s DROP CONSTRAINT %(name)s';
  readonly sqlCreateUnique: string =
    'ALTER TABLE %(table)s ADD CONSTRAINT %(name)s UNIQUE (%(columns)s)';
  readonly sqlDeleteUnique: string = 'ALTER TABLE %(table)s DROP CONSTRAINT %(name)s';

  readonly sqlCreateFk: string =
    'ALTER TABLE %(table)s ADD CONSTRAINT %(name)s FOREIGN KEY (%(column)s) ' +
    'REFERENCES %(toTable)s (%(toColumn)s)%(deferrable)s';
  /** A foreign key written inside CREATE TABLE; `null` where they are added afterwards. */
  readonly sqlCreateInlineFk: string | null = null;
  readonly sqlDeleteFk: string = 'ALTER TABLE %(table)s DROP CONSTRAINT %(name)s';
  /** Appended to foreign keys where checks can wait for the commit (Django's `deferrable_sql()`). */
  readonly deferrableSql: string = '';

  readonly sqlCreateIndex: string = 'CREATE INDEX %(name)s ON %(table)s (%(columns)s)%(condition)s';
  readonly sqlCreateUniqueIndex: string =
    'CREATE UNIQUE INDEX %(name)s ON %(table)s (%(columns)s)%(condition)s';
  readonly sqlRenameIndex: string = 'ALTER INDEX %(oldName)s RENAME TO %(newName)s';
  readonly sqlDeleteIndex: string = 'DROP INDEX %(name)s';
  readonly sqlDeletePk: string = 'ALTER TABLE %(table)s DROP CONSTRAINT %(name)s';

  /** When true, the column-type statement also sets NULL / NOT NULL (MySQL's MODIFY). */
  protected readonly alterTypeSetsNull: boolean = false;

  // ----------------------------------------------------------------- state

  /** Statements collected when `collectSql` is on. */
  readonly collectedSql: string[] = [];
  /** Statements to run once the main ones are done (foreign keys, indexes). */
  protected readonly deferredSql: DdlStatement[] = [];

  constructor(
    readonly connection: BaseDatabaseWrapper,
    readonly options: SchemaEditorOptions = {},
  ) {}

  // -------------------------------------------------------------- execution

  /** Runs (or collects) one statement; `params` use the backend's native placeholders. */
  async execute(sql: string | DdlStatement, params: readonly unknown[] = []): Promise<void> {
    const text = typeof sql === 'string' ? sql : this.render(sql);
    if (this.options.collectSql) {
      this.collectedSql.push(
        params.length ? `${text} -- params: ${JSON.stringify(params)}` : `${text};`,
      );
      return;
    }
    await this.connection.run(text, params);
  }

  /** Runs the deferred statements; called at the end of `schemaEditor()`. */
  async runDeferred(): Promise<void> {
    const pending = this.deferredSql.splice(0);
    for (const stmt of pending) await this.execute(stmt);
  }

  /** The deferred statements as SQL, in order (for inspection and tests). */
  deferredStatements(): string[] {
    return this.deferredSql.map((s) => this.render(s));
  }

  protected render(stmt: DdlStatement): string {
    return stmt.render((n) => this.quoteName(n));
  }

  // ---------------------------------------------------------------- quoting

  /** Quotes an identifier (table, column, index or constraint name). */
  quoteName(name: string): string {
    return this.connection.ops.quoteName(name);
  }

  /**
   * A value as an SQL literal, for the places DDL cannot bind parameters
   * (column defaults). Strings, numbers, bigints, booleans, null, Dates and
   * byte arrays are accepted; anything else throws.
   *
   * @example
   * ```ts
   * editor.quoteValue("it's"); // 'it''s'
   * editor.quoteValue(null);   // NULL
   * ```
   */
  quoteValue(value: unknown): string {
    if (value === null) return 'NULL';
    switch (typeof value) {
      case 'string':
        return this.quoteString(value);
      case 'number':
        if (!Number.isFinite(value)) {
          throw new DataError(`Cannot write ${String(value)} as an SQL literal.`);
        }
        return String(value);
      case 'bigint':
        return value.toString();
      case 'boolean':
        return this.quoteBoolean(value);
      default:
        break;
    }
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw new DataError('Cannot write an invalid Date.');
      return this.quoteDate(value);
    }
    if (value instanceof Uint8Array) return this.quoteBytes(Buffer.from(value));
    const kind = value === undefined ? 'undefined' : (value.constructor?.name ?? typeof value);
    throw new DataError(`Cannot write a value of type ${kind} as an SQL literal.`);
  }

  /** A string literal: quotes doubled. NUL is refused (override to escape it). */
  protected quoteString(value: string): string {
    if (value.includes('\0')) {
      throw new DataError('A string literal cannot contain NUL (0x00) characters.');
    }
    return `'${value.replace(/'/g, "''")}'`;
  }

  protected quoteBoolean(value: boolean): string {
    return value ? 'TRUE' : 'FALSE';
  }

  /** A Date, in UTC, as an ISO 8601 string literal. */
  protected quoteDate(value: Date): string {
    return `'${value.toISOString()}'`;
  }

  protected quoteBytes(value: Buffer): string {
    return `X'${value.toString('hex')}'`;
  }

  // ------------------------------------------------------------- columns

  /**
   * The column type of `col` from {@link dataTypes}, e.g. `varchar(200)`.
   *
   * @example
   * ```ts
   * editor.dbType({ name: 'price', type: 'DecimalField', maxDigits: 8, decimalPlaces: 2 }); // numeric(8, 2)
   * ```
   */
  dbType(col: ColumnDef): string {
    const template = this.dataTypes[col.type];
    if (template === undefined) {
      throw new ProgrammingError(`Column '${col.name}' has an unknown type '${String(col.type)}'.`);
    }
    const values: Record<string, string> = {};
    for (const key of ['maxLength', 'maxDigits', 'decimalPlaces'] as const) {
      if (!template.includes(`%(${key})s`)) continue;
      const v = col[key];
      if (v === undefined || !Number.isSafeInteger(v) || v < 0) {
        throw new ProgrammingError(
          `Column '${col.name}' (${col.type}) needs ${key} as a non-negative integer.`,
        );
      }
      values[key] = String(v);
    }
    return renderTemplate(template, values);
  }

  /** The CHECK expression that comes with the column's type (positive integers, JSON), or null. */
  checkSql(col: ColumnDef): string | null {
    const template = this.dataTypeCheckConstraints[col.type];
    return template ? renderTemplate(template, { column: this.quoteName(col.name) }) : null;
  }

  /** The value used to fill existing rows, prepared for the column type; undefined when none. */
  protected effectiveDefault(col: ColumnDef): unknown {
    const value = col.default;
    if (value === undefined || value === null) return undefined;
    switch (col.type) {
      case 'JSONField':
        return JSON.stringify(value);
      case 'UUIDField':
        return typeof value === 'string' && !this.connection.features.hasNativeUuidField
          ? value.replace(/-/g, '').toLowerCase()
          : value;
      case 'DateField':
        return value instanceof Date ? value.toISOString().slice(0, 10) : value;
      default:
        return value;
    }
  }

  /** `DEFAULT` expression for a literal (MySQL wraps some types in parentheses). */
  protected columnDefaultSql(_col: ColumnDef, literal: string): string {
    return literal;
  }

  protected isPrimaryKey(col: ColumnDef): boolean {
    return !!col.primaryKey || isAutoType(col.type);
  }

  protected isNullable(col: ColumnDef): boolean {
    return !!col.null && !this.isPrimaryKey(col);
  }

  /** Whether `col` gets its own index (Django's `_field_should_be_indexed`). */
  protected shouldIndexColumn(col: ColumnDef): boolean {
    return !!col.dbIndex && !col.unique && !this.isPrimaryKey(col);
  }

  protected collateSql(collation: string | undefined): string {
    return collation
      ? renderTemplate(this.sqlCollate, { collation: this.quoteName(collation) })
      : '';
  }

  /**
   * The definition of a column after its name: type, collation, default,
   * NULL / NOT NULL, PRIMARY KEY or UNIQUE, the type's CHECK and the
   * auto-increment suffix (Django's `column_sql`). Foreign keys are not
   * included.
   *
   * @example
   * ```ts
   * editor.columnSql({ name: 'qty', type: 'PositiveIntegerField' });
   * // PostgreSQL: 'integer NOT NULL CHECK ("qty" >= 0)'
   * ```
   */
  columnSql(col: ColumnDef, options: ColumnSqlOptions = {}): string {
    const parts = [this.dbType(col) + this.collateSql(col.dbCollation)];
    if (options.includeDefault) {
      const value = this.effectiveDefault(col);
      if (value !== undefined) {
        parts.push(`DEFAULT ${this.columnDefaultSql(col, this.quoteValue(value))}`);
      }
    }
    parts.push(this.isNullable(col) ? 'NULL' : 'NOT NULL');
    if (this.isPrimaryKey(col)) parts.push('PRIMARY KEY');
    else if (col.unique) parts.push('UNIQUE');
    const check = this.checkSql(col);
    if (check) parts.push(renderTemplate(this.sqlCheckConstraint, { check }));
    const suffix = this.dataTypesSuffix[col.type];
    if (suffix) parts.push(suffix);
    return parts.join(' ');
  }

  // ---------------------------------------------------------------- names

  /** A generated index or constraint name (Django's `_create_index_name`). */
  createIndexName(table: string, columns: readonly string[], suffix = ''): string {
    return createIndexName(table, columns, suffix, this.connection.features.maxNameLength);
  }

  /** The generated name of a foreign key: `<table>_<column>_<hash8>_fk_<refTable>_<refColumn>`. */
  foreignKeyName(table: string, column: string, refTable: string, refColumn: string): string {
    return this.createIndexName(table, [column], `_fk_${refTable}_${refColumn}`);
  }

  // ------------------------------------------------------- statement builders

  protected createFkStatement(
    table: string,
    column: string,
    refTable: string,
    refColumn: string,
    template: string = this.sqlCreateFk,
  ): DdlStatement {
    return new DdlStatement(template, {
      table: { kind: 'table', table },
      name: { kind: 'name', name: this.foreignKeyName(table, column, refTable, refColumn) },
      column: { kind: 'columns', table, columns: [column] },
      toTable: { kind: 'table', table: refTable },
      toColumn: { kind: 'columns', table: refTable, columns: [refColumn] },
      deferrable: { kind: 'sql', sql: this.deferrableSql },
    });
  }

  /** CREATE [UNIQUE] INDEX for `idx`, or null when its condition is unsupported here. */
  protected createIndexStatement(table: string, idx: IndexDef): DdlStatement | null {
    if (idx.condition && !this.connection.features.supportsPartialIndexes) {
      logger.warn(
        `Index '${idx.name}' on '${table}' has a condition, which ${this.connection.displayName} ` +
          'does not support; it was not created.',
      );
      return null;
    }
    const columns = idx.columns.map((c) => (c.startsWith('-') ? c.slice(1) : c));
    const suffixes = idx.columns.map((c) => (c.startsWith('-') ? ' DESC' : ''));
    const template = idx.unique ? this.sqlCreateUniqueIndex : this.sqlCreateIndex;
    return new DdlStatement(
      idx.concurrently ? template.replace('INDEX ', 'INDEX CONCURRENTLY ') : template,
      {
        name: { kind: 'name', name: idx.name },
        table: { kind: 'table', table },
        columns: { kind: 'columns', table, columns, suffixes },
        condition: { kind: 'sql', sql: idx.condition ? ` WHERE ${idx.condition}` : '' },
      },
    );
  }

  /** `CONSTRAINT name UNIQUE (…)` / `CHECK (…)` inside CREATE TABLE, or null when it is created otherwise. */
  protected constraintSql(table: string, c: ConstraintDef): string | null {
    if (c.kind === 'check') {
      if (!this.connection.features.supportsCheckConstraints) return null;
      return renderTemplate(this.sqlConstraint, {
        name: this.quoteName(c.name),
        constraint: renderTemplate(this.sqlCheckConstraint, { check: c.check }),
      });
    }
    if (c.condition) {
      // A conditional unique constraint is a partial unique index.
      const stmt = this.createIndexStatement(table, { ...c, unique: true });
      if (stmt) this.deferredSql.push(stmt);
      return null;
    }
    return renderTemplate(this.sqlConstraint, {
      name: this.quoteName(c.name),
      constraint: renderTemplate(this.sqlUniqueConstraint, {
        columns: this.quoteColumns(c.columns),
      }),
    });
  }

  protected quoteColumns(columns: readonly string[]): string {
    return columns.map((c) => this.quoteName(c)).join(', ');
  }

  protected alterColumnSql(table: string, changes: string): string {
    return renderTemplate(this.sqlAlterColumn, { table: this.quoteName(table), changes });
  }

  /**
   * The statement that drops the constraint or index `name`, chosen from
   * what introspection says it is.
   */
  protected deleteConstraintSql(table: string, name: string, info: ConstraintInfo): string {
    let template: string;
    if (info.foreignKey) template = this.sqlDeleteFk;
    else if (info.check) template = this.sqlDeleteCheck;
    else if (info.primaryKey) template = this.sqlDeletePk;
    else if (info.index) template = this.sqlDeleteIndex;
    else template = this.sqlDeleteUnique;
    return renderTemplate(template, { table: this.quoteName(table), name: this.quoteName(name) });
  }

  // ---------------------------------------------------------------- tables

  /**
   * Creates a table with its columns, primary key, unique and check
   * constraints. Indexes, and foreign keys where they are not written
   * inline, are deferred to the end of the schema-editor session so tables
   * can reference each other in any order.
   */
  async createTable(def: TableDef): Promise<void> {
    const columns: string[] = [];
    const inlineFks: string[] = [];
    for (const col of def.columns) {
      columns.push(`${this.quoteName(col.name)} ${this.columnSql(col)}`);
      if (col.references) {
        const fk = this.createFkStatement(
          def.name,
          col.name,
          col.references.table,
          col.references.column,
          this.sqlCreateInlineFk ?? this.sqlCreateFk,
        );
        if (this.sqlCreateInlineFk) inlineFks.push(this.render(fk));
        else this.deferredSql.push(fk);
      }
      if (this.shouldIndexColumn(col)) {
        const stmt = this.createIndexStatement(def.name, {
          name: this.createIndexName(def.name, [col.name]),
          columns: [col.name],
        });
        if (stmt) this.deferredSql.push(stmt);
      }
    }
    const constraints: string[] = [];
    for (const c of def.constraints ?? []) {
      const sql = this.constraintSql(def.name, c);
      if (sql) constraints.push(sql);
    }
    for (const idx of def.indexes ?? []) {
      const stmt = this.createIndexStatement(def.name, idx);
      if (stmt) this.deferredSql.push(stmt);
    }
    await this.execute(
      renderTemplate(this.sqlCreateTable, {
        table: this.quoteName(def.name),
        definition: [...columns, ...constraints, ...inlineFks].join(', '),
      }),
    );
  }

  /**
   * Drops a table (Django's `delete_model`), with CASCADE where the database
   * has it. Deferred statements about the table are forgotten.
   */
  async dropTable(name: string, options: { ifExists?: boolean } = {}): Promise<void> {
    await this.execute(
      renderTemplate(this.sqlDeleteTable, {
        table: this.quoteName(name),
        ifExists: options.ifExists ? ' IF EXISTS' : '',
      }),
    );
    this.forgetDeferred((s) => s.referencesTable(name));
  }

  /** Renames a table; deferred statements follow the new name. */
  async renameTable(oldName: string, newName: string): Promise<void> {
    if (oldName === newName) return;
    await this.execute(
      renderTemplate(this.sqlRenameTable, {
        oldTable: this.quoteName(oldName),
        newTable: this.quoteName(newName),
      }),
    );
    for (const s of this.deferredSql) s.renameTableReferences(oldName, newName);
  }

  protected forgetDeferred(predicate: (s: DdlStatement) => boolean): void {
    for (let i = this.deferredSql.length - 1; i >= 0; i--) {
      if (predicate(this.deferredSql[i]!)) this.deferredSql.splice(i, 1);
    }
  }

  // --------------------------------------------------------------- columns

  /**
   * Adds a column. Existing rows get `col.default`; the database default is
   * then dropped, so the default is a one-off as in Django. Its foreign key
   * and index are deferred.
   */
  async addColumn(table: string, col: ColumnDef): Promise<void> {
    await this.execute(
      renderTemplate(this.sqlCreateColumn, {
        table: this.quoteName(table),
        column: this.quoteName(col.name),
        definition: this.columnSql(col, { includeDefault: true }),
      }),
    );
    if (this.effectiveDefault(col) !== undefined) {
      await this.execute(
        this.alterColumnSql(
          table,
          renderTemplate(this.sqlAlterColumnNoDefault, { column: this.quoteName(col.name) }),
        ),
      );
    }
    this.deferColumnExtras(table, col);
  }

  /** Defers the foreign key and the index of a new column. */
  protected deferColumnExtras(table: string, col: ColumnDef): void {
    if (col.references) {
      this.deferredSql.push(
        this.createFkStatement(table, col.name, col.references.table, col.references.column),
      );
    }
    if (this.shouldIndexColumn(col)) {
      const stmt = this.createIndexStatement(table, {
        name: this.createIndexName(table, [col.name]),
        columns: [col.name],
      });
      if (stmt) this.deferredSql.push(stmt);
    }
  }

  /** Drops a column, its foreign keys first (MySQL requires it). */
  async removeColumn(table: string, name: string): Promise<void> {
    const constraints = await this.connection.introspection.getConstraints(table);
    for (const [cname, info] of Object.entries(constraints)) {
      if (info.foreignKey && info.columns.includes(name)) {
        await this.execute(this.deleteConstraintSql(table, cname, info));
      }
    }
    await this.execute(
      renderTemplate(this.sqlDeleteColumn, {
        table: this.quoteName(table),
        column: this.quoteName(name),
      }),
    );
    this.forgetDeferred((s) => s.referencesColumn(table, name));
  }

  /** Renames a column; deferred statements follow the new name. */
  async renameColumn(table: string, oldName: string, newName: string): Promise<void> {
    if (oldName === newName) return;
    await this.execute(
      renderTemplate(this.sqlRenameColumn, {
        table: this.quoteName(table),
        oldColumn: this.quoteName(oldName),
        newColumn: this.quoteName(newName),
      }),
    );
    for (const s of this.deferredSql) s.renameColumnReferences(table, oldName, newName);
  }

  /**
   * Changes a column from `oldCol` to `newCol`: name, type, NULL / NOT NULL
   * (filling NULLs with `newCol.default` first), unique, index, the type's
   * CHECK and the foreign key (Django's `_alter_field`). Existing constraint
   * names are found by introspection. Changing the primary key is not
   * supported.
   */
  async alterColumn(table: string, oldCol: ColumnDef, newCol: ColumnDef): Promise<void> {
    this.checkPrimaryKeyUnchanged(table, oldCol, newCol);
    if (oldCol.name !== newCol.name) await this.renameColumn(table, oldCol.name, newCol.name);
    const column = newCol.name;
    const qcolumn = this.quoteName(column);
    const typeChanged = this.columnTypeChanged(oldCol, newCol);
    const refChanged = !sameReference(oldCol.references, newCol.references);
    const oldCheck = this.checkSql({ ...oldCol, name: column });
    const newCheck = this.checkSql(newCol);
    let cached: Record<string, ConstraintInfo> | undefined;
    const constraints = async (): Promise<[string, ConstraintInfo][]> =>
      Object.entries((cached ??= await this.connection.introspection.getConstraints(table)));
    const onColumn = (info: ConstraintInfo): boolean =>
      info.columns.length === 1 && info.columns[0] === column;

    // 1. Drop what stands in the way: foreign key, unique, index, the type's check.
    const dropFk = !!oldCol.references && (refChanged || typeChanged);
    if (dropFk) {
      for (const [name, info] of await constraints()) {
        if (info.foreignKey && onColumn(info)) {
          await this.execute(this.deleteConstraintSql(table, name, info));
        }
      }
    }
    if (oldCol.unique && !newCol.unique && !this.isPrimaryKey(oldCol)) {
      for (const [name, info] of await constraints()) {
        if (info.unique && !info.primaryKey && onColumn(info)) {
          await this.execute(this.deleteConstraintSql(table, name, info));
        }
      }
    }
    if (this.shouldIndexColumn(oldCol) && !this.shouldIndexColumn(newCol)) {
      for (const [name, info] of await constraints()) {
        const plain = info.index && !info.unique && !info.primaryKey && !info.foreignKey;
        if (plain && onColumn(info) && (info.type ?? 'idx') === 'idx') {
          await this.execute(this.deleteConstraintSql(table, name, info));
        }
      }
    }
    const checkFollowsType = typeChanged && this.typeCheckFollowsColumnType;
    if (oldCheck && oldCheck !== newCheck && !checkFollowsType) {
      for (const [name, info] of await constraints()) {
        if (info.check && onColumn(info) && this.isTypeCheckName(name, column)) {
          await this.execute(this.deleteConstraintSql(table, name, info));
        }
      }
    }

    // 2. Fill NULLs before the column refuses them.
    const becomesNotNull = this.isNullable(oldCol) && !this.isNullable(newCol);
    const fill = this.effectiveDefault(newCol);
    if (becomesNotNull && fill !== undefined) {
      await this.execute(
        renderTemplate(this.sqlUpdateWithDefault, {
          table: this.quoteName(table),
          column: qcolumn,
          default: this.connection.ops.placeholder(1),
        }),
        [fill],
      );
    }

    // 3. Type, then nullability.
    if (typeChanged) {
      for (const [sql, params] of this.alterColumnTypeSql(table, oldCol, newCol)) {
        await this.execute(sql, params);
      }
    }
    if (
      this.isNullable(oldCol) !== this.isNullable(newCol) &&
      !(typeChanged && this.alterTypeSetsNull)
    ) {
      const template = this.isNullable(newCol)
        ? this.sqlAlterColumnNull
        : this.sqlAlterColumnNotNull;
      await this.execute(
        this.alterColumnSql(
          table,
          renderTemplate(template, {
            column: qcolumn,
            type: this.modifyTypeSql(newCol),
            check: this.modifyCheckSql(newCol),
          }),
        ),
      );
    }

    // 4. Add what is new.
    if (!oldCol.unique && newCol.unique && !this.isPrimaryKey(newCol)) {
      await this.execute(
        renderTemplate(this.sqlCreateUnique, {
          table: this.quoteName(table),
          name: this.quoteName(this.createIndexName(table, [column], '_uniq')),
          columns: qcolumn,
        }),
      );
    }
    if (!this.shouldIndexColumn(oldCol) && this.shouldIndexColumn(newCol)) {
      const stmt = this.createIndexStatement(table, {
        name: this.createIndexName(table, [column]),
        columns: [column],
      });
      if (stmt) await this.execute(stmt);
    }
    if (
      newCheck &&
      newCheck !== oldCheck &&
      !checkFollowsType &&
      this.connection.features.supportsCheckConstraints
    ) {
      await this.execute(
        renderTemplate(this.sqlCreateCheck, {
          table: this.quoteName(table),
          name: this.quoteName(this.createIndexName(table, [column], '_check')),
          check: newCheck,
        }),
      );
    }
    if (newCol.references && (refChanged || dropFk)) {
      await this.execute(
        this.createFkStatement(table, column, newCol.references.table, newCol.references.column),
      );
    }
  }

  /**
   * Whether a check constraint on `column` alone is the one that came with
   * its type (so it goes when the type changes), judged by its name: the
   * names the databases give an unnamed column check (`<table>_<col>_check`
   * on PostgreSQL, the column's name on MariaDB, `<table>_chk_<n>` on MySQL)
   * and the `…_check` names generated here. A table check with another name
   * is kept.
   */
  protected isTypeCheckName(name: string, column: string): boolean {
    return /_check\d*$/.test(name) || /_chk_\d+$/.test(name) || name === column;
  }

  protected checkPrimaryKeyUnchanged(table: string, oldCol: ColumnDef, newCol: ColumnDef): void {
    if (this.isPrimaryKey(oldCol) !== this.isPrimaryKey(newCol)) {
      throw new DatabaseNotSupportedError(
        `alterColumn cannot add or remove the primary key of '${table}' ('${oldCol.name}').`,
      );
    }
  }

  /** Whether the stored type changes (type, collation, auto-increment). */
  protected columnTypeChanged(oldCol: ColumnDef, newCol: ColumnDef): boolean {
    return (
      this.dbType(oldCol) !== this.dbType(newCol) ||
      (oldCol.dbCollation ?? null) !== (newCol.dbCollation ?? null) ||
      isAutoType(oldCol.type) !== isAutoType(newCol.type)
    );
  }

  /**
   * True where restating a column's type also restates the CHECK that comes
   * with it (MariaDB's `MODIFY`, whose column checks belong to the column);
   * the check is then neither dropped nor added separately.
   */
  protected get typeCheckFollowsColumnType(): boolean {
    return false;
  }

  /** ` CHECK (…)` restated by the column-type templates where {@link typeCheckFollowsColumnType}. */
  protected modifyCheckSql(_col: ColumnDef): string {
    return '';
  }

  /** The type as the column-type templates take it (MySQL adds NULL / NOT NULL). */
  protected modifyTypeSql(col: ColumnDef): string {
    return this.dbType(col);
  }

  /** Statements (with bound parameters) that change the column's type. */
  protected alterColumnTypeSql(
    table: string,
    _oldCol: ColumnDef,
    newCol: ColumnDef,
  ): Array<[string, unknown[]]> {
    const changes = renderTemplate(this.sqlAlterColumnType, {
      column: this.quoteName(newCol.name),
      type: this.modifyTypeSql(newCol),
      collation: this.collateSql(newCol.dbCollation),
    });
    return [[this.alterColumnSql(table, changes), []]];
  }

  // ------------------------------------------------------------- indexes

  /** Creates an index now (skipped, with a warning, when its condition is unsupported). */
  async addIndex(table: string, idx: IndexDef): Promise<void> {
    const stmt = this.createIndexStatement(table, idx);
    if (stmt) await this.execute(stmt);
  }

  /** Drops an index. Given the definition, an index that could not be created is skipped. */
  async removeIndex(table: string, index: string | IndexDef): Promise<void> {
    if (typeof index !== 'string' && index.condition) {
      if (!this.connection.features.supportsPartialIndexes) return;
    }
    const name = typeof index === 'string' ? index : index.name;
    await this.execute(
      renderTemplate(this.sqlDeleteIndex, {
        table: this.quoteName(table),
        name: this.quoteName(name),
      }),
    );
  }

  /** Renames an index. */
  async renameIndex(table: string, oldName: string, newName: string): Promise<void> {
    if (oldName === newName) return;
    await this.execute(
      renderTemplate(this.sqlRenameIndex, {
        table: this.quoteName(table),
        oldName: this.quoteName(oldName),
        newName: this.quoteName(newName),
      }),
    );
  }

  // ---------------------------------------------------------- constraints

  /** Adds a unique or check constraint (a conditional unique one is a partial unique index). */
  async addConstraint(table: string, c: ConstraintDef): Promise<void> {
    if (c.kind === 'check') {
      if (!this.connection.features.supportsCheckConstraints) return;
      await this.execute(
        renderTemplate(this.sqlCreateCheck, {
          table: this.quoteName(table),
          name: this.quoteName(c.name),
          check: c.check,
        }),
      );
      return;
    }
    if (c.condition) {
      await this.addIndex(table, { ...c, unique: true });
      return;
    }
    await this.execute(
      renderTemplate(this.sqlCreateUnique, {
        table: this.quoteName(table),
        name: this.quoteName(c.name),
        columns: this.quoteColumns(c.columns),
      }),
    );
  }

  /**
   * Drops a constraint. Given only its name, introspection tells what it is;
   * given its definition, nothing is read from the database.
   */
  async removeConstraint(table: string, constraint: string | ConstraintDef): Promise<void> {
    if (typeof constraint !== 'string') {
      if (constraint.kind === 'check') {
        if (!this.connection.features.supportsCheckConstraints) return;
        await this.execute(
          renderTemplate(this.sqlDeleteCheck, {
            table: this.quoteName(table),
            name: this.quoteName(constraint.name),
          }),
        );
      } else if (constraint.condition) {
        await this.removeIndex(table, { ...constraint, unique: true });
      } else {
        await this.execute(
          renderTemplate(this.sqlDeleteUnique, {
            table: this.quoteName(table),
            name: this.quoteName(constraint.name),
          }),
        );
      }
      return;
    }
    const info = (await this.connection.introspection.getConstraints(table))[constraint];
    if (!info) {
      throw new ProgrammingError(`Table '${table}' has no constraint named '${constraint}'.`);
    }
    await this.execute(this.deleteConstraintSql(table, constraint, info));
  }

  /**
   * Adds a foreign key from `table.column` to `refTable.refColumn`, now, and
   * returns the generated constraint name.
   */
  async addForeignKey(
    table: string,
    column: string,
    refTable: string,
    refColumn: string,
  ): Promise<string> {
    await this.execute(this.createFkStatement(table, column, refTable, refColumn));
    return this.foreignKeyName(table, column, refTable, refColumn);
  }
}

function sameReference(a: ColumnReference | undefined, b: ColumnReference | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.table === b.table && a.column === b.column;
}
