/**
 * DDL for MySQL and MariaDB: backtick quoting, `MODIFY` for column changes,
 * `DROP INDEX … ON`, `DROP FOREIGN KEY`, and defaults of text, blob and JSON
 * columns written as expressions.
 */
import { renderTemplate } from '../base/ddl-references.js';
import {
  BaseDatabaseSchemaEditor,
  isAutoType,
  type ColumnDef,
  type ConstraintDef,
  type IndexDef,
  type InternalType,
} from '../base/schema.js';

import type { MySQLFeatures } from './features.js';

/** Column types that cannot take a literal default or a plain index (Django's `_is_limited_data_type`). */
const LIMITED_TYPES = /blob|text|json/i;

/**
 * @example
 * ```ts
 * await connection.schemaEditor(async (editor) => {
 *   editor.dbType({ name: 'body', type: 'TextField' }); // 'longtext'
 * });
 * ```
 */
export class MySQLSchemaEditor extends BaseDatabaseSchemaEditor {
  override readonly dataTypes: Readonly<Record<InternalType, string>> = {
    AutoField: 'integer',
    BigAutoField: 'bigint',
    SmallAutoField: 'smallint',
    BinaryField: 'longblob',
    BooleanField: 'bool',
    CharField: 'varchar(%(maxLength)s)',
    SlugField: 'varchar(%(maxLength)s)',
    DateField: 'date',
    DateTimeField: 'datetime(6)',
    DecimalField: 'numeric(%(maxDigits)s, %(decimalPlaces)s)',
    DurationField: 'bigint',
    FloatField: 'double precision',
    IntegerField: 'integer',
    BigIntegerField: 'bigint',
    SmallIntegerField: 'smallint',
    PositiveIntegerField: 'integer UNSIGNED',
    PositiveBigIntegerField: 'bigint UNSIGNED',
    PositiveSmallIntegerField: 'smallint UNSIGNED',
    GenericIPAddressField: 'char(39)',
    JSONField: 'json',
    TextField: 'longtext',
    TimeField: 'time(6)',
    UUIDField: 'char(32)',
  };
  override readonly dataTypesSuffix: Readonly<Partial<Record<InternalType, string>>> = {
    AutoField: 'AUTO_INCREMENT',
    BigAutoField: 'AUTO_INCREMENT',
    SmallAutoField: 'AUTO_INCREMENT',
  };

  override readonly sqlRenameTable: string = 'RENAME TABLE %(oldTable)s TO %(newTable)s';
  override readonly sqlDeleteColumn: string = 'ALTER TABLE %(table)s DROP COLUMN %(column)s';
  override readonly sqlAlterColumnType: string = 'MODIFY %(column)s %(type)s';
  override readonly sqlAlterColumnNull: string = 'MODIFY %(column)s %(type)s NULL%(check)s';
  override readonly sqlAlterColumnNotNull: string = 'MODIFY %(column)s %(type)s NOT NULL%(check)s';
  override readonly sqlDeleteUnique: string = 'ALTER TABLE %(table)s DROP INDEX %(name)s';
  override readonly sqlDeleteFk: string = 'ALTER TABLE %(table)s DROP FOREIGN KEY %(name)s';
  override readonly sqlDeletePk: string = 'ALTER TABLE %(table)s DROP PRIMARY KEY';
  override readonly sqlDeleteIndex: string = 'DROP INDEX %(name)s ON %(table)s';
  override readonly sqlRenameIndex: string =
    'ALTER TABLE %(table)s RENAME INDEX %(oldName)s TO %(newName)s';
  protected override readonly alterTypeSetsNull: boolean = true;

