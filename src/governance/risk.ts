/**
 * The risk register's logic (ISO/IEC 42001 6.1.2/6.1.3, ISO/IEC 23894), pure: no I/O. Versions
 * are computed here and appended by the store; nothing is ever rewritten.
 *
 * - **Stable id**: `R-` + the first 12 hex digits of sha256(canonicalJSON([system.id, metric,
 *   sorted attributes])) — {@link riskId}. Drift findings have no sensitive attributes; their
 *   column stands in (`['column:income']`), so each drifting column is its own risk.
 * - **5×5 matrix** ({@link riskLevel}): score = likelihood × severity; 1–4 low, 5–9 medium,
 *   10–16 high, 20–25 critical (no product falls in 17–19).
 *
 * ```text
 *              severity  1    2    3    4    5
 * likelihood 5           med  high high crit crit
 *            4           low  med  high high crit
 *            3           low  med  med  high high
 *            2           low  low  med  med  high
 *            1           low  low  low  low  med
 * ```
 * - **Findings → versions** ({@link applyFindings}): a finding whose status is in `openOn`
 *   (default `['fail']`) opens an entry (version 1, status open, treatment modify) or adds a
 *   version that links it, takes its likelihood/severity, affected groups and controls (a closed
 *   entry is reopened; other statuses are kept). A passing finding for an entry whose last linked
 *   finding did not pass records the improvement as a new version with the status unchanged:
 *   the register never closes an entry by itself. Repeated passes, `insufficient` findings, and
 *   passes without an entry add nothing.
 * - **People** change status, owner, treatment, residual rating and review date with
 *   {@link updateEntry}; every version carries changedBy, changedAt and reason.
 *
 * @example
 * ```ts
 * const v1 = applyFindings([], findingsDoc, { runId: 'run-1', actor: 'ci' });
 * v1[0].status;   // 'open'
 * const v2 = updateEntry(v1[0], { status: 'closed', note: 'retrained model', by: 'ann' });
 * v2.version;     // 2
 * ```
 */
import { InputError, messages } from '../errors.js';
import { canonicalJSON, sha256Hex } from './digest.js';
import type { AISystem, Finding, FindingsDocument, FindingStatus, Rating, RiskEntry, RiskLevel, RiskStatus, Treatment } from './types.js';

/**
 * Every risk status, in life-cycle order.
 *
 * @example
 * ```ts
 * RISK_STATUSES[0]; // 'open'
 * ```
 */
export const RISK_STATUSES = ['open', 'treating', 'monitoring', 'accepted', 'closed'] as const satisfies readonly RiskStatus[];
/**
 * Every treatment option.
 *
 * @example
 * ```ts
 * TREATMENTS; // ['avoid', 'modify', 'share', 'retain']
 * ```
 */
export const TREATMENTS = ['avoid', 'modify', 'share', 'retain'] as const satisfies readonly Treatment[];
/**
 * Levels from lowest to highest.
 *
 * @example
 * ```ts
 * RISK_LEVELS.indexOf('high') > RISK_LEVELS.indexOf('medium'); // true
 * ```
 */
export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const satisfies readonly RiskLevel[];

/**
 * The stable id of the risk for a system, metric and attribute set (attribute order does not matter).
 *
 * @example
 * ```ts
 * riskId('loan-model', 'disparateImpact', ['sex', 'age_band']) === riskId('loan-model', 'disparateImpact', ['age_band', 'sex']); // true
 * riskId('loan-model', 'disparateImpact', ['sex']); // 'R-' + 12 hex digits
 * ```
 */
export function riskId(systemId: string, metric: string, attributes: readonly string[]): string {
  return 'R-' + sha256Hex(canonicalJSON([systemId, metric, [...attributes].sort()])).slice(0, 12);
}

/**
 * The attribute set a finding's risk is keyed on: its sensitive attributes, or `['column:<c>']`
 * for a drift finding on one column.
 *
 * @example
 * ```ts
 * riskAttributes({ scope: { attributes: ['sex'], groups: [] } } as Finding);                   // ['sex']
 * riskAttributes({ scope: { attributes: [], groups: [], column: 'income' } } as Finding);    // ['column:income']
 * ```
 */
export function riskAttributes(finding: Pick<Finding, 'scope'>): string[] {
  const attrs = [...finding.scope.attributes].sort();
  if (attrs.length === 0 && finding.scope.column !== undefined) return [`column:${finding.scope.column}`];
  return attrs;
}

