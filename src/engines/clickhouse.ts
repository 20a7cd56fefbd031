/**
 * `ClickHouseEngine`: the fairness accumulate step run inside ClickHouse (18.16 and later), over
 * its plain HTTP interface with Node's `fetch` (no driver). The source may be a `MergeTree`
 * table, a `Distributed` table over several shards, a view, or a SQL query; only the
 * aggregated rows come back.
 *
 * Two requests per audit, each the SQL as the POST body to `http://host:port/?database=db`
 * with `FORMAT JSONCompact`: a schema probe (`LIMIT 0`; the column names and types come back in
 * the `meta` block) and the compiled aggregate (`compileFairnessSQL(query, 'clickhouse')`).
 * ClickHouse writes 64-bit integers (`count()`, the bins) as JSON strings and, with
 * `output_format_json_quote_denormals`, NaN and ±inf as `"nan"`/`"inf"`; `summariesFromSqlRecords`
 * reads both. `wait_end_of_query=1` makes the server finish before answering, so an error late in
 * a query is an HTTP error status rather than a truncated 200 body.
 *
 * URL: `clickhouse://[user[:password]@]host[:port][/database][?setting=value...]` (HTTP, port
 * 8123 by default), `clickhouse+https://...` (port 8443), or a plain `http(s)://` URL; the
 * database defaults to `default`, the user to ClickHouse's `default`. Credentials travel in an
 * `Authorization: Basic` header, never in the request URL; other query parameters are passed on
 * as ClickHouse settings (e.g. `?max_execution_time=60`).
 *
 * Errors: bad options, absent columns, missing or non-binary labels, bad scores and weights are
 * `InputError`s (as in memory); an absent table or database (ClickHouse codes 60, 81) is
 * `InputError` `messages.engineSourceNotFound`; a server that cannot be reached is `EngineError`
 * `messages.engineConnectFailed`; anything else ClickHouse reports is `EngineError`
 * `messages.engineQueryFailed`. URLs in messages go through `redactUrl`.
 *
 * `bytesReturned` is the size in bytes of the aggregate's HTTP response body.
 *
 * @example
 * ```ts
 * const engine = new ClickHouseEngine('clickhouse://127.0.0.1:8123/default');
 * const s = await engine.fairnessSummaries({ source: { kind: 'table', text: 'loans_dist' },
 *   label: 'repaid', prediction: 'approved', score: 'score', sensitive: ['sex'] });
 * groupMetricsFromSummaries(s).demographicParityDifference();
 * await engine.close();
 * ```
 */
import { EngineError, FairwatchError, InputError, messages } from '../errors.js';
import { redactText, redactUrl } from './redact.js';
import { checkFairnessColumns, clickhouseOutputName, compileFairnessSQL, compileProbeSQL, quoteIdentifier, sqlTypeKind, validateFairnessQuery, type SqlValueKind } from './sql.js';
import { summariesFromSqlRecords } from './summaries-from-rows.js';
import { compileDriftSQL, driftCountsFromRows, type DriftCounts, type DriftQuery } from './drift-sql.js';
import { randomUUID } from 'node:crypto';
import type { Engine, FairnessQuery, FairnessSummaries, ProgressCallback } from './types.js';

/** Where and how to reach one ClickHouse server over HTTP. */
export interface ClickHouseTarget {
  /** `http://host:port/` (no credentials). */
  endpoint: string;
  database: string;
  /** ClickHouse settings sent as query parameters. */
  settings: Record<string, string>;
  /** `Basic ...` header value, when a user is given. */
  authorization?: string;
}

/** A ClickHouse answer in `JSONCompact`. */
export interface ClickHouseResult {
  meta: { name: string; type: string }[];
  data: unknown[][];
  /** Bytes of the response body. */
  bytes: number;
}

const URL_EXPECTED = 'clickhouse://[user[:password]@]host[:port][/database], clickhouse+https://... or http(s)://host:port/?database=db';

