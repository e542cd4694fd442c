import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

test('docs/settings.md shows the example settings files exactly as tested', () => {
  const doc = read('docs/settings.md');
  for (const name of ['base', 'development', 'production', 'test']) {
    const source = read(`examples/settings/${name}.ts`).trimEnd();
    assert.ok(
      doc.includes(`**${name}.ts**\n\n\`\`\`ts\n${source}\n\`\`\``),
      `docs/settings.md is out of date with examples/settings/${name}.ts`,
    );
  }
});
