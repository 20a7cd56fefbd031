/**
 * The governance data contract (ISO/IEC 42001): policy thresholds, findings, risk-register
 * entries and audit-trail events. One small set of interfaces shared by `policy.ts`,
 * `findings.ts`, `risk.ts`, `audit-log.ts`, the store and the CLI; everything here is plain
 * JSON (no classes, no Dates: times are ISO-8601 strings in UTC).
 *
 * @example
 * ```ts
 * import type { Finding } from 'fairwatch';
 * const f: Finding = findings[0];
 * f.status;   // 'fail'
 * f.controls; // ['A.5.4', 'A.6.2.4']
 * ```
 */

/** Outcome of a check against the policy. */
export type FindingStatus = 'pass' | 'warn' | 'fail' | 'insufficient';

/** Risk treatment options (ISO/IEC 23894 / 42001 6.1.3). */
export type Treatment = 'avoid' | 'modify' | 'share' | 'retain';

/** Life cycle of a risk-register entry; only a person closes or accepts an entry. */
export type RiskStatus = 'open' | 'treating' | 'monitoring' | 'accepted' | 'closed';

/** A 1–5 rating (likelihood or severity). */
export type Rating = 1 | 2 | 3 | 4 | 5;

/** The level of a cell of the 5×5 risk matrix. */
export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';

/** The AI system a policy (and everything derived from it) is about. */
export interface AISystem {
  id: string;
  version: string;
  owner: string;
}

/** Where a finding applies: attributes (sensitive columns), groups, a drift column, a window. */
export interface FindingScope {
  /** Sensitive columns of the attribute set (fairness), or [] for dataset-level drift. */
  attributes: string[];
  /** The groups involved (e.g. the min and max group of a difference), as 'a × b' labels. */
  groups: string[];
  /** Drift: the feature column. */
  column?: string;
  /** Monitoring window `[start, end)` (ISO-8601), when the result came from one. */
  window?: { start: string; end: string };
}

/** One policy check applied to one measured value. */
export interface Finding {
  /** Stable within a run: `${kind}:${metric}:${attributes or column}`. */
  id: string;
  kind: 'fairness' | 'drift' | 'data-quality';
  /** Metric name as in `metrics/` cards (e.g. 'disparateImpact', 'equalizedOddsDifference', 'psi'). */
  metric: string;
  scope: FindingScope;
  /** The measured value; null when it is undefined (then status is 'insufficient'). */
  value: number | null;
  /** Confidence interval of the value when the result has one. */
  interval?: { lower: number; upper: number; confidence: number; method: string };
  /** The thresholds actually applied, and their direction. */
  threshold: { warn?: number; fail?: number; direction: 'above' | 'below' };
  status: FindingStatus;
  /** Why this status, in one sentence (e.g. 'disparate impact 0.62 is below the fail threshold 0.8'). */
  reason: string;
  /** From the policy's mapping of breaches; absent for pass. */
  likelihood?: Rating;
  severity?: Rating;
  /** Annex A controls this finding evidences (e.g. ['A.5.4', 'A.6.2.4']). */
  controls: string[];
  /** Who answers for it: the check's owner, else the policy's owner of its area, else the system owner. */
  owner?: string;
}

/** A list of findings with where they came from. */
export interface FindingsDocument {
  kind: 'fairwatch.findings';
  version: 1;
  system: AISystem;
  /** sha256 (hex) of the policy's canonical content. */
  policyHash: string;
  /** Digest of the result the findings were computed from (sha256 of its canonical JSON). */
  resultDigest: string;
  createdAt: string;
  findings: Finding[];
  /** Worst status among the findings ('pass' when there are none). */
  status: FindingStatus;
  /** Things the evaluation noticed that are not findings (e.g. a policy check that matched no attribute set). */
  warnings?: string[];
}

/** One version of a risk-register entry. Versions are appended, never rewritten. */
export interface RiskEntry {
  /** Stable id from system + metric + attributes: `R-<12 hex of sha256>`. */
  id: string;
  version: number;
  title: string;
  system: AISystem;
  metric: string;
  attributes: string[];
  riskSource: string;
  event: string;
  consequence: string;
  affectedGroups: string[];
  likelihood: Rating;
  severity: Rating;
  inherentLevel: RiskLevel;
  /** Residual rating after treatment (set by a person); level derived from it. */
  residual?: { likelihood: Rating; severity: Rating; level: RiskLevel };
  treatment: Treatment;
  controls: string[];
  owner: string;
  status: RiskStatus;
  /** ISO date (YYYY-MM-DD) of the next review. */
  reviewDate: string;
  /** Finding ids (with the run they came from) that opened or updated this entry. */
  findings: { runId: string; findingId: string; status: FindingStatus; value: number | null; at: string }[];
  /** sha256 digests of evidence (results, reports) linked to the entry. */
  evidence: string[];
  incidents: string[];
  /** Who made this version, when and why. */
  changedBy: string;
  changedAt: string;
  reason: string;
}

/** One line of the hash-chained audit trail (JSON lines, append-only). */
export interface AuditEvent {
  /** 1-based position in the log. */
  seq: number;
  time: string;
  actor: string;
  /** e.g. 'audit.run', 'drift.run', 'policy.load', 'risk.update', 'evidence.export'. */
  action: string;
  /** sha256 digests of inputs and outputs by name. */
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  details?: Record<string, unknown>;
  /** sha256 (hex) of the previous line's exact text; 64 zeros for the first line. */
  prev: string;
}
