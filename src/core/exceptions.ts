/**
 * Framework-wide exception types, in the roles of `django.core.exceptions`.
 *
 * Every Reinhardt error carries a stable `code` so tests and callers can
 * match on it rather than on message text.
 *
 * @example
 * ```ts
 * import { ImproperlyConfigured } from 'reinhardt/core';
 * throw new ImproperlyConfigured('settings.databases must define a "default" alias.');
 * ```
 */
export class ReinhardtError extends Error {
  /** A stable identifier for the kind of error (e.g. `improperly_configured`). */
  readonly code: string = 'reinhardt_error';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Reinhardt is somehow improperly configured (a missing or invalid setting). */
export class ImproperlyConfigured extends ReinhardtError {
  override readonly code: string = 'improperly_configured';
}

/** Some kind of problem with a model field or lookup (e.g. an unknown field name). */
export class FieldError extends ReinhardtError {
  override readonly code: string = 'field_error';
}

/** A feature the current database backend cannot provide. */
export class NotSupportedError extends ReinhardtError {
  override readonly code: string = 'not_supported';
}

/** A command-line command failed with a message meant for the user (Django's `CommandError`). */
export class CommandError extends ReinhardtError {
  override readonly code: string = 'command_error';
  constructor(
    message: string,
    readonly returncode = 1,
  ) {
    super(message);
  }
}
