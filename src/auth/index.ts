/**
 * `reinhardt/auth`: password hashing and password validation (the password
 * parts of `django.contrib.auth`), compatible with Django's stored hashes.
 *
 * @example
 * ```ts
 * import { checkPassword, makePassword, validatePassword } from 'reinhardt/auth';
 * validatePassword(raw, user);
 * user.password = await makePassword(raw);
 * await checkPassword(raw, user.password); // true
 * ```
 */
export * from './hashers/index.js';
export * from './password-validation/index.js';
