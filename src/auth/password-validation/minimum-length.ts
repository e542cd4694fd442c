import { ValidationError } from '../../core/exceptions.js';
import type { PasswordValidator } from './base.js';
import { codePointLength } from './python-text.js';

/**
 * Refuses passwords shorter than `minLength` characters (default 8),
 * counting code points as Python does (Django's `MinimumLengthValidator`).
 * Code `password_too_short`.
 *
 * @example
 * ```ts
 * new MinimumLengthValidator({ minLength: 12 }).validate('short');
 * // ValidationError: This password is too short. It must contain at least 12 characters.
 * ```
 */
export class MinimumLengthValidator implements PasswordValidator {
  readonly minLength: number;

  constructor(options: { minLength?: number } = {}) {
    this.minLength = options.minLength ?? 8;
  }

  validate(password: string): void {
    if (codePointLength(password) < this.minLength) {
      throw new ValidationError(this.getErrorMessage(), {
        code: 'password_too_short',
        params: { min_length: this.minLength },
      });
    }
  }

  getErrorMessage(): string {
    const noun = this.minLength === 1 ? 'character' : 'characters';
    return `This password is too short. It must contain at least ${this.minLength} ${noun}.`;
  }

  getHelpText(): string {
    const noun = this.minLength === 1 ? 'character' : 'characters';
    return `Your password must contain at least ${this.minLength} ${noun}.`;
  }
}
