/**
 * The report's charts as Vega-Lite v6 specs with inline data, and their rendering to SVG without
 * a browser (`vega-lite` compile, then a `vega` View with `renderer: 'none'` and `toSVG()`).
 *
 * Data values (group names, column names) only ever appear as data or plain title strings —
 * never as field names or expressions — so Vega draws them as text, and its SVG writer escapes
 * them (`<` becomes `&lt;`).
 *
 * @example
 * ```ts
 * const spec = ratesChartSpec(section);          // selection rate, TPR and FPR by group, with interval bars
 * const svg = await renderChartSVG(spec);        // '<svg class="marks" ...'
 * ```
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { EngineError, messages } from '../errors.js';
import type { CalibrationDetail } from '../fairness/result.js';
import type { AttributeSection, TrendSeries } from './types.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const OK_COLOR = '#4c78a8';
const INSUFFICIENT_COLOR = '#b9b9b9';

/**
 * The metrics of the rates chart, in order.
 *
 * @example
 * ```ts
 * RATE_CHART_METRICS; // ['selectionRate', 'tpr', 'fpr']
 * ```
 */
export const RATE_CHART_METRICS = ['selectionRate', 'tpr', 'fpr'] as const;

const RATE_TITLES: Record<string, string> = { selectionRate: 'selection rate', tpr: 'true positive rate (TPR)', fpr: 'false positive rate (FPR)' };

/**
 * Selection rate, TPR and FPR by group, one panel per metric: a bar per group (grey when the
 * group is below the minimum size), a black rule from the interval's low to high, and the word
 * `undefined` where the rate is undefined.
 *
 * @example
 * ```ts
 * const spec = ratesChartSpec(model.attributes[0]);
 * (spec.data as { values: unknown[] }).values.length; // groups × 3
 * ```
 */
export function ratesChartSpec(section: AttributeSection): Record<string, unknown> {
  const metrics = RATE_CHART_METRICS.filter((m) => section.metrics.includes(m));
  const values = metrics.flatMap((metric) =>
    section.groups.map((g) => {
      const v = g.values[metric];
      return {
        group: g.label,
        metric: RATE_TITLES[metric],
        value: v?.value ?? null,
        low: v?.low ?? null,
        high: v?.high ?? null,
        status: g.status,
        count: g.count,
      };
    }),
  );
  const labels = section.groups.map((g) => g.label);
  const attr = section.attributes.join(' × ') || 'group';
  const x = { type: 'quantitative' as const, title: null, scale: { domain: [0, 1] } };
  const y = { field: 'group', type: 'nominal' as const, title: attr, sort: labels };
  const tooltip = [
    { field: 'group', type: 'nominal', title: 'group' },
    { field: 'metric', type: 'nominal', title: 'metric' },
    { field: 'value', type: 'quantitative', format: '.3f' },
    { field: 'low', type: 'quantitative', format: '.3f' },
    { field: 'high', type: 'quantitative', format: '.3f' },
    { field: 'count', type: 'quantitative', title: 'rows' },
  ];
  const spec = {
    $schema: SCHEMA,
    title: { text: `Selection rate, TPR and FPR by ${attr}`, subtitle: 'black rule: 95% Wilson interval; grey: fewer rows than the minimum group size' },
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: metrics.map((m) => RATE_TITLES[m]) } },
    spec: {
      width: 180,
      height: { step: 20 },
      layer: [
        {
          transform: [{ filter: 'isValid(datum.value)' }],
          mark: { type: 'bar' },
          encoding: {
            x: { ...x, field: 'value' },
            y,
            color: { field: 'status', type: 'nominal', title: 'status', scale: { domain: ['ok', 'insufficient'], range: [OK_COLOR, INSUFFICIENT_COLOR] } },
            tooltip,
          },
        },
        {
          transform: [{ filter: 'isValid(datum.value) && isValid(datum.low) && isValid(datum.high)' }],
          mark: { type: 'rule', color: 'black', strokeWidth: 1.5 },
          encoding: { x: { ...x, field: 'low' }, x2: { field: 'high' }, y },
        },
        {
          transform: [{ filter: '!isValid(datum.value)' }],
          mark: { type: 'text', align: 'left', dx: 3, color: '#767676', fontStyle: 'italic' },
          encoding: { x: { ...x, datum: 0 }, y, text: { value: 'undefined' } },
        },
      ],
    },
  };
  return spec;
}

