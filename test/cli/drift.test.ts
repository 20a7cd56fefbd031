import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { generateLoans, loansToCSV } from '../../src/datasets/loans.js';
import { capture } from './capture.js';


let dir: string;
let ref: string;
let cur: string;
let same: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fairwatch-drift-'));
  ref = join(dir, 'ref.csv');
  cur = join(dir, 'cur.csv');
  same = join(dir, 'same.csv');
  writeFileSync(ref, loansToCSV(generateLoans({ rows: 5000, seed: 1 })));
  writeFileSync(cur, loansToCSV(generateLoans({ rows: 5000, seed: 2, incomeShift: 0.3 })));
  writeFileSync(same, loansToCSV(generateLoans({ rows: 5000, seed: 3 })));
});

const FIELDS = [
  'column', 'type', 'test', 'drifted', 'status', 'psi', 'jensenShannon', 'ksStatistic', 'ksPValue', 'wasserstein', 'wassersteinNormed',
  'chiSquare', 'chiSquarePValue', 'hellinger', 'kl', 'tvd', 'missingShareReference', 'missingShareCurrent', 'unseenShare',
];

describe('fairwatch drift', () => {
  it('fairwatch drift --format json finds the injected income drift and only it', async () => {
    const io = capture();
    const code = await main(['drift', '--reference', ref, '--current', cur, '--columns', 'income,score,sex,age_band', '--format', 'json'], io);
    expect(code).toBe(0);
    const doc = JSON.parse(io.out);
    for (const c of doc.columns) for (const f of FIELDS) expect(c).toHaveProperty(f);
    const drifted = doc.columns.filter((c: { drifted: boolean }) => c.drifted).map((c: { column: string }) => c.column);
    expect(drifted).toEqual(['income']);
    expect(doc.driftShare).toBe(0.25);
    expect(doc.datasetDrift).toBe(false);
    const sex = doc.columns.find((c: { column: string }) => c.column === 'sex');
    expect(sex.ksStatistic).toBeNull();
    expect(sex.chiSquare).not.toBeNull();
  });

  it('fairwatch profile then drift against the profile gives the same columns as against the file', async () => {
    const out = join(dir, 'profile.json');
    expect(await main(['profile', ref, '--out', out], capture())).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).kind).toBe('fairwatch.profile');
    const a = capture();
    const b = capture();
    await main(['drift', '--reference', ref, '--current', cur, '--format', 'json'], a);
    await main(['drift', '--reference', out, '--current', cur, '--format', 'json'], b);
    expect(JSON.parse(b.out).columns).toEqual(JSON.parse(a.out).columns);
  });

  it('fairwatch drift --fail-on-drift exits 3 on dataset drift and 0 without it', async () => {
    expect(await main(['drift', '--reference', ref, '--current', cur, '--columns', 'income', '--fail-on-drift'], capture())).toBe(3);
    expect(await main(['drift', '--reference', ref, '--current', same, '--columns', 'income,score', '--fail-on-drift'], capture())).toBe(0);
  });

  it('fairwatch drift --by compares within each group', async () => {
    const io = capture();
    expect(await main(['drift', '--reference', ref, '--current', cur, '--columns', 'income', '--by', 'sex', '--format', 'json'], io)).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.by.groups.map((g: { group: string }) => g.group)).toEqual(['female', 'male']);
    expect(doc.by.groups.every((g: { report: { columns: { drifted: boolean }[] } }) => g.report.columns[0]!.drifted)).toBe(true);
  });

  it('fairwatch drift exits 2 naming a missing column', async () => {
    const io = capture();
    expect(await main(['drift', '--reference', ref, '--current', cur, '--columns', 'nope'], io)).toBe(2);
    expect(io.err).toContain('"nope"');
  });
});

describe('fairwatch drift --types', () => {
  it('--types overrides the inferred kind of a column', async () => {
    const io = capture();
    expect(await main(['drift', '--reference', ref, '--current', cur, '--columns', 'repaid', '--types', 'repaid=categorical', '--format', 'json'], io)).toBe(0);
    expect(JSON.parse(io.out).columns[0].type).toBe('categorical');
    const bad = capture();
    expect(await main(['drift', '--reference', ref, '--current', cur, '--types', 'repaid=text'], bad)).toBe(2);
    expect(bad.err).toContain('--types');
  });
});

describe('fairwatch drift --tests', () => {
  it('--tests sets the deciding test and threshold of a column', async () => {
    const io = capture();
    expect(await main(['drift', '--reference', ref, '--current', cur, '--columns', 'income', '--tests', 'income=psi:0.5', '--format', 'json'], io)).toBe(0);
    const c = JSON.parse(io.out).columns[0];
    expect([c.test, c.threshold]).toEqual(['psi', 0.5]);
    // PSI of the injected shift is about 0.3-0.4: below 0.5, so no drift by this rule
    expect(c.drifted).toBe(c.psi >= 0.5);
    const bad = capture();
    expect(await main(['drift', '--reference', ref, '--current', cur, '--tests', 'income=magic'], bad)).toBe(2);
    expect(bad.err).toContain('--tests');
  });
});
