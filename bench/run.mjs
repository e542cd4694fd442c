#!/usr/bin/env node
// Runs the benchmarks, each in its own process (TypeScript through tsx).
// Usage: npm run bench [-- bench/hydrate.bench.ts ...]
// Benchmarks are never part of `npm test`: see docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const files = process.argv.slice(2);
if (!files.length) {
  for (const entry of readdirSync(here).sort())
    if (entry.endsWith('.bench.ts')) files.push(relative(process.cwd(), join(here, entry)));
}

let status = 0;
for (const file of files) {
  console.log(`# ${file}`);
  const result = spawnSync(
    process.execPath,
    ['--conditions=reinhardt-source', '--import', 'tsx', file],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) status = result.status ?? 1;
}
process.exit(status);
