import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { generateLoans, LOAN_PARAMETERS, loansToCSV } from '../../src/datasets/loans.js';
import { openStore } from '../../src/store/index.js';
import { capture } from './capture.js';


describe('generateLoans', () => {
  it('generateLoans(seed) is deterministic and seeds differ', () => {
    expect(loansToCSV(generateLoans({ rows: 500, seed: 3 }))).toBe(loansToCSV(generateLoans({ rows: 500, seed: 3 })));
    expect(loansToCSV(generateLoans({ rows: 500, seed: 3 }))).not.toBe(loansToCSV(generateLoans({ rows: 500, seed: 4 })));
  });

  it('generateLoans applies the documented decision rule row by row', () => {
    const d = generateLoans({ rows: 2000, seed: 9 }).columns;
    for (let i = 0; i < 2000; i++) {
      const t = d.sex[i] === 'female' ? LOAN_PARAMETERS.femaleThreshold : LOAN_PARAMETERS.threshold;
      expect(d.approved[i]).toBe(d.score[i]! >= t ? 1 : 0);
    }
  });
});

describe('fairwatch demo', () => {
  it('fairwatch demo finds the injected bias and miscalibration in the file it writes', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fairwatch-demo-'));
    const io = capture();
    const code = await main(['demo', '--rows', '20000', '--seed', '5', '--out', out, '--format', 'json'], io);
    expect(code).toBe(0);
    const doc = JSON.parse(io.out);
    expect(JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8'))).toEqual(doc);
    const [separate] = doc.audits;
    const sex = separate.results.find((r: { attributes: string[] }) => r.attributes[0] === 'sex');
    const female = sex.groups.find((g: { label: string }) => g.label === 'female');
    const male = sex.groups.find((g: { label: string }) => g.label === 'male');
    // Known answer: same creditworthiness, stricter threshold for women.
    expect(female.selectionRate).toBeLessThan(male.selectionRate);
    expect(female.tpr).toBeLessThan(male.tpr);
    expect(Math.abs(female.baseRate - male.baseRate)).toBeLessThan(0.03);
    expect(sex.disparities.disparateImpact).toBeLessThan(0.8);
    // Known answer: over-confident scores for 50+.
    const age = separate.results.find((r: { attributes: string[] }) => r.attributes[0] === 'age_band');
    const byEce = [...age.groups].sort((a: { ece: number }, b: { ece: number }) => b.ece - a.ece);
    expect(byEce[0].label).toBe('50+');
    expect(age.groups.find((g: { label: string }) => g.label === '50+').calibrationInTheLarge).toBeGreaterThan(0.05);
    expect(age.groups.map((g: { label: string }) => g.label)).toContain('(missing)');
    // The CSV on disk is the generator's output for that seed.
    expect(readFileSync(join(out, 'loans.csv'), 'utf8')).toBe(loansToCSV(generateLoans({ rows: 20000, seed: 5 })));
    // The Parquet copy holds the same rows (the engine examples of the README read it), and the
    // saved profile covers the README's drift columns.
    const fromParquet = capture();
    expect(await main(['audit', join(out, 'loans.parquet'), '--label', 'repaid', '--prediction', 'approved', '--sensitive', 'sex', '--format', 'json'], fromParquet)).toBe(0);
    const fromCsv = capture();
    expect(await main(['audit', join(out, 'loans.csv'), '--label', 'repaid', '--prediction', 'approved', '--sensitive', 'sex', '--format', 'json'], fromCsv)).toBe(0);
    expect(JSON.parse(fromParquet.out).groups).toEqual(JSON.parse(fromCsv.out).groups);
    const saved = JSON.parse(readFileSync(join(out, 'profile.json'), 'utf8'));
    expect(saved.columns.map((c: { column: string }) => c.column)).toEqual(['income', 'score', 'sex', 'age_band']);
  });

  it('fairwatch demo records findings, risk entries, a statement of applicability and a verified audit trail; a second run writes nothing new', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fairwatch-demo-gov-'));
    const io = capture();
    expect(await main(['demo', '--rows', '20000', '--seed', '5', '--out', out], io)).toBe(0);
    expect(io.out).toContain('Governance (ISO/IEC 42001)');
    expect(io.out).toMatch(/audit  FAIL  run audit-\d{8}-[0-9a-f]{12}/);
    expect(io.out).toMatch(/opened {4}R-[0-9a-f]{12} v1  open  high \(4×4\)  Unfair disparateImpact across sex in example-system/);
    expect(io.out).toMatch(/audit trail: .*audit\.log\.jsonl — 3 lines, intact/);
    const soa = readFileSync(join(out, 'soa.md'), 'utf8');
    expect(soa.split('\n')[0]).toBe('## Statement of applicability (ISO/IEC 42001:2023)');
    expect(soa).toMatch(/\| A\.5\.4 \| [^|]+ \| yes \| [^|]+ \| evidenced \|/);
    // the store holds what the demo printed
    const store = await openStore(join(out, 'store'));
    const open = await store.latestRisks({ status: 'open' });
    expect(open.map((e) => e.metric)).toContain('disparateImpact');
    expect((await store.listRuns()).map((r) => r.kind)).toEqual(['audit', 'drift']);
    expect((await store.readAudit()).map((e) => e.action)).toEqual(['audit.run', 'drift.run', 'soa.export', 'evidence.export']);
    await store.close();
    // the evidence pack: reports included, verified; one changed byte is caught
    expect(io.out).toMatch(/Evidence pack: .*evidence — \d+ files listed in manifest\.json/);
    expect(io.out).toContain('verified: OK');
    const html = readFileSync(join(out, 'evidence', 'reports', 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    const manifest = JSON.parse(readFileSync(join(out, 'evidence', 'manifest.json'), 'utf8'));
    const listed = (manifest.files as { path: string }[]).map((f) => f.path);
    expect(listed).toEqual(expect.arrayContaining(['reports/report.html', 'reports/report.json', 'reports/management-review.md', 'soa/statement.md', 'audit/audit-log.jsonl']));
    const ok = capture();
    expect(await main(['evidence', 'verify', join(out, 'evidence')], ok)).toBe(0);
    const target = join(out, 'evidence', 'soa', 'statement.md');
    writeFileSync(target, readFileSync(target, 'utf8').replace('A.5.4', 'A.5.5'));
    const bad = capture();
    expect(await main(['evidence', 'verify', join(out, 'evidence')], bad)).toBe(3);
    expect(bad.out).toContain('soa/statement.md');
    // again, same folder: the same runs are found, the register does not change; only the SoA export is logged again
    const again = capture();
    expect(await main(['demo', '--rows', '20000', '--seed', '5', '--out', out, '--format', 'json'], again)).toBe(0);
    const doc = JSON.parse(again.out);
    expect(doc.governance.runs.map((r: { kind: string; state: string }) => [r.kind, r.state])).toEqual([['audit', 'already-recorded'], ['drift', 'already-recorded']]);
    expect(doc.governance.auditTrail).toMatchObject({ ok: true, lines: 5 });
    expect(doc.evidence.verified).toBe(true);
    // the monitoring backfill: income drifts on days 3 and 4 by construction; one alert, then its recovery
    expect(doc.monitoring.windows.map((w: { window: string; rows: number }) => [w.window, w.rows])).toEqual(
      ['01', '02', '03', '04', '05'].map((d) => [`day:2026-11-${d}`, 4000]),
    );
    expect(doc.monitoring.alerts.map((e: { type: string; window: { id: string }; rule: string }) => [e.type, e.rule, e.window.id])).toEqual([
      ['fired', 'income-drift', 'day:2026-11-03'],
      ['recovered', 'income-drift', 'day:2026-11-05'],
    ]);
    const sent = readFileSync(join(out, 'monitor', 'alerts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).type);
    expect(sent).toEqual(['fired', 'recovered']);
    expect(readFileSync(join(out, 'monitor', 'report.html'), 'utf8')).toContain('Metric trends');
    const s2 = await openStore(join(out, 'store'));
    expect((await s2.latestRisks()).map((e) => e.version)).toEqual(open.map(() => 1));
    await s2.close();
  });
});
