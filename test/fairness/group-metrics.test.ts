import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, messages } from '../../src/errors.js';
import { groupMetrics, groupMetricsFromSummaries } from '../../src/fairness/group-metrics.js';
import { NAMED_DISPARITIES } from '../../src/fairness/result.js';
import * as named from '../../src/fairness/named.js';
import { encodeGroups } from '../../src/kernels/groups.js';
import { accumulate, mergeConfusion } from '../../src/kernels/summaries.js';

/** Naive row-by-row reference: weighted rates per group, written independently of the library. */
function naiveRates(yTrue: number[], yPred: number[], groups: string[], weights?: number[]) {
  const out = new Map<string, Record<string, number>>();
  const keys = [...new Set(groups)].sort();
  for (const k of keys) {
    let tp = 0, fp = 0, fn = 0, tn = 0, n = 0;
    groups.forEach((g, i) => {
      if (g !== k) return;
      const w = weights ? weights[i]! : 1;
      n++;
      if (yTrue[i] === 1 && yPred[i] === 1) tp += w;
      else if (yTrue[i] === 0 && yPred[i] === 1) fp += w;
      else if (yTrue[i] === 1 && yPred[i] === 0) fn += w;
      else tn += w;
    });
    const all = tp + fp + fn + tn;
    out.set(k, {
      count: n,
      selectionRate: (tp + fp) / all,
      baseRate: (tp + fn) / all,
      tpr: tp / (tp + fn),
      fnr: fn / (tp + fn),
      fpr: fp / (fp + tn),
      tnr: tn / (fp + tn),
      precision: tp / (tp + fp),
      npv: tn / (tn + fn),
      accuracy: (tp + tn) / all,
    });
  }
  return out;
}

const close = (a: number, b: number) => (Number.isNaN(b) ? Number.isNaN(a) : Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)));

