/**
 * DDL for SQLite. `ALTER TABLE` here can add, rename and drop plain columns
 * only, so most changes rebuild the table (Django's `_remake_table`): the
 * new definition is derived from the stored `CREATE TABLE`, rows are copied
 * across, and indexes are recreated.
 *
 * Unlike Django, which switches foreign-key enforcement off for the whole
 * schema-editor session, the rebuild works with enforcement on, inside a
 * transaction: the old rows are parked in a holding table, the table is
 * dropped and created again under its own name, and the rows come back
 * (with `PRAGMA defer_foreign_keys`, references from other tables are checked
 * at commit, once the referenced rows are back). The table is never renamed,
 * so references to it in other tables, views and triggers are left alone.
 */
import { DatabaseNotSupportedError, ProgrammingError } from '../../errors.js';
import { tokenizeSql } from '../base/ddl-tokens.js';
import { renderTemplate } from '../base/ddl-references.js';
import {
  BaseDatabaseSchemaEditor,
  type ColumnDef,
  type ConstraintDef,
  type InternalType,
} from '../base/schema.js';
import {
  tableSqlConstraints,
  type InlineConstraint,
  type ParsedTableConstraint,
  type SQLiteIntrospection,
} from './introspection.js';
import { formatUtcDateTime } from './operations.js';

/** What a table rebuild changes. */
interface RebuildPlan {
  addColumn?: ColumnDef;
  /** `oldCol` already carries the new name. */
  alter?: { oldCol: ColumnDef; newCol: ColumnDef };
  removeColumn?: string;
  /** Table constraints to append, as SQL. */
  addItems?: string[];
  /** A constraint to drop, by the name introspection reports. */
  removeConstraint?: string;
  /** Value for NULLs of the added or altered column. */
  fill?: unknown;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** True when `sql` names `column` as an identifier (SQLite identifiers ignore ASCII case). */
function mentions(sql: string, column: string): boolean {
  return tokenizeSql(sql, { brackets: true }).some(
    (t) => (t.kind === 'ident' || t.kind === 'word') && same(t.value, column),
  );
}

/** True when the index statement `sql` names `column` (after `ON <table>`). */
function indexMentions(sql: string, column: string): boolean {
  const tokens = tokenizeSql(sql, { brackets: true });
  const on = tokens.findIndex((t) => t.kind === 'word' && same(t.value, 'ON'));
  return tokens
    .slice(on + 2)
    .some((t) => (t.kind === 'ident' || t.kind === 'word') && same(t.value, column));
}

/** `text` without the given inline constraints. */
function cut(text: string, remove: readonly InlineConstraint[]): string {
  let out = text;
  for (const c of [...remove].sort((a, b) => b.start - a.start)) {
    out = `${out.slice(0, c.start).trimEnd()} ${out.slice(c.end).trimStart()}`.trim();
  }
  return out;
}

/**
 * @example
 * ```ts
 * await connection.schemaEditor(async (editor) => {
 *   // SQLite cannot ALTER a column's type: the table is rebuilt, rows kept.
 *   await editor.alterColumn(
 *     'library_book',
 *     { name: 'pages', type: 'IntegerField' },
 *     { name: 'pages', type: 'BigIntegerField' },
 *   );
 * });
 * ```
 */
export class SQLiteSchemaEditor extends BaseDatabaseSchemaEditor {
  override readonly dataTypes: Readonly<Record<InternalType, string>> = {
    AutoField: 'integer',
    BigAutoField: 'integer',
    SmallAutoField: 'integer',
    BinaryField: 'BLOB',
    BooleanField: 'bool',
    CharField: 'varchar(%(maxLength)s)',
    SlugField: 'varchar(%(maxLength)s)',
    DateField: 'date',
    DateTimeField: 'datetime',
    DecimalField: 'decimal',
    DurationField: 'bigint',
    FloatField: 'real',
    IntegerField: 'integer',
    BigIntegerField: 'bigint',
    SmallIntegerField: 'smallint',
    PositiveIntegerField: 'integer unsigned',
    PositiveBigIntegerField: 'bigint unsigned',
    PositiveSmallIntegerField: 'smallint unsigned',
    GenericIPAddressField: 'char(39)',
    JSONField: 'text',
    TextField: 'text',
    TimeField: 'time',
    UUIDField: 'char(32)',
  };
  override readonly dataTypesSuffix: Readonly<Partial<Record<InternalType, string>>> = {
    AutoField: 'AUTOINCREMENT',
    BigAutoField: 'AUTOINCREMENT',
    SmallAutoField: 'AUTOINCREMENT',
  };
  override readonly dataTypeCheckConstraints: Readonly<Partial<Record<InternalType, string>>> = {
    PositiveBigIntegerField: '%(column)s >= 0',
    PositiveIntegerField: '%(column)s >= 0',
    PositiveSmallIntegerField: '%(column)s >= 0',
    JSONField: '(JSON_VALID(%(column)s) OR %(column)s IS NULL)',
  };
  override readonly sqlDeleteTable: string = 'DROP TABLE%(ifExists)s %(table)s';
  override readonly sqlDeleteColumn: string = 'ALTER TABLE %(table)s DROP COLUMN %(column)s';
  override readonly sqlCreateInlineFk: string =
    'CONSTRAINT %(name)s FOREIGN KEY (%(column)s) REFERENCES %(toTable)s (%(toColumn)s)%(deferrable)s';
  override readonly deferrableSql: string = ' DEFERRABLE INITIALLY DEFERRED';