/**
 * The level of a likelihood × severity cell (see the matrix in the module comment).
 *
 * @example
 * ```ts
 * riskLevel(1, 4); // 'low'      (4)
 * riskLevel(3, 3); // 'medium'   (9)
 * riskLevel(2, 5); // 'high'     (10)
 * riskLevel(4, 5); // 'critical' (20)
 * ```
 */
export function riskLevel(likelihood: Rating, severity: Rating): RiskLevel {
  checkRating('riskLevel', 'likelihood', likelihood);
  checkRating('riskLevel', 'severity', severity);
  const score = likelihood * severity;
  return score <= 4 ? 'low' : score <= 9 ? 'medium' : score <= 16 ? 'high' : 'critical';
}

/** Options of {@link applyFindings}. */
export interface ApplyFindingsOptions {
  /** The run the findings came from (linked in each version). */
  runId: string;
  /** Who or what made the change (e.g. 'ci', a user name). */
  actor: string;
  /** Time of the change (ISO-8601 or Date); default now. */
  now?: string | Date;
  /** Days from `now` to the next review of a new or updated entry (default 90). */
  reviewDays?: number;
  /** Finding statuses that open or update an entry (default ['fail']; add 'warn' to track warnings). */
  openOn?: readonly FindingStatus[];
  /** Owner of new entries (default the system's owner). */
  owner?: string;
  /** Evidence digests to link (default the findings document's resultDigest). */
  evidence?: readonly string[];
}

/** Default likelihood and severity when a breaching finding carries none. */
const DEFAULT_RATING: Record<'fail' | 'warn', { likelihood: Rating; severity: Rating }> = {
  fail: { likelihood: 3, severity: 4 },
  warn: { likelihood: 2, severity: 3 },
};

/**
 * The new versions that a findings document adds to a register whose latest versions are
 * `current` (see the module comment for the rules). Returns versions only for entries that change,
 * in the order of the findings; the caller appends them (the store checks each version is the
 * latest + 1).
 *
 * @example
 * ```ts
 * // hand-worked: disparate impact 0.62 fails (fail threshold 0.8), likelihood 4, severity 4
 * const [e] = applyFindings([], doc, { runId: 'r1', actor: 'ci', now: '2026-03-01T00:00:00Z' });
 * [e.version, e.status, e.treatment, e.inherentLevel, e.reviewDate]; // [1, 'open', 'modify', 'high', '2026-05-30']
 * // a later run where it passes: a new version, still open
 * const [e2] = applyFindings([e], passingDoc, { runId: 'r2', actor: 'ci' });
 * [e2.version, e2.status]; // [2, 'open']
 * ```
 */
