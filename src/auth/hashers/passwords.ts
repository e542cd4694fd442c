/**
 * Making and checking stored passwords (Django's `make_password`,
 * `check_password`, `verify_password`, `is_password_usable`).
 *
 * Everything that hashes is async: PBKDF2 and scrypt run on libuv's thread
 * pool, argon2 and bcrypt in worker threads, so a login never blocks the
 * event loop.
 */
import { ValueError } from '../../core/exceptions.js';
import { getRandomString, type PasswordHasher } from './base.js';
import { getHasher, identifyHasher } from './registry.js';

/** Starts every unusable password; never the start of an encoded hash. */
export const UNUSABLE_PASSWORD_PREFIX = '!';
/** Random characters after the prefix, so unusable passwords differ (Django ticket #20079). */
export const UNUSABLE_PASSWORD_SUFFIX_LENGTH = 40;

/** Options of {@link makePassword}. */
export interface MakePasswordOptions {
  /** The salt; a fresh random one by default. Cannot contain `$`. */
  salt?: string;
  /** A hasher name from the `passwordHashers` setting, a hasher instance, or `'default'`. */
  hasher?: string | PasswordHasher;
}

/**
 * Hashes a password for storage with the preferred hasher (or the one
 * given) and a fresh salt. `null` gives an unusable password: `!` and 40
 * random characters, which no password matches.
 *
 * @example
 * ```ts
 * import { makePassword } from 'reinhardt/auth';
 * const encoded = await makePassword('correct horse battery staple');
 * // 'pbkdf2_sha256$1500000$<salt>$<hash>'
 * await makePassword(null); // '!Kq3…' (unusable)
 * ```
 */
export async function makePassword(
  password: string | null | undefined,
  options: MakePasswordOptions = {},
): Promise<string> {
  if (password === null || password === undefined) {
    return UNUSABLE_PASSWORD_PREFIX + getRandomString(UNUSABLE_PASSWORD_SUFFIX_LENGTH);
  }
  if (typeof password !== 'string') {
    throw new TypeError(`Password must be a string, got ${typeName(password)}.`);
  }
  const hasher = getHasher(options.hasher ?? 'default');
  return hasher.encode(password, options.salt || hasher.salt());
}

function typeName(value: unknown): string {
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'object';
}

/**
 * Whether `encoded` can ever match a password, i.e. was not made by
 * `makePassword(null)`. As in Django, a missing value counts as usable.
 *
 * @example
 * ```ts
 * isPasswordUsable(await makePassword(null)); // false
 * ```
 */
export function isPasswordUsable(encoded: string | null | undefined): boolean {
  return encoded === null || encoded === undefined || !encoded.startsWith(UNUSABLE_PASSWORD_PREFIX);
}

/** What {@link verifyPassword} finds. */
export interface PasswordVerification {
  /** The password matches. */
  isCorrect: boolean;
  /** The stored hash should be replaced by a new one from the preferred hasher. */
  mustUpdate: boolean;
}

/**
 * Checks a password against a stored hash and says whether that hash is out
 * of date (another algorithm than the preferred one, another work factor, a
 * weak salt). It takes about as long whatever the stored value is: an
 * unusable password, an unknown algorithm or a malformed hash run the
 * preferred hasher once, and a wrong password for a hash with fewer PBKDF2
 * iterations than current runs the missing ones (Django's hardening against
 * user enumeration).
 *
 * @example
 * ```ts
 * const { isCorrect, mustUpdate } = await verifyPassword('pw', user.password);
 * ```
 */
export async function verifyPassword(
  password: string | null | undefined,
  encoded: string | null | undefined,
  preferred: string | PasswordHasher = 'default',
): Promise<PasswordVerification> {
  const preferredHasher = getHasher(preferred);
  const wrong = async () => {
    await runDummyHasher();
    return { isCorrect: false, mustUpdate: false };
  };
  if (typeof password !== 'string' || typeof encoded !== 'string' || !isPasswordUsable(encoded)) {
    return wrong();
  }
  let hasher: PasswordHasher;
  try {
    hasher = identifyHasher(encoded);
  } catch (error) {
    // Gibberish, or a hasher that is no longer in the setting.
    if (error instanceof ValueError) return wrong();
    throw error;
  }
  const hasherChanged = hasher.algorithm !== preferredHasher.algorithm;
  let mustUpdate: boolean;
  let isCorrect: boolean;
  try {
    mustUpdate = hasherChanged || preferredHasher.mustUpdate(encoded);
    isCorrect = await hasher.verify(password, encoded);
  } catch (error) {
    // A known algorithm but a malformed value (Django raises here instead).
    if (error instanceof ValueError) return wrong();
    throw error;
  }
  // When the hasher is the same but its work factor grew, a wrong password
  // would answer faster for old hashes than for new ones; close that gap.
  if (!isCorrect && !hasherChanged && mustUpdate) {
    await hasher.hardenRuntime(password, encoded);
  }
  return { isCorrect, mustUpdate };
}

/**
 * Whether `password` matches the stored `encoded` hash. When it does and
 * the hash is out of date, `setter(password)` is called (and awaited) so
 * the caller can store a fresh hash: that is how hashes are upgraded on
 * login when the preferred hasher or its work factor changes.
 *
 * @example
 * ```ts
 * import { checkPassword, makePassword } from 'reinhardt/auth';
 * const ok = await checkPassword(submitted, user.password, async (raw) => {
 *   user.password = await makePassword(raw);
 *   await user.save({ updateFields: ['password'] });
 * });
 * ```
 */
export async function checkPassword(
  password: string | null | undefined,
  encoded: string | null | undefined,
  setter?: (password: string) => void | Promise<void>,
  preferred: string | PasswordHasher = 'default',
): Promise<boolean> {
  const { isCorrect, mustUpdate } = await verifyPassword(password, encoded, preferred);
  if (setter && isCorrect && mustUpdate) await setter(password!);
  return isCorrect;
}

/**
 * Runs the preferred hasher once on a throwaway password and discards the
 * result. Call it where a login finds no user (or an inactive one), so the
 * answer takes as long as for a user with a wrong password and response
 * times do not reveal which accounts exist (Django ticket #20760).
 *
 * @example
 * ```ts
 * const user = await User.objects.filter({ username }).first();
 * if (!user) {
 *   await runDummyHasher(password);
 *   return null;
 * }
 * ```
 */
export async function runDummyHasher(password?: string): Promise<void> {
  const hasher = getHasher('default');
  await hasher.encode(password || getRandomString(UNUSABLE_PASSWORD_SUFFIX_LENGTH), hasher.salt());
}
