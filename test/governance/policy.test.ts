import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyError, messages } from '../../src/errors.js';
import { breachRating, loadPolicy, parsePolicy, policyHash } from '../../src/governance/policy.js';

/** Parse and return the PolicyError thrown (fails the test if none is thrown). */
function policyError(text: string, file = 'bad.yaml'): PolicyError {
  try {
    parsePolicy(text, { file });
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return e as PolicyError;
  }
  throw new Error('parsePolicy did not throw');
}

const SYSTEM = ['system:', '  id: credit', '  version: "2.1"', '  owner: risk@example.org'];

describe('parsePolicy(text, { file }) errors name the file, the line and the field', () => {
  it('a threshold that is not a number: line of the key, field path fairness.checks.0.warn', () => {
    const text = [...SYSTEM, 'fairness:', '  checks:', '    - metric: disparateImpact', '      warn: high', '      fail: 0.8'].join('\n');
    const e = policyError(text);
    expect(e.details).toMatchObject({ file: 'bad.yaml', line: 8, field: 'fairness.checks.0.warn' });
    expect(e.message.startsWith('parsePolicy: bad.yaml:8: fairness.checks.0.warn: ')).toBe(true);
  });

  it('an unknown key: the line of that key, and the key in the field path', () => {
    const text = [...SYSTEM, 'minGroupSize: 30', 'drift:', '  colunmDrifted: warn'].join('\n');
    const e = policyError(text);
    expect(e.details).toMatchObject({ line: 7, field: 'drift.colunmDrifted' });
  });

  it('warn and fail in the wrong order for the direction: custom message from the schema', () => {
    const text = [...SYSTEM, 'fairness:', '  checks:', '    - metric: disparateImpact', '      warn: 0.7', '      fail: 0.8'].join('\n');
    const e = policyError(text, 'p.yaml');
    expect(e.message).toBe(messages.policyInvalid('parsePolicy', 'p.yaml', 8, 'fairness.checks.0.warn', 'direction below needs warn >= fail, got warn 0.7, fail 0.8'));
  });

  it('a difference with warn above fail, and an explicit direction below that allows it', () => {
    const bad = [...SYSTEM, 'fairness:', '  checks:', '    - { metric: equalizedOddsDifference, warn: 0.3, fail: 0.1 }'].join('\n');
    expect(policyError(bad).details).toMatchObject({ line: 7, field: 'fairness.checks.0.warn' });
    const ok = [...SYSTEM, 'fairness:', '  checks:', '    - { metric: equalizedOddsDifference, warn: 0.3, fail: 0.1, direction: below }'].join('\n');
    expect(parsePolicy(ok).fairness.checks[0]!.direction).toBe('below');
  });

  it('an unknown metric names the allowed ones', () => {
    const text = [...SYSTEM, 'fairness:', '  checks:', '    - metric: f1Gap', '      fail: 0.1'].join('\n');
    const e = policyError(text);
    expect(e.details).toMatchObject({ line: 7, field: 'fairness.checks.0.metric' });
    expect(e.message).toContain('disparateImpact');
  });

  it('a missing required field points at its parent key', () => {
    const e = policyError(['system:', '  id: credit', '  version: "1"'].join('\n'));
    expect(e.details).toMatchObject({ line: 1, field: 'system.owner' });
  });

  it('a likelihood outside 1..5 in breaches', () => {
    const text = [...SYSTEM, 'breaches:', '  warn: { likelihood: 3, severity: 2 }', '  fail:', '    likelihood: 7', '    severity: 4'].join('\n');
    const e = policyError(text);
    expect(e.message).toBe(messages.policyInvalid('parsePolicy', 'bad.yaml', 8, 'breaches.fail.likelihood', 'must be an integer from 1 to 5'));
  });

  it('text that is not YAML gives policyUnreadable with the line', () => {
    const e = policyError([...SYSTEM, 'fairness: [1, 2', 'alpha: 0.05'].join('\n'));
    expect(e.code).toBe('policyUnreadable');
    expect(e.message.startsWith('parsePolicy: bad.yaml:')).toBe(true);
    expect(typeof e.details.line).toBe('number');
  });

  it('loadPolicy(path) names the file it read, and a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fairwatch-policy-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, [...SYSTEM, 'alpha: 2'].join('\n'));
    expect(() => loadPolicy(file)).toThrow(new RegExp(`^loadPolicy: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:5: alpha: `));
    expect(() => loadPolicy(join(dir, 'none.yaml'))).toThrow(messages.policyNotFound('loadPolicy', join(dir, 'none.yaml')));
  });
});

