/**
 * Versions for the run manifest: the installed version of each library that computes or draws the
 * numbers, read from its `package.json` in the nearest `node_modules` folder (walking up from this
 * module, as Node resolves packages), so the manifest names what actually ran.
 *
 * @example
 * ```ts
 * libraryVersions(); // { '@duckdb/node-api': '1.5.6-r.1', vega: '6.4.0', 'vega-lite': '6.4.3', ... }
 * ```
 */
import { installedVersion } from '../environment.js';

export { installedVersion };

/**
 * The libraries the manifest lists.
 *
 * @example
 * ```ts
 * MANIFEST_LIBRARIES.includes('vega-lite'); // true
 * ```
 */
export const MANIFEST_LIBRARIES = ['@duckdb/node-api', 'vega', 'vega-lite', 'apache-arrow', 'arquero', 'zod', 'yaml', 'pg'] as const;

/**
 * Versions of {@link MANIFEST_LIBRARIES} (null where not installed).
 *
 * @example
 * ```ts
 * libraryVersions()['vega-lite']; // '6.4.3'
 * ```
 */
export function libraryVersions(): Record<string, string | null> {
  return Object.fromEntries(MANIFEST_LIBRARIES.map((name) => [name, installedVersion(name)]));
}
