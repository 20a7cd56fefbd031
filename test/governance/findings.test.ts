import { rng } from '../calibration/helpers.js';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/fairness/audit.js';
import { groupMetrics } from '../../src/fairness/group-metrics.js';
import { driftReport } from '../../src/drift/report.js';
import { InputError } from '../../src/errors.js';
import { evaluate, findingControls, formatFindings, resultDigest } from '../../src/governance/findings.js';
import { parsePolicy, policyHash } from '../../src/governance/policy.js';
import type { Finding } from '../../src/governance/types.js';

/** Rows of one group from its confusion cells: tp, fn, fp, tn. */
function cells(group: string | null, tp: number, fn: number, fp: number, tn: number) {
  const yTrue = [...Array(tp + fn).fill(1), ...Array(fp + tn).fill(0)] as number[];
  const yPred = [...Array(tp).fill(1), ...Array(fn).fill(0), ...Array(fp).fill(1), ...Array(tn).fill(0)] as number[];
  return { yTrue, yPred, sex: Array(yTrue.length).fill(group) as (string | null)[] };
}
function data(...parts: ReturnType<typeof cells>[]) {
  return {
    yTrue: parts.flatMap((p) => p.yTrue),
    yPred: parts.flatMap((p) => p.yPred),
    sensitive: { sex: parts.flatMap((p) => p.sex) },
  };
}

const SYSTEM = 'system: { id: credit, version: "2.1", owner: risk@example.org }';
const policy = (minGroupSize = 5, extra = '') =>
  parsePolicy(
    [
      SYSTEM,
      `minGroupSize: ${minGroupSize}`,
      'owners: { fairness: fair@example.org }',
      'breaches:',
      '  warn: { likelihood: 2, severity: 3 }',
      '  fail: { likelihood: 4, severity: 5 }',
      'fairness:',
      '  checks:',
      '    - { metric: disparateImpact, warn: 0.9, fail: 0.8 }',
      '    - { metric: equalizedOddsDifference, warn: 0.1, fail: 0.3 }',
      extra,
    ].join('\n'),
  );
const byId = (findings: Finding[], id: string) => {
  const f = findings.find((x) => x.id === id);
  expect(f, id).toBeDefined();
  return f!;
};
const NOW = '2026-03-01T12:00:00.000Z';

// Hand-worked groups (10 rows each):
//   m: tp 4, fn 1, fp 1, tn 4 -> selection 5/10 = 0.5, TPR 4/5 = 0.8, FPR 1/5 = 0.2
//   f: tp 3, fn 2, fp 1, tn 4 -> selection 4/10 = 0.4, TPR 0.6, FPR 0.2
//      disparate impact (reference = most selected, m) = 0.4 / 0.5 = 0.8: exactly the fail limit -> warn
//      equalized odds difference = max(|0.8 − 0.6|, |0.2 − 0.2|) = 0.2: above warn 0.1, not above fail 0.3 -> warn
//   g: tp 2, fn 3, fp 1, tn 4 -> selection 0.3, DI 0.3 / 0.5 = 0.6 -> fail; EOD max(0.8 − 0.4, 0) = 0.4 -> fail
const M = () => cells('m', 4, 1, 1, 4);

describe('evaluate(audit, policy): fairness statuses at the warn / fail boundaries', () => {
  it('disparate impact exactly 0.8 warns (fail is strictly below 0.8); equalized-odds difference 0.2 warns', () => {
    const doc = evaluate(audit({ ...data(cells('f', 3, 2, 1, 4), M()), minGroupSize: 1 }), policy(), { now: NOW });
    const di = byId(doc.findings, 'fairness:disparateImpact:sex');
    expect(di.value).toBe(0.8);
    expect(di).toMatchObject({ status: 'warn', threshold: { warn: 0.9, fail: 0.8, direction: 'below' }, likelihood: 2, severity: 3 });
    expect(di.scope).toEqual({ attributes: ['sex'], groups: expect.arrayContaining(['f', 'm']) });
    const eod = byId(doc.findings, 'fairness:equalizedOddsDifference:sex');
    expect(eod.value).toBeCloseTo(0.2, 12);
    expect(eod).toMatchObject({ status: 'warn', threshold: { warn: 0.1, fail: 0.3, direction: 'above' } });
    expect(doc.status).toBe('warn');
  });

  it('disparate impact 0.6 and equalized-odds difference 0.4 fail, with the policy\'s fail rating and the check owner', () => {
    const doc = evaluate(audit({ ...data(cells('g', 2, 3, 1, 4), M()), minGroupSize: 1 }), policy(), { now: NOW });
    const di = byId(doc.findings, 'fairness:disparateImpact:sex');
    expect(di.value).toBeCloseTo(0.6, 12);
    expect(di).toMatchObject({ status: 'fail', likelihood: 4, severity: 5, owner: 'fair@example.org' });
    expect(di.reason).toContain('below the fail threshold 0.8');
    expect(byId(doc.findings, 'fairness:equalizedOddsDifference:sex').status).toBe('fail');
    expect(doc.status).toBe('fail');
  });

  it('disparate impact exactly 0.9 and equalized-odds difference exactly 0.1 pass (limits are strict), without a rating', () => {
    // f: tp 8, fn 2, fp 1, tn 9 -> selection 9/20 = 0.45, TPR 0.8, FPR 0.1
    // m: tp 8, fn 2, fp 2, tn 8 -> selection 10/20 = 0.5, TPR 0.8, FPR 0.2 -> DI 0.45/0.5 = 0.9, EOD 0.2 − 0.1 = 0.1
    const doc = evaluate(audit({ ...data(cells('f', 8, 2, 1, 9), cells('m', 8, 2, 2, 8)), minGroupSize: 1 }), policy(), { now: NOW });
    const di = byId(doc.findings, 'fairness:disparateImpact:sex');
    expect(di.value).toBe(0.9);
    expect(di.status).toBe('pass');
    expect(di.likelihood).toBeUndefined();
    const eod = byId(doc.findings, 'fairness:equalizedOddsDifference:sex');
    expect(eod.value).toBe(0.1);
    expect(eod.status).toBe('pass');
    expect(doc.status).toBe('pass');
  });
});

