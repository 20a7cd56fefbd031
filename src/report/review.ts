/**
 * The management-review summary (ISO/IEC 42001 clause 9.3) for a period: what top management
 * needs to review — changes since the last review (new and changed risk entries, status changes),
 * metric trends, open and changed risks, alerts and incidents (failing fairness and drift
 * findings), and the decisions needed (open critical or high risks with no treatment under way,
 * overdue review dates). `managementReview` reads the store; {@link assembleReview} is pure.
 *
 * "Since the last review": the end of the period of the newest earlier review recorded in the
 * audit trail (`review.export` lines whose period ended at or before this period's start), else
 * the period's start.
 *
 * @example
 * ```ts
 * const review = await managementReview(store, { from: '2026-01-01', to: '2026-03-31' });
 * review.decisions.map((d) => `${d.riskId}: ${d.reason}`); // ['R-…: high risk open with no treatment under way', ...]
 * console.log(reviewToMarkdown(review));
 * ```
 */
import { parsePeriod } from '../governance/soa.js';
import type { AISystem, AuditEvent, Finding, FindingStatus, RiskEntry } from '../governance/types.js';
import type { Store, StoredFinding, StoredRun } from '../store/types.js';
import { trendSeries } from './build.js';
import { trendChartSpec } from './charts.js';
import { escapeHTML as e, escapeMarkdown as md } from './escape.js';
import { chartFigure, fmtNumber, htmlDocument, htmlTable, type HtmlCell } from './html.js';
import type { ReportChart, TrendSeries } from './types.js';

/** A risk-register change in the review period. */
export interface RiskChangeItem {
  riskId: string;
  version: number;
  title: string;
  /** `new`: version 1; `status`: the status changed; `changed`: anything else (a run's update, a new owner, ...). */
  change: 'new' | 'status' | 'changed';
  fromStatus: string | null;
  toStatus: string;
  level: string;
  at: string;
  by: string;
  reason: string;
}

/** A failing finding (an alert) in the period. */
export interface ReviewAlert {
  runId: string;
  time: string;
  kind: Finding['kind'];
  metric: string;
  scope: string;
  status: FindingStatus;
  value: number | null;
  reason: string;
}

/** A decision top management is asked to take. */
export interface ReviewDecision {
  riskId: string;
  title: string;
  kind: 'untreated' | 'overdue';
  reason: string;
  level: string;
  owner: string;
  reviewDate: string;
}

/** The management-review document. */
export interface ReviewModel {
  kind: 'fairwatch.managementReview';
  version: 1;
  title: string;
  generatedAt: string;
  period: { from: string; to: string };
  systems: AISystem[];
  previousReview: { at: string; by: string; period: { from: string; to: string } | null } | null;
  /** Changes are counted from here. */
  since: string;
  summary: { headline: string; runs: number; failingRuns: number; newRisks: number; changedRisks: number; statusChanges: number; openRisks: number; alerts: number; incidents: number; decisions: number };
  changes: RiskChangeItem[];
  trends: TrendSeries[];
  charts: ReportChart[];
  /** Latest versions of entries not closed or accepted. */
  openRisks: RiskEntry[];
  alerts: ReviewAlert[];
  incidents: { riskId: string; incident: string }[];
  decisions: ReviewDecision[];
  notes: string[];
}

/** Plain records a review is assembled from. */
export interface ReviewRecords {
  /** Runs in the period. */
  runs: readonly StoredRun[];
  /** Findings of the runs in the period. */
  findings: readonly StoredFinding[];
  /** Every version of every risk entry. */
  riskVersions: readonly RiskEntry[];
  /** The audit trail (for earlier reviews). */
  audit: readonly AuditEvent[];
}

/** Options of {@link managementReview} and {@link assembleReview}. */
export interface ReviewOptions {
  /** Time of the review (default now). */
  now?: Date | string;
  title?: string;
}

const OPEN: ReadonlySet<string> = new Set(['open', 'treating', 'monitoring']);
const scopeOf = (f: Finding) => (f.scope.column ? `column ${f.scope.column}` : f.scope.attributes.join(' × ') || 'dataset');

/**
 * The management review of a period, read from the store (see the module comment).
 *
 * @example
 * ```ts
 * const review = await managementReview(store, '2026-01-01..2026-03-31');
 * review.summary.headline; // '2 new and 1 changed risk entries since 2026-01-01 ...'
 * ```
 */
