/**
 * Reference profiles for drift detection: one mergeable summary per column.
 *
 * - numeric column: rows, missing count, count, min, max, mean and m2 = Σ (x − mean)²
 *   (corrected two-pass within a profile; Chan, Golub & LeVeque's pairwise update when merging:
 *   δ = mean_b − mean_a, mean = mean_a + δ·n_b/n, m2 = m2_a + m2_b + δ²·n_a·n_b/n), a bottom-k
 *   quantile sample (`sketch.ts`; every value while there are at most `sampleCapacity`), and,
 *   derived from the sample, the PSI bin edges at the reference quantiles with the reference
 *   counts in them (recomputed after every merge).
 * - categorical / boolean column: rows, missing count, count, and counts per category (values
 *   stringified), the first `maxCategories` categories in sorted order kept and the rest counted
 *   as `other`.
 *
 * Profiles are a monoid: `mergeProfiles(a, b)` equals the profile of the concatenated data
 * (counts, min, max and samples exactly — when the parts were profiled with their `rowOffset` —
 * moments up to rounding), is associative, and `emptyProfile(p)` is neutral. Missing values are
 * counted, never dropped: null, undefined, NaN and '' (`toGroupValue`'s rule), and in numeric
 * columns also ±Infinity (as Evidently, which replaces ±inf by NaN before its drift tests).
 *
 * Numeric columns take numbers, numeric strings, bigints (converted with `Number`), dates (epoch
 * milliseconds) and booleans (0/1); anything else throws `InputError` (`messages.notNumeric`).
 * Cost: one pass per column over its values (typed arrays without per-row checks), one sort of
 * at most `sampleCapacity` (value, priority) pairs, a `Map` pass per categorical column.
 *
 * @example
 * ```ts
 * const p = profile({ age: [30, 41, null, 52], sex: ['f', 'm', 'f', ''] });
 * const age = p.columns[0] as NumericProfile;
 * [age.count, age.nulls, age.mean, age.m2]; // [3, 1, 41, 242]
 * age.sample.values;                       // Float64Array [30, 41, 52]
 * (p.columns[1] as CategoricalProfile).categories; // [['f', 2], ['m', 1]]
 * const merged = mergeProfiles(profile({ x: [1, 2] }), profile({ x: [3] }, { rowOffset: 2 }));
 * (merged.columns[0] as NumericProfile).mean; // 2
 * ```
 */
import { InputError, SchemaError, messages } from '../errors.js';
import { toColumnTable } from '../io/table.js';
import { toGroupValue, type GroupValue } from '../kernels/groups.js';
import { DEFAULT_SAMPLE_CAPACITY, dkwEpsilon, emptySample, mergeSamples, rowPriorities, sampleOwned, sampleQuantiles, upperBound } from './sketch.js';
import { quantileEdges } from './stats/binning.js';
import type {
  CategoricalProfile,
  ColumnKind,
  ColumnProfile,
  EmptyProfileOptions,
  NumericProfile,
  NumericProfileJSON,
  Profile,
  ProfileJSON,
  ProfileOptions,
  QuantileSample,
  QuantileSampleJSON,
} from './types.js';

export type {
  CategoricalProfile,
  ColumnKind,
  ColumnProfile,
  EmptyProfileOptions,
  NumericProfile,
  NumericProfileJSON,
  Profile,
  ProfileJSON,
  ProfileOptions,
  QuantileSample,
  QuantileSampleJSON,
} from './types.js';

/**
 * Default number of PSI bins per numeric column.
 *
 * @example
 * ```ts
 * DEFAULT_BINS; // 10
 * ```
 */
export const DEFAULT_BINS = 10;

/**
 * Default number of categories kept per categorical column.
 *
 * @example
 * ```ts
 * DEFAULT_MAX_CATEGORIES; // 1000
 * ```
 */
export const DEFAULT_MAX_CATEGORIES = 1000;

/**
 * The column kinds, in a fixed order.
 *
 * @example
 * ```ts
 * COLUMN_KINDS; // ['numeric', 'categorical', 'boolean']
 * ```
 */
export const COLUMN_KINDS = ['numeric', 'categorical', 'boolean'] as const satisfies readonly ColumnKind[];

// ---------------------------------------------------------------------------------------------
// Cell conversion and kind inference

const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const SPECIAL = /^\s*(?:[+-]?Infinity|NaN)\s*$/;
const LEADING_ZERO = /^\s*[+-]?0\d/;

/** A decimal number string to its value ('NaN' -> NaN, '±Infinity' -> ±Infinity), else undefined. */
function parseNumeric(s: string, identifiersAreText: boolean): number | undefined {
  if (DECIMAL.test(s)) return identifiersAreText && LEADING_ZERO.test(s) ? undefined : Number(s);
  if (SPECIAL.test(s)) return Number(s);
  return undefined;
}

