/**
 * The quantile sample of a numeric column: a bottom-k sample that merges exactly.
 *
 * Every row gets a priority `u = rowPriority(seed, r)` in [0, 1), a keyed hash of its global row
 * index `r` (two rounds of the `lowbias32` finaliser per 32-bit half, 53 bits in all), so the
 * priority depends on the row and the seed only, never on how the data was split into parts. A
 * sample of capacity k keeps the k values of smallest (priority, value). Because priorities are
 * independent of the values, that is a uniform sample without replacement; because "the k
 * smallest of a union" is "the k smallest of the union of each part's k smallest", merging two
 * samples (union, keep the k smallest) gives exactly the sample of the combined data: the merge
 * is associative and commutative, the empty sample is neutral, and merging the parts of a
 * dataset profiled with their row offsets reproduces the whole dataset's sample bit for bit.
 * (Reference: Cohen & Kaplan, "Summarizing data using bottom-k sketches", PODC 2007.)
 *
 * While there are at most k values the sample is exact (every value). It still carries the
 * priorities: sorting (value, priority) pairs with the radix sort of `kernels/argsort.ts`
 * costs about what `Float64Array.prototype.sort` costs on the values alone (measured, 1e6 values:
 * 145–185 ms against 130–155 ms), and an exact sample with priorities can later be thinned
 * consistently when a merge overflows, so no case needs a fallback.
 *
 * Storage: `values` ascending, equal values by ascending priority; `priorities` aligned.
 * Non-exact samples carry `epsilon`, the DKW bound (Dvoretzky–Kiefer–Wolfowitz with Massart's
 * constant) `sup |F̂ − F| <= sqrt(ln(2/δ) / (2k))` at δ = 0.05, F the column's empirical CDF.
 *
 * Partitions: profile part j of a dataset with `rowOffset` = its first global row. Parts profiled
 * with the same seed and overlapping row indices (e.g. every part from row 0) share priorities
 * row by row: their merge is still unbiased, but rows at the same index are kept or dropped
 * together, so the sample is less informative than its size suggests.
 *
 * @example
 * ```ts
 * const s = quantileSample(new Float64Array([3, 1, 2]), rowPriorities(0, 0, 3), 2);
 * s.exact;          // false (3 values, capacity 2)
 * s.values.length;  // 2
 * s.epsilon;        // 0.9603 (= sqrt(ln 40 / 4))
 * ```
 */
import { sortByScore } from '../kernels/argsort.js';
import { InputError, SchemaError, messages } from '../errors.js';
import { Random } from '../intervals/random.js';
import type { QuantileSample } from './types.js';

/**
 * Default capacity of a quantile sample.
 *
 * @example
 * ```ts
 * DEFAULT_SAMPLE_CAPACITY; // 100000 (ECDF error bound 0.0043 at 95%)
 * ```
 */
export const DEFAULT_SAMPLE_CAPACITY = 100_000;

/**
 * Failure probability δ of the reported DKW bound.
 *
 * @example
 * ```ts
 * DKW_DELTA; // 0.05
 * ```
 */
export const DKW_DELTA = 0.05;

/**
 * The DKW bound on a k-sample's empirical CDF: `sqrt(ln(2/δ) / (2k))`; with probability at least
 * 1 − δ, `sup_x |F̂(x) − F(x)|` is at most this (Massart 1990, tight constant).
 *
 * @example
 * ```ts
 * dkwEpsilon(100_000);        // 0.004294694...
 * dkwEpsilon(1000, 0.01);     // 0.05146...
 * ```
 */
export function dkwEpsilon(k: number, delta: number = DKW_DELTA): number {
  if (!(k >= 1)) throw new InputError(messages.badArgument('dkwEpsilon', 'k', k, 'a number >= 1'), 'badArgument');
  if (!(delta > 0 && delta < 1)) throw new InputError(messages.badArgument('dkwEpsilon', 'delta', delta, 'a number in (0, 1)'), 'badArgument');
  return Math.sqrt(Math.log(2 / delta) / (2 * k));
}

