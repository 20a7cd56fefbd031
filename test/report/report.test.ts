/**
 * buildReport and the writers on a store with real runs (test/report/fixtures.ts): two audit runs
 * on two days and a drift run. Expected numbers come from naive row-by-row counts over the same
 * seeded data, from the fixture's known digests, and from hand formulas (Wilson).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError, messages } from '../../src/errors.js';
import { openStore } from '../../src/store/index.js';
import { buildReport } from '../../src/report/build.js';
import { renderChartSVG, ratesChartSpec } from '../../src/report/charts.js';
import { escapeHTML, escapeMarkdown } from '../../src/report/escape.js';
import { reportJSONSchema } from '../../src/report/schema.js';
import type { ReportModel } from '../../src/report/types.js';
import { reportFiles, reportToHTML, reportToJSON, reportToMarkdown } from '../../src/report/writers.js';
import { CUR_SHA, DATA_SHA, loans, REF_SHA, SCRIPT_GROUP, storeWithRuns, TINY_GROUP } from './fixtures.js';

const ROWS = 3000;
let dir: string;
let model: ReportModel;
let html: string;

beforeAll(async () => {
  ({ dir } = await storeWithRuns({ rows: ROWS, days: 2 }));
  const store = await openStore(dir);
  try {
    model = await buildReport({ store, now: '2026-03-05T00:00:00Z', host: 'test-host' });
  } finally {
    await store.close();
  }
  html = await reportToHTML(model);
}, 120_000);

/** Naive selection rate of one group of `sex`, row by row. */
function naiveRate(cols: ReturnType<typeof loans>, group: string): { k: number; n: number } {
  let k = 0;
  let n = 0;
  for (let i = 0; i < cols.sex.length; i++) {
    if (cols.sex[i] !== group) continue;
    n++;
    k += cols.approved[i]!;
  }
  return { k, n };
}

