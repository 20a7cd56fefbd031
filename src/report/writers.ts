/**
 * The report writers: pure functions of the {@link ReportModel} that return strings — JSON (valid
 * against `reports/schema/report.schema.json`), Markdown, and a self-contained HTML page whose
 * charts are inline SVG rendered without a browser (the only async step). `reportFiles` gives
 * all three with their file names, for the evidence pack and `fairwatch report --out`.
 *
 * Every value that came from data is escaped: `escapeHTML` in HTML (Vega escapes the SVG text it
 * draws), `escapeMarkdown` in Markdown.
 *
 * @example
 * ```ts
 * const model = await buildReport({ store });
 * const files = await reportFiles(model); // { 'report.json': '{…', 'report.md': '# …', 'report.html': '<!doctype html>…' }
 * ```
 */
import { escapeHTML, escapeMarkdown as md } from './escape.js';
import { chartFigure, fmtInterval, fmtNumber, htmlDocument, htmlTable, type HtmlCell } from './html.js';
import type { AttributeSection, ReportModel } from './types.js';

/**
 * The report as JSON (two-space indented, trailing newline).
 *
 * @example
 * ```ts
 * JSON.parse(reportToJSON(model)).kind; // 'fairwatch.report'
 * ```
 */
export function reportToJSON(model: ReportModel): string {
  return JSON.stringify(model, null, 2) + '\n';
}

const METRIC_HEADERS: Record<string, string> = {
  selectionRate: 'selection rate', tpr: 'TPR', fpr: 'FPR', precision: 'precision', accuracy: 'accuracy', baseRate: 'base rate', auc: 'AUC', ece: 'ECE', brier: 'Brier',
};
const header = (m: string) => METRIC_HEADERS[m] ?? m;
const periodText = (m: ReportModel) => (m.period ? `${m.period.from} .. ${m.period.to}` : 'all runs');
const systemText = (m: ReportModel) => (m.system ? `${m.system.id} ${m.system.version} (owner ${m.system.owner})` : 'not recorded');
const attrText = (a: AttributeSection) => a.attributes.join(' × ') || 'group';
const groupsText = (groups: readonly string[]) => groups.join(', ');
const scopeText = (f: { scope: { attributes: string[]; column?: string; groups: string[] } }) =>
  f.scope.column ? `column ${f.scope.column}` : `${f.scope.attributes.join(' × ') || 'dataset'}${f.scope.groups.length ? ` (${groupsText(f.scope.groups)})` : ''}`;
const thresholdText = (t: { warn?: number; fail?: number; direction: string }) =>
  [t.warn !== undefined ? `warn ${t.direction} ${t.warn}` : '', t.fail !== undefined ? `fail ${t.direction} ${t.fail}` : ''].filter(Boolean).join(', ') || '—';
const short = (h: string | null) => (h ? h.slice(0, 12) : '—');

type MdCell = string | number | null;
function mdTable(head: readonly string[], rows: readonly (readonly MdCell[])[]): string[] {
  return [`| ${head.map(md).join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map((c) => (c === null ? '—' : typeof c === 'number' ? String(c) : md(c))).join(' | ')} |`)];
}

/**
 * The report as GitHub Markdown: the same sections as the HTML page; charts are listed with their
 * text descriptions (they are drawn in the HTML report).
 *
 * @example
 * ```ts
 * reportToMarkdown(model).split('\n')[0]; // '# fairwatch report: loan-model 1.0.0'
 * ```
 */
