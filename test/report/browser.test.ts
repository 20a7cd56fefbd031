/**
 * The HTML report in a real browser: headless Chromium (Debian's package, driven by
 * playwright-core) opens a report generated from a store with real audit and drift runs
 * (test/report/fixtures.ts), and we check that every chart rendered (an SVG with marks), that
 * there are no console errors, that no request leaves the page (only the file itself is loaded),
 * and that a group named <script>alert(1)</script> is text (no dialog, no script element).
 * Screenshots go to test-artifacts/; with FAIRWATCH_UPDATE_SCREENSHOT=1 one is copied to docs/report-screenshot.png for the README.
 *
 * Chromium missing: under CI=true the test fails saying why; otherwise it is skipped with the
 * reason in its name (install with .ci/chromium.sh).
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build.js';
import { chromiumPath, launchChromium } from '../../src/report/pdf.js';
import { reportToHTML } from '../../src/report/writers.js';
import { openStore } from '../../src/store/index.js';
import { SCRIPT_GROUP, storeWithRuns } from './fixtures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = chromiumPath();
const reason = existsSync(CHROMIUM) ? null : `Chromium not found at ${CHROMIUM} (install it with .ci/chromium.sh or apt-get install -y chromium; or set FAIRWATCH_CHROMIUM)`;

function itWithChromium(name: string, fn: () => Promise<void>, timeout?: number): void {
  if (reason === null) it(name, fn, timeout);
  else if (process.env.CI) {
    it(name, () => {
      throw new Error(`${reason} (CI is set, so this is a failure, not a skip)`);
    });
  } else {
    process.stderr.write(`[browser] skipping the browser test: ${reason}\n`);
    it.skip(`${name} [skipped: ${reason}]`, fn);
  }
}

describe('HTML report in headless Chromium', () => {
  itWithChromium(
    'reportToHTML(buildReport(store)) renders every chart with marks in Chromium, with no console error and no request beyond the file',
    async () => {
      const { dir } = await storeWithRuns({ rows: 4000, days: 3 });
      const store = await openStore(dir);
      let html: string;
      let charts: number;
      try {
        const model = await buildReport({ store });
        charts = model.charts.length;
        html = await reportToHTML(model);
      } finally {
        await store.close();
      }
      mkdirSync(ARTIFACTS, { recursive: true });
      const file = join(ARTIFACTS, 'report.html');
      writeFileSync(file, html);
      const url = pathToFileURL(file).href;

      const browser = await launchChromium();
      try {
        const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
        const page = await context.newPage();
        const requests: string[] = [];
        const consoleErrors: string[] = [];
        const dialogs: string[] = [];
        // observe every request, and let only the report file itself through
        await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
        page.on('request', (r) => requests.push(r.url()));
        page.on('console', (m) => {
          if (m.type() === 'error') consoleErrors.push(m.text());
        });
        page.on('pageerror', (e) => consoleErrors.push(String(e)));
        page.on('dialog', (d) => {
          dialogs.push(d.message());
          void d.dismiss();
        });
        await page.goto(url, { waitUntil: 'load' });

        const figures = page.locator('figure.chart');
        expect(await figures.count()).toBe(charts);
        expect(charts).toBeGreaterThanOrEqual(6);
        const perFigure = await figures.evaluateAll((els) =>
          els.map((el) => {
            const svg = el.querySelector('svg');
            const box = svg?.getBoundingClientRect();
            return {
              id: el.id,
              svg: !!svg,
              width: box?.width ?? 0,
              height: box?.height ?? 0,
              marks: svg ? svg.querySelectorAll('g[class*="mark-"] path, g[class*="mark-"] line, g[class*="mark-"] rect').length : 0,
            };
          }),
        );
        for (const f of perFigure) {
          expect(f.svg, f.id).toBe(true);
          expect(f.width, f.id).toBeGreaterThan(50);
          expect(f.height, f.id).toBeGreaterThan(50);
          expect(f.marks, f.id).toBeGreaterThan(3);
        }
        // the hostile group name is text, in the table and in the chart's axis labels
        expect(await page.locator('script').count()).toBe(0);
        expect(await page.locator('td', { hasText: SCRIPT_GROUP }).count()).toBeGreaterThan(0);
        expect(await page.locator('svg text', { hasText: '<script>alert(1)' }).count()).toBeGreaterThan(0);
        expect(dialogs).toEqual([]);
        expect(consoleErrors).toEqual([]);
        expect(requests).toEqual([url]);

        await page.screenshot({ path: join(ARTIFACTS, 'report-full.png'), fullPage: true });
        await page.locator('#fairness').scrollIntoViewIfNeeded();
        const shot = join(ARTIFACTS, 'report-top.png');
        await page.screenshot({ path: shot, clip: { x: 0, y: 0, width: 1200, height: 1400 }, fullPage: true });
        // the README's screenshot is refreshed on request only (the report's timestamp changes every run)
        if (process.env.FAIRWATCH_UPDATE_SCREENSHOT === '1') {
          mkdirSync(join(ROOT, 'docs'), { recursive: true });
          copyFileSync(shot, join(ROOT, 'docs', 'report-screenshot.png'));
        }
        expect(existsSync(join(ARTIFACTS, 'report-full.png'))).toBe(true);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
