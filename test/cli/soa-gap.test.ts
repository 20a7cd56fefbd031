import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { messages } from '../../src/errors.js';
import { evaluate } from '../../src/governance/findings.js';
import { recordEvaluation } from '../../src/governance/pipeline.js';
import { openStore } from '../../src/store/index.js';
import { handAudit, policy } from '../governance/evaluation-fixtures.js';
import { capture } from './capture.js';

const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
const RUN_TIME = '2026-03-01T10:00:00.000Z';

let dir: string;
let runId: string;
let resultDigest: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fairwatch-soa-'));
  const store = await openStore(dir);
  const result = handAudit('failing');
  const findings = evaluate(result, policy(), { now: RUN_TIME });
  const rec = await recordEvaluation({ store, result, findings, kind: 'audit', now: RUN_TIME, inputs: { data: 'd'.repeat(64) } });
  runId = rec.runId;
  resultDigest = rec.resultDigest;
  await store.close();
});

describe('fairwatch soa', () => {
  it('fairwatch soa --format json lists the 38 Annex A controls with the store\'s evidence; organisational ones are not evidenced', async () => {
    const io = capture();
    expect(await main(['soa', '--store', dir, '--format', 'json'], io)).toBe(0);
    const soa = JSON.parse(io.out);
    expect(soa.kind).toBe('fairwatch.soa');
    expect(soa.controls).toHaveLength(38);
    const byId = (id: string) => soa.controls.find((c: { id: string }) => c.id === id);
    // the failing finding (pre-deployment fairness: A.5.4, A.6.2.4) with the run's result digest
    const a54 = byId('A.5.4');
    expect(a54.implementation).toBe('evidenced');
    expect(a54.evidence.map((e: { kind: string }) => e.kind).sort()).toEqual(['finding', 'risk-entry']);
    expect(a54.evidence.find((e: { kind: string }) => e.kind === 'finding')).toMatchObject({ id: `${runId}/fairness:disparateImpact:sex`, digest: resultDigest, status: 'fail', at: RUN_TIME });
    expect(byId('A.6.2.4').implementation).toBe('evidenced');
    // the data digest in the audit line: provenance (A.7.5); the audit line itself: event logs (A.6.2.8)
    expect(byId('A.7.5').evidence.map((e: { kind: string; id: string; digest: string }) => [e.kind, e.id, e.digest])).toEqual([['dataset-fingerprint', `${runId}/data`, 'd'.repeat(64)]]);
    expect(byId('A.6.2.8').evidence.map((e: { kind: string }) => e.kind)).toEqual(['audit-event']);
    // organisational: no evidence, whatever the store holds
    expect(byId('A.2.2')).toMatchObject({ note: 'not evidenced by this toolkit', evidence: [], implementation: 'not-stated' });
    expect(soa.evidenceCounts).toEqual({ runs: 1, findings: 1, riskVersions: 1, auditEvents: 1 });
  });

  it('fairwatch soa --applicability --out writes the file atomically and logs soa.export with its sha256', async () => {
    const app = join(dir, 'applicability.yaml');
    writeFileSync(app, 'controls:\n  A.10.4: { applicable: false, justification: "No external customers." }\n');
    const out = join(dir, 'evidence', 'soa.md');
    const io = capture();
    expect(await main(['soa', '--store', dir, '--applicability', app, '--format', 'md', '--out', out], io)).toBe(0);
    expect(io.out).toBe('');
    expect(io.err).toMatch(/^wrote .*soa\.md \(38 controls, \d+ with toolkit evidence\)\n$/);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')[0]).toBe('## Statement of applicability (ISO/IEC 42001:2023)');
    expect(text).toContain('| A.10.4 | ');
    expect(text).toMatch(/\| A\.10\.4 \| [^|]+ \| no \| No external customers\. \| not-applicable \|/);
    const store = await openStore(dir);
    const events = await store.readAudit();
    expect(events.map((e) => e.action)).toEqual(['audit.run', 'soa.export']);
    expect(events[1]!.outputs).toEqual({ 'soa.md': sha(text) });
    expect((await store.verifyAudit()).ok).toBe(true);
    await store.close();
    // the export is itself evidence: the SoA report now supports clause 6.1.3 in the gap assessment
    const gap = capture();
    expect(await main(['gap', '--store', dir, '--period', '2026-01-01..2099-12-31', '--format', 'json'], gap)).toBe(0);
    const entry = JSON.parse(gap.out).entries.find((e: { id: string }) => e.id === '6.1.3');
    expect(entry.evidence.map((e: { kind: string; id: string }) => `${e.kind}:${e.id}`)).toContain('report:soa.md');
  });

  it('fairwatch soa says so when the audit trail fails verification and does not use its lines', async () => {
    const log = join(dir, 'audit.log.jsonl');
    writeFileSync(log, readFileSync(log, 'utf8').replace('"actor":"', '"actor":"x'));
    const io = capture();
    expect(await main(['soa', '--store', dir], io)).toBe(0);
    expect(io.out).toContain('the audit trail FAILS verification (hash-mismatch at line 1)');
    const json = capture();
    await main(['soa', '--store', dir, '--format', 'json'], json);
    const a = JSON.parse(json.out).controls.find((c: { id: string }) => c.id === 'A.6.2.8');
    expect(a.evidence).toEqual([]);
  });
});