/** The `lowbias32` finaliser (Wellons); a bijection on 32-bit words. */
function lowbias32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  x ^= x >>> 15;
  return x >>> 0;
}

/** Four key words drawn from `new Random(seed)`. */
function keysOf(seed: number): Uint32Array {
  const rng = new Random(seed);
  return new Uint32Array([rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]);
}

function checkSeed(fn: string, seed: number): void {
  if (!Number.isSafeInteger(seed)) throw new InputError(messages.badArgument(fn, 'seed', seed, 'a safe integer'), 'badArgument', { seed });
}

/**
 * The priority of global row `row` under `seed`: a uniform number in [0, 1) with 53 bits,
 * `((a >>> 5) · 2^26 + (b >>> 6)) · 2^−53` where a and b are two keyed hashes of the row index
 * (keys from `new Random(seed)`). Deterministic and independent of any partitioning.
 *
 * @example
 * ```ts
 * rowPriority(0, 0) === rowPriority(0, 0);  // true
 * rowPriority(0, 5) === rowPriorities(0, 5, 1)[0]; // true
 * ```
 */
export function rowPriority(seed: number, row: number): number {
  checkSeed('rowPriority', seed);
  if (!(Number.isSafeInteger(row) && row >= 0)) {
    throw new InputError(messages.badArgument('rowPriority', 'row', row, 'a non-negative safe integer'), 'badArgument');
  }
  return rowPriorities(seed, row, 1)[0]!;
}

/**
 * Priorities of the `n` rows `offset, offset + 1, ...` under `seed` (see {@link rowPriority}).
 * One pass, nothing allocated besides the result.
 *
 * @example
 * ```ts
 * const p = rowPriorities(42, 1000, 3);
 * p.length;                        // 3
 * p[1] === rowPriority(42, 1001);  // true
 * ```
 */
export function rowPriorities(seed: number, offset: number, n: number): Float64Array {
  checkSeed('rowPriorities', seed);
  if (!(Number.isSafeInteger(offset) && offset >= 0 && Number.isSafeInteger(n) && n >= 0 && Number.isSafeInteger(offset + n))) {
    throw new InputError(messages.badArgument('rowPriorities', 'offset', offset, 'a non-negative safe integer with offset + n safe'), 'badArgument');
  }
  const key = keysOf(seed);
  const k0 = key[0]!;
  const k1 = key[1]!;
  const k2 = key[2]!;
  const k3 = key[3]!;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = offset + i;
    const lo = r >>> 0;
    const hi = (r / 4294967296) >>> 0;
    const a = lowbias32(lowbias32(lo ^ k0) ^ hi ^ k1);
    const b = lowbias32(lowbias32(lo ^ k2) ^ hi ^ k3 ^ a);
    out[i] = ((a >>> 5) * 67108864 + (b >>> 6)) * 1.1102230246251565e-16;
  }
  return out;
}

/**
 * Sort (value, priority) pairs in place by value, equal values by priority. `v` and `p` are
 * consumed and returned (v's buffer is sorted through the radix keys of `sortByScore`).
 */
function sortPairs(v: Float64Array, p: Float64Array): void {
  const n = v.length;
  if (n < 2) return;
  const keys = sortByScore(v, new Uint32Array(n), p);
  // Undo the order-preserving key transform: the buffer holds the sorted doubles again.
  for (let i = 0; i < n; i++) {
    const hi = keys[2 * i + 1]!;
    if (hi & 0x80000000) keys[2 * i + 1] = hi ^ 0x80000000;
    else {
      keys[2 * i + 1] = ~hi;
      keys[2 * i] = ~keys[2 * i]!;
    }
  }
  // Canonical order among equal values: ascending priority.
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i === n || v[i] !== v[start]) {
      if (i - start > 1) p.subarray(start, i).sort();
      start = i;
    }
  }
}

