/**
 * The files of an evidence pack, each written by a producer: a pure function from the
 * {@link EvidenceContext} to files (path + bytes). {@link EVIDENCE_PRODUCERS} lists the built-in
 * ones in pack order; the HTML/Markdown/JSON reports of `src/report/` join the pack by adding
 * their producer to that list (or per call through `exportEvidencePack({ extraFiles })`).
 *
 * Layout:
 *
 * | path | content |
 * | --- | --- |
 * | `runs/<runId>.json` | each run's result JSON as stored (its canonical JSON hashes to the run's `resultDigest`) |
 * | `run-manifests/<runId>.json` | run id, kind, time, actor, system, policy hash, seed(s), result digest, the run's audit line (seq, sha256, input digests, file names) and the environment |
 * | `datasets/fingerprints.json` | per run: input digests (policy inputs excluded) and row counts |
 * | `findings/findings.json` | the findings of the runs, with their run ids |
 * | `risk-register/latest.{json,csv}` | each entry's latest version at the end of the period |
 * | `risk-register/history.{json,csv}` | every version changed in the period |
 * | `soa/statement.{json,md}`, `soa/applicability.yaml` | the statement of applicability and the file it was built from |
 * | `policy/<file name>`, `policy/hashes.json` | the policy file, its hash, and the policy hashes the runs were judged with |
 * | `audit/audit-log.jsonl` | the audit-log extract, exact lines |
 * | `evidence-items.json` | the evidence items (kind, id, digest, controls) the pack supports |
 * | `monitoring/windows.json` | monitoring jobs: every stored version of each window computed in the period (rows, labelled rows, status, the metrics alert rules watch, what late labels changed, run ids) |
 * | `monitoring/alerts.json` | alert events of the period with when they were sent and each sink's delivery (discards are in the audit extract) |
 *
 * @example
 * ```ts
 * const files = (await Promise.all(EVIDENCE_PRODUCERS.map((p) => p(ctx)))).flat();
 * files.map((f) => f.path); // ['runs/audit-20260301-1a2b3c4d5e6f.json', 'run-manifests/…', …]
 * ```
 */
import { basename } from 'node:path';
import { sha256Hex } from '../governance/digest.js';
import { POLICY_INPUTS } from '../governance/evidence.js';
import { riskToCSV, riskToJSON } from '../governance/risk.js';
import { formatSoa } from '../governance/soa.js';
import type { StoredRun } from '../store/types.js';
import { buildReport } from '../report/build.js';
import { managementReview, reviewFiles } from '../report/review.js';
import { reportFiles } from '../report/writers.js';
import type { EvidenceContext } from './collect.js';
import type { EvidenceFile } from './manifest.js';

/** Makes some of a pack's files from the collected context. */
export type EvidenceFileProducer = (ctx: EvidenceContext) => EvidenceFile[] | Promise<EvidenceFile[]>;

const enc = new TextEncoder();
const json = (path: string, value: unknown): EvidenceFile => ({ path, data: enc.encode(JSON.stringify(value, null, 2) + '\n') });
const text = (path: string, value: string): EvidenceFile => ({ path, data: enc.encode(value.endsWith('\n') ? value : value + '\n') });

/**
 * A file name for an id: the id itself when it is made of letters, digits, `.`, `_` and `-` (and
 * does not start with `.`), else the id with other characters replaced by `_` and 8 hex digits of
 * its sha256 appended, so that two ids never share a name.
 *
 * @example
 * ```ts
 * safeFileName('audit-20260301-1a2b3c4d5e6f'); // 'audit-20260301-1a2b3c4d5e6f'
 * safeFileName('../x');                         // '___x-' + 8 hex digits of sha256('../x') (never a path)
 * ```
 */
export function safeFileName(id: string): string {
  if (/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,150}$/.test(id)) return id;
  return `${id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100)}-${sha256Hex(id).slice(0, 8)}`;
}

/**
 * Path of a run's result JSON in the pack.
 *
 * @example
 * ```ts
 * runResultPath('audit-20260301-1a2b3c4d5e6f'); // 'runs/audit-20260301-1a2b3c4d5e6f.json'
 * ```
 */
export function runResultPath(runId: string): string {
  return `runs/${safeFileName(runId)}.json`;
}

/**
 * Seeds a result was computed with (bootstrap seeds of audit / group-metrics results), sorted
 * and without repeats.
 *
 * @example
 * ```ts
 * resultSeeds({ kind: 'fairwatch.groupMetrics', options: { ci: { seed: 7 } } }); // [7]
 * resultSeeds({ kind: 'fairwatch.drift' });                                      // []
 * ```
 */