export async function managementReview(
  store: Pick<Store, 'listRuns' | 'findings' | 'latestRisks' | 'riskHistory' | 'readAudit'>,
  period: string | { from: string; to: string },
  options: ReviewOptions = {},
): Promise<ReviewModel> {
  const p = parsePeriod(period);
  const runs = await store.listRuns(p);
  const findings = await store.findings(p);
  const riskVersions: RiskEntry[] = [];
  for (const latest of await store.latestRisks()) riskVersions.push(...(await store.riskHistory(latest.id)));
  const audit = await store.readAudit();
  return assembleReview({ runs, findings, riskVersions, audit }, p, options);
}

/**
 * The pure part of {@link managementReview}.
 *
 * @example
 * ```ts
 * const r = assembleReview({ runs: [], findings: [], riskVersions: [entryV1], audit: [] }, '2026-01-01..2026-03-31', { now: '2026-04-01T00:00:00Z' });
 * r.changes[0].change; // 'new' (when entryV1.changedAt is in the period)
 * ```
 */
export function assembleReview(records: ReviewRecords, period: string | { from: string; to: string }, options: ReviewOptions = {}): ReviewModel {
  const p = parsePeriod(period);
  const now = new Date(options.now ?? Date.now()).toISOString();
  const notes: string[] = [];

  const earlier = records.audit
    .filter((ev) => ev.action === 'review.export')
    .map((ev) => ({ ev, period: (ev.details?.period ?? null) as { from: string; to: string } | null }))
    .filter((x) => x.period !== null && typeof x.period.to === 'string' && x.period.to <= p.from)
    .sort((a, b) => (a.period!.to < b.period!.to ? -1 : a.period!.to > b.period!.to ? 1 : 0));
  const last = earlier.at(-1);
  const since = last ? last.period!.to : p.from;

  // changes since the last review, up to the period's end
  const byId = new Map<string, RiskEntry[]>();
  for (const v of records.riskVersions) byId.set(v.id, [...(byId.get(v.id) ?? []), v]);
  for (const list of byId.values()) list.sort((a, b) => a.version - b.version);
  const changes: RiskChangeItem[] = [];
  for (const list of byId.values()) {
    list.forEach((v, i) => {
      if (v.changedAt < since || v.changedAt > p.to) return;
      const prev = i > 0 ? list[i - 1]! : null;
      const change: RiskChangeItem['change'] = v.version === 1 || !prev ? 'new' : prev.status !== v.status ? 'status' : 'changed';
      changes.push({ riskId: v.id, version: v.version, title: v.title, change, fromStatus: prev?.status ?? null, toStatus: v.status, level: v.inherentLevel, at: v.changedAt, by: v.changedBy, reason: v.reason });
    });
  }
  changes.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.riskId < b.riskId ? -1 : a.riskId > b.riskId ? 1 : a.version - b.version));

  // the register as it stood at the period's end
  const latestAtEnd = [...byId.values()].map((list) => list.filter((v) => v.changedAt <= p.to).at(-1)).filter((v): v is RiskEntry => v !== undefined);
  const openRisks = latestAtEnd.filter((v) => OPEN.has(v.status)).sort((a, b) => (a.id < b.id ? -1 : 1));

  // alerts: failing findings in the period; incidents linked to open entries
  const alerts: ReviewAlert[] = records.findings
    .filter((s) => s.finding.status === 'fail')
    .map((s) => ({ runId: s.runId, time: s.time, kind: s.finding.kind, metric: s.finding.metric, scope: scopeOf(s.finding), status: s.finding.status, value: s.finding.value, reason: s.finding.reason }));
  const incidents = latestAtEnd.flatMap((v) => v.incidents.map((incident) => ({ riskId: v.id, incident })));

  // decisions needed
  const endDay = p.to.slice(0, 10);
  const decisions: ReviewDecision[] = [];
  for (const v of openRisks) {
    const base = { riskId: v.id, title: v.title, level: v.inherentLevel, owner: v.owner, reviewDate: v.reviewDate };
    if (v.status === 'open' && (v.inherentLevel === 'critical' || v.inherentLevel === 'high')) {
      decisions.push({ ...base, kind: 'untreated', reason: `${v.inherentLevel} risk open with no treatment under way (status open; planned treatment ${v.treatment}): approve a treatment, or accept the risk` });
    }
    if (v.reviewDate < endDay) decisions.push({ ...base, kind: 'overdue', reason: `review date ${v.reviewDate} has passed (period ends ${endDay}): review the entry and set the next date` });
  }

  const trends = trendSeries(records.findings);
  const charts: ReportChart[] = [...new Set(trends.map((s) => s.metric))].slice(0, 6).map((metric, i) => {
    const s = trends.filter((t) => t.metric === metric);
    return { id: `chart-${i + 1}`, kind: 'trend', title: `${metric} over runs`, description: `${metric} per run for ${s.map((t) => t.scope).join(', ')}.`, spec: trendChartSpec(metric, s) };
  });
  if (trends.length === 0) notes.push('No metric has two or more runs in the period: no trends.');

  const failingRuns = new Set(alerts.map((a) => a.runId)).size;
  const count = (c: RiskChangeItem['change']) => changes.filter((x) => x.change === c).length;
  const systems = [...new Map(records.runs.filter((r) => r.system).map((r) => [r.system!.id, r.system!])).values()];
  const summary = {
    runs: records.runs.length,
    failingRuns,
    newRisks: count('new'),
    changedRisks: count('changed') + count('status'),
    statusChanges: count('status'),
    openRisks: openRisks.length,
    alerts: alerts.length,
    incidents: incidents.length,
    decisions: decisions.length,
    headline: '',
  };
  summary.headline =
    `${records.runs.length} run(s) in the period, ${failingRuns} with failing findings (${alerts.length} alert(s)); ` +
    `since ${since.slice(0, 10)}: ${summary.newRisks} new risk entr${summary.newRisks === 1 ? 'y' : 'ies'}, ${summary.changedRisks} changed (${summary.statusChanges} status change(s)); ` +
    `${openRisks.length} open at the period's end; ${decisions.length} decision(s) needed.`;
  return {
    kind: 'fairwatch.managementReview',
    version: 1,
    title: options.title ?? `Management review (ISO/IEC 42001 clause 9.3): ${p.from.slice(0, 10)} to ${p.to.slice(0, 10)}`,
    generatedAt: now,
    period: p,
    systems,
    previousReview: last ? { at: last.ev.time, by: last.ev.actor, period: last.period } : null,
    since,
    summary,
    changes,
    trends,
    charts,
    openRisks,
    alerts,
    incidents,
    decisions,
    notes,
  };
}

