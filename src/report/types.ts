/**
 * The report model: one plain-JSON document that every report writer (JSON, Markdown, HTML, PDF)
 * reads, and that `buildReport` assembles from the store and/or results. Nothing here is a class
 * or a Date; numbers that are undefined are `null`; every string that came from data (group
 * names, column names, system names, notes) is raw here and escaped by the writers.
 * The JSON Schema of the document is `reports/schema/report.schema.json` (`schema.ts`).
 *
 * @example
 * ```ts
 * import type { ReportModel } from 'fairwatch';
 * const model: ReportModel = await buildReport({ store, period: '2026-01-01..2026-03-31' });
 * model.summary.verdict;            // 'fail'
 * model.attributes[0].insufficient; // ['(missing)'] — groups below the minimum size, disclosed
 * ```
 */
import type { AISystem, Finding, FindingStatus, RiskEntry } from '../governance/types.js';

/** A value with its interval (Wilson for rates, bootstrap for disparities) and why it is undefined. */
export interface ReportValue {
  value: number | null;
  low: number | null;
  high: number | null;
  /** Why the value is null. */
  reason?: string;
}

/** One row of an attribute's group table. */
export interface ReportGroupRow {
  label: string;
  count: number;
  /** `insufficient`: fewer rows than the minimum group size; shown, but no verdict rests on it. */
  status: 'ok' | 'insufficient';
  values: Record<string, ReportValue>;
}

/** A named disparity of an attribute set. */
export interface ReportDisparity {
  name: string;
  value: number | null;
  low: number | null;
  high: number | null;
  status: string;
  /** The groups the value rests on. */
  groups: string[];
}

/** Per attribute set (one sensitive column or an intersection): the group table and disparities. */
export interface AttributeSection {
  /** The run the result came from, or null for a result passed directly. */
  runId: string | null;
  attributes: string[];
  rows: number;
  reference: string | null;
  minGroupSize: number;
  /** Metric columns of the group table, in order (rates first, then score metrics). */
  metrics: string[];
  groups: ReportGroupRow[];
  /** Labels of groups below the minimum size. */
  insufficient: string[];
  disparities: ReportDisparity[];
  /** Ids of the charts of this section (see {@link ReportModel.charts}). */
  charts: string[];
}

/** One column of a drift comparison. */
export interface DriftColumnRow {
  column: string;
  type: string;
  test: string | null;
  /** The deciding statistic's value (effect size for p-value tests). */
  statistic: number | null;
  threshold: number | null;
  pValue: number | null;
  drifted: boolean | null;
  status: 'ok' | 'insufficient';
  reason: string;
}

/** A drift comparison. */
export interface DriftSection {
  runId: string | null;
  referenceRows: number;
  currentRows: number;
  datasetDrift: boolean;
  driftShare: number | null;
  driftShareThreshold: number;
  driftedColumns: string[];
  columns: DriftColumnRow[];
  charts: string[];
}

/** A chart: a Vega-Lite v6 spec with inline data (rendered to SVG by the HTML writer). */
export interface ReportChart {
  id: string;
  kind: 'rates' | 'reliability' | 'drift-histogram' | 'trend';
  title: string;
  /** Text alternative for screen readers and the Markdown report. */
  description: string;
  spec: Record<string, unknown>;
}

/** A finding with the run it came from. */
export interface ReportFinding extends Finding {
  runId: string | null;
  time: string | null;
}

/** One point of a metric's history. */
export interface TrendPoint {
  runId: string;
  time: string;
  value: number;
  status: FindingStatus;
}

/** The history of one metric in one scope (attribute set or drift column), oldest first. */
export interface TrendSeries {
  metric: string;
  /** 'sex', 'sex × age_band', or the drift column. */
  scope: string;
  kind: Finding['kind'];
  points: TrendPoint[];
}

/** Coverage of one Annex A control by the evidence the report rests on. */
export interface ControlCoverage {
  id: string;
  title: string;
  /** How much of the control the toolkit can evidence at all (catalogue). */
  coverage: 'direct' | 'partial' | 'none';
  implementation: string;
  /** Evidence items found for it. */
  evidence: number;
  /** Time of the newest evidence item, or null. */
  latest: string | null;
  /** "not evidenced by this toolkit" for organisational controls. */
  note: string;
}

/** A data input a run read: its name, file and sha256 (from the audit trail), and its rows. */
export interface DataFingerprint {
  runId: string | null;
  /** Input name as recorded ('data', 'reference', 'current', ...). */
  name: string;
  file: string | null;
  sha256: string | null;
  rows: number | null;
  at: string | null;
}

/** A run the report rests on. */
export interface ManifestRun {
  id: string;
  kind: string;
  time: string | null;
  actor: string | null;
  policyHash: string | null;
  resultDigest: string;
  seed: number | null;
}

/** Tool, library and environment versions, policy hashes and seeds: how to reproduce the numbers. */
export interface RunManifest {
  tool: { name: 'fairwatch'; version: string };
  node: string;
  platform: string;
  host: string;
  generatedAt: string;
  /** Versions of the libraries that computed and drew the numbers (null when not found). */
  libraries: Record<string, string | null>;
  policyHashes: string[];
  seeds: number[];
  runs: ManifestRun[];
  /** Where the runs came from (a store location), or null. */
  store: string | null;
  /** Whether the store's audit trail verified (null without a store). */
  auditTrail: { ok: boolean; lines: number; problem: string | null } | null;
}

/** A metric definition from its card in `metrics/`. */
export interface MetricDefinition {
  id: string;
  title: string;
  kind: string;
  definition: string;
  formula: string;
  range: [number | null, number | null];
  ideal: number | null;
  direction: string;
  controls: string[];
  notes: string[];
}

/** The summary verdict. */
export interface ReportSummary {
  /** Worst finding status, or 'not-evaluated' when no finding was made. */
  verdict: FindingStatus | 'not-evaluated';
  /** One sentence. */
  headline: string;
  counts: Record<FindingStatus, number>;
  runs: number;
  /** Whether the latest drift comparison found dataset drift (null: none in the report). */
  datasetDrift: boolean | null;
  /** Risk entries touched that are not closed or accepted. */
  openRisks: number;
}

/** The report document. */
export interface ReportModel {
  kind: 'fairwatch.report';
  version: 1;
  title: string;
  generatedAt: string;
  period: { from: string; to: string } | null;
  filter: { run: string | null; control: string | null };
  system: AISystem | null;
  summary: ReportSummary;
  attributes: AttributeSection[];
  drift: DriftSection[];
  trends: TrendSeries[];
  charts: ReportChart[];
  findings: ReportFinding[];
  /** Latest version of each risk entry the findings touched. */
  risks: RiskEntry[];
  controls: ControlCoverage[];
  fingerprints: DataFingerprint[];
  manifest: RunManifest;
  definitions: MetricDefinition[];
  /** What the report could not include, and why. */
  notes: string[];
}
