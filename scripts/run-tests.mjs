#!/usr/bin/env node
// Runs the whole suite with node's test runner (TypeScript through tsx).
// Usage: npm test [-- file-or-dir ...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2);
const files = [];
function walk(path) {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) {
      if (entry === 'node_modules' || entry.startsWith('.')) continue;
      walk(join(path, entry));
    }
  } else if (/\.test\.ts$/.test(path)) {
    files.push(path);
  }
}
for (const root of roots.length ? roots : ['test', 'docs']) walk(root);

if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}

// reinhardt-source: `import 'reinhardt/db'` resolves to src/ (see package.json exports).
const args = [
  '--conditions=reinhardt-source',
  '--import',
  'tsx',
  '--test',
  '--test-reporter=spec',
  // A hung test fails after two minutes instead of stalling the run.
  '--test-timeout=120000',
];
if (process.env.REINHARDT_TEST_CONCURRENCY)
  args.push(`--test-concurrency=${process.env.REINHARDT_TEST_CONCURRENCY}`);
const result = spawnSync(process.execPath, [...args, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
