#!/usr/bin/env node
// The `reinhardt` command (django-admin). Runs the compiled CLI when the
// package is built, else the TypeScript sources through tsx, so it works in
// a checkout without a build step. tsx is registered in both cases when it
// can be found, so a project's settings modules may be TypeScript.
import { existsSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Registers tsx's loaders (ESM and CommonJS, as `node --import tsx` does;
 * a .ts file outside a `"type": "module"` package goes through the
 * CommonJS one). Resolves tsx from Reinhardt, then from the project.
 */
async function registerTypeScript() {
  const fromProject = createRequire(join(process.cwd(), 'package.json'));
  const loaders = [
    (entry) => import(entry),
    (entry) => import(pathToFileURL(fromProject.resolve(entry)).href),
  ];
  for (const load of loaders) {
    try {
      const [esm, cjs] = await Promise.all([load('tsx/esm/api'), load('tsx/cjs/api')]);
      cjs.register();
      esm.register();
      return true;
    } catch {
      // Not found here; try the next place.
    }
  }
  return false;
}

const compiled = new URL('../dist/cli/main.js', import.meta.url);
const hasTypeScript = await registerTypeScript();
let cli;
if (existsSync(fileURLToPath(compiled))) {
  cli = await import(compiled.href);
} else if (hasTypeScript) {
  // Running from source: let `import 'reinhardt/conf'` in the project's
  // files resolve to src/ too (the `reinhardt-source` condition of
  // package.json), so they share the modules, and the settings, of this CLI.
  register(
    'data:text/javascript,' +
      encodeURIComponent(
        'export async function resolve(specifier, context, next) {' +
          "  const conditions = [...context.conditions, 'reinhardt-source'];" +
          '  return next(specifier, { ...context, conditions });' +
          '}',
      ),
  );
  cli = await import(new URL('../src/cli/main.ts', import.meta.url).href);
} else {
  process.stderr.write(
    'reinhardt: dist/ is missing and tsx cannot be found to run the sources. ' +
      'Run `npm run build` or install tsx.\n',
  );
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