/** A cell of a numeric column: its value, NaN when missing, undefined when not numeric. */
function cellToNumber(v: unknown): number | undefined {
  switch (typeof v) {
    case 'number':
      return v;
    case 'string':
      return v === '' ? NaN : parseNumeric(v, false);
    case 'boolean':
      return v ? 1 : 0;
    case 'bigint':
      return Number(v);
    case 'undefined':
      return NaN;
    case 'object':
      if (v === null) return NaN;
      if (v instanceof Date) return v.getTime();
      return undefined;
    default:
      return undefined;
  }
}

type NumberTypedArray =
  | Float64Array | Float32Array | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array;
const isNumberTyped = (v: unknown): v is NumberTypedArray =>
  ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);
const isBigTyped = (v: unknown): v is BigInt64Array | BigUint64Array => v instanceof BigInt64Array || v instanceof BigUint64Array;

/**
 * The kind a column is profiled as, when `types` does not say. The rule:
 *
 * 1. no non-missing value (all null/undefined/NaN/'') -> `'categorical'` (nothing to infer; the
 *    drift report marks such a column insufficient);
 * 2. every non-missing value is a boolean, or a number, bigint or numeric string equal to 0 or 1
 *    -> `'boolean'`;
 * 3. every non-missing value is a number (±Infinity included; profiled as missing), bigint, date
 *    or decimal string -> `'numeric'`. A string with a leading zero ('007', '02134') is an
 *    identifier, not a number;
 * 4. anything else, including booleans mixed with other numbers -> `'categorical'`.
 *
 * Numeric columns with few distinct values stay numeric here; whether a test treats them as
 * categories (Evidently's rule) is the drift report's decision.
 *
 * @example
 * ```ts
 * inferColumnKind([1.5, 2, null]);          // 'numeric'
 * inferColumnKind(new Uint8Array([0, 1]));  // 'boolean'
 * inferColumnKind([true, false, null]);     // 'boolean'
 * inferColumnKind(['3', '4.5']);            // 'numeric'
 * inferColumnKind(['02134', '10001']);      // 'categorical'
 * inferColumnKind([null, '']);              // 'categorical'
 * ```
 */
export function inferColumnKind(values: ArrayLike<unknown>): ColumnKind {
  const n = values.length;
  if (isNumberTyped(values)) {
    let any = false;
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      if (x !== x) continue;
      if (x !== 0 && x !== 1) return 'numeric';
      any = true;
    }
    return any ? 'boolean' : 'categorical';
  }
  if (isBigTyped(values)) {
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      if (x !== 0n && x !== 1n) return 'numeric';
    }
    return n > 0 ? 'boolean' : 'categorical';
  }
  let any = false;
  let bool = false;
  let other = false;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    switch (typeof v) {
      case 'number':
        if (v !== v) break;
        any = true;
        if (v !== 0 && v !== 1) other = true;
        break;
      case 'bigint':
        any = true;
        if (v !== 0n && v !== 1n) other = true;
        break;
      case 'boolean':
        any = bool = true;
        break;
      case 'string': {
        if (v === '') break;
        const x = parseNumeric(v, true);
        if (x === undefined) return 'categorical';
        if (x !== x) break;
        any = true;
        if (x !== 0 && x !== 1) other = true;
        break;
      }
      case 'undefined':
        break;
      case 'object':
        if (v === null) break;
        if (v instanceof Date) {
          if (v.getTime() === v.getTime()) any = other = true;
          break;
        }
        return 'categorical';
      default:
        return 'categorical';
    }
  }
  if (!any) return 'categorical';
  if (!other) return 'boolean';
  return bool ? 'categorical' : 'numeric';
}

/** A numeric column as a Float64Array with NaN for every missing value (the input itself when it is one). */
function toFloats(values: ArrayLike<unknown>, fn: string, column: string): Float64Array {
  if (values instanceof Float64Array) return values;
  const n = values.length;
  const out = new Float64Array(n);
  if (isNumberTyped(values)) {
    out.set(values);
    return out;
  }
  if (isBigTyped(values)) {
    for (let i = 0; i < n; i++) out[i] = Number(values[i]!);
    return out;
  }
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'number') {
      out[i] = v;
      continue;
    }
    const x = cellToNumber(v);
    if (x === undefined) throw new InputError(messages.notNumeric(fn, column, i, v), 'notNumeric', { column, row: i, value: v });
    out[i] = x;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Column summaries

