/**
 * Engines: where the fairness accumulate step runs. `openEngine({ engine })` picks one from a
 * registry keyed by id; the built-ins are `memory` (the in-memory pass), `duckdb` (embedded),
 * and `postgres` / `clickhouse`, whose modules (`./postgres.js`, `./clickhouse.js`) are imported
 * only when asked for. Connection strings appear in messages only through `redactUrl`.
 *
 * @example
 * ```ts
 * const engine = await openEngine({ engine: 'duckdb' });
 * const s = await engine.fairnessSummaries({ source: { kind: 'file', text: 'preds.parquet' }, label: 'y', prediction: 'p', sensitive: ['sex'] });
 * await engine.close();
 * ```
 */
import { EngineError, FairwatchError, InputError, messages } from '../errors.js';
import { DuckDBEngine } from './duckdb.js';
import { MemoryEngine } from './memory.js';
import { redactText, redactUrl } from './redact.js';
import type { Engine } from './types.js';

export * from './types.js';
export * from './sql.js';
export * from './summaries-from-rows.js';
export * from './drift-sql.js';
export { DuckDBEngine, duckdbPath, duckdbReason } from './duckdb.js';
export { MemoryEngine } from './memory.js';
export { redactText, redactUrl } from './redact.js';

/** Engine ids. */
export type EngineId = Engine['id'];

/** Options of {@link openEngine}. */
export interface OpenEngineOptions {
  engine: EngineId;
  /** Connection URL (postgres, clickhouse: required) or DuckDB database path (default `:memory:`). */
  url?: string;
  /** The memory engine's table. */
  data?: unknown;
}

/** Opens one kind of engine. */
export type EngineOpener = (options: OpenEngineOptions, fn: string) => Promise<Engine>;

const registry = new Map<string, EngineOpener>();

/**
 * Register (or replace) how an engine id is opened.
 *
 * @example
 * ```ts
 * registerEngine('memory', async (o) => new MemoryEngine(o.data));
 * ```
 */
export function registerEngine(id: string, opener: EngineOpener): void {
  registry.set(id, opener);
}

/**
 * Registered engine ids, in registration order.
 *
 * @example
 * ```ts
 * engineIds(); // ['memory', 'duckdb', 'postgres', 'clickhouse']
 * ```
 */
export function engineIds(): string[] {
  return [...registry.keys()];
}

/**
 * Open an engine. Unknown ids and a missing `url` for a server engine are `InputError`s naming
 * the option; a server engine whose module cannot be loaded, or whose constructor fails, is an
 * `EngineError` whose message shows the URL redacted.
 *
 * @example
 * ```ts
 * const mem = await openEngine({ engine: 'memory', data: rows });
 * const pg = await openEngine({ engine: 'postgres', url: 'postgres://me:secret@db/ml' });
 * ```
 */
export async function openEngine(options: OpenEngineOptions): Promise<Engine> {
  const fn = 'openEngine';
  if (typeof options !== 'object' || options === null) {
    throw new InputError(messages.badArgument(fn, 'options', options, '{ engine, url?, data? }'), 'badArgument', { argument: 'options' });
  }
  const opener = registry.get(options.engine);
  if (!opener) {
    throw new InputError(messages.badOption(fn, 'engine', options.engine, engineIds().map((e) => `'${e}'`).join(', ')), 'badOption', {
      option: 'engine',
      value: options.engine,
    });
  }
  if (options.url !== undefined && typeof options.url !== 'string') {
    throw new InputError(messages.badOption(fn, 'url', options.url, 'a connection string'), 'badOption', { option: 'url' });
  }
  return opener(options, fn);
}

/**
 * An opener for a server engine in its own module, imported lazily: `new (module[className])(url)`.
 *
 * @example
 * ```ts
 * registerEngine('postgres', serverEngineOpener('postgres', './postgres.js', 'PostgresEngine'));
 * ```
 */
export function serverEngineOpener(id: string, file: string, className: string): EngineOpener {
  return async (options, fn) => {
    const url = options.url;
    if (url === undefined || url === '') {
      throw new InputError(messages.badOption(fn, 'url', url, `a ${id} connection URL`), 'badOption', { option: 'url' });
    }
    const target = redactUrl(url);
    let mod: Record<string, unknown>;
    const specifier: string = file; // a variable: the module may not exist when this compiles
    try {
      mod = (await import(specifier)) as Record<string, unknown>;
    } catch (e) {
      const reason = redactText(e instanceof Error ? e.message : String(e));
      throw new EngineError(messages.engineUnavailable(fn, id, target, reason), 'engineUnavailable', { engine: id, target });
    }
    const Ctor = mod[className];
    if (typeof Ctor !== 'function') {
      throw new EngineError(messages.engineUnavailable(fn, id, target, `${file} does not export ${className}`), 'engineUnavailable', {
        engine: id,
        target,
      });
    }
    try {
      return new (Ctor as new (url: string) => Engine)(url);
    } catch (e) {
      if (e instanceof FairwatchError) throw e;
      const reason = redactText(e instanceof Error ? e.message : String(e));
      throw new EngineError(messages.engineConnectFailed(fn, id, target, reason), 'engineConnectFailed', { engine: id, target });
    }
  };
}

registerEngine('memory', async (o) => new MemoryEngine(o.data));
registerEngine('duckdb', async (o) => DuckDBEngine.open(o.url));
registerEngine('postgres', serverEngineOpener('postgres', './postgres.js', 'PostgresEngine'));
registerEngine('clickhouse', serverEngineOpener('clickhouse', './clickhouse.js', 'ClickHouseEngine'));
