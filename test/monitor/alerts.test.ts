/**
 * evaluateAlerts: hand-worked sequences of breaching (F), passing (P), insufficient (I) and
 * unmeasured (-) windows, run window by window as a scheduler would, carrying the state.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, messages } from '../../src/errors.js';
import type { Finding, FindingsDocument, FindingStatus, Rating } from '../../src/governance/types.js';
import { alertEventId, checkAlertRules, evaluateAlerts, ruleVerdict } from '../../src/monitor/alerts.js';
import { sendAlerts } from '../../src/monitor/sinks.js';
import type { AlertEvent, AlertRule, AlertRuleState, WindowOutcome } from '../../src/monitor/types.js';

const JOB = 'loans';
const RISK = 'R-0123456789ab';
const day = (i: number) => `2026-03-${String(i).padStart(2, '0')}`;

function finding(status: FindingStatus, over: Partial<Finding> = {}): Finding {
  const value = status === 'fail' ? 0.62 : status === 'warn' ? 0.85 : status === 'pass' ? 0.95 : null;
  return {
    id: 'fairness:disparateImpact:sex',
    kind: 'fairness',
    metric: 'disparateImpact',
    scope: { attributes: ['sex'], groups: ['female', 'male'] },
    value,
    threshold: { warn: 0.9, fail: 0.8, direction: 'below' },
    status,
    reason: `disparate impact is ${status}`,
    ...(status === 'fail' ? { severity: 4 as Rating, likelihood: 3 as Rating } : status === 'warn' ? { severity: 2 as Rating } : {}),
    controls: ['A.5.4'],
    ...over,
  };
}

function doc(findings: Finding[]): FindingsDocument {
  return {
    kind: 'fairwatch.findings',
    version: 1,
    system: { id: 'credit', version: '1', owner: 'risk@example.org' },
    policyHash: 'p'.repeat(64),
    resultDigest: 'r'.repeat(64),
    createdAt: '2026-03-01T00:00:00.000Z',
    findings,
    status: 'pass',
  };
}

/** Window i (1-based day of March 2026) whose disparate-impact finding has the given status ('-': not measured). */
function outcome(i: number, code: 'F' | 'P' | 'I' | 'W' | '-', version = 1, extra: Finding[] = []): WindowOutcome {
  const status = ({ F: 'fail', P: 'pass', I: 'insufficient', W: 'warn' } as const)[code as 'F'];
  const findings = code === '-' ? extra : [finding(status), ...extra];
  return {
    jobId: JOB,
    window: { id: `day:${day(i)}`, start: `${day(i)}T00:00:00.000Z`, end: `${day(i + 1)}T00:00:00.000Z` },
    version,
    computedAt: `${day(i + 1)}T06:00:00.000Z`,
    runIds: { audit: `audit-${i}` },
    rows: 1000,
    labelledRows: 1000,
    findings: [doc(findings)],
    status: code === '-' ? 'pass' : status,
    metrics: {},
    ...(code === 'F' ? { risks: [{ findingId: 'fairness:disparateImpact:sex', riskId: RISK }] } : {}),
  };
}

/** Run the rules over a sequence window by window; returns "<window number><type>" per event, and the last state. */
function run(rules: AlertRule[], sequence: string, start: AlertRuleState[] = []) {
  const history: WindowOutcome[] = [];
  let state = start;
  const events: AlertEvent[] = [];
  [...sequence].forEach((code, k) => {
    history.push(outcome(k + 1, code as 'F'));
    const r = evaluateAlerts({ jobId: JOB, rules, history, state, now: `${day(k + 2)}T06:00:00Z` });
    state = r.state;
    events.push(...r.events);
  });
  const short = events.map((e) => `${Number(e.window.id.slice(-2))}${e.type}`);
  return { events, short, state, history };
}

const DI: AlertRule = { id: 'di-sex', metric: 'disparateImpact', attribute: 'sex' };

