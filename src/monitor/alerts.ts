/**
 * Alert evaluation without alert fatigue (issue 7): a pure function from a job's window history
 * and the alert state remembered between runs to the events to send and the next state.
 *
 * Per rule and window, the rule's **verdict** is read from the window's findings
 * ({@link ruleVerdict}): `breach` when a matching finding (same metric; the rule's attribute
 * among `scope.attributes`; the rule's column equal to `scope.column`) has a status in `on`
 * (default `['fail']`); `clear` when matching findings exist and none breaches, and at least one
 * is decided (not `insufficient`); `unknown` when nothing matches or every match is
 * `insufficient` — insufficient data never breaches and never clears.
 *
 * Then, with `k` = the number of breaching windows among the last `m` windows of the history
 * (fewer when the job has fewer windows) and the window just run being the last:
 *
 * | state  | window just run                  | event       | next state |
 * | ------ | -------------------------------- | ----------- | ---------- |
 * | ok     | breach and k ≥ n                 | `fired`     | firing     |
 * | firing | clear and k < n                  | `recovered` | ok         |
 * | firing | breach, ≥ `reminderEvery` windows since the last notification | `reminder` | firing |
 * | any    | otherwise (incl. unknown)        | none        | unchanged  |
 *
 * So a breach that persists is announced once (and reminded after a cool-down if
 * `reminderEvery` is set); an n-of-m rule with n < m stays firing through a single clear window
 * (hysteresis), which keeps a flapping metric from paging on every change.
 *
 * **Idempotent re-runs.** The state remembers the last window evaluated and the state before it.
 * Re-running that window (a new version, e.g. after late labels) re-evaluates it from the state
 * before it, so the same data gives the same events with the same ids
 * (`<jobId>/<rule>/<window id>/<type>`, which sinks and the store de-duplicate) and never a second
 * `fired`; when the new version changes the outcome, the missing transition is sent for that window
 * (`recovered` for an alert that should not have fired, `fired` for a recovery that did not
 * happen). Running an older window than the last one evaluated sends nothing and keeps the state:
 * alerts follow the newest window.
 *
 * @example
 * ```ts
 * const rules = [{ id: 'di-sex', metric: 'disparateImpact', attribute: 'sex', n: 2, m: 3 }];
 * let state: AlertRuleState[] = [];
 * for (let i = 1; i <= history.length; i++) {
 *   const r = evaluateAlerts({ jobId: 'loans', rules, history: history.slice(0, i), state });
 *   state = r.state;
 *   r.events.map((e) => e.id); // e.g. ['loans/di-sex/day:2026-03-02/fired'] on the second failing day
 * }
 * ```
 */
import { InputError, messages } from '../errors.js';
import type { Finding, FindingStatus, Rating } from '../governance/types.js';
import type { AlertEvent, AlertRule, AlertRuleState, MonitorWindow, WindowOutcome } from './types.js';

/** Arguments of {@link evaluateAlerts}. */
export interface EvaluateAlertsInput {
  jobId: string;
  rules: readonly AlertRule[];
  /** The job's window outcomes in window order, the latest version of each; the last is the window just run. */
  history: readonly WindowOutcome[];
  /** The state returned by the previous evaluation (default: every rule ok). */
  state?: readonly AlertRuleState[];
  /** The events' `time` (default: now). */
  now?: Date | string;
}

/** What {@link evaluateAlerts} returns: the events to send, and the state to store with the job (one entry per rule, in rule order). */
export interface AlertEvaluation {
  events: AlertEvent[];
  state: AlertRuleState[];
}

/** A rule's verdict in one window, with the finding it was read from. */
export interface RuleVerdict {
  kind: 'breach' | 'clear' | 'unknown';
  /** The worst matching finding (breaching first, then by status, then severity, then order), or null. */
  finding: Finding | null;
  /** The risk-register entry linked to that finding in the window's outcome, or null. */
  riskId: string | null;
}

const STATUSES: readonly FindingStatus[] = ['pass', 'warn', 'fail', 'insufficient'];
const STATUS_RANK: Record<FindingStatus, number> = { fail: 3, warn: 2, insufficient: 1, pass: 0 };

/**
 * The defaults of a rule's anti-fatigue settings.
 *
 * @example
 * ```ts
 * ALERT_RULE_DEFAULTS; // { on: ['fail'], n: 1, m: 1 }
 * ```
 */
export const ALERT_RULE_DEFAULTS = { on: ['fail'] as readonly FindingStatus[], n: 1, m: 1 } as const;

