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

/** One validation failure: a message template, a code and the values it mentions. */
export interface ValidationMessage {
  message: string;
  code?: string | undefined;
  params?: Record<string, unknown> | undefined;
}

/** Fills `%(name)s` / `%(name)d` / `%(name)r` placeholders, as Django's messages use them. */
export function interpolate(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/%\((\w+)\)([sdr])/g, (whole, key: string, kind: string) => {
    if (!(key in params)) return whole;
    const value = params[key];
    if (kind === 'r') return typeof value === 'string' ? `'${value}'` : String(value);
    return String(value);
  });
}

/**
 * Invalid data (Django's `ValidationError`): one message, a list, or a
 * dictionary of field name → messages (`messageDict`).
 *
 * @example
 * ```ts
 * throw new ValidationError({ title: ['This field cannot be blank.'] });
 * throw new ValidationError('Enter a valid email address.', { code: 'invalid' });
 * ```
 */
export class ValidationError extends ReinhardtError {
  override readonly code: string = 'validation_error';
  /** Messages of a field-keyed error, or undefined for a list error. */
  readonly errorDict: Record<string, ValidationMessage[]> | undefined;
  /** Messages of a list error (or all messages of a dict error, flattened). */
  readonly errorList: ValidationMessage[];

  constructor(
    error:
      | string
      | ValidationMessage
      | (string | ValidationMessage)[]
      | Record<string, string | ValidationMessage | (string | ValidationMessage)[]>,
    options: { code?: string; params?: Record<string, unknown> } = {},
  ) {
    const toMessage = (m: string | ValidationMessage): ValidationMessage =>
      typeof m === 'string' ? { message: m, code: options.code, params: options.params } : m;
    let dict: Record<string, ValidationMessage[]> | undefined;
    let list: ValidationMessage[];
    if (
      typeof error === 'string' ||
      (typeof error === 'object' && 'message' in error && typeof error.message === 'string')
    ) {
      list = [toMessage(error as string | ValidationMessage)];
    } else if (Array.isArray(error)) {
      list = error.map(toMessage);
    } else {
      dict = {};
      for (const [field, value] of Object.entries(error as Record<string, unknown>)) {
        const values = Array.isArray(value) ? value : [value];
        dict[field] = (values as (string | ValidationMessage)[]).map(toMessage);
      }
      list = Object.values(dict).flat();
    }
    super(list.map((m) => interpolate(m.message, m.params)).join(' '));
    this.errorDict = dict;
    this.errorList = list;
  }

  /** Every message, with its parameters filled in. */
  get messages(): string[] {
    return this.errorList.map((m) => interpolate(m.message, m.params));
  }

  /** Field name → messages; only for an error built from a dictionary. */
  get messageDict(): Record<string, string[]> {
    if (!this.errorDict)
      throw new TypeError(
        'ValidationError has no messageDict: it was not built from a dictionary.',
      );
    return Object.fromEntries(
      Object.entries(this.errorDict).map(([k, v]) => [
        k,
        v.map((m) => interpolate(m.message, m.params)),
      ]),
    );
  }
}

/** The object does not exist (base of every model's `DoesNotExist`). */
export class ObjectDoesNotExist extends ReinhardtError {
  override readonly code: string = 'does_not_exist';
}

/** A query that should return one object returned several (base of `MultipleObjectsReturned`). */
export class MultipleObjectsReturned extends ReinhardtError {
  override readonly code: string = 'multiple_objects_returned';
}

/** A value of the wrong kind for where it was used (Django raises Python's `ValueError`). */
export class ValueError extends ReinhardtError {
  override readonly code: string = 'value_error';
}
