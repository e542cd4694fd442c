/**
 * `reinhardt/core`: the framework's exceptions, the system check framework,
 * cryptographic signing and crypto helpers (the roles of
 * `django.core.exceptions`, `django.core.checks`, `django.core.signing` and
 * `django.utils.crypto`).
 *
 * @example
 * ```ts
 * import { ImproperlyConfigured, registerCheck, Warning, Tags } from 'reinhardt/core';
 * ```
 */
export * from './checks/index.js';
export {
  InvalidAlgorithm,
  RANDOM_STRING_CHARS,
  constantTimeCompare,
  getRandomString,
  saltedHmac,
  type HashAlgorithm,
  type SecretKey,
} from './crypto.js';
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
export * from './signing/index.js';
