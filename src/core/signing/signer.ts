/**
 * `Signer` and `TimestampSigner` (the roles of Django's classes of the same
 * names in `django.core.signing`), with Django's wire format:
 *
 *     value:signature                 Signer
 *     value:timestamp:signature       TimestampSigner (timestamp in base62)
 *
 * where the signature is the URL-safe, unpadded base64 of
 * `saltedHmac(salt + 'signer', signedPart, key, { algorithm })`.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { settings } from '../../conf/settings.js';
import { now } from '../../utils/clock.js';
import { constantTimeCompare, saltedHmac, type HashAlgorithm, type SecretKey } from '../crypto.js';
import { ValueError } from '../exceptions.js';
import { b62Decode, b62Encode, b64Decode, b64Encode } from './encoding.js';
import { BadSignature, SignatureExpired } from './errors.js';
import { JSONSerializer, type Serializer } from './serializers.js';
import { pyFloatRepr, pyStrRepr } from './python.js';

/** Options of {@link Signer} and {@link TimestampSigner}. */
export interface SignerOptions {
  /** The signing key; default `settings.secretKey`, read each time a signature is made. */
  key?: SecretKey;
  /** Between the value and its signature; default `':'`. Must not be empty or only `A-z0-9-_=`. */
  sep?: string;
  /** Namespaces the signatures; default the class's {@link Signer.defaultSalt}. */
  salt?: string;
  /** The HMAC's hash; default `'sha256'`. */
  algorithm?: HashAlgorithm;
  /** Older keys still accepted by `unsign`; default `settings.secretKeyFallbacks`, read each time. */
  fallbackKeys?: readonly SecretKey[];
}

/** Options of {@link Signer.signObject}. */
export interface SignObjectOptions {
  /** Default: {@link JSONSerializer}, Django's format. */
  serializer?: Serializer;
  /** Deflate the serialized object when that makes it shorter (marked by a leading `.`). */
  compress?: boolean;
}

/** Options of {@link Signer.unsignObject}. */
export interface UnsignObjectOptions {
  /** Default: {@link JSONSerializer}, Django's format. */
  serializer?: Serializer;
}

/** Options of {@link TimestampSigner.unsign}. */
export interface TimestampUnsignOptions {
  /** Refuse signatures older than this many seconds, with {@link SignatureExpired}. */
  maxAge?: number | null;
}

// Django's _SEP_UNSAFE, including its quirk: A-z also spans [\]^_` .
const SEP_UNSAFE = /^[A-z0-9\-_=]*$/;

function isEmptyKey(key: SecretKey | undefined): key is undefined {
  return key === undefined || key.length === 0;
}

/**
 * Signs strings so that any change to them is detected (Django's
 * `django.core.signing.Signer`). A value signed by Django verifies here and
 * the other way round, given the same key, salt and algorithm; the default
 * salt is Django's (`'django.core.signing.Signer'`) for that reason.
 *
 * The key and fallback keys default to `settings.secretKey` and
 * `settings.secretKeyFallbacks`, read when signing or verifying (never at
 * construction), so a signer may be made at module top level.
 *
 * @example
 * ```ts
 * import { Signer } from 'reinhardt/core';
 * const signer = new Signer({ key: 'secret', salt: 'newsletter' });
 * const signed = signer.sign('alice@example.com'); // 'alice@example.com:<signature>'
 * signer.unsign(signed); // 'alice@example.com'
 * const token = signer.signObject({ list: 'weekly' }, { compress: true });
 * signer.unsignObject(token); // { list: 'weekly' }
 * ```
 */
export class Signer {
  /**
   * The salt used when none is given. Django derives it from the class's
   * module and name; subclasses that sign for another purpose should set
   * their own.
   */
  static readonly defaultSalt: string = 'django.core.signing.Signer';

  readonly sep: string;
  readonly salt: string;
  readonly algorithm: HashAlgorithm;
  readonly #key: SecretKey | undefined;
  readonly #fallbackKeys: readonly SecretKey[] | undefined;

  constructor(options: SignerOptions = {}) {
    this.sep = options.sep ?? ':';
    if (SEP_UNSAFE.test(this.sep)) {
      throw new ValueError(
        `Unsafe Signer separator: ${pyStrRepr(this.sep)} ` +
          '(cannot be empty or consist of only A-z0-9-_=)',
      );
    }
    this.salt = options.salt || (new.target as typeof Signer).defaultSalt;
    this.algorithm = options.algorithm || 'sha256';
    this.#key = isEmptyKey(options.key) ? undefined : options.key;
    this.#fallbackKeys = options.fallbackKeys;
  }

  /** The signing key: the one given, else `settings.secretKey`. */
  get key(): SecretKey {
    return this.#key ?? settings.secretKey;
  }

  /** The keys `unsign` also accepts: the ones given, else `settings.secretKeyFallbacks`. */
  get fallbackKeys(): readonly SecretKey[] {
    return this.#fallbackKeys ?? settings.secretKeyFallbacks;
  }

