/**
 * Password validation (`django.contrib.auth.password_validation`).
 *
 * @example
 * ```ts
 * import { validatePassword } from 'reinhardt/auth';
 * validatePassword(candidate, user); // throws ValidationError with every message
 * ```
 */
export type { PasswordValidator } from './base.js';
export { MinimumLengthValidator } from './minimum-length.js';
export { NumericPasswordValidator } from './numeric.js';
export { CommonPasswordValidator, DEFAULT_PASSWORD_LIST_PATH } from './common.js';
export {
  DEFAULT_USER_ATTRIBUTES,
  UserAttributeSimilarityValidator,
  exceedsMaximumLengthRatio,
} from './similarity.js';
export { SequenceMatcher } from './sequence-matcher.js';
export {
  getDefaultPasswordValidators,
  getPasswordValidators,
  passwordChanged,
  passwordValidatorsHelpTextHtml,
  passwordValidatorsHelpTexts,
  registerPasswordValidator,
  validatePassword,
} from './validate.js';
