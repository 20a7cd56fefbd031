/**
 * `--policy` / `--store` through the CLI entry point: the audit and the drift comparison of
 * seeded loans (one group with a lower selection rate by construction, income shifted by
 * construction) are judged by the shipped default policy, recorded, and the run fails (exit 3).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { generateLoans, loansToCSV } from '../../src/datasets/loans.js';
import { defaultPolicyPath } from '../../src/governance/policy.js';
import { capture } from './capture.js';


let dir: string;
let csv: string;
let later: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fairwatch-policy-cli-'));
  csv = join(dir, 'loans.csv');
  later = join(dir, 'later.csv');
  writeFileSync(csv, loansToCSV(generateLoans({ rows: 20_000, seed: 3 })));
  writeFileSync(later, loansToCSV(generateLoans({ rows: 20_000, seed: 4, incomeShift: 0.3 })));
});

describe('fairwatch audit|drift --policy --store', () => {
  it('audit --policy records the run and opens risk entries; disparate impact by sex fails the four-fifths rule (exit 3)', async () => {
    const store = join(dir, 'store-a');
    const io = capture();
    expect(await main(['audit', csv, '--label', 'repaid', '--prediction', 'approved', '--sensitive', 'sex', '--policy', defaultPolicyPath(), '--store', store, '--format', 'json'], io)).toBe(3);
    const doc = JSON.parse(io.out);
    expect(doc.kind).toBe('fairwatch.evaluation');
    const di = doc.findings.findings.find((f: { metric: string; scope: { attributes: string[] } }) => f.metric === 'disparateImpact' && f.scope.attributes[0] === 'sex');
    // the female threshold (0.65) is above the male one by construction: selection ratio below 0.8
    expect(di.status).toBe('fail');
    expect(di.value).toBeLessThan(0.8);
    const list = capture();
    expect(await main(['risk', 'list', '--store', store, '--format', 'json'], list)).toBe(0);
    expect(list.out).toContain('disparateImpact');
    const verify = capture();
    expect(await main(['log', 'verify', '--store', store], verify)).toBe(0);
  });

  it('drift --engine duckdb --policy records a failing drift run for the shifted income (exit 3)', async () => {
    const store = join(dir, 'store-b');
    const io = capture();
    const code = await main(['drift', '--reference', csv, '--engine', 'duckdb', '--source', later, '--columns', 'income,score', '--policy', defaultPolicyPath(), '--store', store, '--format', 'json'], io);
    expect(code).toBe(3);
    const doc = JSON.parse(io.out);
    expect(doc.result.driftedColumns).toEqual(['income']);
    expect(doc.findings.findings.some((f: { status: string; scope: { column?: string } }) => f.status === 'fail' && f.scope.column === 'income')).toBe(true);
    const verify = capture();
    expect(await main(['log', 'verify', '--store', store], verify)).toBe(0);
  });
});
