import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from './capture.js';


// f: y = [1,1,0,0], ŷ = [1,0,1,0], w = [1,2,1,1]; m: y = [1,0], ŷ = [0,0], w = [1,1]; one row without sex.
const CSV = ['y,pred,sex,w', '1,1,f,1', '1,0,f,2', '0,1,f,1', '0,0,f,1', '1,0,m,1', '0,0,m,1', '1,1,,3'].join('\n');

let csv: string;
beforeAll(() => {
  csv = join(mkdtempSync(join(tmpdir(), 'fairwatch-flags-')), 'flags.csv');
  writeFileSync(csv, CSV + '\n');
});

async function run(...extra: string[]) {
  const io = capture();
  const code = await main(['audit', csv, '--label', 'y', '--prediction', 'pred', '--sensitive', 'sex', '--min-group-size', '0', '--format', 'json', ...extra], io);
  return { code, doc: code === 0 ? JSON.parse(io.out) : null, err: io.err };
}

describe('fairwatch audit options', () => {
  it('--weights weights every rate (hand-worked)', async () => {
    const { code, doc } = await run('--weights', 'w');
    expect(code).toBe(0);
    const f = doc.groups.find((g: { label: string }) => g.label === 'f');
    expect(f.count).toBe(4);
    expect(f.weight).toBe(5);
    expect(f.selectionRate).toBeCloseTo(2 / 5, 15); // (1 + 1) / 5
    expect(f.tpr).toBeCloseTo(1 / 3, 15); // 1 / (1 + 2)
  });

  it('missing sensitive values form "(missing)" by default and --missing drop reports the count', async () => {
    const kept = await run();
    expect(kept.doc.groups.map((g: { label: string }) => g.label)).toEqual(['f', 'm', '(missing)']);
    const dropped = await run('--missing', 'drop');
    expect(dropped.doc.groups.map((g: { label: string }) => g.label)).toEqual(['f', 'm']);
    expect(dropped.doc.results[0].dropped).toBe(1);
    expect(dropped.doc.warnings.join(' ')).toContain('1 row(s) dropped');
    const error = await run('--missing', 'error');
    expect(error.code).toBe(2);
    expect(error.err).toContain('row 6');
  });

  it('--compat fairlearn turns the undefined FPR of a group without negatives into 0', async () => {
    // (missing) has one row, y = 1: FPR and TNR are 0/0
    const strict = await run();
    const fl = await run('--compat', 'fairlearn');
    const g = (doc: { groups: { label: string; fpr: number | null }[] }) => doc.groups.find((x) => x.label === '(missing)')!;
    expect(g(strict.doc).fpr).toBeNull();
    expect(g(fl.doc).fpr).toBe(0);
  });

  it('--ci adds Wilson intervals to group rates and seeded bootstrap intervals to disparities', async () => {
    const a = await run('--ci', '--resamples', '100', '--seed', '5');
    const b = await run('--ci', '--resamples', '100', '--seed', '5');
    const f = a.doc.groups[0];
    expect(f.intervals.selectionRate.method).toBe('wilson');
    const d = a.doc.results[0].disparityDetails.demographicParityDifference;
    expect(d.interval.resamples).toBe(100);
    expect(d.interval.seed).toBe(5);
    expect(b.doc.results[0].disparityDetails.demographicParityDifference.interval).toEqual(d.interval);
  });

  it('--max-groups limits distinct sensitive values and names the column', async () => {
    const r = await run('--max-groups', '1');
    expect(r.code).toBe(2);
    expect(r.err).toContain('"sex"');
    expect(r.err).toContain('more than 1 distinct values');
  });
});