/** Reference PSI edges and counts from a (sorted) sample; see `NumericProfile.edges`. */
function derivedBins(sample: QuantileSample, bins: number): { edges: number[]; binCounts: number[] } {
  const x = sample.values;
  const k = x.length;
  if (k === 0) return { edges: [], binCounts: [0] };
  const edges = Array.from(quantileEdges(x, bins));
  const scale = sample.exact ? 1 : sample.seen / k;
  // Right-closed bins on sorted values: the count of bin j is #(x <= e_j) − #(x <= e_{j−1}).
  const counts: number[] = [];
  let below = 0;
  for (const e of edges) {
    const upTo = upperBound(x, e);
    counts.push((upTo - below) * scale);
    below = upTo;
  }
  counts.push((k - below) * scale);
  return { edges, binCounts: counts };
}

function numericColumn(
  fn: string, column: string, values: ArrayLike<unknown>, priorities: () => Float64Array, capacity: number, bins: number, withPriorities = true,
): NumericProfile {
  const x = toFloats(values, fn, column);
  const n = x.length;
  // Without priorities (a profile that is never merged, e.g. the current side of a comparison
  // that fits its capacity) the values are sorted alone: about twice as fast.
  const plain = !withPriorities && n <= capacity;
  const rp = plain ? new Float64Array(1) : priorities();
  const buf = new Float64Array(n);
  const pri = new Float64Array(plain ? 1 : n);
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i]! + 0; // -0 -> 0
    if (v - v !== 0) continue; // NaN, ±Infinity: missing
    if (!plain) pri[count] = rp[i]!;
    buf[count++] = v;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // Corrected two-pass moments about a shift c (Chan, Golub & LeVeque 1983):
  // mean = c + Σd/n, m2 = Σd² − (Σd)²/n with d = x − c.
  let mean = NaN;
  let m2 = 0;
  if (count > 0) {
    const c = Number.isFinite(sum) ? sum / count : min / 2 + max / 2;
    let s1 = 0;
    let s2 = 0;
    for (let j = 0; j < count; j++) {
      const d = buf[j]! - c;
      s1 += d;
      s2 += d * d;
    }
    mean = c + s1 / count;
    m2 = Math.max(0, s2 - (s1 * s1) / count);
  } else {
    min = NaN;
    max = NaN;
  }
  const sample: QuantileSample = plain
    ? { exact: true, values: buf.subarray(0, count).sort(), capacity, seen: count }
    : sampleOwned(buf, pri, count, capacity);
  return { kind: 'numeric', column, rows: n, nulls: n - count, count, min, max, mean, m2, sample, ...derivedBins(sample, bins) };
}

/** A boolean column's category: 'false' / 'true' for false/true, 0/1, '0'/'1', 'false'/'true' (any case); else the value as text. */
function booleanLabel(g: GroupValue): string {
  if (g === true || g === 1) return 'true';
  if (g === false || g === 0) return 'false';
  if (typeof g === 'string') {
    const t = g.trim().toLowerCase();
    if (t === 'true' || t === '1') return 'true';
    if (t === 'false' || t === '0') return 'false';
  }
  return String(g);
}

const byLabel = (a: readonly [string, number], b: readonly [string, number]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Keep the first `max` of sorted category counts; the rest go to `other`. */
function cut(sorted: [string, number][], max: number, other: number): { categories: [string, number][]; other: number } {
  for (let i = max; i < sorted.length; i++) other += sorted[i]![1];
  return { categories: sorted.length > max ? sorted.slice(0, max) : sorted, other };
}

function categoricalColumn(column: string, values: ArrayLike<unknown>, kind: 'categorical' | 'boolean', maxCategories: number): CategoricalProfile {
  const n = values.length;
  const counts = new Map<GroupValue, number>();
  let nulls = 0;
  if (isNumberTyped(values)) {
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      if (x !== x) nulls++;
      else counts.set(x, (counts.get(x) ?? 0) + 1);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const g = toGroupValue(values[i]);
      if (g === undefined) nulls++;
      else counts.set(g, (counts.get(g) ?? 0) + 1);
    }
  }
  const labels = new Map<string, number>();
  for (const [g, c] of counts) {
    const l = kind === 'boolean' ? booleanLabel(g) : String(g);
    labels.set(l, (labels.get(l) ?? 0) + c);
  }
  const kept = cut([...labels].sort(byLabel), maxCategories, 0);
  return { kind, column, rows: n, nulls, count: n - nulls, categories: kept.categories, other: kept.other, maxCategories };
}

// ---------------------------------------------------------------------------------------------
// profile, merge, empty

function checkInt(fn: string, option: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)) {
    throw new InputError(messages.badOption(fn, option, value, `an integer >= ${min}`), 'badOption', { option, value });
  }
  return value;
}

function checkKind(fn: string, option: string, kind: unknown): ColumnKind {
  if (!(COLUMN_KINDS as readonly unknown[]).includes(kind)) {
    throw new InputError(messages.badOption(fn, option, kind, "'numeric', 'categorical' or 'boolean'"), 'badOption', { option, value: kind });
  }
  return kind as ColumnKind;
}

