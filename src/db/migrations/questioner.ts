/**
 * What the autodetector asks (Django's `MigrationQuestioner`): whether a
 * model or field was renamed, and the one-off value for existing rows when a
 * NOT NULL field arrives without a default. Interactive on a terminal;
 * otherwise answered by `--rename` flags, or refused with Django's message.
 */
import { createInterface } from 'node:readline';
import { CommandError } from '../../core/exceptions.js';

export interface MigrationQuestioner {
  /** Was model `oldLabel` renamed to `newName`? */
  askRenameModel(oldLabel: string, newName: string): Promise<boolean>;
  /** Was field `model.oldName` renamed to `newName`? */
  askRenameField(
    model: string,
    oldName: string,
    newName: string,
    fieldType: string,
  ): Promise<boolean>;
  /** The value existing rows get for a new NOT NULL field without a default. */
  askNotNullAddition(field: string, model: string): Promise<unknown>;
  /** The value NULL rows get when a field becomes NOT NULL without a default (`undefined`: none). */
  askNotNullAlteration(field: string, model: string): Promise<unknown>;
}

/** Answers given on the command line: `--rename library.Writer=Author`, `--rename library.Book.name=title`. */
export class NonInteractiveQuestioner implements MigrationQuestioner {
  private readonly models = new Set<string>();
  private readonly fields = new Set<string>();

  constructor(
    renames: readonly string[] = [],
    private readonly defaults: Readonly<Record<string, unknown>> = {},
  ) {
    for (const r of renames) {
      const m = /^(\w+)\.(\w+)(?:\.(\w+))?=(\w+)$/.exec(r);
      if (!m)
        throw new CommandError(
          `Invalid --rename '${r}': use app.Model=NewName or app.Model.field=newName.`,
        );
      const [, app, model, field, to] = m;
      if (field) this.fields.add(`${app}.${model}.${field}=${to}`.toLowerCase());
      else this.models.add(`${app}.${model}=${to}`.toLowerCase());
    }
  }

  async askRenameModel(oldLabel: string, newName: string): Promise<boolean> {
    return this.models.has(`${oldLabel}=${newName}`.toLowerCase());
  }

  async askRenameField(model: string, oldName: string, newName: string): Promise<boolean> {
    return this.fields.has(`${model}.${oldName}=${newName}`.toLowerCase());
  }

  async askNotNullAddition(field: string, model: string): Promise<unknown> {
    const key = `${model}.${field}`;
    if (key in this.defaults) return this.defaults[key];
    throw new CommandError(
      `It is impossible to add a non-nullable field '${field}' to ${model.split('.').pop()!.toLowerCase()} without specifying a default. ` +
        `This is because the database needs something to populate existing rows.\n` +
        `Give the field a default, make it nullable (null: true), or run makemigrations interactively to give a one-off default.`,
    );
  }

  async askNotNullAlteration(): Promise<unknown> {
    return undefined;
  }
}

/** Asks on the terminal (Django's `InteractiveMigrationQuestioner`). */
export class InteractiveQuestioner implements MigrationQuestioner {
  constructor(
    private readonly input: NodeJS.ReadableStream = process.stdin,
    private readonly output: NodeJS.WritableStream = process.stdout,
  ) {}

  /** Lines of the input, read through one interface so none is lost between questions. */
  private lines: AsyncIterator<string> | null = null;

  private async ask(question: string): Promise<string> {
    this.output.write(question);
    this.lines ??= createInterface({ input: this.input, terminal: false })[Symbol.asyncIterator]();
    const next = await this.lines.next();
    if (next.done) throw new CommandError('No answer: the input ended.', 3);
    return next.value.trim();
  }

  private async yesNo(question: string): Promise<boolean> {
    for (;;) {
      const answer = (await this.ask(`${question} [y/N] `)).toLowerCase();
      if (answer === '' || answer.startsWith('n')) return false;
      if (answer.startsWith('y')) return true;
      this.output.write('Please answer yes or no: ');
    }
  }

  askRenameModel(oldLabel: string, newName: string): Promise<boolean> {
    return this.yesNo(`Was the model ${oldLabel} renamed to ${newName}?`);
  }

  askRenameField(
    model: string,
    oldName: string,
    newName: string,
    fieldType: string,
  ): Promise<boolean> {
    return this.yesNo(`Was ${model}.${oldName} renamed to ${model}.${newName} (a ${fieldType})?`);
  }

  private async oneOffDefault(): Promise<unknown> {
    this.output.write(
      'Please enter the default value as valid JSON (e.g. 0, "text", null, true):\n',
    );
    for (;;) {
      const answer = await this.ask('>>> ');
      if (answer === 'exit') throw new CommandError('Cancelled.', 3);
      try {
        return JSON.parse(answer) as unknown;
      } catch {
        this.output.write('That is not valid JSON; try again, or type exit.\n');
      }
    }
  }

  async askNotNullAddition(field: string, model: string): Promise<unknown> {
    this.output.write(
      `It is impossible to add a non-nullable field '${field}' to ${model} without specifying a default. ` +
        `This is because the database needs something to populate existing rows.\n` +
        `Please select a fix:\n 1) Provide a one-off default now (will be set on all existing rows with a null value for this column)\n 2) Quit and manually define a default value in models.ts.\n`,
    );
    const choice = await this.ask('Select an option: ');
    if (choice !== '1') throw new CommandError('Cancelled: define a default in the model.', 3);
    return this.oneOffDefault();
  }

  async askNotNullAlteration(field: string, model: string): Promise<unknown> {
    this.output.write(
      `It is impossible to change a nullable field '${field}' on ${model} to non-nullable without providing a default.\n` +
        ` 1) Provide a one-off default now (existing NULL rows get it)\n 2) Ignore for now (existing NULL rows will make the migration fail)\n 3) Quit\n`,
    );
    const choice = await this.ask('Select an option: ');
    if (choice === '1') return this.oneOffDefault();
    if (choice === '2') return undefined;
    throw new CommandError('Cancelled.', 3);
  }
}
