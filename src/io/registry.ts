/**
 * The registry of table adapters: each turns one kind of user table (row objects, Arrow, arquero,
 * ...) into the one small {@link ColumnTable} protocol. `toColumnTable` asks the adapters in
 * registration order and uses the first whose `detect` says yes. The built-ins are registered by
 * `adapters.ts`; register your own for other table types.
 *
 * Registering an id that already exists replaces that adapter in place (keeping its position);
 * a new id goes last, unless `{ first: true }` puts it before the built-ins.
 *
 * @example
 * ```ts
 * registerTableAdapter({
 *   id: 'map',
 *   detect: (d) => d instanceof Map,
 *   adapt: (d, fn) => lazyTable({ source: 'map', columns: Object.fromEntries(d as Map<string, unknown[]>), fn }),
 * }, { first: true });
 * toColumnTable(new Map([['y', [0, 1]]])).source; // 'map'
 * ```
 */
import type { ColumnTable } from './table.js';

/** A pluggable input adapter: `detect` must be cheap (no pass over the data); `adapt` builds the table. */
export interface TableAdapter {
  /** Stable id, also used as the produced table's `source`. */
  readonly id: string;
  /** True when this adapter handles `data`. Must not throw and must not scan rows. */
  detect(data: unknown): boolean;
  /** Wrap `data` as a ColumnTable; `fn` names the calling function in error messages. */
  adapt(data: unknown, fn: string): ColumnTable;
}

const adapters: TableAdapter[] = [];

/**
 * Register (or replace, by id) a table adapter.
 *
 * @example
 * ```ts
 * registerTableAdapter({ id: 'mine', detect: (d) => d instanceof MyFrame, adapt: (d, fn) => myAdapt(d, fn) });
 * getTableAdapters().map((a) => a.id); // [..., 'mine']
 * ```
 */
export function registerTableAdapter(adapter: TableAdapter, options: { first?: boolean } = {}): void {
  const at = adapters.findIndex((a) => a.id === adapter.id);
  if (at >= 0) adapters[at] = adapter;
  else if (options.first) adapters.unshift(adapter);
  else adapters.push(adapter);
}

/**
 * Remove an adapter by id; returns whether one was removed.
 *
 * @example
 * ```ts
 * unregisterTableAdapter('mine'); // true
 * ```
 */
export function unregisterTableAdapter(id: string): boolean {
  const at = adapters.findIndex((a) => a.id === id);
  if (at < 0) return false;
  adapters.splice(at, 1);
  return true;
}

/**
 * The registered adapters, in the order `toColumnTable` tries them.
 *
 * @example
 * ```ts
 * getTableAdapters().map((a) => a.id); // ['columnTable', 'arrow', 'arquero', 'danfo', 'rows', 'columns']
 * ```
 */
export function getTableAdapters(): readonly TableAdapter[] {
  return adapters.slice();
}
