/**
 * The fairness summaries and the single pass that builds them.
 *
 * - {@link ConfusionSummary}: per group, the four confusion cells `[tn, fp, fn, tp]` (index
 *   `y * 2 + ŷ`, sklearn's `confusion_matrix(...).ravel()` order), as raw row counts `n` and as
 *   weighted sums `w` (equal to `n` without weights).
 * - {@link ScoreBinSummary}: per group and per fine score bin `[k/B, (k+1)/B)` (score 1.0 in the
 *   last bin): row count `n`, weight `w`, and weighted sums of y, p, p·y and p² (the last two give
 *   the Brier score of any set of bins exactly: Σw(p − y)² = Σwp² − 2Σwpy + Σwy). Any uniform binning whose count
 *   divides `B` is an exact coarsening; `B` defaults to 3000 (divisible by 5, 8, 10, 12, 15, 20,
 *   25, 30, 40, 50, 60, 75, 100, ...).
 *
 * Both are monoids: `zero`, `merge`, `toJSON`/`fromJSON`; merge aligns groups by key.
 *
 * @example
 * ```ts
 * const g = encodeGroups(['a', 'b', 'a'], { column: 'sex' });
 * const { confusion } = accumulate({ grouping: g, yTrue: new Uint8Array([1, 0, 0]), yPred: new Uint8Array([1, 1, 0]) });
 * confusion.n; // Float64Array [1, 0, 0, 1,  0, 1, 0, 0]  (a: tn=1 tp=1; b: fp=1)
 * ```
 */
import { InputError, messages } from '../errors.js';
import { type GroupKey, type Grouping } from './groups.js';
import { cloneKeyed, keyedFromJSON, mergeKeyed, totalCells } from './keyed.js';

/**
 * Cell offsets inside a group's four confusion cells.
 *
 * @example
 * ```ts
 * // with `confusion` from the module example (groups a, b)
 * CELL.tp;                          // 3
 * confusion.n[1 * 4 + CELL.fp];     // 1 (group b's false positives)
 * ```
 */
export const CELL = { tn: 0, fp: 1, fn: 2, tp: 3 } as const;

export interface ConfusionSummary {
  readonly kind: 'confusion';
  readonly columns: string[];
  readonly groups: GroupKey[];
  /** Raw row counts, 4 cells per group. */
  readonly n: Float64Array;
  /** Weighted sums, 4 cells per group (equal to `n` when unweighted). */
  readonly w: Float64Array;
}

export interface ScoreBinSummary {
  readonly kind: 'scoreBins';
  readonly columns: string[];
  readonly groups: GroupKey[];
  /** Number of fine uniform bins on [0, 1]. */
  readonly bins: number;
  /**
   * Per group and bin, {@link BIN_STRIDE} interleaved cells at `(g * bins + b) * BIN_STRIDE + BIN.x`:
   * row count `n`, weight `w`, and the weighted sums Σw·y, Σw·p, Σw·p·y, Σw·p², Σw·ŷ, Σw·y·ŷ.
   * Interleaving keeps one bin's cells on one cache line, and per-bin (rather than per-group)
   * sums avoid serial dependencies in the hot loop; the unweighted pass derives the confusion
   * cells from the last two sums instead of updating a separate 4-cell table per row
   * (measured on 1e7 rows: 51 -> 70 M rows/s for per-bin moments, and to ~75 for the derived
   * confusion cells).
   */
  readonly cells: Float64Array;
}

/**
 * Cell offsets inside a score bin.
 *
 * @example
 * ```ts
 * const g = encodeGroups(['a', 'a'], { column: 'g' });
 * const { scoreBins } = accumulate({ grouping: g, yTrue: new Uint8Array([0, 1]), yPred: new Uint8Array([0, 1]),
 *   yScore: new Float64Array([0.2, 0.9]), bins: 10 });
 * scoreBins!.cells[(0 * 10 + 9) * BIN_STRIDE + BIN.wp]; // 0.9 (Σw·p of group a, bin [0.9, 1])
 * ```
 */
export const BIN = { n: 0, w: 1, wy: 2, wp: 3, wpy: 4, wp2: 5, wyhat: 6, wyyhat: 7 } as const;
/**
 * Cells per score bin.
 *
 * @example
 * ```ts
 * BIN_STRIDE; // 8, so scoreBins.cells.length === scoreBins.groups.length * scoreBins.bins * BIN_STRIDE
 * ```
 */
export const BIN_STRIDE = 8;

