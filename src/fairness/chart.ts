/**
 * `metricChartSpec`: a Vega-Lite v6 chart of one metric across groups, built from a result's
 * JSON document (pure; the spec carries its data inline, so it renders anywhere Vega-Lite runs:
 * notebooks, the Vega editor, `vega-lite`'s `compile` + `vega`'s `View`).
 *
 * Layers, sharing a y axis with one row per group in the document's order:
 * 1. a horizontal bar per group with a defined value, coloured by status (grey when the group has
 *    fewer than `minGroupSize` rows: shown, but no verdict rests on it);
 * 2. a rule from `low` to `high` for groups with an interval (Wilson, when the result was computed
 *    with `ci`);
 * 3. the text `undefined` at 0 for groups whose value is null (no bar), the reason in its tooltip;
 * 4. a dashed rule at the overall value.
 *
 * Each datum is `{ label, value, low, high, count, status, valueText, intervalText, note }`; the
 * tooltip shows the group, value, interval, count, status and note (the undefined reason).
 *
 * @example
 * ```ts
 * import { compile } from 'vega-lite';
 * import * as vega from 'vega';
 * const spec = metricChartSpec(r.toJSON(), 'tpr', { title: 'Recall by sex' });
 * const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
 * const svg = await view.toSVG(); // '<svg ...'
 * ```
 */
import type { TopLevelSpec } from 'vega-lite';
import { InputError, messages } from '../errors.js';
import { formatNumber, metricTitle, resultMetricNames } from './format.js';
import type { GroupMetricsJSON } from './result.js';

/** Options of {@link metricChartSpec}. */
export interface MetricChartOptions {
  /** Chart title (default: the metric's title and the attributes). */
  title?: string;
  /** Plot width in pixels (default 400). */
  width?: number;
  /** Decimals in tooltips (default 3). */
  digits?: number;
}

/** One datum of the chart: a group. */
export interface MetricChartDatum {
  label: string;
  value: number | null;
  low: number | null;
  high: number | null;
  count: number;
  status: 'ok' | 'insufficient';
  valueText: string;
  intervalText: string;
  note: string;
}

/** Metrics whose values (and intervals) lie in [0, 1]: their axis spans [0, 1]. */
const UNIT_METRICS = new Set(['selectionRate', 'baseRate', 'tpr', 'fnr', 'fpr', 'tnr', 'precision', 'npv', 'accuracy', 'auc', 'brier', 'ece', 'mce']);

const BAR_COLOR = '#4c78a8';
const INSUFFICIENT_COLOR = '#b9b9b9';

/**
 * Per-group data of one metric: the inline data of {@link metricChartSpec}.
 * @example `metricChartData(r.toJSON(), 'tpr')[0] // { label: 'female', value: 0.5, low: 0.37, ... }`
 */
export function metricChartData(json: GroupMetricsJSON, metric: string, digits = 3, fn = 'metricChartData'): MetricChartDatum[] {
  const available = resultMetricNames(json);
  if (!available.includes(metric)) throw new InputError(messages.unknownMetric(fn, metric, available), 'unknownMetric', { metric });
  const minGroupSize = json.options?.minGroupSize ?? 0;
  return json.groups.map((g): MetricChartDatum => {
    const raw = g[metric];
    const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
    const iv = value === null ? undefined : g.intervals?.[metric];
    const low = iv?.low ?? null;
    const high = iv?.high ?? null;
    let note = '';
    if (value === null) note = `undefined: ${g.undefinedReasons?.[metric] ?? (raw === undefined ? 'not computed' : 'no reason recorded')}`;
    else if (g.status === 'insufficient') note = `fewer than ${minGroupSize} rows: shown, but no verdict`;
    return {
      label: g.label,
      value,
      low,
      high,
      count: g.count,
      status: g.status,
      valueText: formatNumber(value, digits),
      intervalText: iv ? `[${formatNumber(low, digits)}, ${formatNumber(high, digits)}] ${iv.method} ${+(iv.confidence * 100).toFixed(2)}%` : '',
      note,
    };
  });
}

/**
 * A Vega-Lite v6 spec of `metric` per group: bars, interval rules, the overall value as a dashed
 * rule, insufficient groups in grey, undefined groups labelled without a bar. Throws `InputError`
 * (`messages.unknownMetric`) when the result has no such metric. See the module doc for the layers.
 *
 * @example
 * ```ts
 * const spec = metricChartSpec(r.toJSON(), 'selectionRate', { width: 300 });
 * spec.$schema; // 'https://vega.github.io/schema/vega-lite/v6.json'
 * ```
 */