export function applyFindings(current: readonly RiskEntry[], doc: FindingsDocument, options: ApplyFindingsOptions): RiskEntry[] {
  const fn = 'applyFindings';
  if (typeof options.runId !== 'string' || options.runId === '') throw new InputError(messages.badRiskField(fn, 'runId', options.runId, 'a non-empty string'), 'badRiskField');
  if (typeof options.actor !== 'string' || options.actor.trim() === '') throw new InputError(messages.badRiskField(fn, 'actor', options.actor, 'a non-empty string'), 'badRiskField');
  const now = isoTime(fn, 'now', options.now);
  const reviewDays = options.reviewDays ?? 90;
  if (!Number.isInteger(reviewDays) || reviewDays < 0) throw new InputError(messages.badRiskField(fn, 'reviewDays', reviewDays, 'an integer >= 0'), 'badRiskField');
  const openOn = new Set<FindingStatus>(options.openOn ?? ['fail']);
  const reviewDate = addDays(now, reviewDays);
  const evidence = options.evidence ?? (doc.resultDigest ? [doc.resultDigest] : []);

  const latest = new Map<string, RiskEntry>();
  for (const e of current) {
    const prev = latest.get(e.id);
    if (!prev || e.version > prev.version) latest.set(e.id, e);
  }
  const out: RiskEntry[] = [];
  for (const f of doc.findings) {
    const attributes = riskAttributes(f);
    const id = riskId(doc.system.id, f.metric, attributes);
    const existing = latest.get(id);
    const link = { runId: options.runId, findingId: f.id, status: f.status, value: f.value, at: now };
    let next: RiskEntry | undefined;
    if (openOn.has(f.status)) {
      const rating = {
        likelihood: f.likelihood ?? DEFAULT_RATING[f.status === 'warn' ? 'warn' : 'fail'].likelihood,
        severity: f.severity ?? DEFAULT_RATING[f.status === 'warn' ? 'warn' : 'fail'].severity,
      };
      if (!existing) {
        const text = describe(doc.system, f, attributes);
        next = {
          id,
          version: 1,
          title: text.title,
          system: { ...doc.system },
          metric: f.metric,
          attributes,
          riskSource: text.riskSource,
          event: text.event,
          consequence: text.consequence,
          affectedGroups: [...f.scope.groups],
          likelihood: rating.likelihood,
          severity: rating.severity,
          inherentLevel: riskLevel(rating.likelihood, rating.severity),
          treatment: 'modify',
          controls: [...f.controls],
          owner: options.owner ?? doc.system.owner,
          status: 'open',
          reviewDate,
          findings: [link],
          evidence: unique(evidence),
          incidents: [],
          changedBy: options.actor,
          changedAt: now,
          reason: `opened by run ${options.runId}: ${f.reason}`,
        };
      } else {
        const reopened = existing.status === 'closed';
        next = {
          ...clone(existing),
          version: existing.version + 1,
          system: { ...doc.system },
          event: describe(doc.system, f, attributes).event,
          affectedGroups: [...f.scope.groups],
          likelihood: rating.likelihood,
          severity: rating.severity,
          inherentLevel: riskLevel(rating.likelihood, rating.severity),
          controls: unique([...existing.controls, ...f.controls]),
          status: reopened ? 'open' : existing.status,
          reviewDate,
          findings: [...existing.findings, link],
          evidence: unique([...existing.evidence, ...evidence]),
          changedBy: options.actor,
          changedAt: now,
          reason: `${reopened ? 'reopened' : 'updated'} by run ${options.runId}: ${f.reason}`,
        };
      }
    } else if (existing && f.status !== 'insufficient') {
      const lastLinked = existing.findings.at(-1)?.status;
      // record a change of state only: the first pass after a breach, or a warn that does not open
      if (lastLinked !== f.status) {
        next = {
          ...clone(existing),
          version: existing.version + 1,
          findings: [...existing.findings, link],
          evidence: unique([...existing.evidence, ...evidence]),
          changedBy: options.actor,
          changedAt: now,
          reason: `${f.status === 'pass' ? 'improvement recorded' : `now ${f.status}`} by run ${options.runId} (status stays ${existing.status}; a person closes the entry): ${f.reason}`,
        };
      }
    }
    if (next) {
      latest.set(id, next);
      out.push(next);
    }
  }
  return out;
}

/** What a person may change with {@link updateEntry}. */
export interface RiskUpdate {
  status?: RiskStatus;
  owner?: string;
  treatment?: Treatment;
  /** Residual likelihood and severity after treatment. */
  residual?: { likelihood: Rating; severity: Rating };
  /** Next review date, YYYY-MM-DD. */
  reviewDate?: string;
  /** Why (becomes the version's reason, after a summary of the changes). */
  note?: string;
  /** Who makes the change (required). */
  by: string;
  /** Time of the change; default now. */
  now?: string | Date;
}

/**
 * A person's change to an entry, validated: returns the next version (the caller appends it).
 * Throws `InputError` `messages.badRiskField` naming the field and value, or
 * `messages.riskNothingToUpdate` when nothing would change.
 *
 * @example
 * ```ts
 * const v = updateEntry(entry, { status: 'treating', owner: 'ml-lead', residual: { likelihood: 2, severity: 3 }, note: 'reweighing planned', by: 'ann' });
 * [v.version, v.status, v.residual];  // [entry.version + 1, 'treating', { likelihood: 2, severity: 3, level: 'medium' }]
 * v.reason; // 'status open → treating; owner → ml-lead; residual 2×3 (medium): reweighing planned'
 * updateEntry(entry, { status: 'done' as RiskStatus, by: 'ann' }); // throws InputError: updateEntry: status = "done" is invalid; ...
 * ```
 */
