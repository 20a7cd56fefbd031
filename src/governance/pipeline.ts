/**
 * The one place a run becomes governance records. {@link recordEvaluation} takes a result (audit
 * or drift report), the findings `evaluate()` computed from it, and a store, and writes:
 *
 * 1. **one store transaction** (`Store.recordRunWithRisks`): the run (result JSON, policy hash,
 *    result digest), its findings row by row, and the risk versions `applyFindings` derives from
 *    the latest register — failing findings open or update entries, passes record an
 *    improvement, nothing is ever closed by a run;
 * 2. **one audit-trail line** (`audit.run` / `drift.run`): inputs = digests of the data read (as
 *    given, e.g. sha256 of each file) and of the policy, outputs = digests of the result, the
 *    findings document and the risk versions written; details = run id, status, risk changes.
 *
 * It returns what changed (risk entries opened, reopened, updated, improved) for printing.
 *
 * **Crash ordering.** Step 1 is a database transaction: a crash before its commit leaves
 * nothing (no run, no findings, no risk version); there is no state where the run is stored but
 * the register is not updated, or the reverse. A crash between the commit and the audit line
 * leaves a complete run and register but no audit line; a crash while writing the line leaves a
 * partial last line, which the next append refuses until `fairwatch log repair` moves it aside.
 * Re-running the same evaluation fixes both: the run id is deterministic (below), the store finds
 * the run already recorded with the same result digest and writes nothing again (no duplicate
 * run, no second risk version), and the missing audit line is appended with
 * `details.resumed: true`. A re-run of a complete evaluation writes nothing at all
 * (`state: 'already-recorded'`).
 *
 * **Run ids.** Default `<kind>-<YYYYMMDD>-<12 hex>`: the UTC day of the run and sha256 of (kind,
 * result digest, policy hash, system, input digests). The same evaluation on the same day is the
 * same run (idempotent re-runs, crash recovery); on a later day it is a new run, so fresh
 * evidence gets a fresh date. Pass `runId` to choose (e.g. one id per monitoring window).
 *
 * Two processes resuming the same interrupted run at the same moment may both append its audit
 * line (the check and the append are separate steps); the runs and the register stay single.
 *
 * @example
 * ```ts
 * import { audit, evaluate, loadPolicy, openStore, recordEvaluation } from 'fairwatch';
 * const result = audit({ data: rows, yTrue: 'repaid', yPred: 'approved', sensitive: ['sex'] });
 * const findings = evaluate(result, loadPolicy('policy.yaml'));
 * const store = await openStore();
 * const rec = await recordEvaluation({ store, result, findings, kind: 'audit', inputs: { 'loans.csv': sha } });
 * rec.risks.map((c) => `${c.change} ${c.entry.id} v${c.entry.version}`); // ['opened R-1a2b3c4d5e6f v1']
 * rec.audit.action; // 'audit.run'
 * await store.close();
 * ```
 */
import { InputError, messages } from '../errors.js';
import type { Store, StoredRun } from '../store/types.js';
import { defaultActor } from './audit-log.js';
import { canonicalJSON, digestJSON, sha256Hex } from './digest.js';
import { resultDigest, type Evaluable } from './findings.js';
import { applyFindings, type ApplyFindingsOptions } from './risk.js';
import type { AISystem, AuditEvent, FindingsDocument, FindingStatus, RiskEntry } from './types.js';
import { environmentInfo } from '../environment.js';

/** What the pipeline needs of a store. */
export type EvaluationStore = Pick<Store, 'recordRunWithRisks' | 'appendAudit' | 'readAudit' | 'riskHistory' | 'target' | 'auditLocation'>;

/** Arguments of {@link recordEvaluation}. */
export interface RecordEvaluationOptions {
  store: EvaluationStore;
  /** The result the findings were computed from (object or JSON). */
  result: Evaluable;
  findings: FindingsDocument;
  kind: 'audit' | 'drift';
  /** Who ran it (default `defaultActor()`). */
  actor?: string;
  /** Default: see "Run ids" in the module comment. */
  runId?: string;
  /** Time of the run (default now). */
  now?: Date | string;
  /** Digests (sha256 hex) of the inputs by name, e.g. `{ 'loans.csv': '9f86…' }`; `policy` is added. */
  inputs?: Record<string, string>;
  /** How findings change the register (default: fail opens, 90 days to review, the system owner). */
  risk?: Pick<ApplyFindingsOptions, 'openOn' | 'reviewDays' | 'owner'>;
  /** Extra details for the audit line (e.g. the file names behind `inputs`). */
  details?: Record<string, unknown>;
}

/** How a run changed one risk entry. */
export type RiskChangeKind = 'opened' | 'reopened' | 'updated' | 'improved' | 'noted';