describe('evaluateAlerts: firing, persistence, recovery', () => {
  it('evaluateAlerts with the default 1 of 1 fires on the first failing window, stays quiet while it persists, recovers, fires again', () => {
    expect(run([DI], 'FFPF').short).toEqual(['1fired', '3recovered', '4fired']);
  });

  it('evaluateAlerts with 2 of 3 fires on the second breach within three windows and holds through one clear window (hand-worked)', () => {
    // W1 F: 1 of 1 < 2; W2 P; W3 F: [F,P,F] = 2 -> fired; W4 F: [P,F,F] = 2, firing, quiet;
    // W5 P: [F,F,P] = 2 still meets -> holds; W6 P: [F,P,P] = 1 and clear -> recovered; W7 P: nothing.
    const r = run([{ ...DI, n: 2, m: 3 }], 'FPFFPPP');
    expect(r.short).toEqual(['3fired', '6recovered']);
    expect(r.events.map((e) => e.breaches)).toEqual([{ n: 2, m: 3 }, { n: 1, m: 3 }]);
    expect(r.state).toEqual([expect.objectContaining({ rule: 'di-sex', state: 'ok', lastNotifiedWindow: 'day:2026-03-03', windowsSinceNotified: 0 })]);
  });

  it('evaluateAlerts sends a reminder after reminderEvery windows of a persisting breach (cool-down), then the recovery', () => {
    // fired W1; W2 since 1; W3 since 2 -> reminder; W4 since 1; W5 since 2 -> reminder; W6 P -> recovered
    expect(run([{ ...DI, reminderEvery: 2 }], 'FFFFFP').short).toEqual(['1fired', '3reminder', '5reminder', '6recovered']);
    // without reminderEvery: never repeated
    expect(run([DI], 'FFFFFP').short).toEqual(['1fired', '6recovered']);
  });

  it('evaluateAlerts damps a flapping metric with 2 of 3 where 1 of 1 pages on every change', () => {
    const seq = 'FPFFPFPP';
    expect(run([DI], seq).short).toEqual(['1fired', '2recovered', '3fired', '5recovered', '6fired', '7recovered']);
    // 2 of 3: W3 [F,P,F] fires; W5 [F,F,P], W6 [F,P,F] hold; W7 [P,F,P] = 1 and clear -> recovered
    expect(run([{ ...DI, n: 2, m: 3 }], seq).short).toEqual(['3fired', '7recovered']);
  });

  it('evaluateAlerts fires nothing on insufficient data: insufficient or unmeasured windows never breach, and too few breaches for n', () => {
    expect(run([DI], 'III--I').events).toEqual([]);
    expect(run([{ ...DI, n: 2, m: 3 }], 'F').events).toEqual([]);
    expect(run([{ ...DI, n: 3, m: 3 }], 'FIF').events).toEqual([]);
    expect(run([{ id: 'x', metric: 'notMeasured' }], 'FFF').events).toEqual([]);
    expect(evaluateAlerts({ jobId: JOB, rules: [DI], history: [], state: [] })).toEqual({ events: [], state: [{ rule: 'di-sex', state: 'ok', lastNotifiedWindow: null, windowsSinceNotified: 0 }] });
  });

  it('evaluateAlerts holds a firing alert through insufficient or unmeasured windows and recovers on the next passing one', () => {
    expect(run([DI], 'FI-IP').short).toEqual(['1fired', '5recovered']);
  });

  it("evaluateAlerts counts 'insufficient' as a breach only when the rule's on lists it", () => {
    expect(run([{ ...DI, on: ['insufficient'] }], 'IP').short).toEqual(['1fired', '2recovered']);
    expect(run([{ ...DI, on: ['warn', 'fail'] }], 'WFP').short).toEqual(['1fired', '3recovered']);
    expect(run([DI], 'WFP').short).toEqual(['2fired', '3recovered']);
  });

  it('evaluateAlerts counts windows skipped between two evaluations towards the reminder', () => {
    const rules = [{ ...DI, reminderEvery: 3 }];
    const history = [1, 2, 3, 4].map((i) => outcome(i, 'F'));
    const first = evaluateAlerts({ jobId: JOB, rules, history: history.slice(0, 1), state: [] });
    expect(first.events.map((e) => e.type)).toEqual(['fired']);
    // windows 2 and 3 were run without alert evaluation; at window 4, three windows have passed
    const later = evaluateAlerts({ jobId: JOB, rules, history, state: first.state });
    expect(later.events.map((e) => e.id)).toEqual([alertEventId(JOB, 'di-sex', 'day:2026-03-04', 'reminder')]);
  });
});

