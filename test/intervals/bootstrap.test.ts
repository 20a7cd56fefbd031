import { describe, expect, it } from 'vitest';
import { InputError, messages } from '../../src/errors.js';
import { bootstrapCells, bootstrapMany, quantileSorted, type BootstrapInterval } from '../../src/intervals/bootstrap.js';
import { Random } from '../../src/intervals/random.js';

// Cells per group: [tn, fp, fn, tp]. Selection rate of group g = (fp + tp) / all.
const sel = (c: Float64Array, g: number) => {
  const o = g * 4;
  return (c[o + 1]! + c[o + 3]!) / (c[o]! + c[o + 1]! + c[o + 2]! + c[o + 3]!);
};
const tpr = (c: Float64Array, g: number) => c[g * 4 + 3]! / (c[g * 4 + 2]! + c[g * 4 + 3]!);
const Z975 = 1.959963984540054;

// numpy.percentile(values, 100 q) with the default 'linear' method, written naively.
function numpyPercentile(values: number[], q: number): number {
  const x = [...values].sort((a, b) => a - b);
  const h = (x.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, x.length - 1);
  return x[lo]! + (h - lo) * (x[hi]! - x[lo]!);
}

describe('quantileSorted', () => {
  it('quantileSorted(sorted, q) matches numpy.percentile with linear interpolation', () => {
    const x = new Float64Array([1, 2, 3, 4]);
    expect(quantileSorted(x, 0.25)).toBe(1.75); // np.percentile([1,2,3,4], 25)
    expect(quantileSorted(x, 0.5)).toBe(2.5);
    expect(quantileSorted(x, 0)).toBe(1);
    expect(quantileSorted(x, 1)).toBe(4);
    expect(quantileSorted(new Float64Array([10, 20, 30]), 0.025)).toBeCloseTo(10.5, 12); // np.percentile([10,20,30], 2.5)
    expect(quantileSorted(new Float64Array([5]), 0.975)).toBe(5);
    expect(quantileSorted(new Float64Array([]), 0.5)).toBeNaN();
  });
});

