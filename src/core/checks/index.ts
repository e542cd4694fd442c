/**
 * The system check framework (the role of `django.core.checks`). Importing
 * this module registers the built-in checks.
 *
 * @example
 * ```ts
 * import { registerCheck, Warning, Tags, checkOrThrow } from 'reinhardt/core';
 * ```
 */
export {
  CHECK_LEVELS,
  CheckError,
  CheckMessage,
  Critical,
  CRITICAL,
  Debug,
  DEBUG,
  ERROR,
  Info,
  INFO,
  Warning,
  WARNING,
} from './messages.js';
export type { CheckLevelName, CheckMessageOptions } from './messages.js';
export { CheckRegistry, registerCheck, registry, runChecks, Tags } from './registry.js';
export type {
  CheckContext,
  CheckFunction,
  RegisterCheckOptions,
  RunChecksOptions,
  Tag,
} from './registry.js';
export { checkOrThrow, formatCheckMessages, SystemCheckError } from './format.js';
export type { CheckOrThrowOptions, CheckResult, FormatCheckMessagesOptions } from './format.js';
export {
  isStrongSecretKey,
  SECRET_KEY_INSECURE_PREFIXES,
  SECRET_KEY_MIN_LENGTH,
  SECRET_KEY_MIN_UNIQUE_CHARACTERS,
  SECURITY_WARNINGS,
} from './security.js';
