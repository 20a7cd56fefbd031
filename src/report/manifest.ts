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
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
 * The installed version of a package (nearest `node_modules/<name>/package.json` above `from`), or
 * null when it is not installed.
 *
 * @example
 * ```ts
 * installedVersion('vega');         // '6.4.0'
 * installedVersion('no-such-pkg');  // null
 * ```
 */
export function installedVersion(name: string, from: string = dirname(fileURLToPath(import.meta.url))): string | null {
  let dir = from;
  for (;;) {
    const file = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(file)) {
      try {
        const v = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
        return typeof v === 'string' ? v : null;
      } catch {
        return null;
      }
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

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