/** The k-th smallest (0-based) of `a`, by Hoare quickselect with a median-of-three pivot; reorders `a`. */
function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const x = a[lo]!;
    const y = a[(lo + hi) >>> 1]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/**
 * Keep the k pairs of smallest (priority, value) among the first n of (v, p), in their order
 * (which is (value, priority) order when the input is sorted that way). Requires n > k.
 */
function keepSmallest(v: Float64Array, p: Float64Array, n: number, k: number): { v: Float64Array; p: Float64Array } {
  // Candidates below a threshold a few standard deviations above the expected k-th priority
  // (priorities are uniform); widened if too few (never in practice).
  let t = Math.min(1, (k + 5 * Math.sqrt(k) + 16) / n);
  let m = 0;
  for (;;) {
    m = 0;
    for (let i = 0; i < n; i++) if (p[i]! < t) m++;
    if (m >= k || t >= 1) break;
    t = Math.min(1, t * 2);
  }
  const cp = new Float64Array(m);
  for (let i = 0, j = 0; i < n; i++) if (p[i]! < t) cp[j++] = p[i]!;
  const pk = kthSmallest(cp, k - 1);
  let below = 0;
  for (let i = 0; i < n; i++) if (p[i]! < pk) below++;
  const ties = k - below;
  const ov = new Float64Array(k);
  const op = new Float64Array(k);
  // Ties at the k-th priority go by value: take those of smallest value first.
  let tieValues: Float64Array | null = null;
  if (ties > 0) {
    let tn = 0;
    for (let i = 0; i < n; i++) if (p[i]! === pk) tn++;
    if (tn > ties) {
      tieValues = new Float64Array(tn);
      for (let i = 0, j = 0; i < n; i++) if (p[i]! === pk) tieValues[j++] = v[i]!;
      tieValues.sort();
    }
  }
  // Value cut among ties (all ties kept when they fit).
  const cut = tieValues ? tieValues[ties - 1]! : Infinity;
  let atCut = tieValues ? ties - lowerBound(tieValues, cut) : Infinity;
  for (let i = 0, j = 0; i < n; i++) {
    const pi = p[i]!;
    let keep = pi < pk;
    if (!keep && pi === pk && ties > 0) {
      const vi = v[i]!;
      if (vi < cut) keep = true;
      else if (vi === cut && atCut > 0) {
        keep = true;
        atCut--;
      }
    }
    if (keep) {
      ov[j] = v[i]!;
      op[j] = pi;
      j++;
    }
  }
  return { v: ov, p: op };
}

/**
 * First index whose value is >= x in an ascending array.
 *
 * @example
 * ```ts
 * lowerBound([1, 2, 2, 3], 2); // 1
 * ```
 */
export function lowerBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Number of values <= x in an ascending array.
 *
 * @example
 * ```ts
 * upperBound([1, 2, 2, 3], 2); // 3
 * ```
 */
export function upperBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function finish(values: Float64Array, priorities: Float64Array | undefined, capacity: number, seen: number): QuantileSample {
  const exact = seen === values.length;
  const s: QuantileSample = { exact, values, capacity, seen };
  if (priorities) s.priorities = priorities;
  if (!exact) s.epsilon = dkwEpsilon(values.length);
  return s;
}

function checkCapacity(fn: string, capacity: number): void {
  if (!(Number.isInteger(capacity) && capacity >= 1 && capacity <= 0xffffffff)) {
    throw new InputError(messages.badArgument(fn, 'capacity', capacity, 'an integer >= 1'), 'badArgument');
  }
}

/**
 * The empty sample (neutral element of {@link mergeSamples} for samples of the same capacity).
 *
 * @example
 * ```ts
 * emptySample(10); // { exact: true, values: Float64Array [], capacity: 10, seen: 0, priorities: Float64Array [] }
 * ```
 */
export function emptySample(capacity: number = DEFAULT_SAMPLE_CAPACITY): QuantileSample {
  checkCapacity('emptySample', capacity);
  return finish(new Float64Array(0), new Float64Array(0), capacity, 0);
}

