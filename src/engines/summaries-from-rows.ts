/**
 * From the rows of the compiled fairness query (`sql.ts`) back to the in-memory summaries:
 * `ConfusionSummary` and `ScoreBinSummary` in exactly the layout and canonical group order of
 * `kernels/summaries.ts`, so that finalize (`groupMetricsFromSummaries`) cannot tell an engine
 * from the in-memory pass.
 *
 * Three steps, each usable alone:
 * 1. {@link readFairnessRecord}: one result record (as a driver returns it: bigints, numeric
 *    strings, ...) to typed fields;
 * 2. {@link resolveFairnessRecords}: label codes to 0/1 with the in-memory `toBinary` rules,
 *    and the input checks (missing or non-binary labels, non-finite scores, bad weights);
 * 3. {@link summariesFromRows}: rows keyed by sensitive text to the summaries.
 * {@link summariesFromSqlRecords} runs all three; engines call it.
 *
 * **Typing sensitive values back.** SQL returns every sensitive value as text. The engine learns
 * each sensitive column's SQL type first (`compileProbeSQL` + `sqlTypeKind`) and passes a kind per
 * column; {@link groupValueFromSql} then gives exactly the in-memory group value:
 * - `'number'` (integer, float, decimal types): `Number(text)`; `'nan'`/`'NaN'` is missing (in
 *   memory NaN is missing); `inf`/`Infinity` are ±Infinity; an integer beyond 2^53 stays text
 *   (in memory an unsafe bigint becomes `String(v)`);
 * - `'boolean'`: `true`/`false`;
 * - `'string'` (default; text, enums, dates, ...): the text itself. Dates therefore come back as
 *   text, whereas a file read into memory gives epoch milliseconds; FLOAT (32-bit) values come
 *   back as their shortest text, whereas memory widens them to doubles. Avoid both as sensitive
 *   columns, or cast them in a `query` source.
 * Rows whose values map to the same group (NULL and NaN) are added together.
 *
 * @example
 * ```ts
 * const rows = [
 *   { keys: ['f'], y: 1, yhat: 1, bin: null, n: 3, w: 3, wp: null, wp2: null },
 *   { keys: ['m'], y: 0, yhat: 1, bin: null, n: 2, w: 2, wp: null, wp2: null },
 * ];
 * summariesFromRows(rows, ['sex'], 3000, false).confusion.n; // Float64Array [0, 0, 0, 3,  0, 2, 0, 0]
 * ```
 */
import { InputError, messages } from '../errors.js';
import { compareGroupKeys, DEFAULT_MAX_GROUPS, groupKeyId, type GroupKey, type GroupValue, type MissingPolicy } from '../kernels/groups.js';
import { BIN, BIN_STRIDE, DEFAULT_FINE_BINS, type ConfusionSummary, type ScoreBinSummary } from '../kernels/summaries.js';
import { BIN_CODE, FAIRNESS_SQL_COLUMNS as C, LABEL_CODE, type SqlValueKind } from './sql.js';
import { groupMetricsFromSummaries, type FromSummariesInput } from '../fairness/group-metrics.js';
import type { GroupMetricsResult } from '../fairness/result.js';
import type { FairnessQuery, FairnessSummaries } from './types.js';

/** One aggregated row: sensitive values as text, 0/1 label and prediction, and the sums. */
export interface FairnessRow {
  /** Sensitive values as text, one per sensitive column; null = missing. */
  keys: (string | null)[];
  /** 0/1. */
  y: number;
  /** 0/1. */
  yhat: number;
  /** Fine bin 0 .. B − 1; null without scores; `BIN_CODE.outOfRange` (-1) for scores outside [0, 1]. */
  bin: number | null;
  n: number;
  w: number;
  /** Σw·y; optional (it is y·w). */
  wy?: number | null;
  /** Σw·p. */
  wp: number | null;
  /** Σw·p·y; optional (it is y·wp). */
  wpy?: number | null;
  /** Σw·p². */
  wp2: number | null;
  /** For a row with bin -1: an offending score, for the message. */
  scoreExample?: number | null;
}

