/**
 * Findings: a policy applied to measured results. `evaluate(results, policy)` turns fairness
 * results (an `AuditResult`, a `GroupMetricsResult`, or their JSON) and drift reports (object or
 * JSON) into a {@link FindingsDocument}: one {@link Finding} per check and scope, with the value,
 * its interval when the result has one, the threshold applied and its direction, a status
 * (`pass | warn | fail | insufficient`) with a one-sentence reason, the likelihood and severity
 * the policy maps the breach to, and the ISO/IEC 42001 Annex A controls the finding evidences.
 *
 * - A fairness check uses the result's named disparity (`disparityDetails[metric]`); its groups
 *   (the two the value rests on) are the finding's scope. It is `insufficient` when the value is
 *   undefined (null, with the result's reason) or a group it rests on has fewer rows than the
 *   policy's `minGroupSize`.
 * - Drift: the share of drifted columns (dataset), each column's decision by the report's deciding
 *   test (`columnDrifted`), and limits on named statistics; a column the report could not
 *   evaluate gives `insufficient` with the report's reason. Per-group reports (`by`) give findings
 *   scoped to the group.
 * - Data quality: the share of rows with a missing sensitive value (audits), the rise of a
 *   column's missing share and the share of unseen categories (drift reports).
 * - Controls come from one table, {@link FINDING_CONTROLS}, by finding kind and stage
 *   (pre-deployment, or monitoring when a window is given or the input is a drift report), plus
 *   {@link INSUFFICIENT_CONTROLS} (data quality) for findings without enough data.
 *
 * Determinism: the same policy and the same result give the same document apart from `createdAt`
 * (inject `now`); ids are `${kind}:${metric}:${attributes or column}` (`@column=group` for
 * per-group drift, `#2`, `#3` ... for repeats of a check).
 *
 * @example
 * ```ts
 * import { audit, evaluate, loadPolicy, formatFindings } from 'fairwatch';
 * const doc = evaluate(audit({ data: rows, yTrue: 'repaid', yPred: 'approved', sensitive: ['sex'] }), loadPolicy());
 * doc.status;                       // 'fail'
 * doc.findings[0].id;               // 'fairness:disparateImpact:sex'
 * doc.findings[0].controls;         // ['A.5.4', 'A.6.2.4']
 * console.log(formatFindings(doc, 'text'));
 * ```
 */
import { InputError, messages } from '../errors.js';
import type { AuditJSON } from '../fairness/audit.js';
import type { DisparityJSON, GroupMetricsJSON } from '../fairness/result.js';
import type { ColumnDrift, DriftReportJSON } from '../drift/report.js';
import { ANNEX_A_IDS } from '../metrics/annex-a-ids.js';
import { digestJSON } from './digest.js';
import { breachRating, policyHash, type BreachMapping, type Policy, type PolicyDriftStatistic, type UpperLimits } from './policy.js';
import type { Finding, FindingScope, FindingStatus, FindingsDocument } from './types.js';

/** Anything with a `toJSON()` that returns one of the result documents (AuditResult, GroupMetricsResult, DriftReport). */
export interface JSONResult {
  toJSON(): AuditJSON | GroupMetricsJSON | DriftReportJSON;
}
/** A result `evaluate` accepts: an audit, one attribute set's metrics, or a drift report, as object or JSON. */
export type Evaluable = JSONResult | AuditJSON | GroupMetricsJSON | DriftReportJSON;

/** Where in the life cycle the measurement was taken. */
export type Stage = 'pre-deployment' | 'monitoring';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** The document's `createdAt` (default: the current time). */
  now?: Date | string;
  /** The monitoring window the results came from; puts fairness findings in the monitoring stage. */
  window?: { start: string; end: string };
  /** Override the stage (default: monitoring when `window` is given, else pre-deployment; drift is always monitoring). */
  stage?: Stage;
}

