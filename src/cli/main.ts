/**
 * The `reinhardt` program (the role of Django's `ManagementUtility`):
 * picks the command from the first word and hands it the rest.
 */
import './builtins.js';
import { PROGRAM_NAME } from './base-command.js';
import { OutputWrapper, type CommandIO } from './output.js';
import { commandNames, getCommand } from './registry.js';
import { getVersion } from './version.js';
import { connections } from '../db/connections.js';

/** Global options that take a value, so the command word can be found after them. */
const VALUE_OPTIONS = new Set(['--settings', '--verbosity', '-v']);

/**
 * Runs `reinhardt` with `argv` (the words after the program name) and
 * returns the exit code. Never calls `process.exit`, so output is flushed
 * and tests can call it.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2));
 * ```
 */
export async function main(argv: readonly string[], io: CommandIO = {}): Promise<number> {
  const stdout = new OutputWrapper(io.stdout ?? process.stdout);
  const stderr = new OutputWrapper(io.stderr ?? process.stderr);
  const at = commandIndex(argv);
  const name = at === -1 ? undefined : argv[at];
  const rest = at === -1 ? [...argv] : [...argv.slice(0, at), ...argv.slice(at + 1)];

  if (name === undefined) {
    if (rest.includes('--version')) {
      stdout.write(getVersion());
      return 0;
    }
    if (rest.length && !rest.some((word) => word === '--help' || word === '-h')) {
      stderr.write(`${mainHelp()}\n\n${PROGRAM_NAME}: error: a command is required.`);
      return 2;
    }
    stdout.write(mainHelp());
    return 0;
  }
  if (name === 'help') {
    const topic = rest[commandIndex(rest)];
    if (topic === undefined || topic === 'help') {
      stdout.write(mainHelp());
      return 0;
    }
    const Command = getCommand(topic);
    if (!Command) return unknownCommand(topic, stderr);
    stdout.write(new Command(io).helpText());
    return 0;
  }
  const Command = getCommand(name);
  if (!Command) return unknownCommand(name, stderr);
  try {
    return await new Command(io).runFromArgv(rest);
  } finally {
    // Pooled connections would keep the process alive after the command.
    await connections.closeAll().catch(() => undefined);
  }
}

/** Index of the command word: the first word that is neither an option nor an option's value. */
function commandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith('-')) return i;
    if (VALUE_OPTIONS.has(word)) i++;
  }
  return -1;
}

function unknownCommand(name: string, stderr: OutputWrapper): number {
  const close = closeMatches(name, commandNames());
  const suggestion = close.length ? ` Did you mean ${close.join(' or ')}?` : '';
  stderr.write(`Unknown command: '${name}'.${suggestion}\nType '${PROGRAM_NAME} help' for usage.`);
  return 1;
}

/**
 * The text of `reinhardt help`: usage and every command with its summary.
 *
 * @example
 * ```ts
 * mainHelp().includes('check'); // true
 * ```
 */
export function mainHelp(): string {
  const names = [...commandNames(), 'help'].sort();
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const lines = names.map((n) => {
    const Command = getCommand(n);
    const summary = Command ? new Command().help : 'Shows help for a command.';
    return `  ${n.padEnd(width)}${summary}`;
  });
  return [
    `Usage: ${PROGRAM_NAME} <command> [options] [arguments]`,
    `Type '${PROGRAM_NAME} help <command>' for help on a specific command.`,
    `Available commands:\n${lines.join('\n')}`,
    `Global options: --settings, --traceback, -v/--verbosity, -h/--help; ` +
      `'${PROGRAM_NAME} --version' prints the version.`,
  ].join('\n\n');
}

/** Names within an edit distance of a third of `word`'s length (difflib's role in Django). */
function closeMatches(word: string, candidates: readonly string[]): string[] {
  const limit = Math.max(1, Math.floor(word.length / 3));
  return candidates.filter((c) => distance(word, c) <= limit);
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
