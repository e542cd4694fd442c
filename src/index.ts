/**
 * Reinhardt: Django's and Django REST Framework's batteries, for TypeScript.
 *
 * The root entry point keeps a small, stable surface; each concern has its
 * own subpath (`reinhardt/conf`, `reinhardt/db`, `reinhardt/core`, `reinhardt/cli`).
 *
 * @example
 * ```ts
 * import { defineSettings, env } from 'reinhardt';
 * export default defineSettings({ databases: { default: env.db('DATABASE_URL', 'sqlite::memory:') } });
 * ```
 */
export { defineSettings, env, settings, loadSettings, configureSettings } from './conf/index.js';
export { getVersion } from './cli/version.js';