describe('evaluate(...): insufficient findings', () => {
  it('groups below the policy minGroupSize give insufficient with the group sizes in the reason, and evidence A.7.4', () => {
    const doc = evaluate(audit({ ...data(cells('g', 2, 3, 1, 4), M()), minGroupSize: 1 }), policy(30), { now: NOW });
    const di = byId(doc.findings, 'fairness:disparateImpact:sex');
    expect(di.status).toBe('insufficient');
    expect(di.reason).toContain('(10 rows)');
    expect(di.reason).toContain('minimum group size 30');
    expect(di.controls).toEqual(['A.5.4', 'A.6.2.4', 'A.7.4']);
    expect(di.likelihood).toBeUndefined();
    expect(doc.status).toBe('insufficient');
  });

  it('an undefined value (the reference group selects nobody) is insufficient with value null', () => {
    // m selects nobody: every DI ratio divides by the reference's 0 selection rate... so take f as the explicit reference
    const doc = evaluate(
      audit({ ...data(cells('f', 0, 5, 0, 5), M()), minGroupSize: 1, reference: { sex: 'f' } }),
      policy(),
      { now: NOW },
    );
    const di = byId(doc.findings, 'fairness:disparateImpact:sex');
    expect(di.value).toBeNull();
    expect(di.status).toBe('insufficient');
    expect(di.reason).toMatch(/^disparateImpact is undefined: /);
  });

  it('an equalized-odds difference when no group has positive labels (TPR undefined everywhere) is insufficient', () => {
    const doc = evaluate(groupMetrics({ ...data(cells('f', 0, 0, 2, 8), cells('m', 0, 0, 1, 9)), minGroupSize: 1 }), policy(), { now: NOW });
    const eod = byId(doc.findings, 'fairness:equalizedOddsDifference:sex');
    expect(eod).toMatchObject({ value: null, status: 'insufficient' });
  });
});

describe('evaluate(...): controls, scope and windows', () => {
  it('pre-deployment fairness findings evidence A.5.4 and A.6.2.4; with a window, A.5.4 and A.6.2.6 and the window in the scope', () => {
    const a = audit({ ...data(cells('f', 3, 2, 1, 4), M()), minGroupSize: 1 });
    expect(byId(evaluate(a, policy(), { now: NOW }).findings, 'fairness:disparateImpact:sex').controls).toEqual(['A.5.4', 'A.6.2.4']);
    const window = { start: '2026-02-01T00:00:00Z', end: '2026-03-01T00:00:00Z' };
    const f = byId(evaluate(a, policy(), { now: NOW, window }).findings, 'fairness:disparateImpact:sex');
    expect(f.controls).toEqual(['A.5.4', 'A.6.2.6']);
    expect(f.scope.window).toEqual(window);
  });

  it('findingControls follows the table: data quality evidences A.7.4; drift evidences A.6.2.6', () => {
    expect(findingControls('data-quality', 'pre-deployment', 'pass')).toEqual(['A.7.4']);
    expect(findingControls('drift', 'monitoring', 'warn')).toEqual(['A.6.2.6']);
    expect(findingControls('drift', 'monitoring', 'insufficient')).toEqual(['A.6.2.6', 'A.7.4']);
  });

  it('checks limited to attributes apply to those attribute sets only; an unmatched check gives a warning', () => {
    const p = parsePolicy([SYSTEM, 'minGroupSize: 1', 'fairness:', '  checks:', '    - { metric: disparateImpact, fail: 0.8, attributes: [region] }'].join('\n'));
    const doc = evaluate(audit({ ...data(cells('f', 3, 2, 1, 4), M()), minGroupSize: 1 }), p, { now: NOW });
    expect(doc.findings).toEqual([]);
    expect(doc.warnings?.[0]).toContain('region');
  });

  it('a missing sensitive value share above warn gives a data-quality warning: 2 of 22 rows = 0.0909', () => {
    const p = policy(1, 'dataQuality:\n  missingSensitiveShare: { warn: 0.05, fail: 0.2 }');
    const doc = evaluate(audit({ ...data(cells('f', 3, 2, 1, 4), M(), cells(null, 1, 0, 0, 1)), minGroupSize: 1 }), p, { now: NOW });
    const dq = byId(doc.findings, 'data-quality:missingShare:sex');
    expect(dq.value).toBeCloseTo(2 / 22, 12);
    expect(dq).toMatchObject({ status: 'warn', controls: ['A.7.4'], scope: { attributes: ['sex'], groups: ['(missing)'] } });
  });
});

