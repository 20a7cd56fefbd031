/**
 * The source of an engine command (`audit` and `drift` with `--engine`): a file (DuckDB reads
 * CSV, TSV, Parquet and JSON(L) by extension, globs allowed), a table name, or a SQL query; and
 * the `where` block that results carry (engine, URL with its password hidden, source).
 *
 * @example
 * ```ts
 * engineSource({ engine: 'duckdb', source: 'preds/*.parquet' }); // { kind: 'file', text: 'preds/*.parquet' }
 * engineSource({ engine: 'postgres', source: 'ml.preds' });      // { kind: 'table', text: 'ml.preds' }
 * ```
 */
import { statSync } from 'node:fs';
import { InputError, messages } from '../errors.js';
import { redactUrl, type SqlSource } from '../engines/index.js';

/** The engine options common to `audit` and `drift`. */
export interface EngineSourceArgs {
  engine?: 'duckdb' | 'postgres' | 'clickhouse';
  url?: string;
  /** A file given as the command's input (DuckDB). */
  file?: string;
  source?: string;
  query?: string;
}

/**
 * The SQL source of the arguments (see the module doc).
 *
 * @example
 * ```ts
 * engineSource({ engine: 'clickhouse', query: 'SELECT * FROM preds_dist' }); // { kind: 'query', text: 'SELECT * FROM preds_dist' }
 * ```
 */
export function engineSource(args: EngineSourceArgs): SqlSource {
  if (args.query !== undefined) return { kind: 'query', text: args.query };
  if (args.file !== undefined) return { kind: 'file', text: args.file };
  const text = args.source!;
  return { kind: args.engine === 'duckdb' && /\.(csv|tsv|parquet|jsonl|ndjson|json)$/i.test(text) ? 'file' : 'table', text };
}

/**
 * Check the engine options of a command: exactly one input, an engine for --source/--query,
 * a URL for server engines (typed `InputError` naming the option).
 *
 * @example
 * ```ts
 * checkEngineArgs('drift', { engine: 'postgres', source: 'preds' }); // throws: --url is needed
 * ```
 */
export function checkEngineArgs(fn: string, args: EngineSourceArgs, inputName = '<file>'): void {
  const sources = [args.file, args.source, args.query].filter((x) => x !== undefined).length;
  if (sources !== 1) {
    throw new InputError(
      messages.badOption(fn, `${inputName} | --source | --query`, sources === 0 ? undefined : 'several', `exactly one input: ${inputName}, --source <table|file> or --query <sql>`),
      'badOption',
    );
  }
  if ((args.source !== undefined || args.query !== undefined) && args.engine === undefined) {
    throw new InputError(messages.badOption(fn, '--engine', undefined, 'duckdb, postgres or clickhouse with --source or --query'), 'badOption');
  }
  if ((args.engine === 'postgres' || args.engine === 'clickhouse') && args.url === undefined) {
    throw new InputError(messages.badOption(fn, '--url', undefined, `a connection URL for --engine ${args.engine}`), 'badOption');
  }
}

/**
 * Where the rows were read, for results: engine, URL (password hidden), source, bytes returned.
 *
 * @example
 * ```ts
 * engineWhere({ engine: 'postgres', url: 'postgres://u:pw@h/db' }, { kind: 'table', text: 'preds' }, 812);
 * // { engine: 'postgres', url: 'postgres://u:***@h/db', source: { table: 'preds' }, bytesReturned: 812 }
 * ```
 */
export function engineWhere(args: EngineSourceArgs, source: SqlSource, bytesReturned: number): Record<string, unknown> {
  return {
    engine: args.engine,
    ...(args.url !== undefined ? { url: redactUrl(args.url) } : {}),
    source: source.kind === 'query' ? { query: source.text } : { [source.kind]: source.text },
    bytesReturned,
  };
}

/**
 * Files above this size (bytes) are scanned by DuckDB rather than read into memory (`FAIRWATCH_INMEMORY_MAX_BYTES` overrides).
 * @example `DEFAULT_INMEMORY_MAX_BYTES // 536870912 (512 MiB)`
 */
export const DEFAULT_INMEMORY_MAX_BYTES = 512 * 2 ** 20;

/**
 * Whether a file input should go to DuckDB rather than into memory: a glob, or a file larger
 * than `FAIRWATCH_INMEMORY_MAX_BYTES` (default 512 MiB). Returns the reason, or null.
 *
 * @example
 * ```ts
 * largeFileReason('preds/*.parquet'); // 'a glob of files'
 * largeFileReason('small.csv');       // null
 * ```
 */
export function largeFileReason(path: string): string | null {
  if (/[*?[]/.test(path)) return 'a glob of files';
  const limit = Number(process.env.FAIRWATCH_INMEMORY_MAX_BYTES ?? DEFAULT_INMEMORY_MAX_BYTES);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return null; // the reader reports a missing file
  }
  return size > limit ? `${(size / 2 ** 20).toFixed(0)} MiB, over the in-memory limit of ${(limit / 2 ** 20).toFixed(0)} MiB` : null;
}