/**
 * The stable id of an alert event: `<jobId>/<rule>/<window id>/<type>`.
 *
 * @example
 * ```ts
 * alertEventId('loans', 'di-sex', 'day:2026-03-02', 'fired'); // 'loans/di-sex/day:2026-03-02/fired'
 * ```
 */
export function alertEventId(jobId: string, rule: string, windowId: string, type: AlertEvent['type']): string {
  return `${jobId}/${rule}/${windowId}/${type}`;
}

/**
 * Check alert rules; throws `InputError` (`badAlertRule`, `duplicateAlertRule`) naming the rule,
 * the field and the value. `fn` names the caller in the message.
 *
 * @example
 * ```ts
 * checkAlertRules([{ id: 'psi-income', metric: 'psi', column: 'income', n: 2, m: 3 }]); // ok, returns nothing
 * checkAlertRules([{ id: 'x', metric: 'psi', n: 4, m: 3 }]);
 * // throws InputError: 'checkAlertRules: alert rule "x": n = 4 is invalid; expected an integer from 1 to m (3)'
 * ```
 */
export function checkAlertRules(rules: readonly AlertRule[], fn = 'checkAlertRules'): void {
  if (!Array.isArray(rules)) throw new InputError(messages.badArgument(fn, 'rules', rules, 'an array of alert rules'), 'badArgument');
  const seen = new Set<string>();
  for (const r of rules) {
    const id = typeof r?.id === 'string' ? r.id : String(r?.id);
    const bad = (field: string, value: unknown, expected: string) =>
      new InputError(messages.badAlertRule(fn, id, field, value, expected), 'badAlertRule', { rule: id, field });
    if (typeof r?.id !== 'string' || r.id === '' || r.id.includes('/')) throw bad('id', r?.id, "a non-empty string without '/'");
    if (seen.has(r.id)) throw new InputError(messages.duplicateAlertRule(fn, r.id), 'duplicateAlertRule', { rule: r.id });
    seen.add(r.id);
    if (typeof r.metric !== 'string' || r.metric === '') throw bad('metric', r.metric, 'a metric name');
    if (r.attribute !== undefined && (typeof r.attribute !== 'string' || r.attribute === '')) throw bad('attribute', r.attribute, 'a sensitive column name');
    if (r.column !== undefined && (typeof r.column !== 'string' || r.column === '')) throw bad('column', r.column, 'a column name');
    if (r.on !== undefined && (!Array.isArray(r.on) || r.on.length === 0 || (r.on as unknown[]).some((s) => !STATUSES.includes(s as FindingStatus)))) {
      throw bad('on', r.on, `a non-empty list of ${STATUSES.map((s) => `'${s}'`).join(', ')}`);
    }
    const m = r.m ?? ALERT_RULE_DEFAULTS.m;
    if (!Number.isInteger(m) || m < 1) throw bad('m', r.m, 'an integer >= 1');
    const n = r.n ?? Math.min(ALERT_RULE_DEFAULTS.n, m);
    if (!Number.isInteger(n) || n < 1 || n > m) throw bad('n', r.n, `an integer from 1 to m (${m})`);
    if (r.reminderEvery !== undefined && (!Number.isInteger(r.reminderEvery) || r.reminderEvery < 1)) throw bad('reminderEvery', r.reminderEvery, 'an integer >= 1 (windows)');
    if (r.severity !== undefined && !(Number.isInteger(r.severity) && r.severity >= 1 && r.severity <= 5)) throw bad('severity', r.severity, 'an integer from 1 to 5');
  }
}

/** Does a finding belong to the rule (metric, attribute, column)? */
function matches(rule: AlertRule, f: Finding): boolean {
  return (
    f.metric === rule.metric &&
    (rule.attribute === undefined || f.scope.attributes.includes(rule.attribute)) &&
    (rule.column === undefined || f.scope.column === rule.column)
  );
}

/**
 * A rule's verdict in one window (see the module comment): `breach`, `clear` or `unknown`, with
 * the finding the value, threshold and severity are read from, and its risk entry.
 *
 * @example
 * ```ts
 * const v = ruleVerdict({ id: 'di', metric: 'disparateImpact', attribute: 'sex' }, outcome);
 * [v.kind, v.finding?.value, v.riskId]; // ['breach', 0.62, 'R-1a2b3c4d5e6f']
 * ruleVerdict({ id: 'x', metric: 'notMeasured' }, outcome).kind; // 'unknown'
 * ```
 */
