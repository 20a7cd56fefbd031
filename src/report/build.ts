/**
 * `buildReport`: the one report model (`types.ts`) from the store — the runs of a period, or one
 * run, optionally only what concerns one control — and/or results passed directly. Reading the
 * store is the only side effect; {@link assembleReport} is the pure part, from plain records.
 *
 * What goes in (see `ReportModel`): the summary verdict (worst finding status); per attribute
 * set of the latest audit, the group table with intervals and the groups below the minimum size
 * disclosed; the latest drift comparison; charts; findings; the risk entries the findings touched
 * (latest version); control coverage (the statement of applicability over the report's evidence,
 * `governance/evidence.ts`); data fingerprints (input digests from the runs' audit-trail lines,
 * rows from the results); the run manifest (tool, Node and library versions, policy hashes,
 * seeds, time, host); metric trends over the stored history; the definitions of every metric
 * used, from the cards in `metrics/`.
 *
 * @example
 * ```ts
 * const store = await openStore('.fairwatch');
 * const model = await buildReport({ store, period: '2026-01-01..2026-03-31' });
 * model.summary.headline; // 'FAIL: 2 of 29 findings fail the policy, ...'
 * await store.close();
 * ```
 */
import { hostname } from 'node:os';
import { InputError, messages } from '../errors.js';
import type { DriftReportJSON } from '../drift/report.js';
import { driftHistogramSpec } from '../drift/format.js';
import type { AuditJSON } from '../fairness/audit.js';
import { NAMED_DISPARITY_NAMES, type GroupMetricsJSON } from '../fairness/result.js';
import { loadCatalogue } from '../governance/catalogue.js';
import { evidenceFromStore, POLICY_INPUTS } from '../governance/evidence.js';
import { worstStatus } from '../governance/findings.js';
import { evidenceFromFindings, loadApplicability, parsePeriod, statementOfApplicability, type EvidenceItem } from '../governance/soa.js';
import type { AISystem, AuditEvent, FindingsDocument, FindingStatus, RiskEntry } from '../governance/types.js';
import { metricCards } from '../metrics/catalogue.js';
import type { Store, StoredFinding, StoredRun } from '../store/types.js';
import { VERSION } from '../version.js';
import { ratesChartSpec, reliabilityChartSpec, RATE_CHART_METRICS, trendChartSpec } from './charts.js';
import { libraryVersions } from './manifest.js';
import type {
  AttributeSection, ControlCoverage, DataFingerprint, DriftColumnRow, DriftSection, ManifestRun, MetricDefinition, ReportChart,
  ReportFinding, ReportModel, TrendSeries,
} from './types.js';

/** A result passed directly (its JSON, or an object with `toJSON()`). */
export type ReportResult = AuditJSON | GroupMetricsJSON | DriftReportJSON | { toJSON(): unknown };

/** Options of {@link buildReport}. */
export interface BuildReportOptions {
  /** Read runs, findings, risks and the audit trail from here. */
  store?: Pick<Store, 'listRuns' | 'findings' | 'latestRisks' | 'riskHistory' | 'readAudit' | 'verifyAudit' | 'target'>;
  /** `from..to` (ISO dates or times; a date-only `to` includes that day), or `{ from, to }`. */
  period?: string | { from: string; to: string };
  /** Only this run of the store. */
  run?: string;
  /** Only findings, risks and coverage that concern this clause or control (e.g. 'A.6.2.4'). */
  control?: string;
  /** Results passed directly (not from the store). */
  results?: readonly ReportResult[];
  /** Findings documents of the direct results. */
  findings?: readonly FindingsDocument[];
  /** Digests (sha256) of the direct results' inputs by name, e.g. `{ 'loans.csv': '9f86…' }`. */
  inputs?: Readonly<Record<string, string>>;
  title?: string;
  /** Time of the report (default now). */
  now?: Date | string;
  /** Host name for the manifest (default `os.hostname()`). */
  host?: string;
}

