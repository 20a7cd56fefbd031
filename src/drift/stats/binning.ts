/**
 * Bins for the histogram-based drift statistics (PSI, Jensen–Shannon, Hellinger, KL, TVD on a
 * numeric column): inner edges at the reference quantiles, and counts of any sample on them.
 *
 * Edges: eₖ = Q_ref(k / bins) for k = 1 … bins − 1, Q the linear-interpolation quantile
 * (numpy's default `np.quantile(ref, k / bins)`, Hyndman & Fan type 7: position (n − 1)·q,
 * a + (b − a)·t, or b − (b − a)·(1 − t) when t ≥ ½, as numpy's `_lerp`); duplicate edges (ties in
 * the reference) and non-finite edges are dropped, so the result is strictly increasing and may
 * have fewer than bins − 1 entries. The bins are open at both ends and **right-closed**:
 * (−∞, e₁], (e₁, e₂], …, (e_last, +∞) — a value equal to an edge falls in the bin that edge closes
 * (as `np.searchsorted(edges, x, side='left')` indexes them). Counts from the reference on its own
 * edges are close to n/bins each when there are few ties.
 *
 * Evidently differs: its PSI/KL/JS helpers (`get_binned_data`, stattests/utils.py) bin a numeric
 * column with more than 20 distinct values on `np.histogram_bin_edges(concat(reference, current),
 * bins='sturges')` — equal-width bins over the combined range, whose number grows with the row
 * count — with closed outer bins. fairwatch follows DESIGN (10 reference-quantile bins, open
 * outer bins): the edges depend only on the reference, so they can be stored with a reference
 * summary and reused for every current window, in memory or in SQL.
 *
 * @example
 * ```ts
 * const ref = sortedCopy([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
 * quantileEdges(ref, 4);                    // Float64Array [3.25, 5.5, 7.75]
 * binCounts([0, 3.25, 3.3, 5.5, 100], quantileEdges(ref, 4)); // Float64Array [2, 2, 0, 1]
 * ```
 */
import { InputError, messages } from '../../errors.js';
import { checkSorted } from './validate.js';

/**
 * Inner bin edges at the reference quantiles k/bins (see the module comment): strictly
 * increasing, finite, at most bins − 1 of them. Throws an `InputError` for an empty, unsorted or
 * NaN-holding reference, or `bins` not an integer ≥ 1.
 *
 * @example
 * ```ts
 * quantileEdges(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 4); // Float64Array [3.25, 5.5, 7.75]
 * quantileEdges(new Float64Array([0, 0, 0, 0, 1]), 10);               // Float64Array [0, 0.20000000000000018, 0.6000000000000001] (numpy: same)
 * ```
 */
export function quantileEdges(sortedRef: Float64Array, bins = 10): Float64Array {
  if (!(Number.isInteger(bins) && bins >= 1)) {
    throw new InputError(messages.badOption('quantileEdges', 'bins', bins, 'an integer >= 1'), 'badOption', { option: 'bins', value: bins });
  }
  checkSorted('quantileEdges', 'sortedRef', sortedRef);
  const n = sortedRef.length;
  const out: number[] = [];
  for (let k = 1; k < bins; k++) {
    const e = quantileLinear(sortedRef, n, k / bins);
    if (Number.isFinite(e) && (out.length === 0 || e > out[out.length - 1]!)) out.push(e);
  }
  return Float64Array.from(out);
}

/** numpy's 'linear' quantile of a sorted array at q ∈ [0, 1]. */
function quantileLinear(x: Float64Array, n: number, q: number): number {
  const pos = (n - 1) * q;
  if (pos >= n - 1) return x[n - 1]!;
  const lo = Math.floor(pos);
  const t = pos - lo;
  const a = x[lo]!;
  const b = x[lo + 1]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * Counts of `values` in the bins (−∞, e₁], (e₁, e₂], …, (e_last, +∞) defined by strictly
 * increasing `edges` (length edges.length + 1). One binary search per value, nothing allocated
 * per value; ±Infinity go to the outer bins. Throws an `InputError` for a NaN value (remove
 * missing values first) or edges that are not strictly increasing and finite.
 *
 * @example
 * ```ts
 * binCounts([0, 3.25, 3.3, 5.5, 100], new Float64Array([3.25, 5.5, 7.75])); // Float64Array [2, 2, 0, 1]
 * binCounts([1, 2, 3], new Float64Array([]));                              // Float64Array [3]
 * ```
 */
export function binCounts(values: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const m = edges.length;
  for (let i = 0; i < m; i++) {
    const e = edges[i]!;
    if (!Number.isFinite(e) || (i > 0 && !(e > edges[i - 1]!))) {
      throw new InputError(messages.badArgument('binCounts', `edges[${i}]`, e, 'finite, strictly increasing edges'), 'badArgument', { index: i, value: e });
    }
  }
  const counts = new Float64Array(m + 1);
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v !== v) throw new InputError(messages.nanValue('binCounts', 'values', i), 'nanValue', { index: i });
    // number of edges strictly below v: first index with edges[idx] >= v
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]! += 1;
  }
  return counts;
}
