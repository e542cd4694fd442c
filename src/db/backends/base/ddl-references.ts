/**
 * DDL statements kept as a template plus the names they refer to (the role
 * of Django's `ddl_references.Statement`), so a statement deferred to the
 * end of a schema-editor session can follow a table or column renamed in the
 * meantime, or be dropped with its table.
 */

/**
 * One substituted piece of a {@link DdlStatement}.
 *
 * @example
 * ```ts
 * const part: DdlPart = { kind: 'columns', table: 'book', columns: ['published'], suffixes: [' DESC'] };
 * ```
 */
export type DdlPart =
  /** A table name, quoted when rendered. */
  | { readonly kind: 'table'; table: string }
  /** Columns of `table`, quoted and comma-separated; `suffixes[i]` follows column i (e.g. ` DESC`). */
  | {
      readonly kind: 'columns';
      table: string;
      columns: string[];
      readonly suffixes?: readonly string[];
    }
  /** An index or constraint name, quoted when rendered. */
  | { readonly kind: 'name'; readonly name: string }
  /** SQL used verbatim (already quoted, or a keyword). */
  | { readonly kind: 'sql'; readonly sql: string };

/**
 * Replaces each `%(key)s` of `template` with `values[key]`, in one pass (a
 * substituted value is never scanned again). A missing key is an error.
 *
 * @example
 * ```ts
 * renderTemplate('DROP INDEX %(name)s', { name: '"book_title_idx"' }); // 'DROP INDEX "book_title_idx"'
 * ```
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/%\(([A-Za-z0-9_]+)\)s/g, (_m, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`DDL template is missing a value for '${key}'.`);
    return value;
  });
}

/**
 * A DDL statement that still knows which tables and columns it names.
 *
 * @example
 * ```ts
 * const stmt = new DdlStatement('CREATE INDEX %(name)s ON %(table)s (%(columns)s)', {
 *   name: { kind: 'name', name: 'book_title_idx' },
 *   table: { kind: 'table', table: 'book' },
 *   columns: { kind: 'columns', table: 'book', columns: ['title'] },
 * });
 * stmt.renameTableReferences('book', 'library_book');
 * stmt.render((n) => `"${n}"`); // CREATE INDEX "book_title_idx" ON "library_book" ("title")
 * ```
 */
export class DdlStatement {
  constructor(
    readonly template: string,
    readonly parts: Readonly<Record<string, DdlPart>>,
  ) {}

  /** True when the statement names `table` (as its table or as a referenced one). */
  referencesTable(table: string): boolean {
    return Object.values(this.parts).some(
      (p) => (p.kind === 'table' || p.kind === 'columns') && p.table === table,
    );
  }

  /** True when the statement names `column` of `table`. */
  referencesColumn(table: string, column: string): boolean {
    return Object.values(this.parts).some(
      (p) => p.kind === 'columns' && p.table === table && p.columns.includes(column),
    );
  }

  /** Follows a table rename. */
  renameTableReferences(oldName: string, newName: string): void {
    for (const p of Object.values(this.parts)) {
      if ((p.kind === 'table' || p.kind === 'columns') && p.table === oldName) p.table = newName;
    }
  }

  /** Follows a column rename. */
  renameColumnReferences(table: string, oldName: string, newName: string): void {
    for (const p of Object.values(this.parts)) {
      if (p.kind === 'columns' && p.table === table) {
        p.columns = p.columns.map((c) => (c === oldName ? newName : c));
      }
    }
  }

  /** The SQL, with every name quoted by `quote`. */
  render(quote: (name: string) => string): string {
    const values: Record<string, string> = {};
    for (const [key, p] of Object.entries(this.parts)) {
      switch (p.kind) {
        case 'table':
          values[key] = quote(p.table);
          break;
        case 'columns':
          values[key] = p.columns.map((c, i) => quote(c) + (p.suffixes?.[i] ?? '')).join(', ');
          break;
        case 'name':
          values[key] = quote(p.name);
          break;
        case 'sql':
          values[key] = p.sql;
          break;
      }
    }
    return renderTemplate(this.template, values);
  }
}
