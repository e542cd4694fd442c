/**
 * The zero-downtime linter (P22, P23), in the spirit of
 * django-migration-linter, strong_migrations and squawk: flags operations
 * that lock a busy table, rewrite it, validate every row in one step, or
 * break the release still running while the migration is applied — each
 * with the rule, the risk, and the safe pattern. An operation can be
 * silenced per rule with a reason: `ignoreLint(op, { rules, reason })`.
 */
import type { Field } from '../models/fields/field.js';
import { ForeignKeyImpl, ManyToManyFieldImpl } from '../models/fields/related.js';
import type { Migration } from './migration.js';
import type { Operation } from './operations/base.js';
import { AddField, AlterField, RemoveField, RenameField } from './operations/fields.js';
import {
  AddConstraint,
  AddIndex,
  AlterModelTable,
  AlterUniqueTogether,
  CreateModel,
  DeleteModel,
  RenameModel,
} from './operations/models.js';
import { AddIndexConcurrently } from './operations/postgres.js';
import { RunCode } from './operations/special.js';
import type { ProjectState } from './state.js';

/** The rules, by id. */
export const LINT_RULES = {
  'not-null-column': 'Adding a NOT NULL column to an existing table',
  'non-concurrent-index': 'Building an index on an existing table without CONCURRENTLY',
  'table-rewrite': 'Changing a column type in a way that rewrites the table',
  'drop-column': 'Dropping a column the previous release still uses',
  'rename-column': 'Renaming a column the previous release still uses',
  'drop-table': 'Dropping a table the previous release still uses',
  'rename-table': 'Renaming a table the previous release still uses',
  'validating-constraint': 'Adding a constraint that validates every row in one step',
  'set-not-null': 'Setting NOT NULL directly on an existing column',
  'unbatched-data-migration': 'A data migration that loads a whole table at once',
} as const;

export type LintRule = keyof typeof LINT_RULES;

/** One finding. */
export interface LintFinding {
  readonly rule: LintRule;
  /** `app.name` of the migration. */
  readonly migration: string;
  /** Index of the operation in the migration, and its description. */
  readonly operationIndex: number;
  readonly operation: string;
  readonly risk: string;
  readonly safe: string;
}

const IGNORED = Symbol('reinhardt.lintIgnore');

/**
 * Silences `rules` for one operation, with the reason (required: it is the
 * review trail).
 *
 * @example
 * ```ts
 * ignoreLint(new RemoveField({ modelName: 'Book', name: 'legacy' }), {
 *   rules: ['drop-column'],
 *   reason: 'unused since release 41 (SeparateDatabaseAndState in 0031)',
 * });
 * ```
 */
export function ignoreLint<T extends Operation>(
  op: T,
  options: { rules: readonly LintRule[]; reason: string },
): T {
  if (!options.reason.trim()) throw new Error('ignoreLint() needs a reason.');
  for (const rule of options.rules)
    if (!(rule in LINT_RULES))
      throw new Error(`Unknown lint rule '${rule}'. Rules: ${Object.keys(LINT_RULES).join(', ')}.`);
  (op as unknown as Record<symbol, unknown>)[IGNORED] = {
    rules: [...options.rules],
    reason: options.reason,
  };
  return op;
}

function ignoredRules(op: Operation): readonly string[] {
  return (op as unknown as Record<symbol, { rules: string[] } | undefined>)[IGNORED]?.rules ?? [];
}

const THREE_STEPS =
  'Three steps, three deployments: (1) add the column with null: true; (2) backfill it in batches ' +
  '(a RunCode with bulkUpdate over slices of the primary key) while the new code writes it; ' +
  '(3) make it NOT NULL (see set-not-null).';

/** Options of {@link lintOperations}. */
export interface LintOptions {
  /** The state before the migration (to know existing tables and old fields). */
  stateBefore?: ProjectState;
  /** The database vendor the rules are judged for (default: PostgreSQL's locking rules). */
  vendor?: 'postgresql' | 'mysql' | 'sqlite';
}

/**
 * The findings for one migration.
 *
 * @example
 * ```ts
 * for (const f of lintOperations(migration)) console.log(`${f.rule}: ${f.risk}`);
 * ```
 */
