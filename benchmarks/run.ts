/**
 * `npm run bench`: throughput and memory of the fairness core, with ratios against a naive
 * row-object implementation measured in the same process.
 *
 * Scenario (issue 2): group metrics plus 10-bin calibration by one sensitive column of 8 groups,
 * on 1M and 10M rows held as typed arrays. Reported per size:
 * - `accumulate`: the single pass building confusion cells and fine score bins (rows/s);
 * - `groupMetrics(binned AUC)`: encode + accumulate + finalize (no allocation per row besides
 *   the group codes), rows/s and bytes allocated per row;
 * - `groupMetrics(exact AUC)`: the default, which also sorts scores for exact per-group AUC;
 * - `naive`: row objects and array callbacks, the way a typical JS user writes it (filter per
 *   group, reduce), computing the same rates and 10-bin calibration sums; and the speed ratio.
 * Then the drift benchmark (`benchmarks/drift.ts`): profile 1M reference rows of 25 columns
 * once, compare 1M current rows with the profile, against a naive comparison.
 * Results print as a table and are written to `benchmarks/results/latest.json`.
 *
 * @example
 * ```sh
 * npm run bench            # 1M and 10M rows
 * npm run bench -- --quick # 1M rows only
 * ```
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accumulate } from '../src/kernels/summaries.js';
import { encodeGroups } from '../src/kernels/groups.js';
import { groupMetrics } from '../src/fairness/group-metrics.js';
import { Random } from '../src/intervals/random.js';
import { runDriftBenchmark } from './drift.js';

const G = 8;

interface Data {
  n: number;
  group: Uint8Array;
  yTrue: Uint8Array;
  yPred: Uint8Array;
  yScore: Float64Array;
}

function makeData(n: number, seed: number): Data {
  const rng = new Random(seed);
  const d: Data = { n, group: new Uint8Array(n), yTrue: new Uint8Array(n), yPred: new Uint8Array(n), yScore: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const g = (rng.uniform() * G) | 0;
    const s = rng.uniform();
    d.group[i] = g;
    d.yScore[i] = s;
    d.yTrue[i] = rng.uniform() < s ? 1 : 0;
    d.yPred[i] = s >= 0.5 + g * 0.01 ? 1 : 0;
  }
  return d;
}

interface Row {
  group: number;
  label: number;
  pred: number;
  score: number;
}

/** The naive way: row objects, filter per group, reduce per statistic. */
function naive(rows: Row[]) {
  const groups = [...new Set(rows.map((r) => r.group))].sort((a, b) => a - b);
  return groups.map((g) => {
    const inGroup = rows.filter((r) => r.group === g);
    const tp = inGroup.filter((r) => r.label === 1 && r.pred === 1).length;
    const fp = inGroup.filter((r) => r.label === 0 && r.pred === 1).length;
    const fn = inGroup.filter((r) => r.label === 1 && r.pred === 0).length;
    const tn = inGroup.length - tp - fp - fn;
    const bins = Array.from({ length: 10 }, (_, b) => {
      const inBin = inGroup.filter((r) => Math.min(9, Math.floor(r.score * 10)) === b);
      return {
        n: inBin.length,
        meanScore: inBin.reduce((s, r) => s + r.score, 0) / inBin.length,
        meanLabel: inBin.reduce((s, r) => s + r.label, 0) / inBin.length,
      };
    });
    const ece = bins.reduce((s, b) => (b.n ? s + (b.n / inGroup.length) * Math.abs(b.meanLabel - b.meanScore) : s), 0);
    const brier = inGroup.reduce((s, r) => s + (r.score - r.label) ** 2, 0) / inGroup.length;
    return {
      group: g,
      selectionRate: (tp + fp) / inGroup.length,
      tpr: tp / (tp + fn),
      fpr: fp / (fp + tn),
      precision: tp / (tp + fp),
      accuracy: (tp + tn) / inGroup.length,
      ece,
      brier,
    };
  });
}

const gc = (globalThis as { gc?: () => void }).gc;

function measure<T>(fn: () => T, reps: number): { best: number; median: number; result: T; allocated: number } {
  const times: number[] = [];
  let result!: T;
  let allocated = 0;
  for (let r = 0; r < reps; r++) {
    gc?.();
    const before = process.memoryUsage();
    const t = performance.now();
    result = fn();
    times.push(performance.now() - t);
    const after = process.memoryUsage();
    allocated = Math.max(allocated, after.arrayBuffers - before.arrayBuffers + Math.max(0, after.heapUsed - before.heapUsed));
  }
  times.sort((a, b) => a - b);
  return { best: times[0]!, median: times[Math.floor(times.length / 2)]!, result, allocated };
}