/** Plain records the report is assembled from (what {@link buildReport} reads from a store). */
export interface ReportRecords {
  /** The runs the report is about, oldest first. */
  runs: readonly StoredRun[];
  /** Their findings. */
  findings: readonly StoredFinding[];
  /** Findings of every stored run up to the period's end, for trends. */
  history: readonly StoredFinding[];
  /** Latest version of each risk entry the runs touched. */
  risks: readonly RiskEntry[];
  /** Every version of those entries (evidence). */
  riskVersions: readonly RiskEntry[];
  /** The audit trail and its verification, or null without a store. */
  audit: { events: readonly AuditEvent[]; ok: boolean; lines: number; problem: string | null } | null;
  store: string | null;
}

const EMPTY_RECORDS: ReportRecords = { runs: [], findings: [], history: [], risks: [], riskVersions: [], audit: null, store: null };

/**
 * Build the report model from a store and/or results (see the module comment). Throws
 * `InputError` when there is nothing to report ('reportNoSource'), when `run` is not in the store
 * ('reportRunNotFound'), or for a bad period ('badPeriod').
 *
 * @example
 * ```ts
 * const model = await buildReport({ results: [auditResult, driftReport], findings: [evaluate([auditResult, driftReport], policy)] });
 * model.attributes.map((a) => a.attributes.join(' × ')); // ['sex', 'age_band']
 * ```
 */
export async function buildReport(options: BuildReportOptions): Promise<ReportModel> {
  const fn = 'buildReport';
  if (!options.store && !options.results?.length) throw new InputError(messages.reportNoSource(fn), 'reportNoSource');
  const period = options.period === undefined ? null : parsePeriod(options.period);
  let records = EMPTY_RECORDS;
  const store = options.store;
  if (store) {
    const range = period ? { from: period.from, to: period.to } : {};
    let runs = await store.listRuns(range);
    if (options.run !== undefined) {
      runs = (period ? runs : await store.listRuns()).filter((r) => r.id === options.run);
      if (runs.length === 0) throw new InputError(messages.reportRunNotFound(fn, options.run, store.target), 'reportRunNotFound', { run: options.run });
    }
    const ids = new Set(runs.map((r) => r.id));
    const findings = (await store.findings(options.run !== undefined && !period ? {} : range)).filter((f) => ids.has(f.runId));
    const history = await store.findings(period ? { to: period.to } : {});
    const risks = (await store.latestRisks()).filter((e) => e.findings.some((l) => ids.has(l.runId)));
    const riskVersions: RiskEntry[] = [];
    for (const e of risks) riskVersions.push(...(await store.riskHistory(e.id)));
    const verification = await store.verifyAudit();
    const events = await store.readAudit();
    records = {
      runs,
      findings,
      history,
      risks,
      riskVersions,
      audit: { events, ok: verification.ok, lines: events.length, problem: verification.problem ? `${verification.problem.kind} at line ${verification.problem.line}` : null },
      store: store.target,
    };
  }
  return assembleReport(records, { ...options, period });
}

const RATE_COLUMNS = ['selectionRate', 'tpr', 'fpr', 'precision', 'accuracy', 'baseRate'] as const;
const SCORE_COLUMNS = ['auc', 'ece', 'brier'] as const;
const STATUSES: readonly FindingStatus[] = ['pass', 'warn', 'fail', 'insufficient'];
const MAX_DRIFT_CHARTS = 8;
const MAX_TREND_CHARTS = 6;

const jsonOf = (r: unknown): unknown => (r !== null && typeof r === 'object' && typeof (r as { toJSON?: unknown }).toJSON === 'function' ? (r as { toJSON(): unknown }).toJSON() : r);
const kindOf = (r: unknown): unknown => (r as { kind?: unknown } | null)?.kind;

/** Audit (or single attribute-set) results and drift reports found among runs and direct results. */
interface Sources {
  audits: { runId: string | null; json: GroupMetricsJSON[]; rows: number }[];
  drifts: { runId: string | null; json: DriftReportJSON }[];
}