/**
 * Annex A controls a finding evidences, by finding kind and stage: pre-deployment fairness
 * checks evidence the impact assessment on individuals and groups (A.5.4) and verification and
 * validation (A.6.2.4); monitoring evidences operation and monitoring (A.6.2.6); data-quality
 * checks evidence data quality (A.7.4).
 *
 * @example
 * ```ts
 * FINDING_CONTROLS.fairness['pre-deployment']; // ['A.5.4', 'A.6.2.4']
 * FINDING_CONTROLS.drift.monitoring;            // ['A.6.2.6']
 * ```
 */
export const FINDING_CONTROLS = {
  fairness: { 'pre-deployment': ['A.5.4', 'A.6.2.4'], monitoring: ['A.5.4', 'A.6.2.6'] },
  drift: { 'pre-deployment': ['A.6.2.6'], monitoring: ['A.6.2.6'] },
  'data-quality': { 'pre-deployment': ['A.7.4'], monitoring: ['A.6.2.6', 'A.7.4'] },
} as const satisfies Record<Finding['kind'], Record<Stage, readonly string[]>>;

/**
 * Controls added to a finding whose status is `insufficient`: not enough data is a data-quality
 * matter (A.7.4).
 *
 * @example
 * ```ts
 * INSUFFICIENT_CONTROLS; // ['A.7.4']
 * ```
 */
export const INSUFFICIENT_CONTROLS = ['A.7.4'] as const;

/**
 * The controls of a finding of this kind, stage and status, in the standard's order.
 *
 * @example
 * ```ts
 * findingControls('fairness', 'pre-deployment', 'fail');        // ['A.5.4', 'A.6.2.4']
 * findingControls('fairness', 'pre-deployment', 'insufficient'); // ['A.5.4', 'A.6.2.4', 'A.7.4']
 * findingControls('data-quality', 'monitoring', 'pass');        // ['A.6.2.6', 'A.7.4']
 * ```
 */
export function findingControls(kind: Finding['kind'], stage: Stage, status: FindingStatus): string[] {
  const set = new Set<string>(FINDING_CONTROLS[kind][stage]);
  if (status === 'insufficient') for (const c of INSUFFICIENT_CONTROLS) set.add(c);
  return ANNEX_A_IDS.filter((id) => set.has(id));
}

const SEVERITY_ORDER: Record<FindingStatus, number> = { pass: 0, insufficient: 1, warn: 2, fail: 3 };

/**
 * The worst of some statuses (fail > warn > insufficient > pass); 'pass' for none.
 *
 * @example
 * ```ts
 * worstStatus(['pass', 'insufficient', 'warn']); // 'warn'
 * worstStatus([]);                               // 'pass'
 * ```
 */
export function worstStatus(statuses: Iterable<FindingStatus>): FindingStatus {
  let worst: FindingStatus = 'pass';
  for (const s of statuses) if (SEVERITY_ORDER[s] > SEVERITY_ORDER[worst]) worst = s;
  return worst;
}

const fmt = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? String(Number(x.toPrecision(4))) : x.toExponential(2));

interface Limits {
  warn?: number;
  fail?: number;
  direction: 'above' | 'below';
}

/**
 * Judge a value against warn / fail limits (strict: a value at a limit does not breach it).
 * With `interval` the bound nearest to passing decides (the whole interval must be past a limit).
 *
 * @example
 * ```ts
 * judge(0.75, { warn: 0.9, fail: 0.8, direction: 'below' }, 'disparateImpact');
 * // { status: 'fail', reason: 'disparateImpact 0.75 is below the fail threshold 0.8' }
 * judge(0.8, { warn: 0.9, fail: 0.8, direction: 'below' }, 'disparateImpact').status; // 'warn'
 * judge(0.75, { fail: 0.8, direction: 'below' }, 'disparateImpact', { lower: 0.6, upper: 0.85, confidence: 0.95 }).status; // 'pass'
 * ```
 */
