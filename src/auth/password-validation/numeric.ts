import { ValidationError } from '../../core/exceptions.js';
import type { PasswordValidator } from './base.js';
import { pyIsDigit } from './python-text.js';

/**
 * Refuses passwords made only of digits (Django's `NumericPasswordValidator`,
 * with Python's notion of a digit: `'²³'` counts too). Code
 * `password_entirely_numeric`.
 *
 * @example
 * ```ts
 * new NumericPasswordValidator().validate('20251231');
 * // ValidationError: This password is entirely numeric.
 * ```
 */
export class NumericPasswordValidator implements PasswordValidator {
  validate(password: string): void {
    if (pyIsDigit(password)) {
      throw new ValidationError(this.getErrorMessage(), { code: 'password_entirely_numeric' });
    }
  }

  getErrorMessage(): string {
    return 'This password is entirely numeric.';
  }

  getHelpText(): string {
    return 'Your password can’t be entirely numeric.';
  }
}