/**
 * Default number of fine score bins.
 *
 * @example
 * ```ts
 * DEFAULT_FINE_BINS;     // 3000
 * scoreBinsZero().bins;  // 3000
 * ```
 */
export const DEFAULT_FINE_BINS = 3000;

const CONF_STRIDES = { n: 4, w: 4 };
const binStrides = (bins: number) => ({ cells: bins * BIN_STRIDE });

/** The neutral confusion summary. @example `confusionZero(['sex']).groups // []` */
export function confusionZero(columns: string[] = []): ConfusionSummary {
  return { kind: 'confusion', columns: [...columns], groups: [], n: new Float64Array(0), w: new Float64Array(0) };
}

/** Merge two confusion summaries (groups aligned by key). @example `mergeConfusion(a, b).n` */
export function mergeConfusion(a: ConfusionSummary, b: ConfusionSummary): ConfusionSummary {
  const m = mergeKeyed(
    { columns: a.columns, groups: a.groups, arrays: { n: a.n, w: a.w } },
    { columns: b.columns, groups: b.groups, arrays: { n: b.n, w: b.w } },
    CONF_STRIDES,
    'mergeConfusion',
  );
  return { kind: 'confusion', columns: m.columns, groups: m.groups, n: m.arrays.n!, w: m.arrays.w! };
}

/** Plain-JSON form of a confusion summary. @example `JSON.stringify(confusionToJSON(s))` */
export function confusionToJSON(s: ConfusionSummary): Record<string, unknown> {
  return { kind: s.kind, version: 1, columns: s.columns, groups: s.groups, n: Array.from(s.n), w: Array.from(s.w) };
}

/** Read a confusion summary back from JSON (validated). @example `confusionFromJSON(JSON.parse(text))` */
export function confusionFromJSON(json: unknown): ConfusionSummary {
  const k = keyedFromJSON(json, 'confusion', CONF_STRIDES, 'confusionFromJSON');
  return { kind: 'confusion', columns: k.columns, groups: k.groups, n: k.arrays.n!, w: k.arrays.w! };
}

/**
 * The overall (all groups pooled) confusion cells: `{ n, w }`, 4 cells each.
 *
 * @example
 * ```ts
 * // with `confusion` from the module example (a: tn=1 tp=1; b: fp=1)
 * confusionTotals(confusion).n; // Float64Array [1, 1, 0, 1]  ([tn, fp, fn, tp] over all groups)
 * ```
 */
export function confusionTotals(s: ConfusionSummary): { n: Float64Array; w: Float64Array } {
  return { n: totalCells(s.n, 4), w: totalCells(s.w, 4) };
}

/** The neutral score-bin summary. @example `scoreBinsZero(['sex']).bins // 3000` */
export function scoreBinsZero(columns: string[] = [], bins = DEFAULT_FINE_BINS): ScoreBinSummary {
  return { kind: 'scoreBins', columns: [...columns], groups: [], bins, cells: new Float64Array(0) };
}

/** Merge two score-bin summaries with the same fine bin count. @example `mergeScoreBins(a, b).wy` */
export function mergeScoreBins(a: ScoreBinSummary, b: ScoreBinSummary): ScoreBinSummary {
  if (a.bins !== b.bins) {
    throw new InputError(messages.summaryMismatch('mergeScoreBins', 'bin counts', a.bins, b.bins), 'summaryMismatch');
  }
  const pick = (s: ScoreBinSummary) => ({ columns: s.columns, groups: s.groups, arrays: { cells: s.cells } });
  const m = mergeKeyed(pick(a), pick(b), binStrides(a.bins), 'mergeScoreBins');
  return { kind: 'scoreBins', columns: m.columns, groups: m.groups, bins: a.bins, cells: m.arrays.cells! };
}

/**
 * Plain-JSON form of a score-bin summary.
 *
 * @example
 * ```ts
 * const g = encodeGroups(['a', 'a'], { column: 'g' });
 * const { scoreBins } = accumulate({ grouping: g, yTrue: new Uint8Array([0, 1]), yPred: new Uint8Array([0, 1]),
 *   yScore: new Float64Array([0.2, 0.9]), bins: 10 });
 * const j = scoreBinsToJSON(scoreBins!);
 * [j.kind, j.version, j.bins, (j.cells as number[]).length]; // ['scoreBins', 1, 10, 80]
 * ```
 */
export function scoreBinsToJSON(s: ScoreBinSummary): Record<string, unknown> {
  return {
    kind: s.kind,
    version: 1,
    columns: s.columns,
    groups: s.groups,
    bins: s.bins,
    cells: Array.from(s.cells),
  };
}