export function judge(
  value: number,
  limits: Limits,
  metric: string,
  interval?: { lower: number; upper: number; confidence: number },
): { status: 'pass' | 'warn' | 'fail'; reason: string } {
  const below = limits.direction === 'below';
  const basis = interval ? (below ? interval.upper : interval.lower) : value;
  const past = (t: number) => (below ? basis < t : basis > t);
  const word = below ? 'below' : 'above';
  const subject = interval
    ? `${metric} ${fmt(value)}: the whole ${Math.round(interval.confidence * 100)}% interval [${fmt(interval.lower)}, ${fmt(interval.upper)}]`
    : `${metric} ${fmt(value)}`;
  for (const level of ['fail', 'warn'] as const) {
    const t = limits[level];
    if (t !== undefined && past(t)) return { status: level, reason: `${subject} is ${word} the ${level} threshold ${fmt(t)}` };
  }
  const bounds = (['warn', 'fail'] as const).filter((l) => limits[l] !== undefined).map((l) => `${l} ${word} ${fmt(limits[l]!)}`);
  const head = interval ? `${metric} ${fmt(value)}: the ${Math.round(interval.confidence * 100)}% interval [${fmt(interval.lower)}, ${fmt(interval.upper)}] is not wholly past a threshold` : `${metric} ${fmt(value)} is within the policy`;
  return { status: 'pass', reason: `${head} (${bounds.join(', ')})` };
}

interface Normalised {
  fairness: GroupMetricsJSON[];
  drift: DriftReportJSON[];
  documents: unknown[];
}

function normalise(input: Evaluable | readonly Evaluable[]): Normalised {
  const list = Array.isArray(input) ? (input as readonly Evaluable[]) : [input as Evaluable];
  const out: Normalised = { fairness: [], drift: [], documents: [] };
  list.forEach((item, i) => {
    const json: unknown = item !== null && typeof item === 'object' && typeof (item as JSONResult).toJSON === 'function' ? (item as JSONResult).toJSON() : item;
    const kind = json !== null && typeof json === 'object' ? (json as { kind?: unknown }).kind : undefined;
    const argument = Array.isArray(input) ? `results[${i}]` : 'result';
    if (kind === 'fairwatch.audit') out.fairness.push(...(json as AuditJSON).results);
    else if (kind === 'fairwatch.groupMetrics') out.fairness.push(json as GroupMetricsJSON);
    else if (kind === 'fairwatch.drift') out.drift.push(json as DriftReportJSON);
    else throw new InputError(messages.notAResult('evaluate', argument, kind ?? item), 'notAResult', { argument });
    out.documents.push(json);
  });
  if (list.length === 0) throw new InputError(messages.emptyInput('evaluate', 'results'), 'emptyInput');
  return out;
}

/**
 * sha256 of the canonical JSON of the results as given (one document, or the list): the same
 * result as an object or as parsed JSON has the same digest.
 *
 * @example
 * ```ts
 * resultDigest(auditResult) === resultDigest(JSON.parse(JSON.stringify(auditResult))); // true
 * ```
 */
export function resultDigest(results: Evaluable | readonly Evaluable[]): string {
  const docs = normalise(results).documents;
  return digestJSON(Array.isArray(results) ? docs : docs[0]);
}

const matchesAttributes = (spec: 'all' | readonly (string | readonly string[])[], attributes: readonly string[]): boolean => {
  if (spec === 'all') return true;
  const key = [...attributes].sort().join('\u0000');
  return spec.some((s) => (typeof s === 'string' ? [s] : [...s]).sort().join('\u0000') === key);
};

class Builder {
  readonly findings: Finding[] = [];
  readonly warnings: string[] = [];
  private readonly seen = new Map<string, number>();
  constructor(
    readonly policy: Policy,
    readonly options: EvaluateOptions,
  ) {}

  add(f: {
    kind: Finding['kind'];
    stage: Stage;
    metric: string;
    target: string;
    scope: FindingScope;
    value: number | null;
    interval?: Finding['interval'];
    threshold: Finding['threshold'];
    status: FindingStatus;
    reason: string;
    breach: Partial<BreachMapping> | undefined;
    owner: string;
  }): void {
    const base = `${f.kind}:${f.metric}:${f.target}`;
    const n = (this.seen.get(base) ?? 0) + 1;
    this.seen.set(base, n);
    const scope: FindingScope = { ...f.scope };
    if (this.options.window) scope.window = { start: this.options.window.start, end: this.options.window.end };
    const finding: Finding = {
      id: n === 1 ? base : `${base}#${n}`,
      kind: f.kind,
      metric: f.metric,
      scope,
      value: f.value,
      ...(f.interval ? { interval: f.interval } : {}),
      threshold: f.threshold,
      status: f.status,
      reason: f.reason,
      controls: findingControls(f.kind, f.stage, f.status),
      owner: f.owner,
    };
    const rating = breachRating(this.policy, f.status, f.breach);
    if (rating) {
      finding.likelihood = rating.likelihood;
      finding.severity = rating.severity;
    }
    this.findings.push(finding);
  }
}