/** One risk version the run appended, and what it means. */
export interface RiskChange {
  change: RiskChangeKind;
  entry: RiskEntry;
}

/** What {@link recordEvaluation} wrote. */
export interface EvaluationRecord {
  runId: string;
  kind: 'audit' | 'drift';
  /** `recorded`: all written now; `completed`: the run was stored by an interrupted attempt, the audit line was added now; `already-recorded`: nothing written. */
  state: 'recorded' | 'completed' | 'already-recorded';
  run: StoredRun;
  resultDigest: string;
  findingsDigest: string;
  policyHash: string;
  /** Worst finding status. */
  status: FindingStatus;
  /** Risk versions appended by this run, in finding order. */
  risks: RiskChange[];
  /** The run's audit-trail line (found or appended). */
  audit: AuditEvent;
  /** Where: the store and its audit trail. */
  store: string;
  auditLog: string;
}

/**
 * The audit-trail action of a run kind.
 *
 * @example
 * ```ts
 * RUN_ACTIONS.drift; // 'drift.run'
 * ```
 */
export const RUN_ACTIONS = { audit: 'audit.run', drift: 'drift.run' } as const;

const RESULT_KINDS = { audit: ['fairwatch.audit', 'fairwatch.groupMetrics'], drift: ['fairwatch.drift'] } as const;

/**
 * The default run id: `<kind>-<YYYYMMDD>-<12 hex>` (see the module comment).
 *
 * @example
 * ```ts
 * defaultRunId('audit', findings, {}, '2026-03-01T10:00:00Z'); // 'audit-20260301-' + 12 hex digits
 * defaultRunId('audit', findings, {}, '2026-03-01T23:00:00Z') === defaultRunId('audit', findings, {}, '2026-03-01T01:00:00Z'); // true
 * ```
 */
export function defaultRunId(kind: string, findings: Pick<FindingsDocument, 'resultDigest' | 'policyHash' | 'system'>, inputs: Record<string, string>, now: Date | string): string {
  const day = new Date(now).toISOString().slice(0, 10).replace(/-/g, '');
  const key = sha256Hex(canonicalJSON([kind, findings.resultDigest, findings.policyHash, findings.system, inputs])).slice(0, 12);
  return `${kind}-${day}-${key}`;
}

/**
 * Record an evaluated run: store, register and audit trail (see the module comment for the
 * steps and what a crash between them leaves). Throws `InputError` when the result is not of the
 * kind, when the findings were computed from another result (`findingsResultMismatch`), or when
 * the run id is taken by another result (`runIdConflict`).
 *
 * @example
 * ```ts
 * const rec = await recordEvaluation({ store, result: report, findings: evaluate(report, policy), kind: 'drift',
 *   inputs: { 'reference.csv': shaRef, 'current.csv': shaCur }, actor: 'cron' });
 * [rec.state, rec.status, rec.audit.seq]; // ['recorded', 'warn', 7]
 * ```
 */
