/**
 * Deployment checks of security settings (the role of
 * `django/core/checks/security/`). They run with `reinhardt check --deploy`
 * and are registered when the checks module is imported; they read settings
 * only when run.
 *
 * Unlike Django, the cookie, HSTS and SSL-redirect checks do not depend on
 * which middleware is installed: Reinhardt's middleware names are not fixed
 * yet, so these settings are always checked.
 */
import { ImproperlyConfigured } from '../exceptions.js';
import { settings } from '../../conf/settings.js';
import { Warning } from './messages.js';
import { Tags, registerCheck } from './registry.js';

/** Shortest secret key that passes security.W009. */
export const SECRET_KEY_MIN_LENGTH = 50;
/** Fewest distinct characters a secret key needs to pass security.W009. */
export const SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5;
/** Prefixes of generated throw-away keys (Reinhardt's and Django's). */
export const SECRET_KEY_INSECURE_PREFIXES = ['reinhardt-insecure-', 'django-insecure-'] as const;

const secretKeyWarning = (name: string): string =>
  `Your ${name} has less than ${SECRET_KEY_MIN_LENGTH} characters, less than ` +
  `${SECRET_KEY_MIN_UNIQUE_CHARACTERS} unique characters, or it's prefixed with ` +
  `'${SECRET_KEY_INSECURE_PREFIXES[0]}' or '${SECRET_KEY_INSECURE_PREFIXES[1]}' indicating that it ` +
  'was generated automatically. Please generate a long and random value, otherwise many of ' +
  "Reinhardt's security-critical features will be vulnerable to attack.";

const SECRET_KEY_HINT =
  "Generate one with: node -e \"console.log(require('node:crypto').randomBytes(48).toString('base64url'))\"";

/**
 * The deployment warnings, by id (Django's `W004`, `W008`, … constants),
 * with Django's texts adapted to Reinhardt's setting names.
 *
 * @example
 * ```ts
 * messages.some((m) => m.equals(SECURITY_WARNINGS.W018));
 * ```
 */
export const SECURITY_WARNINGS = Object.freeze({
  W004: new Warning(
    'You have not set a value for the secureHstsSeconds setting. If your entire site is served ' +
      'only over SSL, you may want to consider setting a value and enabling HTTP Strict ' +
      'Transport Security. Be sure to read the documentation first; enabling HSTS carelessly ' +
      'can cause serious, irreversible problems.',
    { id: 'security.W004' },
  ),
  W005: new Warning(
    'You have not set the secureHstsIncludeSubdomains setting to true. Without this, your site ' +
      'is potentially vulnerable to attack via an insecure connection to a subdomain. Only set ' +
      'this to true if you are certain that all subdomains of your domain should be served ' +
      'exclusively via SSL.',
    { id: 'security.W005' },
  ),
  W008: new Warning(
    'Your secureSslRedirect setting is not set to true. Unless your site should be available ' +
      'over both SSL and non-SSL connections, you may want to either set this setting to true ' +
      'or configure a load balancer or reverse-proxy server to redirect all connections to HTTPS.',
    { id: 'security.W008' },
  ),
  W009: new Warning(secretKeyWarning('secretKey'), { id: 'security.W009', hint: SECRET_KEY_HINT }),
  W012: new Warning(
    'sessionCookieSecure is not set to true. Using a secure-only session cookie makes it more ' +
      'difficult for network traffic sniffers to hijack user sessions.',
    { id: 'security.W012' },
  ),
  W016: new Warning(
    'You have not set csrfCookieSecure to true. Using a secure-only CSRF cookie makes it more ' +
      'difficult for network traffic sniffers to steal the CSRF token.',
    { id: 'security.W016' },
  ),
  W018: new Warning('You should not have debug set to true in deployment.', {
    id: 'security.W018',
  }),
  W020: new Warning('allowedHosts must not be empty in deployment.', { id: 'security.W020' }),
  W021: new Warning(
    'You have not set the secureHstsPreload setting to true. Without this, your site cannot be ' +
      'submitted to the browser preload list.',
    { id: 'security.W021' },
  ),
});

/**
 * Whether `key` is long and random enough: at least
 * {@link SECRET_KEY_MIN_LENGTH} characters, {@link SECRET_KEY_MIN_UNIQUE_CHARACTERS}
 * distinct ones, and no generated-key prefix.
 *
 * @example
 * ```ts
 * isStrongSecretKey('reinhardt-insecure-' + 'x'.repeat(60)); // false
 * ```
 */
export function isStrongSecretKey(key: string): boolean {
  const chars = [...key]; // code points, as Python's len() counts them
  return (
    chars.length >= SECRET_KEY_MIN_LENGTH &&
    new Set(chars).size >= SECRET_KEY_MIN_UNIQUE_CHARACTERS &&
    !SECRET_KEY_INSECURE_PREFIXES.some((prefix) => key.startsWith(prefix))
  );
}

/** security.W018: `debug` is on. */
function checkDebug(): Warning[] {
  return settings.debug ? [SECURITY_WARNINGS.W018] : [];
}

/** security.W009: the secret key is missing, short, repetitive or a generated throw-away. */
function checkSecretKey(): Warning[] {
  let key: unknown;
  try {
    key = settings.secretKey;
  } catch (error) {
    // An empty key throws when read; for this check it is simply weak.
    if (!(error instanceof ImproperlyConfigured)) throw error;
    key = '';
  }
  return typeof key === 'string' && isStrongSecretKey(key) ? [] : [SECURITY_WARNINGS.W009];
}

/** security.W020: no allowed hosts. */
function checkAllowedHosts(): Warning[] {
  return settings.allowedHosts.length ? [] : [SECURITY_WARNINGS.W020];
}

/** security.W008: plain HTTP is not redirected to HTTPS. */
function checkSslRedirect(): Warning[] {
  return settings.secureSslRedirect === true ? [] : [SECURITY_WARNINGS.W008];
}

/** security.W004, W005, W021: HSTS is off, or on without subdomains or preload. */
function checkHsts(): Warning[] {
  if (!settings.secureHstsSeconds) return [SECURITY_WARNINGS.W004];
  const found: Warning[] = [];
  if (settings.secureHstsIncludeSubdomains !== true) found.push(SECURITY_WARNINGS.W005);
  if (settings.secureHstsPreload !== true) found.push(SECURITY_WARNINGS.W021);
  return found;
}

/** security.W012: the session cookie may travel over plain HTTP. */
function checkSessionCookieSecure(): Warning[] {
  return settings.sessionCookieSecure === true ? [] : [SECURITY_WARNINGS.W012];
}

/** security.W016: the CSRF cookie may travel over plain HTTP. */
function checkCsrfCookieSecure(): Warning[] {
  return settings.csrfCookieSecure === true ? [] : [SECURITY_WARNINGS.W016];
}

// Registered at import; each reads settings only when run.
for (const check of [
  checkDebug,
  checkSecretKey,
  checkAllowedHosts,
  checkSslRedirect,
  checkHsts,
  checkSessionCookieSecure,
  checkCsrfCookieSecure,
]) {
  registerCheck(check, { tags: [Tags.security], deploy: true });
}