export function metricChartSpec(json: GroupMetricsJSON, metric: string, options: MetricChartOptions = {}): TopLevelSpec {
  const fn = 'metricChartSpec';
  const width = options.width ?? 400;
  if (!(Number.isFinite(width) && width > 0)) {
    throw new InputError(messages.badOption(fn, 'width', width, 'a positive number of pixels'), 'badOption', { option: 'width' });
  }
  const digits = options.digits ?? 3;
  const values = metricChartData(json, metric, digits, fn);
  const rawOverall = (json.overall as Record<string, unknown>)[metric];
  const overall = typeof rawOverall === 'number' && Number.isFinite(rawOverall) ? rawOverall : null;
  const minGroupSize = json.options?.minGroupSize ?? 0;
  const labels = values.map((d) => d.label);
  const hasIntervals = values.some((d) => d.low !== null && d.high !== null);

  const inUnit = (v: number | null): boolean => v === null || (v >= 0 && v <= 1);
  const unit = UNIT_METRICS.has(metric) && values.every((d) => inUnit(d.value) && inUnit(d.low) && inUnit(d.high)) && inUnit(overall);
  const x = {
    type: 'quantitative' as const,
    title: metricTitle(metric),
    ...(unit ? { scale: { domain: [0, 1] } } : {}),
  };
  const y = { field: 'label', type: 'nominal' as const, title: json.attributes?.join(' × ') || 'group', sort: labels };
  const tooltip = [
    { field: 'label', type: 'nominal' as const, title: 'group' },
    { field: 'valueText', type: 'nominal' as const, title: metric },
    ...(hasIntervals ? [{ field: 'intervalText', type: 'nominal' as const, title: 'interval' }] : []),
    { field: 'count', type: 'quantitative' as const, title: 'rows' },
    { field: 'status', type: 'nominal' as const, title: 'status' },
    { field: 'note', type: 'nominal' as const, title: 'note' },
  ];

  const subtitle: string[] = [];
  if (overall !== null) subtitle.push(`dashed line: overall ${formatNumber(overall, digits)}`);
  if (values.some((d) => d.status === 'insufficient')) subtitle.push(`grey: fewer than ${minGroupSize} rows`);
  if (values.some((d) => d.value === null)) subtitle.push('undefined values have no bar');

  const layer: NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']> = [
    {
      transform: [{ filter: 'isValid(datum.value)' }],
      mark: { type: 'bar' },
      encoding: {
        x: { ...x, field: 'value' },
        y,
        color: {
          field: 'status',
          type: 'nominal',
          title: 'status',
          scale: { domain: ['ok', 'insufficient'], range: [BAR_COLOR, INSUFFICIENT_COLOR] },
          legend: { labelExpr: `datum.label === 'insufficient' ? 'insufficient (< ${minGroupSize} rows)' : datum.label` },
        },
        tooltip,
      },
    },
  ];
  if (hasIntervals) {
    layer.push({
      transform: [{ filter: 'isValid(datum.value) && isValid(datum.low) && isValid(datum.high)' }],
      mark: { type: 'rule', color: 'black', strokeWidth: 1.5 },
      encoding: { x: { ...x, field: 'low' }, x2: { field: 'high' }, y, tooltip },
    });
  }
  if (values.some((d) => d.value === null)) {
    layer.push({
      transform: [{ filter: '!isValid(datum.value)' }],
      mark: { type: 'text', align: 'left', dx: 3, color: '#767676', fontStyle: 'italic' },
      encoding: { x: { ...x, datum: 0 }, y, text: { value: 'undefined' }, tooltip },
    });
  }
  if (overall !== null) {
    layer.push({
      data: { values: [{ value: overall, valueText: formatNumber(overall, digits), count: json.overall.count }] },
      mark: { type: 'rule', color: 'black', strokeDash: [4, 3] },
      encoding: {
        x: { ...x, field: 'value' },
        tooltip: [
          { field: 'valueText', type: 'nominal', title: `overall ${metric}` },
          { field: 'count', type: 'quantitative', title: 'rows' },
        ],
      },
    });
  }

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: options.title ?? `${metricTitle(metric)} by ${json.attributes?.join(' × ') || 'group'}`,
      ...(subtitle.length ? { subtitle: subtitle.join(' · ') } : {}),
    },
    width,
    height: { step: 22 },
    data: { values: values as unknown as Record<string, unknown>[] },
    layer,
  };
}