export function reportToMarkdown(m: ReportModel): string {
  const out: string[] = [`# ${md(m.title)}`, ''];
  out.push(`Generated ${m.generatedAt} · period ${md(periodText(m))} · system ${md(systemText(m))}${m.filter.run ? ` · run ${md(m.filter.run)}` : ''}${m.filter.control ? ` · control ${md(m.filter.control)}` : ''}`, '');
  out.push('## Summary', '', `Verdict: **${m.summary.verdict.toUpperCase()}**. ${md(m.summary.headline)}`, '');
  out.push(...mdTable(['pass', 'warn', 'fail', 'insufficient', 'runs', 'risk entries not closed'], [[m.summary.counts.pass, m.summary.counts.warn, m.summary.counts.fail, m.summary.counts.insufficient, m.summary.runs, m.summary.openRisks]]), '');
  if (m.attributes.length) {
    out.push('## Fairness by attribute', '');
    for (const a of m.attributes) {
      out.push(`### ${md(attrText(a))}`, '', `${a.rows} rows${a.runId ? ` (run ${md(a.runId)})` : ''}; reference group ${md(a.reference ?? 'none')}; minimum group size ${a.minGroupSize}. Intervals: 95% Wilson for rates.`, '');
      out.push(...mdTable(['group', 'rows', 'status', ...a.metrics.map(header)], a.groups.map((g) => [g.label, g.count, g.status, ...a.metrics.map((mm) => fmtInterval(g.values[mm]))])), '');
      if (a.insufficient.length) out.push(`Insufficient groups (fewer than ${a.minGroupSize} rows; shown, no verdict rests on them): ${md(groupsText(a.insufficient))}.`, '');
      if (a.disparities.length) out.push(...mdTable(['disparity', 'value', 'interval', 'status', 'groups'], a.disparities.map((d) => [d.name, fmtNumber(d.value), d.low !== null && d.high !== null ? `[${fmtNumber(d.low)}, ${fmtNumber(d.high)}]` : '—', d.status, groupsText(d.groups)])), '');
      for (const id of a.charts) {
        const c = m.charts.find((x) => x.id === id);
        if (c) out.push(`- Chart: ${md(c.title)} (${md(c.description)})`);
      }
      if (a.charts.length) out.push('');
    }
  }
  for (const d of m.drift) {
    out.push('## Drift', '', `${d.referenceRows} reference rows, ${d.currentRows} current rows${d.runId ? ` (run ${md(d.runId)})` : ''}. Dataset drift: **${d.datasetDrift ? 'yes' : 'no'}** (${d.driftShare === null ? 'no column evaluated' : `${(d.driftShare * 100).toFixed(0)}% of columns drifted`}, threshold ${d.driftShareThreshold * 100}%).`, '');
    out.push(...mdTable(['column', 'type', 'test', 'statistic', 'threshold', 'p-value', 'verdict', 'reason'], d.columns.map((c) => [c.column, c.type, c.test ?? '—', fmtNumber(c.statistic), fmtNumber(c.threshold), fmtNumber(c.pValue), c.status === 'insufficient' ? 'insufficient' : c.drifted ? 'DRIFT' : 'ok', c.reason])), '');
    for (const id of d.charts) {
      const c = m.charts.find((x) => x.id === id);
      if (c) out.push(`- Chart: ${md(c.title)}`);
    }
    if (d.charts.length) out.push('');
  }
  if (m.trends.length) {
    out.push('## Metric trends', '');
    out.push(...mdTable(['metric', 'scope', 'runs', 'first', 'last', 'change'], m.trends.map((s) => [s.metric, s.scope, s.points.length, fmtNumber(s.points[0]!.value), fmtNumber(s.points.at(-1)!.value), fmtNumber(s.points.at(-1)!.value - s.points[0]!.value)])), '');
  }
  out.push('## Findings', '');
  if (m.findings.length) out.push(...mdTable(['status', 'metric', 'scope', 'value', 'threshold', 'run', 'reason'], m.findings.map((f) => [f.status, f.metric, scopeText(f), fmtNumber(f.value), thresholdText(f.threshold), f.runId ?? '—', f.reason])), '');
  else out.push('No findings in this report.', '');
  out.push('## Risk entries touched', '');
  if (m.risks.length) out.push(...mdTable(['id', 'version', 'status', 'level', 'treatment', 'owner', 'review', 'title'], m.risks.map((e) => [e.id, e.version, e.status, `${e.inherentLevel} (${e.likelihood}×${e.severity})`, e.treatment, e.owner, e.reviewDate, e.title])), '');
  else out.push('No risk-register entry was touched.', '');
  out.push('## Control coverage (ISO/IEC 42001 Annex A)', '');
  out.push(...mdTable(['control', 'title', 'coverage', 'implementation', 'evidence items', 'newest', 'note'], m.controls.map((c) => [c.id, c.title, c.coverage, c.implementation, c.evidence, c.latest ?? '—', c.note])), '');
  out.push('## Data fingerprints', '');
  if (m.fingerprints.length) out.push(...mdTable(['run', 'input', 'file', 'rows', 'sha256'], m.fingerprints.map((f) => [f.runId ?? '—', f.name, f.file ?? '—', f.rows, f.sha256 ?? 'not recorded'])), '');
  else out.push('No inputs recorded.', '');
  out.push('## Run manifest', '');
  const mf = m.manifest;
  out.push(...mdTable(['item', 'value'], [
    ['tool', `${mf.tool.name} ${mf.tool.version}`],
    ['node', `${mf.node} (${mf.platform})`],
    ['host', mf.host],
    ['generated', mf.generatedAt],
    ...Object.entries(mf.libraries).map(([k, v]): [string, string] => [k, v ?? 'not installed']),
    ['policy hashes', mf.policyHashes.join(', ') || '—'],
    ['seeds', mf.seeds.join(', ') || '—'],
    ['store', mf.store ?? '—'],
    ['audit trail', mf.auditTrail ? (mf.auditTrail.ok ? `verified, ${mf.auditTrail.lines} lines` : `FAILS verification: ${mf.auditTrail.problem}`) : '—'],
  ]), '');
  if (mf.runs.length) out.push(...mdTable(['run', 'kind', 'time', 'actor', 'policy', 'result sha256', 'seed'], mf.runs.map((r) => [r.id, r.kind, r.time, r.actor, short(r.policyHash), r.resultDigest, r.seed])), '');
  if (m.notes.length) out.push('## Notes', '', ...m.notes.map((n) => `- ${md(n)}`), '');
  out.push('## Appendix: metric definitions', '');
  for (const d of m.definitions) {
    out.push(`### ${md(d.title)} (${md(d.id)})`, '', md(d.definition), '', `Formula: ${md(d.formula)} · range ${md(rangeText(d.range))} · ideal ${d.ideal ?? 'none'} · ${md(d.direction.replace(/_/g, ' '))} · Annex A ${md(d.controls.join(', ') || '—')}`, '');
    if (d.notes.length) out.push(...d.notes.map((n) => `- ${md(n)}`), '');
  }
  return out.join('\n');
}