/**
 * Parse a ClickHouse URL (see the module doc); `InputError` `messages.badEngineUrl` (URL
 * redacted) when it is not one.
 *
 * @example
 * ```ts
 * clickhouseTarget('clickhouse://me:pw@ch1:8123/ml?max_execution_time=60');
 * // { endpoint: 'http://ch1:8123/', database: 'ml', settings: { max_execution_time: '60' }, authorization: 'Basic bWU6cHc=' }
 * ```
 */
export function clickhouseTarget(url: string, fn = 'clickhouseTarget'): ClickHouseTarget {
  const bad = () => new InputError(messages.badEngineUrl(fn, redactUrl(String(url)), URL_EXPECTED), 'badEngineUrl', { url: redactUrl(String(url)) });
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad();
  }
  const protocol = u.protocol.toLowerCase();
  const https = protocol === 'https:' || protocol === 'clickhouse+https:' || protocol === 'clickhouses:';
  if (!https && protocol !== 'http:' && protocol !== 'clickhouse:' && protocol !== 'clickhouse+http:') throw bad();
  if (!u.hostname) throw bad();
  const port = u.port || (https ? '8443' : '8123');
  const params = new URLSearchParams(u.search);
  const path = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''));
  if (path.includes('/')) throw bad();
  const database = params.get('database') || path || 'default';
  const user = params.get('user') ?? (u.username ? decodeURIComponent(u.username) : undefined);
  const password = params.get('password') ?? (u.password ? decodeURIComponent(u.password) : '');
  const settings: Record<string, string> = {};
  for (const [k, v] of params) if (k !== 'database' && k !== 'user' && k !== 'password') settings[k] = v;
  const host = u.hostname.includes(':') && !u.hostname.startsWith('[') ? `[${u.hostname}]` : u.hostname;
  const target: ClickHouseTarget = { endpoint: `${https ? 'https' : 'http'}://${host}:${port}/`, database, settings };
  if (user !== undefined) target.authorization = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
  return target;
}

/** ClickHouse's error text on one line, without the `e.what()` tail, at most 500 characters. */
function clickhouseReason(body: string): string {
  const oneLine = body
    .replace(/,?\s*e\.what\(\) = DB::Exception\s*$/, '')
    .replace(/\s*\n\s*/g, '; ')
    .trim();
  const r = redactText(oneLine);
  return r.length > 500 ? r.slice(0, 497) + '...' : r;
}

/** The reason of a failed `fetch` (Node puts the socket error in `cause`). */
function fetchReason(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string; errors?: { message?: string }[] } };
  if (err?.name === 'TimeoutError') return 'no answer before the timeout';
  const cause = err?.cause;
  const text = cause?.message || cause?.errors?.map((x) => x.message).join('; ') || cause?.code || err?.message || String(e);
  return redactText(text);
}

/** Options of {@link ClickHouseEngine}. */
export interface ClickHouseEngineOptions {
  /** Timeout of one request in milliseconds (default 10 minutes). */
  timeoutMs?: number;
}

/**
 * An {@link Engine} on a ClickHouse server, over HTTP.
 * @example `await new ClickHouseEngine('clickhouse://127.0.0.1:8123/default').fairnessSummaries(query)`
 */
export class ClickHouseEngine implements Engine {
  readonly id = 'clickhouse' as const;
  readonly dialect = 'clickhouse' as const;
  /** The URL with its password hidden, for messages. */
  readonly target: string;
  readonly #server: ClickHouseTarget;
  readonly #timeoutMs: number;
  #closed = false;

  /**
   * An engine on a ClickHouse URL (see the module doc). Nothing is sent until the first query;
   * a URL that is not a ClickHouse URL throws `InputError` here.
   *
   * @example
   * ```ts
   * const engine = new ClickHouseEngine('clickhouse://127.0.0.1:8123/default');
   * ```
   */
  constructor(url: string, options: ClickHouseEngineOptions = {}) {
    const fn = 'ClickHouseEngine';
    this.target = redactUrl(String(url));
    this.#server = clickhouseTarget(url, fn);
    const t = options.timeoutMs ?? 600_000;
    if (!(typeof t === 'number' && t > 0)) throw new InputError(messages.badOption(fn, 'timeoutMs', t, 'a positive number of milliseconds'), 'badOption');
    this.#timeoutMs = t;
  }

