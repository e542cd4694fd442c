/**
 * `reinhardt/core`: the framework's exceptions and the system check
 * framework (the roles of `django.core.exceptions` and `django.core.checks`).
 *
 * @example
 * ```ts
 * import { ImproperlyConfigured, registerCheck, Warning, Tags } from 'reinhardt/core';
 * ```
 */
export * from './checks/index.js';
export {
  CommandError,
  FieldError,
  ImproperlyConfigured,
  MultipleObjectsReturned,
  NotSupportedError,
  ObjectDoesNotExist,
  ReinhardtError,
  ValidationError,
  ValueError,
  interpolate,
  type ValidationMessage,
} from './exceptions.js';
export * from './validators.js';
