/**
 * Rates from confusion cells: the base metrics of every fairness comparison.
 *
 * All rates are weighted (the cells are weighted sums; without weights they are counts). A rate
 * whose denominator is 0 is undefined: `NaN` here, `null` with the reason in results. With
 * `compat: 'fairlearn'` the four error rates (TPR, FPR, FNR, TNR) and precision turn 0/0 into 0,
 * as fairlearn does through sklearn (`confusion_matrix(normalize='true')` and
 * `precision_score(zero_division='warn')`).
 *
 * | metric | formula | undefined when |
 * | --- | --- | --- |
 * | selectionRate | (fp + tp) / n | empty group |
 * | baseRate | (fn + tp) / n | empty group |
 * | tpr | tp / (tp + fn) | no positive labels |
 * | fnr | fn / (tp + fn) | no positive labels |
 * | fpr | fp / (fp + tn) | no negative labels |
 * | tnr | tn / (fp + tn) | no negative labels |
 * | precision (PPV) | tp / (tp + fp) | no positive predictions |
 * | npv | tn / (tn + fn) | no negative predictions |
 * | accuracy | (tp + tn) / n | empty group |
 *
 * @example
 * ```ts
 * // cells [tn, fp, fn, tp] = [3, 1, 2, 4]
 * rateOf('tpr', new Float64Array([3, 1, 2, 4]), 0); // 4 / 6 = 0.6667
 * rateOf('precision', new Float64Array([3, 0, 2, 0]), 0); // NaN (no positive predictions)
 * ```
 */
import { CELL } from '../kernels/summaries.js';

/** How undefined (0/0) rates are treated. */
export type Compat = 'fairwatch' | 'fairlearn';

interface RateDef {
  readonly title: string;
  readonly num: readonly number[];
  readonly den: readonly number[];
  readonly undefinedReason: string;
  /** fairlearn (through sklearn) returns 0 for 0/0 of this rate. */
  readonly fairlearnZero: boolean;
}

const { tn, fp, fn, tp } = CELL;
const ALL = [tn, fp, fn, tp];

/**
 * The table of base rates: numerator and denominator cells. Derived metrics are generated from it.
 *
 * @example
 * ```ts
 * RATES.tpr.title;           // 'True positive rate (recall)'
 * RATES.tpr.num;             // [3]     (tp)
 * RATES.tpr.den;             // [3, 2]  (tp + fn)
 * RATES.tpr.undefinedReason; // 'the group has no positive labels'
 * ```
 */
export const RATES = {
  selectionRate: { title: 'Selection rate P(ŷ=1)', num: [fp, tp], den: ALL, undefinedReason: 'the group is empty', fairlearnZero: false },
  baseRate: { title: 'Base rate P(y=1)', num: [fn, tp], den: ALL, undefinedReason: 'the group is empty', fairlearnZero: false },
  tpr: { title: 'True positive rate (recall)', num: [tp], den: [tp, fn], undefinedReason: 'the group has no positive labels', fairlearnZero: true },
  fnr: { title: 'False negative rate', num: [fn], den: [tp, fn], undefinedReason: 'the group has no positive labels', fairlearnZero: true },
  fpr: { title: 'False positive rate', num: [fp], den: [fp, tn], undefinedReason: 'the group has no negative labels', fairlearnZero: true },
  tnr: { title: 'True negative rate (specificity)', num: [tn], den: [fp, tn], undefinedReason: 'the group has no negative labels', fairlearnZero: true },
  precision: { title: 'Precision (positive predictive value)', num: [tp], den: [tp, fp], undefinedReason: 'the group has no positive predictions', fairlearnZero: true },
  npv: { title: 'Negative predictive value', num: [tn], den: [tn, fn], undefinedReason: 'the group has no negative predictions', fairlearnZero: false },
  accuracy: { title: 'Accuracy', num: [tn, tp], den: ALL, undefinedReason: 'the group is empty', fairlearnZero: false },
} as const satisfies Record<string, RateDef>;

export type RateName = keyof typeof RATES;
/**
 * Names of the base rates, in display order.
 *
 * @example
 * ```ts
 * RATE_NAMES; // ['selectionRate', 'baseRate', 'tpr', 'fnr', 'fpr', 'tnr', 'precision', 'npv', 'accuracy']
 * ```
 */
export const RATE_NAMES = Object.keys(RATES) as RateName[];

/**
 * One rate of group `g` from cells laid out 4 per group. Returns `NaN` when undefined (unless the
 * fairlearn convention makes it 0).
 *
 * @example
 * ```ts
 * rateOf('fpr', new Float64Array([0, 0, 1, 1]), 0); // NaN: no negative labels
 * rateOf('fpr', new Float64Array([0, 0, 1, 1]), 0, 'fairlearn'); // 0
 * ```
 */
export function rateOf(name: RateName, cells: ArrayLike<number>, g: number, compat: Compat = 'fairwatch'): number {
  const def: RateDef = RATES[name];
  const o = g * 4;
  let num = 0;
  let den = 0;
  for (const c of def.num) num += cells[o + c]!;
  for (const c of def.den) den += cells[o + c]!;
  if (den === 0) return compat === 'fairlearn' && def.fairlearnZero ? 0 : NaN;
  return num / den;
}

/**
 * Numerator and denominator of a rate (for Wilson intervals: successes and trials).
 *
 * @example
 * ```ts
 * rateParts('tpr', new Float64Array([3, 1, 2, 4]), 0); // { num: 4, den: 6 }
 * ```
 */
export function rateParts(name: RateName, cells: ArrayLike<number>, g: number): { num: number; den: number } {
  const def: RateDef = RATES[name];
  const o = g * 4;
  let num = 0;
  let den = 0;
  for (const c of def.num) num += cells[o + c]!;
  for (const c of def.den) den += cells[o + c]!;
  return { num, den };
}

/** The reason a rate is undefined, for results. @example `undefinedReason('tpr') // 'the group has no positive labels'` */
export function undefinedReason(name: RateName): string {
  return RATES[name].undefinedReason;
}
