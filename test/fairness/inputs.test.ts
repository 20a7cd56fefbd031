import { tableFromArrays } from 'apache-arrow';
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/fairness/audit.js';
import { groupMetrics } from '../../src/fairness/group-metrics.js';

const y = [1, 0, 1, 1, 0, 0, 1, 0, 1, 1];
const p = [1, 1, 0, 1, 0, 1, 1, 0, 0, 1];
const s = ['a', 'b', 'a', 'b', 'a', 'b', 'c', 'c', 'a', 'b'];
const score = [0.9, 0.7, 0.2, 0.8, 0.1, 0.6, 0.55, 0.3, 0.4, 0.95];

function fingerprint(r: ReturnType<typeof groupMetrics>) {
  return r.groups.map((g) => [g.label, g.count, g.metrics.selectionRate!.value, g.metrics.tpr!.value, g.metrics.auc?.value]);
}

describe('groupMetrics input adapters', () => {
  const reference = groupMetrics({ yTrue: y, yPred: p, yScore: score, sensitive: s, minGroupSize: 0 });

  it('row objects, column objects, Arrow, arquero and danfo-style frames give the same result as arrays', () => {
    const rows = y.map((_, i) => ({ y: y[i], p: p[i], s: s[i], score: score[i] }));
    const columns = { y, p, s, score };
    const arrow = tableFromArrays({ y: Int32Array.from(y), p: Int32Array.from(p), s, score: Float64Array.from(score) });
    const arq = aq.table(columns);
    const danfo = {
      columns: ['y', 'p', 's', 'score'],
      shape: [y.length, 4],
      column: (name: string) => ({ values: (columns as Record<string, unknown[]>)[name] }),
    };
    for (const data of [rows, columns, arrow, arq, danfo]) {
      const r = groupMetrics({ data, yTrue: 'y', yPred: 'p', yScore: 'score', sensitive: 's', minGroupSize: 0 });
      expect(fingerprint(r)).toEqual(fingerprint(reference));
      expect(r.columns).toEqual(['s']);
    }
  });

  it('typed arrays and booleans give the same result as plain 0/1 arrays', () => {
    const r = groupMetrics({
      yTrue: y.map((v) => v === 1),
      yPred: Uint8Array.from(p),
      yScore: Float64Array.from(score),
      sensitive: s,
      minGroupSize: 0,
    });
    expect(fingerprint(r)).toEqual(fingerprint(reference));
  });
});

describe('display', () => {
  it('a result displays itself in notebooks as HTML, vega-lite and text', () => {
    const r = groupMetrics({ yTrue: y, yPred: p, sensitive: s, minGroupSize: 0, ci: { resamples: 50 } });
    const bundle = (r as unknown as Record<symbol, () => Record<string, unknown>>)[Symbol.for('Jupyter.display')]!();
    expect(bundle['text/html']).toContain('<table');
    expect((bundle['application/vnd.vegalite.v6+json'] as { $schema: string }).$schema).toContain('vega-lite/v6');
    expect(bundle['text/plain']).toBe(String(r));
    const a = audit({ yTrue: y, yPred: p, sensitive: { s, t: s.map((v) => v === 'a') }, minGroupSize: 0 });
    const ab = (a as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for('Jupyter.display')]!();
    // two attribute sets, each with a groups table and a disparities table
    expect(ab['text/html']!.match(/<table/g)!.length).toBe(4);
  });

  it('toJSON writes null for undefined values and keeps the reason', () => {
    const r = groupMetrics({ yTrue: [0, 0, 1], yPred: [0, 1, 1], sensitive: ['a', 'a', 'b'], minGroupSize: 0 });
    const json = JSON.parse(JSON.stringify(r));
    expect(json.groups[0].tpr).toBeNull();
    expect(json.groups[0].undefinedReasons.tpr).toBe('the group has no positive labels');
    expect(json.disparities.attributes).toEqual(['sensitive']);
  });
});
