/**
 * The installation that computes a result: tool, Node, platform, host and the versions of the
 * engine and chart libraries. Recorded in each run's audit line (`details.environment`, by
 * `recordEvaluation`) so that an evidence pack's run manifest names the environment the run had,
 * not only the exporting one.
 *
 * @example
 * ```ts
 * environmentInfo().node; // 'v20.20.2'
 * ```
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from './version.js';

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


/** Tool, runtime, library versions and host of an installation. */
export interface EnvironmentInfo {
  tool: { name: 'fairwatch'; version: string };
  node: string;
  platform: string;
  host: string;
  /** Versions of the engine and chart libraries, from their package.json (null when not installed). */
  libraries: Record<string, string | null>;
}

let cached: EnvironmentInfo | undefined;

const LIBRARIES = ['@duckdb/node-api', 'vega', 'vega-lite'] as const;

/**
 * Tool, Node, platform, host, and the versions of `@duckdb/node-api`, `vega` and `vega-lite`
 * read from their package.json (found the way Node resolves packages: `node_modules` folders
 * upwards from this module).
 *
 * @example
 * ```ts
 * environmentInfo().libraries; // { '@duckdb/node-api': '1.5.6-r.1', vega: '6.4.0', 'vega-lite': '6.4.3' }
 * ```
 */
export function environmentInfo(): EnvironmentInfo {
  if (cached) return structuredClone(cached);
  const libraries: Record<string, string | null> = {};
  for (const name of LIBRARIES) libraries[name] = installedVersion(name);
  cached = { tool: { name: 'fairwatch', version: VERSION }, node: process.version, platform: `${process.platform}-${process.arch}`, host: hostname(), libraries };
  return structuredClone(cached);
}