describe('evaluate(...) with intervals', () => {
  const base = () => groupMetrics({ ...data(cells('g', 2, 3, 1, 4), M()), minGroupSize: 1 }).toJSON();

  it('copies the result\'s bootstrap interval of the disparity into the finding', () => {
    const json = groupMetrics({ ...data(cells('g', 2, 3, 1, 4), M()), minGroupSize: 1, ci: { resamples: 200, seed: 3 } }).toJSON();
    const iv = json.disparityDetails.disparateImpact.interval!;
    const f = byId(evaluate(json, policy(), { now: NOW }).findings, 'fairness:disparateImpact:sex');
    expect(f.interval).toEqual({ lower: iv.low, upper: iv.high, confidence: iv.confidence, method: iv.method });
  });

  it('interval: whole fails only when the whole interval is below the limit; the point value 0.6 alone would fail', () => {
    const json = base();
    json.disparityDetails.disparateImpact.interval = { low: 0.5, high: 0.85, method: 'percentile', confidence: 0.95, resamples: 100, valid: 100, seed: 0 };
    const p = (mode: string) => parsePolicy([SYSTEM, 'minGroupSize: 1', 'fairness:', '  checks:', `    - { metric: disparateImpact, warn: 0.9, fail: 0.8, interval: ${mode} }`].join('\n'));
    expect(byId(evaluate(json, p('ignore'), { now: NOW }).findings, 'fairness:disparateImpact:sex').status).toBe('fail');
    // upper end 0.85 is not below 0.8, but is below 0.9 -> warn
    expect(byId(evaluate(json, p('whole'), { now: NOW }).findings, 'fairness:disparateImpact:sex').status).toBe('warn');
    json.disparityDetails.disparateImpact.interval!.high = 0.79;
    expect(byId(evaluate(json, p('whole'), { now: NOW }).findings, 'fairness:disparateImpact:sex').status).toBe('fail');
    delete json.disparityDetails.disparateImpact.interval;
    const f = byId(evaluate(json, p('whole'), { now: NOW }).findings, 'fairness:disparateImpact:sex');
    expect(f.status).toBe('fail');
    expect(f.reason).toContain('no interval');
  });
});

describe('evaluate(...): stable documents', () => {
  it('the same policy and result give the same JSON (injected now); object and JSON input give the same document', () => {
    const a = audit({ ...data(cells('f', 3, 2, 1, 4), M()), minGroupSize: 1 });
    const p = policy();
    const one = evaluate(a, p, { now: NOW });
    expect(JSON.stringify(evaluate(a, p, { now: NOW }))).toBe(JSON.stringify(one));
    expect(evaluate(JSON.parse(JSON.stringify(a)), p, { now: NOW })).toEqual(one);
    expect(one.createdAt).toBe(NOW);
    expect(one.policyHash).toBe(policyHash(p));
    expect(one.resultDigest).toBe(resultDigest(a));
    expect(one.resultDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(one.system).toEqual({ id: 'credit', version: '2.1', owner: 'risk@example.org' });
  });

  it('the policy hash changes with the policy, the result digest with the result', () => {
    const a = audit({ ...data(cells('f', 3, 2, 1, 4), M()), minGroupSize: 1 });
    const b = audit({ ...data(cells('g', 2, 3, 1, 4), M()), minGroupSize: 1 });
    expect(evaluate(a, policy(5), { now: NOW }).policyHash).not.toBe(evaluate(a, policy(6), { now: NOW }).policyHash);
    expect(evaluate(a, policy(), { now: NOW }).resultDigest).not.toBe(evaluate(b, policy(), { now: NOW }).resultDigest);
  });

  it('evaluate(notAResult) throws InputError', () => {
    expect(() => evaluate({ kind: 'x' } as never, policy())).toThrow(InputError);
  });
});

/** n normal draws with the given mean (unit variance), seeded. */
function normals(n: number, mean: number, seed: number): number[] {
  const u = rng(seed);
  return Array.from({ length: n }, () => mean + Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u()));
}