export function resultSeeds(result: unknown): number[] {
  const r = result as { options?: { ci?: { seed?: unknown } | null }; results?: { options?: { ci?: { seed?: unknown } | null } }[] } | null;
  const seeds = new Set<number>();
  const add = (o: { ci?: { seed?: unknown } | null } | undefined) => {
    const s = o?.ci?.seed;
    if (typeof s === 'number' && Number.isFinite(s)) seeds.add(s);
  };
  add(r?.options);
  for (const x of Array.isArray(r?.results) ? r!.results! : []) add(x?.options);
  return [...seeds].sort((a, b) => a - b);
}

/**
 * Row counts of a result: `{ rows }` for audit and group-metrics results, `{ reference, current }`
 * for drift reports, `{}` otherwise.
 *
 * @example
 * ```ts
 * resultRows({ kind: 'fairwatch.drift', referenceRows: 1000, currentRows: 800 }); // { reference: 1000, current: 800 }
 * ```
 */
export function resultRows(result: unknown): Record<string, number> {
  const r = result as { rows?: unknown; referenceRows?: unknown; currentRows?: unknown } | null;
  const out: Record<string, number> = {};
  if (typeof r?.rows === 'number') out.rows = r.rows;
  if (typeof r?.referenceRows === 'number') out.reference = r.referenceRows;
  if (typeof r?.currentRows === 'number') out.current = r.currentRows;
  return out;
}

/**
 * `runs/<runId>.json`: each run's result JSON.
 *
 * @example
 * ```ts
 * runResultFiles(ctx)[0].path; // 'runs/audit-20260301-1a2b3c4d5e6f.json'
 * ```
 */
export const runResultFiles: EvidenceFileProducer = (ctx) => ctx.runs.map((r) => json(runResultPath(r.id), r.result));

/**
 * The run manifest of one run (see the module comment): what was recorded for it, its audit
 * line, and the environment — the one recorded in the audit line's `details.environment` when
 * present (`source: 'run'`; `recordEvaluation` records it), else the exporting installation
 * (`source: 'export'`: a run whose line has none, as in stores written before fairwatch recorded it).
 *
 * @example
 * ```ts
 * runManifest(ctx, run).auditLine.inputs; // { data: '9f86…', policy: '…', 'policy-file': '…' }
 * ```
 */
export function runManifest(ctx: EvidenceContext, run: StoredRun): Record<string, unknown> {
  const audited = ctx.audit.runEvents.get(run.id);
  const seeds = resultSeeds(run.result);
  const recorded = audited?.event.details?.environment;
  return {
    kind: 'fairwatch.run-manifest',
    version: 1,
    runId: run.id,
    runKind: run.kind,
    time: run.time,
    actor: run.actor,
    system: run.system,
    policyHash: run.policyHash,
    seed: seeds.length === 1 ? seeds[0] : seeds.length === 0 ? null : seeds,
    result: { file: runResultPath(run.id), digest: run.resultDigest, rows: resultRows(run.result) },
    auditLine: audited
      ? {
          seq: audited.event.seq,
          sha256: sha256Hex(audited.line),
          action: audited.event.action,
          time: audited.event.time,
          inputs: audited.event.inputs,
          files: (audited.event.details?.files as Record<string, string> | undefined) ?? null,
        }
      : null,
    environment: recorded !== undefined ? { source: 'run', ...(recorded as object) } : { source: 'export', ...ctx.environment },
  };
}

/**
 * `run-manifests/<runId>.json`: one run manifest per run.
 *
 * @example
 * ```ts
 * runManifestFiles(ctx).map((f) => f.path); // ['run-manifests/audit-20260301-1a2b3c4d5e6f.json']
 * ```
 */
export const runManifestFiles: EvidenceFileProducer = (ctx) => ctx.runs.map((r) => json(`run-manifests/${safeFileName(r.id)}.json`, runManifest(ctx, r)));

/**
 * `datasets/fingerprints.json`: per run, the digests of the data it read (from its audit line,
 * policy inputs excluded) with the file names when recorded, and its row counts.
 *
 * @example
 * ```ts
 * JSON.parse(decode(fingerprintFiles(ctx)[0].data)).runs[0]; // { runId, kind, inputs: [{ name: 'data', sha256: '…', file: 'loans.csv' }], rows: { rows: 5000 } }
 * ```
 */