/** Options of {@link summariesFromRows}. */
export interface SummariesFromRowsOptions {
  /** How each sensitive column's text is typed back (default `'string'`). */
  kinds?: readonly SqlValueKind[];
  /** Missing sensitive values: own group (default), dropped, or an error. */
  missing?: MissingPolicy;
  /** Maximum distinct values of one sensitive column (default 1000). */
  maxGroups?: number;
  /** Score column name, for messages. */
  scoreColumn?: string;
  /** Calling function, for messages. */
  fn?: string;
}

/**
 * A sensitive value's text back to the in-memory group value (see the module doc);
 * `null` is the missing group.
 *
 * @example
 * ```ts
 * groupValueFromSql('3', 'number');                    // 3
 * groupValueFromSql('nan', 'number');                  // null (NaN is missing, as in memory)
 * groupValueFromSql('9007199254740993', 'number');     // '9007199254740993' (unsafe integer stays text)
 * groupValueFromSql('true', 'boolean');                // true
 * groupValueFromSql('3', 'string');                    // '3'
 * groupValueFromSql('', 'string');                     // null
 * ```
 */
export function groupValueFromSql(text: string | null, kind: SqlValueKind = 'string'): GroupValue {
  if (text === null || text === undefined || text === '') return null;
  if (kind === 'string') return text;
  const t = text.trim().toLowerCase();
  if (kind === 'boolean') return t === 'true' || t === 't' || t === '1';
  if (t === 'nan' || t === '-nan' || t === '+nan') return null;
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  const x = Number(t);
  if (Number.isNaN(x)) return text;
  if (/^[+-]?\d+$/.test(t) && !Number.isSafeInteger(x)) return BigInt(t).toString();
  return x;
}

/**
 * Build the summaries from aggregated rows (any order; rows of one group may repeat and are
 * added). Groups come out in canonical order (`compareGroupKeys`). Every row must have `y`,
 * `yhat` in {0, 1}; with `withScores`, `bin` in 0 .. fineBins − 1, or -1 for out-of-range scores,
 * which throws `InputError` unless its group is dropped (as `accumulate`).
 *
 * @example
 * ```ts
 * const { confusion, scoreBins } = summariesFromRows(
 *   [{ keys: ['a'], y: 1, yhat: 0, bin: 9, n: 1, w: 2, wp: 1.9, wp2: 1.805 }], ['g'], 10, true);
 * confusion.w;             // Float64Array [0, 0, 2, 0]
 * scoreBins!.cells[9 * 8 + 3]; // 1.9 (Σw·p of bin 9)
 * ```
 */
