/**
 * `fairwatch gap`: the gap assessment, the first step toward certification. For every clause
 * 4–10 and Annex A control it reports the evidence the store holds for the period (findings,
 * risk entries, policies, data fingerprints, audit-trail lines, exported reports, with dates and
 * digests), what is missing or stale, and a readiness summary. Organisational entries are
 * questions; `--answers file.yaml` (template: `reports/policies/gap-questions.default.yaml`)
 * gives the organisation's answers, shown as answers, never as toolkit evidence.
 *
 * `--period <from>..<to>` defaults to the twelve months up to today; `--max-age <days>` (default
 * 90) is how old the newest evidence may be before it counts as stale. With `--out file` the
 * assessment is written atomically and logged in the audit trail (`gap.export`).
 *
 * @example
 * ```sh
 * fairwatch gap --period 2026-01-01..2026-03-31 --answers answers.yaml --format md --out evidence/gap.md
 * ```
 */
import { basename } from 'node:path';
import { InputError, messages } from '../errors.js';
import { loadCatalogue } from '../governance/catalogue.js';
import { digestJSON, sha256Hex } from '../governance/digest.js';
import { formatGap, gapAssessment, loadApplicability, loadGapAnswers, parsePeriod } from '../governance/soa.js';
import { writeFileAtomic } from '../io/atomic.js';
import { storeEvidence } from '../store/evidence.js';
import { openStore } from '../store/index.js';
import { EXIT, type CliIO } from './main.js';

/** Typed arguments of `fairwatch gap`. */
export interface GapArgs {
  /** `from..to` (ISO dates or times); default the twelve months up to `now`. */
  period?: string;
  /** The organisation's answers to the organisational questions (default: the unanswered template). */
  answers?: string;
  /** The applicability file: controls stated not applicable are reported as such. */
  applicability?: string;
  /** Days after which the newest evidence is stale (default 90). */
  maxAgeDays?: number;
  store?: string;
  format?: 'text' | 'json' | 'md';
  out?: string;
  /** Time of the assessment (default now). */
  now?: Date | string;
}

/**
 * The default period: the twelve months (365 days) up to `now`, as `from..to` dates.
 *
 * @example
 * ```ts
 * defaultGapPeriod('2026-04-01T12:00:00Z'); // '2025-04-01..2026-04-01'
 * ```
 */
export function defaultGapPeriod(now: Date | string): string {
  const to = new Date(now);
  const from = new Date(to.getTime() - 365 * 86_400_000);
  return `${from.toISOString().slice(0, 10)}..${to.toISOString().slice(0, 10)}`;
}

/**
 * Commander's option bag for `fairwatch gap` as typed {@link GapArgs}.
 *
 * @example
 * ```ts
 * gapArgsFromCli({ period: '2026-01-01..2026-03-31', maxAge: '30' }).maxAgeDays; // 30
 * gapArgsFromCli({ maxAge: '0' }); // throws InputError: gap: option --max-age = "0" is invalid; ...
 * ```
 */
export function gapArgsFromCli(o: Record<string, unknown>): GapArgs {
  const args: GapArgs = {};
  if (o.period !== undefined) {
    parsePeriod(String(o.period)); // fail early with the catalogue message
    args.period = String(o.period);
  }
  if (o.answers !== undefined) args.answers = String(o.answers);
  if (o.applicability !== undefined) args.applicability = String(o.applicability);
  if (o.maxAge !== undefined) {
    const n = Number(o.maxAge);
    if (String(o.maxAge).trim() === '' || !Number.isInteger(n) || n < 1) throw new InputError(messages.badOption('gap', '--max-age', o.maxAge, 'a whole number of days >= 1'), 'badOption');
    args.maxAgeDays = n;
  }
  if (o.store !== undefined) args.store = String(o.store);
  if (o.format !== undefined) args.format = o.format as GapArgs['format'];
  if (o.out !== undefined) args.out = String(o.out);
  return args;
}

/**
 * Run `fairwatch gap`; returns the exit code (0).
 *
 * @example
 * ```ts
 * await runGap({ period: '2026-01-01..2026-03-31', format: 'json' }, io); // 0; stdout: { "kind": "fairwatch.gap", ... }
 * ```
 */
export async function runGap(args: GapArgs, io: CliIO): Promise<number> {
  const format = args.format ?? 'text';
  const now = new Date(args.now ?? Date.now());
  const period = args.period ?? defaultGapPeriod(now);
  const answers = loadGapAnswers(args.answers);
  const applicability = args.applicability !== undefined ? loadApplicability(args.applicability) : undefined;
  const store = await openStore(args.store);
  try {
    const evidence = await storeEvidence(store);
    const gap = gapAssessment({
      catalogue: loadCatalogue(),
      evidence: evidence.items,
      answers,
      period,
      now,
      ...(args.maxAgeDays !== undefined ? { maxAgeDays: args.maxAgeDays } : {}),
      ...(applicability ? { applicability } : {}),
    });
    const trail = evidence.audit.ok ? '' : ` The audit trail FAILS verification (${evidence.audit.problem?.kind} at line ${evidence.audit.problem?.line}), so its lines are not used as evidence.`;
    const source = `Evidence from the store ${store.target}.${trail}`;
    let text: string;
    if (format === 'json') text = JSON.stringify({ ...gap, store: store.target, auditTrail: evidence.audit }, null, 2) + '\n';
    else {
      const [title, ...rest] = formatGap(gap, format).split('\n');
      text = (format === 'md' ? [title, '', source, ...rest] : [title, source, ...rest]).join('\n') + '\n';
    }
    if (args.out === undefined) {
      io.stdout(text);
      return EXIT.ok;
    }
    await writeFileAtomic(args.out, text);
    await store.appendAudit({
      action: 'gap.export',
      inputs: { answers: digestJSON(answers), evidence: digestJSON(evidence.items) },
      outputs: { [basename(args.out)]: sha256Hex(text) },
      details: { format, file: args.out, period: gap.period, readyPercent: gap.summary.all.readyPercent },
    });
    io.stderr(`wrote ${args.out} (${gap.summary.all.readyPercent ?? 'n/a'}% ready)\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
