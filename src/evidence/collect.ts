/**
 * Read what an evidence pack needs from a store, for a period and optionally one control, into
 * one plain {@link EvidenceContext} that the file producers (`producers.ts`) turn into files.
 * The only module of the pack that reads the store and the file system for content.
 *
 * What "for the period" means (`[from, to]`, from `parsePeriod`; no period = everything):
 * - runs and findings: those recorded in the period;
 * - risk register: `history` = every version changed in the period; `latest` = each entry's
 *   latest version at the end of the period (entries created later are left out);
 * - audit-log extract: the contiguous lines from the first line dated in the period to the last
 *   one, exactly as stored, so their chain re-verifies from the first line's `prev`;
 * - evidence items (`evidenceFromStore`) and the statement of applicability from those records.
 *
 * With `control`, only evidence items that name it are kept, and with them only the runs,
 * findings and risk versions they come from; the statement of applicability keeps that control's
 * line. The policy, the audit-log extract and the run manifests of the kept runs stay whole.
 *
 * @example
 * ```ts
 * const ctx = await collectEvidence(store, { period: '2026-01-01..2026-03-31', control: 'A.6.2.6' });
 * ctx.runs.length; ctx.audit.lines.length; ctx.soa.controls.map((c) => c.id); // [..], [..], ['A.6.2.6']
 * ```
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { InputError, messages } from '../errors.js';
import type { AuditVerification } from '../governance/audit-log.js';
import { loadCatalogue, packageFile } from '../governance/catalogue.js';
import { canonicalJSON, sha256Hex, ZERO_DIGEST } from '../governance/digest.js';
import { evidenceFromStore } from '../governance/evidence.js';
import { defaultPolicyPath, loadPolicy, policyHash } from '../governance/policy.js';
import { evidenceFromRiskEntries, loadApplicability, parsePeriod, soaSummary, statementOfApplicability, type EvidenceItem, type StatementOfApplicability } from '../governance/soa.js';
import type { AuditEvent, RiskEntry } from '../governance/types.js';
import type { Store, StoredFinding, StoredRun } from '../store/types.js';
import { environmentInfo, type EnvironmentInfo } from '../environment.js';

/** Options of {@link collectEvidence}. */
export interface CollectOptions {
  /** `from..to` or `{ from, to }` (ISO dates or times; a date-only `to` includes its day); default everything. */
  period?: string | { from: string; to: string };
  /** A clause or Annex A control id of the catalogue (e.g. 'A.6.2.6'). */
  control?: string;
  /** Policy file to include (default the shipped `reports/policies/default.yaml`). */
  policy?: string;
  /** Applicability file for the statement of applicability (default the shipped one). */
  applicability?: string;
  /** Creation time of the pack (default now). */
  now?: Date | string;
}

/** One audit-trail line as stored, with its parsed event (null when it does not parse). */
export interface AuditLine {
  text: string;
  event: AuditEvent | null;
}

/** Everything a pack is made from. */
export interface EvidenceContext {
  created: string;
  period: { from: string; to: string } | null;
  control: string | null;
  store: { kind: string; target: string; auditLocation: string };
  /** Runs kept (period, control), oldest first. */
  runs: StoredRun[];
  findings: StoredFinding[];
  risks: { latest: RiskEntry[]; history: RiskEntry[] };
  /** The evidence items kept (those naming `control` when given). */
  items: EvidenceItem[];
  soa: StatementOfApplicability;
  policy: { file: string; bytes: Uint8Array; hash: string };
  applicability: { file: string; bytes: Uint8Array };
  audit: {
    /** The extract: contiguous lines, exact text. */
    lines: AuditLine[];
    /** The run's `*.run` audit event by run id (from the whole trail). */
    runEvents: Map<string, { event: AuditEvent; line: string }>;
    verification: AuditVerification;
    /** sha256 of the line before the extract (64 zeros when it starts the log). */
    prev: string;
    location: string;
  };
  /** The exporting installation. */
  environment: EnvironmentInfo;
  /** The open store the context was read from, for producers that need more of it (e.g. trends for reports). */
  source: Store;
}



/**
 * The audit trail's lines exactly as stored: the log file's complete lines for a DuckDB store,
 * the canonical JSON of each event otherwise (the PostgreSQL rows hold that same text; a row
 * that differs would break the extract's chain, which verify reports).
 *
 * @example
 * ```ts
 * (await storeAuditLines(store))[0].text; // '{"action":"audit.run",...,"seq":1,...}'
 * ```
 */
