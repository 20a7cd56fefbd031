import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { messages } from '../../src/errors.js';
import { driftReport } from '../../src/drift/report.js';

async function render(spec: object): Promise<{ svg: string; view: vega.View }> {
  const view = new vega.View(vega.parse(compile(spec as TopLevelSpec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  return { svg, view };
}

const reference = { x: Array.from({ length: 400 }, (_, i) => (i % 40) / 4), c: Array.from({ length: 400 }, (_, i) => ['a', 'b', 'c'][i % 3]!) };
const current = { x: Array.from({ length: 400 }, (_, i) => (i % 40) / 4 + 3), c: Array.from({ length: 400 }, (_, i) => ['a', 'b', 'c'][i % 3]!) };

describe('drift charts and tables', () => {
  it('histogramChart(column) compiles and renders a bar per bin and side', async () => {
    const r = driftReport({ reference, current });
    const spec = r.histogramChart('x') as { data: { values: { share: number }[] } };
    const { svg } = await render(spec);
    expect(svg).toContain('<svg');
    const bins = r.columns[0]!.histogram.bins.length;
    expect(spec.data.values.length).toBe(2 * bins);
    // shares of each side sum to 1
    const total = spec.data.values.reduce((s, v) => s + v.share, 0);
    expect(total).toBeCloseTo(2, 12);
  });

  it('scoreChart() compiles and has one bar per evaluated column', async () => {
    const r = driftReport({ reference, current });
    const spec = r.scoreChart() as { data: { values: { column: string; drifted: string }[] } };
    const { svg } = await render(spec);
    expect(svg).toContain('<svg');
    expect(spec.data.values.map((v) => [v.column, v.drifted])).toEqual([
      ['x', 'drift'],
      ['c', 'no drift'],
    ]);
  });

  it('histogramChart(unknown column) throws naming it', () => {
    const r = driftReport({ reference, current });
    expect(() => r.histogramChart('nope')).toThrow(messages.missingColumn('driftHistogramSpec', 'nope', ['x', 'c']));
  });

  it('the text table marks drifted columns and gives the reason of every verdict', () => {
    const r = driftReport({ reference, current });
    const text = String(r);
    expect(text).toMatch(/^x\s+numeric\s+ks\s+DRIFT/m);
    expect(text).toMatch(/^c\s+categorical\s+chiSquare\s+ok/m);
    expect(text).toContain('x: KS statistic');
    expect(r.toMarkdown()).toContain('| x | numeric | ks | DRIFT |');
  });
});