describe('groupMetrics', () => {
  it('groupMetrics on a hand-worked case gives the textbook rates', () => {
    // group a: y = [1,1,0,0], ŷ = [1,0,1,0] -> tp 1, fn 1, fp 1, tn 1
    // group b: y = [1,1,1,0], ŷ = [1,1,1,1] -> tp 3, fp 1
    const r = groupMetrics({
      yTrue: [1, 1, 0, 0, 1, 1, 1, 0],
      yPred: [1, 0, 1, 0, 1, 1, 1, 1],
      sensitive: ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'],
      minGroupSize: 1,
    });
    expect(r.value('selectionRate', 'a')).toBe(0.5);
    expect(r.value('selectionRate', 'b')).toBe(1);
    expect(r.value('tpr', 'b')).toBe(1);
    expect(r.value('fpr', 'b')).toBe(1);
    expect(r.value('precision', 'b')).toBe(0.75);
    expect(r.value('npv', 'b')).toBeNaN();
    expect(r.groups[1]!.metrics.npv!.reason).toBe('the group has no negative predictions');
    expect(r.overallValue('selectionRate')).toBe(0.75);
    expect(r.demographicParityDifference()).toBe(0.5);
    expect(r.demographicParityRatio()).toBe(0.5);
    // equalized odds: TPR diff 0.5, FPR diff 0.5
    expect(r.equalizedOddsDifference()).toBe(0.5);
    expect(r.disparateImpact({ reference: 'b' })).toBe(0.5);
    expect(r.difference('selectionRate', { method: 'to_overall' }).value).toBe(0.25);
    expect(r.ratio('selectionRate', { method: 'to_overall' }).value).toBeCloseTo(0.5 / 0.75, 15);
    expect(r.difference('selectionRate', { method: 'to_reference', reference: 'b' }).value).toBe(-0.5);
  });

  it('groupMetrics matches a naive row-by-row reference on random weighted data (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(0, 1), fc.constantFrom(0, 1), fc.constantFrom('x', 'y', 'z'), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 150 }),
        (rows) => {
          const yTrue = rows.map((r) => r[0]);
          const yPred = rows.map((r) => r[1]);
          const groups = rows.map((r) => r[2]);
          const weights = rows.map((r) => r[3] / 2);
          const r = groupMetrics({ yTrue, yPred, sensitive: groups, weights, minGroupSize: 0 });
          const ref = naiveRates(yTrue, yPred, groups, weights);
          expect(r.groups.map((g) => g.label)).toEqual([...ref.keys()]);
          for (const [k, m] of ref) {
            const g = r.groups[r.groupIndex(k)]!;
            expect(g.count).toBe(m.count);
            for (const name of ['selectionRate', 'baseRate', 'tpr', 'fnr', 'fpr', 'tnr', 'precision', 'npv', 'accuracy'] as const) {
              expect(close(g.metrics[name]!.value, m[name]!)).toBe(true);
            }
          }
          const sel = [...ref.values()].map((m) => m.selectionRate!);
          expect(close(r.demographicParityDifference(), Math.max(...sel) - Math.min(...sel))).toBe(true);
        },
      ),
    );
  });

  it("groupMetrics(compat: 'fairlearn') turns 0/0 error rates and precision into 0", () => {
    const input = { yTrue: [1, 1, 0, 0], yPred: [0, 0, 0, 1], sensitive: ['a', 'a', 'b', 'b'], minGroupSize: 0 };
    const strict = groupMetrics(input);
    const fl = groupMetrics({ ...input, compat: 'fairlearn' });
    expect(strict.value('fpr', 'a')).toBeNaN();
    expect(strict.value('tpr', 'b')).toBeNaN();
    expect(strict.value('precision', 'a')).toBeNaN();
    expect(fl.value('fpr', 'a')).toBe(0);
    expect(fl.value('tpr', 'b')).toBe(0);
    expect(fl.value('precision', 'a')).toBe(0);
    // fairlearn's equalized_odds_difference here: TPR {a: 0, b: 0} -> 0; FPR {a: 0, b: 0.5} -> 0.5
    expect(fl.equalizedOddsDifference()).toBe(0.5);
    // without compat the TPR disparity is still defined (group a has positives), FPR too (b has negatives)
    expect(strict.equalOpportunityDifference()).toBe(0);
  });

  it('groupMetrics marks groups below minGroupSize insufficient and disparities resting on them', () => {
    const yTrue = Array.from({ length: 40 }, (_, i) => i % 2);
    const yPred = Array.from({ length: 40 }, (_, i) => (i < 10 ? 1 : i % 3 === 0 ? 1 : 0));
    const sensitive = Array.from({ length: 40 }, (_, i) => (i < 5 ? 'small' : 'big'));
    const r = groupMetrics({ yTrue, yPred, sensitive });
    expect(r.groups.find((g) => g.label === 'small')!.status).toBe('insufficient');
    expect(r.groups.find((g) => g.label === 'big')!.status).toBe('ok');
    const d = r.named('demographicParityDifference');
    expect(d.status).toBe('insufficient');
    expect(d.groups).toContain('small');
    expect(r.warnings[0]).toContain('small');
  });

  it('groupMetrics with several sensitive columns uses their intersection and lists only present combinations', () => {
    const r = groupMetrics({
      yTrue: [1, 0, 1, 0, 1],
      yPred: [1, 0, 0, 0, 1],
      sensitive: { sex: ['f', 'f', 'm', 'm', 'm'], race: ['x', 'y', 'x', 'x', 'x'] },
      minGroupSize: 0,
    });
    expect(r.columns).toEqual(['sex', 'race']);
    expect(r.groups.map((g) => g.group)).toEqual([
      { sex: 'f', race: 'x' },
      { sex: 'f', race: 'y' },
      { sex: 'm', race: 'x' },
    ]);
    expect(r.value('selectionRate', { sex: 'm', race: 'x' })).toBeCloseTo(1 / 3, 15);
  });

  it("groupMetrics keeps missing sensitive values as '(missing)' or drops them with a count", () => {
    const input = { yTrue: [1, 0, 1, 1], yPred: [1, 0, 1, 0], sensitive: ['a', null, 'a', ''], minGroupSize: 0 };
    const kept = groupMetrics(input);
    expect(kept.groups.map((g) => g.label)).toEqual(['a', '(missing)']);
    expect(kept.groups[1]!.count).toBe(2);
    const dropped = groupMetrics({ ...input, missing: 'drop' });
    expect(dropped.groups.map((g) => g.label)).toEqual(['a']);
    expect(dropped.dropped).toBe(2);
    expect(dropped.rows).toBe(4);
    expect(dropped.overall.count).toBe(2);
    expect(dropped.warnings.join(' ')).toContain('2 row(s) dropped');
  });

  it('groupMetrics derives predictions from scores and a threshold (score >= threshold)', () => {
    const r = groupMetrics({ yTrue: [1, 0, 1, 0], yScore: [0.5, 0.49, 0.9, 0.1], threshold: 0.5, sensitive: ['a', 'a', 'b', 'b'], minGroupSize: 0 });
    expect(r.value('selectionRate', 'a')).toBe(0.5);
    expect(r.value('tpr', 'a')).toBe(1);
    expect(r.options.threshold).toBe(0.5);
  });

  it('groupMetrics reads named columns from row objects with a positive label', () => {
    const rows = [
      { outcome: 'good', decision: 'good', sex: 'f' },
      { outcome: 'bad', decision: 'good', sex: 'f' },
      { outcome: 'good', decision: 'bad', sex: 'm' },
      { outcome: 'bad', decision: 'bad', sex: 'm' },
    ];
    const r = groupMetrics({ data: rows, yTrue: 'outcome', yPred: 'decision', sensitive: 'sex', positiveLabel: 'good', minGroupSize: 0 });
    expect(r.columns).toEqual(['sex']);
    expect(r.value('selectionRate', 'f')).toBe(1);
    expect(r.value('tpr', 'm')).toBe(0);
  });

  it('groupMetrics rejects bad input with typed errors that name the column', () => {
    expect(() => groupMetrics({ yTrue: [1, 0], yPred: [1], sensitive: ['a', 'b'] })).toThrow(messages.lengthMismatch('groupMetrics', 'yPred', 2, 1));
    expect(() => groupMetrics({ yTrue: [], yPred: [], sensitive: [] })).toThrow(InputError);
    expect(() => groupMetrics({ data: [{ y: 1, p: 1, s: 'a' }], yTrue: 'y', yPred: 'p', sensitive: 'sex' })).toThrow(
      messages.missingColumn('groupMetrics', 'sex', ['y', 'p', 's']),
    );
    expect(() => groupMetrics({ yTrue: [1, 0], yPred: [1, 0], sensitive: ['a', 'b'], minGroupSize: -1 })).toThrow(
      messages.badOption('groupMetrics', 'minGroupSize', -1, 'an integer >= 0'),
    );
    expect(() => groupMetrics({ yTrue: [1, 0], yPred: [1, 0], yScore: [0.2, 1.2], sensitive: ['a', 'b'] })).toThrow(
      messages.scoreOutOfRange('accumulate', 'yScore', 1, 1.2),
    );
  });
});