function collectSources(runs: readonly StoredRun[], direct: readonly ReportResult[] | undefined): Sources {
  const out: Sources = { audits: [], drifts: [] };
  const add = (runId: string | null, raw: unknown, index: number | null) => {
    const json = jsonOf(raw);
    const kind = kindOf(json);
    if (kind === 'fairwatch.audit') out.audits.push({ runId, json: (json as AuditJSON).results, rows: (json as AuditJSON).rows });
    else if (kind === 'fairwatch.groupMetrics') out.audits.push({ runId, json: [json as GroupMetricsJSON], rows: (json as GroupMetricsJSON).rows });
    else if (kind === 'fairwatch.drift') out.drifts.push({ runId, json: json as DriftReportJSON });
    else if (index !== null) throw new InputError(messages.reportNotAResult('buildReport', index, kind), 'reportNotAResult', { index });
  };
  for (const r of runs) add(r.id, r.result, null);
  (direct ?? []).forEach((r, i) => add(null, r, i));
  return out;
}

function attributeSection(runId: string | null, json: GroupMetricsJSON): AttributeSection {
  const has = (m: string) => json.groups.some((g) => m in g) || m in json.overall;
  const metrics = [...RATE_COLUMNS, ...SCORE_COLUMNS].filter(has);
  const groups = json.groups.map((g) => ({
    label: g.label,
    count: g.count,
    status: g.status,
    values: Object.fromEntries(
      metrics.map((m) => {
        const raw = g[m];
        const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
        const iv = g.intervals?.[m];
        const reason = g.undefinedReasons?.[m];
        return [m, { value, low: iv?.low ?? null, high: iv?.high ?? null, ...(value === null && reason ? { reason } : {}) }];
      }),
    ),
  }));
  const disparities = NAMED_DISPARITY_NAMES.filter((n) => json.disparityDetails?.[n]).map((name) => {
    const d = json.disparityDetails[name];
    return { name, value: d.value, low: d.interval?.low ?? null, high: d.interval?.high ?? null, status: d.status, groups: [...d.groups] };
  });
  return {
    runId,
    attributes: [...json.attributes],
    rows: json.rows,
    reference: json.reference,
    minGroupSize: json.options?.minGroupSize ?? 0,
    metrics,
    groups,
    insufficient: json.groups.filter((g) => g.status === 'insufficient').map((g) => g.label),
    disparities,
    charts: [],
  };
}

function driftSection(runId: string | null, json: DriftReportJSON): DriftSection {
  const columns: DriftColumnRow[] = json.columns.map((c) => {
    const statistic = c.test === null ? null : c.test === 'ks' ? c.ksStatistic : c.test === 'chiSquare' ? c.cramersV : c.test === 'zTest' ? c.cohensH : ((c as unknown as Record<string, number | null>)[c.test] ?? null);
    const pValue = c.test === 'ks' ? c.ksPValue : c.test === 'chiSquare' ? c.chiSquarePValue : c.test === 'zTest' ? c.zTestPValue : null;
    return { column: c.column, type: c.type, test: c.test, statistic, threshold: c.threshold, pValue, drifted: c.drifted, status: c.status, reason: c.reason };
  });
  return {
    runId,
    referenceRows: json.referenceRows,
    currentRows: json.currentRows,
    datasetDrift: json.datasetDrift,
    driftShare: json.driftShare,
    driftShareThreshold: json.driftShareThreshold,
    driftedColumns: [...json.driftedColumns],
    columns,
    charts: [],
  };
}

const scopeOf = (f: { scope: { attributes: string[]; column?: string } }): string => f.scope.column ?? (f.scope.attributes.join(' × ') || 'dataset');

/**
 * Metric histories from stored findings: per metric and scope, the values over runs (oldest first);
 * only series with at least two points (a trend needs history).
 *
 * @example
 * ```ts
 * trendSeries(storedFindings).map((s) => `${s.metric} ${s.scope} ${s.points.length}`); // ['disparateImpact sex 3', ...]
 * ```
 */
export function trendSeries(history: readonly StoredFinding[], systemId?: string | null): TrendSeries[] {
  const series = new Map<string, TrendSeries>();
  for (const h of history) {
    if (systemId && h.systemId && h.systemId !== systemId) continue;
    const f = h.finding;
    if (f.value === null || !Number.isFinite(f.value)) continue;
    const key = `${f.kind}\u0000${f.metric}\u0000${scopeOf(f)}`;
    let s = series.get(key);
    if (!s) series.set(key, (s = { metric: f.metric, scope: scopeOf(f), kind: f.kind, points: [] }));
    s.points.push({ runId: h.runId, time: h.time, value: f.value, status: f.status });
  }
  return [...series.values()]
    .filter((s) => new Set(s.points.map((p) => p.runId)).size >= 2)
    .map((s) => ({ ...s, points: [...s.points].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0)) }));
}

