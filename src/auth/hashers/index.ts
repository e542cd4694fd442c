/**
 * Password hashers with Django's encoded formats (`django.contrib.auth.hashers`).
 *
 * @example
 * ```ts
 * import { checkPassword, makePassword } from 'reinhardt/auth';
 * const encoded = await makePassword('s3cret!');
 * await checkPassword('s3cret!', encoded); // true
 * ```
 */
export {
  PasswordHasher,
  RANDOM_STRING_CHARS,
  constantTimeCompare,
  getRandomString,
  maskHash,
  mustUpdateSalt,
  type DecodedHash,
} from './base.js';
export {
  PBKDF2PasswordHasher,
  PBKDF2SHA1PasswordHasher,
  PBKDF2_DEFAULT_ITERATIONS,
  type PBKDF2Options,
} from './pbkdf2.js';
export { ScryptPasswordHasher, type ScryptOptions } from './scrypt.js';
export { Argon2PasswordHasher, type Argon2Options, type DecodedArgon2 } from './argon2.js';
export { BCryptPasswordHasher, BCryptSHA256PasswordHasher } from './bcrypt.js';
export { MD5PasswordHasher } from './md5.js';
export { getHasher, getHashers, identifyHasher, registerHasher } from './registry.js';
export {
  UNUSABLE_PASSWORD_PREFIX,
  UNUSABLE_PASSWORD_SUFFIX_LENGTH,
  checkPassword,
  isPasswordUsable,
  makePassword,
  runDummyHasher,
  verifyPassword,
  type MakePasswordOptions,
  type PasswordVerification,
} from './passwords.js';