describe('bootstrapCells', () => {
  const one = new Float64Array([300, 100, 200, 400]);

  it('bootstrapCells is deterministic for a seed and changes with the seed', () => {
    const s = (c: Float64Array) => sel(c, 0);
    const a = bootstrapCells(one, one, s, { seed: 5 });
    const b = bootstrapCells(one, one, s, { seed: 5 });
    const c = bootstrapCells(one, one, s, { seed: 6 });
    expect(a).toEqual(b);
    expect(c.low).not.toBe(a.low);
    expect(a).toMatchObject({ resamples: 1000, valid: 1000, seed: 5, confidence: 0.95, method: 'percentile' });
    expect(bootstrapCells(one, one, s).seed).toBe(0);
  });

  it('bootstrapCells of one huge group: the selection-rate interval is p ± 1.96·√(p(1−p)/n)', () => {
    // 1e6 rows, selection rate (1e5 + 2e5) / 1e6 = 0.3
    const n = new Float64Array([5e5, 1e5, 2e5, 2e5]);
    const r = bootstrapCells(n, n, (c) => sel(c, 0), { seed: 1, resamples: 2000 });
    const half = Z975 * Math.sqrt((0.3 * 0.7) / 1e6); // 8.98e-4
    expect(Math.abs(r.low - (0.3 - half))).toBeLessThan(0.1 * half);
    expect(Math.abs(r.high - (0.3 + half))).toBeLessThan(0.1 * half);
    expect(r.high - r.low).toBeLessThan(0.002);
  });

  it('bootstrapCells of two groups: the interval of the difference of selection rates covers the truth with width ≈ 2·1.96·√(p1q1/n1 + p2q2/n2)', () => {
    // group a: 20000 rows, rate 0.4; group b: 10000 rows, rate 0.3
    const n = new Float64Array([8000, 4000, 4000, 4000, 5000, 1500, 2000, 1500]);
    const r = bootstrapCells(n, n, (c) => sel(c, 0) - sel(c, 1), { seed: 2 });
    const se = Math.sqrt((0.4 * 0.6) / 20000 + (0.3 * 0.7) / 10000);
    expect(r.low).toBeLessThan(0.1);
    expect(r.high).toBeGreaterThan(0.1);
    expect((r.high - r.low) / 2 / (Z975 * se)).toBeGreaterThan(0.85);
    expect((r.high - r.low) / 2 / (Z975 * se)).toBeLessThan(1.15);
  });

  it('bootstrapCells agrees with a naive row bootstrap stratified by group (same distribution of the statistic)', () => {
    // rows of two groups, each row (y, ŷ); resampled with replacement within its group
    const n = new Float64Array([50, 20, 30, 100, 40, 10, 25, 25]);
    const rows: [number, number][][] = [[], []];
    for (let g = 0; g < 2; g++)
      for (let c = 0; c < 4; c++) for (let k = 0; k < n[g * 4 + c]!; k++) rows[g]!.push([c >> 1, c & 1]);
    const stat = (c: Float64Array) => tpr(c, 0) - tpr(c, 1);
    const R = 4000;
    const rng = new Random(77);
    const naive: number[] = [];
    const cells = new Float64Array(8);
    for (let r = 0; r < R; r++) {
      cells.fill(0);
      for (let g = 0; g < 2; g++) {
        const gr = rows[g]!;
        for (let i = 0; i < gr.length; i++) {
          const [y, yhat] = gr[Math.floor(rng.uniform() * gr.length)]!;
          cells[g * 4 + y * 2 + yhat]! += 1;
        }
      }
      const v = stat(cells);
      if (Number.isFinite(v)) naive.push(v);
    }
    const ours: number[] = [];
    bootstrapCells(
      n,
      n,
      (c) => {
        const v = stat(c);
        if (Number.isFinite(v)) ours.push(v);
        return v;
      },
      { resamples: R, seed: 78 },
    );
    const sd = (a: number[]) => {
      const m = a.reduce((s, x) => s + x, 0) / a.length;
      return Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1));
    };
    // TPR a = 100/130, TPR b = 25/50; se ≈ 0.08; Monte Carlo error of each sd ≈ 1.1%
    expect(sd(ours) / sd(naive)).toBeGreaterThan(0.95);
    expect(sd(ours) / sd(naive)).toBeLessThan(1.05);
    for (const q of [0.025, 0.5, 0.975]) {
      expect(Math.abs(numpyPercentile(ours, q) - numpyPercentile(naive, q))).toBeLessThan(0.25 * sd(naive));
    }
  });

  it('bootstrapCells bounds are the type-7 percentiles of the finite resampled values', () => {
    const seen: number[] = [];
    let call = 0;
    const r = bootstrapCells(
      one,
      one,
      (c) => {
        // every 10th resample is undefined
        const v = call++ % 10 === 0 ? NaN : sel(c, 0);
        if (Number.isFinite(v)) seen.push(v);
        return v;
      },
      { seed: 9, resamples: 500, confidence: 0.9 },
    );
    expect(r.valid).toBe(450);
    expect(seen.length).toBe(450);
    expect(r.low).toBe(numpyPercentile(seen, 0.05));
    expect(r.high).toBe(numpyPercentile(seen, 0.95));
  });

  it('bootstrapCells with a statistic that is NaN in every resample returns NaN bounds and valid 0', () => {
    const r = bootstrapCells(one, one, () => NaN);
    expect(r.low).toBeNaN();
    expect(r.high).toBeNaN();
    expect(r.valid).toBe(0);
    const inf = bootstrapCells(one, one, () => Infinity, { resamples: 10 });
    expect(inf.valid).toBe(0);
    expect(inf.low).toBeNaN();
  });

  it('bootstrapCells returns NaN bounds when fewer than half of the resamples are finite, and bounds when exactly half are', () => {
    let call = 0;
    const half = bootstrapCells(one, one, () => (call++ % 2 === 0 ? 1 : NaN), { resamples: 1000 });
    expect(half.valid).toBe(500);
    expect(half.low).toBe(1);
    call = 0;
    const fewer = bootstrapCells(one, one, () => (call++ < 501 ? NaN : 1), { resamples: 1000 });
    expect(fewer.valid).toBe(499);
    expect(fewer.low).toBeNaN();
    expect(fewer.high).toBeNaN();
  });

  it('bootstrapCells scales weighted draws by W_g / n_g: a statistic of total weight is constant and rates keep their scale', () => {
    const n = new Float64Array([30, 10, 20, 40, 5, 5, 5, 5]);
    const w = n.map((x) => x * 2.5);
    // group 0: 100 rows of weight 2.5 -> W = 250 in every resample; group 1: W = 50
    const total = bootstrapCells(n, w, (c) => c[0]! + c[1]! + c[2]! + c[3]!, { resamples: 200 });
    expect(total.low).toBeCloseTo(250, 10);
    expect(total.high).toBeCloseTo(250, 10);
    const total1 = bootstrapCells(n, w, (c) => c[4]! + c[5]! + c[6]! + c[7]!, { resamples: 200 });
    expect(total1.low).toBeCloseTo(50, 10);
    // uniform weights do not change a rate's draws at all
    const a = bootstrapCells(n, n, (c) => sel(c, 0), { seed: 4 });
    const b = bootstrapCells(n, w, (c) => sel(c, 0), { seed: 4 });
    expect(b.low).toBeCloseTo(a.low, 12);
    expect(b.high).toBeCloseTo(a.high, 12);
  });

  it('bootstrapCells with unequal weights centres the weighted rate on its weighted value', () => {
    // 1e5 rows; predicted-positive rows weigh 3, others 1: weighted rate = 3·4e4 / (6e4 + 3·4e4) = 2/3
    const n = new Float64Array([4e4, 2e4, 2e4, 2e4]);
    const w = new Float64Array([4e4, 6e4, 2e4, 6e4]);
    const r = bootstrapCells(n, w, (c) => sel(c, 0), { seed: 8 });
    expect(r.low).toBeLessThan(2 / 3);
    expect(r.high).toBeGreaterThan(2 / 3);
    expect(r.high - r.low).toBeLessThan(0.01);
  });

  it('bootstrapCells passes one reused G·4 buffer; each group keeps its row count and an empty group stays zero', () => {
    const n = new Float64Array([3, 4, 5, 6, 0, 0, 0, 0, 1, 0, 0, 0]);
    const buffers = new Set<Float64Array>();
    let ok = true;
    const sums = new Float64Array(12);
    const R = 3000;
    bootstrapCells(
      n,
      n,
      (c) => {
        buffers.add(c);
        ok &&= c.length === 12 && c[0]! + c[1]! + c[2]! + c[3]! === 18 && c[4]! + c[5]! + c[6]! + c[7]! === 0 && c[8] === 1;
        for (let i = 0; i < 12; i++) sums[i]! += c[i]!;
        return 0;
      },
      { resamples: R },
    );
    expect(buffers.size).toBe(1);
    expect(ok).toBe(true);
    // the resampled cells are unbiased: mean over resamples ≈ the observed cells
    for (let i = 0; i < 4; i++) {
      const p = n[i]! / 18;
      expect(Math.abs(sums[i]! / R - n[i]!)).toBeLessThan(5 * Math.sqrt((18 * p * (1 - p)) / R));
    }
  });

  it('bootstrapCells throws InputError for bad options and bad cells', () => {
    const s = (c: Float64Array) => sel(c, 0);
    expect(() => bootstrapCells(one, one, s, { resamples: 0 })).toThrow(
      messages.badOption('bootstrapCells', 'resamples', 0, 'a positive integer'),
    );
    expect(() => bootstrapCells(one, one, s, { resamples: 2.5 })).toThrow(InputError);
    expect(() => bootstrapCells(one, one, s, { confidence: 1 })).toThrow(
      messages.badOption('bootstrapCells', 'confidence', 1, 'a number strictly between 0 and 1'),
    );
    expect(() => bootstrapCells(one, one, s, { confidence: 0 })).toThrow(InputError);
    expect(() => bootstrapCells(one, one, s, { seed: 0.5 })).toThrow(
      messages.badOption('bootstrapCells', 'seed', 0.5, 'an integer'),
    );
    expect(() => bootstrapCells(new Float64Array(3), new Float64Array(3), s)).toThrow(InputError);
    expect(() => bootstrapCells(one, new Float64Array(8), s)).toThrow(messages.lengthMismatch('bootstrapCells', 'w', 4, 8));
    expect(() => bootstrapCells(new Float64Array([1, -1, 0, 0]), one, s)).toThrow(
      messages.badArgument('bootstrapCells', 'n[1]', -1, 'a non-negative integer count'),
    );
    expect(() => bootstrapCells(new Float64Array([1.5, 1, 0, 0]), one, s)).toThrow(InputError);
    expect(() => bootstrapCells(one, new Float64Array([1, NaN, 0, 0]), s)).toThrow(InputError);
  });
});