/** Profiles print as their JSON form in `JSON.stringify` (the method is not enumerable). */
function withToJSON(p: Profile): Profile {
  Object.defineProperty(p, 'toJSON', {
    value(this: Profile) {
      return profileToJSON(this);
    },
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return p;
}

/**
 * Profile the columns of a table (anything `toColumnTable` reads): per numeric column the
 * moments, a quantile sample and the reference PSI bins; per categorical/boolean column the
 * category counts. Kinds come from `types` or `inferColumnKind`. Throws `InputError` for an
 * empty table (`messages.emptyInput(fn, 'data')`), an unknown column
 * (`messages.missingColumn`), a non-numeric value in a numeric column (`messages.notNumeric`)
 * or a bad option (`messages.badOption`).
 *
 * Row priorities (for the sample) are `rowPriority(seed, rowOffset + i)`: to profile a dataset
 * in parts and merge, give each part its first global row as `rowOffset` (and the same `types`).
 *
 * @example
 * ```ts
 * const p = profile({ x: [3, 1, 2, NaN], flag: [0, 1, 1, 0] }, { bins: 2 });
 * p.columns.map((c) => c.kind);                 // ['numeric', 'boolean']
 * const x = p.columns[0] as NumericProfile;
 * [x.min, x.max, x.nulls, x.edges, x.binCounts]; // [1, 3, 1, [2], [2, 1]]
 * ```
 */
export function profile(data: unknown, options: ProfileOptions = {}): Profile {
  const fn = 'profile';
  const bins = checkInt(fn, 'bins', options.bins ?? DEFAULT_BINS, 1);
  const capacity = checkInt(fn, 'sampleCapacity', options.sampleCapacity ?? DEFAULT_SAMPLE_CAPACITY, 1, 0xffffffff);
  const maxCategories = checkInt(fn, 'maxCategories', options.maxCategories ?? DEFAULT_MAX_CATEGORIES, 1);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new InputError(messages.badOption(fn, 'seed', seed, 'a safe integer'), 'badOption', { option: 'seed' });
  const rowOffset = checkInt(fn, 'rowOffset', options.rowOffset ?? 0, 0);
  const table = toColumnTable(data, fn);
  const n = table.numRows;
  if (n === 0) throw new InputError(messages.emptyInput(fn, 'data'), 'emptyInput', { argument: 'data' });
  if (!Number.isSafeInteger(rowOffset + n)) {
    throw new InputError(messages.badOption(fn, 'rowOffset', rowOffset, 'an offset with rowOffset + rows <= 2^53 − 1'), 'badOption', { option: 'rowOffset' });
  }
  const names = options.columns ? [...options.columns] : [...table.columnNames];
  if (names.length === 0) throw new InputError(messages.emptyInput(fn, 'columns'), 'emptyInput', { argument: 'columns' });
  const seen = new Set<string>();
  for (const c of names) {
    if (typeof c !== 'string' || seen.has(c)) {
      throw new InputError(messages.badOption(fn, 'columns', c, 'distinct column names'), 'badOption', { option: 'columns' });
    }
    seen.add(c);
  }
  const types = options.types ?? {};
  for (const [c, k] of Object.entries(types)) {
    checkKind(fn, `types.${c}`, k);
    if (!table.columnNames.includes(c)) throw new InputError(messages.missingColumn(fn, c, table.columnNames), 'missingColumn', { column: c });
  }
  let rowPri: Float64Array | null = null;
  const priorities = () => (rowPri ??= rowPriorities(seed, rowOffset, n));
  const columns = names.map((name): ColumnProfile => {
    const values = table.column(name);
    const kind = Object.hasOwn(types, name) ? types[name]! : inferColumnKind(values);
    return kind === 'numeric'
      ? numericColumn(fn, name, values, priorities, capacity, bins, options.withPriorities ?? true)
      : categoricalColumn(name, values, kind, maxCategories);
  });
  return withToJSON({ kind: 'fairwatch.profile', version: 1, rows: n, columns, seed, createdWith: { bins } });
}

function mergeNumeric(a: NumericProfile, b: NumericProfile, bins: number, fn: string): NumericProfile {
  const count = a.count + b.count;
  let { mean, m2, min, max } = a;
  if (a.count === 0) ({ mean, m2, min, max } = b);
  else if (b.count > 0) {
    const delta = b.mean - a.mean;
    mean = a.mean + delta * (b.count / count);
    m2 = a.m2 + b.m2 + delta * delta * ((a.count * b.count) / count);
    min = Math.min(a.min, b.min);
    max = Math.max(a.max, b.max);
  }
  const sample = mergeSamples(a.sample, b.sample, { fn, column: a.column });
  return {
    kind: 'numeric', column: a.column, rows: a.rows + b.rows, nulls: a.nulls + b.nulls, count, min, max, mean, m2, sample,
    ...derivedBins(sample, bins),
  };
}

function mergeCategorical(a: CategoricalProfile, b: CategoricalProfile): CategoricalProfile {
  const ca = a.categories;
  const cb = b.categories;
  const all: [string, number][] = [];
  let i = 0;
  let j = 0;
  while (i < ca.length || j < cb.length) {
    const x = ca[i];
    const y = cb[j];
    if (y === undefined || (x !== undefined && x[0] < y[0])) {
      all.push([x![0], x![1]]);
      i++;
    } else if (x === undefined || y[0] < x[0]) {
      all.push([y[0], y[1]]);
      j++;
    } else {
      all.push([x[0], x[1] + y[1]]);
      i++;
      j++;
    }
  }
  // The first M categories of the union are among the first M of each part (each part kept
  // its first M' >= M), so the cut below is exact.
  const maxCategories = Math.min(a.maxCategories, b.maxCategories);
  const kept = cut(all, maxCategories, a.other + b.other);
  return {
    kind: a.kind, column: a.column, rows: a.rows + b.rows, nulls: a.nulls + b.nulls, count: a.count + b.count,
    categories: kept.categories, other: kept.other, maxCategories,
  };
}

function checkIsProfile(fn: string, argument: string, p: unknown): asserts p is Profile {
  const o = p as Partial<Profile> | null;
  if (!(typeof o === 'object' && o !== null && o.kind === 'fairwatch.profile' && Array.isArray(o.columns))) {
    throw new SchemaError(messages.badArgument(fn, argument, p, 'a profile (from profile(), mergeProfiles() or profileFromJSON())'), 'badArgument', { argument });
  }
}

/**
 * Merge two profiles of the same columns (same names and kinds, same bins and seed) into the
 * profile of their rows together. Counts, min, max, categories and samples merge exactly;
 * moments by Chan's update (equal to the whole up to rounding, ~1e-15 relative); the PSI edges
 * and counts are recomputed from the merged sample. Samples and category lists keep the smaller
 * capacity / `maxCategories` of the two. Column order follows `a`. Throws `SchemaError` naming
 * the column when the columns differ (`messages.profileColumnAbsent`,
 * `messages.profileKindMismatch`), and for different bins or seeds (`messages.summaryMismatch`).
 *
 * @example
 * ```ts
 * const whole = profile({ x: [1, 2, 3, 4] });
 * const parts = mergeProfiles(profile({ x: [1, 2] }), profile({ x: [3, 4] }, { rowOffset: 2 }));
 * (parts.columns[0] as NumericProfile).m2;            // 5 (as whole)
 * (parts.columns[0] as NumericProfile).sample.values; // Float64Array [1, 2, 3, 4]
 * mergeProfiles(profile({ x: [1] }), profile({ y: [1] })); // throws SchemaError: mergeProfiles: column "x" is in the first profile but not in the second; ...
 * ```
 */
export function mergeProfiles(a: Profile, b: Profile): Profile {
  const fn = 'mergeProfiles';
  checkIsProfile(fn, 'a', a);
  checkIsProfile(fn, 'b', b);
  const bins = a.createdWith.bins;
  if (bins !== b.createdWith.bins) throw new SchemaError(messages.summaryMismatch(fn, 'bins', bins, b.createdWith.bins), 'summaryMismatch');
  if (a.seed !== b.seed) throw new SchemaError(messages.summaryMismatch(fn, 'seeds', a.seed, b.seed), 'summaryMismatch');
  const inB = new Map(b.columns.map((c) => [c.column, c]));
  const columns = a.columns.map((ca): ColumnProfile => {
    const cb = inB.get(ca.column);
    if (!cb) throw new SchemaError(messages.profileColumnAbsent(fn, ca.column, 'first'), 'profileColumnAbsent', { column: ca.column });
    if (ca.kind !== cb.kind) {
      throw new SchemaError(messages.profileKindMismatch(fn, ca.column, ca.kind, cb.kind), 'profileKindMismatch', { column: ca.column });
    }
    return ca.kind === 'numeric' ? mergeNumeric(ca, cb as NumericProfile, bins, fn) : mergeCategorical(ca, cb as CategoricalProfile);
  });
  const inA = new Set(a.columns.map((c) => c.column));
  for (const cb of b.columns) {
    if (!inA.has(cb.column)) throw new SchemaError(messages.profileColumnAbsent(fn, cb.column, 'second'), 'profileColumnAbsent', { column: cb.column });
  }
  return withToJSON({ kind: 'fairwatch.profile', version: 1, rows: a.rows + b.rows, columns, seed: a.seed, createdWith: { bins } });
}

function emptyNumeric(column: string, capacity: number): NumericProfile {
  const sample = emptySample(capacity);
  return { kind: 'numeric', column, rows: 0, nulls: 0, count: 0, min: NaN, max: NaN, mean: NaN, m2: 0, sample, ...derivedBins(sample, 1) };
}

function emptyCategorical(column: string, kind: 'categorical' | 'boolean', maxCategories: number): CategoricalProfile {
  return { kind, column, rows: 0, nulls: 0, count: 0, categories: [], other: 0, maxCategories };
}

/**
 * The profile of no rows: the neutral element of {@link mergeProfiles}. Given a profile, it has
 * that profile's columns, kinds, bins, seed, sample capacities and `maxCategories` (so
 * `mergeProfiles(emptyProfile(p), p)` deep-equals `p`); given column kinds, it uses `options`
 * with `profile()`'s defaults. A fold over parts can start from it.
 *
 * @example
 * ```ts
 * const e = emptyProfile({ x: 'numeric', sex: 'categorical' });
 * e.rows;                                   // 0
 * (e.columns[0] as NumericProfile).mean;    // NaN
 * const p = profile({ x: [1, 2], sex: ['f', 'm'] });
 * mergeProfiles(emptyProfile(p), p).columns; // deep-equals p.columns
 * ```
 */
export function emptyProfile(schema: Profile | Readonly<Record<string, ColumnKind>>, options: EmptyProfileOptions = {}): Profile {
  const fn = 'emptyProfile';
  if ((schema as Partial<Profile>).kind === 'fairwatch.profile' && Array.isArray((schema as Partial<Profile>).columns)) {
    const p = schema as Profile;
    const columns = p.columns.map((c): ColumnProfile =>
      c.kind === 'numeric' ? emptyNumeric(c.column, c.sample.capacity) : emptyCategorical(c.column, c.kind, c.maxCategories),
    );
    return withToJSON({ kind: 'fairwatch.profile', version: 1, rows: 0, columns, seed: p.seed, createdWith: { bins: p.createdWith.bins } });
  }
  const bins = checkInt(fn, 'bins', options.bins ?? DEFAULT_BINS, 1);
  const capacity = checkInt(fn, 'sampleCapacity', options.sampleCapacity ?? DEFAULT_SAMPLE_CAPACITY, 1, 0xffffffff);
  const maxCategories = checkInt(fn, 'maxCategories', options.maxCategories ?? DEFAULT_MAX_CATEGORIES, 1);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new InputError(messages.badOption(fn, 'seed', seed, 'a safe integer'), 'badOption', { option: 'seed' });
  const columns = Object.entries(schema as Record<string, unknown>).map(([name, k]): ColumnProfile => {
    const kind = checkKind(fn, `columns.${name}`, k);
    return kind === 'numeric' ? emptyNumeric(name, capacity) : emptyCategorical(name, kind, maxCategories);
  });
  return withToJSON({ kind: 'fairwatch.profile', version: 1, rows: 0, columns, seed, createdWith: { bins } });
}

/**
 * Quantiles of a numeric column from its sample (linear interpolation, numpy's default): exact
 * when the sample is exact, otherwise estimates whose CDF error is at most `sample.epsilon`
 * with probability 0.95. NaN for a column without values.
 *
 * @example
 * ```ts
 * const x = profile({ x: [1, 2, 3, 4, 5] }).columns[0] as NumericProfile;
 * numericQuantiles(x, [0.25, 0.5, 1]); // [2, 3, 5]
 * ```
 */
export function numericQuantiles(column: NumericProfile | QuantileSample, probs: ArrayLike<number>): number[] {
  return sampleQuantiles('sample' in column ? column.sample : column, probs);
}

// ---------------------------------------------------------------------------------------------
// JSON

const nullIfNaN = (x: number): number | null => (Number.isNaN(x) ? null : x);

function sampleToJSON(s: QuantileSample): QuantileSampleJSON {
  const out: QuantileSampleJSON = { exact: s.exact, capacity: s.capacity, seen: s.seen, values: Array.from(s.values) };
  if (s.priorities) out.priorities = Array.from(s.priorities);
  if (s.epsilon !== undefined) out.epsilon = s.epsilon;
  return out;
}

/**
 * A profile as plain JSON data: typed arrays as number arrays, NaN (the moments of a column
 * without values) as null. `JSON.stringify(profile)` gives the same (profiles carry a
 * non-enumerable `toJSON`). Numbers survive `JSON.stringify`/`JSON.parse` exactly.
 *
 * @example
 * ```ts
 * profileToJSON(profile({ x: [2, 1] }, { sampleCapacity: 5, bins: 2 })).columns[0];
 * // { kind: 'numeric', column: 'x', rows: 2, nulls: 0, count: 2, min: 1, max: 2, mean: 1.5, m2: 0.5,
 * //   edges: [1.5], binCounts: [1, 1],
 * //   sample: { exact: true, capacity: 5, seen: 2, values: [1, 2], priorities: [0.1520..., 0.2222...] } }
 * // (1 sits in row 1, 2 in row 0: each value keeps its row's priority)
 * ```
 */
export function profileToJSON(p: Profile): ProfileJSON {
  return {
    kind: 'fairwatch.profile',
    version: 1,
    rows: p.rows,
    seed: p.seed,
    createdWith: { bins: p.createdWith.bins },
    columns: p.columns.map((c): NumericProfileJSON | CategoricalProfile =>
      c.kind === 'numeric'
        ? {
            kind: 'numeric', column: c.column, rows: c.rows, nulls: c.nulls, count: c.count,
            min: nullIfNaN(c.min), max: nullIfNaN(c.max), mean: nullIfNaN(c.mean), m2: c.m2,
            edges: Array.from(c.edges), binCounts: Array.from(c.binCounts), sample: sampleToJSON(c.sample),
          }
        : {
            kind: c.kind, column: c.column, rows: c.rows, nulls: c.nulls, count: c.count,
            categories: c.categories.map(([v, n]): [string, number] => [v, n]), other: c.other, maxCategories: c.maxCategories,
          },
    ),
  };
}

const FROM = 'profileFromJSON';
type Obj = Record<string, unknown>;

function fail(field: string, value: unknown): never {
  throw new SchemaError(messages.badSummary(FROM, field, value), 'badSummary', { field });
}
function object(v: unknown, field: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(field, v);
  return v as Obj;
}
function wholeNumber(v: unknown, field: string, min = 0): number {
  if (!(typeof v === 'number' && Number.isSafeInteger(v) && v >= min)) fail(field, v);
  return v;
}
function finite(v: unknown, field: string): number {
  if (!(typeof v === 'number' && Number.isFinite(v))) fail(field, v);
  return v;
}
/** A number array: a JSON array, a typed array, or a typed array's `JSON.stringify` form `{"0": x, "1": y, ...}`. */
function numbers(v: unknown, field: string): Float64Array {
  let arr: ArrayLike<unknown>;
  if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) arr = v as unknown as ArrayLike<unknown>;
  else if (typeof v === 'object' && v !== null) {
    const o = v as Obj;
    const keys = Object.keys(o);
    const a: unknown[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== String(i)) fail(field, v);
      a[i] = o[keys[i]!];
    }
    arr = a;
  } else fail(field, v);
  const out = new Float64Array(arr.length);
  for (let i = 0; i < arr.length; i++) out[i] = finite(arr[i], `${field}[${i}]`);
  return out;
}