export function summariesFromRows(
  rows: readonly FairnessRow[],
  sensitive: readonly string[],
  fineBins: number = DEFAULT_FINE_BINS,
  withScores = false,
  options: SummariesFromRowsOptions = {},
): { confusion: ConfusionSummary; scoreBins?: ScoreBinSummary; dropped: number } {
  const fn = options.fn ?? 'summariesFromRows';
  const missing = options.missing ?? 'group';
  const maxGroups = options.maxGroups ?? DEFAULT_MAX_GROUPS;
  const K = sensitive.length;
  const B = fineBins;
  if (!(Number.isInteger(B) && B >= 1)) {
    throw new InputError(messages.badArgument(fn, 'fineBins', B, 'a positive integer'), 'badArgument', { argument: 'fineBins', value: B });
  }
  const kinds = options.kinds ?? [];

  // Pass 1: type the keys, check them, find the groups.
  const keyOf: (GroupKey | null)[] = new Array(rows.length);
  const groups = new Map<string, GroupKey>();
  const distinct = sensitive.map(() => new Set<string>());
  let dropped = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!Array.isArray(r.keys) || r.keys.length !== K) {
      throw new InputError(messages.badArgument(fn, `rows[${i}].keys`, r.keys, `${K} sensitive value(s)`), 'badArgument', { row: i });
    }
    if ((r.y !== 0 && r.y !== 1) || (r.yhat !== 0 && r.yhat !== 1)) {
      throw new InputError(messages.labelNotBinary(fn, `rows[${i}].y and rows[${i}].yhat`, i, [r.y, r.yhat]), 'labelNotBinary', { row: i });
    }
    const key: GroupKey = new Array(K);
    let isMissing = false;
    for (let j = 0; j < K; j++) {
      const v = groupValueFromSql(r.keys[j] ?? null, kinds[j] ?? 'string');
      key[j] = v;
      if (v === null) {
        isMissing = true;
        if (missing === 'error') {
          throw new InputError(messages.engineMissingSensitive(fn, sensitive[j]!), 'missingSensitive', { column: sensitive[j] });
        }
      } else distinct[j]!.add(groupKeyId([v]));
    }
    if (isMissing && missing === 'drop') {
      dropped += r.n;
      keyOf[i] = null;
      continue;
    }
    const id = groupKeyId(key);
    if (!groups.has(id)) groups.set(id, key);
    keyOf[i] = key;
  }
  for (let j = 0; j < K; j++) {
    if (distinct[j]!.size > maxGroups) {
      throw new InputError(messages.engineTooManyGroups(fn, sensitive[j]!, maxGroups, distinct[j]!.size), 'tooManyGroups', {
        column: sensitive[j],
        limit: maxGroups,
      });
    }
  }
  const keys = [...groups.values()].sort(compareGroupKeys);
  const index = new Map(keys.map((k, g) => [groupKeyId(k), g]));
  const G = keys.length;

  // Pass 2: add the rows into the cells.
  const n = new Float64Array(G * 4);
  const w = new Float64Array(G * 4);
  const cells = withScores ? new Float64Array(G * B * BIN_STRIDE) : new Float64Array(0);
  for (let i = 0; i < rows.length; i++) {
    const key = keyOf[i];
    if (!key) continue;
    const r = rows[i]!;
    const g = index.get(groupKeyId(key))!;
    const c = g * 4 + r.y * 2 + r.yhat;
    n[c]! += r.n;
    w[c]! += r.w;
    if (!withScores) continue;
    const b = r.bin;
    if (b === BIN_CODE.outOfRange) {
      const column = options.scoreColumn ?? 'score';
      throw new InputError(messages.engineScoreOutOfRange(fn, column, r.scoreExample ?? null), 'scoreOutOfRange', {
        column,
        value: r.scoreExample ?? null,
      });
    }
    if (b === null || !Number.isInteger(b) || b < 0 || b >= B) {
      throw new InputError(messages.badArgument(fn, `rows[${i}].bin`, b, `an integer bin in 0 .. ${B - 1}`), 'badArgument', { row: i });
    }
    const k = (g * B + b) * BIN_STRIDE;
    const wp = r.wp ?? 0;
    cells[k + BIN.n]! += r.n;
    cells[k + BIN.w]! += r.w;
    cells[k + BIN.wy]! += r.wy ?? r.y * r.w;
    cells[k + BIN.wp]! += wp;
    cells[k + BIN.wpy]! += r.wpy ?? r.y * wp;
    cells[k + BIN.wp2]! += r.wp2 ?? 0;
    cells[k + BIN.wyhat]! += r.yhat * r.w;
    cells[k + BIN.wyyhat]! += r.y * r.yhat * r.w;
  }
  const columns = [...sensitive];
  const confusion: ConfusionSummary = { kind: 'confusion', columns, groups: keys.map((k) => [...k]), n, w };
  if (!withScores) return { confusion, dropped };
  const scoreBins: ScoreBinSummary = { kind: 'scoreBins', columns: [...sensitive], groups: keys.map((k) => [...k]), bins: B, cells };
  return { confusion, scoreBins, dropped };
}

