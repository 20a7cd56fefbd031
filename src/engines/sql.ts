/**
 * The fairness accumulate step compiled to ONE plain aggregate SQL query (nested SELECTs and a
 * GROUP BY; no window functions), for DuckDB, PostgreSQL and ClickHouse (18.16 and later).
 *
 * The query returns one row per combination of (sensitive values..., label code, prediction
 * code, fine score bin). Its columns ({@link FAIRNESS_SQL_COLUMNS}):
 *
 * | column | meaning |
 * | --- | --- |
 * | `s0`, `s1`, ... | each sensitive column as text (grouped by the raw value, cast once per group); NULL and `''` are NULL (missing), as `toGroupValue` |
 * | `y`, `yhat` | a label code (below); `yhat` is 0/1 directly when predictions are `score >= threshold` |
 * | `bin` | (with a score) `least(floor(score * B), B - 1)` for scores in [0, 1]; -1 for a finite score outside [0, 1]; -2 for a NULL, NaN, ±Infinity or non-numeric score |
 * | `n`, `w` | `count(*)` and `sum(weight)` (`count(*)` without weights) |
 * | `wp`, `wp2` | (with a score) Σ w·p and Σ w·p² |
 * | `y_lo`, `y_hi` (`p_lo`, `p_hi`) | min and max of the label (prediction) value (as text for text columns; absent for booleans): distinct-value checks and example values for messages |
 * | `s_lo`, `s_hi` | (with a score) min and max score in the row; example values for messages |
 * | `w_bad`, `w_bad_value` | (with weights) rows whose weight is NULL, NaN, infinite or < 0, and the smallest such value |
 *
 * Σw·y, Σw·p·y, Σw·ŷ and Σw·y·ŷ are not computed in SQL: y and ŷ are constant within a row, so
 * they are y·w, y·wp, ŷ·w and y·ŷ·w (see `summaries-from-rows.ts`).
 *
 * **Label codes.** For a number column (when `kinds` says so): NULL for NULL, NaN and ±Infinity
 * (missing), 2 for `x = Number(positiveLabel)` (when `String(Number(pl)) === pl`, i.e. memory's
 * `String(v) === pl`), 1 for `x = 1`, 0 for `x = 0`, 3 otherwise; booleans alike. Otherwise the
 * text `t` of the value is coded:
 * NULL when `t` is NULL, `''` or `'nan'` (any case) — missing;
 * 2 when `t` equals `positiveLabel` (compared as text, only when it is given);
 * 1 when `lower(t)` is `'1'`, `'1.0'` or `'true'`; 0 when it is `'0'`, `'0.0'`, `'-0'`, `'-0.0'` or
 * `'false'`; 3 otherwise. Codes, not bits, come back because the in-memory rules (`toBinary`)
 * are decided per column, not per row: with a `positiveLabel`, a column that holds it maps it to
 * 1 and everything else to 0, while a column that does not (e.g. 0/1 predictions next to
 * 'yes'/'no' labels) keeps its 0/1 meaning. `resolveFairnessRecords` applies exactly those rules
 * to the codes present, and counts distinct values with `y_lo`/`y_hi`, so a third value is an
 * error as in memory. The engine throws `InputError` for missing labels, non-binary columns,
 * bad scores and bad weights from these columns; no separate check query is needed.
 * Deviations, all on inputs that are errors either way or never occur in practice: on the text
 * path `'1.0'`, `'0.0'`, `'-0'`, `'-0.0'` are read as 1/0, and an integer `positiveLabel` such as
 * `'2'` also matches `'2.0'` (how DuckDB prints the DOUBLE values 1, 0 and 2; in memory only the
 * *numbers* are, not such texts); a ±Infinity label is reported as missing rather than
 * non-binary; distinct values are counted from each code's min and max, so a text column
 * spelling one value three ways and holding no other (`'1'`, `'TRUE'`, `'true'`) is accepted
 * (memory: three distinct values, an error).
 *
 * The probe (`compileProbeSQL`) plus `kinds` matters for speed, not results: on 2e6 rows
 * (DuckDB, 2 cores) the text path takes ~870 ms, the typed path ~310 ms, and a bare GROUP BY
 * of the same shape without checks ~200 ms.
 *
 * **ClickHouse form.** For a ClickHouse table the same expressions are compiled to one query
 * level (`WITH <row expressions> SELECT <aggregates> FROM table GROUP BY <keys>`), so that over a
 * `Distributed` table every shard aggregates its own rows and only partial aggregates travel;
 * its output names are mapped back by {@link clickhouseOutputName}. A query source keeps the
 * nested form (ClickHouse 18.16 carries WITH aliases into subqueries): a query over a
 * `Distributed` table is aggregated on the server the client talks to.
 *
 * **Dialects.** Identifiers: `"x"` (DuckDB, PostgreSQL), `` `x` `` (ClickHouse). Text: `CAST(x AS
 * VARCHAR)`, `CAST(x AS text)`, `toString(x)` (NULL stays NULL; ClickHouse `Nullable`). Numbers:
 * `TRY_CAST(x AS DOUBLE)` (a bad value is NULL, reported as a bad score), `CAST(x AS double
 * precision)`, `toFloat64(x)`. ClickHouse uses only functions 18.16 has (`toString`, `toFloat64`,
 * `toInt64`, `floor`, `least`, `lower`, `isNull`, `nullIf`, `count()`, `sum`, `min`, `max`, CASE).
 * Number literals (threshold) are written as text cast to double, so they are the exact double.
 * NaN: `s >= 0 AND s <= 1` is false for NaN in every dialect, and `s - s = 0` is false for NaN
 * and ±Infinity (the portable finiteness test).
 *
 * @example
 * ```ts
 * compileFairnessSQL({ source: { kind: 'table', text: 'preds' }, label: 'y', prediction: 'p', sensitive: ['sex'] }, 'postgres');
 * // `SELECT NULLIF(CAST("_fw_s0" AS text), '') AS "s0", "_fw_y" AS "y", ... FROM (...) AS "_fw_r1" GROUP BY "_fw_s0", "_fw_y", "_fw_p"`
 * ```
 */
