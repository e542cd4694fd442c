/**
 * Line prompts for interactive commands: a question on stdout, a line from
 * stdin (not echoed when stdin is a terminal and the answer is secret).
 */
import { createInterface } from 'node:readline';
import { CommandError } from '../../core/exceptions.js';

export class Prompt {
  private lines: AsyncIterator<string> | null = null;

  constructor(
    private readonly input: NodeJS.ReadableStream & {
      isTTY?: boolean;
      setRawMode?: (on: boolean) => void;
    } = process.stdin,
    private readonly output: NodeJS.WritableStream = process.stdout,
  ) {}

  /** Whether answers come from a person at a terminal. */
  get interactive(): boolean {
    return !!this.input.isTTY;
  }

  /** Asks `question`; the answer without its line end. */
  async ask(question: string): Promise<string> {
    this.output.write(question);
    this.lines ??= createInterface({ input: this.input, terminal: false })[Symbol.asyncIterator]();
    const next = await this.lines.next();
    if (next.done) throw new CommandError('Operation cancelled: no more input.', 1);
    return next.value;
  }

  /** Asks for a secret: not echoed on a terminal. */
  async secret(question: string): Promise<string> {
    if (!this.interactive || !this.input.setRawMode) return this.ask(question);
    this.output.write(question);
    const input = this.input;
    input.setRawMode!(true);
    input.resume();
    try {
      return await new Promise<string>((resolve, reject) => {
        let value = '';
        const onData = (chunk: Buffer) => {
          for (const ch of chunk.toString('utf8')) {
            if (ch === '\r' || ch === '\n') {
              input.off('data', onData);
              this.output.write('\n');
              return resolve(value);
            }
            if (ch === '\u0003') {
              input.off('data', onData);
              return reject(new CommandError('Operation cancelled.', 1));
            }
            value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
          }
        };
        input.on('data', onData);
      });
    } finally {
      input.setRawMode!(false);
      input.pause();
    }
  }
}
