/**
 * `DuckDBEngine`: the fairness accumulate step run inside embedded DuckDB (`@duckdb/node-api`),
 * on a table or view of a database file, a SQL query, or CSV/TSV/Parquet/JSON files (globs
 * allowed). Rows never reach JavaScript: two queries run, a schema probe (`LIMIT 0`: column names
 * and types) and the compiled aggregate (`compileFairnessSQL`), whose result is the summaries'
 * size (groups × 4 cells, × fine bins with scores), not the data's.
 *
 * Errors: bad options, absent columns, missing or non-binary labels, bad scores and weights are
 * `InputError`s (as in memory); a missing file or table is `InputError`
 * `messages.engineSourceNotFound`; anything else DuckDB reports is `EngineError`
 * `messages.engineQueryFailed` (database paths redacted with `redactUrl`).
 *
 * @example
 * ```ts
 * const engine = await DuckDBEngine.open();   // ':memory:'
 * const s = await engine.fairnessSummaries({ source: { kind: 'file', text: 'preds/*.parquet' },
 *   label: 'repaid', prediction: 'approved', score: 'score', sensitive: ['sex'] });
 * groupMetricsFromSummaries(s).demographicParityDifference();
 * await engine.close();
 * ```
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { EngineError, FairwatchError, InputError, messages } from '../errors.js';
import { redactUrl } from './redact.js';
import { compileDriftSQL, driftCountsFromRows, type DriftCounts, type DriftQuery } from './drift-sql.js';
import { checkFairnessColumns, compileFairnessSQL, compileProbeSQL, quoteIdentifier, sqlTypeKind, validateFairnessQuery, type SqlValueKind } from './sql.js';
import { estimateBytes, summariesFromSqlRecords } from './summaries-from-rows.js';
import type { Engine, FairnessQuery, FairnessSummaries, ProgressCallback } from './types.js';

/**
 * The database path of a DuckDB URL: `':memory:'` for none, `'duckdb::memory:'`, or `'duckdb:'`;
 * `'duckdb:///abs/file.db'` or `'duckdb:rel/file.db'` or a plain path otherwise.
 *
 * @example
 * ```ts
 * duckdbPath(undefined);               // ':memory:'
 * duckdbPath('duckdb:///data/x.db');   // '/data/x.db'
 * duckdbPath('store.duckdb');          // 'store.duckdb'
 * ```
 */
export function duckdbPath(url: string | undefined): string {
  if (url === undefined || url === '' || url === ':memory:') return ':memory:';
  if (/^duckdb:\/\//i.test(url)) {
    const rest = url.slice('duckdb://'.length);
    return rest === '' || rest === ':memory:' ? ':memory:' : decodeURIComponent(rest);
  }
  if (/^duckdb:/i.test(url)) {
    const rest = url.slice('duckdb:'.length);
    return rest === '' || rest === ':memory:' ? ':memory:' : rest;
  }
  return url;
}

/**
 * DuckDB's message up to its SQL excerpt, on one line, at most 500 characters.
 *
 * @example
 * ```ts
 * duckdbReason(new Error('IO Error: No files found that match the pattern "x.csv"')); // 'IO Error: No files found ...'
 * ```
 */
export function duckdbReason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const head = message.split(/\n\s*\nLINE \d+:/)[0]!;
  const oneLine = head.replace(/\s*\n\s*/g, '; ').trim();
  return oneLine.length > 500 ? oneLine.slice(0, 497) + '...' : oneLine;
}

/**
 * An {@link Engine} on embedded DuckDB.
 * @example `await (await DuckDBEngine.open()).fairnessSummaries(query)`
 */
export class DuckDBEngine implements Engine {
  readonly id = 'duckdb' as const;
  readonly dialect = 'duckdb' as const;
  /** The database path (`:memory:` or a file). */
  readonly path: string;
  #instance: DuckDBInstance | undefined;
  #connection: DuckDBConnection | undefined;
  #opening: Promise<DuckDBConnection> | undefined;
  #closed = false;

  /**
   * An engine on a database path or URL (see {@link duckdbPath}); opened on first use.
   *
   * @example
   * ```ts
   * const engine = new DuckDBEngine('duckdb:///data/store.duckdb');
   * ```
   */
  constructor(url?: string) {
    this.path = duckdbPath(url);
  }

