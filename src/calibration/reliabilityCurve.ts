/**
 * `reliabilityCurve`: the reliability diagram (calibration curve) of one group, finalised from a
 * {@link ScoreBinSummary} without the raw rows.
 *
 * For each non-empty bin: mean predicted score Σw·p / Σw and fraction of positives Σw·y / Σw,
 * as `sklearn.calibration.calibration_curve` returns `prob_pred` and `prob_true`; empty bins are
 * dropped, as there.
 *
 * - `uniform` (default): bins `[k/n, (k+1)/n)`, left-closed, score 1.0 in the last bin. They are
 *   exact merges of the summary's fine bins, so `nBins` must divide `summary.bins`
 *   (InputError `binsNotDivisor` otherwise). Note the edge convention differs from sklearn, whose
 *   bins are right-closed (`np.searchsorted`): a score exactly on an inner edge `k/n` lands one
 *   bin higher here. {@link reliabilityCurveExact} reproduces sklearn on raw rows.
 * - `quantile`: approximate. Edge `k` is the weighted quantile at `k/n` (the smallest score whose
 *   cumulative weight reaches `k/n · W`) snapped to a fine-bin edge: the fine bin where the
 *   cumulative weight first reaches `k/n · W` closes the lower bin, so the edge sits at that fine
 *   bin's upper edge. **Bound:** each edge is off by at most one fine bin width `1/B` from the
 *   exact weighted quantile, and only the rows of that one fine bin can fall on the other side
 *   of the edge. (sklearn's `np.percentile` edges interpolate linearly between neighbouring
 *   scores, which moves an edge between two adjacent scores but no row across it beyond that.)
 *   The outer edges are the lower edge of the first and the upper edge of the last non-empty
 *   fine bin (sklearn: the minimum and maximum score). Merged bins that hold no weight are
 *   dropped, as sklearn drops the empty bins between duplicate quantile edges.
 *
 * Bins with no rows, or only zero-weight rows, are dropped (their means are undefined).
 *
 * @example
 * ```ts
 * const g = encodeGroups(['a', 'a', 'a', 'a'], { column: 'g' });
 * const { scoreBins } = accumulate({ grouping: g, yTrue: new Uint8Array([0, 1, 0, 1]),
 *   yPred: new Uint8Array(4), yScore: new Float64Array([0.1, 0.15, 0.8, 1.0]) });
 * reliabilityCurve(scoreBins!, 0, { nBins: 2 });
 * // [{ lower: 0, upper: 0.5, count: 2, weight: 2, meanPredicted: 0.125, fractionPositive: 0.5 },
 * //  { lower: 0.5, upper: 1, count: 2, weight: 2, meanPredicted: 0.9, fractionPositive: 0.5 }]
 * ```
 */
import type { ScoreBinSummary } from '../kernels/summaries.js';
import { mergeRuns, quantileCuts, uniformCuts } from './coarseBins.js';
import { checkDivides, checkNBins, checkStrategy, scoreCells } from './scoreCells.js';
import type { CalibrationBin, CurveOptions, GroupSelector } from './types.js';

const FN = 'reliabilityCurve';

/**
 * Reliability curve of `group` (index into `summary.groups`, or `'overall'`) on `nBins` bins
 * (default 10) with strategy `'uniform'` (default) or `'quantile'`. See the module doc.
 *
 * @example
 * ```ts
 * reliabilityCurve(summary, 'overall', { nBins: 10 }).map((b) => b.fractionPositive);
 * ```
 */
export function reliabilityCurve(
  summary: ScoreBinSummary,
  group: GroupSelector,
  options: CurveOptions = {},
): CalibrationBin[] {
  const nBins = checkNBins(FN, options.nBins);
  const strategy = checkStrategy(FN, options.strategy);
  const cells = scoreCells(summary, group, FN);
  if (strategy === 'uniform') {
    checkDivides(FN, nBins, summary.bins);
    return mergeRuns(cells, uniformCuts(nBins, summary.bins), summary.bins, nBins);
  }
  const cuts = quantileCuts(cells, summary.bins, nBins);
  return cuts ? mergeRuns(cells, cuts, summary.bins, 0) : [];
}
