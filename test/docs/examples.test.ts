/**
 * Every ```ts run block in docs/*.md is a complete program: it is written to
 * .tmp/docs/ and run in its own process, importing Reinhardt by its package
 * name (`reinhardt/db`, …). A failing assertion or a thrown error fails the test.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const docsDir = join(root, 'docs');
const outDir = join(root, '.tmp', 'docs');
mkdirSync(outDir, { recursive: true });

interface Example {
  line: number;
  code: string;
}

/** The ```ts run blocks of a Markdown file, with the line each starts on. */
export function runnableBlocks(markdown: string): Example[] {
  const blocks: Example[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ts\b.*\brun\b/.test(lines[i]!)) continue;
    const start = i + 1;
    const body: string[] = [];
    for (i = start; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!);
    blocks.push({ line: start + 1, code: body.join('\n') });
  }
  return blocks;
}

for (const file of readdirSync(docsDir)
  .filter((f) => f.endsWith('.md'))
  .sort()) {
  const blocks = runnableBlocks(readFileSync(join(docsDir, file), 'utf8'));
  if (blocks.length === 0) continue;
  describe(`docs/${file}`, () => {
    for (const block of blocks) {
      test(`example at line ${block.line} runs`, () => {
        const path = join(outDir, `${file.replace(/\.md$/, '')}-${block.line}.ts`);
        writeFileSync(path, block.code);
        const result = spawnSync(
          process.execPath,
          ['--conditions=reinhardt-source', '--import', 'tsx', path],
          {
            cwd: root,
            encoding: 'utf8',
            timeout: 60_000,
            env: { ...process.env, REINHARDT_SETTINGS: '' },
          },
        );
        assert.equal(
          result.status,
          0,
          `docs/${file}:${block.line} failed:\n${result.stdout}\n${result.stderr}`,
        );
      });
    }
  });
}
