/**
 * Reusable validators with Django's messages and codes (the role of
 * `django.core.validators`). A validator throws a `ValidationError` for a bad
 * value and returns nothing for a good one.
 *
 * @example
 * ```ts
 * const rating = [new MinValueValidator(1), new MaxValueValidator(5)];
 * rating.forEach((v) => v.validate(7)); // throws: Ensure this value is less than or equal to 5.
 * ```
 */
import { ValidationError } from './exceptions.js';

/** Something that validates one value. */
export interface ValidatorObject {
  validate(value: any): void;
}
/** A validator: a function or an object with `validate`. */
export type Validator = ((value: any) => void) | ValidatorObject;

/** Runs one validator of either form. */
export function runValidator(validator: Validator, value: unknown): void {
  if (typeof validator === 'function') validator(value);
  else validator.validate(value);
}

/** Matches (or, with `inverseMatch`, refuses) a regular expression. */
export class RegexValidator implements ValidatorObject {
  constructor(
    readonly regex: RegExp,
    readonly message = 'Enter a valid value.',
    readonly code = 'invalid',
    readonly inverseMatch = false,
  ) {}
  validate(value: unknown): void {
    const matched = this.regex.test(String(value));
    if (matched === this.inverseMatch) {
      throw new ValidationError(this.message, { code: this.code, params: { value } });
    }
  }
}

abstract class LimitValidator<T> implements ValidatorObject {
  abstract readonly code: string;
  abstract readonly message: string;
  constructor(readonly limitValue: T | (() => T)) {}
  protected abstract compare(value: unknown, limit: T): boolean;
  protected clean(value: unknown): unknown {
    return value;
  }
  protected messageFor(_limit: T): string {
    return this.message;
  }
  validate(value: unknown): void {
    const limit =
      typeof this.limitValue === 'function' ? (this.limitValue as () => T)() : this.limitValue;
    const cleaned = this.clean(value);
    if (this.compare(cleaned, limit)) {
      throw new ValidationError(this.messageFor(limit), {
        code: this.code,
        params: { limit_value: limit, show_value: cleaned, value },
      });
    }
  }
}

function numeric(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : (v as number);
}

/** `value <= limit`. */
export class MaxValueValidator extends LimitValidator<number | bigint | string | Date> {
  readonly code = 'max_value';
  readonly message = 'Ensure this value is less than or equal to %(limit_value)s.';
  protected compare(value: unknown, limit: number | bigint | string | Date): boolean {
    return value instanceof Date ? value > (limit as Date) : numeric(value) > numeric(limit);
  }
}

/** `value >= limit`. */
export class MinValueValidator extends LimitValidator<number | bigint | string | Date> {
  readonly code = 'min_value';
  readonly message = 'Ensure this value is greater than or equal to %(limit_value)s.';
  protected compare(value: unknown, limit: number | bigint | string | Date): boolean {
    return value instanceof Date ? value < (limit as Date) : numeric(value) < numeric(limit);
  }
}

/** At most `limit` characters. */
export class MaxLengthValidator extends LimitValidator<number> {
  readonly code = 'max_length';
  readonly message =
    'Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).';
  protected override clean(value: unknown): number {
    return [...String(value)].length;
  }
  protected compare(length: unknown, limit: number): boolean {
    return (length as number) > limit;
  }
  protected override messageFor(limit: number): string {
    return limit === 1
      ? 'Ensure this value has at most %(limit_value)d character (it has %(show_value)d).'
      : this.message;
  }
}

/** At least `limit` characters. */
export class MinLengthValidator extends LimitValidator<number> {
  readonly code = 'min_length';
  readonly message =
    'Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).';
  protected override clean(value: unknown): number {
    return [...String(value)].length;
  }
  protected compare(length: unknown, limit: number): boolean {
    return (length as number) < limit;
  }
  protected override messageFor(limit: number): string {
    return limit === 1
      ? 'Ensure this value has at least %(limit_value)d character (it has %(show_value)d).'
      : this.message;
  }
}

/** Digits and decimal places of a decimal string or number. */
export class DecimalValidator implements ValidatorObject {
  constructor(
    readonly maxDigits: number | null,
    readonly decimalPlaces: number | null,
  ) {}
  validate(value: unknown): void {
    const text = String(value).replace(/^[-+]/, '');
    if (!/^\d*\.?\d*(e[-+]?\d+)?$/i.test(text) || text === '' || text === '.') {
      throw new ValidationError('Enter a number.', { code: 'invalid', params: { value } });
    }
    const [whole = '', fraction = ''] = text.split('.');
    const wholeDigits = whole.replace(/^0+/, '').length;
    const decimals = fraction.length;
    const digits = wholeDigits + decimals;
    if (this.maxDigits !== null && digits > this.maxDigits) {
      throw new ValidationError(
        this.maxDigits === 1
          ? 'Ensure that there are no more than %(max)s digit in total.'
          : 'Ensure that there are no more than %(max)s digits in total.',
        {
          code: 'max_digits',
          params: { max: this.maxDigits, value },
        },
      );
    }
    if (this.decimalPlaces !== null && decimals > this.decimalPlaces) {
      throw new ValidationError(
        this.decimalPlaces === 1
          ? 'Ensure that there are no more than %(max)s decimal place.'
          : 'Ensure that there are no more than %(max)s decimal places.',
        {
          code: 'max_decimal_places',
          params: { max: this.decimalPlaces, value },
        },
      );
    }
    if (
      this.maxDigits !== null &&
      this.decimalPlaces !== null &&
      wholeDigits > this.maxDigits - this.decimalPlaces
    ) {
      throw new ValidationError(
        this.maxDigits - this.decimalPlaces === 1
          ? 'Ensure that there are no more than %(max)s digit before the decimal point.'
          : 'Ensure that there are no more than %(max)s digits before the decimal point.',
        {
          code: 'max_whole_digits',
          params: { max: this.maxDigits - this.decimalPlaces, value },
        },
      );
    }
  }
}

