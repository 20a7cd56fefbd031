/**
 * `PostgresEngine`: the fairness accumulate step run inside PostgreSQL, with one `pg` client
 * connection (opened on first use). The source may be a (schema-qualified) table or view, or a
 * SQL query; only the aggregated rows come back.
 *
 * Per audit: a schema probe (`SELECT * FROM source LIMIT 0`: column names and type OIDs), a
 * look-up of the sensitive columns' type names (`format_type`, domains resolved to their base
 * type) so that their values come back as the same group values as in memory (`sqlTypeKind`),
 * and the compiled aggregate (`compileFairnessSQL(query, 'postgres')`). `bigint` counts arrive
 * as text and `double precision` sums as numbers; `summariesFromSqlRecords` reads both.
 *
 * URL: anything `pg` accepts (`postgres://user[:password]@host[:port]/database?sslmode=...`; the
 * usual `PG*` environment variables fill in what is absent).
 *
 * Errors: bad options, absent columns, missing or non-binary labels, bad scores and weights are
 * `InputError`s (as in memory); an absent table or schema (SQLSTATE 42P01, 3F000) is `InputError`
 * `messages.engineSourceNotFound`; a failed connection is `EngineError`
 * `messages.engineConnectFailed`; anything else PostgreSQL reports is `EngineError`
 * `messages.engineQueryFailed`. URLs and driver messages go through `redactUrl` / `redactText`.
 *
 * `bytesReturned` is estimated from the aggregated rows (8 per number, the length of each text,
 * `estimateBytes` in `summaries-from-rows.ts`).
 *
 * @example
 * ```ts
 * const engine = new PostgresEngine('postgres://postgres@127.0.0.1:5432/ml');
 * const s = await engine.fairnessSummaries({ source: { kind: 'table', text: 'public.loans' },
 *   label: 'repaid', prediction: 'approved', score: 'score', sensitive: ['sex'] });
 * groupMetricsFromSummaries(s).demographicParityDifference();
 * await engine.close();
 * ```
 */
import pg from 'pg';
import { EngineError, FairwatchError, InputError, messages } from '../errors.js';
import { redactUrl } from './redact.js';
import { LazyPgConnection, pgReason } from './pg-connection.js';
import { checkFairnessColumns, compileFairnessSQL, compileProbeSQL, quoteIdentifier, sqlTypeKind, validateFairnessQuery, type SqlValueKind } from './sql.js';
import { estimateBytes, summariesFromSqlRecords } from './summaries-from-rows.js';
import { compileDriftSQL, driftCountsFromRows, type DriftCounts, type DriftQuery } from './drift-sql.js';
import type { Engine, FairnessQuery, FairnessSummaries } from './types.js';

/** SQLSTATEs of an absent source: undefined_table, invalid_schema_name. */
const SOURCE_NOT_FOUND = new Set(['42P01', '3F000']);

/** Options of {@link PostgresEngine}. */
export interface PostgresEngineOptions {
  /** Connection timeout in milliseconds (default 10 s). */
  connectTimeoutMs?: number;
}

/**
 * An {@link Engine} on a PostgreSQL database.
 * @example `await new PostgresEngine('postgres://me@db/ml').fairnessSummaries(query)`
 */
export class PostgresEngine implements Engine {
  readonly id = 'postgres' as const;
  readonly dialect = 'postgres' as const;
  /** The URL with its password hidden, for messages. */
  readonly target: string;
  readonly #connection: LazyPgConnection;
  #closed = false;

  /**
   * An engine on a PostgreSQL URL; the connection opens on first use. A URL that is not a
   * `postgres://` or `postgresql://` URL throws `InputError` here.
   *
   * @example
   * ```ts
   * const engine = new PostgresEngine('postgres://me@db.internal/ml');
   * ```
   */
  constructor(url: string, options: PostgresEngineOptions = {}) {
    const fn = 'PostgresEngine';
    this.target = redactUrl(String(url));
    if (typeof url !== 'string' || !/^postgres(ql)?:\/\/./i.test(url)) {
      throw new InputError(messages.badEngineUrl(fn, this.target, 'postgres://[user[:password]@]host[:port]/database'), 'badEngineUrl', {
        url: this.target,
      });
    }
    this.#connection = new LazyPgConnection(url, this.target, options.connectTimeoutMs ?? 10_000);
  }

