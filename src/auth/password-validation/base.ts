/** What a password validator provides (Django's validator protocol). */

/**
 * A password validator: `validate` throws a `ValidationError` when the
 * password is not acceptable; `getHelpText` says what is required. An
 * optional `passwordChanged` hook hears about new passwords (e.g. to keep a
 * history).
 *
 * @example
 * ```ts
 * import { ValidationError } from 'reinhardt/core';
 * const noSpaces: PasswordValidator = {
 *   validate(password) {
 *     if (password.includes(' ')) throw new ValidationError('No spaces.', { code: 'password_has_space' });
 *   },
 *   getHelpText: () => 'Your password can’t contain spaces.',
 * };
 * ```
 */
export interface PasswordValidator {
  validate(password: string, user?: unknown): void;
  getHelpText(): string;
  passwordChanged?(password: string, user?: unknown): void;
}