export function ruleVerdict(rule: AlertRule, outcome: WindowOutcome): RuleVerdict {
  const on = new Set<FindingStatus>(rule.on ?? ALERT_RULE_DEFAULTS.on);
  let best: Finding | null = null;
  let bestKey: number[] | null = null;
  let decided = false;
  let order = 0;
  for (const doc of outcome.findings) {
    for (const f of doc.findings) {
      order++;
      if (!matches(rule, f)) continue;
      if (f.status !== 'insufficient' || on.has('insufficient')) decided = true;
      // larger is worse: breaching, status, severity, then the earlier finding
      const key = [on.has(f.status) ? 1 : 0, STATUS_RANK[f.status], f.severity ?? 0, -order];
      if (bestKey === null || compareKeys(key, bestKey) > 0) {
        best = f;
        bestKey = key;
      }
    }
  }
  const kind: RuleVerdict['kind'] = best !== null && on.has(best.status) ? 'breach' : decided ? 'clear' : 'unknown';
  const riskId = best === null ? null : (outcome.risks?.find((r) => r.findingId === best!.id)?.riskId ?? null);
  return { kind, finding: best, riskId };
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

const initialState = (rule: string): AlertRuleState => ({ rule, state: 'ok', lastNotifiedWindow: null, windowsSinceNotified: 0 });

/** A state without its `before` snapshot (so snapshots never nest). */
function withoutBefore(s: AlertRuleState): Omit<AlertRuleState, 'before'> {
  const { before: _before, ...rest } = s;
  return rest;
}

/**
 * Evaluate the alert rules after a window was run: which rules fire, remind or recover, and the
 * state to keep for the next run (see the module comment for the rules). Pure: no I/O, no clock
 * besides `now`. Throws `InputError` for invalid rules ({@link checkAlertRules}) or a missing job id.
 *
 * @example
 * ```ts
 * // 2 of 3: fail, pass, fail -> fires on the third window
 * const r = evaluateAlerts({ jobId: 'loans', rules: [{ id: 'di', metric: 'disparateImpact', n: 2, m: 3 }], history, state, now: '2026-03-04T06:00:00Z' });
 * r.events[0];
 * // { kind: 'fairwatch.alert', version: 1, type: 'fired', jobId: 'loans', rule: 'di', metric: 'disparateImpact', value: 0.62,
 * //   threshold: { warn: 0.9, fail: 0.8, direction: 'below' }, window: { id: 'day:2026-03-03', ... }, severity: 4,
 * //   riskId: 'R-1a2b3c4d5e6f', breaches: { n: 2, m: 3 }, time: '2026-03-04T06:00:00.000Z', id: 'loans/di/day:2026-03-03/fired', ... }
 * r.state[0].state; // 'firing'
 * ```
 */
export function evaluateAlerts(input: EvaluateAlertsInput): AlertEvaluation {
  const fn = 'evaluateAlerts';
  const { jobId, rules, history } = input;
  if (typeof jobId !== 'string' || jobId === '') throw new InputError(messages.badArgument(fn, 'jobId', jobId, 'a non-empty job id'), 'badArgument');
  checkAlertRules(rules, fn);
  if (!Array.isArray(history)) throw new InputError(messages.badArgument(fn, 'history', history, 'an array of window outcomes'), 'badArgument');
  const time = new Date(input.now ?? Date.now());
  if (Number.isNaN(time.getTime())) throw new InputError(messages.badArgument(fn, 'now', input.now, 'an ISO-8601 time or a Date'), 'badArgument');
  const now = time.toISOString();
  const previous = new Map((input.state ?? []).map((s) => [s.rule, s]));
  const current = history.at(-1);
  const events: AlertEvent[] = [];
  const state: AlertRuleState[] = [];
  for (const rule of rules) {
    const prev = previous.get(rule.id) ?? initialState(rule.id);
    if (current === undefined || isOlder(current.window, prev)) {
      state.push(prev);
      continue;
    }
    const rerun = prev.lastWindow === current.window.id;
    const base: AlertRuleState = rerun ? { ...(prev.before ?? initialState(rule.id)) } : withoutBefore(prev);
    const step = evaluateRule({ jobId, rule, history, base, now });
    const out = [...step.events];
    if (rerun && prev.state !== step.next.state) {
      // the earlier version of this window moved the alert the other way: send the missing transition
      const type = step.next.state === 'firing' ? 'fired' : 'recovered';
      if (!out.some((e) => e.type === type)) out.push(makeEvent(type, { jobId, rule, window: current.window, verdict: step.verdict, breaches: step.breaches, now, held: prev }));
    }
    events.push(...out);
    state.push({ ...step.next, lastWindow: current.window.id, lastWindowStart: current.window.start, before: withoutBefore(base) });
  }
  return { events, state };
}

/** Is `w` older than the last window the state evaluated? */
function isOlder(w: MonitorWindow, s: AlertRuleState): boolean {
  if (s.lastWindowStart === undefined || s.lastWindow === w.id) return false;
  const a = Date.parse(w.start);
  const b = Date.parse(s.lastWindowStart);
  return Number.isFinite(a) && Number.isFinite(b) ? a < b : w.start < s.lastWindowStart;
}

interface RuleStep {
  events: AlertEvent[];
  next: Omit<AlertRuleState, 'before'>;
  verdict: RuleVerdict;
  breaches: { n: number; m: number };
}

/** One rule, one window, from the state `base` (the table of the module comment). */
function evaluateRule(a: { jobId: string; rule: AlertRule; history: readonly WindowOutcome[]; base: AlertRuleState; now: string }): RuleStep {
  const { jobId, rule, history, base, now } = a;
  const m = rule.m ?? ALERT_RULE_DEFAULTS.m;
  const n = rule.n ?? ALERT_RULE_DEFAULTS.n;
  const last = history.slice(-m);
  const verdicts = last.map((o) => ruleVerdict(rule, o));
  const verdict = verdicts.at(-1)!;
  const window = last.at(-1)!.window;
  const breaches = { n: verdicts.filter((v) => v.kind === 'breach').length, m: verdicts.length };
  const meets = breaches.n >= n;
  const next: Omit<AlertRuleState, 'before'> = withoutBefore(base);
  const events: AlertEvent[] = [];
  const ctx = { jobId, rule, window, verdict, breaches, now, held: base };
  if (base.state !== 'firing') {
    if (verdict.kind === 'breach' && meets) {
      events.push(makeEvent('fired', ctx));
      Object.assign(next, {
        state: 'firing',
        lastNotifiedWindow: window.id,
        windowsSinceNotified: 0,
        firedWindow: window.id,
        severity: events[0]!.severity,
        riskId: events[0]!.riskId,
      });
    }
    return { events, next, verdict, breaches };
  }
  if (verdict.kind === 'clear' && !meets) {
    events.push(makeEvent('recovered', ctx));
    delete next.firedWindow;
    delete next.severity;
    delete next.riskId;
    return { events, next: { ...next, state: 'ok', windowsSinceNotified: 0 }, verdict, breaches };
  }
  // still firing: count the windows since the last notification (skipped windows count too)
  const lastIndex = base.lastWindow === undefined ? -1 : history.findIndex((o) => o.window.id === base.lastWindow);
  const advanced = lastIndex >= 0 && lastIndex < history.length - 1 ? history.length - 1 - lastIndex : 1;
  next.windowsSinceNotified = base.windowsSinceNotified + advanced;
  if (rule.reminderEvery !== undefined && verdict.kind === 'breach' && next.windowsSinceNotified >= rule.reminderEvery) {
    const e = makeEvent('reminder', ctx);
    events.push(e);
    next.lastNotifiedWindow = window.id;
    next.windowsSinceNotified = 0;
    if (e.riskId !== null) next.riskId = e.riskId;
  }
  return { events, next, verdict, breaches };
}

/** Build one event; a recovery (whose finding passes and has no severity) names the severity and risk of the alert it ends. */
function makeEvent(
  type: AlertEvent['type'],
  c: { jobId: string; rule: AlertRule; window: MonitorWindow; verdict: RuleVerdict; breaches: { n: number; m: number }; now: string; held: AlertRuleState },
): AlertEvent {
  const f = c.verdict.finding;
  const severity: Rating | null =
    type === 'recovered' ? (c.held.severity ?? f?.severity ?? c.rule.severity ?? null) : (f?.severity ?? c.rule.severity ?? c.held.severity ?? null);
  const event: AlertEvent = {
    kind: 'fairwatch.alert',
    version: 1,
    type,
    jobId: c.jobId,
    rule: c.rule.id,
    metric: c.rule.metric,
    value: f?.value ?? null,
    threshold: f ? { ...f.threshold } : null,
    window: { ...c.window },
    severity,
    riskId: c.verdict.riskId ?? (type === 'fired' ? null : (c.held.riskId ?? null)),
    breaches: { ...c.breaches },
    time: c.now,
    id: alertEventId(c.jobId, c.rule.id, c.window.id, type),
  };
  if (f) {
    event.findingId = f.id;
    event.status = f.status;
    event.reason = f.reason;
  }
  return event;
}
