/**
 * Salted MD5 (Django's `MD5PasswordHasher`): `md5$<salt>$<hex hash>`.
 * Insecure for real passwords; it exists, as in Django, to make test suites
 * that create many users fast.
 */
import { createHash } from 'node:crypto';
import {
  PasswordHasher,
  constantTimeCompare,
  maskHash,
  mustUpdateSalt,
  utf8,
  type DecodedHash,
} from './base.js';

/**
 * MD5 of salt + password. Use it only in tests, via
 * `overrideSettings({ passwordHashers: ['md5'] }, …)`.
 *
 * @example
 * ```ts
 * import { MD5PasswordHasher } from 'reinhardt/auth';
 * await new MD5PasswordHasher().encode('pw', 'salt'); // 'md5$salt$…'
 * ```
 */
export class MD5PasswordHasher extends PasswordHasher {
  readonly algorithm: string = 'md5';

  async encode(password: string, salt: string): Promise<string> {
    this.checkEncodeArgs(password, salt);
    const hash = createHash('md5')
      .update(utf8(salt + password))
      .digest('hex');
    return `${this.algorithm}$${salt}$${hash}`;
  }

  decode(encoded: string): DecodedHash {
    const [algorithm = '', salt = '', hash = ''] = this.split(encoded, 3);
    return { algorithm, salt, hash };
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    return constantTimeCompare(encoded, await this.encode(password, this.decode(encoded).salt));
  }

  safeSummary(encoded: string): Record<string, string | number> {
    const d = this.decode(encoded);
    return { algorithm: d.algorithm, salt: maskHash(d.salt, 2), hash: maskHash(d.hash) };
  }

  override mustUpdate(encoded: string): boolean {
    return mustUpdateSalt(this.decode(encoded).salt, this.saltEntropy);
  }
}
