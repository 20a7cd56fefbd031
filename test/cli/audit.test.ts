import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { messages } from '../../src/errors.js';
import { capture } from './capture.js';


// Hand-worked table (8 rows):
// sex f: y = [1,1,0,0], ŷ = [1,0,1,0] -> selection 0.5, tpr 0.5, fpr 0.5
// sex m: y = [1,1,1,0], ŷ = [1,1,1,1] -> selection 1, tpr 1, fpr 1, precision 0.75
// region: n,n,s,s for f and n,s,s,s for m
const CSV = [
  'y,pred,sex,region,score,label_text',
  '1,1,f,n,0.9,yes',
  '1,0,f,n,0.4,yes',
  '0,1,f,s,0.6,no',
  '0,0,f,s,0.1,no',
  '1,1,m,n,0.8,yes',
  '1,1,m,s,0.7,yes',
  '1,1,m,s,0.95,yes',
  '0,1,m,s,0.55,no',
].join('\n');

let dir: string;
let csv: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fairwatch-cli-'));
  csv = join(dir, 'hand.csv');
  writeFileSync(csv, CSV + '\n');
});

describe('fairwatch audit', () => {
  it('fairwatch audit --format json prints rows, groups and disparities with the hand-worked values', async () => {
    const io = capture();
    const code = await main(['audit', csv, '--label', 'y', '--prediction', 'pred', '--sensitive', 'sex,region', '--min-group-size', '1', '--format', 'json'], io);
    expect(code).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.rows).toBe(8);
    const f = doc.groups.find((g: { group: Record<string, string> }) => g.group.sex === 'f');
    expect(f.group).toEqual({ sex: 'f' });
    expect([f.count, f.selectionRate, f.tpr, f.fpr, f.precision]).toEqual([4, 0.5, 0.5, 0.5, 0.5]);
    const m = doc.groups.find((g: { group: Record<string, string> }) => g.group.sex === 'm');
    expect([m.selectionRate, m.tpr, m.fpr, m.precision, m.npv]).toEqual([1, 1, 1, 0.75, null]);
    expect(m.undefinedReasons.npv).toBe('the group has no negative predictions');
    const sexDisparities = doc.disparities.find((d: { attributes: string[] }) => d.attributes.join() === 'sex');
    expect(sexDisparities).toMatchObject({
      demographicParityDifference: 0.5,
      demographicParityRatio: 0.5,
      equalizedOddsDifference: 0.5,
      equalizedOddsRatio: 0.5,
      equalOpportunityDifference: 0.5,
      equalOpportunityRatio: 0.5,
    });
    expect(doc.disparities.map((d: { attributes: string[] }) => d.attributes)).toEqual([['sex'], ['region']]);
  });

  it('fairwatch audit --intersect reports the cross product with every column in group', async () => {
    const io = capture();
    const code = await main(['audit', csv, '--label', 'y', '--prediction', 'pred', '--sensitive', 'sex,region', '--intersect', '--min-group-size', '1', '--format', 'json'], io);
    expect(code).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.groups.map((g: { group: object }) => g.group)).toEqual([
      { sex: 'f', region: 'n' },
      { sex: 'f', region: 's' },
      { sex: 'm', region: 'n' },
      { sex: 'm', region: 's' },
    ]);
    // m & s: y = [1,1,0], ŷ = [1,1,1] -> fpr 1; f & s: y = [0,0], ŷ = [1,0] -> fpr 0.5, tpr undefined
    const fs = doc.groups[1];
    expect(fs.tpr).toBeNull();
    expect(fs.fpr).toBe(0.5);
    expect(doc.disparities[0].attributes).toEqual(['sex', 'region']);
  });

  it('fairwatch audit --score --threshold derives predictions and reports calibration', async () => {
    const io = capture();
    const code = await main(['audit', csv, '--label', 'label_text', '--positive-label', 'yes', '--score', 'score', '--threshold', '0.5', '--sensitive', 'sex', '--min-group-size', '1', '--format', 'json'], io);
    expect(code).toBe(0);
    const doc = JSON.parse(io.out);
    // f: scores 0.9, 0.4, 0.6, 0.1 -> ŷ = 1,0,1,0; labels yes,yes,no,no
    const f = doc.groups[0];
    expect(f.selectionRate).toBe(0.5);
    // Brier of f by hand: (0.1² + 0.6² + 0.6² + 0.1²) / 4 = 0.185
    expect(f.brier).toBeCloseTo(0.185, 12);
    // AUC of f by hand: positives {0.9, 0.4}, negatives {0.6, 0.1}: pairs won 3 of 4
    expect(f.auc).toBe(0.75);
  });

  it('fairwatch audit reads Parquet files', async () => {
    const parquet = join(dir, 'hand.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    await con.run(`COPY (SELECT * FROM read_csv('${csv}', header = true)) TO '${parquet}' (FORMAT PARQUET)`);
    con.closeSync();
    const io = capture();
    const code = await main(['audit', parquet, '--label', 'y', '--prediction', 'pred', '--sensitive', 'sex', '--min-group-size', '1', '--format', 'json'], io);
    expect(code).toBe(0);
    expect(JSON.parse(io.out).disparities[0].demographicParityDifference).toBe(0.5);
  });

  it('fairwatch audit --format text and md print tables', async () => {
    const text = capture();
    expect(await main(['audit', csv, '--label', 'y', '--prediction', 'pred', '--sensitive', 'sex'], text)).toBe(0);
    expect(text.out).toContain('demographicParityDifference');
    expect(text.out).toMatch(/fewer than 30 rows/);
    const md = capture();
    expect(await main(['audit', csv, '--label', 'y', '--prediction', 'pred', '--sensitive', 'sex', '--format', 'md'], md)).toBe(0);
    expect(md.out).toMatch(/^\|/m);
  });

  it('fairwatch audit exits 2 naming the column when a column is missing', async () => {
    const io = capture();
    const code = await main(['audit', csv, '--label', 'nope', '--prediction', 'pred', '--sensitive', 'sex'], io);
    expect(code).toBe(2);
    expect(io.err).toContain('"nope"');
  });

  it('fairwatch audit exits 2 for a label that is not binary, naming the column', async () => {
    const io = capture();
    const code = await main(['audit', csv, '--label', 'region', '--prediction', 'pred', '--sensitive', 'sex'], io);
    expect(code).toBe(2);
    expect(io.err).toContain(messages.notBinary('audit', 'region', ['n', 's']));
  });

  it('fairwatch audit exits 2 for bad usage and for a missing file', async () => {
    const a = capture();
    expect(await main(['audit', csv, '--prediction', 'pred', '--sensitive', 'sex'], a)).toBe(2);
    expect(a.err).toContain('--label');
    const b = capture();
    expect(await main(['audit', join(dir, 'absent.csv'), '--label', 'y', '--prediction', 'pred', '--sensitive', 'sex'], b)).toBe(2);
    expect(b.err).toContain('does not exist');
    const c = capture();
    expect(await main(['audit', csv, '--label', 'y', '--score', 'score', '--sensitive', 'sex'], c)).toBe(2);
    expect(c.err).toContain('--threshold');
    const d = capture();
    expect(await main(['audit', csv, '--label', 'y', '--prediction', 'pred', '--sensitive', 'sex', '--min-group-size', 'x'], d)).toBe(2);
  });

  it('fairwatch --help exits 0', async () => {
    const io = capture();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out).toContain('audit');
  });
});