  private get introspection(): SQLiteIntrospection {
    return this.connection.introspection as SQLiteIntrospection;
  }

  protected override quoteBoolean(value: boolean): string {
    return value ? '1' : '0';
  }

  /** Datetimes as Django stores them in SQLite: `YYYY-MM-DD HH:MM:SS.ffffff`, UTC. */
  protected override quoteDate(value: Date): string {
    return `'${formatUtcDateTime(value)}'`;
  }

  // --------------------------------------------------------------- columns

  override async addColumn(table: string, col: ColumnDef): Promise<void> {
    // ALTER TABLE ADD COLUMN takes neither UNIQUE nor a PRIMARY KEY, and the
    // one-off default could not be dropped afterwards.
    const fill = this.effectiveDefault(col);
    const plain =
      this.isNullable(col) &&
      fill === undefined &&
      !col.unique &&
      !this.isPrimaryKey(col) &&
      !col.references;
    if (plain) {
      await super.addColumn(table, col);
      return;
    }
    await this.rebuild(table, { addColumn: col, fill });
    this.deferColumnExtras(table, { ...col, references: undefined });
  }

  override async removeColumn(table: string, name: string): Promise<void> {
    const parsed = await this.introspection.parseTable(table);
    const item = parsed.items.find((i) => i.kind === 'column' && same(i.name, name));
    if (!item || item.kind !== 'column') {
      throw new ProgrammingError(`Table '${table}' has no column '${name}'.`);
    }
    const indexes = await this.tableIndexes(table);
    // DROP COLUMN refuses a column that is a key, unique, referenced by a
    // table constraint or an index; those go through a rebuild.
    const plain =
      item.constraints.every((c) => c.type === 'check') &&
      !parsed.items.some((i) => i !== item && mentions(i.text, name)) &&
      !indexes.some((ix) => indexMentions(ix.sql, name));
    if (plain) {
      await this.execute(
        renderTemplate(this.sqlDeleteColumn, {
          table: this.quoteName(table),
          column: this.quoteName(name),
        }),
      );
    } else {
      await this.rebuild(table, { removeColumn: name });
    }
    this.forgetDeferred((s) => s.referencesColumn(table, name));
  }

  override async alterColumn(table: string, oldCol: ColumnDef, newCol: ColumnDef): Promise<void> {
    this.checkPrimaryKeyUnchanged(table, oldCol, newCol);
    if (oldCol.name !== newCol.name) await this.renameColumn(table, oldCol.name, newCol.name);
    const renamed = { ...oldCol, name: newCol.name };
    const definitionChanged =
      this.columnSql(renamed) !== this.columnSql(newCol) ||
      JSON.stringify(oldCol.references ?? null) !== JSON.stringify(newCol.references ?? null);
    if (definitionChanged) {
      const becomesNotNull = this.isNullable(oldCol) && !this.isNullable(newCol);
      await this.rebuild(table, {
        alter: { oldCol: renamed, newCol },
        fill: becomesNotNull ? this.effectiveDefault(newCol) : undefined,
      });
    }
    if (this.shouldIndexColumn(oldCol) && !this.shouldIndexColumn(newCol)) {
      for (const [name, info] of Object.entries(await this.introspection.getConstraints(table))) {
        const onColumn = info.columns.length === 1 && info.columns[0] === newCol.name;
        if (info.index && !info.unique && onColumn) await this.removeIndex(table, name);
      }
    }
    if (!this.shouldIndexColumn(oldCol) && this.shouldIndexColumn(newCol)) {
      await this.addIndex(table, {
        name: this.createIndexName(table, [newCol.name]),
        columns: [newCol.name],
      });
    }
  }

