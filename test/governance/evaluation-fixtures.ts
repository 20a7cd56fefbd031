/**
 * Hand-built results for the pipeline and `--policy` tests, with their expected values worked
 * out by hand (no fairwatch code involved in the expectations).
 */
import { audit } from '../../src/fairness/audit.js';
import { driftReport } from '../../src/drift/report.js';
import { parsePolicy } from '../../src/governance/policy.js';

/** Rows of one group from its confusion cells: tp, fn, fp, tn. */
function cells(group: string, tp: number, fn: number, fp: number, tn: number) {
  return {
    yTrue: [...Array(tp + fn).fill(1), ...Array(fp + tn).fill(0)] as number[],
    yPred: [...Array(tp).fill(1), ...Array(fn).fill(0), ...Array(fp).fill(1), ...Array(tn).fill(0)] as number[],
    sex: Array(tp + fn + fp + tn).fill(group) as string[],
  };
}

/**
 * An audit by sex, 40 rows per group.
 * - failing: m tp 16 fn 4 fp 4 tn 16 -> selection (16+4)/40 = 0.5; f tp 10 fn 10 fp 2 tn 18 -> selection 12/40 = 0.3;
 *   disparate impact (reference m, the most selected) = 0.3 / 0.5 = 0.6, below the fail limit 0.8.
 * - passing: f tp 16 fn 4 fp 3 tn 17 -> selection 19/40 = 0.475; DI = 0.475 / 0.5 = 0.95, above warn 0.9.
 */
export function handAudit(kind: 'failing' | 'passing') {
  const m = cells('m', 16, 4, 4, 16);
  const f = kind === 'failing' ? cells('f', 10, 10, 2, 18) : cells('f', 16, 4, 3, 17);
  return audit({ yTrue: [...m.yTrue, ...f.yTrue], yPred: [...m.yPred, ...f.yPred], sensitive: { sex: [...m.sex, ...f.sex] } });
}

/** Hand-computed disparate impact of {@link handAudit}. */
export const HAND_DI = { failing: 0.3 / 0.5, passing: 0.475 / 0.5 } as const;

/** A policy with one check: disparate impact warn < 0.9, fail < 0.8 (likelihood 4, severity 5 on fail). */
export const POLICY_YAML = [
  'system: { id: credit, version: "2.1", owner: risk@example.org }',
  'breaches:',
  '  warn: { likelihood: 2, severity: 3 }',
  '  fail: { likelihood: 4, severity: 5 }',
  'fairness:',
  '  checks:',
  '    - { metric: disparateImpact, attributes: [sex], warn: 0.9, fail: 0.8 }',
  '',
].join('\n');
export const policy = () => parsePolicy(POLICY_YAML, { file: 'policy.yaml' });

/**
 * A drift report on one numeric column x = 0..199: `drifted` shifts the current side by +100, so
 * half the current values lie past the reference maximum (the column drifts, the share of drifted
 * columns is 1 of 1); `same` compares the data with itself (nothing drifts).
 */
export function handDrift(kind: 'drifted' | 'same') {
  const x = Array.from({ length: 200 }, (_, i) => i);
  return driftReport({ reference: { x }, current: { x: kind === 'drifted' ? x.map((v) => v + 100) : x } });
}
