/**
 * Printing check messages the way `manage.py check` does
 * (`BaseCommand.check()` in Django), and failing on serious ones.
 */
import { CommandError } from '../exceptions.js';
import { CRITICAL, ERROR, INFO, WARNING, type CheckMessage } from './messages.js';
import { registry, type CheckRegistry, type RunChecksOptions } from './registry.js';

/** Options of {@link formatCheckMessages}. */
export interface FormatCheckMessagesOptions {
  /** End with `System check identified N issues (M silenced).` Default `true`. */
  displayNumErrors?: boolean;
}

/** Groups in printing order, each holding the levels `[min, max)`. */
const GROUPS: readonly (readonly [name: string, min: number, max: number])[] = [
  ['CRITICALS', CRITICAL, Infinity],
  ['ERRORS', ERROR, CRITICAL],
  ['WARNINGS', WARNING, ERROR],
  ['INFOS', INFO, WARNING],
  ['DEBUGS', -Infinity, INFO],
];

function issueCount(n: number): string {
  if (n === 0) return 'no issues';
  return n === 1 ? '1 issue' : `${n} issues`;
}

/**
 * Formats messages as Django's `check` command prints them: a header, the
 * messages grouped by level (sorted within each group), silenced messages
 * left out, and a count. Returns `''` when there is nothing to say and
 * `displayNumErrors` is false.
 *
 * @example
 * ```ts
 * formatCheckMessages([new CheckError('Bad.', { id: 'models.E001', hint: 'Fix it.' })]);
 * // 'System check identified some issues:\n\nERRORS:\n?: (models.E001) Bad.\n\tHINT: Fix it.\n\n' +
 * // 'System check identified 1 issue (0 silenced).'
 * formatCheckMessages([]); // 'System check identified no issues (0 silenced).'
 * ```
 */
export function formatCheckMessages(
  messages: readonly CheckMessage[],
  options: FormatCheckMessagesOptions = {},
): string {
  const { displayNumErrors = true } = options;
  const visible = messages.filter((m) => !m.isSilenced());
  let body = '';
  for (const [name, min, max] of GROUPS) {
    const group = visible.filter((m) => m.level >= min && m.level < max);
    if (group.length === 0) continue;
    const lines = group.map(String).sort();
    body += `\n${name}:\n${lines.join('\n')}\n`;
  }
  const header = visible.length ? 'System check identified some issues:\n' : '';
  let footer = '';
  if (displayNumErrors) {
    if (visible.length) footer += '\n';
    footer +=
      `System check identified ${issueCount(visible.length)} ` +
      `(${messages.length - visible.length} silenced).`;
  }
  return header + body + footer;
}

/**
 * Thrown when system checks find a problem at or above the fail level; its
 * message is the formatted list, so printing it tells the user what to fix.
 * A {@link CommandError}, so `reinhardt` commands print it and exit with 1.
 *
 * @example
 * ```ts
 * try { await checkOrThrow(); } catch (e) { if (e instanceof SystemCheckError) console.error(e.message); }
 * ```
 */
export class SystemCheckError extends CommandError {
  override readonly code: string = 'system_check_error';
  constructor(
    message: string,
    /** Every message the checks returned, silenced ones included. */
    readonly messages: readonly CheckMessage[] = [],
  ) {
    super(message);
  }
}

/** Options of {@link checkOrThrow}. */
export interface CheckOrThrowOptions extends RunChecksOptions, FormatCheckMessagesOptions {
  /** The lowest level that fails. Default {@link ERROR}. */
  failLevel?: number;
  /** Which registry to run. Default: the shared one. */
  registry?: CheckRegistry;
}

/** What {@link checkOrThrow} returns when nothing serious was found. */
export interface CheckResult {
  /** Every message, silenced ones included. */
  readonly messages: readonly CheckMessage[];
  /** The formatted report (see {@link formatCheckMessages}). */
  readonly output: string;
  /** How many messages are not silenced; when non-zero, print `output` to stderr. */
  readonly visibleCount: number;
}

/**
 * Runs the checks and throws {@link SystemCheckError} if any message that
 * is not silenced is at or above `failLevel` (default {@link ERROR}). This
 * is what stops start-up with a readable list. Otherwise returns the
 * messages and the formatted report for the caller to print.
 *
 * @example
 * ```ts
 * const { output, visibleCount } = await checkOrThrow({ includeDeploymentChecks: true });
 * if (visibleCount) process.stderr.write(output + '\n');
 * ```
 */
export async function checkOrThrow(options: CheckOrThrowOptions = {}): Promise<CheckResult> {
  const { failLevel = ERROR, registry: checks = registry, ...rest } = options;
  const messages = await checks.runChecks(rest);
  const output = formatCheckMessages(messages, rest);
  const failed = messages.some((m) => m.isSerious(failLevel) && !m.isSilenced());
  if (failed) throw new SystemCheckError(output, messages);
  return { messages, output, visibleCount: messages.filter((m) => !m.isSilenced()).length };
}
