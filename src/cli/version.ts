/**
 * The installed Reinhardt version, read from package.json.
 */
import { readFileSync } from 'node:fs';

/**
 * The version of Reinhardt (package.json's `version`). Read when called,
 * from `../../package.json`, which is the package root both from `src/cli/`
 * and from `dist/cli/`.
 *
 * @example
 * ```ts
 * getVersion(); // '0.1.0'
 * ```
 */
export function getVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
