/**
 * Drift reports as text, Markdown and vega-lite specs: pure functions of the report JSON.
 *
 * @example
 * ```ts
 * console.log(formatDriftText(driftReport({ reference, current }).toJSON()));
 * ```
 */
import { InputError, messages } from '../errors.js';
import type { ColumnDrift, DriftReportJSON } from './report.js';

const num = (v: number | null, digits = 3): string =>
  v === null ? '—' : Math.abs(v) >= 10 ** -digits || v === 0 ? v.toFixed(digits) : v.toExponential(1);

const verdict = (c: ColumnDrift): string => (c.status === 'insufficient' ? 'insufficient' : c.drifted ? 'DRIFT' : 'ok');

function rows(json: Pick<DriftReportJSON, 'columns'>): string[][] {
  return json.columns.map((c) => [
    c.column,
    c.type,
    c.test ?? '—',
    verdict(c),
    num(c.psi),
    num(c.jensenShannon),
    num(c.ksStatistic),
    num(c.ksPValue),
    num(c.wassersteinNormed),
    num(c.chiSquarePValue),
    num(c.missingShareCurrent - c.missingShareReference),
    num(c.unseenShare),
  ]);
}
const HEADER = ['column', 'type', 'test', 'verdict', 'psi', 'js', 'ks', 'ks p', 'w/sd', 'chi2 p', 'Δmissing', 'unseen'];

