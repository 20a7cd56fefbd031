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
import { hostname } from 'node:os';
import { installedVersion } from './report/manifest.js';
import { VERSION } from './version.js';

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