/**
 * The reliability diagram of an attribute set: per group, the fraction of positives against the
 * mean predicted score in each calibration bin (points sized by rows), and the diagonal of perfect
 * calibration.
 *
 * @example
 * ```ts
 * const spec = reliabilityChartSpec(['sex'], json.calibration!);
 * (spec.layer as unknown[]).length; // 2 (diagonal, curves)
 * ```
 */
export function reliabilityChartSpec(attributes: readonly string[], calibration: CalibrationDetail): Record<string, unknown> {
  const values = calibration.groups.flatMap((g) =>
    g.curve.map((p) => ({ group: g.label, meanPredicted: p.meanPredicted, fractionPositive: p.fractionPositive, count: p.count })),
  );
  const attr = attributes.join(' × ') || 'group';
  const unit = { type: 'quantitative' as const, scale: { domain: [0, 1] } };
  return {
    $schema: SCHEMA,
    title: { text: `Reliability diagram by ${attr}`, subtitle: `${calibration.nBins} ${calibration.strategy} bins; dashed: perfect calibration` },
    width: 320,
    height: 320,
    layer: [
      {
        data: { values: [{ p: 0 }, { p: 1 }] },
        mark: { type: 'line', color: '#767676', strokeDash: [4, 3] },
        encoding: { x: { ...unit, field: 'p', title: 'mean predicted score' }, y: { ...unit, field: 'p', title: 'fraction of positives' } },
      },
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: { ...unit, field: 'meanPredicted', title: 'mean predicted score' },
          y: { ...unit, field: 'fractionPositive', title: 'fraction of positives' },
          color: { field: 'group', type: 'nominal', title: attr },
          tooltip: [
            { field: 'group', type: 'nominal' },
            { field: 'meanPredicted', type: 'quantitative', format: '.3f' },
            { field: 'fractionPositive', type: 'quantitative', format: '.3f' },
            { field: 'count', type: 'quantitative', title: 'rows' },
          ],
        },
      },
    ],
  };
}

/**
 * A metric's history over runs: one line per scope (attribute set or drift column), points at
 * each run's time.
 *
 * @example
 * ```ts
 * const spec = trendChartSpec('disparateImpact', series.filter((s) => s.metric === 'disparateImpact'));
 * (spec.data as { values: unknown[] }).values.length; // one per point
 * ```
 */
export function trendChartSpec(metric: string, series: readonly TrendSeries[]): Record<string, unknown> {
  const values = series.flatMap((s) => s.points.map((p) => ({ scope: s.scope, time: p.time, value: p.value, status: p.status, run: p.runId })));
  return {
    $schema: SCHEMA,
    title: { text: `${metric} over runs` },
    width: 420,
    height: 200,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'time', type: 'temporal', title: 'run time' },
      y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
      color: { field: 'scope', type: 'nominal', title: 'scope' },
      tooltip: [
        { field: 'scope', type: 'nominal' },
        { field: 'run', type: 'nominal' },
        { field: 'value', type: 'quantitative', format: '.3f' },
        { field: 'status', type: 'nominal' },
      ],
    },
  };
}

/**
 * Render a Vega-Lite spec to an SVG string without a browser, ready to inline in HTML: the XML
 * namespace declarations are dropped (an HTML parser puts `<svg>` in the SVG namespace itself), so
 * the markup holds no URL at all. Throws `EngineError` ('chartRenderFailed') when Vega fails.
 *
 * @example
 * ```ts
 * const svg = await renderChartSVG({ data: { values: [{ a: 'x', b: 1 }] }, mark: 'bar',
 *   encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } } });
 * svg.startsWith('<svg'); // true
 * svg.includes('http');   // false
 * ```
 */
export async function renderChartSVG(spec: Record<string, unknown>, name = 'chart'): Promise<string> {
  let view: vega.View | undefined;
  try {
    const compiled = compile(spec as unknown as TopLevelSpec).spec;
    view = new vega.View(vega.parse(compiled), { renderer: 'none' });
    const svg = await view.toSVG();
    return svg.replace(/^<svg([^>]*)>/, (_, attrs: string) => `<svg${attrs.replace(/\s+xmlns(:\w+)?="[^"]*"/g, '')}>`);
  } catch (err) {
    throw new EngineError(messages.chartRenderFailed('renderChartSVG', name, (err as Error)?.message ?? String(err)), 'chartRenderFailed', { chart: name });
  } finally {
    view?.finalize();
  }
}
