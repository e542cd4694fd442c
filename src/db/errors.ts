/**
 * Database exceptions in the roles of PEP 249 and `django.db.utils`: every
 * driver's errors are translated into these, so callers catch
 * `IntegrityError` whichever backend raised it. The driver's original error
 * stays available as `cause`.
 *
 * @example
 * ```ts
 * import { IntegrityError } from 'reinhardt/db';
 * try {
 *   await connection.execute('INSERT INTO tag (name) VALUES (%s)', ['dup']);
 * } catch (e) {
 *   if (e instanceof IntegrityError) console.log('already there');
 * }
 * ```
 */
import { ReinhardtError } from '../core/exceptions.js';

/** Base class of every error raised by a database or its driver. */
export class DatabaseError extends ReinhardtError {
  override readonly code: string = 'database_error';
  /** The backend's own error code (SQLSTATE on PostgreSQL, errno on MySQL, result code on SQLite). */
  driverCode: string | number | undefined;
  /** The database alias the failing statement ran on. */
  alias: string | undefined;
  constructor(
    message: string,
    options?: ErrorOptions & { driverCode?: string | number; alias?: string },
  ) {
    super(message, options);
    this.driverCode = options?.driverCode;
    this.alias = options?.alias;
  }
}
/** A relational integrity constraint failed (unique, foreign key, not null, check). */
export class IntegrityError extends DatabaseError {
  override readonly code: string = 'integrity_error';
}
/** A value was out of range, too long or of the wrong type for its column. */
export class DataError extends DatabaseError {
  override readonly code: string = 'data_error';
}
/** The database could not do what was asked (connection lost, lock timeout, deadlock…). */
export class OperationalError extends DatabaseError {
  override readonly code: string = 'operational_error';
}
/** The SQL itself is wrong (syntax error, unknown table or column, wrong parameter count). */
export class ProgrammingError extends DatabaseError {
  override readonly code: string = 'programming_error';
}
/** The database hit an internal error (e.g. the transaction is no longer valid). */
export class InternalError extends DatabaseError {
  override readonly code: string = 'internal_error';
}
/** The driver or its connection is unusable. */
export class InterfaceError extends DatabaseError {
  override readonly code: string = 'interface_error';
}
/** A transaction was misused (e.g. a query after an error inside an `atomic` block). */
export class TransactionManagementError extends ProgrammingError {
  override readonly code: string = 'transaction_management_error';
}
/** The database does not support what was asked of it. */
export class DatabaseNotSupportedError extends DatabaseError {
  override readonly code: string = 'not_supported';
}
