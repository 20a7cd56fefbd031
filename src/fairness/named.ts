/**
 * fairlearn-style standalone disparity functions, in camelCase after fairlearn's names. Each one
 * is the composition of {@link groupMetrics} with the named disparity on the result (one table,
 * {@link NAMED_DISPARITIES}, defines them all), and returns a number (`NaN` when undefined).
 *
 * @example
 * ```ts
 * import { demographicParityDifference, equalizedOddsRatio } from 'fairwatch';
 * demographicParityDifference({ yTrue, yPred, sensitive: sex });        // like fairlearn's demographic_parity_difference
 * equalizedOddsRatio({ yTrue, yPred, sensitive: sex, agg: 'mean' });
 * ```
 */
import { groupMetrics, type GroupMetricsOptions } from './group-metrics.js';
import type { DisparityMethod } from './disparity.js';
import type { NamedDisparity } from './result.js';

/** Options of the standalone disparity functions. */
export type DisparityFunctionOptions = Omit<GroupMetricsOptions, 'yScore' | 'ci' | 'nBins' | 'binStrategy' | 'fineBins'> & {
  yScore?: GroupMetricsOptions['yScore'];
  method?: DisparityMethod;
  agg?: 'worst_case' | 'mean';
};

function named(name: NamedDisparity) {
  return (options: DisparityFunctionOptions): number => {
    const { method, agg, reference, ...rest } = options;
    // Standalone functions compare all groups, whatever their size, as fairlearn does.
    const r = groupMetrics({ minGroupSize: 0, ...rest, ...(reference !== undefined ? { reference } : {}) });
    return r.named(name, { ...(method ? { method } : {}), ...(agg ? { agg } : {}) }).value;
  };
}

/** Selection-rate difference (max − min by default). @example `demographicParityDifference({ yTrue, yPred, sensitive })` */
export const demographicParityDifference = named('demographicParityDifference');
/** Selection-rate ratio (min / max by default). @example `demographicParityRatio({ yTrue, yPred, sensitive })` */
export const demographicParityRatio = named('demographicParityRatio');
/** max(TPR difference, FPR difference), or their mean with `agg: 'mean'`. @example `equalizedOddsDifference({ yTrue, yPred, sensitive })` */
export const equalizedOddsDifference = named('equalizedOddsDifference');
/** min(TPR ratio, FPR ratio), or their mean with `agg: 'mean'`. @example `equalizedOddsRatio({ yTrue, yPred, sensitive })` */
export const equalizedOddsRatio = named('equalizedOddsRatio');
/** TPR difference. @example `equalOpportunityDifference({ yTrue, yPred, sensitive })` */
export const equalOpportunityDifference = named('equalOpportunityDifference');
/** TPR ratio. @example `equalOpportunityRatio({ yTrue, yPred, sensitive })` */
export const equalOpportunityRatio = named('equalOpportunityRatio');
/** Smallest selection-rate ratio of a group to the reference group (four-fifths rule: < 0.8 fails). @example `disparateImpact({ yTrue, yPred, sensitive, reference: 'male' })` */
export const disparateImpact = named('disparateImpact');
/** Precision (PPV) difference. @example `predictiveParityDifference({ yTrue, yPred, sensitive })` */
export const predictiveParityDifference = named('predictiveParityDifference');
/** Precision (PPV) ratio. @example `predictiveParityRatio({ yTrue, yPred, sensitive })` */
export const predictiveParityRatio = named('predictiveParityRatio');
/** False negative rate difference. @example `falseNegativeRateDifference({ yTrue, yPred, sensitive })` */
export const falseNegativeRateDifference = named('falseNegativeRateDifference');
/** False negative rate ratio. @example `falseNegativeRateRatio({ yTrue, yPred, sensitive })` */
export const falseNegativeRateRatio = named('falseNegativeRateRatio');
/** Accuracy difference. @example `accuracyDifference({ yTrue, yPred, sensitive })` */
export const accuracyDifference = named('accuracyDifference');
/** Accuracy ratio. @example `accuracyRatio({ yTrue, yPred, sensitive })` */
export const accuracyRatio = named('accuracyRatio');