function sampleFromJSON(v: unknown, field: string, count: number): QuantileSample {
  const o = object(v, field);
  const capacity = wholeNumber(o.capacity, `${field}.capacity`, 1);
  const seen = wholeNumber(o.seen, `${field}.seen`);
  if (seen !== count) fail(`${field}.seen`, o.seen);
  const values = numbers(o.values, `${field}.values`);
  if (values.length !== Math.min(seen, capacity)) fail(`${field}.values`, `${values.length} values`);
  const exact = seen === values.length;
  if (o.exact !== exact) fail(`${field}.exact`, o.exact);
  let priorities: Float64Array | undefined;
  if (o.priorities !== undefined) {
    priorities = numbers(o.priorities, `${field}.priorities`);
    if (priorities.length !== values.length) fail(`${field}.priorities`, `${priorities.length} priorities`);
    for (let i = 0; i < priorities.length; i++) if (!(priorities[i]! >= 0 && priorities[i]! < 1)) fail(`${field}.priorities[${i}]`, priorities[i]);
  } else if (!exact) fail(`${field}.priorities`, undefined);
  for (let i = 1; i < values.length; i++) {
    const d = values[i]! - values[i - 1]!;
    if (d < 0 || (d === 0 && priorities && priorities[i]! < priorities[i - 1]!)) fail(`${field}.values[${i}]`, values[i]);
  }
  for (let i = 0; i < values.length; i++) if (Object.is(values[i], -0)) values[i] = 0;
  const s: QuantileSample = { exact, values, capacity, seen };
  if (priorities) s.priorities = priorities;
  if (!exact) s.epsilon = dkwEpsilon(values.length);
  return s;
}

