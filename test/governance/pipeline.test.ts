import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EngineError, InputError, messages } from '../../src/errors.js';
import { repairAuditLog } from '../../src/governance/audit-log.js';
import { evaluate } from '../../src/governance/findings.js';
import { defaultRunId, formatRiskChanges, recordEvaluation, type EvaluationStore } from '../../src/governance/pipeline.js';
import { policyHash } from '../../src/governance/policy.js';
import { updateEntry } from '../../src/governance/risk.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { HAND_DI, handAudit, handDrift, policy } from './evaluation-fixtures.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
/** The risk id of the disparate-impact risk on sex of system "credit", computed without fairwatch. */
const DI_RISK = 'R-' + sha('["credit","disparateImpact",["sex"]]').slice(0, 12);
const DAY1 = '2026-03-01T10:00:00.000Z';
const DAY2 = '2026-03-02T10:00:00.000Z';
const auditLines = (dir: string) => readFileSync(join(dir, 'audit.log.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

/** A store whose audit append fails once (the process "dies" after the database commit). */
function crashingAudit(store: Store, before?: () => void): EvaluationStore {
  let crashed = false;
  return {
    target: store.target,
    auditLocation: store.auditLocation,
    recordRunWithRisks: (run, apply) => store.recordRunWithRisks(run, apply),
    readAudit: () => store.readAudit(),
    riskHistory: (id) => store.riskHistory(id),
    appendAudit: async (input) => {
      if (!crashed) {
        crashed = true;
        before?.();
        throw new Error('simulated crash before the audit line');
      }
      return store.appendAudit(input);
    },
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fairwatch-pipeline-'));
});

describe('recordEvaluation({ store, result, findings, kind })', () => {
  it('recordEvaluation(failing audit) stores the run, opens the risk entry and appends an audit.run line with the digests', async () => {
    const result = handAudit('failing');
    const findings = evaluate(result, policy(), { now: DAY1 });
    expect(findings.findings[0]!.value).toBeCloseTo(HAND_DI.failing, 12);
    const store = await openStore(dir);
    const rec = await recordEvaluation({ store, result, findings, kind: 'audit', actor: 'ci', now: DAY1, inputs: { data: 'd'.repeat(64) } });
    expect(rec.state).toBe('recorded');
    expect(rec.runId).toMatch(/^audit-20260301-[0-9a-f]{12}$/);
    expect(rec.risks.map((c) => [c.change, c.entry.id, c.entry.version, c.entry.status, c.entry.likelihood, c.entry.severity, c.entry.inherentLevel])).toEqual([
      ['opened', DI_RISK, 1, 'open', 4, 5, 'critical'], // 4 × 5 = 20: critical
    ]);
    // the stored run holds the result JSON with its digest
    const [run] = await store.listRuns();
    expect(run).toMatchObject({ id: rec.runId, kind: 'audit', actor: 'ci', time: DAY1, policyHash: policyHash(policy()), result: JSON.parse(JSON.stringify(result.toJSON())) });
    expect(run!.resultDigest).toBe(findings.resultDigest);
    expect((await store.findings()).map((f) => [f.runId, f.finding.id, f.finding.status])).toEqual([[rec.runId, 'fairness:disparateImpact:sex', 'fail']]);
    expect((await store.latestRisks()).map((e) => e.id)).toEqual([DI_RISK]);
    // one audit line: inputs (data + policy), outputs (result, findings, risk versions)
    const [line] = auditLines(dir);
    expect(line).toMatchObject({ seq: 1, action: 'audit.run', actor: 'ci', time: DAY1, inputs: { data: 'd'.repeat(64), policy: policyHash(policy()) } });
    expect(line.outputs.result).toBe(findings.resultDigest);
    expect(line.outputs.findings).toBe(rec.findingsDigest);
    expect(Object.keys(line.outputs).sort()).toEqual(['findings', 'result', 'risk-versions']);
    expect(line.details).toMatchObject({ runId: rec.runId, status: 'fail', findings: { fail: 1, pass: 0 }, risks: [{ id: DI_RISK, version: 1, change: 'opened' }] });
    expect((await store.verifyAudit()).ok).toBe(true);
    expect(formatRiskChanges(rec.risks)).toContain(`opened    ${DI_RISK} v1  open  critical (4×5)`);
    await store.close();
  });

  it('recordEvaluation(same evaluation, same day) is idempotent: already-recorded, nothing new written', async () => {
    const result = handAudit('failing');
    const store = await openStore(dir);
    const first = await recordEvaluation({ store, result, findings: evaluate(result, policy(), { now: DAY1 }), kind: 'audit', now: DAY1 });
    // re-evaluated an hour later (a new findings createdAt), still the same day
    const again = await recordEvaluation({ store, result: result.toJSON(), findings: evaluate(result, policy(), { now: '2026-03-01T11:00:00Z' }), kind: 'audit', now: '2026-03-01T11:00:00Z' });
    expect(again.state).toBe('already-recorded');
    expect(again.runId).toBe(first.runId);
    expect(again.audit).toEqual(first.audit);
    expect(again.risks.map((c) => [c.change, c.entry.version])).toEqual([['opened', 1]]);
    expect(await store.listRuns()).toHaveLength(1);
    expect(await store.riskHistory(DI_RISK)).toHaveLength(1);
    expect(auditLines(dir)).toHaveLength(1);
    await store.close();
  });

  it('recordEvaluation(passing audit, a later day) records the improvement as a new version and never closes the entry', async () => {
    const store = await openStore(dir);
    const failing = handAudit('failing');
    await recordEvaluation({ store, result: failing, findings: evaluate(failing, policy(), { now: DAY1 }), kind: 'audit', now: DAY1 });
    const passing = handAudit('passing');
    const findings = evaluate(passing, policy(), { now: DAY2 });
    expect(findings.findings[0]).toMatchObject({ status: 'pass' });
    expect(findings.findings[0]!.value).toBeCloseTo(HAND_DI.passing, 12);
    const rec = await recordEvaluation({ store, result: passing, findings, kind: 'audit', now: DAY2 });
    expect(rec.runId).toMatch(/^audit-20260302-/);
    expect(rec.risks.map((c) => [c.change, c.entry.version, c.entry.status])).toEqual([['improved', 2, 'open']]);
    expect(auditLines(dir).map((l) => [l.seq, l.action, l.details.status])).toEqual([[1, 'audit.run', 'fail'], [2, 'audit.run', 'pass']]);
    await store.close();
  });

  it('recordEvaluation(failing audit) after a person closed the entry reopens it', async () => {
    const store = await openStore(dir);
    const failing = handAudit('failing');
    await recordEvaluation({ store, result: failing, findings: evaluate(failing, policy(), { now: DAY1 }), kind: 'audit', now: DAY1 });
    await store.modifyRisks((latest) => [updateEntry(latest[0]!, { status: 'closed', note: 'retrained', by: 'ann', now: DAY1 })]);
    const rec = await recordEvaluation({ store, result: failing, findings: evaluate(failing, policy(), { now: DAY2 }), kind: 'audit', now: DAY2 });
    expect(rec.risks.map((c) => [c.change, c.entry.version, c.entry.status])).toEqual([['reopened', 3, 'open']]);
    await store.close();
  });

  it('recordEvaluation(drift report) writes a drift.run line and opens a risk keyed on the drifted column', async () => {
    const store = await openStore(dir);
    const report = handDrift('drifted');
    const findings = evaluate(report, policy(), { now: DAY1 });
    const rec = await recordEvaluation({ store, result: report, findings, kind: 'drift', now: DAY1, inputs: { reference: 'a'.repeat(64), current: 'b'.repeat(64) } });
    expect(rec.audit).toMatchObject({ action: 'drift.run', inputs: { reference: 'a'.repeat(64), current: 'b'.repeat(64) } });
    expect(rec.runId).toMatch(/^drift-20260301-/);
    // the policy has no drift limits but the default column decision (warn): no risk opens on warn
    expect(findings.findings.map((f) => [f.id, f.status])).toEqual([['drift:' + report.toJSON().columns[0]!.test + ':x', 'warn']]);
    expect(rec.risks).toEqual([]);
    await store.close();
  });
});

describe('recordEvaluation: crash ordering', () => {
  it('a crash after the store transaction leaves run and register complete but no audit line; the re-run adds only the line', async () => {
    const result = handAudit('failing');
    const findings = evaluate(result, policy(), { now: DAY1 });
    const store = await openStore(dir);
    const err = await recordEvaluation({ store: crashingAudit(store), result, findings, kind: 'audit', now: DAY1 }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('simulated crash before the audit line');
    // what the crash left: the run, its finding and the risk version — and no audit line
    expect(await store.listRuns()).toHaveLength(1);
    expect(await store.findings()).toHaveLength(1);
    expect(await store.riskHistory(DI_RISK)).toHaveLength(1);
    expect(await store.readAudit()).toEqual([]);
    // the re-run (same evaluation, same day) completes it without writing the run or the risk again
    const rec = await recordEvaluation({ store, result, findings: evaluate(result, policy(), { now: DAY1 }), kind: 'audit', now: DAY1 });
    expect(rec.state).toBe('completed');
    expect(rec.risks.map((c) => [c.change, c.entry.id, c.entry.version])).toEqual([['opened', DI_RISK, 1]]);
    expect(await store.listRuns()).toHaveLength(1);
    expect(await store.riskHistory(DI_RISK)).toHaveLength(1);
    const lines = auditLines(dir);
    expect(lines.map((l) => [l.action, l.details.runId, l.details.resumed, l.details.runTime])).toEqual([['audit.run', rec.runId, true, DAY1]]);
    expect((await store.verifyAudit()).ok).toBe(true);
    // and a third run finds everything there
    expect((await recordEvaluation({ store, result, findings, kind: 'audit', now: DAY1 })).state).toBe('already-recorded');
    await store.close();
  });

  it('a crash inside the store transaction writes nothing: no run, no finding, no risk version, no audit line', async () => {
    const result = handAudit('failing');
    const store = await openStore(dir);
    // reviewDays -1 makes applyFindings throw after the run row was inserted, inside the transaction
    const err = await recordEvaluation({ store, result, findings: evaluate(result, policy(), { now: DAY1 }), kind: 'audit', now: DAY1, risk: { reviewDays: -1 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(messages.badRiskField('applyFindings', 'reviewDays', -1, 'an integer >= 0'));
    expect(await store.listRuns()).toEqual([]);
    expect(await store.findings()).toEqual([]);
    expect(await store.latestRisks()).toEqual([]);
    expect(await store.readAudit()).toEqual([]);
    // the same evaluation then records normally
    expect((await recordEvaluation({ store, result, findings: evaluate(result, policy(), { now: DAY1 }), kind: 'audit', now: DAY1 })).state).toBe('recorded');
    await store.close();
  });

  it('a crash mid-way through the audit line leaves a partial line: the re-run refuses until log repair, then completes', async () => {
    const result = handAudit('failing');
    const findings = evaluate(result, policy(), { now: DAY1 });
    const store = await openStore(dir);
    const log = join(dir, 'audit.log.jsonl');
    await store.appendAudit({ action: 'policy.load', actor: 'ci', time: DAY1 }); // an earlier, complete line
    const crash = crashingAudit(store, () => appendFileSync(log, '{"action":"audit.run","act'));
    await expect(recordEvaluation({ store: crash, result, findings, kind: 'audit', now: DAY1 })).rejects.toThrow('simulated crash');
    expect((await store.verifyAudit()).problem).toMatchObject({ kind: 'partial-line', line: 2 });
    const refused = await recordEvaluation({ store, result, findings, kind: 'audit', now: DAY1 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EngineError);
    expect((refused as EngineError).code).toBe('auditLogPartialLine');
    expect(await repairAuditLog(log)).toMatchObject({ removedBytes: 26 });
    const rec = await recordEvaluation({ store, result, findings, kind: 'audit', now: DAY1 });
    expect(rec.state).toBe('completed');
    expect(auditLines(dir).map((l) => l.action)).toEqual(['policy.load', 'audit.run']);
    expect((await store.verifyAudit()).ok).toBe(true);
    expect(await store.riskHistory(DI_RISK)).toHaveLength(1);
    await store.close();
  });
});

describe('recordEvaluation: refusals', () => {
  it('recordEvaluation throws evaluationKindMismatch, findingsResultMismatch and runIdConflict with the catalogue messages', async () => {
    const store = await openStore(dir);
    const failing = handAudit('failing');
    const passing = handAudit('passing');
    const findings = evaluate(failing, policy(), { now: DAY1 });
    await expect(recordEvaluation({ store, result: failing, findings, kind: 'drift' })).rejects.toThrow(messages.evaluationKindMismatch('recordEvaluation', 'drift', 'fairwatch.audit'));
    await expect(recordEvaluation({ store, result: passing, findings, kind: 'audit' })).rejects.toThrow(
      messages.findingsResultMismatch('recordEvaluation', findings.resultDigest, evaluate(passing, policy()).resultDigest),
    );
    await recordEvaluation({ store, result: failing, findings, kind: 'audit', runId: 'run-1', now: DAY1 });
    const other = evaluate(passing, policy(), { now: DAY1 });
    const err = await recordEvaluation({ store, result: passing, findings: other, kind: 'audit', runId: 'run-1', now: DAY1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(messages.runIdConflict('Store.recordRunWithRisks', 'run-1', findings.resultDigest, other.resultDigest));
    expect(auditLines(dir)).toHaveLength(1);
    await store.close();
  });

  it('defaultRunId(kind, findings, inputs, now) depends on the UTC day, the result, the policy and the inputs', () => {
    const f = { resultDigest: 'a'.repeat(64), policyHash: 'b'.repeat(64), system: { id: 's', version: '1', owner: 'o' } };
    const id = defaultRunId('audit', f, {}, '2026-03-01T00:00:00Z');
    expect(id).toMatch(/^audit-20260301-[0-9a-f]{12}$/);
    expect(defaultRunId('audit', f, {}, '2026-03-01T23:59:59Z')).toBe(id);
    expect(defaultRunId('audit', f, {}, '2026-03-02T00:00:00Z')).not.toBe(id);
    expect(defaultRunId('audit', { ...f, policyHash: 'c'.repeat(64) }, {}, '2026-03-01T00:00:00Z')).not.toBe(id);
    expect(defaultRunId('audit', f, { data: 'd'.repeat(64) }, '2026-03-01T00:00:00Z')).not.toBe(id);
  });
});

describe('recordEvaluation and policy changes', () => {
  it('a run judged against another policy than the last run of the system appends a policy.change line first', async () => {
    const store = await openStore(dir);
    const result = handAudit('failing');
    const p1 = policy();
    await recordEvaluation({ store, result, findings: evaluate(result, p1, { now: DAY1 }), kind: 'audit', actor: 'ci', now: DAY1 });
    // the same policy the next day: no change line
    await recordEvaluation({ store, result, findings: evaluate(result, p1, { now: DAY2 }), kind: 'audit', actor: 'ci', now: DAY2 });
    expect(auditLines(dir).map((l) => l.action)).toEqual(['audit.run', 'audit.run']);
    // a stricter policy (a different minimum group size): the change is recorded before the run
    const p2 = { ...p1, minGroupSize: p1.minGroupSize + 1 };
    const DAY3 = '2026-03-03T10:00:00.000Z';
    const rec = await recordEvaluation({ store, result, findings: evaluate(result, p2, { now: DAY3 }), kind: 'audit', actor: 'ci', now: DAY3 });
    const lines = auditLines(dir);
    expect(lines.map((l) => l.action)).toEqual(['audit.run', 'audit.run', 'policy.change', 'audit.run']);
    expect(lines[2]).toMatchObject({ inputs: { policy: policyHash(p2) }, details: { previousPolicy: policyHash(p1), policy: policyHash(p2) } });
    expect(lines[2].details.previousRun).toBe(lines[1].details.runId);
    expect(lines[3].details.runId).toBe(rec.runId);
    expect((await store.verifyAudit()).ok).toBe(true);
    await store.close();
  });
});
