/**
 * The management review (ISO/IEC 42001 9.3): hand-built risk versions and audit lines with known
 * answers for assembleReview, then managementReview on a store with real runs.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEvent, RiskEntry, StoredFinding } from '../../src/index.js';
import { openStore } from '../../src/store/index.js';
import { assembleReview, managementReview, reviewToHTML, reviewToMarkdown } from '../../src/report/review.js';
import { SCRIPT_GROUP, storeWithRuns } from './fixtures.js';

const SYSTEM = { id: 'loan-model', version: '1.0.0', owner: 'risk-team' };

function entry(id: string, version: number, changedAt: string, extra: Partial<RiskEntry> = {}): RiskEntry {
  return {
    id, version, title: `risk ${id}`, system: SYSTEM, metric: 'disparateImpact', attributes: ['sex'], riskSource: 's', event: 'e', consequence: 'c',
    affectedGroups: [], likelihood: 4, severity: 4, inherentLevel: 'high', treatment: 'modify', controls: ['A.5.4'], owner: 'ana', status: 'open',
    reviewDate: '2026-09-01', findings: [], evidence: [], incidents: [], changedBy: 'ci', changedAt, reason: 'r', ...extra,
  };
}

const review = (at: string, period: { from: string; to: string }): AuditEvent => ({ seq: 1, time: at, actor: 'boss', action: 'review.export', inputs: {}, outputs: {}, details: { period }, prev: '0'.repeat(64) });

describe('assembleReview', () => {
  // R-a: new in the period, high and open -> a decision; R-b: opened before, moved to treating in the period;
  // R-c: medium, review date passed -> overdue; R-d: changed before the previous review's end -> not a change;
  // R-e: closed in the period -> a status change, not open at the end.
  const versions = [
    entry('R-a', 1, '2026-02-10T00:00:00.000Z'),
    entry('R-b', 1, '2025-11-01T00:00:00.000Z'),
    entry('R-b', 2, '2026-02-01T00:00:00.000Z', { status: 'treating' }),
    entry('R-c', 1, '2025-10-01T00:00:00.000Z', { inherentLevel: 'medium', likelihood: 2, severity: 3, reviewDate: '2026-01-15', incidents: ['INC-7: complaint'] }),
    entry('R-d', 1, '2025-12-20T00:00:00.000Z', { status: 'monitoring' }),
    entry('R-e', 1, '2025-09-01T00:00:00.000Z'),
    entry('R-e', 2, '2026-03-01T00:00:00.000Z', { status: 'closed' }),
    entry('R-a', 2, '2026-05-01T00:00:00.000Z', { status: 'treating' }), // after the period: ignored
  ];
  const audit = [review('2026-01-03T09:00:00.000Z', { from: '2025-10-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' })];
  const r = assembleReview({ runs: [], findings: [], riskVersions: versions, audit }, '2026-01-01..2026-03-31', { now: '2026-04-02T00:00:00Z' });

  it('assembleReview counts changes since the previous review: new, status changes, nothing before it or after the period', () => {
    expect(r.previousReview).toEqual({ at: '2026-01-03T09:00:00.000Z', by: 'boss', period: { from: '2025-10-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' } });
    expect(r.since).toBe('2025-12-31T23:59:59.999Z');
    expect(r.changes.map((c) => [c.riskId, c.version, c.change, c.fromStatus, c.toStatus])).toEqual([
      ['R-b', 2, 'status', 'open', 'treating'],
      ['R-a', 1, 'new', null, 'open'],
      ['R-e', 2, 'status', 'open', 'closed'],
    ]);
    expect([r.summary.newRisks, r.summary.changedRisks, r.summary.statusChanges]).toEqual([1, 2, 2]);
  });

  it('assembleReview lists open risks as they stood at the period end, incidents, and the decisions needed', () => {
    expect(r.openRisks.map((e) => [e.id, e.status])).toEqual([['R-a', 'open'], ['R-b', 'treating'], ['R-c', 'open'], ['R-d', 'monitoring']]);
    expect(r.incidents).toEqual([{ riskId: 'R-c', incident: 'INC-7: complaint' }]);
    expect(r.decisions.map((d) => [d.riskId, d.kind])).toEqual([['R-a', 'untreated'], ['R-c', 'overdue']]);
  });

  it('assembleReview without an earlier review counts from the period start, and reports trends from findings', () => {
    const f = (runId: string, time: string, value: number): StoredFinding => ({
      runId, time, systemId: 'loan-model',
      finding: { id: 'fairness:disparateImpact:sex', kind: 'fairness', metric: 'disparateImpact', scope: { attributes: ['sex'], groups: [] }, value, threshold: { fail: 0.8, direction: 'below' }, status: value < 0.8 ? 'fail' : 'pass', reason: 'x', controls: [] },
    });
    const r2 = assembleReview({ runs: [], findings: [f('r1', '2026-01-05T00:00:00.000Z', 0.7), f('r2', '2026-02-05T00:00:00.000Z', 0.85)], riskVersions: versions, audit: [] }, '2026-01-01..2026-03-31');
    expect(r2.previousReview).toBeNull();
    expect(r2.since).toBe('2026-01-01T00:00:00.000Z');
    expect(r2.changes.map((c) => c.riskId)).toEqual(['R-b', 'R-a', 'R-e']);
    expect(r2.trends.map((s) => [s.metric, s.scope, s.points.map((p) => p.value)])).toEqual([['disparateImpact', 'sex', [0.7, 0.85]]]);
    expect(r2.alerts.map((a) => [a.runId, a.metric, a.value])).toEqual([['r1', 'disparateImpact', 0.7]]);
    expect(r2.charts.map((c) => c.title)).toEqual(['disparateImpact over runs']);
  });

  it('reviewToMarkdown and reviewToHTML escape data and carry every section', async () => {
    const hostile = assembleReview({ runs: [], findings: [], riskVersions: [entry('R-x', 1, '2026-02-01T00:00:00.000Z', { title: SCRIPT_GROUP, owner: 'a|b' })], audit: [] }, '2026-01-01..2026-03-31');
    const text = reviewToMarkdown(hostile);
    expect(text).not.toContain('<script>');
    expect(text).toContain('a\\|b');
    for (const h of ['## Decisions needed', '## Changes since the last review', '## Open risks at the end of the period', '## Alerts (failing findings)', '## Incidents', '## Metric trends']) expect(text).toContain(h);
    const html = await reviewToHTML(hostile);
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('managementReview(store)', () => {
  it('managementReview(store, period) reports the runs, the failing disparate-impact alert and the opened risks of the period', async () => {
    const { dir } = await storeWithRuns({ rows: 3000, days: 1 });
    const store = await openStore(dir);
    try {
      const r = await managementReview(store, '2026-03-01..2026-03-31', { now: '2026-04-01T00:00:00Z' });
      expect(r.summary.runs).toBe(2);
      expect(r.alerts.some((a) => a.metric === 'disparateImpact' && a.scope === 'sex')).toBe(true);
      expect(r.changes.length).toBeGreaterThan(0);
      expect(r.changes.every((c) => c.change === 'new')).toBe(true);
      expect(r.openRisks.length).toBe(r.changes.length);
      const empty = await managementReview(store, '2026-01-01..2026-01-31');
      expect([empty.summary.runs, empty.alerts.length, empty.changes.length, empty.openRisks.length]).toEqual([0, 0, 0, 0]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