const thresholdOf = (l: UpperLimits | Limits, direction: 'above' | 'below'): Finding['threshold'] => ({
  ...(l.warn !== undefined ? { warn: l.warn } : {}),
  ...(l.fail !== undefined ? { fail: l.fail } : {}),
  direction,
});

function fairnessFindings(b: Builder, r: GroupMetricsJSON, stage: Stage, used: Set<number>): void {
  const p = b.policy;
  const countOf = new Map(r.groups.map((g) => [g.label, g.count]));
  const target = r.attributes.join('×');
  p.fairness.checks.forEach((check, index) => {
    if (!matchesAttributes(check.attributes, r.attributes)) return;
    used.add(index);
    const d: DisparityJSON | undefined = r.disparityDetails?.[check.metric];
    const value = d?.value ?? null;
    const groups = d?.groups ?? [];
    const limits: Limits = { ...thresholdOf(check, check.direction) };
    let interval: Finding['interval'];
    if (d?.interval && d.interval.low !== null && d.interval.high !== null) {
      interval = { lower: d.interval.low, upper: d.interval.high, confidence: d.interval.confidence, method: d.interval.method };
    }
    const small = groups.filter((g) => (countOf.get(g) ?? 0) < p.minGroupSize);
    let status: FindingStatus;
    let reason: string;
    if (value === null) {
      status = 'insufficient';
      reason = `${check.metric} is undefined: ${d?.reason ?? 'the result does not have it'}`;
    } else if (small.length > 0) {
      status = 'insufficient';
      reason = `${check.metric} ${fmt(value)} rests on ${small.map((g) => `group ${JSON.stringify(g)} (${countOf.get(g) ?? 0} rows)`).join(' and ')}, below the policy's minimum group size ${p.minGroupSize}`;
    } else {
      const useInterval = check.interval === 'whole' && interval !== undefined;
      const j = judge(value, limits, check.metric, useInterval ? interval : undefined);
      status = j.status;
      reason = j.reason + (check.interval === 'whole' && !useInterval ? '; the result has no interval, so the point value decided' : '');
    }
    if (groups.length > 0 && value !== null) reason += ` (groups ${groups.join(', ')})`;
    b.add({
      kind: 'fairness',
      stage,
      metric: check.metric,
      target,
      scope: { attributes: [...r.attributes], groups: [...groups] },
      value,
      ...(interval ? { interval } : {}),
      threshold: thresholdOf(check, check.direction),
      status,
      reason,
      breach: check.breach,
      owner: check.owner ?? p.owners.fairness ?? p.system.owner,
    });
  });
  const limits = p.dataQuality.missingSensitiveShare;
  if (limits) {
    const missing = r.groups.filter((g) => Object.values(g.group).some((v) => v === null)).reduce((s, g) => s + g.count, 0) + (r.dropped ?? 0);
    const value = r.rows > 0 ? missing / r.rows : null;
    const j = value === null ? { status: 'insufficient' as const, reason: 'the result has no rows' } : judge(value, { ...limits, direction: 'above' }, 'missing sensitive share');
    b.add({
      kind: 'data-quality',
      stage,
      metric: 'missingShare',
      target,
      scope: { attributes: [...r.attributes], groups: r.groups.filter((g) => Object.values(g.group).some((v) => v === null)).map((g) => g.label) },
      value,
      threshold: thresholdOf(limits, 'above'),
      status: j.status,
      reason: j.reason + (value !== null ? ` (${missing} of ${r.rows} rows)` : ''),
      breach: undefined,
      owner: p.owners.dataQuality ?? p.system.owner,
    });
  }
}

