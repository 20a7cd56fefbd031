/**
 * Drift counts pushed down to SQL: for numeric columns, counts (and the smallest and largest
 * value) in the bins of stored reference edges; for categorical and boolean columns, category
 * counts; for every column, rows and missing values. The current side of a drift comparison then
 * needs no rows in JavaScript.
 *
 * Queries ({@link compileDriftSQL}), one per column, each a scan of that column only:
 * - numeric: `GROUP BY bin` where `bin` is the index of the right-closed bin
 *   (−∞, e₀], (e₀, e₁], ..., (e_last, ∞) that holds the value, computed by a balanced tree of
 *   `CASE WHEN x <= eᵢ` (log₂ of the edge count comparisons per row; ClickHouse: one flat CASE,
 *   see {@link binIndexSQL}), and −1 for missing values (`x IS NULL OR NOT (x - x = 0)`: NULL, NaN, ±Infinity —
 *   the profile's missing values); per bin `count`, `min(x)` and `max(x)`;
 * - categorical and boolean: `GROUP BY` the raw value, cast to text once per group.
 * {@link driftCountsFromRows} turns the results into counts with the in-memory conventions:
 * categories are `String(value)` after `toGroupValue` (so a DOUBLE 1 is `'1'`, not DuckDB's
 * `'1.0'`, when the column's kind is given), boolean columns use `'false'`/`'true'` (for
 * false/true, 0/1, '0'/'1', 'false'/'true' in any case), and categories are sorted by value
 * (UTF-16 order). Truncation to `maxCategories` is left to the caller.
 * Deviation: a non-numeric text in a column binned as numeric is NULL in DuckDB (`TRY_CAST`),
 * so it counts as missing (in memory: an error); PostgreSQL and ClickHouse fail the query.
 *
 * @example
 * ```ts
 * const q = { source: { kind: 'table', text: 'preds' }, columns: [{ column: 'income', kind: 'numeric', edges: [30000, 60000] }, { column: 'sex', kind: 'categorical' }] };
 * const { queries } = compileDriftSQL(q, 'postgres');
 * // queries[0].sql: 'SELECT "_fw_b" AS "bin", count(*) AS "n", min("_fw_x") AS "lo", max("_fw_x") AS "hi", sum("_fw_x") AS "s" FROM (...) GROUP BY "_fw_b"'
 * ```
 */
import { InputError, messages } from '../errors.js';
import { profile } from '../drift/profile.js';
import { upperBound } from '../drift/sketch.js';
import type { CategoricalProfile } from '../drift/types.js';
import { toColumnTable } from '../io/table.js';
import { groupValueFromSql } from './summaries-from-rows.js';
import { quoteIdentifier, oneLevelFrom, sourceSQL, doubleLiteral, type SqlValueKind } from './sql.js';
import type { Dialect, ProgressCallback, SqlSource } from './types.js';

/** One column to count: numeric on stored edges, or categorical / boolean. */
export type DriftColumnSpec =
  | { column: string; kind: 'numeric'; edges: readonly number[] }
  | { column: string; kind: 'categorical' | 'boolean' };

/** What to count, and where. */
export interface DriftQuery {
  source: SqlSource;
  columns: readonly DriftColumnSpec[];
  /** Progress of the scans, one step per column (see `ScanProgress`). */
  onProgress?: ProgressCallback;
}

/** Counts of one numeric column. */
export interface NumericDriftCounts {
  column: string;
  kind: 'numeric';
  rows: number;
  /** NULL, NaN and ±Infinity. */
  nulls: number;
  count: number;
  edges: number[];
  /** `edges.length + 1` counts of the right-closed bins. */
  binCounts: number[];
  /** Smallest and largest value in each bin (null for an empty bin). */
  binMin: (number | null)[];
  binMax: (number | null)[];
  /** Sum of the values in each bin (0 for an empty bin; floating-point sums, engines agree to ~1e-15 relative). */
  binSum: number[];
}

/** Counts of one categorical or boolean column. */
export interface CategoricalDriftCounts {
  column: string;
  kind: 'categorical' | 'boolean';
  rows: number;
  nulls: number;
  count: number;
  /** Sorted by value. */
  categories: [value: string, count: number][];
}

/** Counts of one column. */
export type DriftCounts = NumericDriftCounts | CategoricalDriftCounts;

/** The compiled drift queries. */
export interface CompiledDriftSQL {
  /**
   * One query per column, in the order of the query's columns: numeric columns return
   * (`bin`, `n`, `lo`, `hi`), categorical and boolean columns (`category`, `n`).
   */
  queries: { column: string; kind: DriftColumnSpec['kind']; sql: string }[];
}