function table(header: string[], body: string[][]): string[] {
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((r) => r[j]!.length)));
  const line = (r: string[]) => r.map((cell, j) => (j < 4 ? cell.padEnd(widths[j]!) : cell.padStart(widths[j]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
}

function summaryLine(json: Omit<DriftReportJSON, 'by'>): string {
  const share = json.driftShare === null ? 'no column could be evaluated' : `${json.driftedColumns.length} of ${json.evaluatedColumns} columns drifted (${(json.driftShare * 100).toFixed(0)}%)`;
  return `${share}; dataset drift: ${json.datasetDrift ? 'YES' : 'no'} (threshold ${json.driftShareThreshold * 100}% of columns)`;
}

/**
 * A readable table: one line per column with the deciding test, the verdict and the main
 * statistics, then the reason behind each verdict.
 *
 * @example
 * ```ts
 * formatDriftText(report.toJSON()).split('\n')[0]; // 'Drift: 10000 reference rows, 10000 current rows'
 * ```
 */
export function formatDriftText(json: DriftReportJSON): string {
  const out = [`Drift: ${json.referenceRows} reference rows, ${json.currentRows} current rows`, '', ...table(HEADER, rows(json)), ''];
  out.push(summaryLine(json), '');
  for (const c of json.columns) out.push(`${c.column}: ${c.reason}`);
  out.push(...approximationLines(json));
  if (json.by) {
    for (const g of json.by.groups) {
      out.push('', `Within ${json.by.column} = ${g.group}: ${g.report.referenceRows} reference rows, ${g.report.currentRows} current rows`, '');
      if (g.report.columns.length) out.push(...table(HEADER, rows(g.report)), '');
      out.push(summaryLine(g.report));
    }
  }
  return out.join('\n');
}

const md = (s: string) => s.replace(/\|/g, '\\|');

const p4 = (x: number) => Number(x.toPrecision(4));

/** The bounds of statistics estimated from an engine's bin counts, one line per column. */
function approximationLines(json: Pick<DriftReportJSON, 'columns'>): string[] {
  const withBounds = json.columns.filter((c) => c.approximation?.ksStatistic);
  if (withBounds.length === 0) return [];
  const out = ['', `Estimated from the engine's bin counts (${withBounds[0]!.approximation!.bins} bins per numeric column); exact values lie within:`];
  for (const c of withBounds) {
    const a = c.approximation!;
    const parts = [`KS [${p4(a.ksStatistic!.lower)}, ${p4(a.ksStatistic!.upper)}]`];
    if (a.wassersteinNormed) parts.push(`W/sd [${p4(a.wassersteinNormed.lower)}, ${p4(a.wassersteinNormed.upper)}]`);
    else if (a.wasserstein) parts.push(`W [${p4(a.wasserstein.lower)}, ${p4(a.wasserstein.upper)}]`);
    out.push(`  ${c.column}: ${parts.join(', ')}`);
  }
  return out;
}

/**
 * GitHub Markdown tables of the report.
 *
 * @example
 * ```ts
 * formatDriftMarkdown(report.toJSON()).startsWith('## Drift'); // true
 * ```
 */
export function formatDriftMarkdown(json: DriftReportJSON): string {
  const tableMd = (body: string[][]) => [`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => ' --- ').join('|')}|`, ...body.map((r) => `| ${r.map(md).join(' | ')} |`)];
  const out = [`## Drift`, '', `${json.referenceRows} reference rows, ${json.currentRows} current rows. ${summaryLine(json)}.`, '', ...tableMd(rows(json)), ''];
  for (const c of json.columns) out.push(`- **${md(c.column)}**: ${md(c.reason)}`);
  out.push(...approximationLines(json).map(md));
  if (json.by) {
    for (const g of json.by.groups) {
      out.push('', `### Within ${md(json.by.column)} = ${md(g.group)}`, '', summaryLine(g.report) + '.', '');
      if (g.report.columns.length) out.push(...tableMd(rows(g.report)));
    }
  }
  return out.join('\n') + '\n';
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * vega-lite: reference and current shares per bin (or category) of one column, side by side.
 *
 * @example
 * ```ts
 * driftHistogramSpec(report.toJSON(), 'income').mark; // undefined (a layered/faceted spec)
 * ```
 */
export function driftHistogramSpec(json: DriftReportJSON, column: string): object {
  const c = json.columns.find((x) => x.column === column);
  if (!c) throw new InputError(messages.missingColumn('driftHistogramSpec', column, json.columns.map((x) => x.column)), 'missingColumn');
  const total = (a: number[]) => a.reduce((s, v) => s + v, 0) || 1;
  const rt = total(c.histogram.reference);
  const ct = total(c.histogram.current);
  const values = c.histogram.bins.flatMap((bin, i) => [
    { bin, order: i, data: 'reference', share: c.histogram.reference[i]! / rt },
    { bin, order: i, data: 'current', share: c.histogram.current[i]! / ct },
  ]);
  return {
    $schema: SCHEMA,
    title: `${column}: reference vs current (${c.test ?? 'no test'}: ${verdict(c)})`,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'bin', type: 'ordinal', sort: { field: 'order' }, title: column },
      xOffset: { field: 'data' },
      y: { field: 'share', type: 'quantitative', title: 'share of rows', axis: { format: '%' } },
      color: { field: 'data', type: 'nominal', title: null },
      tooltip: [{ field: 'data' }, { field: 'bin' }, { field: 'share', format: '.1%' }],
    },
  };
}

/**
 * vega-lite: the deciding statistic of each column relative to its threshold (1 = at the
 * threshold), drifted columns highlighted.
 *
 * @example
 * ```ts
 * (driftScoreSpec(report.toJSON()) as { data: { values: unknown[] } }).data.values.length; // columns evaluated
 * ```
 */
export function driftScoreSpec(json: DriftReportJSON): object {
  const values = json.columns
    .filter((c) => c.status === 'ok' && c.test && c.threshold)
    .map((c) => {
      const effect =
        c.test === 'ks' ? c.ksStatistic : c.test === 'chiSquare' ? c.cramersV : c.test === 'zTest' ? c.cohensH : (c[c.test as 'psi'] as number | null);
      return { column: c.column, test: c.test, score: (effect ?? 0) / c.threshold!, drifted: c.drifted ? 'drift' : 'no drift', reason: c.reason };
    });
  return {
    $schema: SCHEMA,
    title: 'Drift score per column (statistic / threshold)',
    data: { values },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'column', type: 'nominal', sort: '-x', title: null },
          x: { field: 'score', type: 'quantitative', title: 'statistic / threshold' },
          color: { field: 'drifted', type: 'nominal', scale: { domain: ['no drift', 'drift'], range: ['#4c78a8', '#e45756'] }, title: null },
          tooltip: [{ field: 'column' }, { field: 'test' }, { field: 'reason' }],
        },
      },
      { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { x: { datum: 1 } } },
    ],
  };
}