describe('bootstrapMany', () => {
  const n = new Float64Array([400, 100, 100, 400, 300, 200, 200, 300]);
  const stats = {
    dpd: (c: Float64Array) => Math.abs(sel(c, 0) - sel(c, 1)),
    dpr: (c: Float64Array) => Math.min(sel(c, 0), sel(c, 1)) / Math.max(sel(c, 0), sel(c, 1)),
    eod: (c: Float64Array) => Math.abs(tpr(c, 0) - tpr(c, 1)),
  };

  it('bootstrapMany evaluates every statistic on the same draws: each key equals bootstrapCells with the same seed', () => {
    const many = bootstrapMany(n, n, stats, { seed: 12, resamples: 300 });
    expect(Object.keys(many)).toEqual(['dpd', 'dpr', 'eod']);
    for (const key of Object.keys(stats) as (keyof typeof stats)[]) {
      expect(many[key]).toEqual(bootstrapCells(n, n, stats[key], { seed: 12, resamples: 300 }));
    }
    const alone: BootstrapInterval = bootstrapMany(n, n, { eod: stats.eod }, { seed: 12, resamples: 300 }).eod;
    expect(alone).toEqual(many.eod);
  });

  it('bootstrapMany intervals cover the observed disparities', () => {
    const many = bootstrapMany(n, n, stats, { seed: 13 });
    // observed: selection rates 0.5 / 0.5 -> dpd 0, dpr 1; TPR 0.8 / 0.6 -> eod 0.2
    expect(many.eod.low).toBeLessThan(0.2);
    expect(many.eod.high).toBeGreaterThan(0.2);
    expect(many.dpd.low).toBeGreaterThanOrEqual(0);
    expect(many.dpr.high).toBeLessThanOrEqual(1);
  });

  it('bootstrapMany throws InputError when a statistic is not a function', () => {
    expect(() => bootstrapMany(n, n, { x: 3 as unknown as (c: Float64Array) => number })).toThrow(InputError);
  });
});
