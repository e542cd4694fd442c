/**
 * Where commands write (the role of Django's `OutputWrapper`), injectable so
 * tests can capture output.
 */

/** Anything with a `write(text)` method: `process.stdout`, a stream, an {@link OutputBuffer}. */
export interface Writer {
  write(chunk: string): unknown;
}

/** The streams a command writes to; each defaults to the process's own. */
export interface CommandIO {
  stdout?: Writer;
  stderr?: Writer;
}

/**
 * Wraps a {@link Writer} so each `write()` ends with a newline unless the
 * text already does (Django's `OutputWrapper.write(msg, ending)`).
 *
 * @example
 * ```ts
 * const out = new OutputWrapper(process.stdout);
 * out.write('Done.'); // "Done.\n"
 * out.write('50%', '\r');
 * ```
 */
export class OutputWrapper {
  constructor(readonly target: Writer) {}

  /** Writes `message`, adding `ending` (default `\n`) unless it is already there. */
  write(message = '', ending = '\n'): void {
    this.target.write(ending && !message.endsWith(ending) ? message + ending : message);
  }
}

/**
 * A {@link Writer} that keeps everything written, for tests.
 *
 * @example
 * ```ts
 * const stdout = new OutputBuffer();
 * await callCommand('version', [], { stdout });
 * stdout.text; // '0.1.0\n'
 * ```
 */
export class OutputBuffer implements Writer {
  /** Everything written so far. */
  text = '';

  write(chunk: string): true {
    this.text += chunk;
    return true;
  }

  toString(): string {
    return this.text;
  }
}
