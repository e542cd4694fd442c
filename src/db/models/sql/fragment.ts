/**
 * SQL fragments: text plus the parameters it binds, in order. Placeholders
 * are written as NUL characters while fragments are assembled (NUL can never
 * occur in SQL text: identifiers refuse it and values are never inlined) and
 * become the backend's placeholders (`?` or `$n`) at the end.
 */
import type { BaseDatabaseOperations } from '../../backends/base/operations.js';

/** The internal placeholder. */
export const P = '\0';

/** A piece of SQL and its bound parameters. */
export interface SqlFragment {
  sql: string;
  params: unknown[];
}

/** Joins fragments with a separator. */
export function joinFragments(parts: readonly SqlFragment[], separator: string): SqlFragment {
  return { sql: parts.map((p) => p.sql).join(separator), params: parts.flatMap((p) => p.params) };
}

/** Replaces internal placeholders with the backend's. */
export function finalizeSql(sql: string, ops: BaseDatabaseOperations): string {
  let index = 0;
  return sql.replace(/\0/g, () => ops.placeholder(++index));
}
