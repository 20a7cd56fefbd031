/**
 * `fairwatch demo` (also `npm run demo`): generate the seeded synthetic loan data set, write it as
 * CSV, and audit the file exactly as `fairwatch audit` would — by sex, by age band, and by their
 * intersection, with calibration and intervals; then generate a second window with drift injected
 * in income and compare the two. Writes `loans.csv`, `loans-later.csv`, `audit.json` and
 * `audit.md` to the output folder and prints the audit and the drift report.
 *
 * @example
 * ```ts
 * await runDemo({ rows: 100_000, seed: 42, out: 'demo-output', format: 'text' }, io); // 0
 * ```
 */
import { join } from 'node:path';
import { InputError, messages } from '../errors.js';
import { generateLoans, LOAN_PARAMETERS, loansToCSV } from '../datasets/loans.js';
import { driftReport } from '../drift/report.js';
import { audit } from '../fairness/audit.js';
import { writeFileAtomic } from '../io/atomic.js';
import { readTableFile } from '../io/files.js';
import { EXIT, type CliIO } from './main.js';

/**
 * Log-income shift injected into the demo's second window.
 * @example `generateLoans({ rows: 1000, seed: 2, incomeShift: DEMO_INCOME_SHIFT })`
 */
export const DEMO_INCOME_SHIFT = 0.25;

export interface DemoArgs {
  rows: number;
  seed: number;
  out: string;
  format: 'text' | 'json' | 'md';
}

/** Typed demo arguments from commander's options. @example `demoArgsFromCli({ rows: '1000', seed: '1', out: 'x' })` */
export function demoArgsFromCli(o: Record<string, unknown>): DemoArgs {
  const int = (name: string, v: unknown, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InputError(messages.badOption('demo', `--${name}`, v, `an integer >= ${min}`), 'badOption');
    return n;
  };
  return {
    rows: int('rows', o.rows ?? '100000', 100),
    seed: int('seed', o.seed ?? '42', 0),
    out: String(o.out ?? 'demo-output'),
    format: (o.format as DemoArgs['format']) ?? 'text',
  };
}

/**
 * Run the demo; returns the exit code.
 *
 * @example
 * ```ts
 * const code = await runDemo({ rows: 5000, seed: 1, out: '/tmp/fw', format: 'json' }, io);
 * ```
 */
export async function runDemo(args: DemoArgs, io: CliIO): Promise<number> {
  const started = Date.now();
  const data = generateLoans({ rows: args.rows, seed: args.seed });
  const csvPath = join(args.out, 'loans.csv');
  await writeFileAtomic(csvPath, loansToCSV(data));
  const table = await readTableFile(csvPath, { fn: 'demo' });
  const common = {
    data: table,
    yTrue: 'repaid',
    yPred: 'approved',
    yScore: 'score',
    reference: { sex: 'male', age_band: '30-49' },
    ci: { resamples: 1000, seed: args.seed },
  } as const;
  const bySex = audit({ ...common, sensitive: ['sex', 'age_band'] });
  const crossed = audit({ ...common, sensitive: ['sex', 'age_band'], intersect: true });
  // A second window with drift injected in income alone (log-income + 0.25), compared with the first.
  const later = generateLoans({ rows: args.rows, seed: args.seed + 1, incomeShift: DEMO_INCOME_SHIFT });
  const laterPath = join(args.out, 'loans-later.csv');
  await writeFileAtomic(laterPath, loansToCSV(later));
  const drift = driftReport({
    reference: table,
    current: await readTableFile(laterPath, { fn: 'demo' }),
    columns: ['sex', 'age_band', 'income', 'score', 'repaid'],
  });
  const doc = {
    kind: 'fairwatch.demo',
    version: 1,
    dataset: { file: csvPath, rows: data.rows, seed: data.seed, generator: 'generateLoans', parameters: LOAN_PARAMETERS },
    audits: [bySex.toJSON(), crossed.toJSON()],
    drift: { reference: csvPath, current: laterPath, incomeShift: DEMO_INCOME_SHIFT, report: drift.toJSON() },
  };
  await writeFileAtomic(join(args.out, 'audit.json'), JSON.stringify(doc, null, 2) + '\n');
  const md = [
    `# fairwatch demo audit`,
    '',
    `Synthetic loan applications: ${data.rows} rows, seed ${data.seed} (see datasets/loans.md).`,
    '',
    bySex.toMarkdown(),
    '',
    crossed.toMarkdown(),
    '',
    `Second window (${laterPath}, seed ${args.seed + 1}) with log-income shifted by ${DEMO_INCOME_SHIFT}:`,
    '',
    drift.toMarkdown(),
  ].join('\n');
  await writeFileAtomic(join(args.out, 'audit.md'), md);

  if (args.format === 'json') {
    io.stdout(JSON.stringify(doc, null, 2) + '\n');
  } else if (args.format === 'md') {
    io.stdout(md);
  } else {
    io.stdout(
      [
        `fairwatch demo: ${data.rows} synthetic loan applications (seed ${data.seed}) written to ${csvPath}`,
        `Injected: women face a stricter decision threshold (${LOAN_PARAMETERS.femaleThreshold} vs ${LOAN_PARAMETERS.threshold}); scores of the ${LOAN_PARAMETERS.miscalibratedBand} band are over-confident.`,
        '',
        String(bySex),
        '',
        String(crossed),
        '',
        `Drift between two windows: ${csvPath} (reference) and ${laterPath} (seed ${args.seed + 1}, log-income shifted by ${DEMO_INCOME_SHIFT}; nothing else changed)`,
        '',
        String(drift),
        '',
        `Wrote ${join(args.out, 'audit.json')} and ${join(args.out, 'audit.md')} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
        `Audit the file yourself: npx fairwatch audit ${csvPath} --label repaid --prediction approved --score score --sensitive sex,age_band --reference sex=male`,
        `Compare the windows:     npx fairwatch drift --reference ${csvPath} --current ${laterPath} --columns income,score,age_band --by sex`,
        '',
      ].join('\n'),
    );
  }
  return EXIT.ok;
}
