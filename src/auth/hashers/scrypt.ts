/**
 * scrypt (Django's `ScryptPasswordHasher`, Django 4.0+). Encoded as
 * `scrypt$<n>$<salt>$<r>$<p>$<base64 hash>` — the work factor comes before
 * the salt, the block size and parallelism after it, as Django writes it.
 */
import { scrypt, type ScryptOptions as NodeScryptOptions } from 'node:crypto';
import {
  PasswordHasher,
  constantTimeCompare,
  maskHash,
  positiveInt,
  utf8,
  type DecodedHash,
} from './base.js';

function scryptAsync(
  password: Buffer,
  salt: Buffer,
  keyLength: number,
  options: NodeScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Options of {@link ScryptPasswordHasher}; defaults are Django's. */
export interface ScryptOptions {
  /** CPU/memory cost N, a power of two (default 2**14). */
  workFactor?: number;
  /** Block size r (default 8). */
  blockSize?: number;
  /** Parallelism p (default 5). */
  parallelism?: number;
}

/**
 * scrypt with Django's parameters (N = 2**14, r = 8, p = 5, 64-byte key).
 * Runs on libuv's thread pool.
 *
 * @example
 * ```ts
 * import { ScryptPasswordHasher } from 'reinhardt/auth';
 * const hasher = new ScryptPasswordHasher({ workFactor: 2 ** 10 });
 * const encoded = await hasher.encode('pw', 'salt'); // 'scrypt$1024$salt$8$5$…'
 * ```
 */
export class ScryptPasswordHasher extends PasswordHasher {
  readonly algorithm: string = 'scrypt';
  readonly workFactor: number;
  readonly blockSize: number;
  readonly parallelism: number;

  constructor(options: ScryptOptions = {}) {
    super();
    this.workFactor = options.workFactor ?? 2 ** 14;
    this.blockSize = options.blockSize ?? 8;
    this.parallelism = options.parallelism ?? 5;
  }

  async encode(
    password: string,
    salt: string,
    n = this.workFactor,
    r = this.blockSize,
    p = this.parallelism,
  ): Promise<string> {
    this.checkEncodeArgs(password, salt);
    // Node refuses to use more than maxmem (32 MiB by default); scrypt needs
    // about 128·N·r bytes, so allow that much for hashes with larger factors.
    const maxmem = Math.max(32 * 1024 * 1024, 2 * 128 * n * r + 1024 * 1024);
    const key = await scryptAsync(utf8(password), utf8(salt), 64, { N: n, r, p, maxmem });
    return `${this.algorithm}$${n}$${salt}$${r}$${p}$${key.toString('base64')}`;
  }

  decode(encoded: string): DecodedHash & {
    workFactor: number;
    blockSize: number;
    parallelism: number;
  } {
    const [algorithm = '', n = '', salt = '', r = '', p = '', hash = ''] = this.split(encoded, 6);
    return {
      algorithm,
      workFactor: positiveInt(n, 'work factor'),
      salt,
      blockSize: positiveInt(r, 'block size'),
      parallelism: positiveInt(p, 'parallelism'),
      hash,
    };
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    const d = this.decode(encoded);
    const again = await this.encode(password, d.salt, d.workFactor, d.blockSize, d.parallelism);
    return constantTimeCompare(encoded, again);
  }

  safeSummary(encoded: string): Record<string, string | number> {
    const d = this.decode(encoded);
    return {
      algorithm: d.algorithm,
      'work factor': d.workFactor,
      'block size': d.blockSize,
      parallelism: d.parallelism,
      salt: maskHash(d.salt),
      hash: maskHash(d.hash),
    };
  }

  override mustUpdate(encoded: string): boolean {
    const d = this.decode(encoded);
    return (
      d.workFactor !== this.workFactor ||
      d.blockSize !== this.blockSize ||
      d.parallelism !== this.parallelism
    );
  }

  // hardenRuntime stays a no-op, as in Django: scrypt's cost does not scale
  // with one number that could be topped up.
}
