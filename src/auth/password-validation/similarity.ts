import { ValidationError, ValueError } from '../../core/exceptions.js';
import type { PasswordValidator } from './base.js';
import { codePointLength, splitOnNonWord } from './python-text.js';
import { SequenceMatcher } from './sequence-matcher.js';

/** The user attributes compared by default (Django's username, first_name, last_name, email). */
export const DEFAULT_USER_ATTRIBUTES = ['username', 'firstName', 'lastName', 'email'] as const;

/**
 * Whether `value` is so much shorter than the password that it cannot reach
 * `maxSimilarity` (Django's `exceeds_maximum_length_ratio`): the quick
 * ratio of a value against a password ten times as long is at most about
 * 2/11, so comparing is skipped, which also bounds the work an attacker can
 * cause with a huge password.
 */
export function exceedsMaximumLengthRatio(
  password: string,
  maxSimilarity: number,
  value: string,
): boolean {
  const passwordLength = codePointLength(password);
  const lengthBoundSimilarity = (maxSimilarity / 2) * passwordLength;
  const valueLength = codePointLength(value);
  return passwordLength >= 10 * valueLength && valueLength < lengthBoundSimilarity;
}

interface HasFieldMeta {
  _meta: { getField(name: string): { verboseName: string } };
}

function hasFieldMeta(user: object): user is HasFieldMeta {
  const meta = (user as { _meta?: unknown })._meta;
  return (
    typeof meta === 'object' &&
    meta !== null &&
    typeof (meta as HasFieldMeta['_meta']).getField === 'function'
  );
}

/** `firstName` → `first name`, the name shown for a plain object's attribute. */
function spaced(attribute: string): string {
  return attribute
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}

/**
 * Refuses passwords too similar to the user's own attributes (Django's
 * `UserAttributeSimilarityValidator`). Each attribute, lower-cased, and each
 * of its words is compared with the lower-cased password by
 * `SequenceMatcher.quickRatio()`; at `maxSimilarity` (default 0.7) or more
 * the password is refused. The message names the model field's verbose name
 * (`email address`), or the attribute in words for a plain object. Code
 * `password_too_similar`.
 *
 * @example
 * ```ts
 * new UserAttributeSimilarityValidator().validate('ada.lovelace', { email: 'ada.lovelace@example.com' });
 * // ValidationError: The password is too similar to the email.
 * ```
 */
export class UserAttributeSimilarityValidator implements PasswordValidator {
  readonly userAttributes: readonly string[];
  readonly maxSimilarity: number;

  constructor(options: { userAttributes?: readonly string[]; maxSimilarity?: number } = {}) {
    this.userAttributes = options.userAttributes ?? DEFAULT_USER_ATTRIBUTES;
    this.maxSimilarity = options.maxSimilarity ?? 0.7;
    if (this.maxSimilarity < 0.1) throw new ValueError('max_similarity must be at least 0.1');
  }

  validate(password: string, user?: unknown): void {
    if (!user || typeof user !== 'object') return;
    const lowered = password.toLowerCase();
    for (const attribute of this.userAttributes) {
      const value: unknown = (user as Record<string, unknown>)[attribute];
      if (!value || typeof value !== 'string') continue;
      const valueLower = value.toLowerCase();
      for (const part of [...splitOnNonWord(valueLower), valueLower]) {
        if (exceedsMaximumLengthRatio(lowered, this.maxSimilarity, part)) continue;
        if (new SequenceMatcher(lowered, part).quickRatio() >= this.maxSimilarity) {
          throw new ValidationError(this.getErrorMessage(), {
            code: 'password_too_similar',
            params: { verbose_name: verboseName(user, attribute) },
          });
        }
      }
    }
  }

  getErrorMessage(): string {
    return 'The password is too similar to the %(verbose_name)s.';
  }

  getHelpText(): string {
    return 'Your password can’t be too similar to your other personal information.';
  }
}

function verboseName(user: object, attribute: string): string {
  if (hasFieldMeta(user)) {
    try {
      return String(user._meta.getField(attribute).verboseName);
    } catch {
      // Not a model field: fall through to the attribute's name.
    }
  }
  return spaced(attribute);
}