const dialectText = (dialect: Dialect, x: string) =>
  dialect === 'clickhouse' ? `nullIf(toString(${x}), '')` : `NULLIF(CAST(${x} AS ${dialect === 'postgres' ? 'text' : 'VARCHAR'}), '')`;
const dialectDouble = (dialect: Dialect, x: string) =>
  dialect === 'clickhouse' ? `toFloat64(${x})` : dialect === 'postgres' ? `CAST(${x} AS double precision)` : `TRY_CAST(${x} AS DOUBLE)`;

function badOption(fn: string, option: string, value: unknown, expected: string): InputError {
  return new InputError(messages.badOption(fn, option, value, expected), 'badOption', { option, value });
}

function validate(query: DriftQuery, fn: string): void {
  if (typeof query !== 'object' || query === null) throw badOption(fn, 'query', query, 'a drift query object');
  if (!Array.isArray(query.columns) || query.columns.length === 0) throw badOption(fn, 'columns', query.columns, 'a non-empty array of column specs');
  query.columns.forEach((c, i) => {
    if (typeof c?.column !== 'string' || c.column === '') throw badOption(fn, `columns[${i}].column`, c?.column, 'a column name');
    if (c.kind === 'numeric') {
      const e = c.edges;
      if (!Array.isArray(e) || e.some((x, j) => typeof x !== 'number' || !Number.isFinite(x) || (j > 0 && !(x > e[j - 1]!)))) {
        throw badOption(fn, `columns[${i}].edges`, e, 'finite, strictly increasing numbers');
      }
    } else if (c.kind !== 'categorical' && c.kind !== 'boolean') {
      throw badOption(fn, `columns[${i}].kind`, (c as { kind?: unknown }).kind, "'numeric', 'categorical' or 'boolean'");
    }
  });
}

/**
 * The bin index of `x` among sorted `edges` (right-closed bins, 0 .. edges.length) as a balanced
 * tree of CASE expressions: about log₂(edges) comparisons per row where CASE short-circuits
 * (DuckDB, PostgreSQL). `flat` gives one CASE with a WHEN per edge instead, for ClickHouse, whose
 * `multiIf` evaluates every branch over the whole block (the tree is twice as slow there).
 *
 * @example
 * ```ts
 * binIndexSQL('x', [1, 2], (e) => String(e)); // 'CASE WHEN x <= 2 THEN CASE WHEN x <= 1 THEN 0 ELSE 1 END ELSE 2 END'
 * ```
 */
export function binIndexSQL(x: string, edges: readonly number[], literal: (e: number) => string, flat = false): string {
  if (flat) {
    if (edges.length === 0) return '0';
    return `CASE ${edges.map((e, i) => `WHEN ${x} <= ${literal(e)} THEN ${i}`).join(' ')} ELSE ${edges.length} END`;
  }
  const tree = (lo: number, hi: number): string => {
    if (lo === hi) return String(lo);
    const mid = (lo + hi) >> 1;
    return `CASE WHEN ${x} <= ${literal(edges[mid]!)} THEN ${tree(lo, mid)} ELSE ${tree(mid + 1, hi)} END`;
  };
  return tree(0, edges.length);
}

/**
 * Compile the drift counts (see the module doc).
 *
 * @example
 * ```ts
 * compileDriftSQL({ source: { kind: 'table', text: 't' }, columns: [{ column: 'x', kind: 'numeric', edges: [0.5] }] }, 'duckdb').queries[0].sql;
 * // 'SELECT "_fw_b" AS "bin", count(*) AS "n", min("_fw_x") AS "lo", max("_fw_x") AS "hi", sum("_fw_x") AS "s" FROM (SELECT CASE WHEN "_fw_x" IS NULL OR
 * //  NOT ("_fw_x" - "_fw_x" = 0) THEN -1 ELSE CASE WHEN "_fw_x" <= CAST('0.5' AS DOUBLE) THEN 0 ELSE 1 END END AS "_fw_b", "_fw_x"
 * //  FROM (SELECT TRY_CAST("x" AS DOUBLE) AS "_fw_x" FROM "t") AS "_fw_r0") AS "_fw_r1" GROUP BY "_fw_b"'
 * ```
 */
