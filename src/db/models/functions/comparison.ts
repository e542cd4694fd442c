/**
 * Comparison and conversion functions (Django's
 * `django.db.models.functions.comparison`): `Coalesce`, `Greatest`, `Least`,
 * `NullIf`, `Cast`, and `ExpressionWrapper`.
 */
import { FieldError } from '../../../core/exceptions.js';
import {
  Expression,
  Func,
  type ExpressionArg,
  type FuncOptions,
  type ResolveOptions,
} from '../expressions.js';
import type { Field } from '../fields/field.js';
import type { SqlFragment } from '../sql/fragment.js';
import type { ExpressionCompiler, Query, ResolvedNode } from '../sql/query.js';

/** The first non-null argument: `Coalesce('nickname', 'name')`. */
export class Coalesce<V = unknown> extends Func<V> {
  override readonly functionName = 'COALESCE';
  constructor(args: readonly (ExpressionArg | unknown)[], options: FuncOptions = {}) {
    if (args.length < 2) throw new ValueErrorLike('Coalesce must take at least two expressions');
    super(args, options);
  }
}

/**
 * The largest argument. On SQLite (`MAX(a, b)`) and MariaDB/MySQL, a NULL
 * argument makes the result NULL; PostgreSQL ignores NULLs (as Django notes).
 */
export class Greatest<V = unknown> extends Func<V> {
  override readonly functionName: string = 'GREATEST';
  constructor(args: readonly (ExpressionArg | unknown)[], options: FuncOptions = {}) {
    if (args.length < 2) throw new ValueErrorLike('Greatest must take at least two expressions');
    super(args, options);
  }
  asSqlite(compiler: ExpressionCompiler, node: ResolvedNode): SqlFragment {
    return callWith('MAX', compiler, node);
  }
}

/** The smallest argument (NULL handling as {@link Greatest}). */
export class Least<V = unknown> extends Func<V> {
  override readonly functionName: string = 'LEAST';
  constructor(args: readonly (ExpressionArg | unknown)[], options: FuncOptions = {}) {
    if (args.length < 2) throw new ValueErrorLike('Least must take at least two expressions');
    super(args, options);
  }
  asSqlite(compiler: ExpressionCompiler, node: ResolvedNode): SqlFragment {
    return callWith('MIN', compiler, node);
  }
}

/** NULL when both arguments are equal, else the first. */
export class NullIf<V = unknown> extends Func<V | null> {
  override readonly functionName = 'NULLIF';
  constructor(a: ExpressionArg | unknown, b: ExpressionArg | unknown, options: FuncOptions = {}) {
    super([a, b], options);
  }
}

/** `fn(arg, …)` with another function name. */
function callWith(name: string, compiler: ExpressionCompiler, node: ResolvedNode): SqlFragment {
  const parts = node.args.map((a) => compiler.compileExpr(a));
  return {
    sql: `${name}(${parts.map((p) => p.sql).join(', ')})`,
    params: parts.flatMap((p) => p.params),
  };
}

/** Errors raised while building expressions (a `TypeError`, as Django's `ValueError` here). */
class ValueErrorLike extends TypeError {}

/** SQL types to cast to, by field internal type and backend. */
const CAST_TYPES: Record<string, Record<string, string>> = {
  sqlite: {
    IntegerField: 'integer',
    BigIntegerField: 'integer',
    SmallIntegerField: 'integer',
    PositiveIntegerField: 'integer',
    AutoField: 'integer',
    FloatField: 'real',
    DecimalField: 'numeric',
    CharField: 'text',
    TextField: 'text',
    BooleanField: 'integer',
    DateField: 'text',
    DateTimeField: 'text',
    JSONField: 'text',
  },
  postgresql: {
    IntegerField: 'integer',
    BigIntegerField: 'bigint',
    SmallIntegerField: 'smallint',
    PositiveIntegerField: 'integer',
    AutoField: 'integer',
    FloatField: 'double precision',
    DecimalField: 'numeric',
    CharField: 'varchar',
    TextField: 'text',
    BooleanField: 'boolean',
    DateField: 'date',
    DateTimeField: 'timestamp with time zone',
    TimeField: 'time',
    UUIDField: 'uuid',
    JSONField: 'jsonb',
  },
  mysql: {
    IntegerField: 'signed integer',
    BigIntegerField: 'signed integer',
    SmallIntegerField: 'signed integer',
    PositiveIntegerField: 'unsigned integer',
    AutoField: 'signed integer',
    FloatField: 'double',
    CharField: 'char',
    TextField: 'char',
    BooleanField: 'signed integer',
    DateField: 'date',
    DateTimeField: 'datetime(6)',
    TimeField: 'time(6)',
    JSONField: 'json',
  },
};

/**
 * Converts a value to the type of `outputField`: `Cast('rating', IntegerField())`.
 *
 * @example
 * ```ts
 * Book.objects.annotate({ whole: new Cast('rating', IntegerField()) });
 * ```
 */
export class Cast<V = unknown> extends Func<V> {
  constructor(expression: ExpressionArg | unknown, outputField: Field) {
    super([expression], { outputField });
  }

  override asSqlFor(compiler: ExpressionCompiler, node: ResolvedNode): SqlFragment {
    const field = this.options.outputField!;
    const vendor = compiler.connection.vendor;
    let type = CAST_TYPES[vendor]?.[field.internalType];
    if (field.internalType === 'DecimalField') {
      const f = field as unknown as { maxDigits: number; decimalPlaces: number };
      type = vendor === 'sqlite' ? 'numeric' : `decimal(${f.maxDigits}, ${f.decimalPlaces})`;
    }
    if (field.internalType === 'CharField' && vendor === 'postgresql') {
      const max = (field as unknown as { maxLength?: number }).maxLength;
      type = max ? `varchar(${max})` : 'varchar';
    }
    if (!type) {
      throw new FieldError(
        `Cannot cast to ${field.internalType} on ${compiler.connection.vendor}.`,
      );
    }
    const arg = compiler.compileExpr(node.args[0]!);
    return { sql: `CAST(${arg.sql} AS ${type})`, params: arg.params };
  }
}

/**
 * Gives an expression an output field (Django's `ExpressionWrapper`), e.g. for
 * arithmetic on fields of different types: `ExpressionWrapper(F('price').mul(F('qty')), { outputField: DecimalField(…) })`.
 */
export class ExpressionWrapper<V = unknown> extends Expression<V> {
  constructor(
    readonly expression: Expression,
    readonly options: { outputField: Field },
  ) {
    super();
  }

  override resolveExpression(query: Query, options: ResolveOptions): ResolvedNode {
    const inner = query.resolveExpression(this.expression, options.allowJoins, options);
    return {
      kind: 'node',
      expression: this,
      outputField: this.options.outputField,
      args: [inner],
      containsAggregate: inner.kind === 'node' ? inner.containsAggregate : false,
      containsWindow: inner.kind === 'node' ? inner.containsWindow : false,
      asSql: (compiler) => compiler.compileExpr(inner),
    };
  }
}