  /**
   * Open an engine now (so that a bad path fails here, not at the first query).
   *
   * @example
   * ```ts
   * const engine = await DuckDBEngine.open(':memory:');
   * ```
   */
  static async open(url?: string): Promise<DuckDBEngine> {
    const engine = new DuckDBEngine(url);
    await engine.#connect('DuckDBEngine.open');
    return engine;
  }

  async #connect(fn: string): Promise<DuckDBConnection> {
    if (this.#closed) throw new EngineError(messages.engineClosed(fn, 'duckdb'), 'engineClosed');
    if (this.#connection) return this.#connection;
    this.#opening ??= (async () => {
      try {
        this.#instance = await DuckDBInstance.create(this.path);
        this.#connection = await this.#instance.connect();
        // query progress for ScanProgress (computed by DuckDB, never printed by it)
        await this.#connection.run('SET enable_progress_bar = true');
        await this.#connection.run('SET enable_progress_bar_print = false');
        return this.#connection;
      } catch (e) {
        this.#opening = undefined;
        this.#instance?.closeSync();
        this.#instance = undefined;
        throw new EngineError(messages.engineConnectFailed(fn, 'duckdb', redactUrl(this.path), duckdbReason(e)), 'engineConnectFailed', {
          target: redactUrl(this.path),
        });
      }
    })();
    return this.#opening;
  }

  /**
   * Run one statement (e.g. `CREATE VIEW`, `COPY`); for setting up sources, not for reading rows.
   *
   * @example
   * ```ts
   * await engine.exec("CREATE VIEW preds AS SELECT * FROM read_parquet('p/*.parquet')");
   * ```
   */
  async exec(sql: string): Promise<void> {
    const fn = 'DuckDBEngine.exec';
    const connection = await this.#connect(fn);
    try {
      await connection.run(sql);
    } catch (e) {
      throw this.#error(e, fn, sql);
    }
  }

  /**
   * Read columns of a query's rows into memory (see `Engine.readColumns`); BIGINT values become numbers.
   *
   * @example
   * ```ts
   * await engine.readColumns('SELECT * FROM preds WHERE ts >= DATE \'2026-03-01\'', ['income']); // { income: [52000, ...] }
   * ```
   */
  async readColumns(sql: string, columns: readonly string[]): Promise<Record<string, unknown[]>> {
    const fn = 'DuckDBEngine.readColumns';
    const connection = await this.#connect(fn);
    const text = `SELECT ${columns.map((c) => quoteIdentifier(c, 'duckdb')).join(', ')} FROM (${sql}) AS "_fw_r"`;
    let raw: Record<string, unknown[]>;
    try {
      raw = (await connection.runAndReadAll(text)).getColumnsObjectJS() as Record<string, unknown[]>;
    } catch (e) {
      throw this.#error(e, fn, sql);
    }
    return Object.fromEntries(columns.map((c) => [c, (raw[c] ?? []).map((v) => (typeof v === 'bigint' ? Number(v) : v))]));
  }

  /**
   * The accumulate step in DuckDB: probe the source's columns, run the compiled aggregate,
   * and turn its rows into summaries (see the module doc).
   *
   * @example
   * ```ts
   * const s = await engine.fairnessSummaries({ source: { kind: 'table', text: 'preds' }, label: 'y', prediction: 'p', sensitive: ['sex'] });
   * s.confusion.groups; // [['f'], ['m']]
   * ```
   */
  async fairnessSummaries(query: FairnessQuery): Promise<FairnessSummaries> {
    const fn = 'DuckDBEngine.fairnessSummaries';
    validateFairnessQuery(query, 'duckdb', fn);
    const connection = await this.#connect(fn);
    const source = query.source.text;
    try {
      const probe = await connection.runAndReadAll(compileProbeSQL(query.source, 'duckdb'));
      const names = probe.columnNames();
      checkFairnessColumns(query, names, fn);
      const types = probe.columnTypes();
      const kinds: Record<string, SqlValueKind> = {};
      names.forEach((name, i) => (kinds[name] = sqlTypeKind(String(types[i]))));
      const step = `fairness by ${query.sensitive.join(' × ')}`;
      const reader = await withProgress(connection, step, query.onProgress, connection.runAndReadAll(compileFairnessSQL(query, 'duckdb', { kinds })));
      const records = reader.getRowObjects() as Record<string, unknown>[];
      const out = summariesFromSqlRecords(records, query, { kinds, fn });
      query.onProgress?.({ step, rowsDone: out.rows, rowsTotal: out.rows, done: true });
      return { ...out, bytesReturned: estimateBytes(records) };
    } catch (e) {
      throw this.#error(e, fn, source);
    }
  }

  /**
   * Drift counts in DuckDB (`compileDriftSQL`): numeric bins on stored edges (with each bin's
   * smallest and largest value), category and missing counts; only counts come back.
   *
   * @example
   * ```ts
   * const [income] = await engine.driftCounts({ source: { kind: 'file', text: 'current.parquet' },
   *   columns: [{ column: 'income', kind: 'numeric', edges: reference.edges }] });
   * income.binCounts; // [..., ...]
   * ```
   */
  async driftCounts(query: DriftQuery): Promise<DriftCounts[]> {
    const fn = 'DuckDBEngine.driftCounts';
    const compiled = compileDriftSQL(query, 'duckdb');
    const connection = await this.#connect(fn);
    const source = query.source.text;
    try {
      const probe = await connection.runAndReadAll(compileProbeSQL(query.source, 'duckdb'));
      const names = probe.columnNames();
      const types = probe.columnTypes();
      for (const c of query.columns) {
        if (!names.includes(c.column)) throw new InputError(messages.missingColumn(fn, c.column, names), 'missingColumn', { column: c.column, available: names });
      }
      const kinds: Record<string, SqlValueKind> = {};
      names.forEach((name, i) => (kinds[name] = sqlTypeKind(String(types[i]))));
      const rows: Record<string, Record<string, unknown>[]> = {};
      for (const c of compiled.queries) {
        const step = `drift ${c.column}`;
        rows[c.column] = (await withProgress(connection, step, query.onProgress, connection.runAndReadAll(c.sql))).getRowObjects() as Record<string, unknown>[];
        const n = rows[c.column]!.reduce((t, r) => t + Number(r.n), 0);
        query.onProgress?.({ step, rowsDone: n, rowsTotal: n, done: true });
      }
      return driftCountsFromRows(query, rows, kinds);
    } catch (e) {
      throw this.#error(e, fn, source);
    }
  }

  #error(e: unknown, fn: string, source: string): Error {
    if (e instanceof FairwatchError) return e;
    const reason = duckdbReason(e);
    if (/No files found|Catalog Error: (Table|View)|does not exist/i.test(reason)) {
      return new InputError(messages.engineSourceNotFound(fn, 'duckdb', source, reason), 'engineSourceNotFound', { source, reason });
    }
    return new EngineError(messages.engineQueryFailed(fn, 'duckdb', redactUrl(this.path), reason), 'engineQueryFailed', { reason });
  }

  /**
   * Close the connection and the database; later calls throw `EngineError` 'engineClosed'.
   *
   * @example
   * ```ts
   * await engine.close();
   * ```
   */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#opening) await this.#opening.catch(() => undefined);
    this.#connection?.closeSync();
    this.#instance?.closeSync();
    this.#connection = undefined;
    this.#instance = undefined;
  }
}

/**
 * Await a query while reporting DuckDB's progress of it every 200 ms (rows read of rows to read).
 *
 * @example
 * ```ts
 * const reader = await withProgress(connection, 'fairness by sex', (p) => console.error(p), connection.runAndReadAll(sql));
 * ```
 */
export async function withProgress<T>(connection: DuckDBConnection, step: string, onProgress: ProgressCallback | undefined, running: Promise<T>): Promise<T> {
  if (!onProgress) return running;
  const timer = setInterval(() => {
    const p = connection.progress;
    const total = Number(p.total_rows_to_process);
    if (total > 0) onProgress({ step, rowsDone: Number(p.rows_processed), rowsTotal: total, done: false });
  }, 200);
  try {
    return await running;
  } finally {
    clearInterval(timer);
  }
}