export const fingerprintFiles: EvidenceFileProducer = (ctx) => [
  json('datasets/fingerprints.json', {
    kind: 'fairwatch.dataset-fingerprints',
    version: 1,
    runs: ctx.runs.map((r) => {
      const e = ctx.audit.runEvents.get(r.id)?.event;
      const files = (e?.details?.files ?? {}) as Record<string, unknown>;
      const inputs = Object.entries(e?.inputs ?? {})
        .filter(([name]) => !(POLICY_INPUTS as readonly string[]).includes(name))
        .map(([name, sha256]) => ({ name, sha256, ...(typeof files[name] === 'string' ? { file: files[name] } : {}) }));
      return { runId: r.id, kind: r.kind, time: r.time, inputs, rows: resultRows(r.result) };
    }),
  }),
];

/**
 * `findings/findings.json`: the findings of the pack's runs.
 *
 * @example
 * ```ts
 * findingsFiles(ctx)[0].path; // 'findings/findings.json'
 * ```
 */
export const findingsFiles: EvidenceFileProducer = (ctx) => [json('findings/findings.json', { kind: 'fairwatch.evidence-findings', version: 1, findings: ctx.findings })];

/**
 * `risk-register/latest.{json,csv}` and `risk-register/history.{json,csv}`.
 *
 * @example
 * ```ts
 * riskRegisterFiles(ctx).map((f) => f.path); // ['risk-register/history.csv', 'risk-register/history.json', 'risk-register/latest.csv', 'risk-register/latest.json']
 * ```
 */
export const riskRegisterFiles: EvidenceFileProducer = (ctx) => [
  text('risk-register/history.csv', riskToCSV(ctx.risks.history)),
  text('risk-register/history.json', riskToJSON(ctx.risks.history, { now: ctx.created })),
  text('risk-register/latest.csv', riskToCSV(ctx.risks.latest)),
  text('risk-register/latest.json', riskToJSON(ctx.risks.latest, { now: ctx.created })),
];

/**
 * `soa/statement.json`, `soa/statement.md` and the applicability file they were built from.
 *
 * @example
 * ```ts
 * soaFiles(ctx).map((f) => f.path); // ['soa/applicability.yaml', 'soa/statement.json', 'soa/statement.md']
 * ```
 */
export const soaFiles: EvidenceFileProducer = (ctx) => [
  { path: 'soa/applicability.yaml', data: ctx.applicability.bytes },
  text('soa/statement.json', formatSoa(ctx.soa, 'json')),
  text('soa/statement.md', formatSoa(ctx.soa, 'md')),
];

/**
 * `policy/<file name>` (the bytes as given) and `policy/hashes.json`: the file's sha256 and
 * policy hash, and the policy hash each run was judged with.
 *
 * @example
 * ```ts
 * JSON.parse(decode(policyFiles(ctx)[1].data)).runs[0].matchesFile; // true when the run used this policy
 * ```
 */
export const policyFiles: EvidenceFileProducer = (ctx) => {
  const name = `policy/${safeFileName(basename(ctx.policy.file))}`;
  return [
    { path: name, data: ctx.policy.bytes },
    json('policy/hashes.json', {
      kind: 'fairwatch.policy-hashes',
      version: 1,
      file: { path: name, sha256: sha256Hex(ctx.policy.bytes), policyHash: ctx.policy.hash },
      runs: ctx.runs.map((r) => ({
        runId: r.id,
        policyHash: r.policyHash,
        policyFileSha256: ctx.audit.runEvents.get(r.id)?.event.inputs['policy-file'] ?? null,
        matchesFile: r.policyHash === ctx.policy.hash,
      })),
      hashes: [...new Set(ctx.runs.map((r) => r.policyHash).filter((h): h is string => h !== null))].sort(),
    }),
  ];
};

/**
 * Path of the audit-log extract in the pack.
 *
 * @example
 * ```ts
 * AUDIT_EXTRACT_PATH; // 'audit/audit-log.jsonl'
 * ```
 */
export const AUDIT_EXTRACT_PATH = 'audit/audit-log.jsonl';

/**
 * `audit/audit-log.jsonl`: the extract's exact lines, each followed by a newline.
 *
 * @example
 * ```ts
 * decode(auditFiles(ctx)[0].data).split('\n').length - 1; // ctx.audit.lines.length
 * ```
 */
export const auditFiles: EvidenceFileProducer = (ctx) => [{ path: AUDIT_EXTRACT_PATH, data: enc.encode(ctx.audit.lines.map((l) => l.text + '\n').join('')) }];