/**
 * Read a score-bin summary back from JSON (validated).
 *
 * @example
 * ```ts
 * // `scoreBins` as in the scoreBinsToJSON example (1 group, 10 bins)
 * scoreBinsFromJSON(JSON.parse(JSON.stringify(scoreBinsToJSON(scoreBins!)))).cells.length; // 80
 * scoreBinsFromJSON({ kind: 'scoreBins' });
 * // throws InputError: 'scoreBinsFromJSON: summary JSON field bins is invalid (undefined)'
 * ```
 */
export function scoreBinsFromJSON(json: unknown): ScoreBinSummary {
  const bins = (json as { bins?: unknown } | null)?.bins;
  if (typeof bins !== 'number' || !Number.isInteger(bins) || bins < 1) {
    throw new InputError(messages.badSummary('scoreBinsFromJSON', 'bins', bins), 'badSummary');
  }
  const k = keyedFromJSON(json, 'scoreBins', binStrides(bins), 'scoreBinsFromJSON');
  return { kind: 'scoreBins', columns: k.columns, groups: k.groups, bins, cells: k.arrays.cells! };
}

/**
 * Deep copy of a confusion summary.
 *
 * @example
 * ```ts
 * // with `confusion` from the module example
 * const copy = cloneConfusion(confusion);
 * copy.n[0] = 99;
 * confusion.n[0]; // 1 (the original is untouched)
 * ```
 */
export function cloneConfusion(s: ConfusionSummary): ConfusionSummary {
  const k = cloneKeyed({ columns: s.columns, groups: s.groups, arrays: { n: s.n, w: s.w } });
  return { kind: 'confusion', columns: k.columns, groups: k.groups, n: k.arrays.n!, w: k.arrays.w! };
}

export interface AccumulateInput {
  grouping: Grouping;
  /** 0/1 labels, one per row. */
  yTrue: Uint8Array;
  /** 0/1 predictions, one per row. */
  yPred: Uint8Array;
  /** Probability scores in [0, 1] (optional; enables the score-bin summary). */
  yScore?: Float64Array;
  /** Non-negative finite weights (optional). */
  weights?: Float64Array;
  /** Fine bin count of the score summary (default 3000). */
  bins?: number;
  /** Column name of the scores, for error messages. */
  scoreColumn?: string;
}

/**
 * One pass over the columns: per-group confusion cells and, when scores are given, per-group
 * fine score bins. Plain `for` loops over typed arrays; the unweighted path is its own loop;
 * nothing is allocated per row. Dropped rows (code `keys.length`) land in a spare slot that is
 * discarded. Throws {@link InputError} naming the first row whose score is outside [0, 1].
 *
 * @example
 * ```ts
 * const { confusion, scoreBins } = accumulate({ grouping, yTrue, yPred, yScore });
 * ```
 */
export function accumulate(input: AccumulateInput): { confusion: ConfusionSummary; scoreBins?: ScoreBinSummary } {
  const { grouping, yTrue, yPred, yScore, weights } = input;
  const B = input.bins ?? DEFAULT_FINE_BINS;
  const G = grouping.keys.length;
  const codes = grouping.codes;
  const len = codes.length;
  const cn = new Float64Array((G + 1) * 4);
  const cw = weights ? new Float64Array((G + 1) * 4) : cn;
  const cells = yScore ? new Float64Array((G + 1) * B * BIN_STRIDE) : new Float64Array(0);

  if (!weights && !yScore) countLoop(codes, yTrue, yPred, cn);
  else {
    let from = 0;
    // A bad score stops the loop; a dropped row's bad score is skipped and the pass resumes.
    for (;;) {
      const bad = weights
        ? weightedLoop(codes, yTrue, yPred, yScore, weights, B, cn, cw, cells, from)
        : scoreLoop(codes, yTrue, yPred, yScore!, B, cells, from);
      if (bad < 0) break;
      checkDroppedOrThrow(input, bad);
      from = bad + 1;
    }
    if (!weights) {
      // Unweighted: the weight cell equals the count cell, and the confusion cells follow from
      // the per-bin sums of y, ŷ and y·ŷ (all integers, so exact).
      for (let k = 0; k < cells.length; k += BIN_STRIDE) cells[k + 1] = cells[k]!;
      confusionFromBins(cells, G + 1, B, cn);
    }
  }
  const keep = (a: Float64Array, stride: number) => a.slice(0, G * stride);
  const cnK = keep(cn, 4);
  const confusion: ConfusionSummary = {
    kind: 'confusion',
    columns: [...grouping.columns],
    groups: grouping.keys.map((k) => [...k]),
    n: cnK,
    w: cw === cn ? cnK.slice() : keep(cw, 4),
  };
  if (!yScore) return { confusion };
  const scoreBins: ScoreBinSummary = {
    kind: 'scoreBins',
    columns: [...grouping.columns],
    groups: grouping.keys.map((k) => [...k]),
    bins: B,
    cells: keep(cells, B * BIN_STRIDE),
  };
  return { confusion, scoreBins };
}

