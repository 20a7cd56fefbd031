/**
 * Test helpers for the calibration tests: a seeded generator, data builders and naive row-by-row
 * references that the fast code is compared against.
 */
import { encodeGroups } from '../../src/kernels/groups.js';
import { accumulate, type ScoreBinSummary } from '../../src/kernels/summaries.js';

/** mulberry32: a small seeded generator of uniform numbers in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Rows {
  groups: string[];
  yTrue: Uint8Array;
  yScore: Float64Array;
  weights?: Float64Array;
}

/** Random rows: `nGroups` groups, scores on a grid of `grid` steps (0 = continuous) to force ties. */
export function randomRows(seed: number, n: number, opts: { nGroups?: number; grid?: number; weighted?: boolean } = {}): Rows {
  const r = rng(seed);
  const nGroups = opts.nGroups ?? 3;
  const grid = opts.grid ?? 0;
  const groups: string[] = [];
  const yTrue = new Uint8Array(n);
  const yScore = new Float64Array(n);
  const weights = opts.weighted ? new Float64Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const g = Math.floor(r() * nGroups);
    groups.push(`g${g}`);
    let s = r();
    if (grid > 0) s = Math.round(s * grid) / grid;
    yScore[i] = s;
    yTrue[i] = r() < 0.2 + 0.6 * s - 0.1 * g ? 1 : 0;
    if (weights) weights[i] = r() < 0.1 ? 0 : Math.round(r() * 40) / 10;
  }
  return weights ? { groups, yTrue, yScore, weights } : { groups, yTrue, yScore };
}

/** Build the score-bin summary of rows with the kernels' `encodeGroups` + `accumulate`. */
export function summarize(rows: Rows, bins?: number): ScoreBinSummary {
  const grouping = encodeGroups(rows.groups, { column: 'g' });
  const { scoreBins } = accumulate({
    grouping,
    yTrue: rows.yTrue,
    yPred: new Uint8Array(rows.yTrue.length),
    yScore: rows.yScore,
    ...(rows.weights ? { weights: rows.weights } : {}),
    ...(bins ? { bins } : {}),
  });
  return scoreBins!;
}

/** Row indices of a group label (or all rows for 'overall'). */
export function rowsOf(rows: Rows, group: string | 'overall'): number[] {
  const out: number[] = [];
  rows.groups.forEach((g, i) => {
    if (group === 'overall' || g === group) out.push(i);
  });
  return out;
}

/** Naive O(n²) AUC: Σ_pos Σ_neg w_i w_j ([s_i > s_j] + ½[s_i = s_j]) / (W_pos W_neg). */
export function naiveAuc(yTrue: ArrayLike<number>, yScore: ArrayLike<number>, weights?: ArrayLike<number>, idx?: number[]): number {
  const ids = idx ?? Array.from({ length: yTrue.length }, (_, i) => i);
  let num = 0;
  let wp = 0;
  let wn = 0;
  for (const i of ids) {
    const wi = weights ? weights[i]! : 1;
    if (yTrue[i] === 1) wp += wi;
    else wn += wi;
  }
  for (const i of ids) {
    if (yTrue[i] !== 1) continue;
    for (const j of ids) {
      if (yTrue[j] === 1) continue;
      const w = (weights ? weights[i]! : 1) * (weights ? weights[j]! : 1);
      if (yScore[i]! > yScore[j]!) num += w;
      else if (yScore[i] === yScore[j]) num += 0.5 * w;
    }
  }
  return wp > 0 && wn > 0 ? num / (wp * wn) : NaN;
}

/**
 * Naive trapezoidal ROC AUC as sklearn builds it: thresholds at the distinct scores in decreasing
 * order, cumulative weighted true/false positives, trapezoids between consecutive points.
 */
export function trapezoidAuc(yTrue: ArrayLike<number>, yScore: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const n = yTrue.length;
  const ids = Array.from({ length: n }, (_, i) => i).sort((a, b) => yScore[b]! - yScore[a]!);
  const pts: [number, number][] = [[0, 0]];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = ids[k]!;
    const w = weights ? weights[i]! : 1;
    if (yTrue[i] === 1) tp += w;
    else fp += w;
    if (k === n - 1 || yScore[ids[k + 1]!] !== yScore[i]) pts.push([fp, tp]);
  }
  if (tp === 0 || fp === 0) return NaN;
  let area = 0;
  for (let k = 1; k < pts.length; k++) {
    const [x0, y0] = pts[k - 1]!;
    const [x1, y1] = pts[k]!;
    area += ((x1 - x0) * (y0 + y1)) / 2;
  }
  return area / (tp * fp);
}

/** Naive uniform left-closed binning of raw rows: bin = min(n − 1, ⌊p·n⌋). */
export function naiveUniformBins(rows: Rows, idx: number[], nBins: number) {
  const bins = Array.from({ length: nBins }, (_, k) => ({ k, count: 0, weight: 0, wy: 0, wp: 0 }));
  for (const i of idx) {
    const p = rows.yScore[i]!;
    const b = Math.min(nBins - 1, Math.floor(p * nBins));
    const w = rows.weights ? rows.weights[i]! : 1;
    const bin = bins[b]!;
    bin.count++;
    bin.weight += w;
    bin.wy += w * rows.yTrue[i]!;
    bin.wp += w * p;
  }
  return bins;
}
