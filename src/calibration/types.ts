/**
 * The data contract of the calibration module: one reliability-curve bin, the binning strategies,
 * and the curve options. Every curve function returns `CalibrationBin[]` with empty bins dropped.
 *
 * @example
 * ```ts
 * const bin: CalibrationBin = { lower: 0.2, upper: 0.3, count: 4, weight: 4, meanPredicted: 0.25, fractionPositive: 0.5 };
 * ```
 */

/** How bin edges are chosen: equal width (`uniform`) or equal mass (`quantile`), as sklearn's `calibration_curve`. */
export type BinStrategy = 'uniform' | 'quantile';

/** One non-empty bin of a reliability curve. */
export interface CalibrationBin {
  /** Lower edge of the bin. */
  lower: number;
  /** Upper edge of the bin. */
  upper: number;
  /** Raw number of rows in the bin. */
  count: number;
  /** Sum of the rows' weights (equal to `count` without weights). */
  weight: number;
  /** Weighted mean score Σw·p / Σw (sklearn's `prob_pred`). */
  meanPredicted: number;
  /** Weighted share of positive labels Σw·y / Σw (sklearn's `prob_true`). */
  fractionPositive: number;
}

/** Options of the reliability curves. */
export interface CurveOptions {
  /** Number of bins (default 10). */
  nBins?: number;
  /** Edge strategy (default `'uniform'`). */
  strategy?: BinStrategy;
}

/** A group index into `summary.groups`, or `'overall'` for all groups pooled. */
export type GroupSelector = number | 'overall';