/**
 * The bottom-k sample of finite `values` whose row priorities are `priorities` (aligned, in any
 * order; e.g. `rowPriorities(seed, offset, n)` for a column without missing values). The inputs
 * are not modified. Cost: the values are sorted once when they fit (exact sample); otherwise one
 * threshold pass, a quickselect and a sort of the k kept values.
 *
 * @example
 * ```ts
 * const s = quantileSample(new Float64Array([5, 1, 3]), rowPriorities(0, 0, 3), 10);
 * s.exact;   // true
 * s.values;  // Float64Array [1, 3, 5]
 * s.priorities![0] === rowPriority(0, 1); // true (the priority of the row holding 1)
 * ```
 */
export function quantileSample(values: Float64Array, priorities: Float64Array, capacity: number = DEFAULT_SAMPLE_CAPACITY): QuantileSample {
  const fn = 'quantileSample';
  checkCapacity(fn, capacity);
  const n = values.length;
  if (priorities.length !== n) throw new InputError(messages.lengthMismatch(fn, 'priorities', n, priorities.length), 'lengthMismatch');
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (x - x !== 0) throw new InputError(messages.badArgument(fn, `values[${i}]`, x, 'a finite number'), 'badArgument');
    const u = priorities[i]!;
    if (!(u >= 0 && u < 1)) throw new InputError(messages.badArgument(fn, `priorities[${i}]`, u, 'a number in [0, 1)'), 'badArgument');
  }
  return sampleOwned(values.slice(), priorities.slice(), n, capacity);
}

/**
 * The bottom-k sample of the first n of (v, p), validated by the caller (finite values,
 * priorities in [0, 1)). When the values fit, `v` and `p` (trimmed to n) become the sample:
 * callers hand over buffers they own and must not use them afterwards. Used by `profile()` to
 * avoid a copy; {@link quantileSample} is the checked, non-destructive form.
 *
 * @example
 * ```ts
 * const v = new Float64Array([9, 4, 0]);   // third slot unused
 * sampleOwned(v, rowPriorities(0, 0, 3), 2, 10).values; // Float64Array [4, 9]
 * ```
 */
export function sampleOwned(v: Float64Array, p: Float64Array, n: number, capacity: number): QuantileSample {
  let sv: Float64Array;
  let sp: Float64Array;
  if (n <= capacity) {
    sv = n === v.length ? v : v.slice(0, n);
    sp = n === p.length ? p : p.slice(0, n);
  } else {
    const kept = keepSmallest(v, p, n, capacity);
    sv = kept.v;
    sp = kept.p;
  }
  for (let i = 0; i < sv.length; i++) sv[i] = sv[i]! + 0; // -0 -> 0
  sortPairs(sv, sp);
  return finish(sv, sp, capacity, n);
}

/**
 * Merge two samples: the union, thinned to the smaller capacity by keeping the smallest
 * (priority, value). Exact, associative and commutative; {@link emptySample} is neutral. An
 * exact sample without priorities (hand-made) can be merged only while the union fits;
 * otherwise this throws `SchemaError` (`messages.samplePrioritiesMissing`).
 *
 * @example
 * ```ts
 * const a = quantileSample(new Float64Array([1, 2]), rowPriorities(0, 0, 2), 2);
 * const b = quantileSample(new Float64Array([3, 4]), rowPriorities(0, 2, 2), 2);
 * const ab = mergeSamples(a, b);
 * ab.seen;   // 4
 * ab.values.length; // 2
 * // the same as sampling all four rows at once:
 * ab.values.join() === quantileSample(new Float64Array([1, 2, 3, 4]), rowPriorities(0, 0, 4), 2).values.join(); // true
 * ```
 */
