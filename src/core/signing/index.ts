/**
 * Cryptographic signing, wire-compatible with Django's
 * `django.core.signing`: values, objects and cookies signed by Django
 * verify here and the other way round, given the same key and salt.
 */
export { b62Decode, b62Encode, b64Decode, b64Encode } from './encoding.js';
export { BadSignature, SignatureExpired } from './errors.js';
export { JSONSerializer, type Serializer } from './serializers.js';
export {
  Signer,
  TimestampSigner,
  type SignObjectOptions,
  type SignerOptions,
  type TimestampUnsignOptions,
  type UnsignObjectOptions,
} from './signer.js';
export { DEFAULT_DUMPS_SALT, dumps, loads, type DumpsOptions, type LoadsOptions } from './dumps.js';
export {
  getCookieSigner,
  getSignedCookie,
  signCookie,
  type GetSignedCookieOptions,
  type SignCookieOptions,
} from './cookies.js';