  /** Quotes doubled, backslashes doubled, NUL as `\0` (MySQL's default string escapes). */
  protected override quoteString(value: string): string {
    const escaped = value.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\0/g, '\\0');
    return `'${escaped}'`;
  }

  protected override quoteBoolean(value: boolean): string {
    return value ? '1' : '0';
  }

  /** `'YYYY-MM-DD HH:MM:SS.ffffff'` in UTC, as the connection exchanges datetimes. */
  protected override quoteDate(value: Date): string {
    const iso = value.toISOString();
    return `'${iso.slice(0, 10)} ${iso.slice(11, 23)}000'`;
  }

  private isLimited(col: ColumnDef): boolean {
    return LIMITED_TYPES.test(this.dbType(col));
  }

  /** Text, blob and JSON columns take a default only as an expression. */
  protected override columnDefaultSql(col: ColumnDef, literal: string): string {
    return this.isLimited(col) ? `(${literal})` : literal;
  }

  /**
   * InnoDB indexes a foreign key itself, and text/blob columns cannot be
   * indexed without a prefix length, so neither gets an index of its own.
   */
  protected override shouldIndexColumn(col: ColumnDef): boolean {
    return super.shouldIndexColumn(col) && !col.references && !this.isLimited(col);
  }

  override async removeConstraint(
    table: string,
    constraint: string | ConstraintDef,
  ): Promise<void> {
    await this.keepForeignKeyIndex(
      table,
      typeof constraint === 'string' ? constraint : constraint.name,
    );
    await super.removeConstraint(table, constraint);
  }

  override async removeIndex(table: string, index: string | IndexDef): Promise<void> {
    await this.keepForeignKeyIndex(table, typeof index === 'string' ? index : index.name);
    await super.removeIndex(table, index);
  }

  /**
   * InnoDB drops its own index of a foreign key column once a composite
   * index starts with that column, then refuses to drop the composite one
   * ("needed in a foreign key constraint"): before dropping it, index the
   * column on its own again (Django's `_create_missing_fk_index`).
   */
  private async keepForeignKeyIndex(table: string, name: string): Promise<void> {
    if (this.options.collectSql) return;
    const all = await this.connection.introspection.getConstraints(table);
    const first = all[name]?.columns[0];
    if (!first || !(all[name]!.index || all[name]!.unique)) return;
    const isForeignKey = Object.values(all).some((c) => c.foreignKey && c.columns[0] === first);
    if (!isForeignKey) return;
    const covered = Object.entries(all).some(
      ([n, c]) =>
        n !== name &&
        (c.index || c.unique || c.primaryKey) &&
        c.columns[0] === first &&
        !c.foreignKey,
    );
    if (!covered)
      await this.addIndex(table, { name: this.createIndexName(table, [first]), columns: [first] });
  }

  /** `MODIFY` restates the whole type: collation and AUTO_INCREMENT included. */
  protected override modifyTypeSql(col: ColumnDef): string {
    const suffix = isAutoType(col.type) ? ` ${this.dataTypesSuffix[col.type] ?? ''}` : '';
    return `${this.dbType(col)}${this.collateSql(col.dbCollation)}${suffix}`;
  }

  /** MariaDB keeps a column's CHECK in the column definition, which MODIFY replaces. */
  protected override get typeCheckFollowsColumnType(): boolean {
    return (this.connection.features as MySQLFeatures).isMariaDB;
  }

  protected override modifyCheckSql(col: ColumnDef): string {
    const check = this.typeCheckFollowsColumnType ? this.checkSql(col) : null;
    return check ? ` ${renderTemplate(this.sqlCheckConstraint, { check })}` : '';
  }

  protected override alterColumnTypeSql(
    table: string,
    _oldCol: ColumnDef,
    newCol: ColumnDef,
  ): Array<[string, unknown[]]> {
    const nullSql = this.isNullable(newCol) ? 'NULL' : 'NOT NULL';
    const type = `${this.modifyTypeSql(newCol)} ${nullSql}${this.modifyCheckSql(newCol)}`;
    const changes = renderTemplate(this.sqlAlterColumnType, {
      column: this.quoteName(newCol.name),
      type,
    });
    return [[this.alterColumnSql(table, changes), []]];
  }
}
