/**
 * `reinhardt test`: runs the project's tests with node's test runner, on
 * test databases made once for the run (Django's `test` command).
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { populateApps } from '../../apps/index.js';
import { settingsModulePath, SETTINGS_ENVIRONMENT_VARIABLE } from '../../conf/settings.js';
import { CommandError } from '../../core/exceptions.js';
import { setupTestDatabases, teardownTestDatabases } from '../../test/databases.js';
import { TEST_RUN_VARIABLE, type TestRunPlan } from '../../test/run-plan.js';
import { BaseCommand, type CommandValues } from '../base-command.js';
import type { CommandOptions, PositionalArgument } from '../options.js';

const TEST_FILE = /\.test\.(ts|mts|js|mjs)$/;

/** Test files under `paths` (folders walked, `node_modules` and dot folders skipped), sorted. */
export function findTestFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (entry === 'node_modules' || entry.startsWith('.')) continue;
        walk(join(path, entry));
      }
    } else if (TEST_FILE.test(path)) out.push(path);
  };
  for (const p of paths) walk(resolve(p));
  return out;
}

const options = {
  keepdb: { type: 'boolean', help: 'Preserves the test DB between runs.' },
  nomigrations: {
    type: 'boolean',
    help: 'Create the tables straight from the models instead of applying migrations (faster).',
  },
  parallel: { type: 'string', metavar: 'N', default: '1', help: 'Run up to N test files at once.' },
  pattern: {
    type: 'string',
    short: 'k',
    multiple: true,
    metavar: 'PATTERN',
    help: 'Only run tests whose name matches the pattern (a regular expression).',
  },
} as const satisfies CommandOptions;

/**
 * @example
 * ```sh
 * $ reinhardt test --settings ./config/settings/test.ts
 * Creating test database for alias 'default' ('test_shop')...
 * ✔ books (12.1ms)
 * ℹ pass 14
 * Destroying test database for alias 'default' ('test_shop')...
 * ```
 */
export class TestCommand extends BaseCommand<typeof options> {
  readonly name = 'test';
  readonly help = 'Discover and run tests in the specified modules or the current directory.';
  override readonly options = options;
  override readonly positionals: readonly PositionalArgument[] = [
    {
      name: 'test_label',
      help: 'Test files or folders (default: the current directory).',
      multiple: true,
    },
  ];

  async handle(values: CommandValues<typeof options>, labels: string[]): Promise<void> {
    const parallel = Number(values.parallel);
    if (!Number.isInteger(parallel) || parallel < 1)
      throw new CommandError(`--parallel must be a positive integer, not '${values.parallel}'.`);
    const files = findTestFiles(labels.length ? labels : ['.']);
    if (!files.length) throw new CommandError('No test files found (files named *.test.ts).');
    await populateApps();
    const log = (line: string) => {
      if (values.verbosity >= 1) this.stdout.write(line);
    };
    const databases = await setupTestDatabases({
      keepdb: values.keepdb,
      migrate: !values.nomigrations,
      log,
    });
    let code: number;
    try {
      code = await this.runFiles(files, parallel, values, {
        databases: databases.test,
        migrate: !values.nomigrations,
      });
    } finally {
      for (const [alias, s] of Object.entries(databases.test))
        if (s.engine !== 'sqlite' && !values.keepdb && values.verbosity >= 1)
          this.stdout.write(`Destroying test database for alias '${alias}' ('${s.name}')...`);
      await teardownTestDatabases(databases);
    }
    if (code !== 0) throw new CommandError('', code);
  }

  /** Runs node's test runner on `files` in a child process; resolves with its exit code. */
  private runFiles(
    files: string[],
    parallel: number,
    values: CommandValues<typeof options>,
    plan: TestRunPlan,
  ): Promise<number> {
    const here = fileURLToPath(import.meta.url);
    const register = pathToFileURL(
      join(here, '..', '..', '..', 'test', here.endsWith('.ts') ? 'register.ts' : 'register.js'),
    ).href;
    const args = [
      // Running from Reinhardt's sources: let the project's imports resolve to them too.
      ...(here.endsWith('.ts') ? ['--conditions=reinhardt-source'] : []),
      '--import',
      import.meta.resolve('tsx'),
      '--import',
      register,
      '--test',
      '--test-reporter=spec',
      `--test-concurrency=${parallel}`,
      ...values.pattern.map((p) => `--test-name-pattern=${p}`),
      ...files.map((f) => relative(process.cwd(), f)),
    ];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      [TEST_RUN_VARIABLE]: JSON.stringify(plan),
      ...(settingsModulePath() ? { [SETTINGS_ENVIRONMENT_VARIABLE]: settingsModulePath() } : {}),
    };
    delete env.NODE_TEST_CONTEXT;
    return new Promise((resolvePromise, reject) => {
      const child = spawn(process.execPath, args, { stdio: ['inherit', 'pipe', 'pipe'], env });
      child.stdout.setEncoding('utf8').on('data', (c: string) => this.stdout.write(c, ''));
      child.stderr.setEncoding('utf8').on('data', (c: string) => this.stderr.write(c, ''));
      child.on('error', reject);
      child.on('close', (code) => resolvePromise(code ?? 1));
    });
  }
}