export async function storeAuditLines(store: Pick<Store, 'kind' | 'auditLocation' | 'readAudit'>): Promise<AuditLine[]> {
  if (store.kind === 'duckdb') {
    let text = '';
    try {
      text = await readFile(store.auditLocation, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const parts = text.split('\n');
    parts.pop(); // '' after the last newline, or a partial line (verification reports it)
    return parts.map((t) => ({ text: t, event: parseLine(t) }));
  }
  return (await store.readAudit()).map((e) => ({ text: canonicalJSON(e), event: e }));
}

function parseLine(text: string): AuditEvent | null {
  try {
    const v = JSON.parse(text) as AuditEvent;
    return v !== null && typeof v === 'object' && Number.isInteger(v.seq) && typeof v.time === 'string' && typeof v.action === 'string' ? v : null;
  } catch {
    return null;
  }
}

/**
 * Collect a pack's content from an open store (see the module comment). Throws `InputError`
 * for a bad period or an unknown control, `PolicyError` for an invalid policy or applicability
 * file.
 *
 * @example
 * ```ts
 * const ctx = await collectEvidence(store, { policy: 'policy.yaml', now: '2026-04-01T00:00:00Z' });
 * ctx.policy.hash; // sha256 of the policy's canonical JSON
 * ```
 */
export async function collectEvidence(store: Store, options: CollectOptions = {}): Promise<EvidenceContext> {
  const fn = 'collectEvidence';
  const created = new Date(options.now ?? Date.now());
  if (Number.isNaN(created.getTime())) throw new InputError(messages.badArgument(fn, 'now', options.now, 'an ISO-8601 time or a Date'), 'badArgument');
  const period = options.period === undefined ? null : parsePeriod(options.period);
  const catalogue = loadCatalogue();
  const control = options.control ?? null;
  if (control !== null && !catalogue.controls.some((c) => c.id === control) && !catalogue.clauses.some((c) => c.id === control)) {
    throw new InputError(messages.unknownControl(fn, control), 'unknownControl', { control });
  }
  const inPeriod = (t: string) => period === null || (t >= period.from && t <= period.to);
  // policy and applicability first: a bad file fails before any reading
  const policyFile = options.policy ?? defaultPolicyPath();
  const policy = { file: policyFile, bytes: new Uint8Array(readFileSync(policyFile)), hash: policyHash(loadPolicy(policyFile)) };
  const applicabilityFile = options.applicability ?? packageFile('loadApplicability', 'reports/policies/applicability.default.yaml');
  const applicabilityDoc = loadApplicability(applicabilityFile);
  const applicability = { file: applicabilityFile, bytes: new Uint8Array(readFileSync(applicabilityFile)) };

  const range = period === null ? {} : { from: period.from, to: new Date(Date.parse(period.to) + 1).toISOString() };
  let runs = await store.listRuns(range);
  let findings = await store.findings(range);
  const allVersions: RiskEntry[] = [];
  for (const latest of await store.latestRisks()) allVersions.push(...(await store.riskHistory(latest.id)));
  let history = allVersions.filter((v) => inPeriod(v.changedAt));
  const latestAtEnd = new Map<string, RiskEntry>();
  for (const v of allVersions) {
    if (period !== null && v.changedAt > period.to) continue;
    const cur = latestAtEnd.get(v.id);
    if (!cur || v.version > cur.version) latestAtEnd.set(v.id, v);
  }
  let latest = [...latestAtEnd.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const verification = await store.verifyAudit();
  const all = await storeAuditLines(store);
  const runEvents = new Map<string, { event: AuditEvent; line: string }>();
  for (const l of all) {
    const e = l.event;
    if (e && e.action.endsWith('.run') && typeof e.details?.runId === 'string') runEvents.set(e.details.runId, { event: e, line: l.text });
  }
  let first = 0;
  let last = all.length - 1;
  if (period !== null) {
    first = all.findIndex((l) => l.event !== null && l.event.time >= period.from);
    const lastIn = all.map((l) => l.event !== null && l.event.time <= period.to && l.event.time >= period.from).lastIndexOf(true);
    if (first < 0 || lastIn < 0) [first, last] = [0, -1];
    else last = lastIn;
  }
  const lines = all.slice(first, last + 1);
  const prev = lines.length === 0 ? ZERO_DIGEST : first === 0 ? ZERO_DIGEST : sha256Hex(all[first - 1]!.text);

  const items = evidenceFromStore({ runs, findings, risks: history, audit: { events: lines.flatMap((l) => (l.event ? [l.event] : [])), ok: verification.ok } });
  let soa = statementOfApplicability({ catalogue, applicability: applicabilityDoc, evidence: items, now: created });
  let kept = items;
  if (control !== null) {
    kept = items.filter((i) => i.controls.includes(control));
    const keptIds = new Set(kept.map((i) => i.id));
    const runIds = new Set(runs.filter((r) => kept.some((i) => i.id.startsWith(`${r.id}/`))).map((r) => r.id));
    runs = runs.filter((r) => runIds.has(r.id));
    findings = findings.filter((f) => keptIds.has(`${f.runId}/${f.finding.id}`));
    const names = (v: RiskEntry) => evidenceFromRiskEntries([v])[0]!.controls.includes(control);
    history = history.filter(names);
    latest = latest.filter(names);
    const controls = soa.controls.filter((c) => c.id === control);
    soa = {
      ...soa,
      controls,
      summary: soaSummary(controls),
      ignoredEvidence: soa.ignoredEvidence.filter((x) => x.control === control),
    };
  }
  return {
    created: created.toISOString(),
    period,
    control,
    store: { kind: store.kind, target: store.target, auditLocation: store.auditLocation },
    runs,
    findings,
    risks: { latest, history },
    items: kept,
    soa,
    policy,
    applicability,
    audit: { lines, runEvents, verification, prev, location: store.auditLocation },
    environment: environmentInfo(),
    source: store,
  };
}
