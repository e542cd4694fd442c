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
  NotSupportedError,
  ReinhardtError,
} from './exceptions.js';
