import { describe, expect, it } from 'vitest';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { InputError, messages } from '../../src/errors.js';
import { metricChartData, metricChartSpec } from '../../src/fairness/chart.js';
import { JUPYTER_DISPLAY, jupyterDisplay } from '../../src/fairness/display.js';
import { formatResultHTML, formatResultText } from '../../src/fairness/format.js';
import type { DisparityJSON, GroupJSON, GroupMetricsJSON, NamedDisparity } from '../../src/fairness/result.js';

// Hand-worked groups (cells [tn, fp, fn, tp]):
//   a  [36, 6, 9, 9]  n=60  selectionRate 15/60 = 0.25, tpr 9/18 = 0.5
//   b  [20, 5, 5, 20] n=50  selectionRate 25/50 = 0.5,  tpr 20/25 = 0.8
//   c  [4, 4, 0, 0]   n=8   selectionRate 4/8 = 0.5,    tpr undefined (no positive labels); insufficient
//   overall n=118: selectionRate 44/118, tpr 29/43
const NO_POSITIVES = 'the group has no positive labels';
const RATE_KEYS = ['selectionRate', 'tpr'];

function group(label: string, count: number, status: 'ok' | 'insufficient', selectionRate: number, tpr: number | null, extra: Partial<GroupJSON> = {}): GroupJSON {
  return { group: { g: label }, label, count, weight: count, status, selectionRate, tpr, ...extra };
}

function fixture(): GroupMetricsJSON {
  const d = (metric: string, value: number | null, groups: string[]): DisparityJSON => ({
    metric,
    kind: 'difference',
    method: 'between_groups',
    value,
    groups,
    status: 'ok',
  });
  const details = { demographicParityDifference: d('selectionRate', 0.25, ['a', 'b']), equalOpportunityDifference: d('tpr', 0.3, ['a', 'b']) };
  return {
    kind: 'fairwatch.groupMetrics',
    version: 1,
    attributes: ['g'],
    rows: 118,
    dropped: 0,
    options: {
      compat: 'fairwatch',
      minGroupSize: 30,
      missing: 'group',
      nBins: 10,
      binStrategy: 'uniform',
      positiveLabel: 1,
      columns: { yTrue: 'y', yPred: 'p' },
      ci: null,
    },
    reference: null,
    overall: { count: 118, weight: 118, selectionRate: 44 / 118, tpr: 29 / 43 },
    groups: [
      group('a', 60, 'ok', 0.25, 0.5, { intervals: { selectionRate: { low: 0.158, high: 0.372, method: 'wilson', confidence: 0.95 } } }),
      group('b', 50, 'ok', 0.5, 0.8),
      group('c', 8, 'insufficient', 0.5, null, { undefinedReasons: { tpr: NO_POSITIVES } }),
    ],
    disparities: { attributes: ['g'], demographicParityDifference: 0.25, equalOpportunityDifference: 0.3 } as GroupMetricsJSON['disparities'],
    disparityDetails: details as Record<NamedDisparity, DisparityJSON>,
    summaries: { confusion: {} },
    warnings: [],
  };
}

interface SceneNode {
  marktype?: string;
  role?: string;
  name?: string;
  items?: SceneNode[];
  fill?: string;
  text?: string;
}

/** Renders a Vega-Lite spec headless; returns the SVG and the items of the data marks (role 'mark', not axes or legends) by mark type. */
async function render(spec: ReturnType<typeof metricChartSpec>): Promise<{ svg: string; items: Record<string, SceneNode[]> }> {
  const compiled = compile(spec);
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  const svg = await view.toSVG();
  const items: Record<string, SceneNode[]> = {};
  const walk = (node: SceneNode): void => {
    if (node.marktype && node.role === 'mark' && node.items) (items[node.marktype] ??= []).push(...node.items);
    for (const child of node.items ?? []) walk(child);
  };
  walk((view.scenegraph() as unknown as { root: SceneNode }).root);
  view.finalize();
  return { svg, items };
}

describe('metricChartSpec', () => {
  it('metricChartSpec(json, metric) is a Vega-Lite v6 spec with one inline datum per group', () => {
    const spec = metricChartSpec(fixture(), 'tpr') as { $schema: string; data: { values: unknown[] }; width: number };
    expect(spec.$schema).toBe('https://vega.github.io/schema/vega-lite/v6.json');
    expect(spec.width).toBe(400);
    expect(spec.data.values).toEqual(metricChartData(fixture(), 'tpr'));
    expect(metricChartData(fixture(), 'tpr')).toEqual([
      { label: 'a', value: 0.5, low: null, high: null, count: 60, status: 'ok', valueText: '0.500', intervalText: '', note: '' },
      { label: 'b', value: 0.8, low: null, high: null, count: 50, status: 'ok', valueText: '0.800', intervalText: '', note: '' },
      {
        label: 'c',
        value: null,
        low: null,
        high: null,
        count: 8,
        status: 'insufficient',
        valueText: '—',
        intervalText: '',
        note: `undefined: ${NO_POSITIVES}`,
      },
    ]);
  });

  it('metricChartSpec(json, "selectionRate") compiles and renders one bar per group, the insufficient one grey, with the interval and overall rules', async () => {
    const spec = metricChartSpec(fixture(), 'selectionRate', { title: 'Selection <rate>' });
    const { svg, items } = await render(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Selection &lt;rate&gt;');
    expect(items.rect!.length).toBe(3);
    expect(items.rect!.map((r) => r.fill)).toEqual(['#4c78a8', '#4c78a8', '#b9b9b9']);
    // one interval rule (group a) + one overall rule
    expect(items.rule!.length).toBe(2);
    expect(metricChartData(fixture(), 'selectionRate')[0]!.intervalText).toBe('[0.158, 0.372] wilson 95%');
  });

  it('metricChartSpec(json, "tpr") draws no bar for a null value but labels it "undefined" with the reason in the tooltip', async () => {
    const { svg, items } = await render(metricChartSpec(fixture(), 'tpr', { width: 300 }));
    expect(svg).toContain('<svg');
    expect(items.rect!.length).toBe(2);
    const texts = items.text!.map((t) => t.text);
    expect(texts).toEqual(['undefined']);
    expect(items.rule!.length).toBe(1); // overall only: no intervals
  });

  it('metricChartSpec(json, metric) throws InputError with messages.unknownMetric for a metric the result lacks', () => {
    expect(() => metricChartSpec(fixture(), 'auc')).toThrowError(InputError);
    expect(() => metricChartSpec(fixture(), 'auc')).toThrowError(messages.unknownMetric('metricChartSpec', 'auc', RATE_KEYS));
  });
});

describe('jupyterDisplay', () => {
  it('jupyterDisplay(json, metric) returns the HTML, Vega-Lite and text MIME bundle', () => {
    const json = fixture();
    const bundle = jupyterDisplay(json, 'tpr');
    expect(Object.keys(bundle)).toEqual(['text/html', 'application/vnd.vegalite.v6+json', 'text/plain']);
    expect(bundle['text/html']).toBe(formatResultHTML(json));
    expect(bundle['text/plain']).toBe(formatResultText(json));
    expect(bundle['application/vnd.vegalite.v6+json']).toEqual(metricChartSpec(json, 'tpr'));
    expect(JUPYTER_DISPLAY).toBe(Symbol.for('Jupyter.display'));
    expect(jupyterDisplay(json)['application/vnd.vegalite.v6+json']).toEqual(metricChartSpec(json, 'selectionRate'));
  });
});