  // --------------------------------------------------------------- indexes

  /** SQLite has no ALTER INDEX: the index is created again from its stored SQL under the new name. */
  override async renameIndex(table: string, oldName: string, newName: string): Promise<void> {
    if (oldName === newName) return;
    const { rows } = await this.connection.run<{ sql: string | null }>(
      "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ? AND tbl_name = ?",
      [oldName, table],
    );
    const sql = rows[0]?.sql;
    if (!sql) throw new ProgrammingError(`Table '${table}' has no index named '${oldName}'.`);
    const tokens = tokenizeSql(sql, { brackets: true });
    const at = tokens.findIndex((t) => t.kind === 'word' && same(t.value, 'INDEX'));
    const nameToken = tokens[at + 1];
    if (at === -1 || !nameToken || nameToken.value !== oldName) {
      throw new ProgrammingError(`Cannot read the definition of index '${oldName}': ${sql}`);
    }
    const renamed =
      sql.slice(0, nameToken.start) + this.quoteName(newName) + sql.slice(nameToken.end);
    await this.execute(renderTemplate(this.sqlDeleteIndex, { name: this.quoteName(oldName) }));
    await this.execute(renamed);
  }

  // ----------------------------------------------------------- constraints

  override async addConstraint(table: string, c: ConstraintDef): Promise<void> {
    if (c.kind === 'unique' && c.condition) {
      await super.addConstraint(table, c);
      return;
    }
    const sql = this.constraintSql(table, c);
    if (sql) await this.rebuild(table, { addItems: [sql] });
  }

  override async removeConstraint(
    table: string,
    constraint: string | ConstraintDef,
  ): Promise<void> {
    if (typeof constraint !== 'string' && constraint.kind === 'unique' && constraint.condition) {
      await this.removeIndex(table, { ...constraint, unique: true });
      return;
    }
    const name = typeof constraint === 'string' ? constraint : constraint.name;
    if (name === '__primary__') {
      throw new DatabaseNotSupportedError('The primary key of an SQLite table cannot be dropped.');
    }
    const parsed = await this.introspection.parseTable(table);
    if (tableSqlConstraints(parsed).some((c) => c.name === name)) {
      await this.rebuild(table, { removeConstraint: name });
      return;
    }
    if ((await this.tableIndexes(table)).some((ix) => ix.name === name)) {
      await this.removeIndex(table, name);
      return;
    }
    throw new ProgrammingError(`Table '${table}' has no constraint named '${name}'.`);
  }

  override async addForeignKey(
    table: string,
    column: string,
    refTable: string,
    refColumn: string,
  ): Promise<string> {
    const fk = this.createFkStatement(table, column, refTable, refColumn, this.sqlCreateInlineFk);
    await this.rebuild(table, { addItems: [this.render(fk)] });
    return this.foreignKeyName(table, column, refTable, refColumn);
  }

  // --------------------------------------------------------------- rebuild

  /** Indexes of `table` written with CREATE INDEX (not those behind constraints). */
  private async tableIndexes(table: string): Promise<{ name: string; sql: string }[]> {
    const { rows } = await this.connection.run<{ name: string; sql: string }>(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
      [table],
    );
    return rows;
  }

  private async freeTableName(base: string): Promise<string> {
    for (let i = 0; ; i++) {
      const name = i ? `${base}_${i}` : base;
      if ((await this.introspection.tableSql(name)) === null) return name;
    }
  }

  /** The AUTOINCREMENT high-water mark of `table`, or null. */
  private async sequenceOf(table: string): Promise<number | null> {
    if ((await this.introspection.tableSql('sqlite_sequence')) === null) return null;
    const { rows } = await this.connection.run<{ seq: number }>(
      'SELECT seq FROM sqlite_sequence WHERE name = ?',
      [table],
    );
    return rows[0]?.seq ?? null;
  }

  /** True when `item` (a table constraint) involves `column`. */
  private constraintMentions(item: ParsedTableConstraint, column: string): boolean {
    return item.columns.some((c) => same(c, column)) || mentions(item.check ?? '', column);
  }