import { InputError, messages } from '../errors.js';
import { fileReaderSql } from '../io/files.js';
import { DEFAULT_FINE_BINS } from '../kernels/summaries.js';
import type { Dialect, FairnessQuery, SqlSource } from './types.js';

/** How sensitive text is typed back: numbers, booleans or strings (see `groupValueFromSql`). */
export type SqlValueKind = 'number' | 'boolean' | 'string';

/**
 * Column names of the compiled fairness query (sensitive columns are `s0`, `s1`, ...).
 *
 * @example
 * ```ts
 * FAIRNESS_SQL_COLUMNS.n; // 'n'
 * ```
 */
export const FAIRNESS_SQL_COLUMNS = {
  y: 'y',
  yhat: 'yhat',
  bin: 'bin',
  n: 'n',
  w: 'w',
  wp: 'wp',
  wp2: 'wp2',
  yLo: 'y_lo',
  yHi: 'y_hi',
  pLo: 'p_lo',
  pHi: 'p_hi',
  sLo: 's_lo',
  sHi: 's_hi',
  wBad: 'w_bad',
  wBadValue: 'w_bad_value',
} as const;

/**
 * The standard output name of a column of the one-level ClickHouse form of the fairness and
 * drift queries (`_fw_o_n` -> `n`, `_fw_y` -> `y`, `_fw_p` -> `yhat`, `_fw_bin` and the drift
 * bin key `_fw_b` -> `bin`).
 *
 * @example
 * ```ts
 * clickhouseOutputName('_fw_o_wp'); // 'wp'
 * clickhouseOutputName('_fw_p');    // 'yhat'
 * ```
 */
export function clickhouseOutputName(name: string): string {
  if (name.startsWith('_fw_o_')) return name.slice('_fw_o_'.length);
  return name === '_fw_y' ? 'y' : name === '_fw_p' ? 'yhat' : name === '_fw_bin' || name === '_fw_b' ? 'bin' : name;
}

/**
 * The FROM clause of a one-level ClickHouse aggregate over a table: the table, and its `where`
 * condition when the source has one (kept in the same query level, so that the shards of a
 * Distributed table filter and aggregate their own rows).
 *
 * @example
 * ```ts
 * oneLevelFrom({ kind: 'table', text: 'preds', where: "ts >= toDateTime('2026-03-01 00:00:00', 'UTC')" });
 * // "`preds` WHERE ts >= toDateTime('2026-03-01 00:00:00', 'UTC')"
 * ```
 */