const rangeText = ([lo, hi]: [number | null, number | null]) => `${lo === null ? '(−∞' : `[${lo}`}, ${hi === null ? '∞)' : `${hi}]`}`;
const statusCell = (s: string): HtmlCell => ({ html: escapeHTML(s), cls: `status-${s}` });
const num = (v: number | null | undefined): HtmlCell => ({ html: escapeHTML(fmtNumber(v)), num: true });
const mono = (s: string | null): HtmlCell => ({ html: s === null ? '—' : `<span class="mono">${escapeHTML(s)}</span>` });

/**
 * The report as one self-contained HTML page: inline CSS, every chart as inline SVG rendered
 * without a browser, no script and no URL (a Content Security Policy forbids every request).
 *
 * @example
 * ```ts
 * const html = await reportToHTML(model);
 * html.includes('<script'); // false
 * (html.match(/<svg/g) ?? []).length === model.charts.length; // true
 * ```
 */
export async function reportToHTML(m: ReportModel): Promise<string> {
  const figures = new Map<string, string>();
  for (const c of m.charts) figures.set(c.id, await chartFigure(c));
  const b: string[] = [];
  const e = escapeHTML;
  b.push(`<header><h1>${e(m.title)}</h1><p class="meta">Generated ${e(m.generatedAt)} · period ${e(periodText(m))} · system ${e(systemText(m))}${m.filter.run ? ` · run ${e(m.filter.run)}` : ''}${m.filter.control ? ` · control ${e(m.filter.control)}` : ''}</p></header>`);
  const toc: [string, string][] = [['summary', 'Summary']];
  if (m.attributes.length) toc.push(['fairness', 'Fairness by attribute']);
  if (m.drift.length) toc.push(['drift', 'Drift']);
  if (m.trends.length) toc.push(['trends', 'Metric trends']);
  toc.push(['findings', 'Findings'], ['risks', 'Risk entries'], ['controls', 'Control coverage'], ['fingerprints', 'Data fingerprints'], ['manifest', 'Run manifest'], ['definitions', 'Metric definitions']);
  b.push(`<nav><ul>${toc.map(([id, t]) => `<li><a href="#${id}">${e(t)}</a></li>`).join('')}</ul></nav>`);
  const c = m.summary.counts;
  b.push(`<section id="summary"><h2>Summary</h2><p><span class="verdict v-${e(m.summary.verdict)}">${e(m.summary.verdict.toUpperCase())}</span></p><p>${e(m.summary.headline)}</p>`);
  b.push(htmlTable(['pass', 'warn', 'fail', 'insufficient', 'runs', 'risk entries not closed'], [[c.pass, c.warn, c.fail, c.insufficient, m.summary.runs, m.summary.openRisks]]));
  if (m.notes.length) b.push(`<div class="note">${m.notes.map((n) => `<p>${e(n)}</p>`).join('')}</div>`);
  b.push('</section>');
  if (m.attributes.length) {
    b.push('<section id="fairness"><h2>Fairness by attribute</h2>');
    for (const a of m.attributes) {
      b.push(`<h3>${e(attrText(a))}</h3><p>${a.rows} rows${a.runId ? ` (run <span class="mono">${e(a.runId)}</span>)` : ''}; reference group ${e(a.reference ?? 'none')}; minimum group size ${a.minGroupSize}. Intervals: 95% Wilson for rates.</p>`);
      b.push(htmlTable(['group', 'rows', 'status', ...a.metrics.map(header)], a.groups.map((g) => [g.label, g.count, g.status, ...a.metrics.map((mm): HtmlCell => ({ html: e(fmtInterval(g.values[mm])), num: true }))]), (i) => (a.groups[i]!.status === 'insufficient' ? 'insufficient' : undefined)));
      if (a.insufficient.length) b.push(`<p class="note">Insufficient groups (fewer than ${a.minGroupSize} rows; shown, no verdict rests on them): ${e(groupsText(a.insufficient))}.</p>`);
      if (a.disparities.length) b.push(htmlTable(['disparity', 'value', 'interval', 'status', 'groups'], a.disparities.map((d) => [d.name, num(d.value), d.low !== null && d.high !== null ? `[${fmtNumber(d.low)}, ${fmtNumber(d.high)}]` : '—', d.status, groupsText(d.groups)])));
      for (const id of a.charts) b.push(figures.get(id) ?? '');
    }
    b.push('</section>');
  }
  for (const d of m.drift) {
    b.push(`<section id="drift"><h2>Drift</h2><p>${d.referenceRows} reference rows, ${d.currentRows} current rows${d.runId ? ` (run <span class="mono">${e(d.runId)}</span>)` : ''}. Dataset drift: <strong>${d.datasetDrift ? 'yes' : 'no'}</strong> (${d.driftShare === null ? 'no column evaluated' : `${(d.driftShare * 100).toFixed(0)}% of columns drifted`}, threshold ${d.driftShareThreshold * 100}%).</p>`);
    b.push(htmlTable(['column', 'type', 'test', 'statistic', 'threshold', 'p-value', 'verdict', 'reason'], d.columns.map((col) => [col.column, col.type, col.test ?? '—', num(col.statistic), num(col.threshold), num(col.pValue), col.status === 'insufficient' ? 'insufficient' : col.drifted ? { html: 'DRIFT', cls: 'status-fail' } : 'ok', col.reason])));
    for (const id of d.charts) b.push(figures.get(id) ?? '');
    b.push('</section>');
  }
  if (m.trends.length) {
    b.push('<section id="trends"><h2>Metric trends</h2>');
    b.push(htmlTable(['metric', 'scope', 'runs', 'first', 'last', 'change'], m.trends.map((s) => [s.metric, s.scope, s.points.length, num(s.points[0]!.value), num(s.points.at(-1)!.value), num(s.points.at(-1)!.value - s.points[0]!.value)])));
    for (const ch of m.charts.filter((x) => x.kind === 'trend')) b.push(figures.get(ch.id) ?? '');
    b.push('</section>');
  }
  b.push('<section id="findings"><h2>Findings</h2>');
  b.push(m.findings.length ? htmlTable(['status', 'metric', 'scope', 'value', 'threshold', 'run', 'reason'], m.findings.map((f) => [statusCell(f.status), f.metric, scopeText(f), num(f.value), thresholdText(f.threshold), mono(f.runId), f.reason])) : '<p>No findings in this report.</p>');
  b.push('</section><section id="risks"><h2>Risk entries touched</h2>');
  b.push(m.risks.length ? htmlTable(['id', 'version', 'status', 'level', 'treatment', 'owner', 'review', 'title'], m.risks.map((r) => [mono(r.id), r.version, r.status, `${r.inherentLevel} (${r.likelihood}×${r.severity})`, r.treatment, r.owner, r.reviewDate, r.title])) : '<p>No risk-register entry was touched.</p>');
  b.push('</section><section id="controls"><h2>Control coverage (ISO/IEC 42001 Annex A)</h2>');
  b.push(htmlTable(['control', 'title', 'coverage', 'implementation', 'evidence items', 'newest', 'note'], m.controls.map((co) => [co.id, co.title, co.coverage, co.implementation, co.evidence, co.latest ?? '—', co.note])));
  b.push('</section><section id="fingerprints"><h2>Data fingerprints</h2>');
  b.push(m.fingerprints.length ? htmlTable(['run', 'input', 'file', 'rows', 'sha256'], m.fingerprints.map((f) => [mono(f.runId), f.name, f.file ?? '—', f.rows, mono(f.sha256 ?? 'not recorded')])) : '<p>No inputs recorded.</p>');
  const mf = m.manifest;
  b.push('</section><section id="manifest"><h2>Run manifest</h2>');
  b.push(htmlTable(['item', 'value'], [
    ['tool', `${mf.tool.name} ${mf.tool.version}`],
    ['node', `${mf.node} (${mf.platform})`],
    ['host', mf.host],
    ['generated', mf.generatedAt],
    ...Object.entries(mf.libraries).map(([k, v]): HtmlCell[] => [k, v ?? 'not installed']),
    ['policy hashes', mono(mf.policyHashes.join(', ') || '—')],
    ['seeds', mf.seeds.join(', ') || '—'],
    ['store', mf.store ?? '—'],
    ['audit trail', mf.auditTrail ? (mf.auditTrail.ok ? `verified, ${mf.auditTrail.lines} lines` : `FAILS verification: ${mf.auditTrail.problem}`) : '—'],
  ]));
  if (mf.runs.length) b.push(htmlTable(['run', 'kind', 'time', 'actor', 'policy', 'result sha256', 'seed'], mf.runs.map((r) => [mono(r.id), r.kind, r.time, r.actor, mono(short(r.policyHash)), mono(r.resultDigest), r.seed])));
  b.push('</section><section id="definitions"><h2>Appendix: metric definitions</h2>');
  for (const d of m.definitions) {
    b.push(`<h3>${e(d.title)} <code>${e(d.id)}</code></h3><p>${e(d.definition)}</p><p>Formula: <code>${e(d.formula)}</code> · range ${e(rangeText(d.range))} · ideal ${e(d.ideal ?? 'none')} · ${e(d.direction.replace(/_/g, ' '))} · Annex A ${e(d.controls.join(', ') || '—')}</p>`);
    if (d.notes.length) b.push(`<ul>${d.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>`);
  }
  b.push('</section>');
  return htmlDocument(m.title, b.join('\n'));
}

/**
 * The report file names, in the order {@link reportFiles} returns them.
 *
 * @example
 * ```ts
 * REPORT_FILES; // ['report.json', 'report.md', 'report.html']
 * ```
 */
export const REPORT_FILES = ['report.json', 'report.md', 'report.html'] as const;

/**
 * All three renderings with their file names — what an evidence pack writes (pure: the caller
 * writes the files, e.g. with `writeFileAtomic`).
 *
 * @example
 * ```ts
 * const files = await reportFiles(model);
 * for (const [name, text] of Object.entries(files)) await writeFileAtomic(join(dir, name), text);
 * Object.keys(files); // ['report.json', 'report.md', 'report.html']
 * ```
 */
export async function reportFiles(model: ReportModel): Promise<Record<(typeof REPORT_FILES)[number], string>> {
  return { 'report.json': reportToJSON(model), 'report.md': reportToMarkdown(model), 'report.html': await reportToHTML(model) };
}
