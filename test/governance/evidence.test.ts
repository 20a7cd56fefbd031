import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nextAuditLine } from '../../src/governance/audit-log.js';
import { evidenceFromStore } from '../../src/governance/evidence.js';
import type { AuditEvent } from '../../src/governance/types.js';
import { diFinding } from './risk-fixtures.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('evidenceFromStore({ runs, findings, risks, audit })', () => {
  const l1 = nextAuditLine(null, { action: 'audit.run', actor: 'ci', time: '2026-03-01T00:00:00.000Z', inputs: { data: 'd'.repeat(64), policy: 'p'.repeat(64), 'policy-file': 'f'.repeat(64) }, details: { runId: 'r1' } });
  const l2 = nextAuditLine(l1.text, { action: 'soa.export', actor: 'ann', time: '2026-03-02T00:00:00.000Z', outputs: { 'soa.md': 's'.repeat(64) } });
  const l3 = nextAuditLine(l2.text, { action: 'gap.export', actor: 'ann', time: '2026-03-03T00:00:00.000Z', outputs: { 'gap.md': 'g'.repeat(64) } });
  const events: AuditEvent[] = [l1.event, l2.event, l3.event];
  const records = {
    runs: [{ id: 'r1', kind: 'audit', time: '2026-03-01T00:00:00.000Z', policyHash: 'p'.repeat(64), resultDigest: 'r'.repeat(64) }],
    findings: [{ runId: 'r1', time: '2026-03-01T00:00:00.000Z', finding: diFinding('fail', 0.62) }],
    risks: [],
  };

  it('evidenceFromStore maps each record to the documented controls, oldest first', () => {
    const items = evidenceFromStore({ ...records, audit: { events, ok: true } });
    expect(items.map((i) => [i.kind, i.id, i.controls])).toEqual([
      // same time: by id
      ['dataset-fingerprint', 'r1/data', ['A.7.5']], // policy inputs are not data
      ['finding', 'r1/fairness:disparateImpact:sex', ['A.5.4', 'A.6.2.4']],
      ['policy', 'r1/policy', ['6.2', 'A.6.2.2']],
      ['audit-event', 'seq 1 audit.run', ['7.5.3', 'A.6.2.8']],
      ['audit-event', 'seq 2 soa.export', ['7.5.3', 'A.6.2.8']],
      ['report', 'soa.md', ['6.1.3']],
      ['audit-event', 'seq 3 gap.export', ['7.5.3', 'A.6.2.8']], // a gap report evidences no control
    ]);
    // the digest of an audit event is the sha256 of its line, as the next line's prev records it
    const first = items.find((i) => i.id === 'seq 1 audit.run')!;
    expect(first.digest).toBe(sha(l1.text));
    expect(first.digest).toBe(l2.event.prev);
    expect(items.find((i) => i.kind === 'finding')).toMatchObject({ digest: 'r'.repeat(64), status: 'fail' });
  });

  it('evidenceFromStore(audit not ok) uses no audit-trail lines, fingerprints or reports', () => {
    const items = evidenceFromStore({ ...records, audit: { events, ok: false } });
    expect(items.map((i) => i.kind)).toEqual(['finding', 'policy']);
  });
});