export function updateEntry(entry: RiskEntry, update: RiskUpdate): RiskEntry {
  const fn = 'updateEntry';
  const bad = (field: string, value: unknown, expected: string) => new InputError(messages.badRiskField(fn, field, value, expected), 'badRiskField', { field, value });
  if (typeof update.by !== 'string' || update.by.trim() === '') throw bad('by', update.by, 'the name of the person making the change');
  if (update.status !== undefined && !(RISK_STATUSES as readonly string[]).includes(update.status)) throw bad('status', update.status, `one of ${RISK_STATUSES.join(', ')}`);
  if (update.treatment !== undefined && !(TREATMENTS as readonly string[]).includes(update.treatment)) throw bad('treatment', update.treatment, `one of ${TREATMENTS.join(', ')}`);
  if (update.owner !== undefined && (typeof update.owner !== 'string' || update.owner.trim() === '')) throw bad('owner', update.owner, 'a non-empty name');
  if (update.residual !== undefined) {
    const r = update.residual as { likelihood?: unknown; severity?: unknown } | null;
    if (r === null || typeof r !== 'object') throw bad('residual', update.residual, 'likelihood and severity, each an integer 1–5');
    if (!isRating(r.likelihood)) throw bad('residual.likelihood', r.likelihood, 'an integer 1–5');
    if (!isRating(r.severity)) throw bad('residual.severity', r.severity, 'an integer 1–5');
  }
  if (update.reviewDate !== undefined && !isDate(update.reviewDate)) throw bad('reviewDate', update.reviewDate, 'a date YYYY-MM-DD');
  if (update.note !== undefined && typeof update.note !== 'string') throw bad('note', update.note, 'text');
  const now = isoTime(fn, 'now', update.now);

  const changes: string[] = [];
  const next: RiskEntry = { ...clone(entry), version: entry.version + 1, changedBy: update.by.trim(), changedAt: now };
  if (update.status !== undefined && update.status !== entry.status) {
    changes.push(`status ${entry.status} → ${update.status}`);
    next.status = update.status;
  }
  if (update.owner !== undefined && update.owner.trim() !== entry.owner) {
    next.owner = update.owner.trim();
    changes.push(`owner → ${next.owner}`);
  }
  if (update.treatment !== undefined && update.treatment !== entry.treatment) {
    changes.push(`treatment ${entry.treatment} → ${update.treatment}`);
    next.treatment = update.treatment;
  }
  if (update.residual !== undefined) {
    const { likelihood, severity } = update.residual;
    next.residual = { likelihood, severity, level: riskLevel(likelihood, severity) };
    changes.push(`residual ${likelihood}×${severity} (${next.residual.level})`);
  }
  if (update.reviewDate !== undefined && update.reviewDate !== entry.reviewDate) {
    next.reviewDate = update.reviewDate;
    changes.push(`review ${update.reviewDate}`);
  }
  const note = update.note?.trim();
  if (changes.length === 0 && !note) throw new InputError(messages.riskNothingToUpdate(fn, entry.id), 'riskNothingToUpdate', { id: entry.id });
  next.reason = changes.length === 0 ? note! : note ? `${changes.join('; ')}: ${note}` : changes.join('; ');
  return next;
}

/** A risk register as one JSON document. */
export interface RiskRegisterDocument {
  kind: 'fairwatch.risk-register';
  version: 1;
  createdAt: string;
  /** Latest versions (or every version, when exported with history). */
  entries: RiskEntry[];
}

/**
 * The register as pretty-printed JSON text (a {@link RiskRegisterDocument}), ending in a newline.
 *
 * @example
 * ```ts
 * JSON.parse(riskToJSON([entry], { now: '2026-03-01T00:00:00Z' })).kind; // 'fairwatch.risk-register'
 * ```
 */
export function riskToJSON(entries: readonly RiskEntry[], options: { now?: string | Date } = {}): string {
  const doc: RiskRegisterDocument = { kind: 'fairwatch.risk-register', version: 1, createdAt: isoTime('riskToJSON', 'now', options.now), entries: entries.map(clone) };
  return JSON.stringify(doc, null, 2) + '\n';
}

/**
 * Column order of {@link riskToCSV}.
 *
 * @example
 * ```ts
 * RISK_CSV_COLUMNS[0]; // 'id'
 * ```
 */