describe('evaluateAlerts: event contents', () => {
  it('evaluateAlerts names rule, metric, value, threshold, window, severity, risk entry and breaches in a fired event', () => {
    const [fired] = run([{ ...DI, n: 2, m: 3 }], 'FPF').events;
    expect(fired).toEqual({
      kind: 'fairwatch.alert',
      version: 1,
      type: 'fired',
      jobId: JOB,
      rule: 'di-sex',
      metric: 'disparateImpact',
      value: 0.62,
      threshold: { warn: 0.9, fail: 0.8, direction: 'below' },
      window: { id: 'day:2026-03-03', start: '2026-03-03T00:00:00.000Z', end: '2026-03-04T00:00:00.000Z' },
      severity: 4,
      riskId: RISK,
      breaches: { n: 2, m: 3 },
      time: '2026-03-04T06:00:00.000Z',
      id: 'loans/di-sex/day:2026-03-03/fired',
      findingId: 'fairness:disparateImpact:sex',
      status: 'fail',
      reason: 'disparate impact is fail',
    });
  });

  it("evaluateAlerts' recovered event carries the passing value and the fired alert's severity and risk entry", () => {
    const rec = run([DI], 'FP').events[1]!;
    expect([rec.type, rec.value, rec.status, rec.severity, rec.riskId, rec.id]).toEqual(['recovered', 0.95, 'pass', 4, RISK, 'loans/di-sex/day:2026-03-02/recovered']);
  });

  it("evaluateAlerts takes the severity from the finding, else from the rule; riskId is null without the outcome's risk link", () => {
    const h = [outcome(1, 'F')];
    delete h[0]!.risks;
    const noSeverity = h.map((o) => ({ ...o, findings: [doc([finding('fail', { severity: undefined })])] }));
    const e1 = evaluateAlerts({ jobId: JOB, rules: [{ ...DI, severity: 5 }], history: h }).events[0]!;
    const e2 = evaluateAlerts({ jobId: JOB, rules: [{ ...DI, severity: 5 }], history: noSeverity }).events[0]!;
    expect([e1.severity, e1.riskId, e2.severity]).toEqual([4, null, 5]);
  });

  it('ruleVerdict matches metric, attribute and column, and reads the worst matching finding', () => {
    const psiIncome = finding('fail', { id: 'drift:psi:income', kind: 'drift', metric: 'psi', scope: { attributes: [], groups: [], column: 'income' }, value: 0.4, severity: 3 });
    const psiAge = finding('warn', { id: 'drift:psi:age', kind: 'drift', metric: 'psi', scope: { attributes: [], groups: [], column: 'age' }, value: 0.15 });
    const diCrossed = finding('fail', { id: 'fairness:disparateImpact:sex×age', scope: { attributes: ['sex', 'age'], groups: [] }, value: 0.5, severity: 5 });
    const o = outcome(1, 'P', 1, [psiAge, psiIncome, diCrossed]);
    expect(ruleVerdict({ id: 'a', metric: 'psi', column: 'age' }, o)).toMatchObject({ kind: 'clear', finding: { id: 'drift:psi:age' } });
    expect(ruleVerdict({ id: 'b', metric: 'psi' }, o)).toMatchObject({ kind: 'breach', finding: { id: 'drift:psi:income', value: 0.4 } });
    expect(ruleVerdict({ id: 'c', metric: 'psi', column: 'score' }, o)).toEqual({ kind: 'unknown', finding: null, riskId: null });
    // 'sex' matches the single-attribute pass and the crossed fail: the fail is the worst
    expect(ruleVerdict(DI, o)).toMatchObject({ kind: 'breach', finding: { id: 'fairness:disparateImpact:sex×age', value: 0.5 } });
    expect(ruleVerdict({ ...DI, attribute: 'age' }, o).finding?.id).toBe('fairness:disparateImpact:sex×age');
  });

  it('evaluateAlerts keeps one state per configured rule, in rule order, and drops the state of removed rules', () => {
    const r = run([DI, { id: 'psi', metric: 'psi' }], 'F');
    const again = evaluateAlerts({ jobId: JOB, rules: [{ id: 'psi', metric: 'psi' }], history: r.history, state: r.state });
    expect(r.state.map((s) => [s.rule, s.state])).toEqual([['di-sex', 'firing'], ['psi', 'ok']]);
    expect(again.state.map((s) => s.rule)).toEqual(['psi']);
  });
});

