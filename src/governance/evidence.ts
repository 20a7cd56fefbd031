/**
 * Evidence items from what the store holds, for the statement of applicability and the gap
 * assessment (`soa.ts`). Pure: the caller reads the store (`storeEvidence` in `src/store/`) and
 * passes plain records in.
 *
 * Which record evidences which clauses and controls (nothing else is claimed):
 *
 * | store record | item kind | clauses and controls |
 * | --- | --- | --- |
 * | a stored finding | `finding` | the finding's own controls (`FINDING_CONTROLS`: A.5.4, A.6.2.4, A.6.2.6, A.7.4) |
 * | a risk-register version | `risk-entry` | the entry's controls + 6.1.2, 6.1.3, 8.2, 8.3, and A.3.2, 5.3 when it names an owner (`evidenceFromRiskEntries`) |
 * | the policy a run was judged against | `policy` | 6.2, A.6.2.2 — the policy states the system's acceptance criteria |
 * | a data digest in a run's audit line | `dataset-fingerprint` | A.7.5 — provenance of the data a run read |
 * | an audit-trail line (only when the trail verifies) | `audit-event` | 7.5.3, A.6.2.8 — event logs under integrity control |
 * | a file written by `risk export` / `soa --out` | `report` | 6.1.3, 8.3 / 6.1.3 (the SoA is required by 6.1.3) |
 *
 * Organisational controls (coverage `none`) never get toolkit evidence; `statementOfApplicability`
 * enforces that whatever the items say.
 *
 * @example
 * ```ts
 * const items = evidenceFromStore({ runs, findings, risks, audit: { events, ok: true } });
 * items.filter((i) => i.kind === 'finding').length; // one per stored finding
 * ```
 */
import { digestJSON } from './digest.js';
import { evidenceFromRiskEntries, type EvidenceItem } from './soa.js';
import type { AuditEvent, Finding, RiskEntry } from './types.js';

/**
 * Clauses and controls each kind of store record evidences (see the module comment); findings
 * and risk entries carry their own.
 *
 * @example
 * ```ts
 * STORE_EVIDENCE_CONTROLS['dataset-fingerprint']; // ['A.7.5']
 * STORE_EVIDENCE_CONTROLS['soa.export'];          // ['6.1.3']
 * ```
 */
export const STORE_EVIDENCE_CONTROLS = {
  policy: ['6.2', 'A.6.2.2'],
  'dataset-fingerprint': ['A.7.5'],
  'audit-event': ['7.5.3', 'A.6.2.8'],
  'risk.export': ['6.1.3', '8.3'],
  'soa.export': ['6.1.3'],
  // an audit report (the results, findings and risks for a period) and a management review
  'report.export': ['9.1', 'A.6.2.6'],
  'review.export': ['9.3'],
  // a hash-manifested (optionally signed) evidence pack: controlled documented information
  'evidence.export': ['7.5.3', '9.2'],
} as const satisfies Record<string, readonly string[]>;

/**
 * Audit-line input names that are not data: the policy digests the pipeline records.
 *
 * @example
 * ```ts
 * POLICY_INPUTS.includes('policy'); // true
 * ```
 */
export const POLICY_INPUTS = ['policy', 'policy-file'] as const;

/** The parts of the store's records that evidence needs. */
export interface StoreRecords {
  runs: readonly { id: string; kind: string; time: string; policyHash: string | null; resultDigest: string }[];
  findings: readonly { runId: string; time: string; finding: Finding }[];
  /** Risk versions (every version in the range, or the latest ones). */
  risks: readonly RiskEntry[];
  /** The audit trail's events and whether it verified; unverified trails give no audit-event or report items. */
  audit?: { events: readonly AuditEvent[]; ok: boolean };
}

/**
 * Evidence items from the store's records (see the module comment for the mapping), oldest
 * first.
 *
 * @example
 * ```ts
 * const [item] = evidenceFromStore({ runs: [], findings: [{ runId: 'r1', time: '2026-03-01T00:00:00.000Z', finding }], risks: [] });
 * item; // { kind: 'finding', id: 'r1/fairness:disparateImpact:sex', at: '2026-03-01T00:00:00.000Z', controls: ['A.5.4', 'A.6.2.4'], status: 'fail', title: 'fail: …' }
 * ```
 */
export function evidenceFromStore(records: StoreRecords): EvidenceItem[] {
  const items: EvidenceItem[] = [];
  const digestOfRun = new Map(records.runs.map((r) => [r.id, r.resultDigest]));
  for (const { runId, time, finding } of records.findings) {
    const digest = digestOfRun.get(runId);
    items.push({
      kind: 'finding',
      id: `${runId}/${finding.id}`,
      ...(digest !== undefined ? { digest } : {}),
      at: time,
      controls: [...finding.controls],
      status: finding.status,
      title: `${finding.status}: ${finding.reason}`,
    });
  }
  items.push(...evidenceFromRiskEntries(records.risks));
  for (const run of records.runs) {
    if (run.policyHash === null) continue;
    items.push({ kind: 'policy', id: `${run.id}/policy`, digest: run.policyHash, at: run.time, controls: [...STORE_EVIDENCE_CONTROLS.policy], title: `the policy ${run.kind} run ${run.id} was judged against` });
  }
  if (records.audit?.ok) {
    for (const e of records.audit.events) {
      items.push({ kind: 'audit-event', id: `seq ${e.seq} ${e.action}`, digest: digestJSON(e), at: e.time, controls: [...STORE_EVIDENCE_CONTROLS['audit-event']], title: `${e.action} by ${e.actor}` });
      if (e.action.endsWith('.run')) {
        const runId = typeof e.details?.runId === 'string' ? e.details.runId : `seq ${e.seq}`;
        for (const [name, digest] of Object.entries(e.inputs)) {
          if ((POLICY_INPUTS as readonly string[]).includes(name)) continue;
          items.push({ kind: 'dataset-fingerprint', id: `${runId}/${name}`, digest, at: e.time, controls: [...STORE_EVIDENCE_CONTROLS['dataset-fingerprint']], title: `sha256 of ${name} read by ${runId}` });
        }
      }
      const controls = (STORE_EVIDENCE_CONTROLS as Record<string, readonly string[]>)[e.action];
      if (e.action.endsWith('.export') && controls) {
        for (const [name, digest] of Object.entries(e.outputs)) {
          items.push({ kind: 'report', id: name, digest, at: e.time, controls: [...controls], title: `${e.action} by ${e.actor}` });
        }
      }
    }
  }
  return items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
