/**
 * Calibration by group and ranking (ROC AUC): pure finalisers over the score-bin summary, plus
 * exact versions on raw rows.
 *
 * @example
 * ```ts
 * import { calibrationByGroup, aucByGroup } from './calibration/index.js';
 * const cal = calibrationByGroup(scoreBins, { nBins: 10 });
 * const auc = aucByGroup(grouping.codes, grouping.keys.length, yTrue, yScore);
 * ```
 */
export type { BinStrategy, CalibrationBin, CurveOptions, GroupSelector } from './types.js';
export { reliabilityCurve } from './reliabilityCurve.js';
export { reliabilityCurveExact, type ExactCurveOptions } from './reliabilityCurveExact.js';
export { calibrationStats, type CalibrationStats } from './calibrationStats.js';
export { calibrationByGroup, type CalibrationByGroup, type CalibrationGap } from './calibrationByGroup.js';
export { rocAuc, aucByGroup, aucFromBins, aucFromBinsBound, aucUndefinedReason } from './auc.js';
export { argsortScores, type ScoreOrder } from '../kernels/argsort.js';
