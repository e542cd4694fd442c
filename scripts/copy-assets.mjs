#!/usr/bin/env node
// Copies the data files that live beside the sources (every `data/` folder
// under src/, e.g. src/auth/data/common-passwords.txt.gz) into the build,
// keeping their relative paths: tsc emits only JavaScript and declarations.
// Usage: node scripts/copy-assets.mjs [sourceDir=src] [outDir=dist]
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const [sourceDir = 'src', outDir = 'dist'] = process.argv.slice(2);

function walk(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (!statSync(path).isDirectory()) continue;
    if (entry === 'data')
      cpSync(path, join(outDir, relative(sourceDir, path)), { recursive: true });
    else walk(path);
  }
}
walk(sourceDir);