/** A small JSON Schema (2020-12) validator for the keywords the generated schema uses. */
function validate(schema: Record<string, any>, value: unknown, path = '$'): string[] {
  const errors: string[] = [];
  if (schema.anyOf) {
    if (!schema.anyOf.some((s: Record<string, any>) => validate(s, value, path).length === 0)) errors.push(`${path}: matches no anyOf branch`);
    return errors;
  }
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
  if (schema.type) {
    const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    const t = typeOf(value);
    if (!types.some((x) => x === t || (x === 'number' && t === 'integer'))) return [`${path}: type ${t}, expected ${types.join('|')}`];
  }
  if ('const' in schema && value !== schema.const) errors.push(`${path}: not ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: below minimum`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${path}: above maximum`);
  }
  if (Array.isArray(value)) {
    if (schema.prefixItems) {
      schema.prefixItems.forEach((s: Record<string, any>, i: number) => errors.push(...validate(s, value[i], `${path}[${i}]`)));
      if (schema.items === false && value.length > schema.prefixItems.length) errors.push(`${path}: too many items`);
    } else if (schema.items) value.forEach((v, i) => errors.push(...validate(schema.items, v, `${path}[${i}]`)));
  } else if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in obj)) errors.push(`${path}: missing ${r}`);
    for (const [k, v] of Object.entries(obj)) {
      if (schema.properties?.[k]) errors.push(...validate(schema.properties[k], v, `${path}.${k}`));
      else if (schema.additionalProperties === false) errors.push(`${path}: unexpected property ${k}`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') errors.push(...validate(schema.additionalProperties, v, `${path}.${k}`));
    }
  }
  return errors;
}

describe('buildReport(store)', () => {
  it('buildReport(store) tabulates the latest audit by sex with naive selection rates, 95% Wilson intervals and the small group disclosed', () => {
    const sex = model.attributes.find((a) => a.attributes.join() === 'sex')!;
    // the latest audit run is the second day's data (seed 2)
    const cols = loans(ROWS, 2);
    for (const label of ['female', 'male', SCRIPT_GROUP, TINY_GROUP]) {
      const { k, n } = naiveRate(cols, label);
      const row = sex.groups.find((g) => g.label === label)!;
      expect(row.count).toBe(n);
      expect(row.values.selectionRate!.value).toBeCloseTo(k / n, 12);
      // Wilson score interval by hand, z = 1.959964
      const z = 1.959963984540054;
      const p = k / n;
      const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
      const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
      expect(row.values.selectionRate!.low).toBeCloseTo(centre - half, 9);
      expect(row.values.selectionRate!.high).toBeCloseTo(centre + half, 9);
    }
    expect(sex.groups.find((g) => g.label === TINY_GROUP)!.status).toBe('insufficient');
    expect(sex.insufficient).toEqual([TINY_GROUP]);
    expect(sex.metrics.slice(0, 3)).toEqual(['selectionRate', 'tpr', 'fpr']);
  });

  it('buildReport(store) fails the verdict on disparate impact by sex and counts findings by status', () => {
    expect(model.summary.verdict).toBe('fail');
    const di = model.findings.filter((f) => f.metric === 'disparateImpact' && f.scope.attributes.join() === 'sex');
    // day 1: female/male is the minimum ratio and fails the four-fifths rule; day 2: the minimum rests on
    // the 12-row group, so the finding is insufficient rather than a verdict
    expect(di.map((f) => f.status)).toEqual(['fail', 'insufficient']);
    const total = model.summary.counts.pass + model.summary.counts.warn + model.summary.counts.fail + model.summary.counts.insufficient;
    expect(total).toBe(model.findings.length);
    expect(model.summary.headline.startsWith(`FAIL: ${model.summary.counts.fail} of ${model.findings.length} findings fail`)).toBe(true);
  });

  it('buildReport(store) trends disparate impact by sex over the two runs with the naive female/male selection-rate ratios', () => {
    const s = model.trends.find((t) => t.metric === 'disparateImpact' && t.scope === 'sex')!;
    expect(s.points.map((p) => p.time)).toEqual(['2026-03-01T10:00:00.000Z', '2026-03-02T10:00:00.000Z']);
    const expected = [1, 2].map((seed) => {
      const cols = loans(ROWS, seed);
      const rate = (g: string) => naiveRate(cols, g).k / naiveRate(cols, g).n;
      // reference male: the smallest ratio of any other group's selection rate to male's
      return Math.min(...['female', SCRIPT_GROUP, TINY_GROUP].map((g) => rate(g) / rate('male')));
    });
    expect(s.points[0]!.value).toBeCloseTo(expected[0]!, 12);
    expect(s.points[1]!.value).toBeCloseTo(expected[1]!, 12);
    expect(model.charts.some((c) => c.kind === 'trend' && c.title === 'disparateImpact over runs')).toBe(true);
  });

  it('buildReport(store) draws rates and reliability per attribute and a histogram for the shifted income only', () => {
    expect(model.charts.filter((c) => c.kind === 'rates').map((c) => c.title)).toEqual(['Selection rate, TPR and FPR by sex', 'Selection rate, TPR and FPR by age_band']);
    expect(model.charts.filter((c) => c.kind === 'reliability').length).toBe(2);
    expect(model.drift[0]!.driftedColumns).toContain('income');
    expect(model.charts.filter((c) => c.kind === 'drift-histogram').map((c) => c.title)).toEqual(model.drift[0]!.driftedColumns.map((c) => `${c}: reference vs current`));
  });

  it('buildReport(store) lists the input digests of every run with their rows and files', () => {
    const byName = (runKind: string, name: string) => model.fingerprints.filter((f) => f.name === name && model.manifest.runs.find((r) => r.id === f.runId)?.kind === runKind);
    expect(byName('audit', 'data').map((f) => [f.sha256, f.rows])).toEqual([[DATA_SHA, ROWS], [DATA_SHA, ROWS]]);
    expect(byName('audit', 'data').map((f) => f.file)).toEqual(['loans-1.csv', 'loans-2.csv']);
    expect(byName('drift', 'reference').map((f) => [f.sha256, f.rows, f.file])).toEqual([[REF_SHA, ROWS, 'loans-1.csv']]);
    expect(byName('drift', 'current').map((f) => [f.sha256, f.rows, f.file])).toEqual([[CUR_SHA, ROWS, 'later.csv']]);
  });

  it('buildReport(store) writes a manifest with the installed vega and vega-lite versions, the policy hash, the seed and the host', () => {
    const version = (pkg: string) => JSON.parse(readFileSync(new URL(`../../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')).version;
    expect(model.manifest.libraries.vega).toBe(version('vega'));
    expect(model.manifest.libraries['vega-lite']).toBe(version('vega-lite'));
    expect(model.manifest.libraries['@duckdb/node-api']).toBe(version('@duckdb/node-api'));
    expect(model.manifest.host).toBe('test-host');
    expect(model.manifest.seeds).toEqual([7]);
    expect(model.manifest.policyHashes.length).toBe(1);
    expect(model.manifest.policyHashes[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(model.manifest.runs.map((r) => r.kind)).toEqual(['audit', 'audit', 'drift']);
    expect(model.manifest.auditTrail).toEqual({ ok: true, lines: 3, problem: null });
  });

  it('buildReport(store) touches the disparate-impact risk entry and covers all 38 Annex A controls', () => {
    expect(model.risks.some((r) => r.metric === 'disparateImpact' && r.attributes.join() === 'sex' && r.status === 'open')).toBe(true);
    expect(model.controls.length).toBe(38);
    const a54 = model.controls.find((c) => c.id === 'A.5.4')!;
    expect(a54.evidence).toBeGreaterThan(0);
    expect(model.controls.find((c) => c.id === 'A.2.2')!.note).toBe('not evidenced by this toolkit');
  });

  it('buildReport(store) appends the definitions of the metrics it uses, from the cards', () => {
    const ids = model.definitions.map((d) => d.id);
    expect(ids).toContain('disparateImpact');
    expect(ids).toContain('selectionRate');
    expect(ids).not.toContain('mce'); // not in the tables, findings or drift tests
    const card = readFileSync(new URL('../../metrics/disparateImpact.yaml', import.meta.url), 'utf8');
    expect(card).toContain(model.definitions.find((d) => d.id === 'disparateImpact')!.title);
  });

  it('buildReport({ store, control }) keeps only findings, risks and coverage of that control', async () => {
    const store = await openStore(dir);
    try {
      const m = await buildReport({ store, control: 'A.7.4' });
      expect(m.findings.length).toBeGreaterThan(0);
      expect(m.findings.every((f) => f.controls.includes('A.7.4'))).toBe(true);
      expect(m.controls.map((c) => c.id)).toEqual(['A.7.4']);
      expect(m.risks.every((r) => r.controls.includes('A.7.4'))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('buildReport({ store, run }) throws InputError for an unknown run, and without a source', async () => {
    const store = await openStore(dir);
    try {
      const err = await buildReport({ store, run: 'nope' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).message).toBe(messages.reportRunNotFound('buildReport', 'nope', store.target));
      const one = await buildReport({ store, run: model.manifest.runs[0]!.id });
      expect(one.manifest.runs.map((r) => r.id)).toEqual([model.manifest.runs[0]!.id]);
    } finally {
      await store.close();
    }
    await expect(buildReport({})).rejects.toThrow(messages.reportNoSource('buildReport'));
  });
});

describe('report writers', () => {
  it('reportToJSON(model) validates against reports/schema/report.schema.json, which equals the generated schema', () => {
    const schema = JSON.parse(readFileSync(new URL('../../reports/schema/report.schema.json', import.meta.url), 'utf8'));
    expect(schema).toEqual(JSON.parse(JSON.stringify(reportJSONSchema())));
    const doc = JSON.parse(reportToJSON(model));
    expect(validate(schema, doc)).toEqual([]);
    // the validator can fail: a wrong verdict and a missing section are caught
    const bad = { ...doc, summary: { ...doc.summary, verdict: 'great' } };
    delete bad.manifest;
    expect(validate(schema, bad)).toEqual(['$: missing manifest', '$.summary.verdict: "great" not in enum']);
  });

  it('reportToHTML(model) is self-contained: one inline SVG per chart, with marks, no script, no URL', () => {
    expect((html.match(/<svg/g) ?? []).length).toBe(model.charts.length);
    for (const fig of html.split('<figure class="chart"').slice(1)) expect(fig).toMatch(/class="mark-(rect|line|symbol|rule)/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/url\(/);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('reportToHTML(model) shows a group named <script>alert(1)</script> as text in tables and in the SVG', async () => {
    expect(html).toContain('<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(html).toContain('<td>tiny &amp; &quot;small&quot;</td>');
    const svg = await renderChartSVG(ratesChartSpec(model.attributes[0]!));
    expect(svg).not.toContain('<script');
    expect(svg).toMatch(/&lt;script&gt;alert\(1\)/);
  });

  it('reportToMarkdown(model) escapes group names in tables and lists every section', () => {
    const text = reportToMarkdown(model);
    expect(text).not.toContain('<script>');
    expect(text).toMatch(/^\| &lt;script&gt;alert\(1\)&lt;/m);
    for (const h of ['## Summary', '## Fairness by attribute', '## Drift', '## Metric trends', '## Findings', '## Risk entries touched', '## Control coverage', '## Data fingerprints', '## Run manifest', '## Appendix: metric definitions']) {
      expect(text).toContain(h);
    }
  });

  it('escapeHTML and escapeMarkdown neutralise markup, pipes and newlines', () => {
    expect(escapeHTML(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeMarkdown('a|b <i>*x*</i>\nnext')).toBe('a\\|b &lt;i&gt;\\*x\\*&lt;/i&gt; next');
  });

  it('reportFiles(model) returns the JSON, Markdown and HTML renderings by file name', async () => {
    const files = await reportFiles(model);
    expect(Object.keys(files)).toEqual(['report.json', 'report.md', 'report.html']);
    expect(files['report.html']).toBe(html);
    expect(JSON.parse(files['report.json']).kind).toBe('fairwatch.report');
  });
});
