/**
 * The shapes of reference profiles: mergeable per-column summaries that drift detection compares
 * current data against. Built by `profile()`, combined by `mergeProfiles()`, saved by
 * `profileToJSON()` (see `profile.ts`); the numeric quantile sample is `sketch.ts`.
 *
 * @example
 * ```ts
 * const p: Profile = profile({ x: [1, 2, null], c: ['a', 'b', 'a'] });
 * p.columns[0].kind;                          // 'numeric'
 * (p.columns[1] as CategoricalProfile).categories; // [['a', 2], ['b', 1]]
 * ```
 */

/** How a column is summarised: numbers, categories, or two-valued (booleans, 0/1). */
export type ColumnKind = 'numeric' | 'categorical' | 'boolean';

/**
 * A uniform sample of a numeric column's non-missing values, mergeable exactly (bottom-k
 * sampling; see `sketch.ts`).
 *
 * Every row carries a priority `u = rowPriority(seed, rowOffset + i)` in [0, 1), a hash of the
 * seed and the row's global index, so it does not depend on how the data was partitioned. The
 * sample holds the `min(seen, capacity)` values of smallest (priority, value); when
 * `seen <= capacity` that is every value (`exact`).
 *
 * Storage order: `values` ascending, ties (equal values) by ascending priority; `priorities[i]`
 * belongs to `values[i]`.
 */
export interface QuantileSample {
  /** True when `values` holds every non-missing value (`seen <= capacity`). */
  exact: boolean;
  /** Sorted ascending; every value (exact) or a uniform sample without replacement of size `capacity`. */
  values: Float64Array;
  /** Largest number of values kept (default 100 000). */
  capacity: number;
  /** Non-missing values represented (the column's `count`). */
  seen: number;
  /**
   * Priority of each value, aligned with `values`. Always present in samples fairwatch builds;
   * a hand-made exact sample may omit it (it then cannot be merged past its capacity).
   */
  priorities?: Float64Array;
  /**
   * Only when not exact: the DKW bound on the sample's empirical CDF,
   * `sup |F̂ − F| <= sqrt(ln(2/δ) / (2k))` with probability at least 1 − δ, δ = 0.05, k = `values.length`.
   */
  epsilon?: number;
}

/** Summary of one numeric column. */
export interface NumericProfile {
  kind: 'numeric';
  column: string;
  /** Rows seen, including missing ones. */
  rows: number;
  /** Missing values: null, undefined, NaN, '' and ±Infinity (as Evidently, which replaces ±inf by NaN). */
  nulls: number;
  /** Non-missing values. */
  count: number;
  /** Smallest and largest value; NaN when `count` is 0. */
  min: number;
  max: number;
  /** Mean; NaN when `count` is 0. */
  mean: number;
  /** Σ (x − mean)² (Welford/Chan second moment); population variance = m2 / count. */
  m2: number;
  sample: QuantileSample;
  /**
   * Derived: inner PSI bin edges at the quantiles i/bins (i = 1 .. bins − 1) of the sample
   * (linear interpolation, numpy's default), duplicates removed, strictly increasing. The outer
   * bins are open: bins are (−∞, e₀], (e₀, e₁], ..., (e_last, ∞).
   */
  edges: number[];
  /**
   * Derived: the reference counts in those bins (`edges.length + 1` entries). Exact counts when
   * the sample is exact; otherwise sample counts scaled by `seen / values.length` (unbiased
   * estimates, not integers, summing to `count` up to rounding).
   */
  binCounts: number[];
}

/** Summary of one categorical or boolean column. */
export interface CategoricalProfile {
  kind: 'categorical' | 'boolean';
  column: string;
  rows: number;
  nulls: number;
  count: number;
  /**
   * Category counts, sorted by value (UTF-16 code-unit order). Values are stringified
   * (`String(v)` after the missing-value normalisation of `toGroupValue`); boolean columns use
   * `'false'` / `'true'` (for false/true, 0/1, '0'/'1', 'false'/'true').
   */
  categories: [value: string, count: number][];
  /**
   * Count of values whose category is beyond the first `maxCategories` in sorted order. The
   * cut is by sorted value, not by frequency, so that merging stays exact: the first M
   * categories of a union are among the first M of each part.
   */
  other: number;
  maxCategories: number;
}

/** Summary of one column. */
export type ColumnProfile = NumericProfile | CategoricalProfile;

/** A reference profile: one summary per column. */
export interface Profile {
  kind: 'fairwatch.profile';
  version: 1;
  /** Rows profiled (every column saw them all). */
  rows: number;
  columns: ColumnProfile[];
  /** Seed of the row priorities (see {@link QuantileSample}). */
  seed: number;
  createdWith: { bins: number };
}

/** Options of `profile()`. */
export interface ProfileOptions {
  /** Columns to profile (default: every column of the table). */
  columns?: readonly string[];
  /** Column kinds, overriding `inferColumnKind`. */
  types?: Readonly<Record<string, ColumnKind>>;
  /** PSI bins per numeric column (default 10). */
  bins?: number;
  /** Largest quantile sample per numeric column (default 100 000). */
  sampleCapacity?: number;
  /** Categories kept per categorical column before the rest count as `other` (default 1000). */
  maxCategories?: number;
  /** Seed of the row priorities (default 0). */
  seed?: number;
  /**
   * Global index of the data's first row (default 0). When a dataset is profiled in parts, give
   * each part its starting row: the merge then equals the profile of the whole exactly, and
   * no two rows share a priority.
   */
  rowOffset?: number;
  /**
   * Keep row priorities in the sample (default true) so the profile can be merged. `false` sorts
   * the values alone when they fit the capacity: faster, for profiles that are never merged (the
   * current side of a comparison); such a sample merges only while the union fits.
   */
  withPriorities?: boolean;
}

/** Options of `emptyProfile()` when it is given column kinds (the defaults match `profile()`). */
export type EmptyProfileOptions = Pick<ProfileOptions, 'bins' | 'sampleCapacity' | 'maxCategories' | 'seed'>;

/** JSON form of a {@link QuantileSample}: typed arrays as number arrays. */
export interface QuantileSampleJSON {
  exact: boolean;
  capacity: number;
  seen: number;
  values: number[];
  priorities?: number[];
  epsilon?: number;
}

/** JSON form of a {@link NumericProfile}: NaN (empty column) as null. */
export interface NumericProfileJSON {
  kind: 'numeric';
  column: string;
  rows: number;
  nulls: number;
  count: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  m2: number;
  edges: number[];
  binCounts: number[];
  sample: QuantileSampleJSON;
}

/** JSON form of a {@link Profile}. */
export interface ProfileJSON {
  kind: 'fairwatch.profile';
  version: 1;
  rows: number;
  seed: number;
  createdWith: { bins: number };
  columns: (NumericProfileJSON | CategoricalProfile)[];
}
