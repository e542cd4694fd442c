/**
 * Signed cookie values (the signing half of Django's
 * `HttpResponse.set_signed_cookie` and `HttpRequest.get_signed_cookie`), as
 * plain functions over the cookie's name and value, for the HTTP layer to
 * call.
 */
import { settings } from '../../conf/settings.js';
import { toBytes, type SecretKey } from '../crypto.js';
import { BadSignature, SignatureExpired } from './errors.js';
import { TimestampSigner } from './signer.js';

/** Options of {@link signCookie}. */
export interface SignCookieOptions {
  /** Extra salt; the same must be given to {@link getSignedCookie}. Default `''`. */
  salt?: string;
}

/** Options of {@link getSignedCookie}. */
export interface GetSignedCookieOptions {
  /** The salt given to {@link signCookie}. Default `''`. */
  salt?: string;
  /** Refuse values signed more than this many seconds ago. */
  maxAge?: number | null;
}

// Cookie signatures get keys of their own, so a cookie value can never be
// replayed as another kind of signed token.
function cookieSignerKey(key: SecretKey): Buffer {
  return Buffer.concat([Buffer.from('django.http.cookies'), toBytes(key)]);
}

// Django ≥ 5.2.15 puts the salt's length first, so that ('ab', 'c') and
// ('a', 'bc') no longer share a salt (CVE-2026-6873). Python's len() counts
// code points.
function cookieSignerSalt(cookieName: string, salt: string): string {
  return `django.http.cookies.v2:${[...salt].length}:${salt}${cookieName}`;
}

/**
 * The signer of cookie values (Django's `signing.get_cookie_signer`): a
 * {@link TimestampSigner} whose keys are `settings.secretKey` and
 * `settings.secretKeyFallbacks`, each prefixed with `django.http.cookies`.
 * Settings are read when it is called.
 *
 * @example
 * ```ts
 * import { getCookieSigner } from 'reinhardt/core';
 * const signed = getCookieSigner({ salt: 'theme' }).sign('dark');
 * ```
 */
export function getCookieSigner(options: { salt?: string } = {}): TimestampSigner {
  return new TimestampSigner({
    key: cookieSignerKey(settings.secretKey),
    fallbackKeys: settings.secretKeyFallbacks.map(cookieSignerKey),
    salt: options.salt ?? 'django.core.signing.get_cookie_signer',
  });
}

/**
 * The value to store in cookie `name` for `value`, signed and timestamped
 * as Django's `response.set_signed_cookie(name, value, salt=...)` stores it.
 *
 * @example
 * ```ts
 * import { signCookie } from 'reinhardt/core';
 * response.setCookie('theme', signCookie('theme', 'dark'));
 * ```
 */
export function signCookie(name: string, value: string, options: SignCookieOptions = {}): string {
  return getCookieSigner({ salt: cookieSignerSalt(name, options.salt ?? '') }).sign(value);
}

/**
 * The value of signed cookie `name`, given the cookie's raw value as the
 * request carried it (`undefined` when absent), as Django's
 * `request.get_signed_cookie(name, default, salt, max_age)` returns it.
 * A missing cookie, a bad signature or an expired one throws
 * {@link BadSignature} (or {@link SignatureExpired}), unless `default` is
 * given, which is then returned. Cookies signed by Django before 5.2.15 are
 * accepted while `settings.signedCookieLegacySaltFallback` is on.
 *
 * @example
 * ```ts
 * import { getSignedCookie } from 'reinhardt/core';
 * const theme = getSignedCookie('theme', request.cookies.theme, { default: 'light', maxAge: 86_400 });
 * ```
 */
export function getSignedCookie(
  name: string,
  signedValue: string | undefined,
  options?: GetSignedCookieOptions,
): string;
export function getSignedCookie<D>(
  name: string,
  signedValue: string | undefined,
  options: GetSignedCookieOptions & { default: D },
): string | D;
export function getSignedCookie(
  name: string,
  signedValue: string | undefined,
  options: GetSignedCookieOptions & { default?: unknown } = {},
): unknown {
  const hasDefault = Object.hasOwn(options, 'default');
  try {
    if (signedValue === undefined) throw new BadSignature(`No "${name}" cookie found`);
    return unsignCookie(name, signedValue, options.salt ?? '', options.maxAge);
  } catch (error) {
    if (hasDefault && error instanceof BadSignature) return options.default;
    throw error;
  }
}

function unsignCookie(
  name: string,
  signedValue: string,
  salt: string,
  maxAge: number | null | undefined,
): string {
  try {
    return getCookieSigner({ salt: cookieSignerSalt(name, salt) }).unsign(signedValue, { maxAge });
  } catch (error) {
    // An expired cookie was signed with the current salt: no second chance.
    if (
      !(error instanceof BadSignature) ||
      error instanceof SignatureExpired ||
      !settings.signedCookieLegacySaltFallback
    ) {
      throw error;
    }
    return getCookieSigner({ salt: name + salt }).unsign(signedValue, { maxAge });
  }
}
