/**
 * A store with real runs for the report tests: seeded loans (women face a stricter threshold by
 * construction, so disparate impact by sex fails) audited by sex and age band, with a group named
 * `<script>alert(1)</script>` of 40 rows and a group `tiny & "small"` of 12 rows (below the
 * minimum group size of 30), then a drift comparison with log-income shifted by construction.
 * Both are evaluated against the shipped default policy and recorded through the pipeline
 * (`recordEvaluation`), as `fairwatch audit|drift --policy` do.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLoans } from '../../src/datasets/loans.js';
import { driftReport } from '../../src/drift/report.js';
import { audit } from '../../src/fairness/audit.js';
import { evaluate } from '../../src/governance/findings.js';
import { recordEvaluation } from '../../src/governance/pipeline.js';
import { loadPolicy } from '../../src/governance/policy.js';
import { openStore } from '../../src/store/index.js';

export const SCRIPT_GROUP = '<script>alert(1)</script>';
export const TINY_GROUP = 'tiny & "small"';
export const DATA_SHA = 'a'.repeat(64);
export const REF_SHA = 'b'.repeat(64);
export const CUR_SHA = 'c'.repeat(64);

/** Loans with the two hostile/small groups in `sex`. */
export function loans(rows: number, seed: number, incomeShift = 0) {
  const d = generateLoans({ rows, seed, incomeShift });
  const sex = [...d.columns.sex];
  for (let i = 0; i < 40; i++) sex[i] = SCRIPT_GROUP;
  for (let i = 40; i < 52; i++) sex[i] = TINY_GROUP;
  return { ...d.columns, sex };
}

export function auditOf(cols: ReturnType<typeof loans>) {
  return audit({ data: cols, yTrue: 'repaid', yPred: 'approved', yScore: 'score', sensitive: ['sex', 'age_band'], reference: { sex: 'male' }, ci: { resamples: 200, seed: 7 } });
}

/**
 * A store holding `days` audit runs (one per day from 2026-03-01, seeds 1, 2, ...) and one drift
 * run on the last day. Returns the store folder.
 */
export async function storeWithRuns(options: { rows?: number; days?: number } = {}): Promise<{ dir: string; lastDay: string }> {
  const rows = options.rows ?? 4000;
  const days = options.days ?? 1;
  const dir = join(mkdtempSync(join(tmpdir(), 'fairwatch-report-')), 'store');
  const policy = loadPolicy();
  const store = await openStore(dir);
  let lastDay = '';
  try {
    let reference: ReturnType<typeof loans> | undefined;
    for (let d = 0; d < days; d++) {
      const cols = loans(rows, d + 1);
      reference ??= cols;
      const result = auditOf(cols);
      lastDay = `2026-03-${String(d + 1).padStart(2, '0')}`;
      await recordEvaluation({ store, result, findings: evaluate(result, policy), kind: 'audit', now: `${lastDay}T10:00:00Z`, actor: 'test', inputs: { data: DATA_SHA }, details: { files: { data: `loans-${d + 1}.csv` } } });
    }
    const current = loans(rows, 100, 0.3);
    const drift = driftReport({ reference: reference!, current, columns: ['sex', 'age_band', 'income', 'score'] });
    await recordEvaluation({ store, result: drift, findings: evaluate(drift, policy), kind: 'drift', now: `${lastDay}T11:00:00Z`, actor: 'test', inputs: { reference: REF_SHA, current: CUR_SHA }, details: { files: { reference: 'loans-1.csv', current: 'later.csv' } } });
  } finally {
    await store.close();
  }
  return { dir, lastDay };
}
