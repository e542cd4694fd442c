import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { ValidationError } from '../../core/exceptions.js';
import type { PasswordValidator } from './base.js';
import { pyStrip } from './python-text.js';

/**
 * Django's list of 20 000 common passwords, lower-cased and de-duplicated
 * (19 640 entries; `django/contrib/auth/common-passwords.txt.gz` of Django
 * 5.2, unchanged since). Shipped as data and read on first use.
 */
export const DEFAULT_PASSWORD_LIST_PATH = fileURLToPath(
  new URL('../data/common-passwords.txt.gz', import.meta.url),
);

/** Lists already read, by path: validators built per request share them. */
const lists = new Map<string, ReadonlySet<string>>();

function readList(path: string): ReadonlySet<string> {
  let set = lists.get(path);
  if (!set) {
    const raw = readFileSync(path);
    // Gzipped or plain text, one password per line, as Django accepts.
    const gzipped = raw[0] === 0x1f && raw[1] === 0x8b;
    const text = (gzipped ? gunzipSync(raw) : raw).toString('utf8');
    const lines = text.split('\n');
    // As Python iterates a file: no empty line after a final newline.
    if (lines.at(-1) === '') lines.pop();
    set = new Set(lines.map(pyStrip));
    lists.set(path, set);
  }
  return set;
}

/**
 * Refuses passwords found, lower-cased and stripped, in a list of common
 * passwords: Django's by default, or your own file (gzipped or not, one
 * lower-case password per line). Code `password_too_common`.
 *
 * @example
 * ```ts
 * new CommonPasswordValidator().validate('Password1');
 * // ValidationError: This password is too common.
 * ```
 */
export class CommonPasswordValidator implements PasswordValidator {
  readonly passwordListPath: string;

  constructor(options: { passwordListPath?: string | URL } = {}) {
    const path = options.passwordListPath ?? DEFAULT_PASSWORD_LIST_PATH;
    this.passwordListPath = path instanceof URL ? fileURLToPath(path) : path;
  }

  /** The lower-case passwords this validator refuses (read on first use). */
  get passwords(): ReadonlySet<string> {
    return readList(this.passwordListPath);
  }

  validate(password: string): void {
    if (this.passwords.has(pyStrip(password.toLowerCase()))) {
      throw new ValidationError(this.getErrorMessage(), { code: 'password_too_common' });
    }
  }

  getErrorMessage(): string {
    return 'This password is too common.';
  }

  getHelpText(): string {
    return 'Your password can’t be a commonly used password.';
  }
}
