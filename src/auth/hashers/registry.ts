/**
 * Which hashers exist and which the project uses: the built-in names, hashers
 * registered by the project, and the `passwordHashers` setting (Django's
 * `PASSWORD_HASHERS`, whose first entry hashes new passwords).
 */
import { settings } from '../../conf/settings.js';
import { ImproperlyConfigured, ValueError } from '../../core/exceptions.js';
import { Argon2PasswordHasher } from './argon2.js';
import { PasswordHasher } from './base.js';
import { BCryptPasswordHasher, BCryptSHA256PasswordHasher } from './bcrypt.js';
import { MD5PasswordHasher } from './md5.js';
import { PBKDF2PasswordHasher, PBKDF2SHA1PasswordHasher } from './pbkdf2.js';
import { ScryptPasswordHasher } from './scrypt.js';

const BUILTIN: Record<string, () => PasswordHasher> = {
  pbkdf2_sha256: () => new PBKDF2PasswordHasher(),
  pbkdf2_sha1: () => new PBKDF2SHA1PasswordHasher(),
  argon2: () => new Argon2PasswordHasher(),
  bcrypt_sha256: () => new BCryptSHA256PasswordHasher(),
  bcrypt: () => new BCryptPasswordHasher(),
  scrypt: () => new ScryptPasswordHasher(),
  md5: () => new MD5PasswordHasher(),
};

const registered = new Map<string, PasswordHasher>();

/**
 * Makes a hasher available by its algorithm name in the `passwordHashers`
 * setting (the role of a dotted path to a custom hasher class in Django).
 * Registering a built-in name replaces the built-in, which is how a
 * project changes a work factor everywhere.
 *
 * @example
 * ```ts
 * import { PBKDF2PasswordHasher, registerHasher } from 'reinhardt/auth';
 * registerHasher(new PBKDF2PasswordHasher({ iterations: 2_000_000 }));
 * // settings: passwordHashers: ['pbkdf2_sha256', 'argon2']
 * ```
 */
export function registerHasher(hasher: PasswordHasher): void {
  if (!(hasher instanceof PasswordHasher) || !hasher.algorithm) {
    throw new ImproperlyConfigured("hasher doesn't specify an algorithm name.");
  }
  registered.set(hasher.algorithm, hasher);
  cache = new WeakMap();
}

/** Hashers built from one value of the setting, so each entry is built once. */
let cache = new WeakMap<object, PasswordHasher[]>();

function resolve(entry: unknown): PasswordHasher {
  if (entry instanceof PasswordHasher) {
    if (!entry.algorithm) {
      throw new ImproperlyConfigured("hasher doesn't specify an algorithm name.");
    }
    return entry;
  }
  if (typeof entry === 'string') {
    const hasher = registered.get(entry) ?? BUILTIN[entry]?.();
    if (hasher) return hasher;
    throw new ImproperlyConfigured(
      `Unknown password hasher '${entry}' in the passwordHashers setting. ` +
        `Built-in hashers: ${Object.keys(BUILTIN).join(', ')}; others must be registered with registerHasher().`,
    );
  }
  throw new ImproperlyConfigured(
    'Each passwordHashers entry must be a hasher name or a PasswordHasher instance.',
  );
}

/**
 * The hashers of the `passwordHashers` setting, preferred first (Django's
 * `get_hashers()`).
 *
 * @example
 * ```ts
 * getHashers().map((h) => h.algorithm); // ['pbkdf2_sha256', 'pbkdf2_sha1', 'argon2', 'bcrypt_sha256', 'scrypt']
 * ```
 */
export function getHashers(): PasswordHasher[] {
  const configured: unknown = settings.passwordHashers;
  if (!Array.isArray(configured) || configured.length === 0) {
    throw new ImproperlyConfigured('The passwordHashers setting must be a non-empty array.');
  }
  let hashers = cache.get(configured);
  if (!hashers) {
    hashers = configured.map(resolve);
    cache.set(configured, hashers);
  }
  return hashers;
}

/**
 * A hasher by algorithm name from the `passwordHashers` setting, or the
 * preferred one for `'default'`; a hasher instance is returned as it is
 * (Django's `get_hasher()`). Throws `ValueError` for a name not in the setting.
 *
 * @example
 * ```ts
 * getHasher().algorithm; // 'pbkdf2_sha256'
 * getHasher('argon2');   // the Argon2PasswordHasher of the setting
 * ```
 */
export function getHasher(algorithm: string | PasswordHasher = 'default'): PasswordHasher {
  if (algorithm instanceof PasswordHasher) return algorithm;
  if (algorithm === 'default') return getHashers()[0]!;
  return byAlgorithm(algorithm);
}

function byAlgorithm(algorithm: string): PasswordHasher {
  const hasher = getHashers().find((h) => h.algorithm === algorithm);
  if (!hasher) {
    throw new ValueError(
      `Unknown password hashing algorithm '${algorithm}'. Did you specify it in the passwordHashers setting?`,
    );
  }
  return hasher;
}

/**
 * The hasher of an encoded password, from the text before its first `$`
 * (Django's `identify_hasher()`). Throws `ValueError` when that algorithm is
 * not in the `passwordHashers` setting.
 *
 * @example
 * ```ts
 * identifyHasher('pbkdf2_sha256$1500000$salt$hash').algorithm; // 'pbkdf2_sha256'
 * ```
 */
export function identifyHasher(encoded: string): PasswordHasher {
  const dollar = encoded.indexOf('$');
  // Not getHasher(): a stored value reading 'default' must not pick the preferred hasher.
  return byAlgorithm(dollar === -1 ? encoded : encoded.slice(0, dollar));
}