describe('fairwatch gap', () => {
  it('fairwatch gap --period --answers reports evidenced, missing and answered entries', async () => {
    const answers = join(dir, 'answers.yaml');
    writeFileSync(answers, 'answers:\n  A.2.2: { answer: yes, reference: "POL-7", answeredBy: ann }\n');
    const io = capture();
    const code = await main(['gap', '--store', dir, '--period', '2026-01-01..2026-03-31', '--answers', answers, '--max-age', '400', '--format', 'json'], io);
    expect(code, io.err).toBe(0);
    const gap = JSON.parse(io.out);
    expect(gap.period).toEqual({ from: '2026-01-01T00:00:00.000Z', to: '2026-03-31T23:59:59.999Z' });
    const e = (id: string) => gap.entries.find((x: { id: string }) => x.id === id);
    expect(e('A.5.4')).toMatchObject({ status: 'evidenced', newest: RUN_TIME });
    expect(e('A.6.2.6').status).toBe('missing'); // no monitoring (drift) run in the store
    expect(e('A.2.2')).toMatchObject({ status: 'answered', answer: { answer: 'yes', reference: 'POL-7' }, evidence: [] });
    expect(e('A.3.3').status).toBe('unanswered');
  });

  it('fairwatch gap with a period before the run finds every toolkit entry missing; a bad period or max age exits 2', async () => {
    const io = capture();
    expect(await main(['gap', '--store', dir, '--period', '2025-01-01..2025-12-31', '--format', 'json'], io)).toBe(0);
    const gap = JSON.parse(io.out);
    expect(gap.summary.all.toolkit.evidenced).toBe(0);
    const bad = capture();
    expect(await main(['gap', '--store', dir, '--period', '2026-03-31..2026-01-01'], bad)).toBe(2);
    expect(bad.err).toBe(`fairwatch: ${messages.badPeriod('parsePeriod', '2026-03-31..2026-01-01')}\n`);
    expect(await main(['gap', '--store', dir, '--max-age', '0'], capture())).toBe(2);
  });

  it('fairwatch gap --out writes the assessment and logs gap.export', async () => {
    const out = join(dir, 'gap.md');
    expect(await main(['gap', '--store', dir, '--format', 'md', '--out', out], capture())).toBe(0);
    expect(existsSync(out)).toBe(true);
    const store = await openStore(dir);
    const events = await store.readAudit();
    expect(events.at(-1)).toMatchObject({ action: 'gap.export', outputs: { 'gap.md': sha(readFileSync(out)) } });
    await store.close();
  });
});
