/**
 * `fairwatch report` and `fairwatch review` through the CLI entry point, on a store with real runs:
 * atomic writes, the `report.export` / `review.export` audit lines with the files' sha256, the
 * trail still verifying, a review counting changes from the previous one, and --pdf with and
 * without Chromium.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { messages } from '../../src/errors.js';
import { chromiumPath } from '../../src/report/pdf.js';
import { openStore } from '../../src/store/index.js';
import { capture } from '../cli/capture.js';
import { storeWithRuns } from './fixtures.js';

let dir: string;
let out: string;
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  ({ dir } = await storeWithRuns({ rows: 3000, days: 1 }));
  out = mkdtempSync(join(tmpdir(), 'fairwatch-report-cli-'));
}, 60_000);

async function lastAudit() {
  const store = await openStore(dir);
  try {
    return { events: await store.readAudit(), verify: await store.verifyAudit() };
  } finally {
    await store.close();
  }
}

describe('fairwatch report|review', () => {
  it('report --format md --out writes the file atomically and logs report.export with its sha256', async () => {
    const file = join(out, 'r', 'report.md');
    const io = capture();
    expect(await main(['report', '--store', dir, '--period', '2026-03-01..2026-03-31', '--format', 'md', '--out', file], io)).toBe(0);
    const text = readFileSync(file);
    expect(text.toString()).toMatch(/^# fairwatch report: example-system/);
    expect(readdirSync(join(out, 'r'))).toEqual(['report.md']);
    const { events, verify } = await lastAudit();
    const ev = events.at(-1)!;
    expect(ev.action).toBe('report.export');
    expect(ev.outputs).toEqual({ 'report.md': sha(text) });
    expect(ev.details?.period).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-31T23:59:59.999Z' });
    expect(verify.ok).toBe(true);
    expect(io.err).toMatch(/^wrote .*report\.md \(fail: \d+ findings, \d+ charts, \d+ risk entries\)\n$/);
  });

  it('report --format json prints one JSON document on stdout and logs nothing', async () => {
    const before = (await lastAudit()).events.length;
    const io = capture();
    expect(await main(['report', '--store', dir, '--format', 'json'], io)).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.kind).toBe('fairwatch.report');
    expect(doc.manifest.runs.length).toBe(2);
    expect((await lastAudit()).events.length).toBe(before);
  });

  it('report with a reversed period exits 2 with the period message', async () => {
    const io = capture();
    expect(await main(['report', '--store', dir, '--period', '2026-03-31..2026-03-01'], io)).toBe(2);
    expect(io.err).toBe(`fairwatch: ${messages.badPeriod('parsePeriod', '2026-03-31..2026-03-01')}\n`);
  });

  it('review --out twice: the second review of the next period counts changes from the first one', async () => {
    const first = join(out, 'review-q1.md');
    expect(await main(['review', '--store', dir, '--period', '2026-01-01..2026-03-31', '--format', 'md', '--out', first], capture())).toBe(0);
    const text = readFileSync(first, 'utf8');
    expect(text).toContain('## Decisions needed');
    const { events } = await lastAudit();
    expect(events.at(-1)!.action).toBe('review.export');
    expect(events.at(-1)!.outputs).toEqual({ 'review-q1.md': sha(text) });
    const io = capture();
    expect(await main(['review', '--store', dir, '--period', '2026-04-01..2026-06-30', '--format', 'json'], io)).toBe(0);
    const second = JSON.parse(io.out);
    expect(second.previousReview.period).toEqual({ from: '2026-01-01T00:00:00.000Z', to: '2026-03-31T23:59:59.999Z' });
    expect(second.since).toBe('2026-03-31T23:59:59.999Z');
    expect(second.changes).toEqual([]);
  });

  it('report --pdf without Chromium exits 1 with the typed message naming the path', async () => {
    const saved = process.env.FAIRWATCH_CHROMIUM;
    process.env.FAIRWATCH_CHROMIUM = join(out, 'no-chromium');
    try {
      const io = capture();
      expect(await main(['report', '--store', dir, '--pdf', join(out, 'x.pdf')], io)).toBe(1);
      expect(io.err).toBe(`fairwatch: ${messages.chromiumNotFound('htmlToPDF', join(out, 'no-chromium'))}\n`);
      expect(existsSync(join(out, 'x.pdf'))).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.FAIRWATCH_CHROMIUM;
      else process.env.FAIRWATCH_CHROMIUM = saved;
    }
  });

  it.runIf(existsSync(chromiumPath()))('report --out --pdf writes the HTML and a PDF printed by Chromium, both logged', async () => {
    const html = join(out, 'report.html');
    const pdf = join(out, 'report.pdf');
    expect(await main(['report', '--store', dir, '--out', html, '--pdf', pdf], capture())).toBe(0);
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(10_000);
    const ev = (await lastAudit()).events.at(-1)!;
    expect(ev.outputs).toEqual({ 'report.html': sha(readFileSync(html)), 'report.pdf': sha(bytes) });
  }, 60_000);
});