describe('named disparities', () => {
  const data = {
    yTrue: [1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 1],
    yPred: [1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 0, 1],
    sensitive: ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'c', 'c', 'c', 'c'],
  };

  it('each named standalone function equals its composition on the result', () => {
    const r = groupMetrics({ ...data, minGroupSize: 0 });
    for (const [name, spec] of Object.entries(NAMED_DISPARITIES)) {
      const fnValue = (named as unknown as Record<string, (o: object) => number>)[name]!(data);
      let expected: number;
      if (spec.metric === 'equalizedOdds') {
        const a = spec.kind === 'difference' ? r.difference('tpr').value : r.ratio('tpr').value;
        const b = spec.kind === 'difference' ? r.difference('fpr').value : r.ratio('fpr').value;
        expected = spec.kind === 'difference' ? Math.max(a, b) : Math.min(a, b);
      } else {
        expected = spec.kind === 'difference' ? r.difference(spec.metric).value : r.ratio(spec.metric).value;
      }
      expect(fnValue).toBe(expected);
    }
    expect(named.disparateImpact({ ...data, reference: 'b' })).toBe(r.ratio('selectionRate', { method: 'to_reference', reference: 'b' }).value);
  });

  it("equalizedOddsDifference(agg: 'mean') averages the TPR and FPR differences", () => {
    const r = groupMetrics({ ...data, minGroupSize: 0 });
    expect(named.equalizedOddsDifference({ ...data, agg: 'mean' })).toBeCloseTo((r.difference('tpr').value + r.difference('fpr').value) / 2, 15);
  });
});

