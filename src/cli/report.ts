/**
 * `fairwatch report` and `fairwatch review`: the report of the store's runs (a period, one run,
 * or what concerns one control) as HTML, Markdown or JSON, optionally printed to PDF by Chromium;
 * and the management-review summary (ISO/IEC 42001 clause 9.3) of a period.
 *
 * Without `--out` the document goes to stdout (a view; not logged). With `--out file` (and
 * `--pdf file`) it is written atomically and the export is logged in the audit trail
 * (`report.export` / `review.export`: inputs = digests of the runs and findings it rests on,
 * outputs = each file's sha256; details = format, period, files). A review's period in the audit
 * line is what the next review counts changes from.
 *
 * @example
 * ```sh
 * fairwatch report --store .fairwatch --period 2026-01-01..2026-03-31 --format html --out evidence/report.html --pdf evidence/report.pdf
 * fairwatch review --period 2026-01-01..2026-03-31 --format md --out evidence/review.md
 * ```
 */
import { basename } from 'node:path';
import { InputError, messages } from '../errors.js';
import { digestJSON, sha256Hex } from '../governance/digest.js';
import { parsePeriod } from '../governance/soa.js';
import { writeFileAtomic } from '../io/atomic.js';
import { buildReport } from '../report/build.js';
import { htmlToPDF } from '../report/pdf.js';
import { managementReview, reviewToHTML, reviewToJSON, reviewToMarkdown } from '../report/review.js';
import { reportToHTML, reportToJSON, reportToMarkdown } from '../report/writers.js';
import { openStore } from '../store/index.js';
import { EXIT, type CliIO } from './main.js';

/** Typed arguments of `fairwatch report`. */
export interface ReportArgs {
  store?: string;
  /** `from..to`. */
  period?: string;
  run?: string;
  control?: string;
  format?: 'html' | 'md' | 'json';
  out?: string;
  pdf?: string;
  /** Time of the report (default now). */
  now?: Date | string;
}

/** Typed arguments of `fairwatch review`. */
export interface ReviewArgs {
  store?: string;
  /** `from..to` (default: the 90 days up to today). */
  period?: string;
  format?: 'html' | 'md' | 'json';
  out?: string;
  now?: Date | string;
}

const FORMATS = ['html', 'md', 'json'] as const;

function checkFormat(fn: string, format: unknown): 'html' | 'md' | 'json' {
  if (format === undefined) return 'html';
  if (!(FORMATS as readonly unknown[]).includes(format)) throw new InputError(messages.badOption(fn, '--format', format, 'html, md or json'), 'badOption');
  return format as 'html' | 'md' | 'json';
}

/**
 * Typed report arguments from commander's options.
 *
 * @example
 * ```ts
 * reportArgsFromCli({ period: '2026-01-01..2026-03-31', format: 'md' }); // { period: '2026-01-01..2026-03-31', format: 'md' }
 * ```
 */
export function reportArgsFromCli(o: Record<string, unknown>): ReportArgs {
  const s = (k: string) => (o[k] === undefined ? {} : { [k]: String(o[k]) });
  return { ...s('store'), ...s('period'), ...s('run'), ...s('control'), format: checkFormat('report', o.format), ...s('out'), ...s('pdf') };
}

/**
 * Typed review arguments from commander's options.
 *
 * @example
 * ```ts
 * reviewArgsFromCli({ period: '2026-01-01..2026-03-31' }).format; // 'html'
 * ```
 */
export function reviewArgsFromCli(o: Record<string, unknown>): ReviewArgs {
  const s = (k: string) => (o[k] === undefined ? {} : { [k]: String(o[k]) });
  return { ...s('store'), ...s('period'), format: checkFormat('review', o.format), ...s('out') };
}

/**
 * Run `fairwatch report`; returns the exit code (0).
 *
 * @example
 * ```ts
 * await runReport({ store: '.fairwatch', format: 'html', out: 'report.html' }, io); // 0; stderr 'wrote report.html (…)'
 * ```
 */
export async function runReport(args: ReportArgs, io: CliIO): Promise<number> {
  const format = checkFormat('report', args.format);
  if (args.period !== undefined) parsePeriod(args.period); // bad usage before opening the store
  const store = await openStore(args.store);
  try {
    const model = await buildReport({
      store,
      ...(args.period !== undefined ? { period: args.period } : {}),
      ...(args.run !== undefined ? { run: args.run } : {}),
      ...(args.control !== undefined ? { control: args.control } : {}),
      ...(args.now !== undefined ? { now: args.now } : {}),
    });
    const html = format === 'html' || args.pdf !== undefined ? await reportToHTML(model) : '';
    const text = format === 'html' ? html : format === 'md' ? reportToMarkdown(model) : reportToJSON(model);
    const pdf = args.pdf !== undefined ? await htmlToPDF(html) : undefined;
    if (args.out === undefined && args.pdf === undefined) {
      io.stdout(text);
      return EXIT.ok;
    }
    if (args.out === undefined) io.stdout(text);
    const outputs: Record<string, string> = {};
    const files: string[] = [];
    if (args.out !== undefined) {
      await writeFileAtomic(args.out, text);
      outputs[basename(args.out)] = sha256Hex(text);
      files.push(args.out);
    }
    if (args.pdf !== undefined && pdf) {
      await writeFileAtomic(args.pdf, pdf);
      outputs[basename(args.pdf)] = sha256Hex(pdf);
      files.push(args.pdf);
    }
    await store.appendAudit({
      action: 'report.export',
      inputs: { runs: digestJSON(model.manifest.runs), findings: digestJSON(model.findings) },
      outputs,
      details: { format, files, period: model.period, run: model.filter.run, control: model.filter.control, verdict: model.summary.verdict, runs: model.manifest.runs.map((r) => r.id) },
    });
    io.stderr(`wrote ${files.join(' and ')} (${model.summary.verdict}: ${model.findings.length} findings, ${model.charts.length} charts, ${model.risks.length} risk entries)\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

const DAY = 86_400_000;

/**
 * Run `fairwatch review`; returns the exit code (0).
 *
 * @example
 * ```ts
 * await runReview({ period: '2026-01-01..2026-03-31', format: 'md', out: 'review.md' }, io); // 0
 * ```
 */
export async function runReview(args: ReviewArgs, io: CliIO): Promise<number> {
  const format = checkFormat('review', args.format);
  const now = new Date(args.now ?? Date.now());
  const period = parsePeriod(args.period ?? `${new Date(now.getTime() - 90 * DAY).toISOString().slice(0, 10)}..${now.toISOString().slice(0, 10)}`);
  const store = await openStore(args.store);
  try {
    const review = await managementReview(store, period, { now });
    const text = format === 'html' ? await reviewToHTML(review) : format === 'md' ? reviewToMarkdown(review) : reviewToJSON(review);
    if (args.out === undefined) {
      io.stdout(text);
      return EXIT.ok;
    }
    await writeFileAtomic(args.out, text);
    await store.appendAudit({
      action: 'review.export',
      inputs: { changes: digestJSON(review.changes), alerts: digestJSON(review.alerts) },
      outputs: { [basename(args.out)]: sha256Hex(text) },
      details: { format, file: args.out, period: review.period, since: review.since, decisions: review.decisions.length },
    });
    io.stderr(`wrote ${args.out} (${review.summary.decisions} decision(s) needed, ${review.summary.alerts} alert(s), ${review.changes.length} risk change(s))\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
