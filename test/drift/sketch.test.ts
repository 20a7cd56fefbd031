import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, SchemaError, messages } from '../../src/errors.js';
import { Random } from '../../src/intervals/random.js';
import {
  DEFAULT_SAMPLE_CAPACITY,
  dkwEpsilon,
  emptySample,
  mergeSamples,
  quantileSample,
  rowPriorities,
  rowPriority,
  sampleCdf,
  sampleQuantiles,
  upperBound,
} from '../../src/drift/sketch.js';
import type { QuantileSample } from '../../src/drift/types.js';

/** Naive bottom-k: every (value, priority) pair, the k smallest by (priority, value), then ordered by (value, priority). */
function naiveBottomK(values: ArrayLike<number>, priorities: ArrayLike<number>, k: number): { values: number[]; priorities: number[] } {
  const pairs = Array.from(values, (v, i) => [v === 0 ? 0 : v, priorities[i]!] as const);
  pairs.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const kept = pairs.slice(0, k).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { values: kept.map((p) => p[0]), priorities: kept.map((p) => p[1]) };
}

const plain = (s: QuantileSample) => ({ values: Array.from(s.values), priorities: Array.from(s.priorities ?? []) });

/** sup_x |F̂(x) − F(x)| between a sample and the full data, both sorted ascending. */
function supDistance(sample: Float64Array, full: Float64Array): number {
  const k = sample.length;
  const n = full.length;
  let d = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const x = full[i]!;
    if (i + 1 < n && full[i + 1] === x) continue; // evaluate at the end of a run of ties
    while (j < k && sample[j]! <= x) j++;
    d = Math.max(d, Math.abs(j / k - (i + 1) / n));
  }
  return d;
}

const uniforms = (seed: number, n: number) => {
  const rng = new Random(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform();
  return out;
};

describe('rowPriorities', () => {
  it('rowPriorities(seed, offset, n) is deterministic, partition-free and matches rowPriority', () => {
    const all = rowPriorities(7, 0, 1000);
    expect(rowPriorities(7, 0, 1000)).toEqual(all);
    expect(rowPriorities(7, 400, 600)).toEqual(all.subarray(400));
    expect(rowPriority(7, 999)).toBe(all[999]);
    expect(rowPriorities(8, 0, 1000)).not.toEqual(all);
    // rows beyond 2^32 hash their high word too
    expect(rowPriority(7, 2 ** 32 + 5)).not.toBe(rowPriority(7, 5));
  });

  it('rowPriorities are uniform on [0, 1): KS distance of 1e6 consecutive rows below the 1% critical value', () => {
    const n = 1_000_000;
    const p = rowPriorities(123, 0, n).sort();
    expect(p[0]!).toBeGreaterThanOrEqual(0);
    expect(p[n - 1]!).toBeLessThan(1);
    let d = 0;
    for (let i = 0; i < n; i++) d = Math.max(d, Math.abs((i + 1) / n - p[i]!), Math.abs(i / n - p[i]!));
    expect(d).toBeLessThan(1.628 / Math.sqrt(n)); // Kolmogorov 1% critical value
  });

  it('rowPriorities rejects a non-integer seed or offset with typed errors', () => {
    expect(() => rowPriorities(0.5, 0, 1)).toThrow(messages.badArgument('rowPriorities', 'seed', 0.5, 'a safe integer'));
    expect(() => rowPriority(0, -1)).toThrow(InputError);
  });
});

describe('quantileSample', () => {
  it('quantileSample keeps every value, sorted, with its own priority while they fit', () => {
    const values = new Float64Array([5, -0, 3, 3, -2.5]);
    const pri = rowPriorities(1, 0, 5);
    const s = quantileSample(values, pri, 5);
    expect(s.exact).toBe(true);
    expect(s.seen).toBe(5);
    expect(s.epsilon).toBeUndefined();
    expect(plain(s)).toEqual(naiveBottomK(values, pri, 5));
    expect(Object.is(s.values[1], 0)).toBe(true); // -0 is stored as 0
    expect(values[0]).toBe(5); // inputs are not modified
  });

  it('quantileSample keeps the k values of smallest priority (ties by value) when over capacity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 80 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 80, maxLength: 80 }),
        fc.integer({ min: 1, max: 12 }),
        (vals, tieBits, k) => {
          const values = Float64Array.from(vals);
          // coarse priorities force ties at the k-th priority
          const pri = Float64Array.from(values, (_, i) => tieBits[i]! / 8);
          const s = quantileSample(values, pri, k);
          expect(plain(s)).toEqual(naiveBottomK(values, pri, k));
          expect(s.exact).toBe(values.length <= k);
          expect(s.values.length).toBe(Math.min(k, values.length));
          if (!s.exact) expect(s.epsilon).toBe(dkwEpsilon(k));
        },
      ),
    );
  });

  it('quantileSample rejects bad input with typed errors', () => {
    expect(() => quantileSample(new Float64Array([1, NaN]), new Float64Array(2), 5)).toThrow(
      messages.badArgument('quantileSample', 'values[1]', NaN, 'a finite number'),
    );
    expect(() => quantileSample(new Float64Array([1]), new Float64Array([1]), 5)).toThrow(
      messages.badArgument('quantileSample', 'priorities[0]', 1, 'a number in [0, 1)'),
    );
    expect(() => quantileSample(new Float64Array([1]), new Float64Array(2), 5)).toThrow(messages.lengthMismatch('quantileSample', 'priorities', 1, 2));
    expect(() => quantileSample(new Float64Array([1]), new Float64Array(1), 0)).toThrow(
      messages.badArgument('quantileSample', 'capacity', 0, 'an integer >= 1'),
    );
  });
});