  /**
   * Send one statement and return ClickHouse's answer as text (for setting up sources: `CREATE`,
   * `INSERT ... FORMAT ...` with its data, `DROP`). Not for reading rows.
   *
   * @example
   * ```ts
   * await engine.exec('CREATE TABLE t (x Int32) ENGINE = MergeTree() ORDER BY x');
   * await engine.exec('INSERT INTO t FORMAT TSV\n1\n2\n');
   * ```
   */
  async exec(sql: string): Promise<string> {
    return (await this.#post(sql, 'ClickHouseEngine.exec', undefined)).text;
  }

  /**
   * Run a query with `FORMAT JSONCompact` appended and return its columns and rows as ClickHouse
   * sends them (64-bit integers as strings).
   *
   * @example
   * ```ts
   * (await engine.query('SELECT count() AS n FROM t')).data; // [['2']]
   * ```
   */
  async query(sql: string, fn = 'ClickHouseEngine.query', source?: string, progress?: { step: string; onProgress: ProgressCallback }): Promise<ClickHouseResult> {
    const body = `${sql.replace(/[;\s]+$/, '')}\nFORMAT JSONCompact`;
    const { text, bytes } = progress ? await this.#postWithProgress(body, fn, source, progress.step, progress.onProgress) : await this.#post(body, fn, source);
    let parsed: { meta?: { name: string; type: string }[]; data?: unknown[][] };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw new EngineError(messages.engineQueryFailed(fn, 'clickhouse', this.target, `unreadable answer: ${clickhouseReason(text.slice(-500))}`), 'engineQueryFailed');
    }
    if (!Array.isArray(parsed.meta) || !Array.isArray(parsed.data)) {
      throw new EngineError(messages.engineQueryFailed(fn, 'clickhouse', this.target, 'the answer has no meta or data'), 'engineQueryFailed');
    }
    return { meta: parsed.meta, data: parsed.data, bytes };
  }

