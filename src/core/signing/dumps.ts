/**
 * `dumps` / `loads`: signed, URL-safe, optionally compressed JSON with a
 * timestamp (the roles of Django's `signing.dumps` and `signing.loads`).
 */
import type { SecretKey } from '../crypto.js';
import type { Serializer } from './serializers.js';
import { TimestampSigner } from './signer.js';

/**
 * Django's default salt for `dumps` / `loads`, kept as Django spells it so
 * tokens made by one verify in the other.
 */
export const DEFAULT_DUMPS_SALT = 'django.core.signing';

/** Options of {@link dumps}. */
export interface DumpsOptions {
  /** Default `settings.secretKey`. */
  key?: SecretKey;
  /** Default {@link DEFAULT_DUMPS_SALT}; give each use its own. */
  salt?: string;
  /** Default: JSON as Django writes it. */
  serializer?: Serializer;
  /** Deflate the JSON when that makes the result shorter. */
  compress?: boolean;
}

/** Options of {@link loads}. */
export interface LoadsOptions {
  /** Default `settings.secretKey`. */
  key?: SecretKey;
  /** Must be the salt `dumps` was given. Default {@link DEFAULT_DUMPS_SALT}. */
  salt?: string;
  /** Default: JSON as Django reads it. */
  serializer?: Serializer;
  /** Refuse tokens older than this many seconds ({@link SignatureExpired}). */
  maxAge?: number | null;
  /** Older keys still accepted; default `settings.secretKeyFallbacks`. */
  fallbackKeys?: readonly SecretKey[];
}

/**
 * A URL-safe, signed, timestamped token holding `obj` as JSON (Django's
 * `signing.dumps`): `<base64 JSON>:<timestamp>:<signature>`, with a leading
 * `.` when compressed. The content is readable by anyone; the signature
 * only stops changes.
 *
 * @example
 * ```ts
 * import { dumps, loads } from 'reinhardt/core';
 * const token = dumps({ userId: 42 }, { key: 'secret', salt: 'unsubscribe' });
 * loads(token, { key: 'secret', salt: 'unsubscribe', maxAge: 86_400 }); // { userId: 42 }
 * ```
 */
export function dumps(obj: unknown, options: DumpsOptions = {}): string {
  const signer = new TimestampSigner({
    key: options.key,
    salt: options.salt ?? DEFAULT_DUMPS_SALT,
  });
  return signer.signObject(obj, { serializer: options.serializer, compress: options.compress });
}

/**
 * The object of a token made by {@link dumps} (or Django's `signing.dumps`),
 * once its signature and, with `maxAge`, its age are checked. Throws
 * {@link BadSignature} or {@link SignatureExpired}.
 *
 * @example
 * ```ts
 * import { loads } from 'reinhardt/core';
 * const { userId } = loads<{ userId: number }>(token, { salt: 'unsubscribe', maxAge: 86_400 });
 * ```
 */
export function loads<T = unknown>(s: string, options: LoadsOptions = {}): T {
  const signer = new TimestampSigner({
    key: options.key,
    salt: options.salt ?? DEFAULT_DUMPS_SALT,
    fallbackKeys: options.fallbackKeys,
  });
  return signer.unsignObject<T>(s, { serializer: options.serializer, maxAge: options.maxAge });
}
