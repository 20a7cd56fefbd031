/** Hand-made findings documents for the risk-register tests (no policy engine involved). */
import type { Finding, FindingsDocument, FindingStatus } from '../../src/governance/types.js';

export const SYSTEM = { id: 'loan-model', version: '1.2.0', owner: 'risk-team' };

/** A disparate-impact finding on `sex` with the given status and value (fail threshold 0.8, below). */
export function diFinding(status: FindingStatus, value: number | null, extra: Partial<Finding> = {}): Finding {
  const f: Finding = {
    id: 'fairness:disparateImpact:sex',
    kind: 'fairness',
    metric: 'disparateImpact',
    scope: { attributes: ['sex'], groups: ['f', 'm'] },
    value,
    threshold: { warn: 0.9, fail: 0.8, direction: 'below' },
    status,
    reason: `disparate impact ${value} is ${status === 'pass' ? 'at or above the warn threshold 0.9' : 'below the fail threshold 0.8'}`,
    controls: ['A.5.4', 'A.6.2.4'],
    ...extra,
  };
  if (status === 'fail' && extra.likelihood === undefined) {
    f.likelihood = 4;
    f.severity = 4;
  }
  return f;
}

/** A findings document holding `findings`. */
export function doc(findings: Finding[], createdAt = '2026-03-01T00:00:00.000Z'): FindingsDocument {
  const order: FindingStatus[] = ['pass', 'insufficient', 'warn', 'fail'];
  const worst = findings.reduce<FindingStatus>((w, f) => (order.indexOf(f.status) > order.indexOf(w) ? f.status : w), 'pass');
  return { kind: 'fairwatch.findings', version: 1, system: SYSTEM, policyHash: 'a'.repeat(64), resultDigest: 'b'.repeat(64), createdAt, findings, status: worst };
}
