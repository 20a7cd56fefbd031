import { describe, expect, it } from 'vitest';
import { calibrationByGroup, calibrationStats, reliabilityCurve } from '../../src/calibration/index.js';
import { messages } from '../../src/errors.js';
import { randomRows, summarize } from './helpers.js';

describe('calibrationByGroup', () => {
  it('calibrationByGroup(two groups) reports each group and the Brier gap with the groups attaining it', () => {
    // a: p 0.2 (y 0), 0.8 (y 1) → Brier 0.04; b: 0.5, 0.5 → Brier 0.25
    const s = summarize({ groups: ['a', 'a', 'b', 'b'], yTrue: new Uint8Array([0, 1, 0, 1]), yScore: new Float64Array([0.2, 0.8, 0.5, 0.5]) });
    const cal = calibrationByGroup(s, { nBins: 10 });
    expect(cal.groups.map((g) => g.key)).toEqual([['a'], ['b']]);
    expect(cal.groups[0]!.stats.brier).toBeCloseTo(0.04, 15);
    expect(cal.groups[1]!.stats.brier).toBe(0.25);
    expect(cal.gaps.brier.value).toBeCloseTo(0.21, 15);
    expect(cal.gaps.brier.groups).toEqual([1, 0]);
    expect(cal.gaps.brier.max).toBe(0.25);
    expect(cal.gaps.brier.definedGroups).toBe(2);
    // ECE: a has bins [0.2, 0.3) and [0.8, 0.9) off by 0.2 each → 0.2; b: |0.5 − 0.5| = 0
    expect(cal.gaps.ece.value).toBeCloseTo(0.2, 15);
    expect(cal.gaps.ece.groups).toEqual([0, 1]);
    // calibration-in-the-large: both 0 → gap 0
    expect(cal.gaps.calibrationInTheLarge.value).toBeCloseTo(0, 15);
  });

  it('calibrationByGroup(random rows) agrees with calibrationStats and reliabilityCurve per group and overall', () => {
    const rows = randomRows(81, 900, { nGroups: 4, weighted: true });
    const s = summarize(rows);
    for (const strategy of ['uniform', 'quantile'] as const) {
      const cal = calibrationByGroup(s, { nBins: 20, strategy });
      expect(cal.nBins).toBe(20);
      expect(cal.strategy).toBe(strategy);
      cal.groups.forEach((g, i) => {
        expect(g.index).toBe(i);
        expect(g.stats).toEqual(calibrationStats(s, i, { nBins: 20 }));
        expect(g.curve).toEqual(reliabilityCurve(s, i, { nBins: 20, strategy }));
      });
      expect(cal.overall.stats).toEqual(calibrationStats(s, 'overall', { nBins: 20 }));
      expect(cal.overall.curve).toEqual(reliabilityCurve(s, 'overall', { nBins: 20, strategy }));
      const eces = cal.groups.map((g) => g.stats.ece);
      expect(cal.gaps.ece.value).toBeCloseTo(Math.max(...eces) - Math.min(...eces), 15);
      expect(eces[cal.gaps.ece.groups[0]!]).toBe(Math.max(...eces));
      expect(eces[cal.gaps.ece.groups[1]!]).toBe(Math.min(...eces));
    }
  });

  it('calibrationByGroup(a group without weight) leaves it out of the gaps', () => {
    const s = summarize({
      groups: ['a', 'a', 'b', 'c', 'c'],
      yTrue: new Uint8Array([0, 1, 1, 1, 1]),
      yScore: new Float64Array([0.1, 0.9, 0.5, 0.6, 0.7]),
      weights: new Float64Array([1, 1, 0, 1, 1]),
    });
    const cal = calibrationByGroup(s);
    expect(cal.groups[1]!.stats.brier).toBeNaN();
    expect(cal.groups[1]!.curve).toEqual([]);
    expect(cal.gaps.brier.definedGroups).toBe(2);
    expect(cal.gaps.brier.groups).toEqual([2, 0]); // c: (0.16 + 0.09) / 2 = 0.125; a: 0.01
    expect(cal.gaps.brier.value).toBeCloseTo(0.125 - 0.01, 15);
  });

  it('calibrationByGroup(no group with weight) gives NaN gaps with a reason', () => {
    const s = summarize({ groups: ['a'], yTrue: new Uint8Array([1]), yScore: new Float64Array([0.5]), weights: new Float64Array([0]) });
    const cal = calibrationByGroup(s);
    expect(cal.gaps.ece.value).toBeNaN();
    expect(cal.gaps.ece.groups).toEqual([]);
    expect(cal.gaps.ece.reason).toBeTypeOf('string');
    expect(cal.overall.stats.reason).toBe(messages.calibrationUndefined());
  });

  it('calibrationByGroup(bad options) throws InputError from the catalogue', () => {
    const s = summarize({ groups: ['a'], yTrue: new Uint8Array([1]), yScore: new Float64Array([0.5]) });
    expect(() => calibrationByGroup(s, { nBins: 7 })).toThrow(messages.binsNotDivisor('calibrationStats', 7, 3000));
    expect(() => calibrationByGroup(s, { strategy: 'bogus' as 'uniform' })).toThrow(
      messages.badOption('calibrationByGroup', 'strategy', 'bogus', "'uniform' or 'quantile'"),
    );
  });
});