function headline(verdict: ReportModel['summary']['verdict'], counts: Record<FindingStatus, number>, total: number, drift: DriftSection | undefined, openRisks: number): string {
  const parts: string[] = [];
  if (verdict === 'not-evaluated') parts.push('NOT EVALUATED: no finding against a policy in this report');
  else if (verdict === 'pass') parts.push(`PASS: all ${total} findings pass the policy`);
  else {
    const bits = [`${counts.fail} of ${total} findings fail the policy`, `${counts.warn} warn`, `${counts.insufficient} insufficient (too few rows for a verdict)`];
    parts.push(`${verdict.toUpperCase()}: ${bits.join(', ')}`);
  }
  if (drift) parts.push(drift.datasetDrift ? `dataset drift in the latest comparison (${drift.driftedColumns.join(', ')})` : drift.driftedColumns.length ? `no dataset drift, but drift in ${drift.driftedColumns.join(', ')}` : 'no drift in the latest comparison');
  parts.push(`${openRisks} risk entr${openRisks === 1 ? 'y' : 'ies'} not closed`);
  return parts.join('; ') + '.';
}

/**
 * The pure part of {@link buildReport}: the model from plain records (as read from a store) and
 * direct results.
 *
 * @example
 * ```ts
 * const model = assembleReport({ runs: [], findings: [], history: [], risks: [], riskVersions: [], audit: null, store: null },
 *   { results: [auditJSON], now: '2026-04-01T00:00:00Z', host: 'ci' });
 * model.summary.verdict; // 'not-evaluated' (no findings given)
 * ```
 */
