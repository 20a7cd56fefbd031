/**
 * `--policy` for `fairwatch audit` and `fairwatch drift`: after a command has computed its result,
 * {@link runPolicy} loads the policy (`--policy <file>`, else the shipped default), evaluates the
 * result, records the run, its findings, the risk-register changes and an audit-trail line in the
 * store (`--store <path|url>`, `FAIRWATCH_STORE`, default `.fairwatch/`; see
 * `governance/pipeline.ts`), prints the findings and returns the exit code: **3 when a finding
 * fails the policy**, else 0.
 *
 * Output: with `text` and `md` the command prints its result first and `runPolicy` adds the
 * findings, the risk-register changes and where the run was recorded. With `json` the command
 * prints nothing itself and passes its JSON document as `document`; `runPolicy` prints ONE
 * document on stdout:
 *
 * ```json
 * { "kind": "fairwatch.evaluation", "version": 1,
 *   "result":   { ...what the command prints without --policy... },
 *   "findings": { "kind": "fairwatch.findings", ... },
 *   "risks":    [{ "change": "opened", "entry": { "id": "R-…", "version": 1, ... } }],
 *   "run":      { "id": "audit-20260301-…", "state": "recorded", "time": "…", "store": "…", "resultDigest": "…", "findingsDigest": "…", "policyHash": "…", "policyFile": "…" },
 *   "audit":    { "log": "….jsonl", "seq": 3, "action": "audit.run" } }
 * ```
 *
 * @example
 * ```ts
 * const result = audit({ data: table, yTrue: 'repaid', yPred: 'approved', sensitive: ['sex'] });
 * const code = await runPolicy(io, { result, kind: 'audit', policy: 'policy.yaml', format: 'text', inputs: { data: 'loans.csv' } });
 * code; // 3 when a finding fails
 * ```
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { InputError, messages } from '../errors.js';
import { evaluate, formatFindings, type Evaluable } from '../governance/findings.js';
import { formatRiskChanges, recordEvaluation, type EvaluationRecord } from '../governance/pipeline.js';
import { defaultPolicyPath, loadPolicy } from '../governance/policy.js';
import type { FindingsDocument } from '../governance/types.js';
import { openStore } from '../store/index.js';
import { EXIT, type CliIO } from './main.js';

/** An input of the run: a file path (its bytes are hashed), a digest, or text to hash (e.g. a SQL query). */
export type PolicyRunInput = string | { sha256: string } | { text: string };

/** Arguments of {@link runPolicy}. */
export interface PolicyRunArgs {
  /** The command's result (AuditResult, DriftReport, or their JSON). */
  result: Evaluable;
  kind: 'audit' | 'drift';
  /** Policy file (default: the shipped default policy, with a note on stderr). */
  policy?: string;
  /** Store folder, `.duckdb` file or postgres:// URL (default `FAIRWATCH_STORE` or `.fairwatch`). */
  store?: string;
  format?: 'text' | 'json' | 'md';
  /** What the run read, by name: `{ data: 'loans.csv' }`, `{ reference: 'a.csv', current: 'b.csv' }`, `{ query: { text: sql } }`. */
  inputs?: Record<string, PolicyRunInput>;
  /** With `format: 'json'`: the command's own JSON document (default `result.toJSON()`). */
  document?: unknown;
  /** Who ran it (default `FAIRWATCH_ACTOR` or the OS user). */
  actor?: string;
  /** Run id (default: deterministic per result, policy, inputs and day). */
  runId?: string;
  /** Time of the run (default now). */
  now?: Date | string;
}

/**
 * The merged JSON document of a command run with `--policy --format json`.
 *
 * @example
 * ```ts
 * const doc: EvaluationDocument = JSON.parse(out);
 * doc.findings.status; // 'fail'
 * ```
 */
export interface EvaluationDocument {
  kind: 'fairwatch.evaluation';
  version: 1;
  result: unknown;
  findings: FindingsDocument;
  risks: EvaluationRecord['risks'];
  run: { id: string; kind: 'audit' | 'drift'; state: EvaluationRecord['state']; time: string; store: string; resultDigest: string; findingsDigest: string; policyHash: string; policyFile: string };
  audit: { log: string; seq: number; action: string };
}

/**
 * sha256 of a file's bytes, streamed (constant memory). Throws `InputError` 'fileNotFound'.
 *
 * @example
 * ```ts
 * await sha256File('loans.csv'); // '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
 * ```
 */