describe('mergeSamples', () => {
  const parts = fc.array(
    fc.array(fc.oneof(fc.integer({ min: -4, max: 4 }), fc.double({ min: -100, max: 100, noNaN: true })), { maxLength: 30 }),
    { minLength: 3, maxLength: 3 },
  );

  it('mergeSamples of parts equals the sample of the union with the same row priorities (any capacity)', () => {
    fc.assert(
      fc.property(parts, fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 1000 }), (ps, k, seed) => {
        let offset = 0;
        const samples = ps.map((p) => {
          const s = quantileSample(Float64Array.from(p), rowPriorities(seed, offset, p.length), k);
          offset += p.length;
          return s;
        });
        const all = Float64Array.from(ps.flat());
        const whole = quantileSample(all, rowPriorities(seed, 0, all.length), k);
        const merged = mergeSamples(mergeSamples(samples[0]!, samples[1]!), samples[2]!);
        expect(merged).toEqual(whole);
        // associative and commutative, exactly
        expect(mergeSamples(samples[0]!, mergeSamples(samples[1]!, samples[2]!))).toEqual(merged);
        expect(mergeSamples(samples[2]!, mergeSamples(samples[1]!, samples[0]!))).toEqual(merged);
        // the empty sample is neutral
        expect(mergeSamples(emptySample(k), merged)).toEqual(merged);
        expect(mergeSamples(merged, emptySample(k))).toEqual(merged);
      }),
    );
  });

  it('mergeSamples keeps the smaller capacity, which is the sample of the union at that capacity', () => {
    const a = Float64Array.from({ length: 50 }, (_, i) => i);
    const b = Float64Array.from({ length: 40 }, (_, i) => 100 - i);
    const sa = quantileSample(a, rowPriorities(3, 0, 50), 20);
    const sb = quantileSample(b, rowPriorities(3, 50, 40), 8);
    const all = Float64Array.from([...a, ...b]);
    expect(mergeSamples(sa, sb)).toEqual(quantileSample(all, rowPriorities(3, 0, 90), 8));
  });

  it('mergeSamples throws SchemaError when an exact sample without priorities must be thinned', () => {
    const bare: QuantileSample = { exact: true, values: new Float64Array([1, 2, 3]), capacity: 4, seen: 3 };
    const other = quantileSample(new Float64Array([5, 6]), rowPriorities(0, 3, 2), 4);
    expect(() => mergeSamples(bare, other, { fn: 'mergeProfiles', column: 'x' })).toThrow(SchemaError);
    expect(() => mergeSamples(bare, other, { fn: 'mergeProfiles', column: 'x' })).toThrow(messages.samplePrioritiesMissing('mergeProfiles', 'x', 4));
    // while the union fits, it merges (without priorities)
    const small = mergeSamples(bare, emptySample(4));
    expect(Array.from(small.values)).toEqual([1, 2, 3]);
    expect(small.priorities).toBeUndefined();
  });

  it('a merged sample of 1e6 seeded uniform rows has capacity size and an ECDF within epsilon of the data', () => {
    const n = 1_000_000;
    const data = uniforms(2024, n);
    const sorted = data.slice().sort();
    const k = DEFAULT_SAMPLE_CAPACITY;
    // The bound holds with probability 0.95 per seed. In data order (the sorted case below),
    // seeds 0..29 give sqrt(k)·D from 0.49 to 1.39, mean 0.84 (a true PRNG: 0.38 to 1.32, mean
    // 0.76); seed 9 is the one in twenty above the bound, seed 1 gives 0.83.
    const pri = rowPriorities(1, 0, n);
    const whole = quantileSample(data, pri, k);
    // four parts above capacity and twenty below it, each with its global row offset
    const bySize = (size: number) => {
      const out: QuantileSample[] = [];
      for (let o = 0; o < n; o += size) out.push(quantileSample(data.subarray(o, o + size), pri.subarray(o, o + size), k));
      return out;
    };
    const four = bySize(250_000).reduce((a, b) => mergeSamples(a, b));
    const twenty = bySize(50_000).reduce((a, b) => mergeSamples(a, b), emptySample(k));
    expect(four).toEqual(whole);
    expect(twenty).toEqual(whole);
    expect(whole.values.length).toBe(k);
    expect(whole.exact).toBe(false);
    expect(whole.epsilon).toBeCloseTo(Math.sqrt(Math.log(40) / (2 * k)), 15);
    expect(supDistance(whole.values, sorted)).toBeLessThan(whole.epsilon!);
    // data in sorted order: priorities do not depend on the order of values
    const fromSorted = quantileSample(sorted, pri, k);
    expect(supDistance(fromSorted.values, sorted)).toBeLessThan(fromSorted.epsilon!);
  });
});