export function oneLevelFrom(source: SqlSource, fn = 'oneLevelFrom'): string {
  const table = sourceSQL({ kind: source.kind, text: source.text }, 'clickhouse', fn);
  return source.where !== undefined ? `${table} WHERE ${source.where}` : table;
}

/**
 * Label codes of the compiled query (see the module doc).
 *
 * @example
 * ```ts
 * LABEL_CODE.positiveLabel; // 2
 * ```
 */
export const LABEL_CODE = { zero: 0, one: 1, positiveLabel: 2, other: 3 } as const;

/**
 * Score-bin codes for invalid scores (valid bins are 0 .. B - 1).
 *
 * @example
 * ```ts
 * BIN_CODE.outOfRange; // -1
 * BIN_CODE.notFinite;  // -2
 * ```
 */
export const BIN_CODE = { outOfRange: -1, notFinite: -2 } as const;

interface DialectSpec {
  ident(name: string): string;
  string(s: string): string;
  text(x: string): string;
  double(x: string): string;
  int(x: string): string;
  isNull(x: string): string;
  emptyToNull(x: string): string;
  countAll: string;
}

const ansiIdent = (s: string) => `"${s.replaceAll('"', '""')}"`;
const ansiString = (s: string) => `'${s.replaceAll("'", "''")}'`;