/** The value a drift statistic limit applies to, from a column of the report. */
const DRIFT_VALUE: Record<PolicyDriftStatistic, (c: ColumnDrift) => number | null> = {
  psi: (c) => c.psi,
  jensenShannon: (c) => c.jensenShannon,
  ks: (c) => c.ksStatistic,
  wasserstein: (c) => c.wasserstein,
  wassersteinNormed: (c) => c.wassersteinNormed,
  hellinger: (c) => c.hellinger,
  kl: (c) => c.kl,
  tvd: (c) => c.tvd,
};

/** The effect the report's deciding test compares with its threshold. */
const effectOf = (c: ColumnDrift): number | null =>
  c.test === null ? null : c.test === 'ks' ? c.ksStatistic : c.test === 'chiSquare' ? c.cramersV : c.test === 'zTest' ? c.cohensH : c[c.test];

function driftFindings(b: Builder, rep: Omit<DriftReportJSON, 'by'>, scope: { attributes: string[]; groups: string[]; suffix: string }): void {
  const p = b.policy;
  const stage: Stage = 'monitoring';
  const owner = p.owners.drift ?? p.system.owner;
  const dqOwner = p.owners.dataQuality ?? p.system.owner;
  const base = { attributes: [...scope.attributes], groups: [...scope.groups] };
  if (p.drift.share) {
    const value = rep.driftShare;
    const j =
      value === null
        ? { status: 'insufficient' as const, reason: 'no column could be evaluated, so the share of drifted columns is undefined' }
        : judge(value, { ...p.drift.share, direction: 'above' }, 'share of drifted columns');
    b.add({
      kind: 'drift',
      stage,
      metric: 'driftShare',
      target: 'dataset' + scope.suffix,
      scope: { ...base, groups: [...base.groups] },
      value,
      threshold: thresholdOf(p.drift.share, 'above'),
      status: j.status,
      reason: value === null ? j.reason : `${j.reason} (${rep.driftedColumns.length} of ${rep.evaluatedColumns} columns: ${rep.driftedColumns.join(', ') || 'none'})`,
      breach: undefined,
      owner,
    });
  }
  for (const c of rep.columns) {
    const target = c.column + scope.suffix;
    const colScope = { ...base, groups: [...base.groups], column: c.column };
    const insufficient = c.status === 'insufficient';
    if (p.drift.columnDrifted !== 'ignore' && c.test !== null) {
      const level = p.drift.columnDrifted;
      const status: FindingStatus = insufficient || c.drifted === null ? 'insufficient' : c.drifted ? level : 'pass';
      b.add({
        kind: 'drift',
        stage,
        metric: c.test,
        target,
        scope: colScope,
        value: insufficient ? null : effectOf(c),
        threshold: { ...(c.threshold !== null ? { [level]: c.threshold } : {}), direction: 'above' },
        status,
        reason: insufficient ? `column ${c.column}: ${c.reason}` : `column ${c.column} ${c.drifted ? 'drifted' : 'did not drift'}: ${c.reason}`,
        breach: undefined,
        owner,
      });
    }
    for (const check of p.drift.statistics) {
      if (check.columns !== 'all' && !check.columns.includes(c.column)) continue;
      const value = insufficient ? null : DRIFT_VALUE[check.metric](c);
      const j =
        value === null
          ? { status: 'insufficient' as const, reason: `column ${c.column}: ${insufficient ? c.reason : `${check.metric} does not apply to this column (type ${c.type})`}` }
          : judge(value, { ...thresholdOf(check, 'above'), direction: 'above' }, `${check.metric} of ${c.column}`);
      b.add({
        kind: 'drift',
        stage,
        metric: check.metric,
        target,
        scope: colScope,
        value,
        threshold: thresholdOf(check, 'above'),
        status: j.status,
        reason: j.reason,
        breach: check.breach,
        owner: check.owner ?? owner,
      });
    }
    const rise = p.dataQuality.missingShareIncrease;
    if (rise) {
      const value = c.missingShareCurrent - c.missingShareReference;
      const j = judge(value, { ...rise, direction: 'above' }, `missing share change of ${c.column}`);
      b.add({
        kind: 'data-quality',
        stage,
        metric: 'missingShare',
        target,
        scope: colScope,
        value,
        threshold: thresholdOf(rise, 'above'),
        status: j.status,
        reason: `${j.reason} (reference ${fmt(c.missingShareReference)}, current ${fmt(c.missingShareCurrent)})`,
        breach: undefined,
        owner: dqOwner,
      });
    }
    const unseen = p.dataQuality.unseenShare;
    if (unseen && (c.unseenShare !== null || c.type !== 'numeric')) {
      const value = c.unseenShare;
      const j =
        value === null
          ? { status: 'insufficient' as const, reason: `column ${c.column} has no current values to compare` }
          : judge(value, { ...unseen, direction: 'above' }, `unseen-category share of ${c.column}`);
      b.add({
        kind: 'data-quality',
        stage,
        metric: 'unseenShare',
        target,
        scope: colScope,
        value,
        threshold: thresholdOf(unseen, 'above'),
        status: j.status,
        reason: j.reason,
        breach: undefined,
        owner: dqOwner,
      });
    }
  }
}

