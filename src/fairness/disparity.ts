/**
 * Disparity of one metric across groups: differences and ratios, as fairlearn's
 * `MetricFrame.difference` / `MetricFrame.ratio`, plus AIF360-style comparisons to a reference group.
 *
 * - difference `between_groups` = max − min over groups; `to_overall` = max |group − overall|;
 *   `to_reference` = the signed group − reference with the largest magnitude.
 * - ratio `between_groups` = min / max; `to_overall` = min over groups of group/overall, each
 *   folded below 1 (x > 1 becomes 1/x, as fairlearn); `to_reference` = min over groups of
 *   group/reference (the most disadvantaged group; the four-fifths rule compares it with 0.8).
 *
 * Undefined group values (NaN) are skipped, as pandas skips NaN in `min`/`max`. The result says
 * which groups attain the value, so that reports can name them.
 *
 * @example
 * ```ts
 * differenceOf([0.2, 0.5, NaN], 0.4, 'between_groups'); // { value: 0.3, groups: [0, 1] }
 * ratioOf([0.2, 0.5], 0.4, 'to_reference', 1);           // { value: 0.4, groups: [0, 1] }
 * ```
 */
export type DisparityMethod = 'between_groups' | 'to_overall' | 'to_reference';
/**
 * Valid disparity methods.
 *
 * @example
 * ```ts
 * DISPARITY_METHODS; // ['between_groups', 'to_overall', 'to_reference']
 * ```
 */
export const DISPARITY_METHODS: readonly DisparityMethod[] = ['between_groups', 'to_overall', 'to_reference'];

/** A disparity value and the group indices it involves (min then max, or group then reference). */
export interface DisparityValue {
  value: number;
  groups: number[];
}

const NONE: DisparityValue = { value: NaN, groups: [] };

function extremes(values: ArrayLike<number>): { min: number; max: number; argmin: number; argmax: number } {
  let min = Infinity;
  let max = -Infinity;
  let argmin = -1;
  let argmax = -1;
  for (let g = 0; g < values.length; g++) {
    const v = values[g]!;
    if (Number.isNaN(v)) continue;
    if (v < min) {
      min = v;
      argmin = g;
    }
    if (v > max) {
      max = v;
      argmax = g;
    }
  }
  return { min, max, argmin, argmax };
}

/**
 * The difference of a metric across groups.
 *
 * @example
 * ```ts
 * differenceOf([0.2, 0.5], 0.4, 'to_overall'); // { value: 0.2, groups: [0] }
 * ```
 */
export function differenceOf(values: ArrayLike<number>, overall: number, method: DisparityMethod, reference = -1): DisparityValue {
  if (method === 'between_groups') {
    const e = extremes(values);
    return e.argmin < 0 ? NONE : { value: e.max - e.min, groups: [e.argmin, e.argmax] };
  }
  if (method === 'to_overall') {
    let best = -1;
    let arg = -1;
    for (let g = 0; g < values.length; g++) {
      const d = Math.abs(values[g]! - overall);
      if (!Number.isNaN(d) && d > best) {
        best = d;
        arg = g;
      }
    }
    return arg < 0 ? NONE : { value: best, groups: [arg] };
  }
  const ref = values[reference];
  if (ref === undefined || Number.isNaN(ref)) return { value: NaN, groups: [reference] };
  let best = NaN;
  let arg = -1;
  for (let g = 0; g < values.length; g++) {
    if (g === reference) continue;
    const d = values[g]! - ref;
    if (Number.isNaN(d)) continue;
    if (arg < 0 || Math.abs(d) > Math.abs(best)) {
      best = d;
      arg = g;
    }
  }
  return arg < 0 ? { value: 0, groups: [reference] } : { value: best, groups: [arg, reference] };
}

/**
 * The ratio of a metric across groups (a number ≤ 1 except for `to_reference`, which can exceed 1
 * when every group is above the reference).
 *
 * @example
 * ```ts
 * ratioOf([0.2, 0.5], 0.4, 'between_groups'); // { value: 0.4, groups: [0, 1] }
 * ratioOf([0.2, 0.5], 0.4, 'to_overall');     // { value: 0.5, groups: [0] }
 * ```
 */
export function ratioOf(values: ArrayLike<number>, overall: number, method: DisparityMethod, reference = -1): DisparityValue {
  if (method === 'between_groups') {
    const e = extremes(values);
    return e.argmin < 0 ? NONE : { value: e.min / e.max, groups: [e.argmin, e.argmax] };
  }
  if (method === 'to_overall') {
    let best = Infinity;
    let arg = -1;
    for (let g = 0; g < values.length; g++) {
      let r = values[g]! / overall;
      if (Number.isNaN(r)) continue;
      if (r > 1) r = 1 / r;
      if (r < best) {
        best = r;
        arg = g;
      }
    }
    return arg < 0 ? NONE : { value: best, groups: [arg] };
  }
  const ref = values[reference];
  // A reference value of 0 makes every ratio x/0: undefined, not "no disparity".
  if (ref === undefined || Number.isNaN(ref) || ref === 0) return { value: NaN, groups: [reference] };
  let best = Infinity;
  let arg = -1;
  for (let g = 0; g < values.length; g++) {
    if (g === reference) continue;
    const r = values[g]! / ref;
    if (Number.isNaN(r)) continue;
    if (r < best) {
      best = r;
      arg = g;
    }
  }
  return arg < 0 ? { value: 1, groups: [reference] } : { value: best, groups: [arg, reference] };
}