/**
 * The review as JSON.
 *
 * @example
 * ```ts
 * JSON.parse(reviewToJSON(review)).kind; // 'fairwatch.managementReview'
 * ```
 */
export function reviewToJSON(review: ReviewModel): string {
  return JSON.stringify(review, null, 2) + '\n';
}

type Cell = string | number | null;
function mdTable(head: readonly string[], rows: readonly (readonly Cell[])[]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map((c) => (c === null ? '—' : typeof c === 'number' ? String(c) : md(c))).join(' | ')} |`)];
}

const changeRow = (c: RiskChangeItem): Cell[] => [c.at, c.riskId, c.version, c.change, c.fromStatus ? `${c.fromStatus} → ${c.toStatus}` : c.toStatus, c.level, c.by, c.title, c.reason];
const CHANGE_HEAD = ['when', 'risk', 'version', 'change', 'status', 'level', 'by', 'title', 'reason'];
const openRow = (v: RiskEntry): Cell[] => [v.id, v.version, v.status, `${v.inherentLevel} (${v.likelihood}×${v.severity})`, v.treatment, v.owner, v.reviewDate, v.title];
const OPEN_HEAD = ['risk', 'version', 'status', 'level', 'treatment', 'owner', 'review', 'title'];
const alertRow = (a: ReviewAlert): Cell[] => [a.time, a.runId, a.kind, a.metric, a.scope, fmtNumber(a.value), a.reason];
const ALERT_HEAD = ['when', 'run', 'kind', 'metric', 'scope', 'value', 'reason'];
const decisionRow = (d: ReviewDecision): Cell[] => [d.riskId, d.kind, d.level, d.owner, d.reviewDate, d.title, d.reason];
const DECISION_HEAD = ['risk', 'decision', 'level', 'owner', 'review', 'title', 'why'];
const trendRow = (s: TrendSeries): Cell[] => [s.metric, s.scope, s.points.length, fmtNumber(s.points[0]!.value), fmtNumber(s.points.at(-1)!.value), fmtNumber(s.points.at(-1)!.value - s.points[0]!.value)];
const TREND_HEAD = ['metric', 'scope', 'runs', 'first', 'last', 'change'];
const prevText = (r: ReviewModel) => (r.previousReview ? `previous review ${r.previousReview.at} by ${r.previousReview.by}${r.previousReview.period ? ` (period ${r.previousReview.period.from} .. ${r.previousReview.period.to})` : ''}` : 'no earlier review recorded in the audit trail');

/**
 * The review as Markdown: summary, decisions needed, changes since the last review, open risks,
 * alerts and incidents, metric trends.
 *
 * @example
 * ```ts
 * reviewToMarkdown(review).split('\n')[0]; // '# Management review (ISO/IEC 42001 clause 9.3): 2026-01-01 to 2026-03-31'
 * ```
 */
export function reviewToMarkdown(r: ReviewModel): string {
  const out = [`# ${md(r.title)}`, '', `Period ${r.period.from} .. ${r.period.to} · generated ${r.generatedAt} · systems ${md(r.systems.map((s) => `${s.id} ${s.version}`).join(', ') || 'none recorded')} · ${md(prevText(r))}; changes counted since ${r.since}.`, ''];
  out.push('## Summary', '', md(r.summary.headline), '');
  const section = (title: string, head: string[], rows: Cell[][], empty: string) => {
    out.push(`## ${title}`, '');
    if (rows.length) out.push(...mdTable(head, rows), '');
    else out.push(empty, '');
  };
  section('Decisions needed', DECISION_HEAD, r.decisions.map(decisionRow), 'None.');
  section('Changes since the last review', CHANGE_HEAD, r.changes.map(changeRow), 'No risk-register changes.');
  section('Open risks at the end of the period', OPEN_HEAD, r.openRisks.map(openRow), 'None.');
  section('Alerts (failing findings)', ALERT_HEAD, r.alerts.map(alertRow), 'No failing findings.');
  section('Incidents', ['risk', 'incident'], r.incidents.map((i) => [i.riskId, i.incident]), 'No incidents linked to risk entries.');
  section('Metric trends', TREND_HEAD, r.trends.map(trendRow), 'No metric has two or more runs in the period.');
  if (r.notes.length) out.push('## Notes', '', ...r.notes.map((n) => `- ${md(n)}`), '');
  return out.join('\n');
}