describe('sampleQuantiles and sampleCdf', () => {
  it('sampleQuantiles interpolates linearly between order statistics (numpy default), hand-worked', () => {
    const s = quantileSample(new Float64Array([4, 1, 3, 2]), rowPriorities(0, 0, 4), 10);
    // h = 3p: p = 0.5 -> 2.5 (between 2 and 3); p = 0.9 -> h = 2.7 -> 3 + 0.7 * 1
    expect(sampleQuantiles(s, [0, 0.5, 0.9, 1])).toEqual([1, 2.5, 3.7, 4]);
    expect(sampleQuantiles(emptySample(3), [0.5])).toEqual([NaN]);
    expect(() => sampleQuantiles(s, [1.5])).toThrow(messages.badArgument('sampleQuantiles', 'probs[0]', 1.5, 'a probability in [0, 1]'));
  });

  it('sampleCdf is the share of sampled values <= x', () => {
    const s = quantileSample(new Float64Array([1, 2, 2, 4]), rowPriorities(0, 0, 4), 10);
    expect([sampleCdf(s, 0), sampleCdf(s, 2), sampleCdf(s, 3), sampleCdf(s, 4)]).toEqual([0, 0.75, 0.75, 1]);
    expect(sampleCdf(emptySample(), 1)).toBeNaN();
    expect(upperBound([1, 2, 2, 3], 2)).toBe(3);
  });

  it('dkwEpsilon is sqrt(ln(2/delta) / 2k)', () => {
    expect(dkwEpsilon(100_000)).toBeCloseTo(0.0042946940834674, 15);
    expect(dkwEpsilon(1000, 0.01)).toBeCloseTo(Math.sqrt(Math.log(200) / 2000), 15);
    expect(() => dkwEpsilon(0)).toThrow(messages.badArgument('dkwEpsilon', 'k', 0, 'a number >= 1'));
  });
});
