/** Generated monitoring data with known answers (a drift day, late labels) and job files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { rng } from '../calibration/helpers.js';

export { rng };

export interface Row { id: number; ts: string; sex: string; y: number | null; p: number; x: number; region: string }

/** `days` daily windows from 2026-03-01 with `perDay` rows; on `driftDay` (0-based) x shifts by +3. */
export function makeRows(days: number, perDay: number, driftDay: number, seed = 7): Row[] {
  const r = rng(seed);
  const rows: Row[] = [];
  let id = 0;
  for (let d = 0; d < days; d++) {
    for (let i = 0; i < perDay; i++) {
      const ts = new Date(Date.UTC(2026, 2, 1 + d) + Math.floor((i / perDay) * 86_400_000)).toISOString();
      const sex = i % 2 === 0 ? 'a' : 'b';
      const y = r() < 0.5 ? 1 : 0;
      const p = r() < 0.8 ? y : 1 - y;
      const x = r() * 2 - 1 + (d === driftDay ? 3 : 0);
      rows.push({ id: id++, ts, sex, y, p, x, region: r() < 0.5 ? 'n' : 's' });
    }
  }
  return rows;
}

export function toCSV(rows: readonly Row[], cols: (keyof Row)[] = ['id', 'ts', 'sex', 'y', 'p', 'x', 'region']): string {
  return cols.join(',') + '\n' + rows.map((r) => cols.map((c) => (r[c] === null ? '' : String(r[c]))).join(',')).join('\n') + '\n';
}

export const POLICY = `system: { id: mon-test, version: "1", owner: o@example.org }
minGroupSize: 30
fairness:
  checks:
    - { metric: disparateImpact, warn: 0.9, fail: 0.8 }
    - { metric: equalOpportunityDifference, fail: 0.5, maxChange: 0.3 }
drift:
  columnDrifted: ignore
  statistics:
    - { metric: psi, fail: 0.25 }
`;

/** A temp folder with data.csv, policy.yaml and monitor.yaml; returns its paths. */
export function makeJob(rows: readonly Row[], extra = '', opts: { labels?: readonly Row[] } = {}): { dir: string; config: string; store: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fw-mon-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  if (opts.labels) {
    writeFileSync(join(dir, 'data.csv'), toCSV(rows, ['id', 'ts', 'sex', 'p', 'x', 'region']));
    writeFileSync(join(dir, 'labels.csv'), 'id,y\n' + opts.labels.filter((r) => r.y !== null).map((r) => `${r.id},${r.y}`).join('\n') + '\n');
  } else writeFileSync(join(dir, 'data.csv'), toCSV(rows));
  const config = join(dir, 'monitor.yaml');
  writeFileSync(
    config,
    [
      'job: loans-daily',
      'source: { engine: duckdb, file: data.csv }',
      'columns: { time: ts, label: y, prediction: p, sensitive: [sex], features: [x, region], id: id }',
      ...(opts.labels ? ['labels: { file: labels.csv }'] : []),
      'window: day',
      'baseline: { from: 2026-03-01, to: 2026-03-02 }',
      'policy: policy.yaml',
      'store: store',
      extra,
    ].join('\n') + '\n',
  );
  return { dir, config, store: join(dir, 'store') };
}