/** One record of the compiled fairness query, typed. */
export interface FairnessSqlRecord {
  keys: (string | null)[];
  /** Label code (`LABEL_CODE`), null = missing. */
  y: number | null;
  /** Prediction code, or 0/1 when predictions come from a threshold. */
  yhat: number | null;
  bin: number | null;
  n: number;
  w: number;
  wp: number | null;
  wp2: number | null;
  yLo: string | null;
  yHi: string | null;
  pLo: string | null;
  pHi: string | null;
  sLo: number | null;
  sHi: number | null;
  wBad: number;
  wBadValue: number | null;
}

const toNum = (v: unknown): number | null => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  const t = String(v).trim().toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  if (t === 'nan' || t === '-nan') return NaN;
  return t === '' ? null : Number(t);
};
const toText = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : String(v));

/**
 * Type one result record of the compiled query (column names of `FAIRNESS_SQL_COLUMNS`, sensitive
 * values `s0` ..). Accepts what drivers return: numbers, bigints, numeric strings (ClickHouse JSON
 * 64-bit integers, PostgreSQL `bigint`/`numeric`), `'nan'`/`'inf'`.
 *
 * @example
 * ```ts
 * readFairnessRecord({ s0: 'f', y: 1, yhat: 0, n: 3n, w: '3' }, 1);
 * // { keys: ['f'], y: 1, yhat: 0, bin: null, n: 3, w: 3, wp: null, ..., wBad: 0 }
 * ```
 */
export function readFairnessRecord(record: Readonly<Record<string, unknown>>, sensitiveCount: number): FairnessSqlRecord {
  const keys: (string | null)[] = new Array(sensitiveCount);
  for (let j = 0; j < sensitiveCount; j++) keys[j] = toText(record[`s${j}`]);
  return {
    keys,
    y: toNum(record[C.y]),
    yhat: toNum(record[C.yhat]),
    bin: toNum(record[C.bin]),
    n: toNum(record[C.n]) ?? 0,
    w: toNum(record[C.w]) ?? 0,
    wp: toNum(record[C.wp]),
    wp2: toNum(record[C.wp2]),
    yLo: toText(record[C.yLo]),
    yHi: toText(record[C.yHi]),
    pLo: toText(record[C.pLo]),
    pHi: toText(record[C.pHi]),
    sLo: toNum(record[C.sLo]),
    sHi: toNum(record[C.sHi]),
    wBad: toNum(record[C.wBad]) ?? 0,
    wBadValue: toNum(record[C.wBadValue]),
  };
}

/** 1/0 for values binary by themselves (as `toBinary`'s natural bit), else -1. */
function naturalBit(v: string): number {
  const l = v.toLowerCase();
  return v === '1' || l === 'true' ? 1 : v === '0' || l === 'false' ? 0 : -1;
}

/**
 * The in-memory `toBinary` rules applied to the label codes present in one column: returns the
 * bit of each code, or throws the matching `InputError`.
 */