/**
 * Apply a policy to results: fairness results (audit, group metrics) and/or drift reports, as
 * objects or JSON; one result or a list. See the module doc for what each check produces.
 *
 * @example
 * ```ts
 * const a = audit({ yTrue, yPred, sensitive: { sex } });
 * const doc = evaluate(a, loadPolicy('policy.yaml'), { now: '2026-01-01T00:00:00Z' });
 * doc.findings.map((f) => [f.id, f.status]); // [['fairness:disparateImpact:sex', 'fail'], ...]
 * evaluate([a, driftReport({ reference, current })], policy, { window: { start: '2026-01-01', end: '2026-02-01' } });
 * ```
 */
export function evaluate(results: Evaluable | readonly Evaluable[], policy: Policy, options: EvaluateOptions = {}): FindingsDocument {
  const input = normalise(results);
  const b = new Builder(policy, options);
  const fairnessStage: Stage = options.stage ?? (options.window ? 'monitoring' : 'pre-deployment');
  const used = new Set<number>();
  for (const r of input.fairness) fairnessFindings(b, r, fairnessStage, used);
  if (input.fairness.length > 0) {
    policy.fairness.checks.forEach((c, i) => {
      if (!used.has(i)) {
        b.warnings.push(`fairness check ${i} (${c.metric}) names attributes ${JSON.stringify(c.attributes)} that no attribute set of the result has`);
      }
    });
  }
  for (const rep of input.drift) {
    if (rep.alpha !== policy.alpha) {
      b.warnings.push(`the drift report was computed with alpha ${rep.alpha} but the policy's alpha is ${policy.alpha}; the report's column decisions are used as they are`);
    }
    driftFindings(b, rep, { attributes: [], groups: [], suffix: '' });
    for (const g of rep.by?.groups ?? []) {
      driftFindings(b, g.report, { attributes: [rep.by!.column], groups: [g.group], suffix: `@${rep.by!.column}=${g.group}` });
    }
    for (const check of policy.drift.statistics) {
      if (check.columns === 'all') continue;
      for (const col of check.columns) {
        if (!rep.columns.some((c) => c.column === col)) b.warnings.push(`drift check ${check.metric} names column ${JSON.stringify(col)} that the drift report does not have`);
      }
    }
  }
  const createdAt = options.now === undefined ? new Date().toISOString() : new Date(options.now).toISOString();
  const doc: FindingsDocument = {
    kind: 'fairwatch.findings',
    version: 1,
    system: { ...policy.system },
    policyHash: policyHash(policy),
    resultDigest: digestJSON(Array.isArray(results) ? input.documents : input.documents[0]),
    createdAt,
    findings: b.findings,
    status: worstStatus(b.findings.map((f) => f.status)),
  };
  if (b.warnings.length) doc.warnings = b.warnings;
  return doc;
}