  /**
   * Open the connection now (so that a bad URL or an absent server fails here, not at the
   * first query).
   *
   * @example
   * ```ts
   * const engine = await PostgresEngine.open('postgres://me@db.internal/ml');
   * ```
   */
  static async open(url: string, options: PostgresEngineOptions = {}): Promise<PostgresEngine> {
    const engine = new PostgresEngine(url, options);
    await engine.#connect('PostgresEngine.open');
    return engine;
  }

  async #connect(fn: string): Promise<pg.Client> {
    if (this.#closed) throw new EngineError(messages.engineClosed(fn, 'postgres'), 'engineClosed');
    return this.#connection.client(fn);
  }

  /**
   * Run one statement with optional parameters and return its rows as objects (for setting up
   * sources: `CREATE`, `INSERT`, `COPY`-free loading). Not for reading rows in bulk.
   *
   * @example
   * ```ts
   * await engine.exec('CREATE TABLE t (x int)');
   * await engine.exec('INSERT INTO t VALUES ($1), ($2)', [1, 2]);
   * ```
   */
  async exec(sql: string, values?: unknown[]): Promise<Record<string, unknown>[]> {
    const fn = 'PostgresEngine.exec';
    const client = await this.#connect(fn);
    try {
      const res = await client.query(sql, values);
      return (Array.isArray(res) ? (res.at(-1)?.rows ?? []) : res.rows) as Record<string, unknown>[];
    } catch (e) {
      throw this.#error(e, fn, undefined);
    }
  }

  /**
   * Read columns of a query's rows into memory (see `Engine.readColumns`); `bigint` and `numeric`
   * values, which node-postgres gives as strings, become numbers.
   *
   * @example
   * ```ts
   * await engine.readColumns('SELECT * FROM preds WHERE ts >= $$2026-03-01$$', ['income']); // { income: [52000, ...] }
   * ```
   */
  async readColumns(sql: string, columns: readonly string[]): Promise<Record<string, unknown[]>> {
    const fn = 'PostgresEngine.readColumns';
    const client = await this.#connect(fn);
    const text = `SELECT ${columns.map((c) => quoteIdentifier(c, 'postgres')).join(', ')} FROM (${sql}) AS "_fw_r"`;
    let res: pg.QueryArrayResult;
    try {
      res = await client.query({ text, rowMode: 'array' });
    } catch (e) {
      throw this.#error(e, fn, sql);
    }
    const INT8 = 20;
    const NUMERIC = 1700;
    return Object.fromEntries(
      columns.map((c, j) => {
        const numeric = [INT8, NUMERIC].includes(res.fields[j]!.dataTypeID);
        return [c, res.rows.map((r) => (numeric && r[j] !== null ? Number(r[j]) : r[j]))];
      }),
    );
  }

  /**
   * The accumulate step in PostgreSQL: probe the source's columns, run the compiled aggregate,
   * and turn its rows into summaries (see the module doc).
   *
   * @example
   * ```ts
   * const s = await engine.fairnessSummaries({ source: { kind: 'table', text: 'preds' }, label: 'y', prediction: 'p', sensitive: ['sex'] });
   * s.confusion.groups; // [['f'], ['m']]
   * ```
   */
  async fairnessSummaries(query: FairnessQuery): Promise<FairnessSummaries> {
    const fn = 'PostgresEngine.fairnessSummaries';
    validateFairnessQuery(query, 'postgres', fn);
    const client = await this.#connect(fn);
    const source = query.source.text;
    try {
      const probe = await client.query(compileProbeSQL(query.source, 'postgres'));
      const names = probe.fields.map((f) => f.name);
      checkFairnessColumns(query, names, fn);
      const typed = [...query.sensitive, query.label, ...(query.prediction !== undefined ? [query.prediction] : [])];
      const kinds = await this.#kinds(client, probe.fields, typed);
      const result = await client.query(compileFairnessSQL(query, 'postgres', { kinds }));
      const records = result.rows as Record<string, unknown>[];
      const out = summariesFromSqlRecords(records, query, { kinds, fn });
      query.onProgress?.({ step: `fairness by ${query.sensitive.join(' × ')}`, rowsDone: out.rows, rowsTotal: out.rows, done: true });
      return { ...out, bytesReturned: estimateBytes(records) };
    } catch (e) {
      throw this.#error(e, fn, source);
    }
  }