  /**
   * Read columns of a query's rows into memory (see `Engine.readColumns`); 64-bit integers and
   * decimals (strings in JSON) become numbers, as do `"nan"`, `"inf"` and `"-inf"` of float columns.
   *
   * @example
   * ```ts
   * await engine.readColumns("SELECT * FROM preds WHERE ts >= toDateTime('2026-03-01 00:00:00', 'UTC')", ['income']); // { income: [52000, ...] }
   * ```
   */
  async readColumns(sql: string, columns: readonly string[]): Promise<Record<string, unknown[]>> {
    const fn = 'ClickHouseEngine.readColumns';
    const r = await this.query(`SELECT ${columns.map((c) => quoteIdentifier(c, 'clickhouse')).join(', ')} FROM (${sql}) AS _fw_r`, fn, sql);
    return Object.fromEntries(
      columns.map((c, j) => {
        const type = r.meta[j]?.type ?? '';
        const numeric = /^(Nullable\()?(U?Int\d+|Float\d+|Decimal)/.test(type);
        return [c, r.data.map((row) => (numeric && typeof row[j] === 'string' ? Number(row[j] === 'inf' ? 'Infinity' : row[j] === '-inf' ? '-Infinity' : row[j]) : row[j]))];
      }),
    );
  }

  /** Post a query under its own query id, polling `system.processes` for its progress every 200 ms. */
  async #postWithProgress(body: string, fn: string, source: string | undefined, step: string, onProgress: ProgressCallback): Promise<{ text: string; bytes: number }> {
    const queryId = `fairwatch-${randomUUID()}`;
    const poll = async () => {
      try {
        const r = await this.#post(
          `SELECT sum(read_rows), sum(total_rows_approx) FROM system.processes WHERE initial_query_id = '${queryId}' OR query_id = '${queryId}'\nFORMAT JSONCompact`,
          fn,
          undefined,
        );
        const row = (JSON.parse(r.text) as { data: [string, string][] }).data[0];
        if (row && Number(row[1]) > 0) onProgress({ step, rowsDone: Number(row[0]), rowsTotal: Number(row[1]), done: false });
      } catch {
        // progress is best effort
      }
    };
    let polling = Promise.resolve();
    const timer = setInterval(() => {
      polling = polling.then(poll);
    }, 200);
    try {
      return await this.#post(body, fn, source, { query_id: queryId });
    } finally {
      clearInterval(timer);
      await polling;
    }
  }

  async #post(body: string, fn: string, source: string | undefined, extra: Record<string, string> = {}): Promise<{ text: string; bytes: number }> {
    if (this.#closed) throw new EngineError(messages.engineClosed(fn, 'clickhouse'), 'engineClosed');
    const s = this.#server;
    const params = new URLSearchParams({
      database: s.database,
      wait_end_of_query: '1',
      output_format_json_quote_denormals: '1',
      ...s.settings,
      ...extra,
    });
    const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' };
    if (s.authorization) headers.Authorization = s.authorization;
    let res: Response;
    let buf: Buffer;
    try {
      res = await fetch(`${s.endpoint}?${params}`, { method: 'POST', body, headers, signal: AbortSignal.timeout(this.#timeoutMs) });
      buf = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      throw new EngineError(messages.engineConnectFailed(fn, 'clickhouse', this.target, fetchReason(e)), 'engineConnectFailed', { target: this.target });
    }
    const text = buf.toString('utf8');
    if (!res.ok) {
      const reason = clickhouseReason(text || `HTTP ${res.status}`);
      const code = Number(res.headers.get('x-clickhouse-exception-code') ?? /^Code: (\d+)/.exec(text)?.[1]);
      // 60 UNKNOWN_TABLE, 81 UNKNOWN_DATABASE
      if (source !== undefined && (code === 60 || code === 81)) {
        throw new InputError(messages.engineSourceNotFound(fn, 'clickhouse', source, reason), 'engineSourceNotFound', { source, reason });
      }
      // 192 UNKNOWN_USER, 193 WRONG_PASSWORD, 194 REQUIRED_PASSWORD, 516 AUTHENTICATION_FAILED
      if (code === 192 || code === 193 || code === 194 || code === 516) {
        throw new EngineError(messages.engineConnectFailed(fn, 'clickhouse', this.target, reason), 'engineConnectFailed', { target: this.target, code });
      }
      throw new EngineError(messages.engineQueryFailed(fn, 'clickhouse', this.target, reason), 'engineQueryFailed', { reason, code });
    }
    return { text, bytes: buf.length };
  }

  /**
   * The accumulate step in ClickHouse: probe the source's columns, run the compiled aggregate,
   * and turn its rows into summaries (see the module doc).
   *
   * @example
   * ```ts
   * const s = await engine.fairnessSummaries({ source: { kind: 'table', text: 'preds' }, label: 'y', prediction: 'p', sensitive: ['sex'] });
   * s.confusion.groups; // [['f'], ['m']]
   * ```
   */
  async fairnessSummaries(query: FairnessQuery): Promise<FairnessSummaries> {
    const fn = 'ClickHouseEngine.fairnessSummaries';
    if (this.#closed) throw new EngineError(messages.engineClosed(fn, 'clickhouse'), 'engineClosed');
    validateFairnessQuery(query, 'clickhouse', fn);
    const source = query.source.text;
    try {
      const probe = await this.query(compileProbeSQL(query.source, 'clickhouse'), fn, source);
      const names = probe.meta.map((m) => m.name);
      checkFairnessColumns(query, names, fn);
      const kinds: Record<string, SqlValueKind> = {};
      for (const m of probe.meta) kinds[m.name] = sqlTypeKind(m.type);
      const step = `fairness by ${query.sensitive.join(' × ')}`;
      const progress = query.onProgress ? { step, onProgress: query.onProgress } : undefined;
      const result = await this.query(compileFairnessSQL(query, 'clickhouse', { kinds }), fn, source, progress);
      const columns = result.meta.map((m) => clickhouseOutputName(m.name));
      const records = result.data.map((row) => {
        const r: Record<string, unknown> = {};
        for (let i = 0; i < columns.length; i++) r[columns[i]!] = row[i];
        return r;
      });
      const out = summariesFromSqlRecords(records, query, { kinds, fn });
      query.onProgress?.({ step, rowsDone: out.rows, rowsTotal: out.rows, done: true });
      return { ...out, bytesReturned: result.bytes };
    } catch (e) {
      if (e instanceof FairwatchError) throw e;
      throw new EngineError(messages.engineQueryFailed(fn, 'clickhouse', this.target, redactText(e instanceof Error ? e.message : String(e))), 'engineQueryFailed');
    }
  }

  /**
   * Drift counts in ClickHouse (`compileDriftSQL`): numeric bins on stored edges (with each
   * bin's smallest and largest value), category and missing counts; one aggregate per column,
   * only counts come back. `bytesReturned` of the last call is kept in {@link lastBytesReturned}.
   *
   * @example
   * ```ts
   * const [income] = await engine.driftCounts({ source: { kind: 'table', text: 'preds_dist' },
   *   columns: [{ column: 'income', kind: 'numeric', edges: reference.edges }] });
   * ```
   */
  async driftCounts(query: DriftQuery): Promise<DriftCounts[]> {
    const fn = 'ClickHouseEngine.driftCounts';
    if (this.#closed) throw new EngineError(messages.engineClosed(fn, 'clickhouse'), 'engineClosed');
    const compiled = compileDriftSQL(query, 'clickhouse');
    const source = query.source.text;
    try {
      const probe = await this.query(compileProbeSQL(query.source, 'clickhouse'), fn, source);
      const names = probe.meta.map((m) => m.name);
      for (const c of query.columns) {
        if (!names.includes(c.column)) throw new InputError(messages.missingColumn(fn, c.column, names), 'missingColumn', { column: c.column, available: names });
      }
      const kinds: Record<string, SqlValueKind> = {};
      for (const m of probe.meta) kinds[m.name] = sqlTypeKind(m.type);
      const rows: Record<string, Record<string, unknown>[]> = {};
      let bytes = 0;
      for (const c of compiled.queries) {
        const step = `drift ${c.column}`;
        const result = await this.query(c.sql, fn, source, query.onProgress ? { step, onProgress: query.onProgress } : undefined);
        bytes += result.bytes;
        const columns = result.meta.map((m) => clickhouseOutputName(m.name));
        rows[c.column] = result.data.map((row) => Object.fromEntries(columns.map((name, i) => [name, row[i]])));
        const n = rows[c.column]!.reduce((t, r) => t + Number(r.n), 0);
        query.onProgress?.({ step, rowsDone: n, rowsTotal: n, done: true });
      }
      this.lastBytesReturned = bytes;
      return driftCountsFromRows(query, rows, kinds);
    } catch (e) {
      if (e instanceof FairwatchError) throw e;
      throw new EngineError(messages.engineQueryFailed(fn, 'clickhouse', this.target, redactText(e instanceof Error ? e.message : String(e))), 'engineQueryFailed');
    }
  }

  /** Bytes of the responses of the last {@link driftCounts} call. */
  lastBytesReturned = 0;

  /**
   * Mark the engine closed (HTTP needs no connection teardown); later calls throw `EngineError`
   * 'engineClosed'.
   *
   * @example
   * ```ts
   * await engine.close();
   * ```
   */
  async close(): Promise<void> {
    this.#closed = true;
  }
}
