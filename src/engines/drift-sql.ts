/**
 * Drift counts pushed down to SQL: for numeric columns, counts in the bins of stored reference
 * edges; for categorical and boolean columns, category counts; for every column, rows and missing
 * values. The current side of a drift comparison then needs no rows in JavaScript.
 *
 * Queries ({@link compileDriftSQL}):
 * - one aggregate row for all numeric columns (one scan): `count(*)`, per column the missing
 *   count (`x IS NULL OR NOT (x - x = 0)`: NULL, NaN, ±Infinity — the profile's missing values)
 *   and, per edge eᵢ, the cumulative count of finite `x <= eᵢ`; the right-closed bins
 *   (−∞, e₁], (e₁, e₂], ..., (e_last, ∞) are differences of those (as `binCounts`);
 * - one GROUP BY per categorical column, grouped by the raw value and cast to text once per group.
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
 * const { numeric, categorical } = compileDriftSQL(q, 'postgres');
 * // numeric: 'SELECT count(*) AS "rows", sum(CASE WHEN ... THEN 1 ELSE 0 END) AS "c0_nulls", ...'
 * ```
 */
import { InputError, messages } from '../errors.js';
import { groupValueFromSql } from './summaries-from-rows.js';
import { quoteIdentifier, sourceSQL, doubleLiteral, type SqlValueKind } from './sql.js';
import type { Dialect, SqlSource } from './types.js';

/** One column to count: numeric on stored edges, or categorical / boolean. */
export type DriftColumnSpec =
  | { column: string; kind: 'numeric'; edges: readonly number[] }
  | { column: string; kind: 'categorical' | 'boolean' };

/** What to count, and where. */
export interface DriftQuery {
  source: SqlSource;
  columns: readonly DriftColumnSpec[];
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
  /** One row for every numeric column; null when there are none. */
  numeric: string | null;
  /** One query per categorical or boolean column (columns `category`, `n`). */
  categorical: { column: string; sql: string }[];
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
 * Compile the drift counts (see the module doc).
 *
 * @example
 * ```ts
 * compileDriftSQL({ source: { kind: 'table', text: 't' }, columns: [{ column: 'x', kind: 'numeric', edges: [0.5] }] }, 'duckdb').numeric;
 * // 'SELECT count(*) AS "rows", sum(CASE WHEN "_fw_x0" IS NULL OR NOT ("_fw_x0" - "_fw_x0" = 0) THEN 1 ELSE 0 END) AS "c0_nulls",
 * //  sum(CASE WHEN "_fw_x0" - "_fw_x0" = 0 AND "_fw_x0" <= CAST('0.5' AS DOUBLE) THEN 1 ELSE 0 END) AS "c0_le0" FROM (...) AS "_fw_r0"'
 * ```
 */
export function compileDriftSQL(query: DriftQuery, dialect: Dialect): CompiledDriftSQL {
  const fn = 'compileDriftSQL';
  validate(query, fn);
  const from = sourceSQL(query.source, dialect, fn);
  const id = (s: string) => quoteIdentifier(s, dialect);
  const isNull = (x: string) => (dialect === 'clickhouse' ? `isNull(${x})` : `${x} IS NULL`);
  const count = dialect === 'clickhouse' ? 'count()' : 'count(*)';
  const inner: string[] = [];
  const aggs: string[] = [`${count} AS ${id('rows')}`];
  const categorical: { column: string; sql: string }[] = [];
  query.columns.forEach((c, i) => {
    if (c.kind !== 'numeric') {
      const v = id('_fw_v');
      categorical.push({
        column: c.column,
        sql:
          `SELECT ${dialectText(dialect, v)} AS ${id('category')}, ${count} AS ${id('n')} ` +
          `FROM (SELECT ${id(c.column)} AS ${v} FROM ${from}) AS ${id('_fw_r0')} GROUP BY ${v}`,
      });
      return;
    }
    const x = id(`_fw_x${i}`);
    inner.push(`${dialectDouble(dialect, id(c.column))} AS ${x}`);
    aggs.push(`sum(CASE WHEN ${isNull(x)} OR NOT (${x} - ${x} = 0) THEN 1 ELSE 0 END) AS ${id(`c${i}_nulls`)}`);
    c.edges.forEach((e, j) => {
      aggs.push(`sum(CASE WHEN ${x} - ${x} = 0 AND ${x} <= ${doubleLiteral(e, dialect)} THEN 1 ELSE 0 END) AS ${id(`c${i}_le${j}`)}`);
    });
  });
  const numeric = inner.length ? `SELECT ${aggs.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${from}) AS ${id('_fw_r0')}` : null;
  return { numeric, categorical };
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
 * Counts from the results of {@link compileDriftSQL}: the numeric row (or null) and, per
 * categorical column, its rows (`category`, `n`). `kinds` (from the source's SQL types:
 * `sqlTypeKind`) types category texts back, so that numbers and booleans get the in-memory text.
 *
 * @example
 * ```ts
 * driftCountsFromRows(q, { rows: 5n, c0_nulls: 1n, c0_le0: 2n }, {}, {});
 * // [{ column: 'x', kind: 'numeric', rows: 5, nulls: 1, count: 4, edges: [0.5], binCounts: [2, 2] }]
 * ```
 */
export function driftCountsFromRows(
  query: DriftQuery,
  numericRow: Readonly<Record<string, unknown>> | null,
  categoricalRows: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>,
  kinds: Readonly<Record<string, SqlValueKind>> = {},
): DriftCounts[] {
  return query.columns.map((c, i): DriftCounts => {
    if (c.kind === 'numeric') {
      const r = numericRow ?? {};
      const rows = num(r.rows);
      const nulls = num(r[`c${i}_nulls`]);
      const count = rows - nulls;
      const le = c.edges.map((_, j) => num(r[`c${i}_le${j}`]));
      const binCounts = [...le.map((v, j) => v - (j > 0 ? le[j - 1]! : 0)), count - (le.length ? le[le.length - 1]! : 0)];
      return { column: c.column, kind: 'numeric', rows, nulls, count, edges: [...c.edges], binCounts };
    }
    const byLabel = new Map<string, number>();
    let rows = 0;
    let nulls = 0;
    for (const r of categoricalRows[c.column] ?? []) {
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