  /**
   * Drift counts in PostgreSQL (`compileDriftSQL`): numeric bins on stored edges (with each
   * bin's smallest and largest value), category and missing counts; one aggregate per column,
   * only counts come back.
   *
   * @example
   * ```ts
   * const [income] = await engine.driftCounts({ source: { kind: 'table', text: 'preds' },
   *   columns: [{ column: 'income', kind: 'numeric', edges: reference.edges }] });
   * ```
   */
  async driftCounts(query: DriftQuery): Promise<DriftCounts[]> {
    const fn = 'PostgresEngine.driftCounts';
    const compiled = compileDriftSQL(query, 'postgres');
    const client = await this.#connect(fn);
    const source = query.source.text;
    try {
      const probe = await client.query(compileProbeSQL(query.source, 'postgres'));
      const names = probe.fields.map((f) => f.name);
      for (const c of query.columns) {
        if (!names.includes(c.column)) throw new InputError(messages.missingColumn(fn, c.column, names), 'missingColumn', { column: c.column, available: names });
      }
      const categorical = query.columns.filter((c) => c.kind !== 'numeric').map((c) => c.column);
      const kinds = await this.#kinds(client, probe.fields, categorical);
      const rows: Record<string, Record<string, unknown>[]> = {};
      for (const c of compiled.queries) {
        rows[c.column] = (await client.query(c.sql)).rows as Record<string, unknown>[];
        const n = rows[c.column]!.reduce((t, r) => t + Number(r.n), 0);
        query.onProgress?.({ step: `drift ${c.column}`, rowsDone: n, rowsTotal: n, done: true });
      }
      return driftCountsFromRows(query, rows, kinds);
    } catch (e) {
      throw this.#error(e, fn, source);
    }
  }

  /** How each sensitive column's values come back, from its type name (domains: their base type). */
  async #kinds(client: pg.Client, fields: readonly pg.FieldDef[], sensitive: readonly string[]): Promise<Record<string, SqlValueKind>> {
    const oids = [...new Set(fields.filter((f) => sensitive.includes(f.name)).map((f) => f.dataTypeID))];
    const names = new Map<number, string>();
    if (oids.length) {
      const res = await client.query(
        `SELECT t.oid::int AS oid, format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END, NULL) AS name ` +
          `FROM pg_catalog.pg_type t WHERE t.oid = ANY($1::oid[])`,
        [oids],
      );
      for (const r of res.rows as { oid: number; name: string }[]) names.set(Number(r.oid), r.name);
    }
    const kinds: Record<string, SqlValueKind> = {};
    for (const f of fields) if (sensitive.includes(f.name)) kinds[f.name] = sqlTypeKind(names.get(f.dataTypeID) ?? 'text');
    return kinds;
  }

  #error(e: unknown, fn: string, source: string | undefined): Error {
    if (e instanceof FairwatchError) return e;
    const code = (e as { code?: string }).code;
    const reason = pgReason(e);
    if (source !== undefined && code !== undefined && SOURCE_NOT_FOUND.has(code)) {
      return new InputError(messages.engineSourceNotFound(fn, 'postgres', source, reason), 'engineSourceNotFound', { source, reason });
    }
    // A connection that broke mid-query (no SQLSTATE): reconnect next time.
    if (code === undefined || /^(08|57P)/.test(code)) this.#connection.drop();
    return new EngineError(messages.engineQueryFailed(fn, 'postgres', this.target, reason), 'engineQueryFailed', { reason, code });
  }

  /**
   * Close the connection; later calls throw `EngineError` 'engineClosed'.
   *
   * @example
   * ```ts
   * await engine.close();
   * ```
   */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#connection.end();
  }
}
