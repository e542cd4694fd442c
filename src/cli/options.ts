/**
 * Command-line options as data (fed to `node:util` `parseArgs`), and the
 * types of the values a command's `handle()` receives.
 */

/** One `--option` of a command. */
export interface CommandOption {
  /** `'boolean'` for a flag, `'string'` for an option taking a value. */
  readonly type: 'string' | 'boolean';
  /** A one-letter alias, used as `-t`. */
  readonly short?: string;
  /** May be repeated; the value is then an array (empty when absent). */
  readonly multiple?: boolean;
  /** Value when absent (flags default to `false`). */
  readonly default?: string | readonly string[];
  /** Allowed values of a string option. */
  readonly choices?: readonly string[];
  /** Name of the value in help output, e.g. `TAG`. */
  readonly metavar?: string;
  /** One sentence for `--help`. */
  readonly help: string;
}

/** A command's options by long name (kebab-case, as typed: `'fail-level'`). */
export type CommandOptions = Readonly<Record<string, CommandOption>>;

/** One positional argument, for usage and help text and for counting. */
export interface PositionalArgument {
  readonly name: string;
  readonly help: string;
  /** May be left out. */
  readonly optional?: boolean;
  /** Takes every remaining argument (must be last). */
  readonly multiple?: boolean;
}

/** `'fail-level'` → `'failLevel'`. */
export type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

type Scalar<O extends CommandOption> = O['type'] extends 'boolean'
  ? boolean
  : O extends { readonly choices: readonly (infer C extends string)[] }
    ? C
    : string;

type ValueOf<O extends CommandOption> = O extends { readonly multiple: true }
  ? Scalar<O>[]
  : O['type'] extends 'boolean'
    ? boolean
    : O extends { readonly default: string }
      ? Scalar<O>
      : Scalar<O> | undefined;

/**
 * The values `handle()` receives for options `O`, keyed in camelCase:
 * flags are booleans, repeatable options arrays, others strings (or
 * `undefined` when absent and without default).
 *
 * @example
 * ```ts
 * type V = OptionValues<{ 'fail-level': { type: 'string'; default: 'ERROR'; help: '' } }>;
 * // { failLevel: string }
 * ```
 */
export type OptionValues<O extends CommandOptions> = {
  -readonly [K in keyof O & string as CamelCase<K>]: ValueOf<O[K]>;
};

/** The options every command accepts (Django's default options). */
export interface GlobalOptionValues {
  /** `--settings`: the settings module to load instead of `REINHARDT_SETTINGS`. */
  settings: string | undefined;
  /** `--traceback`: print stack traces of errors. */
  traceback: boolean;
  /** `-v/--verbosity`: 0 minimal, 1 normal, 2 verbose, 3 very verbose. */
  verbosity: number;
  /** `--skip-checks`: do not run system checks before the command. */
  skipChecks: boolean;
  /** `-h/--help`: print help and exit. */
  help: boolean;
}

/**
 * The camelCase key `handle()` receives for a kebab-case option name.
 *
 * @example
 * ```ts
 * camelCase('fail-level'); // 'failLevel'
 * ```
 */
export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The option name typed on the command line for a camelCase key (used by
 * `callCommand` with an object of values).
 *
 * @example
 * ```ts
 * kebabCase('failLevel'); // 'fail-level'
 * ```
 */
export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