export function compileDriftSQL(query: DriftQuery, dialect: Dialect): CompiledDriftSQL {
  const fn = 'compileDriftSQL';
  validate(query, fn);
  const from = sourceSQL(query.source, dialect, fn);
  const id = (s: string) => quoteIdentifier(s, dialect);
  const isNull = (x: string) => (dialect === 'clickhouse' ? `isNull(${x})` : `${x} IS NULL`);
  const count = dialect === 'clickhouse' ? 'count()' : 'count(*)';
  // ClickHouse over a table: one query level, so that over a Distributed table each shard
  // aggregates its own rows and only the per-bin rows travel (as `compileFairnessSQL`); the keys
  // keep their `_fw_` names and the other outputs are `_fw_o_<name>` (`clickhouseOutputName`)
  const oneLevel = dialect === 'clickhouse' && query.source.kind === 'table';
  const queries = query.columns.map((c) => {
    if (c.kind !== 'numeric' && oneLevel) {
      const sql = `SELECT ${dialectText(dialect, id(c.column))} AS ${id('_fw_o_category')}, ${count} AS ${id('_fw_o_n')} FROM ${oneLevelFrom(query.source, fn)} GROUP BY ${id(c.column)}`;
      return { column: c.column, kind: c.kind, sql };
    }
    if (c.kind !== 'numeric') {
      const v = id('_fw_v');
      const sql =
        `SELECT ${dialectText(dialect, v)} AS ${id('category')}, ${count} AS ${id('n')} ` +
        `FROM (SELECT ${id(c.column)} AS ${v} FROM ${from}) AS ${id('_fw_r0')} GROUP BY ${v}`;
      return { column: c.column, kind: c.kind, sql };
    }
    const x = id('_fw_x');
    const b = id('_fw_b');
    const index = binIndexSQL(x, c.edges, (e) => doubleLiteral(e, dialect), dialect === 'clickhouse');
    const bin = `CASE WHEN ${isNull(x)} OR NOT (${x} - ${x} = 0) THEN -1 ELSE ${index} END`;
    if (oneLevel) {
      const o = (n: string) => id(`_fw_o_${n}`);
      const sql =
        `WITH ${dialectDouble(dialect, id(c.column))} AS ${x}, ${bin} AS ${b} ` +
        `SELECT ${b}, ${count} AS ${o('n')}, min(${x}) AS ${o('lo')}, max(${x}) AS ${o('hi')}, sum(${x}) AS ${o('s')} FROM ${oneLevelFrom(query.source, fn)} GROUP BY ${b}`;
      return { column: c.column, kind: c.kind, sql };
    }
    const sql =
      `SELECT ${b} AS ${id('bin')}, ${count} AS ${id('n')}, min(${x}) AS ${id('lo')}, max(${x}) AS ${id('hi')}, sum(${x}) AS ${id('s')} ` +
      `FROM (SELECT ${bin} AS ${b}, ${x} FROM (SELECT ${dialectDouble(dialect, id(c.column))} AS ${x} FROM ${from}) AS ${id('_fw_r0')}) AS ${id('_fw_r1')} ` +
      `GROUP BY ${b}`;
    return { column: c.column, kind: c.kind, sql };
  });
  return { queries };
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : v === null || v === undefined ? 0 : Number(v));

/** A boolean column's category, as the in-memory profile: 'false' / 'true' for 0/1-like values. */
function booleanLabel(v: string | number | boolean): string {
  if (v === true || v === 1) return 'true';
  if (v === false || v === 0) return 'false';
  if (typeof v === 'string') {
    const t = v.toLowerCase();
    if (t === 'true' || t === '1') return 'true';
    if (t === 'false' || t === '0') return 'false';
  }
  return String(v);
}

/**
 * Counts from the results of {@link compileDriftSQL}: per column, the rows of its query
 * (numeric: `bin`, `n`, `lo`, `hi`; categorical: `category`, `n`). `kinds` (from the source's SQL
 * types: `sqlTypeKind`) types category texts back, so that numbers and booleans get the
 * in-memory text.
 *
 * @example
 * ```ts
 * driftCountsFromRows(q, { x: [{ bin: -1, n: 1n }, { bin: 0, n: 2n, lo: 0, hi: 0.5, s: 0.5 }, { bin: 1, n: 2n, lo: 1, hi: 3, s: 4 }] });
 * // [{ column: 'x', kind: 'numeric', rows: 5, nulls: 1, count: 4, edges: [0.5], binCounts: [2, 2], binMin: [0, 1], binMax: [0.5, 3], binSum: [0.5, 4] }]
 * ```
 */
