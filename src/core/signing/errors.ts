/**
 * The errors of `reinhardt/core` signing (Django's `BadSignature` and
 * `SignatureExpired`, with Django's messages).
 */
import { ReinhardtError } from '../exceptions.js';

/**
 * A signed value failed verification: tampered with, signed with another
 * key or salt, or malformed (Django's `BadSignature`).
 *
 * @example
 * ```ts
 * import { BadSignature, Signer } from 'reinhardt/core';
 * try {
 *   new Signer({ key: 'secret' }).unsign('hello:forged');
 * } catch (error) {
 *   if (!(error instanceof BadSignature)) throw error;
 *   // error.message: 'Signature "forged" does not match'
 * }
 * ```
 */
export class BadSignature extends ReinhardtError {
  override readonly code: string = 'bad_signature';
}

/**
 * A timestamped signature is valid but older than the `maxAge` asked for
 * (Django's `SignatureExpired`, a {@link BadSignature}).
 *
 * @example
 * ```ts
 * import { SignatureExpired, loads } from 'reinhardt/core';
 * try {
 *   loads(token, { maxAge: 3600 });
 * } catch (error) {
 *   if (error instanceof SignatureExpired) askForANewLink();
 *   else throw error;
 * }
 * ```
 */
export class SignatureExpired extends BadSignature {
  override readonly code: string = 'signature_expired';
}
