import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/main.js';
import { runPolicy, type EvaluationDocument } from '../../src/cli/policy-run.js';
import { PolicyError, messages } from '../../src/errors.js';
import { defaultPolicyPath } from '../../src/governance/policy.js';
import { openStore } from '../../src/store/index.js';
import { HAND_DI, handAudit, handDrift, POLICY_YAML } from '../governance/evaluation-fixtures.js';
import { capture } from './capture.js';

const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
const DI_RISK = 'R-' + sha('["credit","disparateImpact",["sex"]]').slice(0, 12);
const NOW = '2026-03-01T10:00:00.000Z';

let dir: string;
let policyFile: string;
let dataFile: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fairwatch-policy-run-'));
  policyFile = join(dir, 'policy.yaml');
  writeFileSync(policyFile, POLICY_YAML);
  dataFile = join(dir, 'data.csv');
  writeFileSync(dataFile, 'y,p,sex\n1,1,m\n'); // stands for the file the command read
});

describe('runPolicy(io, { result, kind: "audit", policy, store })', () => {
  it('runPolicy(failing audit) exits 3, prints the findings and the opened risk, and records run, risk and a verifiable audit line', async () => {
    const io = capture();
    const store = join(dir, 'store');
    const code = await runPolicy(io, { result: handAudit('failing'), kind: 'audit', policy: policyFile, store, format: 'text', inputs: { data: dataFile }, now: NOW, actor: 'ci' });
    expect(code).toBe(3);
    expect(io.out).toContain('findings for credit 2.1: FAIL');
    expect(io.out).toContain('fairness:disparateImpact:sex');
    expect(io.out).toContain(`opened    ${DI_RISK} v1  open  critical (4×5)`);
    expect(io.out).toMatch(/run audit-20260301-[0-9a-f]{12} recorded in .*; audit log line 1/);
    expect(io.err).toBe('');
    const s = await openStore(store);
    const [run] = await s.listRuns();
    expect(run).toMatchObject({ kind: 'audit', actor: 'ci', system: { id: 'credit' } });
    expect((await s.latestRisks()).map((e) => [e.id, e.status, e.findings[0]!.value])).toEqual([[DI_RISK, 'open', expect.closeTo(HAND_DI.failing, 12)]]);
    const verification = await s.verifyAudit();
    expect(verification).toMatchObject({ ok: true, lines: 1 });
    const [line] = await s.readAudit();
    // inputs: the data file's and the policy file's sha256, computed here from the bytes
    expect(line!.inputs.data).toBe(sha(readFileSync(dataFile)));
    expect(line!.inputs['policy-file']).toBe(sha(readFileSync(policyFile)));
    expect(line!.details).toMatchObject({ runId: run!.id, files: { data: dataFile, 'policy-file': policyFile } });
    await s.close();
  });

  it('runPolicy(passing audit) exits 0 and opens no risk entry', async () => {
    const io = capture();
    const store = join(dir, 'store');
    expect(await runPolicy(io, { result: handAudit('passing'), kind: 'audit', policy: policyFile, store, format: 'md', now: NOW })).toBe(0);
    expect(io.out).toContain('## Findings');
    expect(io.out).toContain('No risk-register changes.');
    const s = await openStore(store);
    expect(await s.latestRisks()).toEqual([]);
    expect(await s.listRuns()).toHaveLength(1);
    await s.close();
  });

  it('runPolicy(format json) prints one fairwatch.evaluation document with result, findings, risks, run and audit', async () => {
    const io = capture();
    const store = join(dir, 'store');
    const result = handAudit('failing');
    const document = { file: dataFile, ...result.toJSON() };
    expect(await runPolicy(io, { result, kind: 'audit', policy: policyFile, store, format: 'json', document, now: NOW })).toBe(3);
    const doc = JSON.parse(io.out) as EvaluationDocument;
    expect(Object.keys(doc)).toEqual(['kind', 'version', 'result', 'findings', 'risks', 'run', 'audit']);
    expect(doc.kind).toBe('fairwatch.evaluation');
    expect(doc.result).toEqual(JSON.parse(JSON.stringify(document)));
    expect(doc.findings.findings.map((f) => [f.id, f.status])).toEqual([['fairness:disparateImpact:sex', 'fail']]);
    expect(doc.risks.map((r) => [r.change, r.entry.id, r.entry.version])).toEqual([['opened', DI_RISK, 1]]);
    expect(doc.run).toMatchObject({ kind: 'audit', state: 'recorded', time: NOW, policyFile, resultDigest: doc.findings.resultDigest });
    expect(doc.audit).toMatchObject({ seq: 1, action: 'audit.run', log: join(store, 'audit.log.jsonl') });
  });

  it('runPolicy with a missing policy file throws PolicyError policyNotFound and writes nothing', async () => {
    const missing = join(dir, 'nope.yaml');
    const err = await runPolicy(capture(), { result: handAudit('failing'), kind: 'audit', policy: missing, store: join(dir, 'store') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as Error).message).toBe(messages.policyNotFound('loadPolicy', missing));
  });
});

describe('runPolicy(io, { result, kind: "drift" })', () => {
  it('runPolicy(drifted report, default policy) exits 3: the one column drifted, so the share 1 is above the fail limit 0.5', async () => {
    const io = capture();
    const store = join(dir, 'store');
    const ref = join(dir, 'ref.csv');
    const cur = join(dir, 'cur.csv');
    writeFileSync(ref, 'x\n1\n');
    writeFileSync(cur, 'x\n2\n');
    const code = await runPolicy(io, { result: handDrift('drifted'), kind: 'drift', store, format: 'json', inputs: { reference: ref, current: cur }, now: NOW });
    expect(code).toBe(3);
    expect(io.err).toBe(`note: no --policy given; evaluated against the shipped default policy ${defaultPolicyPath()}\n`);
    const doc = JSON.parse(io.out) as EvaluationDocument;
    const share = doc.findings.findings.find((f) => f.id === 'drift:driftShare:dataset')!;
    expect(share).toMatchObject({ value: 1, status: 'fail' });
    expect(doc.run.kind).toBe('drift');
    const s = await openStore(store);
    const [line] = await s.readAudit();
    expect(line).toMatchObject({ action: 'drift.run', inputs: { reference: sha('x\n1\n'), current: sha('x\n2\n') } });
    expect((await s.verifyAudit()).ok).toBe(true);
    // the failing share opens a dataset-level risk; the drifted column's psi/decision findings too when they fail
    expect((await s.latestRisks()).map((e) => e.metric)).toContain('driftShare');
    await s.close();
  });

  it('runPolicy(unchanged data, default policy) exits 0 with every finding passing', async () => {
    const io = capture();
    expect(await runPolicy(io, { result: handDrift('same'), kind: 'drift', store: join(dir, 'store'), format: 'json', now: NOW })).toBe(0);
    const doc = JSON.parse(io.out) as EvaluationDocument;
    expect(doc.findings.status).toBe('pass');
    expect(doc.risks).toEqual([]);
  });
});