  /** The signature of `value` under `key` (default: the signer's key). */
  signature(value: string, key?: SecretKey): string {
    const mac = saltedHmac(this.salt + 'signer', value, isEmptyKey(key) ? this.key : key, {
      algorithm: this.algorithm,
    });
    return b64Encode(mac);
  }

  /** `value`, the separator and the signature. */
  sign(value: string): string {
    return `${value}${this.sep}${this.signature(value)}`;
  }

  /**
   * The value of a signed string, after checking its signature against the
   * key and then each fallback key. Throws {@link BadSignature} otherwise.
   */
  unsign(signedValue: string): string {
    const at = signedValue.lastIndexOf(this.sep);
    if (at < 0) throw new BadSignature(`No "${this.sep}" found in value`);
    const value = signedValue.slice(0, at);
    const signature = signedValue.slice(at + this.sep.length);
    for (const key of [this.key, ...this.fallbackKeys]) {
      if (constantTimeCompare(signature, this.signature(value, key))) return value;
    }
    throw new BadSignature(`Signature "${signature}" does not match`);
  }

  /**
   * Serializes `obj` (JSON by default), optionally compresses it, and signs
   * the URL-safe base64 of the result (Django's `sign_object`). The
   * compression flag is part of what is signed, so a forged payload cannot
   * make the server inflate a zip bomb.
   */
  signObject(obj: unknown, options: SignObjectOptions = {}): string {
    return this.sign(encodePayload(obj, options));
  }

  /** The object of a string made by {@link signObject}, once its signature is checked. */
  unsignObject<T = unknown>(signedObj: string, options: UnsignObjectOptions = {}): T {
    return decodePayload(this.unsign(signedObj), options) as T;
  }
}

/**
 * A {@link Signer} that also signs the time, so `unsign` can refuse old
 * signatures (Django's `TimestampSigner`). The time comes from the
 * framework's clock, which `freezeTime` from `reinhardt/test` stops.
 *
 * @example
 * ```ts
 * import { TimestampSigner } from 'reinhardt/core';
 * const signer = new TimestampSigner({ key: 'secret' });
 * const signed = signer.sign('hello'); // 'hello:<timestamp>:<signature>'
 * signer.unsign(signed, { maxAge: 60 }); // 'hello', or SignatureExpired after a minute
 * ```
 */
export class TimestampSigner extends Signer {
  static override readonly defaultSalt: string = 'django.core.signing.TimestampSigner';

  /** The current time in whole seconds since the epoch, in base62. */
  timestamp(): string {
    return b62Encode(Math.floor(now().getTime() / 1000));
  }

  override sign(value: string): string {
    return super.sign(`${value}${this.sep}${this.timestamp()}`);
  }

  /**
   * The value of a signed string, after checking its signature and, with
   * `maxAge`, its age: older than `maxAge` seconds throws
   * {@link SignatureExpired} with Django's message
   * (`Signature age 12.5 > 10 seconds`).
   */
  override unsign(value: string, options: TimestampUnsignOptions = {}): string {
    const result = super.unsign(value);
    const at = result.lastIndexOf(this.sep);
    // Only reachable with a valid signature over a value without a
    // timestamp (Django fails here with a ValueError).
    if (at < 0) throw new BadSignature(`No "${this.sep}" found in value`);
    const stamp = result.slice(at + this.sep.length);
    const timestamp = b62Decode(stamp);
    if (timestamp === undefined) throw new BadSignature(`Timestamp "${stamp}" is not base62`);
    const { maxAge } = options;
    if (maxAge !== undefined && maxAge !== null) {
      const age = now().getTime() / 1000 - timestamp;
      if (age > maxAge) {
        throw new SignatureExpired(`Signature age ${pyFloatRepr(age)} > ${maxAge} seconds`);
      }
    }
    return result.slice(0, at);
  }

  /** As {@link Signer.unsignObject}, refusing signatures older than `maxAge` seconds. */
  override unsignObject<T = unknown>(
    signedObj: string,
    options: UnsignObjectOptions & TimestampUnsignOptions = {},
  ): T {
    return decodePayload(this.unsign(signedObj, options), options) as T;
  }
}

function encodePayload(obj: unknown, options: SignObjectOptions): string {
  const data = (options.serializer ?? new JSONSerializer()).dumps(obj);
  if (options.compress) {
    const compressed = deflateSync(data);
    // Django's rule: compress only when it saves more than the '.' costs.
    if (compressed.length < data.length - 1) return '.' + b64Encode(compressed);
  }
  return b64Encode(data);
}

function decodePayload(payload: string, options: UnsignObjectOptions): unknown {
  const compressed = payload.startsWith('.');
  let data = b64Decode(compressed ? payload.slice(1) : payload);
  if (compressed) data = inflateSync(data);
  return (options.serializer ?? new JSONSerializer()).loads(data);
}