  /**
   * Rebuilds `table` with the changes of `plan`, keeping its rows, indexes
   * and the constraints the plan does not touch.
   */
  protected async rebuild(table: string, plan: RebuildPlan): Promise<void> {
    const parsed = await this.introspection.parseTable(table);
    const named = tableSqlConstraints(parsed);
    const target = plan.removeConstraint
      ? named.find((c) => c.name === plan.removeConstraint)
      : undefined;
    if (plan.removeConstraint && !target) {
      throw new ProgrammingError(
        `Table '${table}' has no constraint named '${plan.removeConstraint}'.`,
      );
    }
    const q = (n: string): string => this.quoteName(n);
    const columns: string[] = [];
    const constraints: string[] = [];
    const targets: string[] = [];
    const sources: string[] = [];
    const params: unknown[] = [];
    const alter = plan.alter;

    parsed.items.forEach((item, index) => {
      if (item.kind === 'column') {
        if (plan.removeColumn && same(item.name, plan.removeColumn)) return;
        targets.push(q(item.name));
        if (alter && same(item.name, alter.newCol.name)) {
          columns.push(`${q(alter.newCol.name)} ${this.columnSql(alter.newCol)}`);
          if (plan.fill !== undefined) {
            sources.push(`coalesce(${q(item.name)}, ?)`);
            params.push(plan.fill);
          } else {
            sources.push(q(item.name));
          }
          return;
        }
        const drop = target?.item === index && target.inline ? [target.inline] : [];
        columns.push(cut(item.text, drop));
        sources.push(q(item.name));
        return;
      }
      if (target && target.item === index && !target.inline) return;
      // As in PostgreSQL, the constraints of a dropped column go with it.
      if (plan.removeColumn && this.constraintMentions(item, plan.removeColumn)) return;
      if (alter) {
        const onColumn = item.columns.length === 1 && same(item.columns[0]!, alter.newCol.name);
        // The altered column's foreign key is written again from newCol.references.
        if (item.type === 'foreign' && onColumn && alter.oldCol.references) return;
        if (item.type === 'unique' && onColumn && alter.oldCol.unique && !alter.newCol.unique)
          return;
      }
      constraints.push(item.text);
    });
    if (plan.addColumn) {
      const col = plan.addColumn;
      columns.push(`${q(col.name)} ${this.columnSql(col)}`);
      targets.push(q(col.name));
      if (plan.fill !== undefined) {
        sources.push('?');
        params.push(plan.fill);
      } else {
        sources.push('NULL');
      }
    }
    const changed = plan.addColumn ?? alter?.newCol;
    if (changed?.references) {
      const fk = this.createFkStatement(
        table,
        changed.name,
        changed.references.table,
        changed.references.column,
        this.sqlCreateInlineFk,
      );
      constraints.push(this.render(fk));
    }
    constraints.push(...(plan.addItems ?? []));

    const indexes = (await this.tableIndexes(table)).filter(
      (ix) => !plan.removeColumn || !indexMentions(ix.sql, plan.removeColumn),
    );
    const holding = await this.freeTableName(`${table}__old`);
    const sequence = await this.sequenceOf(table);
    const createSql = `CREATE TABLE ${q(table)} (${[...columns, ...constraints].join(', ')})${parsed.suffix}`;

    const body = async (): Promise<void> => {
      // References from other tables are checked at commit, when the rows are back.
      await this.execute('PRAGMA defer_foreign_keys = ON');
      await this.execute(`CREATE TABLE ${q(holding)} AS SELECT * FROM ${q(table)}`);
      await this.execute(`DROP TABLE ${q(table)}`);
      await this.execute(createSql);
      await this.execute(
        `INSERT INTO ${q(table)} (${targets.join(', ')}) SELECT ${sources.join(', ')} FROM ${q(holding)}`,
        params,
      );
      await this.execute(`DROP TABLE ${q(holding)}`);
      for (const ix of indexes) await this.execute(ix.sql);
      if (sequence !== null && /\bAUTOINCREMENT\b/i.test(createSql)) {
        // Keep the high-water mark, so ids of deleted rows are not reused.
        await this.execute(
          'INSERT INTO sqlite_sequence (name, seq) SELECT ?, 0 WHERE NOT EXISTS ' +
            '(SELECT 1 FROM sqlite_sequence WHERE name = ?)',
          [table, table],
        );
        await this.execute('UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?', [
          sequence,
          table,
        ]);
      }
    };
    if (this.options.collectSql) await body();
    else await this.connection.atomic(body);
  }
}