function numericFromJSON(o: Obj, f: string, column: string, rows: number, nulls: number, count: number, bins: number): NumericProfile {
  const nullable = (key: string): number => {
    const v = o[key];
    if (count === 0) {
      if (v !== null && !(typeof v === 'number' && Number.isNaN(v))) fail(`${f}.${key}`, v);
      return NaN;
    }
    return finite(v, `${f}.${key}`);
  };
  const min = nullable('min');
  const max = nullable('max');
  const mean = nullable('mean');
  if (count > 0 && !(min <= max)) fail(`${f}.max`, max);
  const m2 = finite(o.m2, `${f}.m2`);
  if (m2 < 0) fail(`${f}.m2`, m2);
  const sample = sampleFromJSON(o.sample, `${f}.sample`, count);
  const edges = Array.from(numbers(o.edges, `${f}.edges`));
  for (let i = 1; i < edges.length; i++) if (!(edges[i]! > edges[i - 1]!)) fail(`${f}.edges[${i}]`, edges[i]);
  if (edges.length > Math.max(0, bins - 1)) fail(`${f}.edges`, `${edges.length} edges for ${bins} bins`);
  const counts = Array.from(numbers(o.binCounts, `${f}.binCounts`));
  if (counts.length !== edges.length + 1) fail(`${f}.binCounts`, `${counts.length} counts for ${edges.length} edges`);
  counts.forEach((c, i) => {
    if (c < 0) fail(`${f}.binCounts[${i}]`, c);
  });
  return { kind: 'numeric', column, rows, nulls, count, min, max, mean, m2, sample, edges, binCounts: counts };
}

