/**
 * The monitoring contract (issue 7): a job's windows, what one window's run produces, alert
 * rules, alert events and sinks. Shared by `config.ts`, `windows.ts`, `run.ts` (windows → results →
 * store) and `alerts.ts` / `sinks.ts` (results → alert events → sinks). Plain JSON; times are
 * ISO-8601 strings in UTC.
 *
 * @example
 * ```ts
 * const w: MonitorWindow = { id: 'day:2026-03-01', start: '2026-03-01T00:00:00.000Z', end: '2026-03-02T00:00:00.000Z' };
 * ```
 */
import type { FindingsDocument, FindingStatus, Rating } from '../governance/types.js';

/** One window of production predictions: `[start, end)` in time, or a range of rows. */
export interface MonitorWindow {
  /** Stable id, e.g. 'day:2026-03-01', 'hour:2026-03-01T13', 'week:2026-W09', 'month:2026-03', 'rows:0-99999'. */
  id: string;
  start: string;
  end: string;
  /** For row windows: `[fromRow, toRow)` in the source's order. */
  rows?: { from: number; to: number };
}

/** What one run of one window produced (one version; re-runs append versions). */
export interface WindowOutcome {
  jobId: string;
  window: MonitorWindow;
  /** 1 for the first run of the window, then 2, 3, ... */
  version: number;
  /** When this version was computed. */
  computedAt: string;
  runIds: { audit?: string; drift?: string };
  /** Rows in the window, and rows with a label (late labels raise this). */
  rows: number;
  labelledRows: number;
  findings: FindingsDocument[];
  /** Worst finding status of the window. */
  status: FindingStatus;
  /** Per rule id, the value and status that alert rules look at. */
  metrics: Record<string, { value: number | null; status: FindingStatus }>;
  /** Label-dependent metrics that changed since the previous version (late labels). */
  changed?: { metric: string; from: number | null; to: number | null }[];
  /** Risk-register entries the window's findings opened or updated (`recordEvaluation`'s risk changes), by finding id; alerts name them. */
  risks?: { findingId: string; riskId: string }[];
  /** How many versions of this window are stored (set when read back as history). */
  versions?: number;
  /** Who computed this version. */
  actor?: string;
  /** Why a part of the window was not computed (e.g. no labelled rows, an empty baseline). */
  notes?: string[];
}

/** An alert rule: which findings it watches, and its anti-fatigue settings. */
export interface AlertRule {
  id: string;
  /** Finding metric (and optional attribute/column) the rule watches, e.g. 'disparateImpact' / 'psi'. */
  metric: string;
  attribute?: string;
  column?: string;
  /** Statuses that count as a breach (default ['fail']). */
  on?: FindingStatus[];
  /** Fire when at least `n` of the last `m` windows breach (default 1 of 1). */
  n?: number;
  m?: number;
  /** While the breach persists, remind at most every this many windows (default: never). */
  reminderEvery?: number;
  severity?: Rating;
}

/** An alert event sent to the sinks. */
export interface AlertEvent {
  kind: 'fairwatch.alert';
  version: 1;
  type: 'fired' | 'reminder' | 'recovered';
  jobId: string;
  rule: string;
  metric: string;
  value: number | null;
  threshold: { warn?: number; fail?: number; direction: 'above' | 'below' } | null;
  window: MonitorWindow;
  severity: Rating | null;
  /** Risk-register entry the breach opened or updated, when there is one. */
  riskId: string | null;
  /** Breaching windows among the last m. */
  breaches: { n: number; m: number };
  time: string;
  /** Stable id (job, rule, window, type): sinks and the store de-duplicate on it. */
  id: string;
  /** The finding the event was read from (id, status and its one-sentence reason), when the window had one. */
  findingId?: string;
  status?: FindingStatus;
  reason?: string;
}

/** Per rule, what the alerting remembers between runs (stored with the job). */
export interface AlertRuleState {
  rule: string;
  /** 'firing' after a fired alert until a recovered one. */
  state: 'ok' | 'firing';
  /** Window id of the last fired/reminder event. */
  lastNotifiedWindow: string | null;
  /** Windows since the last notification while firing. */
  windowsSinceNotified: number;
  /** Id and start of the last window evaluated (re-running it re-evaluates from `before`; an older window does not alert). */
  lastWindow?: string;
  lastWindowStart?: string;
  /** The state before `lastWindow` was evaluated (so that a re-run of that window gives the same events). */
  before?: Omit<AlertRuleState, 'before'>;
  /** While firing: the window that fired, and the severity and risk entry of that breach (named again by the recovery). */
  firedWindow?: string;
  severity?: Rating | null;
  riskId?: string | null;
}

/** Where alerts go. */
export type AlertSinkConfig =
  | { type: 'stdout' }
  | { type: 'file'; path: string }
  | {
      type: 'webhook';
      url: string;
      /** Timeout of one attempt in ms (default 10 000). */
      timeoutMs?: number;
      /** Retries after the first attempt (default 3). */
      retries?: number;
      /** Wait before the first retry in ms, doubled for each further retry (default 500). */
      backoffMs?: number;
      headers?: Record<string, string>;
    };
