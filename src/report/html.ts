/**
 * Shared pieces of the HTML writers: the self-contained page shell (inline CSS, a Content
 * Security Policy that allows no network request and no script at all), tables whose every cell is
 * escaped, and inline SVG figures rendered without a browser.
 *
 * @example
 * ```ts
 * const html = htmlDocument('Report', `<h1>${escapeHTML(title)}</h1>` + htmlTable(['group'], [['<b>x</b>']]));
 * html.includes('&lt;b&gt;x&lt;/b&gt;'); // true
 * ```
 */
import { escapeHTML } from './escape.js';
import { renderChartSVG } from './charts.js';
import type { ReportChart } from './types.js';

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2328; background: #f6f8fa; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; } p { margin: 6px 0; }
.meta { color: #57606a; font-size: 13px; }
nav ul { columns: 3; padding-left: 18px; margin: 8px 0; }
div.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.insufficient td { color: #6e7781; background: #f6f8fa; }
.verdict { display: inline-block; padding: 4px 12px; border-radius: 4px; font-weight: 700; color: #fff; background: #6e7781; }
.v-fail { background: #cf222e; } .v-warn { background: #9a6700; } .v-pass { background: #1a7f37; } .v-insufficient { background: #6e7781; }
.status-fail { color: #cf222e; font-weight: 600; } .status-warn { color: #9a6700; font-weight: 600; } .status-pass { color: #1a7f37; }
figure.chart { margin: 12px 0; padding: 8px; border: 1px solid #d0d7de; border-radius: 4px; overflow-x: auto; }
figure.chart figcaption { font-size: 12px; color: #57606a; margin-top: 4px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
.note { background: #fff8c5; border: 1px solid #d4a72c; padding: 6px 10px; border-radius: 4px; }
@media print { body { background: #fff; } main { padding: 0; } figure.chart, table { break-inside: avoid; } nav { display: none; } }
`;

/**
 * A complete, self-contained HTML page: inline CSS, no script, and a Content Security Policy
 * (`default-src 'none'`) under which the browser makes no request at all. `body` must already be
 * escaped HTML.
 *
 * @example
 * ```ts
 * htmlDocument('T', '<p>x</p>').startsWith('<!doctype html>'); // true
 * ```
 */
export function htmlDocument(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="fairwatch">',
    `<title>${escapeHTML(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body><main>',
    body,
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
}

/** A table cell: text (escaped), or `{ html }` already escaped, optionally numeric or with a class. */
export type HtmlCell = string | number | null | { html: string; num?: boolean; cls?: string };

/**
 * An HTML table; text cells are escaped, `{ html }` cells are trusted (already escaped) markup.
 *
 * @example
 * ```ts
 * htmlTable(['a'], [['<x>']]); // '<div class="table-wrap"><table><thead><tr><th>a</th></tr></thead><tbody><tr><td>&lt;x&gt;</td></tr></tbody></table></div>'
 * ```
 */
export function htmlTable(header: readonly string[], rows: readonly (readonly HtmlCell[])[], rowClass?: (i: number) => string | undefined): string {
  const cell = (c: HtmlCell) => {
    if (c !== null && typeof c === 'object') return `<td${c.num ? ' class="num"' : c.cls ? ` class="${escapeHTML(c.cls)}"` : ''}>${c.html}</td>`;
    return typeof c === 'number' ? `<td class="num">${escapeHTML(c)}</td>` : `<td>${escapeHTML(c ?? '—')}</td>`;
  };
  const body = rows.map((r, i) => {
    const cls = rowClass?.(i);
    return `<tr${cls ? ` class="${escapeHTML(cls)}"` : ''}>${r.map(cell).join('')}</tr>`;
  });
  return `<div class="table-wrap"><table><thead><tr>${header.map((h) => `<th>${escapeHTML(h)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table></div>`;
}

/**
 * A chart as a figure with its SVG inline (rendered without a browser) and an escaped caption.
 *
 * @example
 * ```ts
 * (await chartFigure(model.charts[0])).startsWith('<figure class="chart"'); // true
 * ```
 */
export async function chartFigure(chart: ReportChart): Promise<string> {
  const svg = await renderChartSVG(chart.spec, chart.id);
  return `<figure class="chart" id="${escapeHTML(chart.id)}" data-kind="${escapeHTML(chart.kind)}"><div role="img" aria-label="${escapeHTML(chart.description)}">${svg}</div><figcaption>${escapeHTML(chart.title)}</figcaption></figure>`;
}

/**
 * A number for display: `digits` decimals, exponent for tiny values, '—' for null.
 *
 * @example
 * ```ts
 * fmtNumber(0.51234);  // '0.512'
 * fmtNumber(null);     // '—'
 * fmtNumber(0.00001);  // '1.0e-5'
 * ```
 */
export function fmtNumber(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v !== 0 && Math.abs(v) < 10 ** -digits) return v.toExponential(1);
  return v.toFixed(digits);
}

/**
 * A value with its interval: `0.512 [0.490, 0.534]`, or the value alone.
 *
 * @example
 * ```ts
 * fmtInterval({ value: 0.5, low: 0.4, high: 0.6 }); // '0.500 [0.400, 0.600]'
 * fmtInterval({ value: null, low: null, high: null }); // '—'
 * ```
 */
export function fmtInterval(v: { value: number | null; low: number | null; high: number | null } | undefined, digits = 3): string {
  if (!v || v.value === null) return '—';
  return v.low !== null && v.high !== null ? `${fmtNumber(v.value, digits)} [${fmtNumber(v.low, digits)}, ${fmtNumber(v.high, digits)}]` : fmtNumber(v.value, digits);
}