/** Out-of-line error path of {@link accumulate} (kept out of the hot loop's closure scope). */
function checkDroppedOrThrow(input: AccumulateInput, i: number): void {
  const { grouping, yScore } = input;
  if (grouping.codes[i] === grouping.keys.length) return; // dropped rows are not validated
  const column = input.scoreColumn ?? 'yScore';
  throw new InputError(messages.scoreOutOfRange('accumulate', column, i, yScore![i]), 'scoreOutOfRange', {
    column,
    row: i,
    value: yScore![i],
  });
}

// The hot loops live in small monomorphic functions of their own: V8 optimises them far better
// than one large function with several loops (measured: 55 -> 115 M rows/s on the score pass).

function countLoop(codes: Uint32Array, yTrue: Uint8Array, yPred: Uint8Array, cn: Float64Array): void {
  const len = codes.length;
  for (let i = 0; i < len; i++) cn[(codes[i]! << 2) | (yTrue[i]! << 1) | yPred[i]!]! += 1;
}

function scoreLoop(
  codes: Uint32Array,
  yTrue: Uint8Array,
  yPred: Uint8Array,
  yScore: Float64Array,
  B: number,
  cells: Float64Array,
  from: number,
): number {
  const len = codes.length;
  for (let i = from; i < len; i++) {
    const g = codes[i]!;
    const y = yTrue[i]!;
    const s = yScore[i]!;
    if (!(s >= 0 && s <= 1)) return i;
    const yhat = yPred[i]!;
    let b = (s * B) | 0;
    if (b === B) b = B - 1;
    const k = (g * B + b) << 3;
    cells[k]! += 1;
    cells[k + 2]! += y;
    cells[k + 3]! += s;
    cells[k + 4]! += s * y;
    cells[k + 5]! += s * s;
    cells[k + 6]! += yhat;
    cells[k + 7]! += yhat & y;
  }
  return -1;
}

function weightedLoop(
  codes: Uint32Array,
  yTrue: Uint8Array,
  yPred: Uint8Array,
  yScore: Float64Array | undefined,
  weights: Float64Array,
  B: number,
  cn: Float64Array,
  cw: Float64Array,
  cells: Float64Array,
  from: number,
): number {
  const len = codes.length;
  for (let i = from; i < len; i++) {
    const g = codes[i]!;
    const y = yTrue[i]!;
    const wt = weights[i]!;
    const c = (g << 2) | (y << 1) | yPred[i]!;
    cn[c]! += 1;
    cw[c]! += wt;
    if (yScore) {
      const s = yScore[i]!;
      if (!(s >= 0 && s <= 1)) return i;
      let b = (s * B) | 0;
      if (b === B) b = B - 1;
      const k = (g * B + b) << 3;
      const ws = wt * s;
      const yhat = yPred[i]!;
      cells[k]! += 1;
      cells[k + 1]! += wt;
      cells[k + 2]! += wt * y;
      cells[k + 3]! += ws;
      cells[k + 4]! += ws * y;
      cells[k + 5]! += ws * s;
      cells[k + 6]! += wt * yhat;
      cells[k + 7]! += wt * (yhat & y);
    }
  }
  return -1;
}

/** Confusion cells `[tn, fp, fn, tp]` per group from the per-bin sums of y, ŷ and y·ŷ. */
function confusionFromBins(cells: Float64Array, groups: number, B: number, cn: Float64Array): void {
  for (let g = 0; g < groups; g++) {
    let n = 0;
    let y = 0;
    let yhat = 0;
    let both = 0;
    for (let k = g * B * BIN_STRIDE, end = k + B * BIN_STRIDE; k < end; k += BIN_STRIDE) {
      n += cells[k]!;
      y += cells[k + BIN.wy]!;
      yhat += cells[k + BIN.wyhat]!;
      both += cells[k + BIN.wyyhat]!;
    }
    const o = g * 4;
    cn[o + CELL.tp] = both;
    cn[o + CELL.fp] = yhat - both;
    cn[o + CELL.fn] = y - both;
    cn[o + CELL.tn] = n - yhat - y + both;
  }
}
