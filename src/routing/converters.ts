/**
 * Path converters: the `<int:pk>` part of a route. Each has a regular
 * expression (JavaScript syntax, compiled without flags) matched against the
 * path, `toJs` to turn the matched text into the value the view receives, and
 * `toUrl` to turn a value back into text for `reverse()`.
 */

/**
 * A path converter. `toJs` and `toUrl` reject a value by throwing a
 * `RangeError` (the role of Python's `ValueError`): the path then does not
 * match, or `reverse()` tries the next pattern. Any other error propagates.
 *
 * @example
 * ```ts
 * const fourDigitYear: Converter<number> = {
 *   regex: '[0-9]{4}',
 *   toJs: (value) => Number(value),
 *   toUrl: (value) => String(value).padStart(4, '0'),
 * };
 * ```
 */
export interface Converter<T = unknown> {
  /** The pattern one value matches, in JavaScript regex syntax, without anchors. */
  readonly regex: string;
  /** The matched text → the value given to the view. */
  toJs(value: string): T;
  /** A value given to `reverse()` → the text put in the URL. */
  toUrl(value: T): string;
}

/**
 * The type each converter gives the view, by name; `RouteParams` reads it.
 * Add your own converters by declaration merging:
 *
 * @example
 * ```ts
 * declare module 'reinhardt/routing' {
 *   interface ConverterTypes {
 *     year: number;
 *   }
 * }
 * ```
 */
export interface ConverterTypes {
  int: number;
  str: string;
  slug: string;
  uuid: string;
  path: string;
}

function rangeChecked(value: string): number {
  const n = Number(value);
  // Past 2**53 a number no longer holds the digits exactly: refuse rather than round.
  if (!Number.isSafeInteger(n)) throw new RangeError(`${value} is too large for an int converter.`);
  return n;
}

const identity = {
  toJs: (value: string): string => value,
  toUrl: (value: unknown): string => String(value),
};

/**
 * Django's five converters, with Django's regular expressions.
 *
 * @example
 * ```ts
 * DEFAULT_CONVERTERS.slug.regex; // '[-a-zA-Z0-9_]+'
 * DEFAULT_CONVERTERS.int.toJs('042'); // 42
 * ```
 */
export const DEFAULT_CONVERTERS: Readonly<Record<keyof ConverterTypes, Converter>> = {
  int: { regex: '[0-9]+', toJs: rangeChecked, toUrl: (value) => String(value) },
  str: { regex: '[^/]+', ...identity },
  slug: { regex: '[-a-zA-Z0-9_]+', ...identity },
  uuid: {
    regex: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
    ...identity,
  },
  path: { regex: '.+', ...identity },
};

const registered = new Map<string, Converter>();

/**
 * Makes a converter available to routes as `<name:param>` (Django's
 * `register_converter`). Routes read converters when they are declared, so
 * register before the `path()` calls that use it.
 *
 * @example
 * ```ts
 * import { path, registerConverter } from 'reinhardt/routing';
 *
 * registerConverter('yyyy', {
 *   regex: '[0-9]{4}',
 *   toJs: (value) => Number(value),
 *   toUrl: (value: number) => String(value).padStart(4, '0'),
 * });
 * const urlpatterns = [path('articles/<yyyy:year>/', yearArchive)];
 * ```
 */
export function registerConverter<T>(name: string, converter: Converter<T>): void {
  if (Object.hasOwn(DEFAULT_CONVERTERS, name) || registered.has(name)) {
    throw new RangeError(`Converter '${name}' is already registered.`);
  }
  const c = converter as Partial<Converter<T>> | undefined;
  if (typeof c?.regex !== 'string') {
    throw new RangeError(`Converter '${name}' must define a 'regex' string.`);
  }
  if (typeof c.toJs !== 'function') {
    throw new RangeError(`Converter '${name}' must define a 'toJs()' method.`);
  }
  if (typeof c.toUrl !== 'function') {
    throw new RangeError(`Converter '${name}' must define a 'toUrl()' method.`);
  }
  try {
    new RegExp(c.regex);
  } catch (error) {
    throw new RangeError(
      `Converter '${name}' has an invalid regex '${c.regex}': ${(error as Error).message}`,
      { cause: error },
    );
  }
  registered.set(name, converter as Converter);
}

/**
 * The converter registered under `name`, or `undefined`.
 *
 * @example
 * ```ts
 * getConverter('uuid')?.regex; // '[0-9a-f]{8}-…'
 * ```
 */
export function getConverter(name: string): Converter | undefined {
  if (Object.hasOwn(DEFAULT_CONVERTERS, name)) {
    return DEFAULT_CONVERTERS[name as keyof ConverterTypes];
  }
  return registered.get(name);
}
