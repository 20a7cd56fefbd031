/**
 * The package version, read once from package.json (recorded in every result's provenance).
 *
 * @example
 * ```ts
 * import { VERSION } from 'fairwatch'; // '0.1.0'
 * ```
 */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'fairwatch' && pkg.version) return pkg.version;
    } catch {
      // try the next location (src/ in tests, dist/src/ when built)
    }
  }
  return '0.0.0';
}

/**
 * The package version, as read from package.json (`'0.0.0'` if it cannot be found).
 *
 * @example
 * ```ts
 * import { VERSION } from 'fairwatch';
 * VERSION; // '0.1.0'
 * ```
 */
export const VERSION: string = readVersion();