/**
 * The review as a self-contained HTML page (trend charts as inline SVG).
 *
 * @example
 * ```ts
 * (await reviewToHTML(review)).includes('Decisions needed'); // true
 * ```
 */
export async function reviewToHTML(r: ReviewModel): Promise<string> {
  const b: string[] = [`<header><h1>${e(r.title)}</h1><p class="meta">Period ${e(r.period.from)} .. ${e(r.period.to)} · generated ${e(r.generatedAt)} · systems ${e(r.systems.map((s) => `${s.id} ${s.version}`).join(', ') || 'none recorded')} · ${e(prevText(r))}; changes counted since ${e(r.since)}.</p></header>`];
  b.push(`<section id="summary"><h2>Summary</h2><p>${e(r.summary.headline)}</p></section>`);
  const cells = (rows: Cell[][]): HtmlCell[][] => rows;
  const section = (id: string, title: string, head: string[], rows: Cell[][], empty: string) =>
    b.push(`<section id="${id}"><h2>${e(title)}</h2>${rows.length ? htmlTable(head, cells(rows)) : `<p>${e(empty)}</p>`}</section>`);
  section('decisions', 'Decisions needed', DECISION_HEAD, r.decisions.map(decisionRow), 'None.');
  section('changes', 'Changes since the last review', CHANGE_HEAD, r.changes.map(changeRow), 'No risk-register changes.');
  section('open-risks', 'Open risks at the end of the period', OPEN_HEAD, r.openRisks.map(openRow), 'None.');
  section('alerts', 'Alerts (failing findings)', ALERT_HEAD, r.alerts.map(alertRow), 'No failing findings.');
  section('incidents', 'Incidents', ['risk', 'incident'], r.incidents.map((i) => [i.riskId, i.incident]), 'No incidents linked to risk entries.');
  section('trends', 'Metric trends', TREND_HEAD, r.trends.map(trendRow), 'No metric has two or more runs in the period.');
  for (const c of r.charts) b.push(await chartFigure(c));
  if (r.notes.length) b.push(`<div class="note">${r.notes.map((n) => `<p>${e(n)}</p>`).join('')}</div>`);
  return htmlDocument(r.title, b.join('\n'));
}

/**
 * The review file names, in the order {@link reviewFiles} returns them.
 *
 * @example
 * ```ts
 * REVIEW_FILES; // ['management-review.json', 'management-review.md', 'management-review.html']
 * ```
 */
export const REVIEW_FILES = ['management-review.json', 'management-review.md', 'management-review.html'] as const;

/**
 * All three renderings of a review with their file names (pure; the caller writes them).
 *
 * @example
 * ```ts
 * Object.keys(await reviewFiles(review)); // ['management-review.json', 'management-review.md', 'management-review.html']
 * ```
 */
export async function reviewFiles(review: ReviewModel): Promise<Record<(typeof REVIEW_FILES)[number], string>> {
  return { 'management-review.json': reviewToJSON(review), 'management-review.md': reviewToMarkdown(review), 'management-review.html': await reviewToHTML(review) };
}