export function lintOperations(migration: Migration, options: LintOptions = {}): LintFinding[] {
  const findings: LintFinding[] = [];
  const app = migration.appLabel;
  const created = new Set<string>();
  const state = options.stateBefore?.clone();
  const existing = (model: string) => !created.has(model.toLowerCase());
  migration.operations.forEach((op, index) => {
    const report = (rule: LintRule, risk: string, safe: string) => {
      if (!ignoredRules(op).includes(rule))
        findings.push({
          rule,
          migration: String(migration),
          operationIndex: index,
          operation: op.describe(),
          risk,
          safe,
        });
    };
    const oldField = (model: string, name: string): Field | undefined =>
      state?.model(`${app}.${model}`)?.field(name);
    if (op instanceof CreateModel) created.add(op.name.toLowerCase());
    else if (
      op instanceof AddField &&
      existing(op.modelName) &&
      !(op.field instanceof ManyToManyFieldImpl)
    ) {
      const f = op.field;
      if (!f.null)
        report(
          'not-null-column',
          f.hasDefault && op.preserveDefault
            ? 'The default is not kept in the database: INSERTs of the release still running, which do not know the column, fail.'
            : 'Existing rows need a value, and INSERTs of the release still running, which do not know the column, fail.',
          THREE_STEPS,
        );
      if ((f.dbIndex || f.unique || f instanceof ForeignKeyImpl) && options.vendor !== 'sqlite')
        report(
          'non-concurrent-index',
          'CREATE INDEX locks writes to the table until the index is built.',
          'Add the column without dbIndex/unique, then build the index with AddIndexConcurrently in a migration with atomic: false.',
        );
      if (f instanceof ForeignKeyImpl && f.dbConstraint)
        report(
          'validating-constraint',
          'Adding the foreign key checks every row while holding a lock that blocks writes to both tables.',
          'Add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later migration (RunSQL), which does not block writes.',
        );
    } else if (
      op instanceof AddIndex &&
      !(op instanceof AddIndexConcurrently) &&
      existing(op.modelName) &&
      options.vendor !== 'sqlite'
    )
      report(
        'non-concurrent-index',
        'CREATE INDEX locks writes to the table until the index is built (minutes on a large table).',
        'Use AddIndexConcurrently (PostgreSQL) in a migration with atomic: false.',
      );
    else if (
      op instanceof AlterUniqueTogether &&
      existing(op.name) &&
      op.uniqueTogether.length &&
      options.vendor !== 'sqlite'
    )
      report(
        'non-concurrent-index',
        'A unique constraint builds its index while locking writes.',
        'Build a unique index with AddIndexConcurrently, then attach it as a constraint (RunSQL … USING INDEX).',
      );
    else if (op instanceof AddConstraint && existing(op.modelName))
      report(
        'validating-constraint',
        op.constraint.kind === 'check'
          ? 'Adding a CHECK constraint scans every row while blocking writes.'
          : 'A unique constraint builds its index while locking writes.',
        op.constraint.kind === 'check'
          ? 'Add it NOT VALID, then VALIDATE CONSTRAINT in a later migration (RunSQL with reverseSql).'
          : 'Build a unique index with AddIndexConcurrently, then attach it as a constraint (RunSQL … USING INDEX).',
      );
    else if (op instanceof AlterField && existing(op.modelName)) {
      const before = oldField(op.modelName, op.name);
      const after = op.field;
      if (before) {
        if (typeRewrites(before, after))
          report(
            'table-rewrite',
            `Changing ${before.internalType}${lengthOf(before)} to ${after.internalType}${lengthOf(after)} rewrites the table under an exclusive lock.`,
            'Add a new column of the new type, write both, backfill in batches, switch reads, then drop the old column.',
          );
        if (before.null && !after.null)
          report(
            'set-not-null',
            'SET NOT NULL scans the whole table under an exclusive lock; rows still NULL make it fail.',
            'Backfill first, then add CHECK (column IS NOT NULL) NOT VALID, VALIDATE it, and only then SET NOT NULL (PostgreSQL uses the validated check and skips the scan).',
          );
        if (!(before instanceof ForeignKeyImpl) && after instanceof ForeignKeyImpl)
          report(
            'validating-constraint',
            'Adding the foreign key checks every row while blocking writes.',
            'Add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later migration.',
          );
        if (!before.unique && after.unique && options.vendor !== 'sqlite')
          report(
            'non-concurrent-index',
            'Making a column unique builds an index while locking writes.',
            'Build a unique index with AddIndexConcurrently first.',
          );
      }
    } else if (op instanceof RemoveField && existing(op.modelName))
      report(
        'drop-column',
        'The release still running selects and inserts this column: its queries fail as soon as it is gone.',
        'Release N: stop using the field and remove it from the state only (SeparateDatabaseAndState with the RemoveField as a state operation); release N+1: drop the column.',
      );
    else if (op instanceof RenameField && existing(op.modelName))
      report(
        'rename-column',
        'The release still running uses the old column name.',
        'Add the new column, write both, backfill, switch reads, then drop the old one — or keep the column and set dbColumn to its old name.',
      );
    else if (op instanceof DeleteModel && existing(op.name))
      report(
        'drop-table',
        'The release still running queries this table.',
        'Release N: stop using the model (remove it from the state with SeparateDatabaseAndState); release N+1: drop the table.',
      );
    else if (
      (op instanceof RenameModel || op instanceof AlterModelTable) &&
      existing(op instanceof RenameModel ? op.oldName : op.name)
    ) {
      if (!(op instanceof RenameModel) || !state || tableChanges(state, app, op))
        report(
          'rename-table',
          'The release still running queries the old table name.',
          'Keep the table: set dbTable to the old name (RenameModel then changes nothing in the database), or create a view under the old name for one release.',
        );
    } else if (op instanceof RunCode && loadsWholeTable(op))
      report(
        'unbatched-data-migration',
        'The code reads a whole table at once: memory grows with the table and long transactions hold locks.',
        'Walk the table in slices of the primary key (filter({ pk__gt: last }).orderBy("pk").slice(0, 1000)) and write each slice with bulkUpdate; run it with atomic: false.',
      );
    if (state) op.stateForwards(app, state);
  });
  return findings;
}