/** A dot-atom local part, or a quoted string (as Django accepts). */
const EMAIL_USER =
  // eslint-disable-next-line no-control-regex -- quoted local parts may hold control characters (RFC 5322)
  /^(?:[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*|"(?:[\x01-\x08\x0b\x0c\x0e-\x1f!#-[\]-\x7f]|\\[\x01-\x09\x0b\x0c\x0e-\x7f])*")$/i;
/** A label: letters (any script), digits and inner hyphens, at most 63 characters. */
const LABEL = /^(?!-)[a-z\u00a1-\uffff0-9-]{1,63}(?<!-)$/i;
/** A top-level label: letters (any script) and inner hyphens, or a punycode label. */
const TLD = /^(?:(?!-)[a-z\u00a1-\uffff-]{2,63}(?<!-)|xn--[a-z0-9]{1,59})$/i;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A domain name with a top-level domain (`example.com`, `bücher.de`, `xn--bcher-kva.de`). */
function isDomainName(host: string): boolean {
  const labels = host.replace(/\.$/, '').split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && TLD.test(labels.at(-1)!);
}

/** A host as Django's validators accept it: a domain, localhost, IPv4 or a bracketed IPv6 address. */
function isValidHost(host: string, allowLocalhost = true): boolean {
  if (allowLocalhost && host.toLowerCase() === 'localhost') return true;
  if (IPV4.test(host)) return true;
  if (host.startsWith('[') && host.endsWith(']')) {
    try {
      return new URL(`http://${host}/`).hostname.length > 0;
    } catch {
      return false;
    }
  }
  return isDomainName(host);
}

/** A plausible e-mail address (Django's `validate_email`): quoted local parts and international domains accepted. */
export const validateEmail: ValidatorObject = {
  validate(value: unknown): void {
    const text = String(value);
    const at = text.lastIndexOf('@');
    const user = text.slice(0, at);
    const domain = text.slice(at + 1);
    const valid =
      text.length > 0 &&
      text.length <= 320 &&
      at > 0 &&
      EMAIL_USER.test(user) &&
      (isValidHost(domain) || (domain.startsWith('[') && IPV4.test(domain.slice(1, -1))));
    if (!valid) {
      throw new ValidationError('Enter a valid email address.', {
        code: 'invalid',
        params: { value },
      });
    }
  },
};

const URL_SCHEMES = ['http', 'https', 'ftp', 'ftps'];
/** scheme://[user[:password]@]host[:port][/path][?query][#fragment], host as written. */
const URL_SHAPE =
  /^([a-z][a-z0-9.+-]*):\/\/(?:[^\s:@/]+(?::[^\s@/]*)?@)?(\[[0-9a-f:.]+\]|[^\s:/?#[\]@]+)(?::(\d{1,5}))?(?:[/?#]\S*)?$/i;

/** An absolute http(s)/ftp(s) URL with a valid host (Django's `URLValidator`). */
export class URLValidator implements ValidatorObject {
  constructor(readonly schemes: readonly string[] = URL_SCHEMES) {}
  validate(value: unknown): void {
    const text = String(value);
    const m = URL_SHAPE.exec(text);
    const scheme = m?.[1]?.toLowerCase();
    const host = m?.[2] ?? '';
    const port = m?.[3] === undefined ? 0 : Number(m[3]);
    let parses: boolean;
    try {
      parses = !!new URL(text).hostname;
    } catch {
      parses = false;
    }
    if (
      !m ||
      !scheme ||
      !this.schemes.includes(scheme) ||
      !isValidHost(host) ||
      port > 65535 ||
      !parses ||
      text.length > 2048
    ) {
      throw new ValidationError('Enter a valid URL.', { code: 'invalid', params: { value } });
    }
  }
}

/** Letters, numbers, underscores and hyphens (Django's `validate_slug`). */
export const validateSlug = new RegexValidator(
  /^[-a-zA-Z0-9_]+$/,
  'Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.',
  'invalid',
);

/** Refuses the NUL character (Django's `ProhibitNullCharactersValidator`). */
export const prohibitNullCharacters: ValidatorObject = {
  validate(value: unknown): void {
    if (String(value).includes('\0')) {
      throw new ValidationError('Null characters are not allowed.', {
        code: 'null_characters_not_allowed',
        params: { value },
      });
    }
  },
};
