/**
 * A seeded synthetic loan-approval data set with known, injected unfairness: the demo's data and
 * a test fixture whose answers are known from how it is generated.
 *
 * Generation, per applicant (all draws from one seeded xoshiro128** stream):
 * - `sex`: female with probability 0.48, else male.
 * - `age_band`: 18-29 (0.25), 30-49 (0.45), 50+ (0.29), missing (0.01).
 * - credit quality x ~ N(0, 1); `income` = round(exp(10.4 + 0.35 x + 0.25 z + incomeShift)),
 *   z ~ N(0, 1); `incomeShift` (default 0) injects drift in income alone.
 * - true repayment probability p = σ(0.3 + 1.5 x); `repaid` ~ Bernoulli(p) (1 = repaid).
 * - `score` (the model's probability of repayment) = p, except for 50+ where it is
 *   σ(logit p + 0.9): **miscalibrated**, over-confident for that group.
 * - `approved` = score ≥ 0.5, except for women where the decision threshold is 0.65:
 *   **a lower selection rate and a lower true positive rate for women**.
 *
 * The datasheet is `datasets/loans.md`.
 *
 * @example
 * ```ts
 * const d = generateLoans({ rows: 1000, seed: 1 });
 * d.columns.approved.length; // 1000
 * ```
 */
import { Random } from '../intervals/random.js';

export interface LoanColumns {
  applicant_id: Int32Array;
  sex: string[];
  age_band: (string | null)[];
  income: Float64Array;
  score: Float64Array;
  approved: Uint8Array;
  repaid: Uint8Array;
}

export interface LoanDataset {
  rows: number;
  seed: number;
  columns: LoanColumns;
}

/**
 * The generator's parameters, exported so tests and the datasheet state the same truth.
 *
 * @example
 * ```ts
 * LOAN_PARAMETERS.threshold;       // 0.5
 * LOAN_PARAMETERS.femaleThreshold; // 0.65
 * LOAN_PARAMETERS.femaleShare;     // 0.48
 * ```
 */
export const LOAN_PARAMETERS = {
  femaleShare: 0.48,
  ageBands: [
    ['18-29', 0.25],
    ['30-49', 0.45],
    ['50+', 0.29],
  ] as const,
  missingAgeShare: 0.01,
  intercept: 0.3,
  slope: 1.5,
  miscalibratedBand: '50+',
  miscalibrationLogitShift: 0.9,
  threshold: 0.5,
  femaleThreshold: 0.65,
} as const;

const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));
const logit = (p: number) => Math.log(p / (1 - p));

/**
 * Generate the data set.
 *
 * @example
 * ```ts
 * generateLoans({ rows: 100_000, seed: 42 }).columns.sex[0]; // 'female' or 'male'
 * ```
 */
export function generateLoans(options: { rows?: number; seed?: number; incomeShift?: number } = {}): LoanDataset {
  const rows = options.rows ?? 100_000;
  const seed = options.seed ?? 42;
  const P = LOAN_PARAMETERS;
  // Injected drift for the demo's second window: log-income shifted, nothing else changes.
  const shift = options.incomeShift ?? 0;
  const rng = new Random(seed);
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    // Box–Muller; 1 - u keeps the logarithm finite.
    const u = 1 - rng.uniform();
    const v = rng.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const c: LoanColumns = {
    applicant_id: new Int32Array(rows),
    sex: new Array<string>(rows),
    age_band: new Array<string | null>(rows),
    income: new Float64Array(rows),
    score: new Float64Array(rows),
    approved: new Uint8Array(rows),
    repaid: new Uint8Array(rows),
  };
  for (let i = 0; i < rows; i++) {
    c.applicant_id[i] = i + 1;
    const female = rng.uniform() < P.femaleShare;
    c.sex[i] = female ? 'female' : 'male';
    const a = rng.uniform();
    let band: string | null = null;
    let acc = 0;
    for (const [name, share] of P.ageBands) {
      acc += share;
      if (a < acc) {
        band = name;
        break;
      }
    }
    c.age_band[i] = band; // the remaining 1% is missing
    const x = normal();
    c.income[i] = Math.round(Math.exp(10.4 + 0.35 * x + 0.25 * normal() + shift));
    const p = sigmoid(P.intercept + P.slope * x);
    c.repaid[i] = rng.uniform() < p ? 1 : 0;
    const s = band === P.miscalibratedBand ? sigmoid(logit(p) + P.miscalibrationLogitShift) : p;
    // four decimals, as a model service would log them
    c.score[i] = Math.round(s * 1e4) / 1e4;
    c.approved[i] = c.score[i]! >= (female ? P.femaleThreshold : P.threshold) ? 1 : 0;
  }
  return { rows, seed, columns: c };
}

/**
 * The data set as CSV text (header + one line per applicant; a missing age band is an empty cell).
 *
 * @example
 * ```ts
 * loansToCSV(generateLoans({ rows: 2 })).split('\n')[0]; // 'applicant_id,sex,age_band,income,score,approved,repaid'
 * ```
 */
export function loansToCSV(d: LoanDataset): string {
  const c = d.columns;
  const lines = new Array<string>(d.rows + 1);
  lines[0] = 'applicant_id,sex,age_band,income,score,approved,repaid';
  for (let i = 0; i < d.rows; i++) {
    lines[i + 1] = `${c.applicant_id[i]},${c.sex[i]},${c.age_band[i] ?? ''},${c.income[i]},${c.score[i]},${c.approved[i]},${c.repaid[i]}`;
  }
  return lines.join('\n') + '\n';
}