function lengthOf(f: Field): string {
  const o = f.declaredOptions as { maxLength?: number; maxDigits?: number; decimalPlaces?: number };
  if (o.maxLength !== undefined) return `(${o.maxLength})`;
  if (o.maxDigits !== undefined) return `(${o.maxDigits}, ${o.decimalPlaces ?? 0})`;
  return '';
}

/** Whether the change needs the database to rewrite the table (a widened varchar does not). */
function typeRewrites(before: Field, after: Field): boolean {
  if (before.internalType !== after.internalType) {
    const text = ['CharField', 'TextField', 'SlugField'];
    // varchar → text is metadata-only on PostgreSQL.
    return !(text.includes(before.internalType) && after.internalType === 'TextField');
  }
  const a = before.declaredOptions as {
    maxLength?: number;
    maxDigits?: number;
    decimalPlaces?: number;
  };
  const b = after.declaredOptions as typeof a;
  if (a.maxLength !== undefined && b.maxLength !== undefined && b.maxLength < a.maxLength)
    return true;
  if (a.decimalPlaces !== b.decimalPlaces || (b.maxDigits ?? 0) < (a.maxDigits ?? 0)) return true;
  return false;
}

function tableChanges(state: ProjectState, app: string, op: RenameModel): boolean {
  const model = state.model(`${app}.${op.oldName}`);
  return !model?.options.dbTable;
}

/** A heuristic: the code reads through a manager without slicing or iterating in batches. */
function loadsWholeTable(op: RunCode): boolean {
  const source = op.code.toString();
  if (!/\.objects\b/.test(source)) return false;
  const batched =
    /\.slice\(|\.iterator\(|chunkSize|batchSize|\.update\(|\.delete\(|pk__gt|id__gt/.test(source);
  const reads = /\.all\(\)|\.values\(|\.valuesList\(|\.filter\(|await\s+\w+\.objects\b/.test(
    source,
  );
  return reads && !batched;
}