export const RISK_CSV_COLUMNS = [
  'id', 'version', 'title', 'system_id', 'system_version', 'metric', 'attributes', 'status', 'treatment', 'owner',
  'likelihood', 'severity', 'inherent_level', 'residual_likelihood', 'residual_severity', 'residual_level',
  'controls', 'affected_groups', 'review_date', 'risk_source', 'event', 'consequence', 'last_finding',
  'last_finding_status', 'last_finding_value', 'evidence', 'incidents', 'changed_by', 'changed_at', 'reason',
] as const;

/**
 * Neutralise a spreadsheet cell: text starting with `=`, `+`, `-`, `@`, tab or carriage return
 * gets a leading `'`, so Excel, LibreOffice and Google Sheets show it instead of running it as a
 * formula (OWASP "CSV injection").
 *
 * @example
 * ```ts
 * neutraliseCell('=HYPERLINK("http://x")'); // "'=HYPERLINK(\"http://x\")"
 * neutraliseCell('-0.2');                   // "'-0.2"
 * neutraliseCell('sex');                    // 'sex'
 * ```
 */
export function neutraliseCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * The register as CSV (RFC 4180: comma, CRLF, quotes doubled), one row per entry, with
 * {@link RISK_CSV_COLUMNS}; every text cell goes through {@link neutraliseCell}. Lists are joined
 * with '; '.
 *
 * @example
 * ```ts
 * riskToCSV([{ ...entry, owner: '=cmd|calc' }]).split('\r\n')[1]; // '...,"\'=cmd|calc",...'
 * ```
 */