/**
 * `evidence-items.json`: the evidence items the pack supports, with their controls.
 *
 * @example
 * ```ts
 * JSON.parse(decode(evidenceItemFiles(ctx)[0].data)).items.length; // ctx.items.length
 * ```
 */
export const evidenceItemFiles: EvidenceFileProducer = (ctx) => [json('evidence-items.json', { kind: 'fairwatch.evidence-items', version: 1, control: ctx.control, items: ctx.items })];

/**
 * `reports/`: the audit report (HTML with inline SVG charts, Markdown, JSON) and the clause 9.3
 * management review (HTML, Markdown, JSON) for the pack's period and control (`src/report/`).
 * The review's period is the pack's, or everything up to the export when the pack has none.
 *
 * @example
 * ```ts
 * (await reportFilesProducer(ctx)).map((f) => f.path); // ['reports/report.json', 'reports/report.md', 'reports/report.html', 'reports/management-review.json', ...]
 * ```
 */
export const reportFilesProducer: EvidenceFileProducer = async (ctx) => {
  const model = await buildReport({
    store: ctx.source,
    ...(ctx.period ? { period: ctx.period } : {}),
    ...(ctx.control ? { control: ctx.control } : {}),
    now: ctx.created,
  });
  const first = ctx.runs[0]?.time ?? ctx.created;
  const review = await managementReview(ctx.source, ctx.period ?? { from: first.slice(0, 10), to: ctx.created.slice(0, 10) }, { now: ctx.created });
  const files = { ...(await reportFiles(model)), ...(await reviewFiles(review)) };
  return Object.entries(files).map(([name, text]) => ({ path: `reports/${name}`, data: enc.encode(text) }));
};

/** Clauses and controls the monitoring records evidence: 9.1 monitoring and measurement, A.6.2.6 operation and monitoring. */
const MONITORING_CONTROLS = ['9.1', 'A.6.2.6'];

/**
 * `monitoring/`: the monitoring jobs' window versions computed in the period and the alert events
 * of the period with their delivery per sink — only when the store has any, and with a control
 * only for 9.1 and A.6.2.6. The window versions' runs are in `runs/` as every other run.
 *
 * @example
 * ```ts
 * (await monitoringFiles(ctx)).map((f) => f.path); // ['monitoring/windows.json', 'monitoring/alerts.json'] (or [] without monitoring)
 * ```
 */
export const monitoringFiles: EvidenceFileProducer = async (ctx) => {
  if (ctx.control !== null && !MONITORING_CONTROLS.includes(ctx.control)) return [];
  const p = ctx.period;
  const inPeriod = (t: string) => p === null || (t >= p.from && t <= p.to);
  const windows = (await ctx.source.monitorHistory(undefined, { allVersions: true })).filter((w) => inPeriod(w.computedAt));
  const events = (await ctx.source.monitorAlertEvents()).filter((e) => inPeriod(e.time));
  if (windows.length === 0 && events.length === 0) return [];
  const deliveries = new Map<string, { sink: string; deliveredAt: string }[]>();
  for (const job of new Set(events.map((e) => e.jobId))) {
    for (const d of await ctx.source.monitorAlertDeliveries(job)) deliveries.set(d.eventId, [...(deliveries.get(d.eventId) ?? []), { sink: d.sink, deliveredAt: d.deliveredAt }]);
  }
  return [
    json('monitoring/windows.json', {
      kind: 'fairwatch.evidence-monitoring-windows',
      version: 1,
      controls: MONITORING_CONTROLS,
      // each version's findings are in findings/findings.json under its run ids
      windows: windows.map(({ findings: _f, ...w }) => w),
    }),
    json('monitoring/alerts.json', {
      kind: 'fairwatch.evidence-monitoring-alerts',
      version: 1,
      controls: MONITORING_CONTROLS,
      events: events.map((e) => ({ ...e, deliveries: deliveries.get(e.id) ?? [] })),
    }),
  ];
};

/**
 * The built-in producers, in pack order. The reports of `src/report/` are added here (one line).
 *
 * @example
 * ```ts
 * EVIDENCE_PRODUCERS.length; // 11
 * ```
 */
export const EVIDENCE_PRODUCERS: readonly EvidenceFileProducer[] = [
  runResultFiles,
  runManifestFiles,
  fingerprintFiles,
  findingsFiles,
  riskRegisterFiles,
  soaFiles,
  policyFiles,
  auditFiles,
  evidenceItemFiles,
  monitoringFiles,
  reportFilesProducer,
];
