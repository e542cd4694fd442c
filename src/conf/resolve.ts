/**
 * Finding the file behind a settings specifier (a path or a dotted name),
 * the role Python's import system plays for `DJANGO_SETTINGS_MODULE`.
 */
import { statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImproperlyConfigured } from '../core/exceptions.js';

/** Extensions tried, in order, when the specifier has none. */
export const SETTINGS_EXTENSIONS = ['.ts', '.js', '.mts', '.mjs'] as const;

/** `config.settings.development`: identifiers (dashes allowed) joined by dots. */
const DOTTED_NAME = /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/;

function withExtensions(base: string): string[] {
  return [
    ...SETTINGS_EXTENSIONS.map((ext) => base + ext),
    ...SETTINGS_EXTENSIONS.map((ext) => join(base, `index${ext}`)),
  ];
}

/**
 * The files a settings specifier may name, in the order they are tried.
 * A path is tried as given, then with each extension, then as a folder with
 * an `index` file; a dotted name becomes a path relative to `cwd` first.
 *
 * @example
 * ```ts
 * settingsModuleCandidates('config.settings.test', '/app');
 * // ['/app/config/settings/test.ts', '/app/config/settings/test.js', …,
 * //  '/app/config/settings/test/index.ts', …]
 * ```
 */
export function settingsModuleCandidates(specifier: string, cwd: string): string[] {
  const candidates: string[] = [];
  const spec = specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier;
  const looksLikePath =
    isAbsolute(spec) || spec.startsWith('.') || spec.includes('/') || spec.includes('\\');
  // A bare name such as `settings.ts` is both a file name and a dotted name,
  // so try it as a path first and as a dotted name second.
  if (looksLikePath || !DOTTED_NAME.test(spec) || /\.[cm]?[jt]s$/.test(spec)) {
    const base = resolve(cwd, spec);
    candidates.push(base, ...withExtensions(base));
  }
  if (!looksLikePath && DOTTED_NAME.test(spec)) {
    candidates.push(...withExtensions(resolve(cwd, ...spec.split('.'))));
  }
  return [...new Set(candidates)];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The first existing file among {@link settingsModuleCandidates}; throws
 * {@link ImproperlyConfigured} listing every file tried when there is none.
 * `origin` is appended to the specifier in the message (e.g. where it came from).
 *
 * @example
 * ```ts
 * resolveSettingsModule('config.settings.development', process.cwd());
 * // '/app/config/settings/development.ts'
 * ```
 */
export function resolveSettingsModule(specifier: string, cwd: string, origin = ''): string {
  const candidates = settingsModuleCandidates(specifier, cwd);
  const found = candidates.find(isFile);
  if (found) return found;
  throw new ImproperlyConfigured(
    `Cannot find the settings module '${specifier}'${origin}. Tried:\n` +
      candidates.map((c) => `  ${c}`).join('\n'),
  );
}
