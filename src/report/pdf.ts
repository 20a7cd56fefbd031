/**
 * PDF of an HTML report, printed by headless Chromium driven through `playwright-core` (Debian's
 * `chromium` package; never a browser download). The page is loaded with every network request
 * aborted. When Chromium or `playwright-core` is missing the error says so and what to do
 * (`EngineError` 'chromiumNotFound' / 'playwrightMissing'); the HTML report itself needs neither.
 *
 * @example
 * ```ts
 * const pdf = await htmlToPDF(await reportToHTML(model)); // Uint8Array, starts with '%PDF-'
 * ```
 */
import { existsSync } from 'node:fs';
import { EngineError, messages } from '../errors.js';

/**
 * Chromium flags: headless, no sandbox (containers), no GPU, and nothing that reaches the network
 * on its own (background networking, component updates, first-run tasks).
 *
 * @example
 * ```ts
 * CHROMIUM_ARGS.includes('--disable-background-networking'); // true
 * ```
 */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] as const;

/**
 * Where Chromium is: `FAIRWATCH_CHROMIUM`, else Debian's `/usr/bin/chromium`.
 *
 * @example
 * ```ts
 * chromiumPath(); // '/usr/bin/chromium'
 * ```
 */
export function chromiumPath(): string {
  return process.env.FAIRWATCH_CHROMIUM?.trim() || '/usr/bin/chromium';
}

/** Options of {@link htmlToPDF}. */
export interface PdfOptions {
  /** Chromium executable (default {@link chromiumPath}). */
  executablePath?: string;
  /** Paper format (default 'A4'). */
  format?: 'A4' | 'Letter';
}

type Browser = import('playwright-core').Browser;

/**
 * Launch headless Chromium with {@link CHROMIUM_ARGS}; throws `EngineError` when the executable
 * or `playwright-core` is missing.
 *
 * @example
 * ```ts
 * const browser = await launchChromium();
 * try { const page = await browser.newPage(); } finally { await browser.close(); }
 * ```
 */
export async function launchChromium(executablePath: string = chromiumPath(), fn = 'launchChromium'): Promise<Browser> {
  if (!existsSync(executablePath)) throw new EngineError(messages.chromiumNotFound(fn, executablePath), 'chromiumNotFound', { executablePath });
  let pw: typeof import('playwright-core');
  try {
    pw = await import('playwright-core');
  } catch (err) {
    throw new EngineError(messages.playwrightMissing(fn, (err as Error)?.message ?? String(err)), 'playwrightMissing');
  }
  return pw.chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
}

/**
 * Print an HTML page to PDF with headless Chromium (every request the page would make is aborted;
 * a fairwatch report makes none). Throws `EngineError` ('chromiumNotFound', 'playwrightMissing',
 * 'pdfFailed').
 *
 * @example
 * ```ts
 * const pdf = await htmlToPDF('<!doctype html><p>hello</p>');
 * Buffer.from(pdf.subarray(0, 5)).toString(); // '%PDF-'
 * ```
 */
export async function htmlToPDF(html: string, options: PdfOptions = {}): Promise<Uint8Array> {
  const fn = 'htmlToPDF';
  const browser = await launchChromium(options.executablePath ?? chromiumPath(), fn);
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({ format: options.format ?? 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
    return new Uint8Array(pdf);
  } catch (err) {
    throw new EngineError(messages.pdfFailed(fn, (err as Error)?.message ?? String(err)), 'pdfFailed');
  } finally {
    await browser.close();
  }
}