export function assembleReport(records: ReportRecords, options: Omit<BuildReportOptions, 'store' | 'period'> & { period?: { from: string; to: string } | null } = {}): ReportModel {
  const now = new Date(options.now ?? Date.now()).toISOString();
  const control = options.control ?? null;
  const concerns = (controls: readonly string[]) => control === null || controls.includes(control);
  const sources = collectSources(records.runs, options.results);
  const notes: string[] = [];

  // findings: stored ones of the runs, then those of direct results
  const findings: ReportFinding[] = [
    ...records.findings.map((s) => ({ ...s.finding, runId: s.runId, time: s.time })),
    ...(options.findings ?? []).flatMap((d) => d.findings.map((f) => ({ ...f, runId: null, time: d.createdAt }))),
  ].filter((f) => concerns(f.controls));
  const system: AISystem | null = records.runs.find((r) => r.system)?.system ?? options.findings?.[0]?.system ?? null;

  // tables: the latest audit and the latest drift comparison
  const audits = sources.audits;
  const latestAudit = audits.at(-1);
  if (audits.length > 1) notes.push(`${audits.length} audit results in scope; the group tables show the latest${latestAudit?.runId ? ` (run ${latestAudit.runId})` : ''}.`);
  const drifts = sources.drifts;
  const latestDrift = drifts.at(-1);
  if (drifts.length > 1) notes.push(`${drifts.length} drift comparisons in scope; the drift table shows the latest${latestDrift?.runId ? ` (run ${latestDrift.runId})` : ''}.`);
  const attributes = latestAudit ? latestAudit.json.map((j) => attributeSection(latestAudit.runId, j)) : [];
  const drift = latestDrift ? [driftSection(latestDrift.runId, latestDrift.json)] : [];

  // charts
  const charts: ReportChart[] = [];
  const addChart = (c: Omit<ReportChart, 'id'>) => {
    const id = `chart-${charts.length + 1}`;
    charts.push({ id, ...c });
    return id;
  };
  attributes.forEach((a, i) => {
    const attr = a.attributes.join(' × ');
    if (RATE_CHART_METRICS.some((m) => a.metrics.includes(m))) {
      a.charts.push(addChart({ kind: 'rates', title: `Selection rate, TPR and FPR by ${attr}`, description: `Bars per group of ${attr} with interval rules; ${a.insufficient.length} group(s) below ${a.minGroupSize} rows in grey.`, spec: ratesChartSpec(a) }));
    }
    const calibration = latestAudit!.json[i]!.calibration;
    if (calibration && calibration.groups.some((g) => g.curve.length > 0)) {
      a.charts.push(addChart({ kind: 'reliability', title: `Reliability diagram by ${attr}`, description: `Fraction of positives against mean predicted score per calibration bin, one line per group of ${attr}.`, spec: reliabilityChartSpec(a.attributes, calibration) }));
    }
  });
  if (latestDrift && drift[0]) {
    const drifted = latestDrift.json.driftedColumns;
    if (drifted.length > MAX_DRIFT_CHARTS) notes.push(`${drifted.length} columns drifted; histograms are drawn for the first ${MAX_DRIFT_CHARTS}.`);
    for (const column of drifted.slice(0, MAX_DRIFT_CHARTS)) {
      drift[0].charts.push(addChart({ kind: 'drift-histogram', title: `${column}: reference vs current`, description: `Share of rows per bin of ${column} in the reference and the current data.`, spec: driftHistogramSpec(latestDrift.json, column) as Record<string, unknown> }));
    }
  }
  const trends = trendSeries(records.history, system?.id).filter((s) => control === null || records.history.some((h) => h.finding.metric === s.metric && h.finding.controls.includes(control)));
  const trendMetrics = [...new Set(trends.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'fairness' ? -1 : 1)).map((s) => s.metric))];
  if (trendMetrics.length > MAX_TREND_CHARTS) notes.push(`${trendMetrics.length} metrics have history; trend charts are drawn for the first ${MAX_TREND_CHARTS}.`);
  for (const metric of trendMetrics.slice(0, MAX_TREND_CHARTS)) {
    const s = trends.filter((t) => t.metric === metric);
    addChart({ kind: 'trend', title: `${metric} over runs`, description: `${metric} per run for ${s.map((t) => t.scope).join(', ')}.`, spec: trendChartSpec(metric, s) });
  }
  if (records.store && trends.length === 0) notes.push('No metric has two or more runs in the store yet: no trends.');

  // risks touched by the findings
  const risks = records.risks.filter((e) => concerns(e.controls));

  // control coverage: the statement of applicability over the report's evidence
  const periodEvents = (records.audit?.events ?? []).filter((e) => !options.period || (e.time >= options.period.from && e.time <= options.period.to));
  const evidence: EvidenceItem[] = [
    ...evidenceFromStore({
      runs: records.runs,
      findings: records.findings,
      risks: records.riskVersions,
      ...(records.audit ? { audit: { events: periodEvents, ok: records.audit.ok } } : {}),
    }),
    ...(options.findings ?? []).flatMap((d) => evidenceFromFindings(d)),
  ];
  const soa = statementOfApplicability({ catalogue: loadCatalogue(), applicability: loadApplicability(), evidence, now });
  const controls: ControlCoverage[] = soa.controls
    .filter((c) => control === null || c.id === control)
    .map((c) => ({ id: c.id, title: c.title, coverage: c.coverage, implementation: c.implementation, evidence: c.evidence.length, latest: c.evidence.at(-1)?.at ?? null, note: c.note }));

  // data fingerprints: input digests from the runs' audit lines, rows from the results
  const fingerprints: DataFingerprint[] = [];
  const rowsOf = (runId: string | null, name: string): number | null => {
    const d = drifts.find((x) => x.runId === runId);
    if (d) return name === 'reference' ? d.json.referenceRows : name === 'current' ? d.json.currentRows : null;
    const a = audits.find((x) => x.runId === runId);
    return a ? a.rows : null;
  };
  for (const run of records.runs) {
    const event = records.audit?.events.find((e) => e.action.endsWith('.run') && e.details?.runId === run.id);
    const files = (event?.details?.files ?? {}) as Record<string, unknown>;
    const inputs = Object.entries(event?.inputs ?? {}).filter(([name]) => !(POLICY_INPUTS as readonly string[]).includes(name));
    for (const [name, sha256] of inputs) {
      fingerprints.push({ runId: run.id, name, file: typeof files[name] === 'string' ? (files[name] as string) : null, sha256, rows: rowsOf(run.id, name), at: event!.time });
    }
    if (inputs.length === 0) {
      const kind = kindOf(run.result);
      if (kind === 'fairwatch.drift') for (const name of ['reference', 'current']) fingerprints.push({ runId: run.id, name, file: null, sha256: null, rows: rowsOf(run.id, name), at: run.time });
      else fingerprints.push({ runId: run.id, name: 'data', file: null, sha256: null, rows: rowsOf(run.id, 'data'), at: run.time });
    }
  }
  for (const [name, sha256] of Object.entries(options.inputs ?? {})) {
    fingerprints.push({ runId: null, name, file: name, sha256, rows: null, at: null });
  }
  if (fingerprints.some((f) => f.sha256 === null)) notes.push('Some inputs have no recorded sha256 (no audit-trail line names them); their row counts are shown.');

  // manifest
  const seedOf = (json: unknown): number | null => {
    const j = json as { kind?: string; results?: GroupMetricsJSON[]; options?: GroupMetricsJSON['options'] };
    const opts = j?.kind === 'fairwatch.audit' ? j.results?.[0]?.options : j?.options;
    return opts?.ci?.seed ?? null;
  };
  const manifestRuns: ManifestRun[] = records.runs.map((r) => ({ id: r.id, kind: r.kind, time: r.time, actor: r.actor, policyHash: r.policyHash, resultDigest: r.resultDigest, seed: seedOf(r.result) }));
  const directSeeds = (options.results ?? []).map((r) => seedOf(jsonOf(r)));
  const policyHashes = [...new Set([...records.runs.map((r) => r.policyHash), ...(options.findings ?? []).map((d) => d.policyHash)].filter((h): h is string => !!h))];
  const seeds = [...new Set([...manifestRuns.map((r) => r.seed), ...directSeeds].filter((s): s is number => s !== null))];

  // definitions of the metrics used
  const used = new Set<string>([...findings.map((f) => f.metric), ...attributes.flatMap((a) => [...a.metrics, ...a.disparities.map((d) => d.name)]), ...drift.flatMap((d) => d.columns.map((c) => c.test ?? ''))]);
  const definitions: MetricDefinition[] = metricCards()
    .filter((c) => used.has(c.id))
    .map((c) => ({ id: c.id, title: c.title, kind: c.kind, definition: c.definition, formula: c.formula, range: [c.range[0], c.range[1]], ideal: c.ideal, direction: c.direction, controls: [...c.isoControls], notes: [...c.notes] }));

  // summary
  const counts = Object.fromEntries(STATUSES.map((s) => [s, findings.filter((f) => f.status === s).length])) as Record<FindingStatus, number>;
  const verdict = findings.length ? worstStatus(findings.map((f) => f.status)) : 'not-evaluated';
  const openRisks = risks.filter((e) => e.status !== 'closed' && e.status !== 'accepted').length;
  if (records.store && records.runs.length === 0) notes.push('The store holds no run in this scope.');
  if (records.audit && !records.audit.ok) notes.push(`The store's audit trail FAILS verification (${records.audit.problem}); its lines are not used as evidence.`);

  const title = options.title ?? (system ? `fairwatch report: ${system.id} ${system.version}` : 'fairwatch report');
  return {
    kind: 'fairwatch.report',
    version: 1,
    title,
    generatedAt: now,
    period: options.period ?? null,
    filter: { run: options.run ?? null, control },
    system,
    summary: { verdict, headline: headline(verdict, counts, findings.length, drift[0], openRisks), counts, runs: records.runs.length + (options.results?.length ?? 0), datasetDrift: drift[0]?.datasetDrift ?? null, openRisks },
    attributes,
    drift,
    trends,
    charts,
    findings,
    risks: [...risks],
    controls,
    fingerprints,
    manifest: {
      tool: { name: 'fairwatch', version: VERSION },
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      host: options.host ?? hostname(),
      generatedAt: now,
      libraries: libraryVersions(),
      policyHashes,
      seeds,
      runs: manifestRuns,
      store: records.store,
      auditTrail: records.audit ? { ok: records.audit.ok, lines: records.audit.lines, problem: records.audit.problem } : null,
    },
    definitions,
    notes,
  };
}