const num = (v: number | null) => (v === null ? '—' : fmt(v));
const thresholdText = (t: Finding['threshold']) => {
  const sign = t.direction === 'below' ? '<' : '>';
  return [t.warn !== undefined ? `warn ${sign} ${fmt(t.warn)}` : '', t.fail !== undefined ? `fail ${sign} ${fmt(t.fail)}` : ''].filter(Boolean).join(', ') || '—';
};
const scopeText = (s: FindingScope) =>
  [s.attributes.length ? s.attributes.join(' × ') : '', s.column ? `column ${s.column}` : '', s.groups.length ? `groups ${s.groups.join(', ')}` : '', s.window ? `window ${s.window.start}..${s.window.end}` : '']
    .filter(Boolean)
    .join('; ') || 'dataset';
const intervalText = (f: Finding) => (f.interval ? `[${fmt(f.interval.lower)}, ${fmt(f.interval.upper)}]` : '');
const ratingText = (f: Finding) => (f.likelihood !== undefined ? `L${f.likelihood} × S${f.severity}` : '');

/**
 * Format a findings document for the CLI: a text table, GitHub Markdown, or the JSON document.
 *
 * @example
 * ```ts
 * formatFindings(doc, 'text').split('\n')[0];   // 'findings for credit 2.1: FAIL (3 pass, 0 insufficient, 1 warn, 1 fail)'
 * formatFindings(doc, 'markdown').startsWith('## Findings'); // true
 * JSON.parse(formatFindings(doc, 'json')).kind; // 'fairwatch.findings'
 * ```
 */
export function formatFindings(doc: FindingsDocument, format: 'text' | 'markdown' | 'md' | 'json'): string {
  if (format === 'json') return JSON.stringify(doc, null, 2);
  const counts = (['pass', 'insufficient', 'warn', 'fail'] as const).map((s) => `${doc.findings.filter((f) => f.status === s).length} ${s}`).join(', ');
  const head = `findings for ${doc.system.id} ${doc.system.version}: ${doc.status.toUpperCase()} (${counts})`;
  const meta = `policy ${doc.policyHash.slice(0, 12)}  result ${doc.resultDigest.slice(0, 12)}  created ${doc.createdAt}`;
  if (format === 'markdown' || format === 'md') {
    const esc = (s: string) => s.replace(/\|/g, '\\|');
    const rows = doc.findings.map(
      (f) =>
        `| ${f.status} | \`${esc(f.id)}\` | ${esc(scopeText(f.scope))} | ${num(f.value)} | ${intervalText(f)} | ${thresholdText(f.threshold)} | ${ratingText(f)} | ${f.controls.join(', ')} | ${esc(f.reason)} |`,
    );
    return [
      '## Findings',
      '',
      `**${doc.system.id} ${doc.system.version}** (owner ${esc(doc.system.owner)}): **${doc.status}** — ${counts}.`,
      '',
      `Policy \`${doc.policyHash}\`, result \`${doc.resultDigest}\`, created ${doc.createdAt}.`,
      '',
      '| status | finding | scope | value | interval | threshold | likelihood × severity | controls | reason |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      ...(doc.warnings?.length ? ['', ...doc.warnings.map((w) => `- warning: ${esc(w)}`)] : []),
    ].join('\n');
  }
  const idWidth = Math.max(7, ...doc.findings.map((f) => f.id.length));
  const lines = doc.findings.map((f) => {
    const value = `${num(f.value)}${f.interval ? ' ' + intervalText(f) : ''}`;
    return [
      `${f.status.padEnd(12)}  ${f.id.padEnd(idWidth)}  ${value.padEnd(24)}  ${thresholdText(f.threshold).padEnd(26)}  ${ratingText(f).padEnd(7)}  ${f.controls.join(', ')}`,
      `${' '.repeat(14)}${f.reason}`,
    ].join('\n');
  });
  return [
    head,
    meta,
    '',
    `${'status'.padEnd(12)}  ${'finding'.padEnd(idWidth)}  ${'value'.padEnd(24)}  ${'threshold'.padEnd(26)}  ${'rating'.padEnd(7)}  controls`,
    ...lines,
    ...(doc.warnings?.length ? ['', ...doc.warnings.map((w) => `warning: ${w}`)] : []),
  ].join('\n');
}
