/**
 * Read the evidence a store holds — runs, findings, every risk-register version and the audit
 * trail (with its verification) — and map it to evidence items with `evidenceFromStore`
 * (`src/governance/evidence.ts` says which record evidences which control). Used by
 * `fairwatch soa` and `fairwatch gap`.
 *
 * @example
 * ```ts
 * const store = await openStore();
 * const { items, counts, audit } = await storeEvidence(store);
 * counts; // { runs: 2, findings: 29, riskVersions: 3, auditEvents: 4 }
 * audit.ok; // true
 * ```
 */
import type { AuditVerification } from '../governance/audit-log.js';
import { evidenceFromStore } from '../governance/evidence.js';
import type { EvidenceItem } from '../governance/soa.js';
import type { RiskEntry } from '../governance/types.js';
import type { Store, TimeRange } from './types.js';

/** The evidence of a store, with counts of what it read and the audit trail's verification. */
export interface StoreEvidence {
  items: EvidenceItem[];
  counts: { runs: number; findings: number; riskVersions: number; auditEvents: number };
  audit: AuditVerification;
}

/**
 * Collect the store's evidence (optionally only runs and findings in a time range; risk
 * versions and audit events are all read, the gap assessment filters by date itself).
 *
 * @example
 * ```ts
 * const ev = await storeEvidence(store, { from: '2026-01-01' });
 * ev.items.filter((i) => i.kind === 'risk-entry').length; // every version of every entry
 * ```
 */
export async function storeEvidence(store: Store, range: TimeRange = {}): Promise<StoreEvidence> {
  const runs = await store.listRuns(range);
  const findings = await store.findings(range);
  const risks: RiskEntry[] = [];
  for (const latest of await store.latestRisks()) risks.push(...(await store.riskHistory(latest.id)));
  const audit = await store.verifyAudit();
  const events = await store.readAudit();
  const items = evidenceFromStore({ runs, findings, risks, audit: { events, ok: audit.ok } });
  return { items, counts: { runs: runs.length, findings: findings.length, riskVersions: risks.length, auditEvents: events.length }, audit };
}