describe('evaluateAlerts: re-runs and late labels', () => {
  it('evaluateAlerts re-running the same window (a new version) gives the same fired event id and state, never a second alert', async () => {
    const first = run([DI], 'PF');
    const rerunHistory = [first.history[0]!, outcome(2, 'F', 2)];
    const again = evaluateAlerts({ jobId: JOB, rules: [DI], history: rerunHistory, state: first.state, now: '2026-03-05T00:00:00Z' });
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(again.state).toEqual(first.state);
    // and a third time, from the re-run's state: still the same
    expect(evaluateAlerts({ jobId: JOB, rules: [DI], history: rerunHistory, state: again.state }).events.map((e) => e.id)).toEqual(['loans/di-sex/day:2026-03-02/fired']);
    // the file sink writes it once
    const path = join(mkdtempSync(join(tmpdir(), 'fw-alerts-')), 'alerts.jsonl');
    await sendAlerts(first.events, [{ type: 'file', path }]);
    const second = await sendAlerts(again.events, [{ type: 'file', path }]);
    expect(second.deliveries.map((d) => d.skipped)).toEqual(['duplicate']);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('evaluateAlerts re-running a window whose late labels clear the breach sends a recovered event for that window', () => {
    const first = run([DI], 'PF');
    const r = evaluateAlerts({ jobId: JOB, rules: [DI], history: [first.history[0]!, outcome(2, 'P', 2)], state: first.state });
    expect(r.events.map((e) => e.id)).toEqual(['loans/di-sex/day:2026-03-02/recovered']);
    expect(r.state[0]!.state).toBe('ok');
    // a re-run of the next window is independent of that correction
    const next = evaluateAlerts({ jobId: JOB, rules: [DI], history: [first.history[0]!, outcome(2, 'P', 2), outcome(3, 'P')], state: r.state });
    expect(next.events).toEqual([]);
  });

  it('evaluateAlerts re-running a window whose late labels undo a recovery sends fired for that window', () => {
    const first = run([DI], 'FP');
    expect(first.short).toEqual(['1fired', '2recovered']);
    const r = evaluateAlerts({ jobId: JOB, rules: [DI], history: [first.history[0]!, outcome(2, 'F', 2)], state: first.state });
    expect(r.events.map((e) => e.id)).toEqual(['loans/di-sex/day:2026-03-02/fired']);
    expect(r.state[0]!.state).toBe('firing');
  });

  it('evaluateAlerts running a window older than the last one evaluated sends nothing and keeps the state', () => {
    const first = run([DI], 'PPF');
    const old = evaluateAlerts({ jobId: JOB, rules: [DI], history: [outcome(1, 'F', 2)], state: first.state });
    expect(old).toEqual({ events: [], state: first.state });
  });
});

describe('evaluateAlerts: arguments', () => {
  it('checkAlertRules rejects n > m, bad m, duplicate ids, bad on and reminderEvery with catalogue messages', () => {
    const cases: [AlertRule[], string][] = [
      [[{ id: 'x', metric: 'psi', n: 4, m: 3 }], messages.badAlertRule('checkAlertRules', 'x', 'n', 4, 'an integer from 1 to m (3)')],
      [[{ id: 'x', metric: 'psi', m: 0 }], messages.badAlertRule('checkAlertRules', 'x', 'm', 0, 'an integer >= 1')],
      [[{ id: 'x', metric: 'psi', reminderEvery: 0.5 }], messages.badAlertRule('checkAlertRules', 'x', 'reminderEvery', 0.5, 'an integer >= 1 (windows)')],
      [[{ id: 'x', metric: 'psi', on: ['bad' as FindingStatus] }], messages.badAlertRule('checkAlertRules', 'x', 'on', ['bad'], "a non-empty list of 'pass', 'warn', 'fail', 'insufficient'")],
      [[{ id: 'x', metric: 'psi' }, { id: 'x', metric: 'ks' }], messages.duplicateAlertRule('checkAlertRules', 'x')],
      [[{ id: 'a/b', metric: 'psi' }], messages.badAlertRule('checkAlertRules', 'a/b', 'id', 'a/b', "a non-empty string without '/'")],
    ];
    for (const [rules, message] of cases) {
      expect(() => checkAlertRules(rules)).toThrow(InputError);
      expect(() => checkAlertRules(rules)).toThrow(message);
    }
    expect(() => evaluateAlerts({ jobId: '', rules: [], history: [] })).toThrow(messages.badArgument('evaluateAlerts', 'jobId', '', 'a non-empty job id'));
    expect(() => evaluateAlerts({ jobId: JOB, rules: [{ id: 'x', metric: 'psi', n: 2 }], history: [] })).toThrow(
      messages.badAlertRule('evaluateAlerts', 'x', 'n', 2, 'an integer from 1 to m (1)'),
    );
  });
});