function resolveCodes(
  records: readonly FairnessSqlRecord[],
  pick: (r: FairnessSqlRecord) => [code: number | null, lo: string | null, hi: string | null],
  column: string,
  positiveLabel: string | undefined,
  fn: string,
): (code: number) => number {
  const texts = new Map<number, Set<string>>();
  let hasMissing = false;
  for (const r of records) {
    const [code, lo, hi] = pick(r);
    if (r.n <= 0) continue;
    if (code === null) {
      hasMissing = true;
      continue;
    }
    let set = texts.get(code);
    if (!set) texts.set(code, (set = new Set()));
    if (lo !== null) set.add(lo);
    if (hi !== null) set.add(hi);
  }
  if (hasMissing) throw new InputError(messages.engineMissingLabel(fn, column), 'missingLabel', { column });
  const values = [...new Set([...texts.values()].flatMap((s) => [...s]))].sort(); // sorted: result rows come in any order
  // Each code's distinct count is at least the number of distinct min/max texts seen for it.
  const distinct = [...texts.values()].reduce((a, s) => a + Math.max(1, s.size), 0);
  if (distinct > 2) {
    throw new InputError(messages.engineTooManyLabelValues(fn, column, values), 'tooManyLabelValues', { column, values });
  }
  const has = (code: number) => texts.has(code);
  if (positiveLabel === undefined) {
    if (has(LABEL_CODE.other)) {
      if (distinct === 1) throw new InputError(messages.singleLabelValue(fn, column, values[0]), 'singleLabelValue', { column, value: values[0] });
      throw new InputError(messages.notBinary(fn, column, values), 'notBinary', { column, values });
    }
    return (code) => code;
  }
  if (has(LABEL_CODE.positiveLabel)) return (code) => (code === LABEL_CODE.positiveLabel ? 1 : 0);
  if (!has(LABEL_CODE.other)) {
    const invert = naturalBit(positiveLabel) === 0;
    return (code) => (invert ? 1 - code : code);
  }
  if (distinct === 1) return () => 0; // one value that is not the positive label: all negative
  throw new InputError(messages.positiveLabelAbsent(fn, column, positiveLabel, values), 'positiveLabelAbsent', {
    column,
    positiveLabel,
    values,
  });
}

/**
 * Resolve label and prediction codes to 0/1 with the in-memory `toBinary` rules (per column:
 * the positive label when present, else the 0/1 meaning) and check the inputs, in the order the
 * in-memory path checks them: label, score (NULL, NaN or ±Infinity anywhere), prediction, weights.
 * Out-of-range scores are checked later, on the rows that are kept (`summariesFromRows`).
 *
 * @example
 * ```ts
 * // labels 'yes'/'no' with positiveLabel 'yes'; predictions 0/1 keep their meaning
 * resolveFairnessRecords(records, { ...query, positiveLabel: 'yes' }, 'f').map((r) => [r.y, r.yhat]);
 * ```
 */
export function resolveFairnessRecords(records: readonly FairnessSqlRecord[], query: FairnessQuery, fn = 'resolveFairnessRecords'): FairnessRow[] {
  const pl = query.positiveLabel === undefined ? undefined : String(query.positiveLabel);
  const yBit = resolveCodes(records, (r) => [r.y, r.yLo, r.yHi], query.label, pl, fn);
  if (query.score !== undefined) {
    for (const r of records) {
      if (r.bin === BIN_CODE.notFinite && r.n > 0) {
        const value = r.sHi ?? r.sLo ?? null;
        throw new InputError(messages.engineNotFiniteScore(fn, query.score, value), 'notFiniteScore', { column: query.score, value });
      }
    }
  }
  const pBit = query.prediction !== undefined ? resolveCodes(records, (r) => [r.yhat, r.pLo, r.pHi], query.prediction, pl, fn) : (code: number) => code;
  if (query.weights !== undefined) {
    for (const r of records) {
      if (r.wBad > 0) {
        throw new InputError(messages.engineBadWeight(fn, query.weights, r.wBadValue), 'badWeight', { column: query.weights, value: r.wBadValue });
      }
    }
  }
  return records.map((r) => {
    const row: FairnessRow = {
      keys: r.keys,
      y: yBit(r.y!),
      yhat: pBit(r.yhat!),
      bin: r.bin,
      n: r.n,
      w: r.w,
      wp: r.wp,
      wp2: r.wp2,
    };
    if (r.bin === BIN_CODE.outOfRange) row.scoreExample = r.sLo !== null && r.sLo < 0 ? r.sLo : r.sHi;
    return row;
  });
}

/**
 * All three steps: raw result records of `compileFairnessSQL(query, dialect)` to summaries, with
 * the same checks and errors as the in-memory path. `kinds` maps column names to how their text
 * is typed back (from the source's SQL types: `sqlTypeKind`); absent columns are strings.
 *
 * @example
 * ```ts
 * const records = await runSql(compileFairnessSQL(query, 'postgres'));
 * const { confusion, scoreBins, rows } = summariesFromSqlRecords(records, query, { kinds: { age: 'number' } });
 * ```
 */