const DIALECTS: Record<Dialect, DialectSpec> = {
  duckdb: {
    ident: ansiIdent,
    string: ansiString,
    text: (x) => `CAST(${x} AS VARCHAR)`,
    double: (x) => `TRY_CAST(${x} AS DOUBLE)`,
    int: (x) => `CAST(${x} AS INTEGER)`,
    isNull: (x) => `${x} IS NULL`,
    emptyToNull: (x) => `NULLIF(${x}, '')`,
    countAll: 'count(*)',
  },
  postgres: {
    ident: ansiIdent,
    // standard_conforming_strings = on (the default since PostgreSQL 9.1): backslashes are literal.
    string: ansiString,
    text: (x) => `CAST(${x} AS text)`,
    double: (x) => `CAST(${x} AS double precision)`,
    int: (x) => `CAST(${x} AS integer)`,
    isNull: (x) => `${x} IS NULL`,
    emptyToNull: (x) => `NULLIF(${x}, '')`,
    countAll: 'count(*)',
  },
  clickhouse: {
    ident: (s) => '`' + s.replaceAll('\\', '\\\\').replaceAll('`', '\\`') + '`',
    string: (s) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`,
    text: (x) => `toString(${x})`,
    double: (x) => `toFloat64(${x})`,
    int: (x) => `toInt64(${x})`,
    isNull: (x) => `isNull(${x})`,
    emptyToNull: (x) => `nullIf(${x}, '')`,
    countAll: 'count()',
  },
};

const DIALECT_NAMES = Object.keys(DIALECTS) as Dialect[];

function dialectSpec(dialect: Dialect, fn: string): DialectSpec {
  const d = DIALECTS[dialect];
  if (!d || !Object.hasOwn(DIALECTS, dialect)) throw badOption(fn, 'dialect', dialect, "'duckdb', 'postgres' or 'clickhouse'");
  return d;
}

function badOption(fn: string, option: string, value: unknown, expected: string): InputError {
  return new InputError(messages.badOption(fn, option, value, expected), 'badOption', { option, value });
}

/**
 * Quote an identifier for a dialect (`"x"` with `""` doubling; ClickHouse `` `x` `` with backslash escapes).
 *
 * @example
 * ```ts
 * quoteIdentifier('my "col"', 'duckdb');   // '"my ""col"""'
 * quoteIdentifier('a`b', 'clickhouse');    // '`a\\`b`'
 * ```
 */
export function quoteIdentifier(name: string, dialect: Dialect): string {
  return dialectSpec(dialect, 'quoteIdentifier').ident(name);
}

/**
 * A string literal for a dialect (`'` doubled; ClickHouse: backslash escapes).
 *
 * @example
 * ```ts
 * quoteString("it's", 'postgres');   // "'it''s'"
 * quoteString("it's", 'clickhouse'); // "'it\\'s'"
 * ```
 */
export function quoteString(s: string, dialect: Dialect): string {
  return dialectSpec(dialect, 'quoteString').string(s);
}

/**
 * The FROM item of a source: a quoted (schema-qualified) table name, a parenthesised query, or
 * (DuckDB) a file reader (`read_csv` / `read_parquet` / `read_json_auto` by extension, globs allowed).
 * Table names are split on `.` (`schema.table`, `db.table`) and each part quoted.
 *
 * @example
 * ```ts
 * sourceSQL({ kind: 'table', text: 'ml.preds' }, 'postgres');         // '"ml"."preds"'
 * sourceSQL({ kind: 'query', text: 'SELECT * FROM t;' }, 'duckdb');   // '(SELECT * FROM t) AS "_fw_src"'
 * sourceSQL({ kind: 'file', text: 'd/*.parquet' }, 'duckdb');         // "read_parquet('d/*.parquet')"
 * sourceSQL({ kind: 'table', text: 't', where: '"x" > 0' }, 'duckdb'); // '(SELECT * FROM "t" WHERE "x" > 0) AS "_fw_src"'
 * ```
 */
export function sourceSQL(source: SqlSource, dialect: Dialect, fn = 'sourceSQL'): string {
  const d = dialectSpec(dialect, fn);
  checkSource(source, dialect, fn);
  if (source.where !== undefined) return `(SELECT * FROM ${sourceSQL({ kind: source.kind, text: source.text }, dialect, fn)} WHERE ${source.where}) AS ${d.ident('_fw_src')}`;
  const text = source.text.trim();
  switch (source.kind) {
    case 'table':
      return text.split('.').map((p) => d.ident(p.trim())).join('.');
    case 'query':
      return `(${stripSemicolons(text)}) AS ${d.ident('_fw_src')}`;
    case 'file':
      return fileReaderSql(text)!;
  }
}

const stripSemicolons = (sql: string) => sql.replace(/[;\s]+$/, '');

function checkSource(source: SqlSource, dialect: Dialect, fn: string): void {
  if (typeof source !== 'object' || source === null) throw badOption(fn, 'source', source, "{ kind: 'table' | 'query' | 'file', text }");
  if (source.kind !== 'table' && source.kind !== 'query' && source.kind !== 'file') {
    throw badOption(fn, 'source.kind', source.kind, "'table', 'query' or 'file'");
  }
  if (typeof source.text !== 'string' || source.text.trim() === '') throw badOption(fn, 'source.text', source.text, 'a non-empty string');
  if (source.kind === 'table' && source.text.split('.').some((p) => p.trim() === '')) {
    throw badOption(fn, 'source.text', source.text, 'a table name, optionally schema-qualified (schema.table)');
  }
  if (source.kind === 'query' && stripSemicolons(source.text.trim()) === '') throw badOption(fn, 'source.text', source.text, 'a SQL query');
  if (source.where !== undefined && (typeof source.where !== 'string' || source.where.trim() === '' || /;/.test(source.where))) {
    throw badOption(fn, 'source.where', source.where, 'a SQL condition (no semicolon)');
  }
  if (source.kind === 'file') {
    if (dialect !== 'duckdb') {
      throw new InputError(messages.engineSourceUnsupported(fn, dialect, 'file'), 'engineSourceUnsupported', { dialect, kind: 'file' });
    }
    if (fileReaderSql(source.text.trim()) === null) {
      throw new InputError(messages.unsupportedFile(fn, source.text), 'unsupportedFile', { path: source.text });
    }
  }
}

/**
 * Validate a fairness query (typed `InputError` naming the option); `dialect` null skips the
 * dialect-specific checks (the memory engine).
 *
 * @example
 * ```ts
 * validateFairnessQuery({ source: { kind: 'table', text: 't' }, label: 'y', sensitive: [] }, 'duckdb', 'f');
 * // throws InputError: "f: option sensitive = [] is invalid; expected a non-empty array of column names"
 * ```
 */
export function validateFairnessQuery(query: FairnessQuery, dialect: Dialect | null, fn = 'validateFairnessQuery'): void {
  if (typeof query !== 'object' || query === null) throw badOption(fn, 'query', query, 'a fairness query object');
  if (dialect !== null) {
    if (!DIALECT_NAMES.includes(dialect)) throw badOption(fn, 'dialect', dialect, "'duckdb', 'postgres' or 'clickhouse'");
    checkSource(query.source, dialect, fn);
  } else if (typeof query.source !== 'object' || query.source === null) {
    throw badOption(fn, 'source', query.source, "{ kind: 'table' | 'query' | 'file', text }");
  }
  const name = (option: 'label' | 'prediction' | 'score' | 'weights', required: boolean) => {
    const v = query[option];
    if (v === undefined && !required) return;
    if (typeof v !== 'string' || v === '') throw badOption(fn, option, v, 'a column name');
  };
  name('label', true);
  name('prediction', false);
  name('score', false);
  name('weights', false);
  const s = query.sensitive;
  if (!Array.isArray(s) || s.length === 0 || s.some((c) => typeof c !== 'string' || c === '')) {
    throw badOption(fn, 'sensitive', s, 'a non-empty array of column names');
  }
  if (query.threshold !== undefined && (typeof query.threshold !== 'number' || !Number.isFinite(query.threshold))) {
    throw badOption(fn, 'threshold', query.threshold, 'a finite number');
  }
  if (query.prediction === undefined && (query.score === undefined || query.threshold === undefined)) {
    throw badOption(fn, 'prediction', undefined, 'a prediction column, or score together with threshold');
  }
  const pl: unknown = query.positiveLabel;
  if (pl !== undefined && typeof pl !== 'string' && typeof pl !== 'number' && typeof pl !== 'boolean') {
    throw badOption(fn, 'positiveLabel', pl, 'a string (numbers and booleans are compared by their text)');
  }
  if (query.fineBins !== undefined && !(Number.isInteger(query.fineBins) && query.fineBins >= 1 && query.fineBins <= 1_000_000)) {
    throw badOption(fn, 'fineBins', query.fineBins, 'an integer from 1 to 1000000');
  }
  if (query.missing !== undefined && query.missing !== 'group' && query.missing !== 'drop' && query.missing !== 'error') {
    throw badOption(fn, 'missing', query.missing, "'group', 'drop' or 'error'");
  }
  if (query.maxGroups !== undefined && !(Number.isInteger(query.maxGroups) && query.maxGroups >= 1)) {
    throw badOption(fn, 'maxGroups', query.maxGroups, 'a positive integer');
  }
}

/**
 * The columns a fairness query reads, in order: sensitive, label, prediction, score, weights (no duplicates).
 *
 * @example
 * ```ts
 * fairnessColumns({ source, label: 'y', score: 's', threshold: 0.5, sensitive: ['sex', 'race'] }); // ['sex', 'race', 'y', 's']
 * ```
 */
export function fairnessColumns(query: FairnessQuery): string[] {
  const cols = [...query.sensitive, query.label, query.prediction, query.score, query.weights];
  return [...new Set(cols.filter((c): c is string => typeof c === 'string'))];
}

/**
 * Check that every column the query reads is among `available` (exact names, as in memory);
 * `InputError` `messages.missingColumn` otherwise.
 *
 * @example
 * ```ts
 * checkFairnessColumns({ source, label: 'y', prediction: 'p', sensitive: ['sex'] }, ['y', 'p'], 'f');
 * // throws InputError: 'f: column "sex" not found; available columns: "y", "p"'
 * ```
 */
export function checkFairnessColumns(query: FairnessQuery, available: readonly string[], fn = 'checkFairnessColumns'): void {
  for (const c of fairnessColumns(query)) {
    if (!available.includes(c)) throw new InputError(messages.missingColumn(fn, c, available), 'missingColumn', { column: c, available });
  }
}

/**
 * A query returning no rows but the source's column names and types (`SELECT * FROM src LIMIT 0`):
 * engines run it first to check column names and to learn each sensitive column's type
 * (see {@link sqlTypeKind}).
 *
 * @example
 * ```ts
 * compileProbeSQL({ kind: 'table', text: 'preds' }, 'clickhouse'); // 'SELECT * FROM `preds` LIMIT 0'
 * ```
 */
export function compileProbeSQL(source: SqlSource, dialect: Dialect): string {
  return `SELECT * FROM ${sourceSQL(source, dialect, 'compileProbeSQL')} LIMIT 0`;
}

/**
 * How values of a SQL type come back as group values: `'number'` for integer, floating-point and
 * decimal types, `'boolean'` for booleans, `'string'` for everything else (text, enums, dates,
 * UUIDs, ...). Understands DuckDB, PostgreSQL and ClickHouse type names, including ClickHouse
 * `Nullable(...)` and `LowCardinality(...)` wrappers. ClickHouse has no boolean type before 21.12:
 * its `UInt8` flags are numbers, as 0/1 arrays are in memory.
 *
 * @example
 * ```ts
 * sqlTypeKind('BIGINT');                      // 'number'
 * sqlTypeKind('Nullable(Float64)');           // 'number'
 * sqlTypeKind('double precision');            // 'number'
 * sqlTypeKind('bool');                        // 'boolean'
 * sqlTypeKind('LowCardinality(String)');      // 'string'
 * ```
 */
export function sqlTypeKind(typeName: string): SqlValueKind {
  let t = String(typeName).trim();
  for (;;) {
    const m = /^(?:Nullable|LowCardinality)\((.*)\)$/i.exec(t);
    if (!m) break;
    t = m[1]!.trim();
  }
  t = t.toLowerCase();
  if (t === 'boolean' || t === 'bool') return 'boolean';
  const numeric =
    /^(u?int(8|16|32|64|128|256)?|u?(tinyint|smallint|integer|bigint|hugeint)|int[248]|float[48]?|float(32|64)|real|double( precision)?|(small|big)?serial|serial[248]|oid)$/;
  if (numeric.test(t) || /^(decimal|numeric)(32|64|128|256)?(\s*\(.*\))?$/.test(t)) return 'number';
  return 'string';
}

/** Options of {@link compileFairnessSQL}. */
export interface CompileFairnessOptions {
  /**
   * Kinds of the source's columns (from a `compileProbeSQL` result and {@link sqlTypeKind}). With
   * the label's and prediction's kinds known, numbers and booleans are coded by comparison
   * instead of through text (about 4× faster in DuckDB); without, every column goes through text.
   * Both give the same summaries.
   */
  kinds?: Readonly<Record<string, SqlValueKind>>;
}

/**
 * Compile the fairness accumulate step to one aggregate query (see the module doc for its
 * columns and the label codes). Validates the query first (`InputError` naming the option).
 *
 * Sensitive columns are grouped by their raw values and cast to text once per group (values
 * that give the same text are added together later). Labels and predictions are coded per row:
 * through text for text columns (and when `kinds` is not given); by comparison for numbers
 * (`x = 1`, `x = 0`; NaN and ±Infinity missing; `positiveLabel` matches `x = Number(pl)` when
 * `String(Number(pl)) === pl`, as `String(v) === pl` in memory) and booleans.
 *
 * @example
 * ```ts
 * const sql = compileFairnessSQL({ source: { kind: 'file', text: 'preds.parquet' }, label: 'y', score: 's',
 *   threshold: 0.5, sensitive: ['sex', 'race'] }, 'duckdb');
 * sql.startsWith(`SELECT NULLIF(CAST("_fw_s0" AS VARCHAR), '') AS "s0"`); // true
 * ```
 */
export function compileFairnessSQL(query: FairnessQuery, dialect: Dialect, options: CompileFairnessOptions = {}): string {
  const fn = 'compileFairnessSQL';
  validateFairnessQuery(query, dialect, fn);
  const d = dialectSpec(dialect, fn);
  const id = d.ident;
  const B = query.fineBins ?? DEFAULT_FINE_BINS;
  const k = query.sensitive.length;
  const hasScore = query.score !== undefined;
  const hasPred = query.prediction !== undefined;
  const hasWeights = query.weights !== undefined;
  const pl = query.positiveLabel === undefined ? undefined : String(query.positiveLabel);
  const kindOf = (column: string): SqlValueKind => options.kinds?.[column] ?? 'string';
  const yKind = kindOf(query.label);
  const pKind = hasPred ? kindOf(query.prediction!) : 'number';

  // Level 0: per-row values read from the source (text labels cast once).
  const r0: string[] = [];
  for (let j = 0; j < k; j++) r0.push(`${id(query.sensitive[j]!)} AS ${id(`_fw_s${j}`)}`);
  const raw = (column: string, kind: SqlValueKind) => (kind === 'string' ? d.text(id(column)) : id(column));
  r0.push(`${raw(query.label, yKind)} AS ${id('_fw_yv')}`);
  if (hasPred) r0.push(`${raw(query.prediction!, pKind)} AS ${id('_fw_pv')}`);
  if (hasScore) r0.push(`${d.double(id(query.score!))} AS ${id('_fw_sc')}`);
  if (hasWeights) r0.push(`${d.double(id(query.weights!))} AS ${id('_fw_w')}`);

  // Level 1: codes and bins.
  const code = (x: string, kind: SqlValueKind) => {
    if (kind === 'number') {
      const plNumber = pl === undefined ? NaN : Number(pl);
      const plMatches = pl !== undefined && Number.isFinite(plNumber) && String(plNumber) === pl;
      return [
        `CASE WHEN ${d.isNull(x)} OR NOT (${x} - ${x} = 0) THEN NULL`,
        ...(plMatches ? [`WHEN ${x} = ${doubleLiteral(plNumber, dialect)} THEN ${LABEL_CODE.positiveLabel}`] : []),
        `WHEN ${x} = 1 THEN ${LABEL_CODE.one} WHEN ${x} = 0 THEN ${LABEL_CODE.zero} ELSE ${LABEL_CODE.other} END`,
      ].join(' ');
    }
    if (kind === 'boolean') {
      const plWhen = pl === 'true' ? `WHEN ${x} THEN ${LABEL_CODE.positiveLabel} ` : pl === 'false' ? `WHEN NOT ${x} THEN ${LABEL_CODE.positiveLabel} ` : '';
      return `CASE WHEN ${d.isNull(x)} THEN NULL ${plWhen}WHEN ${x} THEN ${LABEL_CODE.one} ELSE ${LABEL_CODE.zero} END`;
    }
    const lower = `lower(${x})`;
    return [
      `CASE WHEN ${d.isNull(x)} OR ${x} = '' OR ${lower} = 'nan' THEN NULL`,
      ...(pl === undefined
        ? []
        : /^-?\d+$/.test(pl)
          ? [`WHEN ${x} IN (${d.string(pl)}, ${d.string(`${pl}.0`)}) THEN ${LABEL_CODE.positiveLabel}`]
          : [`WHEN ${x} = ${d.string(pl)} THEN ${LABEL_CODE.positiveLabel}`]),
      `WHEN ${lower} IN ('1', '1.0', 'true') THEN ${LABEL_CODE.one}`,
      `WHEN ${lower} IN ('0', '0.0', '-0', '-0.0', 'false') THEN ${LABEL_CODE.zero}`,
      `ELSE ${LABEL_CODE.other} END`,
    ].join(' ');
  };
  const sc = id('_fw_sc');
  const r1: string[] = [];
  for (let j = 0; j < k; j++) r1.push(id(`_fw_s${j}`));
  r1.push(`${code(id('_fw_yv'), yKind)} AS ${id('_fw_y')}`, id('_fw_yv'));
  if (hasPred) r1.push(`${code(id('_fw_pv'), pKind)} AS ${id('_fw_p')}`, id('_fw_pv'));
  else r1.push(`CASE WHEN ${sc} >= ${doubleLiteral(query.threshold!, dialect)} THEN 1 ELSE 0 END AS ${id('_fw_p')}`);
  if (hasScore) {
    r1.push(
      `CASE WHEN ${d.isNull(sc)} OR NOT (${sc} - ${sc} = 0) THEN ${BIN_CODE.notFinite} ` +
        `WHEN ${sc} >= 0 AND ${sc} <= 1 THEN ${d.int(`least(floor(${sc} * ${B}), ${B - 1})`)} ` +
        `ELSE ${BIN_CODE.outOfRange} END AS ${id('_fw_bin')}`,
      sc,
    );
  }
  if (hasWeights) r1.push(id('_fw_w'));

  // Level 2: the aggregate.
  const C = FAIRNESS_SQL_COLUMNS;
  const w = id('_fw_w');
  const out: string[] = [];
  const groupBy: string[] = [];
  for (let j = 0; j < k; j++) {
    out.push(`${d.emptyToNull(d.text(id(`_fw_s${j}`)))} AS ${id(`s${j}`)}`);
    groupBy.push(id(`_fw_s${j}`));
  }
  out.push(`${id('_fw_y')} AS ${id(C.y)}`, `${id('_fw_p')} AS ${id(C.yhat)}`);
  groupBy.push(id('_fw_y'), id('_fw_p'));
  if (hasScore) {
    out.push(`${id('_fw_bin')} AS ${id(C.bin)}`);
    groupBy.push(id('_fw_bin'));
  }
  out.push(`${d.countAll} AS ${id(C.n)}`, `${hasWeights ? `sum(${w})` : d.countAll} AS ${id(C.w)}`);
  if (hasScore) {
    const ws = hasWeights ? `${w} * ${sc}` : sc;
    out.push(`sum(${ws}) AS ${id(C.wp)}`, `sum(${ws} * ${sc}) AS ${id(C.wp2)}`);
  }
  // Booleans hold at most two values: no distinct-value check needed (PostgreSQL has no min(boolean)).
  if (yKind !== 'boolean') out.push(`min(${id('_fw_yv')}) AS ${id(C.yLo)}`, `max(${id('_fw_yv')}) AS ${id(C.yHi)}`);
  if (hasPred && pKind !== 'boolean') out.push(`min(${id('_fw_pv')}) AS ${id(C.pLo)}`, `max(${id('_fw_pv')}) AS ${id(C.pHi)}`);
  if (hasScore) out.push(`min(${sc}) AS ${id(C.sLo)}`, `max(${sc}) AS ${id(C.sHi)}`);
  if (hasWeights) {
    const ok = `${w} - ${w} = 0 AND ${w} >= 0`;
    out.push(
      `sum(CASE WHEN ${ok} THEN 0 ELSE 1 END) AS ${id(C.wBad)}`,
      `min(CASE WHEN ${ok} THEN NULL ELSE ${w} END) AS ${id(C.wBadValue)}`,
    );
  }
  const from = sourceSQL(query.source, dialect, fn);
  if (dialect === 'clickhouse' && query.source.kind === 'table') {
    // One query level, so that over a Distributed table each shard aggregates its own rows and
    // only partial aggregates travel (a GROUP BY over a subquery would ship every row to the
    // initiator). The row expressions become WITH aliases; ClickHouse 18.16 cannot re-alias an
    // alias in the SELECT list, so GROUP BY keys are selected under their own `_fw_` names and
    // every other output is aliased `_fw_o_<name>` (`clickhouseOutputName` maps both back).
    const defs = [...r0, ...r1].filter((e) => / AS `_fw_[a-z0-9]+`$/.test(e));
    const flat = out.map((e) => {
      const m = / AS `([a-z_0-9]+)`$/.exec(e)!;
      const expr = e.slice(0, m.index);
      return expr === id('_fw_y') || expr === id('_fw_p') || expr === id('_fw_bin') ? expr : `${expr} AS ${id(`_fw_o_${m[1]}`)}`;
    });
    return `WITH ${defs.join(', ')} SELECT ${flat.join(', ')} FROM ${oneLevelFrom(query.source, fn)} GROUP BY ${groupBy.join(', ')}`;
  }
  return (
    `SELECT ${out.join(', ')} FROM (` +
    `SELECT ${r1.join(', ')} FROM (` +
    `SELECT ${r0.join(', ')} FROM ${from}` +
    `) AS ${id('_fw_r0')}` +
    `) AS ${id('_fw_r1')} GROUP BY ${groupBy.join(', ')}`
  );
}

/**
 * An exact double literal: the shortest round-trip text cast to double (a bare decimal literal
 * would be a DECIMAL in DuckDB and PostgreSQL).
 *
 * @example
 * ```ts
 * doubleLiteral(0.1, 'duckdb');     // "CAST('0.1' AS DOUBLE)"
 * doubleLiteral(0.1, 'clickhouse'); // "toFloat64('0.1')"
 * ```
 */
export function doubleLiteral(x: number, dialect: Dialect): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw badOption('doubleLiteral', 'x', x, 'a finite number');
  const text = Object.is(x, -0) ? '-0' : String(x);
  if (dialect === 'clickhouse') return `toFloat64('${text}')`;
  return `CAST('${text}' AS ${dialect === 'postgres' ? 'double precision' : 'DOUBLE'})`;
}