export async function recordEvaluation(options: RecordEvaluationOptions): Promise<EvaluationRecord> {
  const fn = 'recordEvaluation';
  const { store, findings, kind } = options;
  if (kind !== 'audit' && kind !== 'drift') throw new InputError(messages.badArgument(fn, 'kind', kind, "'audit' or 'drift'"), 'badArgument');
  const json: unknown = typeof (options.result as { toJSON?: unknown })?.toJSON === 'function' ? (options.result as { toJSON: () => unknown }).toJSON() : options.result;
  const resultKind = (json as { kind?: unknown } | null)?.kind;
  if (!(RESULT_KINDS[kind] as readonly unknown[]).includes(resultKind)) {
    throw new InputError(messages.evaluationKindMismatch(fn, kind, resultKind), 'evaluationKindMismatch', { kind, resultKind });
  }
  const digest = resultDigest(json as Evaluable);
  if (digest !== findings.resultDigest) throw new InputError(messages.findingsResultMismatch(fn, findings.resultDigest, digest), 'findingsResultMismatch');
  const findingsDigest = digestJSON(findings);
  const time = new Date(options.now ?? Date.now());
  if (Number.isNaN(time.getTime())) throw new InputError(messages.badArgument(fn, 'now', options.now, 'an ISO-8601 time or a Date'), 'badArgument');
  const now = time.toISOString();
  const inputs = { ...(options.inputs ?? {}) };
  const runId = options.runId ?? defaultRunId(kind, findings, inputs, now);
  const actor = options.actor ?? defaultActor();

  let previous = new Map<string, RiskEntry>();
  const written = await store.recordRunWithRisks(
    { id: runId, kind, time: now, actor, system: findings.system, policyHash: findings.policyHash, resultDigest: digest, result: json, findings },
    (latest) => {
      previous = new Map(latest.map((e) => [e.id, e]));
      return applyFindings(latest, findings, { runId, actor, now, ...(options.risk ?? {}) });
    },
  );
  if (written.existing) {
    // the store returns them by id; put them back in finding order, as a fresh run reports them
    const order = new Map(findings.findings.map((f, i) => [f.id, i]));
    const at = (e: RiskEntry) => order.get(e.findings.at(-1)?.findingId ?? '') ?? Infinity;
    written.versions.sort((a, b) => at(a) - at(b) || a.version - b.version);
  }
  const openOn = new Set<FindingStatus>(options.risk?.openOn ?? ['fail']);
  const risks: RiskChange[] = [];
  const seen = new Map<string, RiskEntry>();
  for (const entry of written.versions) {
    let prev = seen.get(entry.id) ?? (written.existing ? undefined : previous.get(entry.id));
    if (prev === undefined && written.existing && entry.version > 1) prev = (await store.riskHistory(entry.id)).find((v) => v.version === entry.version - 1);
    risks.push({ change: classify(entry, prev, openOn), entry });
    seen.set(entry.id, entry);
  }

  const action = RUN_ACTIONS[kind];
  let audit: AuditEvent | undefined;
  if (written.existing) audit = (await store.readAudit()).find((e) => e.action === action && e.details?.runId === runId);
  const state: EvaluationRecord['state'] = !written.existing ? 'recorded' : audit ? 'already-recorded' : 'completed';
  if (!audit && !written.existing) {
    // a policy change: the last run of this system was judged against another policy
    const events = await store.readAudit();
    const last = [...events].reverse().find((e) => RUN_ACTION_SET.has(e.action) && (e.details?.system as AISystem | undefined)?.id === findings.system.id);
    const previousPolicy = last?.inputs.policy;
    if (previousPolicy !== undefined && previousPolicy !== findings.policyHash) {
      await store.appendAudit({
        action: 'policy.change',
        actor,
        time: now,
        inputs: { policy: findings.policyHash, ...(inputs['policy-file'] ? { 'policy-file': inputs['policy-file'] } : {}) },
        outputs: {},
        details: { system: findings.system, previousPolicy, previousRun: last!.details?.runId ?? null, policy: findings.policyHash },
      });
    }
  }
  if (!audit) {
    const counts = Object.fromEntries((['pass', 'insufficient', 'warn', 'fail'] as const).map((s) => [s, findings.findings.filter((f) => f.status === s).length]));
    audit = await store.appendAudit({
      action,
      actor,
      time: state === 'completed' ? new Date().toISOString() : now,
      inputs: { ...inputs, policy: findings.policyHash },
      outputs: { result: digest, findings: findingsDigest, ...(written.versions.length ? { 'risk-versions': digestJSON(written.versions) } : {}) },
      details: {
        ...(options.details ?? {}),
        runId,
        runTime: written.run.time,
        system: findings.system,
        status: findings.status,
        findings: counts,
        risks: risks.map((c) => ({ id: c.entry.id, version: c.entry.version, change: c.change, status: c.entry.status })),
        ...(state === 'completed' ? { resumed: true } : {}),
        // the installation that computed the run, for its manifest in evidence packs
        environment: environmentInfo(),
      },
    });
  }
  return {
    runId,
    kind,
    state,
    run: written.run,
    resultDigest: digest,
    findingsDigest,
    policyHash: findings.policyHash,
    status: findings.status,
    risks,
    audit,
    store: store.target,
    auditLog: store.auditLocation,
  };
}

const RUN_ACTION_SET: ReadonlySet<string> = new Set(Object.values(RUN_ACTIONS));

function classify(entry: RiskEntry, prev: RiskEntry | undefined, openOn: ReadonlySet<FindingStatus>): RiskChangeKind {
  if (entry.version === 1) return 'opened';
  const link = entry.findings.at(-1);
  if (link && openOn.has(link.status)) return prev?.status === 'closed' && entry.status === 'open' ? 'reopened' : 'updated';
  return link?.status === 'pass' ? 'improved' : 'noted';
}

/**
 * One line per risk change, for the terminal.
 *
 * @example
 * ```ts
 * formatRiskChanges(rec.risks);
 * // '  opened    R-1a2b3c4d5e6f v1  open  high (4×4)  Unfair disparateImpact across sex in loan-model'
 * formatRiskChanges([]); // '  (no risk-register changes)'
 * ```
 */
export function formatRiskChanges(changes: readonly RiskChange[]): string {
  if (changes.length === 0) return '  (no risk-register changes)';
  return changes
    .map(({ change, entry: e }) => `  ${change.padEnd(8)}  ${e.id} v${e.version}  ${e.status}  ${e.inherentLevel} (${e.likelihood}×${e.severity})  ${e.title}`)
    .join('\n');
}
