import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type CliIO } from '../../src/cli/main.js';
import { generateLoans, LOAN_PARAMETERS, loansToCSV } from '../../src/datasets/loans.js';

function capture(): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

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
  });
});
