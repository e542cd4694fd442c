/**
 * Text functions (Django's `django.db.models.functions.text`): `Lower`,
 * `Upper`, `Length`, `Concat`, `Substr`, `Trim`, `LTrim`, `RTrim`.
 */
import { Func, type ExpressionArg, type FuncOptions } from '../expressions.js';
import { IntegerField } from '../fields/numeric.js';
import { TextField } from '../fields/text.js';
import type { Field } from '../fields/field.js';
import type { SqlFragment } from '../sql/fragment.js';
import type { ExpressionCompiler, ResolvedNode } from '../sql/query.js';

const INTEGER = IntegerField();
const TEXT = TextField();

/** A one-argument text function. */
abstract class TextTransform extends Func<string> {
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super([expression], options);
  }
}

/** `LOWER(x)`. */
export class Lower extends TextTransform {
  override readonly functionName = 'LOWER';
}

/** `UPPER(x)`. */
export class Upper extends TextTransform {
  override readonly functionName = 'UPPER';
}

/** Leading and trailing spaces removed. */
export class Trim extends TextTransform {
  override readonly functionName = 'TRIM';
}

/** Leading spaces removed. */
export class LTrim extends TextTransform {
  override readonly functionName = 'LTRIM';
}

/** Trailing spaces removed. */
export class RTrim extends TextTransform {
  override readonly functionName = 'RTRIM';
}

/** The number of characters (not bytes: `CHAR_LENGTH` on MariaDB/MySQL). */
export class Length extends Func<number | null> {
  override readonly functionName = 'LENGTH';
  constructor(expression: ExpressionArg, options: FuncOptions = {}) {
    super([expression], options);
  }
  override defaultOutputField(): Field {
    return INTEGER;
  }
  asMysql(compiler: ExpressionCompiler, node: ResolvedNode): SqlFragment {
    const arg = compiler.compileExpr(node.args[0]!);
    return { sql: `CHAR_LENGTH(${arg.sql})`, params: arg.params };
  }
}

/**
 * `Substr('title', 1, 3)`: `length` characters from the 1-based `pos`
 * (to the end without `length`).
 */
export class Substr extends Func<string> {
  override readonly functionName = 'SUBSTR';
  constructor(expression: ExpressionArg, pos: number, length?: number, options: FuncOptions = {}) {
    if (!Number.isInteger(pos) || pos < 1) throw new TypeError("'pos' must be greater than 0");
    super(length === undefined ? [expression, pos] : [expression, pos, length], options);
  }
  override defaultOutputField(): Field {
    return TEXT;
  }
}

/**
 * The arguments joined as text, NULLs read as empty text (Django's `Concat`):
 * `Concat('firstName', Value(' '), 'lastName')`.
 */
export class Concat extends Func<string> {
  constructor(args: readonly (ExpressionArg | unknown)[], options: FuncOptions = {}) {
    if (args.length < 2) throw new TypeError('Concat must take at least two expressions');
    super(args, options);
  }

  override defaultOutputField(): Field {
    return TEXT;
  }

  override asSqlFor(compiler: ExpressionCompiler, node: ResolvedNode): SqlFragment {
    const parts = node.args.map((a) => compiler.compileExpr(a));
    const params = parts.flatMap((p) => p.params);
    if (compiler.connection.vendor === 'mysql') {
      // CONCAT_WS skips NULLs (CONCAT would return NULL).
      return { sql: `CONCAT_WS('', ${parts.map((p) => p.sql).join(', ')})`, params };
    }
    const cast = compiler.connection.vendor === 'postgresql' ? '::text' : '';
    return {
      sql: `(${parts.map((p) => `COALESCE((${p.sql})${cast}, '')`).join(' || ')})`,
      params,
    };
  }
}
