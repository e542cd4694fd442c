/**
 * Argon2 (Django's `Argon2PasswordHasher`): `argon2` followed by the
 * standard PHC string, e.g.
 * `argon2$argon2id$v=19$m=102400,t=2,p=8$<base64 salt>$<base64 hash>`
 * (base64 without padding). Computed by hash-wasm in worker threads.
 */
import { timingSafeEqual } from 'node:crypto';
import { NotSupportedError, ValueError } from '../../core/exceptions.js';
import { PasswordHasher, maskHash, mustUpdateSalt, utf8, type DecodedHash } from './base.js';
import { runWasmHash, type WasmHashFunction } from './wasm-pool.js';

/** The Argon2 version Django (argon2-cffi) writes: 0x13. */
const ARGON2_VERSION = 19;
/** argon2-cffi's default hash length, which Django uses. */
const HASH_LENGTH = 16;
const VARIETIES: Record<string, Exclude<WasmHashFunction, 'bcrypt'>> = {
  argon2id: 'argon2id',
  argon2i: 'argon2i',
  argon2d: 'argon2d',
};

/** Options of {@link Argon2PasswordHasher}; defaults are Django's. */
export interface Argon2Options {
  /** Passes over memory, t (default 2). */
  timeCost?: number;
  /** Memory in KiB, m (default 102 400, i.e. 100 MiB). */
  memoryCost?: number;
  /** Lanes, p (default 8). */
  parallelism?: number;
}

/** The parts of an argon2 encoded hash. */
export interface DecodedArgon2 extends DecodedHash {
  variety: string;
  version: number;
  memoryCost: number;
  timeCost: number;
  parallelism: number;
  /** The raw salt bytes (`salt` is the same bytes read as Latin-1, as Django shows it). */
  saltBytes: Buffer;
  hashBytes: Buffer;
}

const unpadded = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');

/**
 * Argon2id with Django's parameters (t = 2, m = 100 MiB, p = 8, 16-byte
 * hash). Verifies argon2id, argon2i and argon2d hashes of version 19.
 *
 * @example
 * ```ts
 * import { Argon2PasswordHasher } from 'reinhardt/auth';
 * const fast = new Argon2PasswordHasher({ memoryCost: 1024, parallelism: 1 });
 * await fast.encode('pw', 'somesaltsomesalt');
 * // 'argon2$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$…'
 * ```
 */
export class Argon2PasswordHasher extends PasswordHasher {
  readonly algorithm: string = 'argon2';
  readonly timeCost: number;
  readonly memoryCost: number;
  readonly parallelism: number;

  constructor(options: Argon2Options = {}) {
    super();
    this.timeCost = options.timeCost ?? 2;
    this.memoryCost = options.memoryCost ?? 102_400;
    this.parallelism = options.parallelism ?? 8;
  }

  async encode(password: string, salt: string): Promise<string> {
    this.checkEncodeArgs(password, salt);
    if (password === '') {
      // hash-wasm refuses an empty input, though Argon2 itself allows it.
      throw new NotSupportedError('The argon2 hasher cannot hash an empty password.');
    }
    const saltBytes = utf8(salt);
    const hash = await runWasmHash('argon2id', {
      password: utf8(password),
      salt: saltBytes,
      iterations: this.timeCost,
      memorySize: this.memoryCost,
      parallelism: this.parallelism,
      hashLength: HASH_LENGTH,
    });
    const params = `m=${this.memoryCost},t=${this.timeCost},p=${this.parallelism}`;
    return `${this.algorithm}$argon2id$v=${ARGON2_VERSION}$${params}$${unpadded(saltBytes)}$${unpadded(hash)}`;
  }

  decode(encoded: string): DecodedArgon2 {
    const parts = encoded.split('$');
    const invalid = () => new ValueError('Not a valid argon2 password hash.');
    if (parts[0] !== this.algorithm) throw invalid();
    // Hashes from argon2-cffi before version 16.0 have no `v=` part: Argon2 1.0 (v=16).
    const hasVersion = parts.length === 6;
    if (parts.length !== 5 && !hasVersion) throw invalid();
    const variety = parts[1]!;
    const versionMatch = hasVersion ? /^v=([0-9]+)$/.exec(parts[2]!) : null;
    if (hasVersion && !versionMatch) throw invalid();
    const params = /^m=([0-9]+),t=([0-9]+),p=([0-9]+)$/.exec(parts[hasVersion ? 3 : 2]!);
    if (!(variety in VARIETIES) || !params) throw invalid();
    const b64salt = parts[parts.length - 2]!;
    const b64hash = parts[parts.length - 1]!;
    const saltBytes = Buffer.from(b64salt, 'base64');
    return {
      algorithm: this.algorithm,
      variety,
      version: versionMatch ? Number(versionMatch[1]) : 16,
      memoryCost: Number(params[1]),
      timeCost: Number(params[2]),
      parallelism: Number(params[3]),
      salt: saltBytes.toString('latin1'),
      saltBytes,
      hash: b64hash,
      hashBytes: Buffer.from(b64hash, 'base64'),
    };
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    const d = this.decode(encoded);
    if (d.version !== ARGON2_VERSION) {
      throw new NotSupportedError(
        `Argon2 version ${d.version} hashes cannot be verified; only version ${ARGON2_VERSION} is supported.`,
      );
    }
    // hash-wasm cannot hash an empty password: spend the same time on a
    // stand-in and answer no (an empty password is refused, never accepted).
    const empty = password === '';
    const computed = await runWasmHash(VARIETIES[d.variety]!, {
      password: utf8(empty ? '\0' : password),
      salt: d.saltBytes,
      iterations: d.timeCost,
      memorySize: d.memoryCost,
      parallelism: d.parallelism,
      hashLength: d.hashBytes.length,
    });
    const same = computed.length === d.hashBytes.length && timingSafeEqual(computed, d.hashBytes);
    return same && !empty;
  }

  safeSummary(encoded: string): Record<string, string | number> {
    const d = this.decode(encoded);
    return {
      algorithm: d.algorithm,
      variety: d.variety,
      version: d.version,
      'memory cost': d.memoryCost,
      'time cost': d.timeCost,
      parallelism: d.parallelism,
      salt: maskHash(d.salt),
      hash: maskHash(d.hash),
    };
  }

  /** As Django: any parameter other than this hasher's (variety, version, costs, hash length), or a weak salt. */
  override mustUpdate(encoded: string): boolean {
    const d = this.decode(encoded);
    return (
      d.variety !== 'argon2id' ||
      d.version !== ARGON2_VERSION ||
      d.hashBytes.length !== HASH_LENGTH ||
      d.timeCost !== this.timeCost ||
      d.memoryCost !== this.memoryCost ||
      d.parallelism !== this.parallelism ||
      mustUpdateSalt(d.salt, this.saltEntropy)
    );
  }

  // hardenRuntime stays a no-op, as in Django: argon2's cost has several
  // dimensions and no sensible top-up.
}