describe('groupMetricsFromSummaries', () => {
  it('gives the same result from merged chunk summaries as from one pass', () => {
    const yTrue = new Uint8Array([1, 0, 1, 1, 0, 0, 1, 0]);
    const yPred = new Uint8Array([1, 1, 0, 1, 0, 1, 1, 0]);
    const sex = ['f', 'm', 'f', 'm', 'f', 'm', 'x', 'x'];
    const whole = groupMetrics({ yTrue, yPred, sensitive: { sex }, minGroupSize: 0 });
    const part = (from: number, to: number) =>
      accumulate({ grouping: encodeGroups(sex.slice(from, to), { column: 'sex' }), yTrue: yTrue.slice(from, to), yPred: yPred.slice(from, to) }).confusion;
    const merged = groupMetricsFromSummaries({ confusion: mergeConfusion(part(0, 3), part(3, 8)), options: { minGroupSize: 0 } });
    expect(merged.groups.map((g) => [g.label, g.metrics.selectionRate!.value, g.metrics.tpr!.value])).toEqual(
      whole.groups.map((g) => [g.label, g.metrics.selectionRate!.value, g.metrics.tpr!.value]),
    );
    expect(merged.disparities().equalizedOddsRatio.value).toBe(whole.disparities().equalizedOddsRatio.value);
  });
});

describe('intervals', () => {
  it('groupMetrics(ci) gives Wilson intervals on rates and seeded bootstrap intervals on disparities', () => {
    const n = 2000;
    const yTrue = Array.from({ length: n }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0);
    const yPred = Array.from({ length: n }, (_, i) => ((i * 13) % 5 < (i % 2 === 0 ? 2 : 3) ? 1 : 0));
    const sensitive = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'a' : 'b'));
    const r1 = groupMetrics({ yTrue, yPred, sensitive, ci: { seed: 3, resamples: 300 } });
    const r2 = groupMetrics({ yTrue, yPred, sensitive, ci: { seed: 3, resamples: 300 } });
    const sel = r1.groups[0]!.metrics.selectionRate!;
    // Wilson by hand: p̂, z = 1.959963984540054
    const z = 1.959963984540054;
    const k = r1.groups[0]!.count;
    const p = sel.value;
    const centre = (p + (z * z) / (2 * k)) / (1 + (z * z) / k);
    const half = (z / (1 + (z * z) / k)) * Math.sqrt((p * (1 - p)) / k + (z * z) / (4 * k * k));
    expect(sel.interval!.low).toBeCloseTo(centre - half, 12);
    expect(sel.interval!.high).toBeCloseTo(centre + half, 12);
    const d1 = r1.named('demographicParityDifference');
    const d2 = r2.named('demographicParityDifference');
    expect(d1.interval).toEqual(d2.interval);
    expect(d1.interval!.low).toBeLessThanOrEqual(d1.value);
    expect(d1.interval!.high).toBeGreaterThanOrEqual(d1.value);
    expect(d1.interval!.seed).toBe(3);
  });
});

describe('disparity edge cases', () => {
  it('disparateImpact is undefined (NaN, with a reason) when the reference group selects nobody', () => {
    const r = groupMetrics({ yTrue: [1, 0, 1, 0], yPred: [1, 1, 0, 0], sensitive: ['a', 'a', 'b', 'b'], minGroupSize: 0, reference: 'b' });
    const d = r.named('disparateImpact');
    expect(d.value).toBeNaN();
    expect(d.status).toBe('undefined');
    expect(d.reason).toContain('reference');
  });
});
