/**
 * `calibrationByGroup`: calibration of every group and overall, with the gap of each statistic
 * between groups, finalised from one {@link ScoreBinSummary}.
 *
 * Per group and overall: {@link calibrationStats} (ECE and MCE always on `nBins` uniform bins,
 * as DESIGN.md defines them) and {@link reliabilityCurve} (on `nBins` bins of the chosen
 * `strategy`). Gap of a statistic = max − min over the groups where it is defined (fairlearn's
 * `difference(method='between_groups')` applied to the per-group values), with the indices of the
 * groups attaining the max and the min; `NaN` with a reason when no group has a defined value.
 * For the signed calibration-in-the-large, the gap is the spread of the signed values.
 *
 * @example
 * ```ts
 * const g = encodeGroups(['a', 'a', 'b', 'b'], { column: 'g' });
 * const { scoreBins } = accumulate({ grouping: g, yTrue: new Uint8Array([0, 1, 0, 1]),
 *   yPred: new Uint8Array(4), yScore: new Float64Array([0.2, 0.8, 0.5, 0.5]) });
 * const cal = calibrationByGroup(scoreBins!, { nBins: 10 });
 * cal.groups.map((x) => x.stats.brier); // [0.04, 0.25] (up to rounding)
 * cal.gaps.brier; // { value: 0.21, groups: [1, 0], max: 0.25, min: 0.04, definedGroups: 2 }  (group b max, a min)
 * ```
 */
import { type GroupKey } from '../kernels/groups.js';
import type { ScoreBinSummary } from '../kernels/summaries.js';
import { calibrationStats, type CalibrationStats } from './calibrationStats.js';
import { reliabilityCurve } from './reliabilityCurve.js';
import { checkNBins, checkStrategy } from './scoreCells.js';
import type { CalibrationBin, CurveOptions } from './types.js';

/** The spread of one statistic across groups. */
export interface CalibrationGap {
  /** max − min over groups with a defined value; NaN when none has one. */
  value: number;
  /** Indices (into `summary.groups`) of the groups attaining the max and the min: `[max, min]`; `[]` when undefined. */
  groups: number[];
  /** The largest and smallest defined group values (NaN when none). */
  max: number;
  min: number;
  /** Number of groups with a defined value. */
  definedGroups: number;
  /** Why `value` is NaN. */
  reason?: string;
}

/** Calibration of every group, overall, and the gaps between groups. */
export interface CalibrationByGroup {
  nBins: number;
  strategy: 'uniform' | 'quantile';
  groups: { index: number; key: GroupKey; stats: CalibrationStats; curve: CalibrationBin[] }[];
  overall: { stats: CalibrationStats; curve: CalibrationBin[] };
  gaps: { ece: CalibrationGap; mce: CalibrationGap; brier: CalibrationGap; calibrationInTheLarge: CalibrationGap };
}

const GAP_STATS = ['ece', 'mce', 'brier', 'calibrationInTheLarge'] as const;

/**
 * Calibration per group and overall with between-group gaps (see the module doc).
 *
 * @example
 * ```ts
 * calibrationByGroup(summary, { nBins: 10, strategy: 'quantile' }).gaps.ece.value;
 * ```
 */
export function calibrationByGroup(summary: ScoreBinSummary, options: CurveOptions = {}): CalibrationByGroup {
  const fn = 'calibrationByGroup';
  const nBins = checkNBins(fn, options.nBins);
  const strategy = checkStrategy(fn, options.strategy);
  const groups = summary.groups.map((key, index) => ({
    index,
    key,
    stats: calibrationStats(summary, index, { nBins }),
    curve: reliabilityCurve(summary, index, { nBins, strategy }),
  }));
  const overall = {
    stats: calibrationStats(summary, 'overall', { nBins }),
    curve: reliabilityCurve(summary, 'overall', { nBins, strategy }),
  };
  const gaps = {} as CalibrationByGroup['gaps'];
  for (const name of GAP_STATS) gaps[name] = gapOf(groups.map((g) => g.stats[name]));
  return { nBins, strategy, groups, overall, gaps };
}

function gapOf(values: number[]): CalibrationGap {
  let max = -Infinity;
  let min = Infinity;
  let iMax = -1;
  let iMin = -1;
  let defined = 0;
  values.forEach((v, i) => {
    if (Number.isNaN(v)) return;
    defined++;
    if (v > max) {
      max = v;
      iMax = i;
    }
    if (v < min) {
      min = v;
      iMin = i;
    }
  });
  if (defined === 0) {
    return {
      value: NaN,
      groups: [],
      max: NaN,
      min: NaN,
      definedGroups: 0,
      reason: 'no group has a defined value (no group has scored rows with positive weight)',
    };
  }
  return { value: max - min, groups: [iMax, iMin], max, min, definedGroups: defined };
}