export function riskToCSV(entries: readonly RiskEntry[]): string {
  const rows: string[] = [RISK_CSV_COLUMNS.join(',')];
  for (const e of entries) {
    const last = e.findings.at(-1);
    const cells: Record<(typeof RISK_CSV_COLUMNS)[number], string | number | null> = {
      id: e.id,
      version: e.version,
      title: e.title,
      system_id: e.system.id,
      system_version: e.system.version,
      metric: e.metric,
      attributes: e.attributes.join('; '),
      status: e.status,
      treatment: e.treatment,
      owner: e.owner,
      likelihood: e.likelihood,
      severity: e.severity,
      inherent_level: e.inherentLevel,
      residual_likelihood: e.residual?.likelihood ?? null,
      residual_severity: e.residual?.severity ?? null,
      residual_level: e.residual?.level ?? null,
      controls: e.controls.join('; '),
      affected_groups: e.affectedGroups.join('; '),
      review_date: e.reviewDate,
      risk_source: e.riskSource,
      event: e.event,
      consequence: e.consequence,
      last_finding: last ? `${last.runId}/${last.findingId}` : null,
      last_finding_status: last?.status ?? null,
      last_finding_value: last?.value ?? null,
      evidence: e.evidence.join('; '),
      incidents: e.incidents.join('; '),
      changed_by: e.changedBy,
      changed_at: e.changedAt,
      reason: e.reason,
    };
    rows.push(RISK_CSV_COLUMNS.map((c) => csvCell(cells[c])).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}

/**
 * The register as Markdown: a summary table of the entries, then, when `history` maps ids to
 * their versions, each entry's history (version, when, who, status, reason).
 *
 * @example
 * ```ts
 * riskToMarkdown([entry]).split('\n')[0]; // '# Risk register'
 * ```
 */
export function riskToMarkdown(entries: readonly RiskEntry[], options: { history?: Readonly<Record<string, readonly RiskEntry[]>>; title?: string } = {}): string {
  const lines: string[] = [`# ${options.title ?? 'Risk register'}`, ''];
  if (entries.length === 0) {
    lines.push('No risk-register entries.', '');
    return lines.join('\n');
  }
  lines.push(
    '| id | title | status | level (L×S) | residual | treatment | owner | review | controls |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const e of entries) {
    lines.push(
      '| ' +
        [
          `\`${e.id}\` v${e.version}`,
          e.title,
          e.status,
          `${e.inherentLevel} (${e.likelihood}×${e.severity})`,
          e.residual ? `${e.residual.level} (${e.residual.likelihood}×${e.residual.severity})` : '—',
          e.treatment,
          e.owner,
          e.reviewDate,
          e.controls.join(', '),
        ]
          .map(mdCell)
          .join(' | ') +
        ' |',
    );
  }
  lines.push('');
  for (const e of entries) {
    const versions = options.history?.[e.id];
    if (!versions) continue;
    lines.push(`## ${mdCell(e.id)}: ${mdCell(e.title)}`, '');
    lines.push(`- Risk source: ${mdCell(e.riskSource)}`, `- Event: ${mdCell(e.event)}`, `- Consequence: ${mdCell(e.consequence)}`);
    lines.push(`- Affected groups: ${mdCell(e.affectedGroups.join(', ') || '—')}`, '');
    lines.push('| version | changed at | by | status | level | reason |', '| --- | --- | --- | --- | --- | --- |');
    for (const v of versions) {
      lines.push('| ' + [String(v.version), v.changedAt, v.changedBy, v.status, `${v.inherentLevel} (${v.likelihood}×${v.severity})`, v.reason].map(mdCell).join(' | ') + ' |');
    }
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * A short plain-text rendering (one line per entry), for the terminal.
 *
 * @example
 * ```ts
 * riskToText([entry]); // 'R-1a2b3c4d5e6f v1  open  high (4×4)  Unfair disparateImpact across sex in loan-model  owner risk-team  review 2026-05-30\n'
 * ```
 */
export function riskToText(entries: readonly RiskEntry[]): string {
  if (entries.length === 0) return 'no risk-register entries\n';
  return (
    entries
      .map((e) => `${e.id} v${e.version}  ${e.status}  ${e.inherentLevel} (${e.likelihood}×${e.severity})${e.residual ? `  residual ${e.residual.level}` : ''}  ${e.title}  owner ${e.owner}  review ${e.reviewDate}`)
      .join('\n') + '\n'
  );
}

// ---------------------------------------------------------------------------------------------
// internals

function describe(system: AISystem, f: Finding, attributes: readonly string[]): { title: string; riskSource: string; event: string; consequence: string } {
  const attrs = attributes.join(' × ') || 'the data set';
  const groups = f.scope.groups.length ? ` (groups ${f.scope.groups.join(', ')})` : '';
  const value = f.value === null ? 'undefined' : String(round(f.value));
  const threshold = f.threshold.fail ?? f.threshold.warn;
  const limit = threshold === undefined ? '' : ` (${f.status} threshold ${threshold}, ${f.threshold.direction === 'below' ? 'must not fall below' : 'must not exceed'})`;
  if (f.kind === 'drift') {
    const column = f.scope.column ?? attrs;
    return {
      title: `Data drift in ${column} for ${system.id}`,
      riskSource: `the production distribution of ${column} moved away from the reference data ${system.id} was validated on`,
      event: `${f.metric} for ${column} is ${value}${limit}: ${f.reason}`,
      consequence: `the accuracy and fairness of ${system.id} may degrade unnoticed for the people whose ${column} changed`,
    };
  }
  if (f.kind === 'data-quality') {
    return {
      title: `Data quality: ${f.metric} for ${attrs} in ${system.id}`,
      riskSource: `input data of ${system.id} does not meet the policy's quality requirement ${f.metric}`,
      event: `${f.metric} is ${value}${limit}: ${f.reason}`,
      consequence: `decisions of ${system.id} may rest on incomplete or wrong data, unevenly across groups`,
    };
  }
  return {
    title: `Unfair ${f.metric} across ${attrs} in ${system.id}`,
    riskSource: `decisions of ${system.id} differ across groups of ${attrs}`,
    event: `${f.metric} is ${value}${groups}${limit}: ${f.reason}`,
    consequence: `people in the disadvantaged groups of ${attrs}${groups} may be treated less favourably by ${system.id}, harming them and exposing the organisation to discrimination claims`,
  };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

function isRating(x: unknown): x is Rating {
  return typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 5;
}

function checkRating(fn: string, field: string, x: unknown): void {
  if (!isRating(x)) throw new InputError(messages.badRiskField(fn, field, x, 'an integer 1–5'), 'badRiskField', { field, value: x });
}

function isDate(x: unknown): x is string {
  if (typeof x !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(x)) return false;
  const d = new Date(x + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === x;
}

function isoTime(fn: string, field: string, t: string | Date | undefined): string {
  if (t === undefined) return new Date().toISOString();
  const d = t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime())) throw new InputError(messages.badRiskField(fn, field, t, 'an ISO-8601 time'), 'badRiskField', { field, value: t });
  return d.toISOString();
}

function addDays(iso: string, days: number): string {
  const d = new Date(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const text = typeof v === 'number' ? String(v) : neutraliseCell(v);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