export function driftCountsFromRows(
  query: DriftQuery,
  rowsByColumn: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>,
  kinds: Readonly<Record<string, SqlValueKind>> = {},
): DriftCounts[] {
  return query.columns.map((c): DriftCounts => {
    const records = rowsByColumn[c.column] ?? [];
    if (c.kind === 'numeric') {
      const bins = c.edges.length + 1;
      const binCounts = new Array<number>(bins).fill(0);
      const binMin = new Array<number | null>(bins).fill(null);
      const binMax = new Array<number | null>(bins).fill(null);
      const binSum = new Array<number>(bins).fill(0);
      let rows = 0;
      let nulls = 0;
      for (const r of records) {
        const k = num(r.bin);
        const n = num(r.n);
        rows += n;
        if (k < 0) {
          nulls += n;
          continue;
        }
        binCounts[k] = n;
        binMin[k] = num(r.lo) + 0; // -0 -> 0, as the profile
        binMax[k] = num(r.hi) + 0;
        binSum[k] = num(r.s) + 0;
      }
      return { column: c.column, kind: 'numeric', rows, nulls, count: rows - nulls, edges: [...c.edges], binCounts, binMin, binMax, binSum };
    }
    const byLabel = new Map<string, number>();
    let rows = 0;
    let nulls = 0;
    for (const r of records) {
      const n = num(r.n);
      rows += n;
      const text = r.category === null || r.category === undefined ? null : String(r.category);
      const v = groupValueFromSql(text, kinds[c.column] ?? 'string');
      if (v === null) {
        nulls += n;
        continue;
      }
      const label = c.kind === 'boolean' ? booleanLabel(v) : String(v);
      byLabel.set(label, (byLabel.get(label) ?? 0) + n);
    }
    const categories = [...byLabel.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return { column: c.column, kind: c.kind, rows, nulls, count: rows - nulls, categories };
  });
}

/**
 * The same counts computed in memory (the memory engine's `driftCounts`): values are read as the
 * profile reads them (`profile()` with every value kept), then binned on the edges.
 *
 * @example
 * ```ts
 * driftCountsInMemory({ x: [0, 0.5, 1, 3, null] }, [{ column: 'x', kind: 'numeric', edges: [0.5] }]);
 * // [{ column: 'x', kind: 'numeric', rows: 5, nulls: 1, count: 4, edges: [0.5], binCounts: [2, 2], binMin: [0, 1], binMax: [0.5, 3], binSum: [0.5, 4] }]
 * ```
 */
export function driftCountsInMemory(data: unknown, columns: readonly DriftColumnSpec[]): DriftCounts[] {
  validate({ source: { kind: 'table', text: '-' }, columns }, 'driftCountsInMemory');
  const table = toColumnTable(data, 'driftCountsInMemory');
  const p = profile(table, {
    columns: [...new Set(columns.map((c) => c.column))],
    types: Object.fromEntries(columns.map((c) => [c.column, c.kind])),
    sampleCapacity: Math.max(1, table.numRows),
    maxCategories: Number.MAX_SAFE_INTEGER,
    withPriorities: false,
  });
  return columns.map((c): DriftCounts => {
    const col = p.columns.find((x) => x.column === c.column)!;
    if (col.kind === 'numeric' && c.kind === 'numeric') {
      const v = col.sample.values; // every value, sorted
      const bins = c.edges.length + 1;
      const binCounts = new Array<number>(bins).fill(0);
      const binMin = new Array<number | null>(bins).fill(null);
      const binMax = new Array<number | null>(bins).fill(null);
      const binSum = new Array<number>(bins).fill(0);
      let below = 0;
      for (let k = 0; k < bins; k++) {
        const upTo = k < c.edges.length ? upperBound(v, c.edges[k]!) : v.length;
        binCounts[k] = upTo - below;
        if (upTo > below) {
          binMin[k] = v[below]!;
          binMax[k] = v[upTo - 1]!;
          let sum = 0;
          for (let i = below; i < upTo; i++) sum += v[i]!;
          binSum[k] = sum;
        }
        below = upTo;
      }
      return { column: c.column, kind: 'numeric', rows: col.rows, nulls: col.nulls, count: col.count, edges: [...c.edges], binCounts, binMin, binMax, binSum };
    }
    const cat = col as CategoricalProfile;
    return { column: c.column, kind: cat.kind, rows: cat.rows, nulls: cat.nulls, count: cat.count, categories: cat.categories.map(([k, n]) => [k, n]) };
  });
}