describe('parsePolicy defaults and loadPolicy()', () => {
  it('parsePolicy fills the documented defaults: minGroupSize 30, alpha 0.05, columnDrifted warn, directions by metric kind', () => {
    const p = parsePolicy([...SYSTEM, 'fairness:', '  checks:', '    - { metric: disparateImpact, fail: 0.8 }', '    - { metric: demographicParityDifference, warn: 0.1 }'].join('\n'));
    expect(p.minGroupSize).toBe(30);
    expect(p.alpha).toBe(0.05);
    expect(p.drift.columnDrifted).toBe('warn');
    expect(p.fairness.checks.map((c) => [c.direction, c.attributes, c.interval])).toEqual([
      ['below', 'all', 'ignore'],
      ['above', 'all', 'ignore'],
    ]);
    expect(p.system.version).toBe('2.1');
  });

  it('loadPolicy() returns the shipped default policy: the four-fifths rule fails disparate impact below 0.8', () => {
    const p = loadPolicy();
    const di = p.fairness.checks.find((c) => c.metric === 'disparateImpact')!;
    expect(di).toMatchObject({ fail: 0.8, warn: 0.9, direction: 'below', attributes: 'all' });
    const eod = p.fairness.checks.find((c) => c.metric === 'equalizedOddsDifference')!;
    expect(eod).toMatchObject({ warn: 0.1, direction: 'above' });
    expect(p.minGroupSize).toBe(30);
    expect(breachRating(p, 'fail')).toEqual({ likelihood: 4, severity: 4 });
    expect(breachRating(p, 'pass')).toBeUndefined();
  });
});

/** A naive canonical JSON (sorted keys) written for the test. */
function naiveCanonical(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(naiveCanonical).join(',') + ']';
  if (v !== null && typeof v === 'object') {
    return '{' + Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort().map((k) => JSON.stringify(k) + ':' + naiveCanonical((v as Record<string, unknown>)[k])).join(',') + '}';
  }
  return JSON.stringify(v);
}

describe('policyHash(policy)', () => {
  const a = [...SYSTEM, 'minGroupSize: 50', 'fairness:', '  checks:', '    - { metric: disparateImpact, warn: 0.9, fail: 0.8 }'].join('\n');
  const reordered = [
    '# the same policy, keys in another order, flow style and a comment',
    'fairness: { checks: [ { fail: 0.8, metric: disparateImpact, warn: 0.9 } ] }',
    'minGroupSize: 50',
    'system: { owner: risk@example.org, version: "2.1", id: credit }',
  ].join('\n');

  it('is the sha256 of the sorted-key JSON of the validated policy', () => {
    const p = parsePolicy(a);
    expect(policyHash(p)).toBe(createHash('sha256').update(naiveCanonical(p)).digest('hex'));
  });

  it('is stable under key order, comments and spelled-out defaults', () => {
    expect(policyHash(parsePolicy(reordered))).toBe(policyHash(parsePolicy(a)));
    expect(policyHash(parsePolicy(a + '\nalpha: 0.05'))).toBe(policyHash(parsePolicy(a)));
  });

  it('changes when a threshold, the minimum group size or the system version changes', () => {
    const h = policyHash(parsePolicy(a));
    expect(policyHash(parsePolicy(a.replace('fail: 0.8', 'fail: 0.75')))).not.toBe(h);
    expect(policyHash(parsePolicy(a.replace('minGroupSize: 50', 'minGroupSize: 40')))).not.toBe(h);
    expect(policyHash(parsePolicy(a.replace('"2.1"', '"2.2"')))).not.toBe(h);
  });
});
