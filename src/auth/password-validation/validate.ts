/**
 * Applying validators: the `authPasswordValidators` setting (Django's
 * `AUTH_PASSWORD_VALIDATORS`), `validatePassword` and the help texts.
 */
import { settings } from '../../conf/settings.js';
import type { PasswordValidatorSettings } from '../../conf/types.js';
import {
  ImproperlyConfigured,
  ValidationError,
  type ValidationMessage,
} from '../../core/exceptions.js';
import type { PasswordValidator } from './base.js';
import { CommonPasswordValidator } from './common.js';
import { MinimumLengthValidator } from './minimum-length.js';
import { NumericPasswordValidator } from './numeric.js';
import { UserAttributeSimilarityValidator } from './similarity.js';

type ValidatorFactory = (options: Record<string, unknown>) => PasswordValidator;

const factories = new Map<string, ValidatorFactory>([
  ['UserAttributeSimilarityValidator', (o) => new UserAttributeSimilarityValidator(o)],
  ['MinimumLengthValidator', (o) => new MinimumLengthValidator(o)],
  ['CommonPasswordValidator', (o) => new CommonPasswordValidator(o)],
  ['NumericPasswordValidator', () => new NumericPasswordValidator()],
]);

/**
 * Makes a validator available by name in the `authPasswordValidators`
 * setting (where Django imports a dotted path).
 *
 * @example
 * ```ts
 * registerPasswordValidator('NoSpacesValidator', () => noSpaces);
 * // settings: authPasswordValidators: [{ name: 'NoSpacesValidator' }]
 * ```
 */
export function registerPasswordValidator(
  name: string,
  factory: (options: Record<string, unknown>) => PasswordValidator,
): void {
  factories.set(name, factory);
  cache = new WeakMap();
}

/**
 * Builds validators from settings-style entries (Django's
 * `get_password_validators`). Unknown names are a configuration error.
 *
 * @example
 * ```ts
 * const validators = getPasswordValidators([{ name: 'MinimumLengthValidator', options: { minLength: 12 } }]);
 * ```
 */
export function getPasswordValidators(
  config: readonly PasswordValidatorSettings[],
): PasswordValidator[] {
  return config.map((entry) => {
    const factory = factories.get(entry.name);
    if (!factory) {
      throw new ImproperlyConfigured(
        `The password validator ${entry.name} could not be found. Check your ` +
          'authPasswordValidators setting (custom validators need registerPasswordValidator()).',
      );
    }
    return factory(entry.options ?? {});
  });
}

let cache = new WeakMap<object, PasswordValidator[]>();

/**
 * The validators of the `authPasswordValidators` setting, built once per
 * value of the setting (Django's `get_default_password_validators`).
 *
 * @example
 * ```ts
 * getDefaultPasswordValidators().length; // as many as the setting lists
 * ```
 */
export function getDefaultPasswordValidators(): PasswordValidator[] {
  const config: unknown = settings.authPasswordValidators;
  if (!Array.isArray(config)) {
    throw new ImproperlyConfigured('The authPasswordValidators setting must be an array.');
  }
  let validators = cache.get(config);
  if (!validators) {
    validators = getPasswordValidators(config as PasswordValidatorSettings[]);
    cache.set(config, validators);
  }
  return validators;
}

/**
 * Checks a password against every validator (those of the setting by
 * default) and throws one `ValidationError` carrying all their messages and
 * codes; returns nothing when the password is acceptable.
 *
 * @example
 * ```ts
 * import { validatePassword, MinimumLengthValidator, NumericPasswordValidator } from 'reinhardt/auth';
 * try {
 *   validatePassword('1234', undefined, [new MinimumLengthValidator(), new NumericPasswordValidator()]);
 * } catch (error) {
 *   error.messages;
 *   // ['This password is too short. It must contain at least 8 characters.',
 *   //  'This password is entirely numeric.']
 * }
 * ```
 */
export function validatePassword(
  password: string,
  user?: unknown,
  validators: readonly PasswordValidator[] = getDefaultPasswordValidators(),
): void {
  const errors: ValidationMessage[] = [];
  for (const validator of validators) {
    try {
      validator.validate(password, user);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      errors.push(...error.errorList);
    }
  }
  if (errors.length > 0) throw new ValidationError(errors);
}

/**
 * Tells every validator with a `passwordChanged` hook that the password
 * changed (Django's `password_changed`); call it after saving a new password.
 *
 * @example
 * ```ts
 * passwordChanged(newPassword, user);
 * ```
 */
export function passwordChanged(
  password: string,
  user?: unknown,
  validators: readonly PasswordValidator[] = getDefaultPasswordValidators(),
): void {
  for (const validator of validators) validator.passwordChanged?.(password, user);
}

/**
 * The help text of every validator, in order, for a password form.
 *
 * @example
 * ```ts
 * passwordValidatorsHelpTexts([new MinimumLengthValidator()]);
 * // ['Your password must contain at least 8 characters.']
 * ```
 */
export function passwordValidatorsHelpTexts(
  validators: readonly PasswordValidator[] = getDefaultPasswordValidators(),
): string[] {
  return validators.map((v) => v.getHelpText());
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
};

/**
 * The help texts as an HTML list (`<ul><li>…</li></ul>`, escaped), or `''`
 * when there are none (Django's `password_validators_help_text_html`).
 *
 * @example
 * ```ts
 * passwordValidatorsHelpTextHtml([new NumericPasswordValidator()]);
 * // '<ul><li>Your password can’t be entirely numeric.</li></ul>'
 * ```
 */
export function passwordValidatorsHelpTextHtml(
  validators: readonly PasswordValidator[] = getDefaultPasswordValidators(),
): string {
  const items = passwordValidatorsHelpTexts(validators)
    .map((text) => `<li>${text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)}</li>`)
    .join('');
  return items ? `<ul>${items}</ul>` : '';
}