const fmt = (x: number, d = 1) => x.toFixed(d);

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const sizes = quick ? [1_000_000] : [1_000_000, 10_000_000];
  if (!gc) console.warn('(run with node --expose-gc for memory figures; npm run bench does)');
  const report: Record<string, unknown>[] = [];
  console.log(`fairwatch benchmark — node ${process.version}, ${process.arch}; ${G} groups, 10 calibration bins`);
  for (const n of sizes) {
    const d = makeData(n, 7);
    const inputBytes = d.group.byteLength + d.yTrue.byteLength + d.yPred.byteLength + d.yScore.byteLength;
    const grouping = encodeGroups(d.group, { column: 'group' });
    const reps = n >= 10_000_000 ? 5 : 9;
    const acc = measure(() => accumulate({ grouping, yTrue: d.yTrue, yPred: d.yPred, yScore: d.yScore, bins: 10 }), reps);
    const accFine = measure(() => accumulate({ grouping, yTrue: d.yTrue, yPred: d.yPred, yScore: d.yScore }), reps);
    const gmBinned = measure(
      () => groupMetrics({ yTrue: d.yTrue, yPred: d.yPred, yScore: d.yScore, sensitive: { group: d.group }, auc: 'binned' }),
      reps,
    );
    const gmExact = measure(() => groupMetrics({ yTrue: d.yTrue, yPred: d.yPred, yScore: d.yScore, sensitive: { group: d.group } }), Math.min(reps, 5));
    // naive: building the row objects is part of the naive way, but timed separately
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const tRows = performance.now();
    const rows: Row[] = Array.from({ length: n }, (_, i) => ({ group: d.group[i]!, label: d.yTrue[i]!, pred: d.yPred[i]!, score: d.yScore[i]! }));
    const rowsMs = performance.now() - tRows;
    const rowBytes = process.memoryUsage().heapUsed - heapBefore;
    const nv = measure(() => naive(rows), n >= 10_000_000 ? 2 : 3);
    // the two implementations must agree before their speeds are compared
    const fast = gmBinned.result;
    for (const row of nv.result) {
      const mine = fast.value('selectionRate', row.group);
      if (Math.abs(mine - row.selectionRate) > 1e-12) throw new Error(`benchmark mismatch in selection rate of group ${row.group}`);
      const ece = fast.value('ece', row.group);
      if (Math.abs(ece - row.ece) > 1e-9) throw new Error(`benchmark mismatch in ECE of group ${row.group}: ${ece} vs ${row.ece}`);
    }
    const entry = {
      rows: n,
      inputMiB: inputBytes / 2 ** 20,
      accumulate10BinsMRowsPerSec: n / acc.best / 1e3,
      accumulateFineBinsMRowsPerSec: n / accFine.best / 1e3,
      groupMetricsBinnedAucMRowsPerSec: n / gmBinned.best / 1e3,
      groupMetricsBinnedAucBytesPerRow: gmBinned.allocated / n,
      groupMetricsExactAucMRowsPerSec: n / gmExact.best / 1e3,
      groupMetricsExactAucBytesPerRow: gmExact.allocated / n,
      naiveMRowsPerSec: n / nv.best / 1e3,
      naiveRowObjectsBuildMs: rowsMs,
      naiveRowObjectsBytesPerRow: rowBytes / n,
      speedupGroupMetricsVsNaive: nv.best / gmBinned.best,
      speedupAccumulateVsNaive: nv.best / acc.best,
    };
    report.push(entry);
    rows.length = 0;
    console.log(`\n${n.toLocaleString('en')} rows (${fmt(entry.inputMiB)} MiB of typed input columns)`);
    console.log(`  accumulate pass, 10 bins         ${fmt(entry.accumulate10BinsMRowsPerSec).padStart(8)} M rows/s`);
    console.log(`  accumulate pass, 3000 fine bins  ${fmt(entry.accumulateFineBinsMRowsPerSec).padStart(8)} M rows/s`);
    console.log(`  groupMetrics (binned AUC)        ${fmt(entry.groupMetricsBinnedAucMRowsPerSec).padStart(8)} M rows/s   ${fmt(entry.groupMetricsBinnedAucBytesPerRow, 2)} bytes allocated per row`);
    console.log(`  groupMetrics (exact AUC)         ${fmt(entry.groupMetricsExactAucMRowsPerSec).padStart(8)} M rows/s   ${fmt(entry.groupMetricsExactAucBytesPerRow, 2)} bytes allocated per row`);
    console.log(`  naive row objects + callbacks    ${fmt(entry.naiveMRowsPerSec).padStart(8)} M rows/s   (+ ${fmt(rowsMs, 0)} ms and ${fmt(entry.naiveRowObjectsBytesPerRow, 0)} bytes per row to build the objects)`);
    console.log(`  ratio groupMetrics / naive       ${fmt(entry.speedupGroupMetricsVsNaive).padStart(8)} x faster`);
    console.log(`  ratio accumulate / naive         ${fmt(entry.speedupAccumulateVsNaive).padStart(8)} x faster`);
  }
  const drift = await runDriftBenchmark({ rows: 1_000_000 });
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'benchmarks', 'results', 'latest.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, results: report, drift }, null, 2) + '\n');
  console.log(`\nwrote ${out}`);
}

await main();
