/**
 * PBKDF2 with HMAC-SHA256 (Django's default hasher) and with HMAC-SHA1.
 * Encoded as `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`.
 */
import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import {
  PasswordHasher,
  constantTimeCompare,
  maskHash,
  mustUpdateSalt,
  positiveInt,
  utf8,
  type DecodedHash,
} from './base.js';

// The callback form runs on libuv's thread pool: a million iterations do not
// block the event loop.
const pbkdf2Async = promisify(pbkdf2);

/**
 * Django's default iteration count, as of Django 6.1 (1 500 000; Django 5.2
 * had 1 000 000, 6.0 1 200 000). Stored hashes keep the count they were made
 * with, so raising it never breaks existing passwords.
 */
export const PBKDF2_DEFAULT_ITERATIONS = 1_500_000;

/** Options of the PBKDF2 hashers. */
export interface PBKDF2Options {
  /** Iterations for new hashes (default {@link PBKDF2_DEFAULT_ITERATIONS}). */
  iterations?: number;
}

/**
 * PBKDF2 + HMAC-SHA256, the default hasher (Django's `PBKDF2PasswordHasher`).
 * The derived key is as long as the digest (32 bytes), base64-encoded.
 *
 * @example
 * ```ts
 * import { PBKDF2PasswordHasher } from 'reinhardt/auth';
 * const hasher = new PBKDF2PasswordHasher({ iterations: 1000 });
 * const encoded = await hasher.encode('correct horse', 'seasalt');
 * // 'pbkdf2_sha256$1000$seasalt$…'
 * await hasher.verify('correct horse', encoded); // true
 * ```
 */
export class PBKDF2PasswordHasher extends PasswordHasher {
  readonly algorithm: string = 'pbkdf2_sha256';
  /** The HMAC digest (Node's name for it). */
  protected readonly digest: string = 'sha256';
  protected readonly keyLength: number = 32;
  readonly iterations: number;

  constructor(options: PBKDF2Options = {}) {
    super();
    this.iterations = options.iterations ?? PBKDF2_DEFAULT_ITERATIONS;
  }

  async encode(password: string, salt: string, iterations = this.iterations): Promise<string> {
    this.checkEncodeArgs(password, salt);
    const key = await pbkdf2Async(
      utf8(password),
      utf8(salt),
      iterations,
      this.keyLength,
      this.digest,
    );
    return `${this.algorithm}$${iterations}$${salt}$${key.toString('base64')}`;
  }

  decode(encoded: string): DecodedHash & { iterations: number } {
    const [algorithm = '', iterations = '', salt = '', hash = ''] = this.split(encoded, 4);
    return { algorithm, iterations: positiveInt(iterations, 'iterations'), salt, hash };
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    const { salt, iterations } = this.decode(encoded);
    return constantTimeCompare(encoded, await this.encode(password, salt, iterations));
  }

  safeSummary(encoded: string): Record<string, string | number> {
    const decoded = this.decode(encoded);
    return {
      algorithm: decoded.algorithm,
      iterations: decoded.iterations,
      salt: maskHash(decoded.salt),
      hash: maskHash(decoded.hash),
    };
  }

  override mustUpdate(encoded: string): boolean {
    const decoded = this.decode(encoded);
    return decoded.iterations !== this.iterations || mustUpdateSalt(decoded.salt, this.saltEntropy);
  }

  override async hardenRuntime(password: string, encoded: string): Promise<void> {
    const decoded = this.decode(encoded);
    const extra = this.iterations - decoded.iterations;
    if (extra > 0) await this.encode(password, decoded.salt, extra);
  }
}

/**
 * PBKDF2 + HMAC-SHA1 (Django's `PBKDF2SHA1PasswordHasher`), for hashes made
 * by projects that chose it; 20-byte keys.
 *
 * @example
 * ```ts
 * import { PBKDF2SHA1PasswordHasher } from 'reinhardt/auth';
 * await new PBKDF2SHA1PasswordHasher({ iterations: 1000 }).encode('pw', 'salt');
 * // 'pbkdf2_sha1$1000$salt$…'
 * ```
 */
export class PBKDF2SHA1PasswordHasher extends PBKDF2PasswordHasher {
  override readonly algorithm: string = 'pbkdf2_sha1';
  protected override readonly digest: string = 'sha1';
  protected override readonly keyLength: number = 20;
}