describe('evaluate(driftReport, policy): drift and data-quality findings on generated data with a known shift', () => {
  const n = 2000;
  // x: mean shifted by one standard deviation (drift); y: same distribution, 10% missing in current;
  // c: 10% of current values in a category the reference never saw; k: constant in the reference.
  const reference = {
    x: normals(n, 0, 1),
    y: normals(n, 0, 2),
    c: Array.from({ length: n }, (_, i) => (i % 2 ? 'a' : 'b')),
    k: Array(n).fill(1),
  };
  const current = {
    x: normals(n, 1, 3),
    y: normals(n, 0, 4).map((v, i) => (i % 10 === 0 ? null : v)),
    c: Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 'z' : i % 2 ? 'a' : 'b')),
    k: Array(n).fill(1),
  };
  const report = driftReport({ reference, current });
  const p = parsePolicy(
    [
      SYSTEM,
      'owners: { drift: mlops@example.org }',
      'drift:',
      '  share: { warn: 0.25, fail: 0.9 }',
      '  columnDrifted: fail',
      '  statistics:',
      '    - { metric: psi, columns: [x, y], warn: 0.1, fail: 0.25 }',
      'dataQuality:',
      '  missingShareIncrease: { warn: 0.05, fail: 0.2 }',
      '  unseenShare: { warn: 0.01, fail: 0.05 }',
    ].join('\n'),
  );
  const doc = evaluate(report, p, { now: NOW });

  it('the shifted column fails on its deciding test and on PSI; the unshifted one passes both', () => {
    const x = doc.findings.filter((f) => f.scope.column === 'x' && f.kind === 'drift');
    expect(x.map((f) => f.status)).toEqual(['fail', 'fail']);
    expect(x[1]).toMatchObject({ id: 'drift:psi:x', threshold: { warn: 0.1, fail: 0.25, direction: 'above' }, controls: ['A.6.2.6'], owner: 'mlops@example.org' });
    const y = doc.findings.filter((f) => f.scope.column === 'y' && f.kind === 'drift');
    expect(y.map((f) => f.status)).toEqual(['pass', 'pass']);
  });

  it('the missing share rising from 0 to 0.1 warns; 10% unseen categories fail; both are data quality in monitoring', () => {
    const miss = byId(doc.findings, 'data-quality:missingShare:y');
    expect(miss.value).toBeCloseTo(0.1, 12);
    expect(miss).toMatchObject({ status: 'warn', controls: ['A.6.2.6', 'A.7.4'] });
    const unseen = byId(doc.findings, 'data-quality:unseenShare:c');
    expect(unseen.value).toBeCloseTo(0.1, 12);
    expect(unseen.status).toBe('fail');
  });

  it('a column the report could not evaluate (constant reference) is insufficient and evidences A.7.4', () => {
    const k = doc.findings.filter((f) => f.scope.column === 'k' && f.kind === 'drift');
    expect(k.length).toBeGreaterThan(0);
    for (const f of k) expect(f).toMatchObject({ status: 'insufficient', value: null, controls: ['A.6.2.6', 'A.7.4'] });
  });

  it('the dataset share is drifted / evaluated columns of the report, judged against the share limits', () => {
    const share = byId(doc.findings, 'drift:driftShare:dataset');
    const cols = report.columns.filter((c) => c.status === 'ok');
    const expected = cols.filter((c) => c.drifted).length / cols.length;
    expect(share.value).toBe(expected);
    expect(share.status).toBe(expected > 0.9 ? 'fail' : expected > 0.25 ? 'warn' : 'pass');
    expect(doc.status).toBe('fail');
  });

  it('evaluate([audit, drift]) combines both; formatFindings prints every finding id in text and Markdown', () => {
    const a = audit({ ...data(cells('f', 3, 2, 1, 4), M()), minGroupSize: 1 });
    const both = evaluate([a, report], p, { now: NOW });
    expect(both.findings.length).toBe(doc.findings.length); // p has no fairness checks
    const text = formatFindings(doc, 'text');
    const md = formatFindings(doc, 'markdown');
    for (const f of doc.findings) {
      expect(text).toContain(f.id);
      expect(md).toContain(`\`${f.id}\``);
    }
    expect(text.split('\n')[0]).toMatch(/^findings for credit 2\.1: FAIL \(/);
    expect(JSON.parse(formatFindings(doc, 'json'))).toEqual(doc);
  });
});