function categoricalFromJSON(o: Obj, f: string, kind: 'categorical' | 'boolean', column: string, rows: number, nulls: number, count: number): CategoricalProfile {
  const maxCategories = wholeNumber(o.maxCategories, `${f}.maxCategories`, 1);
  if (!Array.isArray(o.categories) || o.categories.length > maxCategories) fail(`${f}.categories`, o.categories);
  const categories: [string, number][] = [];
  let total = 0;
  o.categories.forEach((e: unknown, i: number) => {
    const field = `${f}.categories[${i}]`;
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string') fail(field, e);
    const n = wholeNumber(e[1], `${field}[1]`, 1);
    if (i > 0 && !(categories[i - 1]![0] < e[0])) fail(`${field}[0]`, e[0]);
    categories.push([e[0], n]);
    total += n;
  });
  const other = wholeNumber(o.other, `${f}.other`);
  if (total + other !== count) fail(`${f}.other`, other);
  return { kind, column, rows, nulls, count, categories, other, maxCategories };
}

/**
 * Read a profile back from {@link profileToJSON}'s form (or from `JSON.parse(JSON.stringify(p))`
 * of a profile, whose typed arrays may be index-keyed objects), checking every field: kinds,
 * counts (rows = nulls + count for every column, the same rows in every column), sorted
 * samples with priorities in [0, 1), strictly increasing edges, sorted distinct categories
 * whose counts add up. Throws `SchemaError` naming the field (`messages.badSummary`). `epsilon`
 * is recomputed from the sample size.
 *
 * @example
 * ```ts
 * const p = profile({ x: [1, 2, 3] });
 * profileFromJSON(JSON.parse(JSON.stringify(p))); // deep-equals p
 * profileFromJSON({ kind: 'x' }); // throws SchemaError: profileFromJSON: summary JSON field kind is invalid ("x")
 * ```
 */