export function mergeSamples(a: QuantileSample, b: QuantileSample, context: { fn: string; column: string } = { fn: 'mergeSamples', column: '' }): QuantileSample {
  const capacity = Math.min(a.capacity, b.capacity);
  const seen = a.seen + b.seen;
  const av = a.values;
  const bv = b.values;
  const na = av.length;
  const nb = bv.length;
  const m = na + nb;
  const ap = a.priorities ?? (na === 0 ? new Float64Array(0) : undefined);
  const bp = b.priorities ?? (nb === 0 ? new Float64Array(0) : undefined);
  if (!ap || !bp) {
    if (m > capacity) {
      throw new SchemaError(messages.samplePrioritiesMissing(context.fn, context.column, capacity), 'samplePrioritiesMissing', { column: context.column });
    }
    const v = new Float64Array(m);
    let i = 0;
    let j = 0;
    let o = 0;
    while (i < na && j < nb) v[o++] = av[i]! <= bv[j]! ? av[i++]! : bv[j++]!;
    while (i < na) v[o++] = av[i++]!;
    while (j < nb) v[o++] = bv[j++]!;
    return finish(v, undefined, capacity, seen);
  }
  // Linear merge by (value, priority).
  const v = new Float64Array(m);
  const p = new Float64Array(m);
  let i = 0;
  let j = 0;
  let o = 0;
  while (i < na && j < nb) {
    const x = av[i]!;
    const y = bv[j]!;
    if (x < y || (x === y && ap[i]! <= bp[j]!)) {
      v[o] = x;
      p[o++] = ap[i++]!;
    } else {
      v[o] = y;
      p[o++] = bp[j++]!;
    }
  }
  for (; i < na; i++, o++) {
    v[o] = av[i]!;
    p[o] = ap[i]!;
  }
  for (; j < nb; j++, o++) {
    v[o] = bv[j]!;
    p[o] = bp[j]!;
  }
  if (m <= capacity) return finish(v, p, capacity, seen);
  const kept = keepSmallest(v, p, m, capacity); // keeps (value, priority) order
  return finish(kept.v, kept.p, capacity, seen);
}

/**
 * Quantiles of the sample by linear interpolation between order statistics (numpy's default,
 * Hyndman & Fan type 7): `q(p) = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])`, h = (k − 1)p. Exact
 * quantiles of the column when the sample is exact; NaN for an empty sample.
 *
 * @example
 * ```ts
 * const s = quantileSample(new Float64Array([1, 2, 3, 4]), rowPriorities(0, 0, 4));
 * sampleQuantiles(s, [0, 0.5, 0.9, 1]); // [1, 2.5, 3.7, 4]
 * ```
 */
export function sampleQuantiles(sample: QuantileSample, probs: ArrayLike<number>): number[] {
  const x = sample.values;
  const k = x.length;
  const out: number[] = [];
  for (let i = 0; i < probs.length; i++) {
    const q = probs[i]!;
    if (!(q >= 0 && q <= 1)) throw new InputError(messages.badArgument('sampleQuantiles', `probs[${i}]`, q, 'a probability in [0, 1]'), 'badArgument');
    out.push(k === 0 ? NaN : interpolate(x, (k - 1) * q));
  }
  return out;
}

/**
 * x at fractional position h (0 <= h <= length − 1), linear between neighbours as numpy's
 * `_lerp` (a + (b − a)t, or b − (b − a)(1 − t) when t >= ½), the same rule as `quantileEdges`.
 */
function interpolate(x: ArrayLike<number>, h: number): number {
  const lo = Math.floor(h);
  const t = h - lo;
  const a = x[lo]!;
  if (t === 0 || lo + 1 >= x.length) return a;
  const b = x[lo + 1]!;
  const diff = b - a;
  const r = t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
  return Number.isFinite(r) ? r : (1 - t) * a + t * b;
}

/**
 * The sample's empirical CDF at x: the share of sampled values <= x (NaN when empty). Within
 * `epsilon` of the column's CDF with probability 0.95 when not exact; exact otherwise.
 *
 * @example
 * ```ts
 * sampleCdf(quantileSample(new Float64Array([1, 2, 3, 4]), rowPriorities(0, 0, 4)), 2); // 0.5
 * ```
 */
export function sampleCdf(sample: QuantileSample, x: number): number {
  const k = sample.values.length;
  return k === 0 ? NaN : upperBound(sample.values, x) / k;
}