export function summariesFromSqlRecords(
  records: readonly Readonly<Record<string, unknown>>[],
  query: FairnessQuery,
  options: { kinds?: Readonly<Record<string, SqlValueKind>>; fn?: string } = {},
): { confusion: ConfusionSummary; scoreBins?: ScoreBinSummary; rows: number; dropped: number } {
  const fn = options.fn ?? 'summariesFromSqlRecords';
  const typed = records.map((r) => readFairnessRecord(r, query.sensitive.length));
  const rows = typed.reduce((a, r) => a + r.n, 0);
  if (rows === 0) throw new InputError(messages.emptyInput(fn, query.source?.text ?? 'source'), 'emptyInput', { argument: 'source' });
  const resolved = resolveFairnessRecords(typed, query, fn);
  const kinds = query.sensitive.map((c) => options.kinds?.[c] ?? 'string');
  const out = summariesFromRows(resolved, query.sensitive, query.fineBins ?? DEFAULT_FINE_BINS, query.score !== undefined, {
    kinds,
    missing: query.missing ?? 'group',
    maxGroups: query.maxGroups ?? DEFAULT_MAX_GROUPS,
    ...(query.score !== undefined ? { scoreColumn: query.score } : {}),
    fn,
  });
  if (out.dropped === rows) {
    throw new InputError(messages.emptyInput(fn, `rows after dropping ${out.dropped} rows with missing sensitive values`), 'emptyInput');
  }
  return { ...out, rows };
}

/**
 * The finalized result of an engine's summaries for the query that produced them: the columns
 * named as the query names them (`yPred` is `score >= threshold` when predictions come from a
 * score), the threshold carried into the options, and the query's positive label. The CLI's
 * pushed-down audit and the monitor's windows both finish this way.
 *
 * @example
 * ```ts
 * const q: FairnessQuery = { source: { kind: 'table', text: 'preds' }, label: 'y', score: 's', threshold: 0.5, sensitive: ['sex'] };
 * const result = groupMetricsFromEngine(await engine.fairnessSummaries(q), q, { minGroupSize: 30 });
 * result.demographicParityDifference(); // as groupMetrics over the same rows, with yPred = s >= 0.5
 * ```
 */
export function groupMetricsFromEngine(s: FairnessSummaries, q: FairnessQuery, options: FromSummariesInput['options'] = {}): GroupMetricsResult {
  const threshold = q.prediction === undefined && q.threshold !== undefined ? { threshold: q.threshold } : {};
  return groupMetricsFromSummaries({
    confusion: s.confusion,
    ...(s.scoreBins ? { scoreBins: s.scoreBins } : {}),
    rows: s.rows,
    dropped: s.dropped ?? 0,
    options: { ...options, ...threshold },
    columns: {
      yTrue: q.label,
      yPred: q.prediction ?? `${q.score} >= ${q.threshold}`,
      ...(q.score !== undefined ? { yScore: q.score } : {}),
      ...(q.weights !== undefined ? { weights: q.weights } : {}),
    },
    positiveLabel: q.positiveLabel ?? 1,
  });
}

/**
 * Approximate bytes of a result's records as a driver returned them (DuckDB, PostgreSQL): 8 per
 * number, the length of each text, 1 per NULL.
 *
 * @example
 * ```ts
 * estimateBytes([{ s0: 'f', n: 3n }]); // 9
 * ```
 */
export function estimateBytes(records: readonly Readonly<Record<string, unknown>>[]): number {
  let bytes = 0;
  for (const r of records) {
    for (const v of Object.values(r)) bytes += typeof v === 'string' ? v.length : v === null || v === undefined ? 1 : 8;
  }
  return bytes;
}
