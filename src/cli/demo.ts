/**
 * `fairwatch demo` (also `npm run demo`): generate the seeded synthetic loan data set, write it as
 * CSV, and audit the file exactly as `fairwatch audit` would — by sex, by age band, and by their
 * intersection, with calibration and intervals; then generate a second window with drift injected
 * in income and compare the two. Then the governance step: both results are evaluated against the
 * shipped default policy and recorded (`recordEvaluation`) in a DuckDB store in `<out>/store/`
 * (runs, findings, risk-register versions, the hash-chained audit trail); the statement of
 * applicability is written to `<out>/soa.md` (logged as `soa.export`) and the audit trail is
 * verified. Writes `loans.csv`, `loans.parquet`, `profile.json`, `loans-later.csv`, `audit.json`, `audit.md`, `soa.md` and
 * `store/` to the output folder and prints the audit, the drift report and a governance summary.
 *
 * Running the demo again reuses the store: run ids are deterministic per result, policy, inputs
 * and day, so a second run on the same day finds both runs already recorded and writes nothing
 * new to the register or trail (only the SoA export is written and logged again); a run on a
 * later day records new runs, and the failing findings add a version to the open risk entries.
 * Delete `<out>/store` to start from an empty register.
 *
 * @example
 * ```ts
 * await runDemo({ rows: 100_000, seed: 42, out: 'demo-output', format: 'text' }, io); // 0
 * ```
 */
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { InputError, messages } from '../errors.js';
import { generateLoans, LOAN_PARAMETERS, loansToCSV } from '../datasets/loans.js';
import { profile, profileToJSON } from '../drift/profile.js';
import { driftReport } from '../drift/report.js';
import { audit } from '../fairness/audit.js';
import { evaluate, formatFindings, type Evaluable } from '../governance/findings.js';
import { formatRiskChanges, recordEvaluation, type EvaluationRecord } from '../governance/pipeline.js';
import { defaultPolicyPath, loadPolicy } from '../governance/policy.js';
import type { FindingsDocument } from '../governance/types.js';
import { writeFileAtomic } from '../io/atomic.js';
import { convertToParquet, readTableFile } from '../io/files.js';
import { exportEvidencePack } from '../evidence/pack.js';
import { verifyEvidencePack } from '../evidence/verify.js';
import { openStore } from '../store/index.js';
import { demoMonitoring } from './demo-monitor.js';
import { EXIT, type CliIO } from './main.js';
import { sha256File } from './policy-run.js';
import { runSoa } from './soa.js';

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
  await convertToParquet(csvPath, join(args.out, 'loans.parquet'), 'demo');
  const table = await readTableFile(csvPath, { fn: 'demo' });
  // the reference profile the engine examples compare against (README "engines")
  const saved = profile(table, { columns: ['income', 'score', 'sex', 'age_band'] });
  await writeFileAtomic(join(args.out, 'profile.json'), JSON.stringify(profileToJSON(saved)) + '\n');
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
  const governance = await demoGovernance(args.out, { audit: bySex, drift, csvPath, laterPath });
  // The evidence pack of everything the store holds (reports included), verified as an auditor would.
  // The folder is the demo's own output: an earlier run's pack is replaced.
  const packDir = join(args.out, 'evidence');
  await rm(packDir, { recursive: true, force: true });
  const pack = await exportEvidencePack({ store: governance.storeDir, out: packDir, actor: 'fairwatch demo' });
  const packCheck = await verifyEvidencePack(packDir);
  const reportPath = join(packDir, 'reports', 'report.html');
  // A short monitoring backfill over five days of production predictions: a drift alert and its recovery.
  const monitoring = await demoMonitoring(args.out, args.seed);
  const evidenceText = [
    `Evidence pack: ${packDir} — ${pack.files} files listed in manifest.json (sha256 ${pack.manifestSha256.slice(0, 12)}), unsigned (sign with: npx fairwatch keygen --out keys/evidence; --sign-key keys/evidence)`,
    `  verified: ${packCheck.ok ? 'OK' : `${packCheck.problems.length} PROBLEM(S)`} — every file matches its digest; audit-log extract ${packCheck.audit ? `${packCheck.audit.lines} line(s), chain intact` : 'missing'}`,
    `  HTML report (open it in a browser; no network needed): ${reportPath}`,
  ].join('\n');
  const doc = {
    kind: 'fairwatch.demo',
    version: 1,
    dataset: { file: csvPath, rows: data.rows, seed: data.seed, generator: 'generateLoans', parameters: LOAN_PARAMETERS },
    audits: [bySex.toJSON(), crossed.toJSON()],
    drift: { reference: csvPath, current: laterPath, incomeShift: DEMO_INCOME_SHIFT, report: drift.toJSON() },
    governance: governance.json,
    evidence: { out: packDir, files: pack.files, manifestSha256: pack.manifestSha256, verified: packCheck.ok, report: reportPath },
    monitoring: {
      config: monitoring.config,
      windows: monitoring.result.windows.map((w) => ({ window: w.window.id, version: w.version, status: w.status, rows: w.rows })),
      alerts: monitoring.result.events,
    },
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
    '',
    '## Governance (ISO/IEC 42001)',
    '',
    `Both results evaluated against the shipped default policy; recorded in the store \`${governance.storeDir}\`; statement of applicability in \`${governance.soaPath}\`.`,
    '',
    formatFindings(governance.audit.findings, 'md').replace(/^## Findings/, '### Findings of the audit'),
    '',
    formatFindings(governance.drift.findings, 'md').replace(/^## Findings/, '### Findings of the drift comparison'),
    '',
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
        governance.text,
        '',
        evidenceText,
        '',
        monitoring.text,
        '',
        `Wrote ${join(args.out, 'audit.json')}, ${join(args.out, 'audit.md')} and ${governance.soaPath} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
        `Audit the file yourself: npx fairwatch audit ${csvPath} --label repaid --prediction approved --score score --sensitive sex,age_band --reference sex=male`,
        `Compare the windows:     npx fairwatch drift --reference ${csvPath} --current ${laterPath} --columns income,score,age_band --by sex`,
        `Explore the register:    npx fairwatch risk list --store ${governance.storeDir}`,
        `Check the trail:         npx fairwatch log verify --store ${governance.storeDir}`,
        `Gap assessment:          npx fairwatch gap --store ${governance.storeDir}`,
        `Verify the pack:         npx fairwatch evidence verify ${packDir}`,
        '',
      ].join('\n'),
    );
  }
  return EXIT.ok;
}

interface DemoRun {
  record: EvaluationRecord;
  findings: FindingsDocument;
}

/**
 * The demo's governance step: evaluate the audit and the drift report against the default
 * policy, record both in `<out>/store`, write the statement of applicability (`<out>/soa.md`)
 * and verify the audit trail. Returns the summary text and the JSON for `audit.json`.
 */
async function demoGovernance(
  out: string,
  input: { audit: Evaluable; drift: Evaluable; csvPath: string; laterPath: string },
): Promise<{ text: string; json: unknown; storeDir: string; soaPath: string; audit: DemoRun; drift: DemoRun }> {
  const policyFile = defaultPolicyPath();
  const policy = loadPolicy();
  const storeDir = join(out, 'store');
  const soaPath = join(out, 'soa.md');
  const csvSha = await sha256File(input.csvPath, 'demo');
  const laterSha = await sha256File(input.laterPath, 'demo');
  const policySha = await sha256File(policyFile, 'demo');
  const store = await openStore(storeDir);
  let auditRun: DemoRun;
  let driftRun: DemoRun;
  try {
    const record = async (result: Evaluable, kind: 'audit' | 'drift', files: Record<string, string>, digests: Record<string, string>): Promise<DemoRun> => {
      const findings = evaluate(result, policy);
      const rec = await recordEvaluation({ store, result, findings, kind, inputs: { ...digests, 'policy-file': policySha }, details: { files: { ...files, 'policy-file': policyFile } } });
      return { record: rec, findings };
    };
    auditRun = await record(input.audit, 'audit', { data: input.csvPath }, { data: csvSha });
    driftRun = await record(input.drift, 'drift', { reference: input.csvPath, current: input.laterPath }, { reference: csvSha, current: laterSha });
  } finally {
    await store.close();
  }
  let soaNote = '';
  await runSoa({ store: storeDir, format: 'md', out: soaPath }, { stdout: () => undefined, stderr: (t) => void (soaNote += t) });
  const check = await openStore(storeDir);
  let verification;
  let auditLog: string;
  try {
    verification = await check.verifyAudit();
    auditLog = check.auditLocation;
  } finally {
    await check.close();
  }
  const system = auditRun.findings.system;
  const idWidth = Math.max(...[auditRun, driftRun].flatMap((r) => r.findings.findings.filter((x) => x.status !== 'pass').map((x) => x.id.length)), 10);
  const runText = (label: string, run: DemoRun) => {
    const f = run.findings.findings;
    const counts = (['pass', 'insufficient', 'warn', 'fail'] as const).map((s) => `${f.filter((x) => x.status === s).length} ${s}`).join(', ');
    const state = run.record.state === 'recorded' ? '' : run.record.state === 'already-recorded' ? '  (already recorded today: nothing new written)' : '  (completed an interrupted recording)';
    const lines = [`  ${label.padEnd(5)}  ${run.findings.status.toUpperCase().padEnd(4)}  run ${run.record.runId}  ${f.length} findings: ${counts}${state}`];
    for (const x of f) {
      if (x.status === 'pass') continue;
      lines.push(`    ${x.status.padEnd(4)}  ${x.id.padEnd(idWidth)}  ${x.reason}`);
    }
    return lines.join('\n');
  };
  const changes = [...auditRun.record.risks, ...driftRun.record.risks];
  const text = [
    `Governance (ISO/IEC 42001): both results judged by the shipped default policy (${policyFile.replace(/^.*[\\/](reports[\\/])/, '$1')}, policy ${auditRun.findings.policyHash.slice(0, 12)}, system ${system.id} ${system.version})`,
    runText('audit', auditRun),
    runText('drift', driftRun),
    `  risk register (failing findings open entries; a run never closes one):`,
    formatRiskChanges(changes).replace(/^  /gm, '    '),
    `  statement of applicability: ${soaNote.trim().replace(/^wrote /, '')}`,
    `  audit trail: ${relative(process.cwd(), auditLog) || auditLog} — ${verification.ok ? `${verification.lines} lines, intact (head ${verification.head.slice(0, 12)})` : `FAILS verification: ${verification.problem?.kind} at line ${verification.problem?.line}`}`,
    `  store: ${storeDir} (DuckDB: runs, findings, risk-register versions; rerun the demo to see idempotent re-recording)`,
  ].join('\n');
  const json = {
    policy: { file: policyFile, hash: auditRun.findings.policyHash },
    store: storeDir,
    runs: [auditRun, driftRun].map((r) => ({ kind: r.record.kind, runId: r.record.runId, state: r.record.state, findings: r.findings, risks: r.record.risks })),
    soa: soaPath,
    auditTrail: { log: auditLog, ...verification },
  };
  return { text, json, storeDir, soaPath, audit: auditRun, drift: driftRun };
}
