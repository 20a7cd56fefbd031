/**
 * `calibrationStats`: calibration error of one group, finalised from a {@link ScoreBinSummary}.
 *
 * With weights w (1 without), scores p and labels y, over uniform left-closed bins
 * `[0, 1/n), ..., [(n−1)/n, 1]` (exact merges of the fine bins; `nBins` must divide them):
 *
 * - ECE = Σ_b (W_b / W) · |ȳ_b − p̄_b| = Σ_b |Σ_b w·y − Σ_b w·p| / W (expected calibration error,
 *   the DESIGN.md definition; Naeini et al. 2015; as the ECE computed from sklearn's
 *   `calibration_curve` bins weighted by bin counts, except that sklearn's bins are right-closed)
 * - MCE = max over non-empty bins of |ȳ_b − p̄_b| (maximum calibration error)
 * - Brier = Σw(p − y)² / W = (Σw·p² − 2Σw·p·y + Σw·y) / W, exact from the fine sums
 *   (`sklearn.metrics.brier_score_loss` with `sample_weight`)
 * - calibration-in-the-large = p̄ − ȳ = (Σw·p − Σw·y) / W (positive: over-prediction)
 * - meanPredicted = Σw·p / W, observedRate = Σw·y / W
 *
 * A group with zero total weight has every value `NaN` and a `reason` (callers turn the values
 * into `null`).
 *
 * @example
 * ```ts
 * const g = encodeGroups(['a', 'a', 'a', 'a'], { column: 'g' });
 * const { scoreBins } = accumulate({ grouping: g, yTrue: new Uint8Array([0, 1, 0, 1]),
 *   yPred: new Uint8Array(4), yScore: new Float64Array([0.1, 0.15, 0.8, 1.0]) });
 * calibrationStats(scoreBins!, 0, { nBins: 2 });
 * // { count: 4, weight: 4, nBins: 2, ece: 0.3875, mce: 0.4, brier: 0.343125, calibrationInTheLarge: 0.0125,
 * //   meanPredicted: 0.5125, observedRate: 0.5 }
 * ```
 */
import { messages } from '../errors.js';
import { BIN, BIN_STRIDE, type ScoreBinSummary } from '../kernels/summaries.js';
import { checkDivides, checkNBins, scoreCells } from './scoreCells.js';
import type { GroupSelector } from './types.js';

const FN = 'calibrationStats';

/** Calibration statistics of one group (see the module doc for the formulas). */
export interface CalibrationStats {
  /** Raw rows. */
  count: number;
  /** Total weight W (equal to `count` without weights). */
  weight: number;
  /** Number of uniform bins of ECE and MCE. */
  nBins: number;
  ece: number;
  mce: number;
  brier: number;
  calibrationInTheLarge: number;
  meanPredicted: number;
  observedRate: number;
  /** Why the values are NaN (zero total weight); absent when they are defined. */
  reason?: string;
}

/**
 * Calibration statistics of `group` (index into `summary.groups`, or `'overall'`) on `nBins`
 * uniform bins (default 10). See the module doc.
 *
 * @example
 * ```ts
 * calibrationStats(summary, 'overall').ece;
 * ```
 */
export function calibrationStats(
  summary: ScoreBinSummary,
  group: GroupSelector,
  options: { nBins?: number } = {},
): CalibrationStats {
  const nBins = checkNBins(FN, options.nBins);
  checkDivides(FN, nBins, summary.bins);
  const cells = scoreCells(summary, group, FN);
  const per = summary.bins / nBins;
  let count = 0;
  let W = 0;
  let WY = 0;
  let WP = 0;
  let WPY = 0;
  let WP2 = 0;
  let absGap = 0;
  let mce = 0;
  for (let k = 0; k < nBins; k++) {
    let w = 0;
    let wy = 0;
    let wp = 0;
    for (let b = k * per; b < (k + 1) * per; b++) {
      const o = b * BIN_STRIDE;
      count += cells[o + BIN.n]!;
      w += cells[o + BIN.w]!;
      wy += cells[o + BIN.wy]!;
      wp += cells[o + BIN.wp]!;
      WPY += cells[o + BIN.wpy]!;
      WP2 += cells[o + BIN.wp2]!;
    }
    if (!(w > 0)) continue;
    W += w;
    WY += wy;
    WP += wp;
    const gap = Math.abs(wy - wp);
    absGap += gap;
    const rel = gap / w;
    if (rel > mce) mce = rel;
  }
  if (!(W > 0)) {
    return {
      count,
      weight: W,
      nBins,
      ece: NaN,
      mce: NaN,
      brier: NaN,
      calibrationInTheLarge: NaN,
      meanPredicted: NaN,
      observedRate: NaN,
      reason: messages.calibrationUndefined(),
    };
  }
  const brier = (WP2 - 2 * WPY + WY) / W;
  return {
    count,
    weight: W,
    nBins,
    ece: absGap / W,
    mce,
    brier: brier > 0 ? brier : 0, // cancellation can leave -1e-17 for perfect scores
    calibrationInTheLarge: (WP - WY) / W,
    meanPredicted: WP / W,
    observedRate: WY / W,
  };
}
