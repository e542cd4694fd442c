/**
 * bcrypt (Django's `BCryptSHA256PasswordHasher` and `BCryptPasswordHasher`):
 * the algorithm name followed by bcrypt's own string, e.g.
 * `bcrypt_sha256$$2b$12$<22-character salt><31-character hash>`. Computed
 * by hash-wasm in worker threads.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ValueError } from '../../core/exceptions.js';
import { PasswordHasher, constantTimeCompare, maskHash, utf8, type DecodedHash } from './base.js';
import { runWasmHash } from './wasm-pool.js';

// bcrypt's base64 alphabet (not RFC 4648's).
const ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The 16 salt bytes of bcrypt's 22-character salt. */
function decodeSalt(text: string): Uint8Array {
  const bytes = new Uint8Array(16);
  let bits = 0;
  let value = 0;
  let n = 0;
  for (const char of text) {
    const digit = ALPHABET.indexOf(char);
    if (digit === -1) throw new ValueError('Not a valid bcrypt salt.');
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8 && n < 16) {
      bits -= 8;
      bytes[n++] = (value >> bits) & 0xff;
    }
  }
  return bytes;
}

function encodeSalt(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += ALPHABET[(value >> bits) & 0x3f];
    }
  }
  if (bits > 0) out += ALPHABET[(value << (6 - bits)) & 0x3f];
  return out;
}

/** `$2b$12$` + salt: what Python's `bcrypt.gensalt(12)` returns. */
const SALT_PATTERN = /^\$(2[abxy]?)\$([0-9]{2})\$([./A-Za-z0-9]{22})/;

/**
 * bcrypt over the hex SHA-256 of the password, so passwords longer than
 * bcrypt's 72 bytes are not truncated (Django's `BCryptSHA256PasswordHasher`,
 * 12 rounds by default). Its salt is bcrypt's own `$2b$12$…` prefix.
 *
 * @example
 * ```ts
 * import { BCryptSHA256PasswordHasher } from 'reinhardt/auth';
 * const hasher = new BCryptSHA256PasswordHasher({ rounds: 4 });
 * await hasher.encode('pw', hasher.salt()); // 'bcrypt_sha256$$2b$04$…'
 * ```
 */
export class BCryptSHA256PasswordHasher extends PasswordHasher {
  readonly algorithm: string = 'bcrypt_sha256';
  /** Pre-hash the password with SHA-256 (hex) before bcrypt. */
  protected readonly prehash: boolean = true;
  /** The cost: 2**rounds iterations (default 12). */
  readonly rounds: number;

  constructor(options: { rounds?: number } = {}) {
    super();
    this.rounds = options.rounds ?? 12;
  }

  /** A bcrypt salt with this hasher's rounds: `$2b$12$` and 22 characters (128 bits). */
  override salt(): string {
    return `$2b$${String(this.rounds).padStart(2, '0')}$${encodeSalt(randomBytes(16))}`;
  }

  async encode(password: string, salt: string): Promise<string> {
    if (password === null || password === undefined) {
      throw new TypeError('password must be provided.');
    }
    const match = SALT_PATTERN.exec(salt);
    if (!match) throw new ValueError('Invalid bcrypt salt.');
    const [, version, cost, saltText] = match as unknown as [string, string, string, string];
    let secret = utf8(password);
    if (this.prehash) secret = Buffer.from(createHash('sha256').update(secret).digest('hex'));
    // bcrypt reads at most 72 bytes (Python's bcrypt before 5.0 truncated
    // silently; hash-wasm refuses longer input).
    if (secret.length > 72) secret = secret.subarray(0, 72);
    if (secret.length === 0) secret = Buffer.from([0]);
    const wasm = await runWasmHash('bcrypt', {
      password: secret,
      salt: decodeSalt(saltText),
      costFactor: Number(cost),
    });
    // hash-wasm writes `$2a$`; keep the version the salt asked for, as bcrypt does.
    return `${this.algorithm}$$${version}$${cost}$${wasm.slice(7)}`;
  }

  decode(encoded: string): DecodedHash & { workFactor: number; algostr: string } {
    const prefix = `${this.algorithm}$`;
    const match = encoded.startsWith(prefix)
      ? /^\$(2[abxy]?)\$([0-9]{2})\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/.exec(
          encoded.slice(prefix.length),
        )
      : null;
    if (!match) throw new ValueError(`Not a valid ${this.algorithm} password hash.`);
    return {
      algorithm: this.algorithm,
      algostr: match[1]!,
      workFactor: Number(match[2]),
      salt: match[3]!,
      hash: match[4]!,
    };
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    this.decode(encoded);
    const again = await this.encode(password, encoded.slice(this.algorithm.length + 1));
    return constantTimeCompare(encoded, again);
  }

  safeSummary(encoded: string): Record<string, string | number> {
    const d = this.decode(encoded);
    return {
      algorithm: d.algorithm,
      'work factor': d.workFactor,
      salt: maskHash(d.salt),
      checksum: maskHash(d.hash),
    };
  }

  override mustUpdate(encoded: string): boolean {
    return this.decode(encoded).workFactor !== this.rounds;
  }

  /** Django's hardening: every missing round doubles the work, so run the hash 2**(missing) − 1 more times. */
  override async hardenRuntime(password: string, encoded: string): Promise<void> {
    const salt = encoded.slice(this.algorithm.length + 1, this.algorithm.length + 1 + 29);
    for (let extra = 2 ** (this.rounds - this.decode(encoded).workFactor) - 1; extra > 0; extra--) {
      await this.encode(password, salt);
    }
  }
}

/**
 * Plain bcrypt (Django's `BCryptPasswordHasher`): the password itself, so
 * only its first 72 bytes count. Prefer {@link BCryptSHA256PasswordHasher}.
 *
 * @example
 * ```ts
 * import { BCryptPasswordHasher } from 'reinhardt/auth';
 * await new BCryptPasswordHasher({ rounds: 4 }).encode('pw', '$2b$04$abcdefghijklmnopqrstuu');
 * ```
 */
export class BCryptPasswordHasher extends BCryptSHA256PasswordHasher {
  override readonly algorithm: string = 'bcrypt';
  protected override readonly prehash: boolean = false;
}