export async function sha256File(path: string, fn = 'runPolicy'): Promise<string> {
  if (!existsSync(path)) throw new InputError(messages.fileNotFound(fn, path), 'fileNotFound', { path });
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Evaluate a command's result against a policy, record it in the store, print the findings and
 * return the exit code (3 when a finding fails, else 0). See the module comment for the output.
 *
 * @example
 * ```ts
 * const report = driftReport({ reference, current });
 * await runPolicy(io, { result: report, kind: 'drift', policy: 'policy.yaml', store: '.fairwatch', format: 'json',
 *   inputs: { reference: 'ref.csv', current: 'cur.csv' } }); // 0 or 3; stdout: one fairwatch.evaluation document
 * ```
 */
export async function runPolicy(io: CliIO, args: PolicyRunArgs): Promise<number> {
  const policyFile = args.policy ?? defaultPolicyPath();
  const policy = loadPolicy(args.policy);
  if (args.policy === undefined) io.stderr(`note: no --policy given; evaluated against the shipped default policy ${policyFile}\n`);
  const now = args.now ?? new Date();
  const findings = evaluate(args.result, policy, { now });
  const inputs: Record<string, string> = {};
  const files: Record<string, string> = {};
  for (const [name, input] of Object.entries(args.inputs ?? {})) {
    if (typeof input === 'string') {
      inputs[name] = await sha256File(input);
      files[name] = input;
    } else inputs[name] = 'sha256' in input ? input.sha256 : createHash('sha256').update(input.text).digest('hex');
  }
  inputs['policy-file'] = await sha256File(policyFile);
  files['policy-file'] = policyFile;
  const store = await openStore(args.store);
  let rec: EvaluationRecord;
  try {
    rec = await recordEvaluation({
      store,
      result: args.result,
      findings,
      kind: args.kind,
      inputs,
      now,
      details: { files },
      ...(args.actor !== undefined ? { actor: args.actor } : {}),
      ...(args.runId !== undefined ? { runId: args.runId } : {}),
    });
  } finally {
    await store.close();
  }
  const format = args.format ?? 'text';
  if (format === 'json') {
    const resultJSON = args.document ?? (typeof (args.result as { toJSON?: unknown }).toJSON === 'function' ? (args.result as { toJSON: () => unknown }).toJSON() : args.result);
    const doc: EvaluationDocument = {
      kind: 'fairwatch.evaluation',
      version: 1,
      result: resultJSON,
      findings,
      risks: rec.risks,
      run: { id: rec.runId, kind: rec.kind, state: rec.state, time: rec.run.time, store: rec.store, resultDigest: rec.resultDigest, findingsDigest: rec.findingsDigest, policyHash: rec.policyHash, policyFile },
      audit: { log: rec.auditLog, seq: rec.audit.seq, action: rec.audit.action },
    };
    io.stdout(JSON.stringify(doc, null, 2) + '\n');
  } else if (format === 'md') {
    io.stdout(['', formatFindings(findings, 'md'), '', formatRiskMarkdown(rec), '', recordedLine(rec, '`'), ''].join('\n'));
  } else {
    io.stdout(['', formatFindings(findings, 'text'), '', `risk register (${rec.store}):`, formatRiskChanges(rec.risks), recordedLine(rec, ''), ''].join('\n'));
  }
  return findings.status === 'fail' ? EXIT.policyFailed : EXIT.ok;
}

/**
 * One sentence on where the run was recorded (or that it already was).
 *
 * @example
 * ```ts
 * recordedLine(rec, ''); // 'run audit-20260301-1a2b3c4d5e6f recorded in /w/.fairwatch; audit log line 3 (/w/.fairwatch/audit.log.jsonl)'
 * ```
 */
export function recordedLine(rec: EvaluationRecord, q: '' | '`'): string {
  const where = `${q}${rec.store}${q}`;
  const line = `audit log line ${rec.audit.seq} (${q}${rec.auditLog}${q})`;
  if (rec.state === 'already-recorded') return `run ${q}${rec.runId}${q} was already recorded in ${where} (same result, policy and inputs today); nothing new written; ${line}`;
  if (rec.state === 'completed') return `run ${q}${rec.runId}${q} was stored by an interrupted attempt in ${where}; its missing ${line} was added now`;
  return `run ${q}${rec.runId}${q} recorded in ${where}; ${line}`;
}

function formatRiskMarkdown(rec: EvaluationRecord): string {
  const lines = ['### Risk-register changes', ''];
  if (rec.risks.length === 0) return [...lines, 'No risk-register changes.'].join('\n');
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  lines.push('| change | id | version | status | level (L×S) | title |', '| --- | --- | --- | --- | --- | --- |');
  for (const { change, entry: e } of rec.risks) {
    lines.push(`| ${change} | \`${e.id}\` | ${e.version} | ${e.status} | ${e.inherentLevel} (${e.likelihood}×${e.severity}) | ${cell(e.title)} |`);
  }
  return lines.join('\n');
}
