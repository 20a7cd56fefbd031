import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, messages } from '../../src/errors.js';
import { wilsonFromProportion, wilsonInterval } from '../../src/intervals/wilson.js';

// Hand-worked Wilson bounds from the textbook formula, with z written out (not computed by the code
// under test): z_0.975 = 1.959963984540054, z_0.95 = 1.6448536269514722.
function wilsonByHand(x: number, n: number, z: number): [number, number] {
  const p = x / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [centre - half, centre + half];
}

describe('wilsonInterval', () => {
  it('wilsonInterval(8, 10) matches statsmodels proportion_confint(8, 10, method="wilson") = [0.4901625, 0.9433178]', () => {
    const { low, high } = wilsonInterval(8, 10);
    expect(low).toBeCloseTo(0.4901625, 7);
    expect(high).toBeCloseTo(0.9433178, 7);
  });

  it('wilsonInterval(8, 10) equals the formula worked by hand: centre 0.7167402, half-width 0.2265777', () => {
    // z² = 3.841458820694124; denominator 1 + z²/10 = 1.3841458820694124
    // centre = (0.8 + 0.1920729410347062) / 1.3841458820694124
    // half   = 1.959963984540054 · √(0.016 + 0.0096036470517353) / 1.3841458820694124
    const centre = (0.8 + 0.1920729410347062) / 1.3841458820694124;
    const half = (1.959963984540054 * Math.sqrt(0.016 + 0.0096036470517353)) / 1.3841458820694124;
    const { low, high } = wilsonInterval(8, 10);
    expect(low).toBeCloseTo(centre - half, 14);
    expect(high).toBeCloseTo(centre + half, 14);
    expect(centre).toBeCloseTo(0.7167402, 7);
    expect(half).toBeCloseTo(0.2265777, 7);
  });

  it('wilsonInterval(x, n, { confidence }) matches the hand formula for several counts and levels', () => {
    for (const [x, n] of [
      [0, 10],
      [1, 10],
      [3, 7],
      [50, 100],
      [999, 1000],
      [10, 10],
    ]) {
      for (const [confidence, z] of [
        [0.95, 1.959963984540054],
        [0.9, 1.6448536269514722],
      ]) {
        const [lo, hi] = wilsonByHand(x!, n!, z!);
        const r = wilsonInterval(x!, n!, { confidence });
        expect(r.low).toBeCloseTo(Math.max(0, lo), 13);
        expect(r.high).toBeCloseTo(Math.min(1, hi), 13);
      }
    }
  });

  it('wilsonInterval(0, n) starts at exactly 0 and wilsonInterval(n, n) ends at exactly 1', () => {
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(10, 10).high).toBe(1);
    expect(wilsonInterval(0, 10).high).toBeCloseTo(0.2775328, 7);
  });

  it('wilsonInterval(0, 0) has NaN bounds', () => {
    const r = wilsonInterval(0, 0);
    expect(r.low).toBeNaN();
    expect(r.high).toBeNaN();
  });

  it('wilsonInterval(x, n) contains x/n, lies in [0, 1] and narrows as the confidence falls', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        const x = Math.round(f * n);
        const r95 = wilsonInterval(x, n);
        const r80 = wilsonInterval(x, n, { confidence: 0.8 });
        const p = x / n;
        return (
          r95.low >= 0 &&
          r95.high <= 1 &&
          r95.low <= p + 1e-15 &&
          p <= r95.high + 1e-15 &&
          r80.low >= r95.low - 1e-15 &&
          r80.high <= r95.high + 1e-15
        );
      }),
    );
    expect(true).toBe(true);
  });

  it('wilsonInterval throws InputError for a bad confidence, negative n or successes outside [0, n]', () => {
    expect(() => wilsonInterval(1, 10, { confidence: 1 })).toThrow(
      messages.badOption('wilsonInterval', 'confidence', 1, 'a number strictly between 0 and 1'),
    );
    expect(() => wilsonInterval(1, 10, { confidence: 0 })).toThrow(InputError);
    expect(() => wilsonInterval(11, 10)).toThrow(
      messages.badArgument('wilsonInterval', 'successes', 11, 'a number in [0, n = 10]'),
    );
    expect(() => wilsonInterval(-1, 10)).toThrow(InputError);
    expect(() => wilsonInterval(0, -1)).toThrow(InputError);
  });
});

describe('wilsonFromProportion', () => {
  it('wilsonFromProportion(p, n) equals wilsonInterval(p·n, n)', () => {
    for (const [p, n] of [
      [0.8, 10],
      [0.25, 4],
      [0.123, 1000],
    ]) {
      const a = wilsonFromProportion(p!, n!);
      const b = wilsonInterval(p! * n!, n!);
      expect(a.low).toBeCloseTo(b.low, 14);
      expect(a.high).toBeCloseTo(b.high, 14);
    }
  });

  it('wilsonFromProportion(weighted p̂, raw n) uses the raw count for the width', () => {
    // a weighted selection rate of 0.3 over 50 rows (whatever the weights sum to)
    const [lo, hi] = wilsonByHand(15, 50, 1.959963984540054);
    const r = wilsonFromProportion(0.3, 50);
    expect(r.low).toBeCloseTo(lo, 14);
    expect(r.high).toBeCloseTo(hi, 14);
  });

  it('wilsonFromProportion(p, 0) has NaN bounds; p outside [0, 1] throws InputError', () => {
    expect(wilsonFromProportion(0.5, 0).low).toBeNaN();
    expect(wilsonFromProportion(NaN, 0).high).toBeNaN();
    expect(() => wilsonFromProportion(1.5, 10)).toThrow(
      messages.badArgument('wilsonFromProportion', 'p', 1.5, 'a proportion in [0, 1]'),
    );
    expect(() => wilsonFromProportion(0.5, 10, { confidence: 2 })).toThrow(InputError);
  });
});
