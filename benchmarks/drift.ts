/**
 * Drift benchmark (issue 3): 20 numeric and 5 categorical columns; a reference of 1M rows is
 * profiled once, then a current 1M rows is compared with the saved profile. Reports the time
 * of each phase, rows per second, the heap + array-buffer growth, and the ratio against a naive
 * implementation (sorting both samples with a comparator on every comparison, histogram by
 * filter) measured in the same run. The comparison reads the profile's sorted sample and never
 * re-sorts the reference.
 *
 * @example
 * ```ts
 * const figures = await runDriftBenchmark({ rows: 1_000_000 });
 * ```
 */
import { profile } from '../src/drift/profile.js';
import { driftReport } from '../src/drift/report.js';
import { Random } from '../src/intervals/random.js';

const NUMERIC = 20;
const CATEGORICAL = 5;
const CATS = ['a', 'b', 'c', 'd', 'e', 'f'];

function makeTable(rows: number, seed: number, shift: number): Record<string, Float64Array | string[]> {
  const rng = new Random(seed);
  const t: Record<string, Float64Array | string[]> = {};
  for (let c = 0; c < NUMERIC; c++) {
    const col = new Float64Array(rows);
    const s = c === 0 ? shift : 0;
    for (let i = 0; i < rows; i++) {
      const u = 1 - rng.uniform();
      col[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.uniform()) + s;
    }
    t[`x${c}`] = col;
  }
  for (let c = 0; c < CATEGORICAL; c++) {
    const col = new Array<string>(rows);
    // c0 of the current table is skewed towards the first categories (u^2 instead of u)
    const power = c === 0 && shift > 0 ? 2 : 1;
    for (let i = 0; i < rows; i++) col[i] = CATS[Math.min(CATS.length - 1, Math.floor(rng.uniform() ** power * CATS.length))]!;
    t[`c${c}`] = col;
  }
  return t;
}

/** The naive way: arrays, comparator sorts, filter-based histograms, per comparison. */
function naiveDrift(ref: Record<string, ArrayLike<unknown>>, cur: Record<string, ArrayLike<unknown>>) {
  const out: Record<string, number> = {};
  for (const name of Object.keys(ref)) {
    const r = Array.from(ref[name]!);
    const c = Array.from(cur[name]!);
    if (typeof r[0] === 'number') {
      const rs = (r as number[]).slice().sort((a, b) => a - b);
      const cs = (c as number[]).slice().sort((a, b) => a - b);
      let i = 0;
      let j = 0;
      let d = 0;
      while (i < rs.length && j < cs.length) {
        const v = Math.min(rs[i]!, cs[j]!);
        while (i < rs.length && rs[i]! <= v) i++;
        while (j < cs.length && cs[j]! <= v) j++;
        d = Math.max(d, Math.abs(i / rs.length - j / cs.length));
      }
      const edges = Array.from({ length: 9 }, (_, k) => rs[Math.floor(((k + 1) / 10) * (rs.length - 1))]!);
      const hist = (xs: number[]) => edges.map((e, k) => xs.filter((x) => x > (k ? edges[k - 1]! : -Infinity) && x <= e).length).concat(xs.filter((x) => x > edges[8]!).length);
      const hr = hist(r as number[]);
      const hc = hist(c as number[]);
      out[name] = d + hr.reduce((s, v, k) => s + (hc[k]! / c.length - v / r.length) * Math.log((hc[k]! / c.length || 1e-4) / (v / r.length || 1e-4)), 0);
    } else {
      const counts = (xs: unknown[]) => xs.reduce<Record<string, number>>((m, x) => ((m[String(x)] = (m[String(x)] ?? 0) + 1), m), {});
      const cr = counts(r);
      const cc = counts(c);
      out[name] = Object.keys({ ...cr, ...cc }).reduce((s, k) => s + Math.abs((cr[k] ?? 0) / r.length - (cc[k] ?? 0) / c.length), 0);
    }
  }
  return out;
}

const gc = (globalThis as { gc?: () => void }).gc;
const mem = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Run the drift benchmark and print its figures; returns them for the JSON report. */
export async function runDriftBenchmark(options: { rows: number }): Promise<Record<string, number>> {
  const { rows } = options;
  const ref = makeTable(rows, 1, 0);
  const cur = makeTable(rows, 2, 0.2);
  gc?.();
  let base = mem();
  let t = performance.now();
  const saved = profile(ref);
  const profileMs = performance.now() - t;
  const profileBytes = mem() - base;
  gc?.();
  base = mem();
  t = performance.now();
  const report = driftReport({ profile: saved, current: cur });
  const compareMs = performance.now() - t;
  const compareBytes = mem() - base;
  gc?.();
  t = performance.now();
  naiveDrift(ref, cur);
  const naiveMs = performance.now() - t;
  const figures = {
    rows,
    columns: NUMERIC + CATEGORICAL,
    profileMs,
    profileMRowsPerSec: rows / profileMs / 1e3,
    profileMiBGrowth: profileBytes / 2 ** 20,
    compareMs,
    compareMRowsPerSec: rows / compareMs / 1e3,
    compareMiBGrowth: compareBytes / 2 ** 20,
    naiveCompareMs: naiveMs,
    speedupVsNaive: naiveMs / compareMs,
    driftedColumns: report.json.driftedColumns.length,
  };
  console.log(`\ndrift: ${NUMERIC} numeric + ${CATEGORICAL} categorical columns, ${rows.toLocaleString('en')} reference and current rows`);
  console.log(`  profile the reference (once)      ${profileMs.toFixed(0).padStart(7)} ms   ${figures.profileMRowsPerSec.toFixed(2)} M rows/s   +${figures.profileMiBGrowth.toFixed(0)} MiB`);
  console.log(`  compare current with the profile  ${compareMs.toFixed(0).padStart(7)} ms   ${figures.compareMRowsPerSec.toFixed(2)} M rows/s   +${figures.compareMiBGrowth.toFixed(0)} MiB`);
  console.log(`  naive comparison (sorts both)     ${naiveMs.toFixed(0).padStart(7)} ms`);
  console.log(`  ratio naive / compare             ${figures.speedupVsNaive.toFixed(1).padStart(7)} x   (drifted columns found: ${report.json.driftedColumns.join(', ')}; injected: x0 mean +0.2, c0 skewed)`);
  return figures;
}