export function profileFromJSON(json: unknown): Profile {
  const o = object(json, '(root)');
  if (o.kind !== 'fairwatch.profile') fail('kind', o.kind);
  if (o.version !== 1) fail('version', o.version);
  const rows = wholeNumber(o.rows, 'rows');
  if (!(typeof o.seed === 'number' && Number.isSafeInteger(o.seed))) fail('seed', o.seed);
  const seed = o.seed;
  const createdWith = object(o.createdWith, 'createdWith');
  const bins = wholeNumber(createdWith.bins, 'createdWith.bins', 1);
  if (!Array.isArray(o.columns)) fail('columns', o.columns);
  const names = new Set<string>();
  const columns = o.columns.map((raw: unknown, i: number): ColumnProfile => {
    const c = object(raw, `columns[${i}]`);
    if (typeof c.column !== 'string' || names.has(c.column)) fail(`columns[${i}].column`, c.column);
    const column = c.column;
    names.add(column);
    const f = `columns[${JSON.stringify(column)}]`;
    const kind = c.kind;
    if (!(COLUMN_KINDS as readonly unknown[]).includes(kind)) fail(`${f}.kind`, kind);
    const r = wholeNumber(c.rows, `${f}.rows`);
    if (r !== rows) fail(`${f}.rows`, r);
    const nulls = wholeNumber(c.nulls, `${f}.nulls`);
    const count = wholeNumber(c.count, `${f}.count`);
    if (nulls + count !== r) fail(`${f}.count`, count);
    return kind === 'numeric'
      ? numericFromJSON(c, f, column, r, nulls, count, bins)
      : categoricalFromJSON(c, f, kind as 'categorical' | 'boolean', column, r, nulls, count);
  });
  return withToJSON({ kind: 'fairwatch.profile', version: 1, rows, columns, seed, createdWith: { bins } });
}
