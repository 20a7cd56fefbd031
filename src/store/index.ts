/**
 * The history store: runs, findings, the versioned risk register and the audit trail.
 * {@link openStore} picks the back end from a location: `postgres://` / `postgresql://` URLs open
 * {@link PostgresStore}; anything else is a folder (or a `.duckdb` file) for {@link DuckDBStore}.
 * The default location is `FAIRWATCH_STORE`, else `.fairwatch/` in the working directory.
 *
 * @example
 * ```ts
 * import { openStore } from './store/index.js';
 * const store = await openStore(process.env.CI ? 'postgres://fw@db/gov' : undefined);
 * await store.appendAudit({ action: 'risk.export', outputs: { 'risks.csv': digest } });
 * await store.close();
 * ```
 */
import { resolve } from 'node:path';
import { DuckDBStore } from './duckdb.js';
import { PostgresStore } from './postgres.js';
import type { Store, StoreOptions } from './types.js';

export { DuckDBStore } from './duckdb.js';
export { PostgresStore } from './postgres.js';
export { SqlStore, storeDDL, normTime, type SqlTx } from './sql-store.js';
export type { AlertDeliveryRecord, MonitorLock, MonitorWindowRecord, MonitorWindowWrite, RunRecord, RunWithRisks, Store, StoredFinding, StoredRun, StoreOptions, TimeRange } from './types.js';

/**
 * The default store folder, relative to the working directory.
 *
 * @example
 * ```ts
 * DEFAULT_STORE_DIR; // '.fairwatch'
 * ```
 */
export const DEFAULT_STORE_DIR = '.fairwatch';

/**
 * Where the store is: `location`, else `FAIRWATCH_STORE`, else `.fairwatch` (absolute path, or
 * the URL unchanged), and which back end that means.
 *
 * @example
 * ```ts
 * resolveStoreLocation('postgres://h/db'); // { kind: 'postgres', location: 'postgres://h/db' }
 * resolveStoreLocation(undefined);         // { kind: 'duckdb', location: '/cwd/.fairwatch' } (without FAIRWATCH_STORE)
 * ```
 */
export function resolveStoreLocation(location?: string): { kind: 'duckdb' | 'postgres'; location: string } {
  const loc = location?.trim() || process.env.FAIRWATCH_STORE?.trim() || DEFAULT_STORE_DIR;
  if (/^postgres(ql)?:\/\//i.test(loc)) return { kind: 'postgres', location: loc };
  return { kind: 'duckdb', location: resolve(loc) };
}

/**
 * Open the store at `location` (see {@link resolveStoreLocation}), creating its tables if missing.
 *
 * @example
 * ```ts
 * const store = await openStore();                       // .fairwatch/store.duckdb + .fairwatch/audit.log.jsonl
 * const team = await openStore('postgres://fw@db/gov?schema=fairwatch');
 * ```
 */
export async function openStore(location?: string, options: StoreOptions = {}): Promise<Store> {
  const where = resolveStoreLocation(location);
  return where.kind === 'postgres' ? PostgresStore.open(where.location, options) : DuckDBStore.open(where.location, options);
}
