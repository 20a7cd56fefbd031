/**
 * The metric catalogue: one YAML card per metric in the package's `metrics/` folder (definition,
 * formula, range, ideal, direction, default thresholds, the summary it needs, 0/0 behaviour,
 * ISO/IEC 42001 Annex A controls it evidences, equivalents in fairlearn / sklearn / AIF360 /
 * Evidently / scipy), and the registry {@link METRIC_IMPLEMENTATIONS} of where the code computes
 * each id.
 *
 * The registry is built from the code tables themselves (`RATE_NAMES`, `SCORE_METRIC_NAMES`,
 * `NAMED_DISPARITY_NAMES`, plus `count`, and `DRIFT_STATISTICS` of `src/drift/ids.ts`), not
 * copied by hand, so a test can check that every implemented metric has exactly one card and
 * every card an implementation.
 *
 * Threshold semantics by `direction` (the policy layer applies them):
 * - `higher_is_better`: warn when value < warn, fail when value < fail (so warn > fail);
 * - `lower_is_better`: warn when value > warn, fail when value > fail (so warn < fail);
 * - `closer_to_ideal`: warn/fail bound the distance |value − ideal| (so 0 ≤ warn < fail);
 * - `neutral`: no value is better in itself (selection rate, base rate); thresholds are null and
 *   the metric is judged through disparities across groups.
 *
 * Drift cards (`kind: 'drift'`, one per column statistic, reference vs current) have a single
 * limit instead of warn / fail: `thresholds: { drift }` — the column drifts when the value (or,
 * when `effect` is named, that effect size) is ≥ `drift`; for p-value tests (`pValue: true`) the
 * thresholds add `alpha` and the column drifts only when the effect passes `drift` *and* the
 * p-value is below `alpha`. Drift cards also say which column types they apply to (`appliesTo`)
 * and are computed from reference / current profiles (`summary: 'profile'`).
 *
 * @example
 * ```ts
 * import { metricCard, metricCards, formatCardsMarkdown, METRIC_IMPLEMENTATIONS } from 'fairwatch';
 * metricCard('demographicParityRatio').thresholds; // { warn: 0.9, fail: 0.8 }
 * METRIC_IMPLEMENTATIONS.tpr.module;               // 'src/fairness/rates.ts'
 * formatCardsMarkdown(metricCards());              // '## Metric definitions\n\n...'
 * ```
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError, SchemaError, messages, show } from '../errors.js';
import { RATE_NAMES, type RateName } from '../fairness/rates.js';
import { NAMED_DISPARITIES, NAMED_DISPARITY_NAMES, SCORE_METRIC_NAMES, type NamedDisparity, type ScoreMetricName } from '../fairness/result.js';
import { DRIFT_STATISTICS, type DriftStatistic } from '../drift/ids.js';
import { ANNEX_A_CONTROLS, ANNEX_A_IDS, type AnnexAControlId } from './annex-a-ids.js';

/**
 * What a metric is: a per-group rate (or count), a per-group score metric, a disparity across
 * groups, or a drift statistic of one column (reference vs current).
 */
export type MetricKind = 'rate' | 'score' | 'disparity' | 'drift';
/** Which way a metric is better; see the module doc for the threshold semantics of each. */
export type MetricDirection = 'higher_is_better' | 'lower_is_better' | 'closer_to_ideal' | 'neutral';
/**
 * The summary a metric is finalized from: confusion cells, score bins, raw scores (exact AUC), or
 * column profiles (drift: sorted values or a quantile sample, bin counts on reference edges,
 * category counts, null counts).
 */
export type MetricSummaryKind = 'confusion' | 'scoreBins' | 'rawScores' | 'profile';
/** Column types a drift statistic applies to. */
export type DriftColumnType = 'numeric' | 'categorical' | 'boolean';

/** Default warn / fail limits of a card (see the module doc for their meaning per direction). */
export interface MetricThresholds {
  warn: number;
  fail: number;
}

/**
 * Default limit of a drift card: drift when the value (or the named `effect`) is ≥ `drift`, and,
 * for p-value tests, the p-value is below `alpha`.
 */
export interface DriftThresholds {
  drift: number;
  /** Significance level; present exactly on p-value cards (`pValue: true`). */
  alpha?: number;
  /** The effect size `drift` limits when it is not the card's value (e.g. "Cramér's V"). */
  effect?: string;
}

/** One metric card, as validated from `metrics/<id>.yaml`. */
export interface MetricCard {
  /** The metric id, equal to the file name and to the id the code uses. */
  id: string;
  title: string;
  kind: MetricKind;
  /** Plain-words definition. */
  definition: string;
  /** The formula as text (Unicode math). */
  formula: string;
  /** [low, high] of the default method; `null` = unbounded on that side. */
  range: readonly [number | null, number | null];
  /** The ideal value, or null when no value is ideal. */
  ideal: number | null;
  direction: MetricDirection;
  /**
   * Default limits (warn / fail; a drift card's single `drift` limit and `alpha`), or null when the
   * card sets none (with the reason in `thresholdsSource`).
   */
  thresholds: MetricThresholds | DriftThresholds | null;
  /** Where the default limits come from. */
  thresholdsSource: string;
  summary: MetricSummaryKind;
  /** When the metric is undefined (null: never). */
  undefinedWhen: string | null;
  /** What fairwatch reports then: value null and this reason (null: never undefined). */
  fairwatchBehaviour: { value: null; reason: string } | null;
  /** What `compat: 'fairlearn'` does with an undefined value: 0 (fairlearn's convention) or null. */
  fairlearnCompat: { undefinedAs: 0 | null; note: string };
  /** Annex A controls this metric provides evidence for. */
  isoControls: readonly AnnexAControlId[];
  /** Fully qualified names of the same metric elsewhere, or null where there is none (`scipy` optional). */
  equivalents: { fairlearn: string | null; sklearn: string | null; aif360: string | null; evidently: string | null; scipy?: string | null };
  /** Where fairwatch deliberately differs, and other caveats. */
  notes: readonly string[];
  /** Drift cards only (required there): the column types the statistic applies to. */
  appliesTo?: readonly DriftColumnType[];
  /** Drift cards only (required there): whether the statistic comes with a p-value (then thresholds carry `alpha`). */
  pValue?: boolean;
}

/** Every metric id the code implements. */
export type MetricId = RateName | 'count' | ScoreMetricName | NamedDisparity | DriftStatistic;

/** Where the code computes a metric. */
export interface MetricImplementation {
  id: MetricId;
  kind: MetricKind;
  /** Repository-relative source file that defines it. */
  module: string;
  /** The code table entry or function that defines or computes it. */
  source: string;
  /** How to read it from a `GroupMetricsResult` `r` (drift: from a `DriftReport` `r`). */
  access: string;
  /** For disparities: the per-group metric(s) compared, how, and with which fixed method if any. */
  compares?: { metrics: readonly string[]; kind: 'difference' | 'ratio'; method?: 'to_reference' };
}

/**
 * Message factories of this module (the shared catalogue in `src/errors.ts` has no card messages
 * yet; these belong there). Tests compare against them.
 *
 * @example
 * ```ts
 * metricCardMessages.idMismatch('loadMetricCards', 'tpr.yaml', 'fpr');
 * // 'loadMetricCards: metric card "tpr.yaml" has id "fpr"; the id must equal the file name'
 * ```
 * Kept as an alias of the catalogue's entries for callers that used it.
 */
export const metricCardMessages = {
  invalidCard: messages.invalidCard,
  unreadableCard: messages.unreadableCard,
  idMismatch: messages.idMismatch,
  duplicateId: messages.duplicateId,
  folderNotFound: messages.folderNotFound,
} as const;

const rateImplementations = RATE_NAMES.map(
  (id): MetricImplementation => ({ id, kind: 'rate', module: 'src/fairness/rates.ts', source: `RATES.${id}`, access: `r.value('${id}', group)` }),
);
const countImplementation: MetricImplementation = {
  id: 'count',
  kind: 'rate',
  module: 'src/fairness/group-metrics.ts',
  source: 'groupMetricsFromSummaries (GroupRow.count: raw rows of the confusion summary)',
  access: 'r.groups[i].count',
};
const scoreImplementations = SCORE_METRIC_NAMES.map(
  (id): MetricImplementation => ({
    id,
    kind: 'score',
    module: 'src/fairness/group-metrics.ts',
    source: `groupMetricsFromSummaries via ${id === 'auc' ? 'aucByGroup (exact) or aucFromBins (binned)' : `calibrationByGroup(...).stats.${id}`} from src/calibration`,
    access: `r.value('${id}', group)`,
  }),
);
const disparityImplementations = NAMED_DISPARITY_NAMES.map((id): MetricImplementation => {
  const base = { id, kind: 'disparity' as const, module: 'src/fairness/result.ts', access: `r.named('${id}')` };
  if (id === 'disparateImpact') {
    return { ...base, source: "GroupMetricsResult.named: ratio('selectionRate', { method: 'to_reference' })", compares: { metrics: ['selectionRate'], kind: 'ratio', method: 'to_reference' } };
  }
  const spec = NAMED_DISPARITIES[id];
  const metrics = spec.metric === 'equalizedOdds' ? ['tpr', 'fpr'] : [spec.metric];
  return { ...base, source: `NAMED_DISPARITIES.${id}`, compares: { metrics, kind: spec.kind } };
});
/** How a drift statistic is read from a `DriftReport` column (`ColumnDrift`). */
const DRIFT_ACCESS: Record<DriftStatistic, string> = {
  psi: 'r.columns[i].psi',
  jensenShannon: 'r.columns[i].jensenShannon (base in r.columns[i].jsBase)',
  ks: 'r.columns[i].ksStatistic, .ksPValue, .ksMethod',
  wasserstein: 'r.columns[i].wasserstein',
  wassersteinNormed: 'r.columns[i].wassersteinNormed',
  chiSquare: 'r.columns[i].chiSquare, .chiSquareDof, .chiSquarePValue, .cramersV',
  zTest: 'r.columns[i].zTest, .zTestPValue, .cohensH',
  hellinger: 'r.columns[i].hellinger',
  kl: 'r.columns[i].kl',
  tvd: 'r.columns[i].tvd',
  missingShare: 'r.columns[i].missingShareCurrent − r.columns[i].missingShareReference',
  unseenShare: 'r.columns[i].unseenShare',
};
const driftImplementations = DRIFT_STATISTICS.map(
  (id): MetricImplementation => ({ id, kind: 'drift', module: 'src/drift/stats/', source: `DRIFT_STATISTICS.${id} (driftReport per column)`, access: DRIFT_ACCESS[id] }),
);
const allImplementations: readonly MetricImplementation[] = [
  ...rateImplementations,
  countImplementation,
  ...scoreImplementations,
  ...disparityImplementations,
  ...driftImplementations,
];

/**
 * Every implemented metric id, in catalogue order: rates, count, score metrics, disparities,
 * drift statistics.
 *
 * @example
 * ```ts
 * METRIC_IDS.length;      // 40
 * METRIC_IDS.slice(0, 3); // ['selectionRate', 'baseRate', 'tpr']
 * METRIC_IDS.at(-1);      // 'unseenShare'
 * ```
 */
export const METRIC_IDS: readonly MetricId[] = Object.freeze(allImplementations.map((m) => m.id));

/**
 * The registry: metric id -> where the code computes it, generated from the code tables.
 *
 * @example
 * ```ts
 * METRIC_IMPLEMENTATIONS.equalizedOddsRatio.compares; // { metrics: ['tpr', 'fpr'], kind: 'ratio' }
 * METRIC_IMPLEMENTATIONS.psi.module;                  // 'src/drift/stats/'
 * Object.keys(METRIC_IMPLEMENTATIONS).length;         // 40
 * ```
 */
export const METRIC_IMPLEMENTATIONS: Readonly<Record<MetricId, MetricImplementation>> = Object.freeze(
  Object.fromEntries(allImplementations.map((m) => [m.id, Object.freeze(m)])) as Record<MetricId, MetricImplementation>,
);

const text = z.string().trim().min(1);
const nullableText = text.nullable();
const DRIFT_COLUMN_TYPES = ['numeric', 'categorical', 'boolean'] as const satisfies readonly DriftColumnType[];
const isDriftThresholds = (t: MetricThresholds | DriftThresholds): t is DriftThresholds => 'drift' in t;

/**
 * The zod schema of a card, with the cross-field checks (range, ideal, threshold order, controls).
 *
 * @example
 * ```ts
 * metricCardSchema.safeParse({ id: 'tpr' }).success; // false
 * ```
 */
export const metricCardSchema: z.ZodType<MetricCard> = z
  .strictObject({
    id: z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'must be a camelCase identifier'),
    title: text,
    kind: z.enum(['rate', 'score', 'disparity', 'drift']),
    definition: text,
    formula: text,
    range: z.tuple([z.number().nullable(), z.number().nullable()]),
    ideal: z.number().nullable(),
    direction: z.enum(['higher_is_better', 'lower_is_better', 'closer_to_ideal', 'neutral']),
    thresholds: z
      .union([
        z.strictObject({ warn: z.number(), fail: z.number() }),
        z.strictObject({ drift: z.number(), alpha: z.number().gt(0).lt(1).optional(), effect: text.optional() }),
      ])
      .nullable(),
    thresholdsSource: text,
    summary: z.enum(['confusion', 'scoreBins', 'rawScores', 'profile']),
    undefinedWhen: nullableText,
    fairwatchBehaviour: z.strictObject({ value: z.null(), reason: text }).nullable(),
    fairlearnCompat: z.strictObject({ undefinedAs: z.union([z.literal(0), z.null()]), note: text }),
    isoControls: z.array(z.enum(ANNEX_A_IDS as [AnnexAControlId, ...AnnexAControlId[]])).min(1),
    equivalents: z.strictObject({
      fairlearn: nullableText,
      sklearn: nullableText,
      aif360: nullableText,
      evidently: nullableText,
      scipy: nullableText.optional(),
    }),
    notes: z.array(text),
    appliesTo: z.array(z.enum(DRIFT_COLUMN_TYPES)).min(1).optional(),
    pValue: z.boolean().optional(),
  })
  .superRefine((c, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const [lo, hi] = c.range;
    const inRange = (v: number) => (lo === null || v >= lo) && (hi === null || v <= hi);
    if (lo !== null && hi !== null && !(lo < hi)) issue(['range'], `low ${lo} must be below high ${hi}`);
    if (c.ideal !== null && !inRange(c.ideal)) issue(['ideal'], `${c.ideal} is outside the range [${lo ?? '−∞'}, ${hi ?? '∞'}]`);
    if (c.direction === 'closer_to_ideal' && c.ideal === null) issue(['ideal'], "direction 'closer_to_ideal' needs an ideal value");
    const drift = c.kind === 'drift';
    if (drift !== (c.summary === 'profile')) issue(['summary'], "drift cards, and only they, are computed from 'profile' summaries");
    if (drift && c.appliesTo === undefined) issue(['appliesTo'], 'a drift card must list the column types it applies to');
    if (!drift && c.appliesTo !== undefined) issue(['appliesTo'], 'only drift cards have appliesTo');
    if (c.appliesTo && new Set(c.appliesTo).size !== c.appliesTo.length) issue(['appliesTo'], 'lists a column type twice');
    if (drift && c.pValue === undefined) issue(['pValue'], 'a drift card must say whether it has a p-value (true or false)');
    if (!drift && c.pValue !== undefined) issue(['pValue'], 'only drift cards have pValue');
    const t = c.thresholds;
    if (t && isDriftThresholds(t)) {
      if (!drift) issue(['thresholds'], 'only drift cards have a { drift } threshold; use { warn, fail }');
      if (c.direction !== 'lower_is_better' && t.effect === undefined) {
        issue(['thresholds', 'drift'], `a drift limit on the value needs direction lower_is_better, got ${c.direction}`);
      }
      if (t.effect === undefined && !inRange(t.drift)) issue(['thresholds', 'drift'], `${t.drift} is outside the range`);
      if (!(t.drift > 0)) issue(['thresholds', 'drift'], `must be above 0, got ${t.drift}`);
      if (c.pValue === false && t.alpha !== undefined) issue(['thresholds', 'alpha'], 'only p-value cards (pValue: true) have alpha');
    } else if (t) {
      if (drift) issue(['thresholds'], 'drift cards have a single limit { drift } (and alpha for p-value tests), not { warn, fail }');
      if (c.direction === 'neutral') issue(['thresholds'], "a 'neutral' metric has no thresholds (use null)");
      if (c.direction === 'higher_is_better' && !(t.warn > t.fail)) issue(['thresholds'], `higher_is_better needs warn > fail, got warn ${t.warn}, fail ${t.fail}`);
      if (c.direction === 'lower_is_better' && !(t.warn < t.fail)) issue(['thresholds'], `lower_is_better needs warn < fail, got warn ${t.warn}, fail ${t.fail}`);
      if (c.direction === 'closer_to_ideal' && !(t.warn >= 0 && t.warn < t.fail)) {
        issue(['thresholds'], `closer_to_ideal limits are distances from the ideal and need 0 <= warn < fail, got warn ${t.warn}, fail ${t.fail}`);
      }
      if (c.direction === 'higher_is_better' || c.direction === 'lower_is_better') {
        if (!inRange(t.warn)) issue(['thresholds', 'warn'], `${t.warn} is outside the range`);
        if (!inRange(t.fail)) issue(['thresholds', 'fail'], `${t.fail} is outside the range`);
      }
    }
    if (c.pValue === true && !(t && isDriftThresholds(t) && t.alpha !== undefined)) {
      issue(['thresholds', 'alpha'], 'a p-value card (pValue: true) needs thresholds { drift, alpha }');
    }
    if ((c.undefinedWhen === null) !== (c.fairwatchBehaviour === null)) {
      issue(['fairwatchBehaviour'], 'undefinedWhen and fairwatchBehaviour must both be null (never undefined) or both be given');
    }
    if (new Set(c.isoControls).size !== c.isoControls.length) issue(['isoControls'], 'lists a control twice');
  });

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parse and validate one card from YAML text. `source` (a file name) names the card in errors;
 * throws `SchemaError` (code `invalidMetricCard`) naming the field and the problem.
 *
 * @example
 * ```ts
 * const card = parseMetricCard(readFileSync('metrics/tpr.yaml', 'utf8'), 'tpr.yaml');
 * card.fairlearnCompat.undefinedAs; // 0
 * parseMetricCard('id: tpr', 'tpr.yaml'); // throws SchemaError: ... invalid at title: ...
 * ```
 */
export function parseMetricCard(yamlText: string, source = '(text)'): MetricCard {
  const fn = 'parseMetricCard';
  let doc: unknown;
  try {
    doc = parseYaml(yamlText);
  } catch (e) {
    const reason = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new SchemaError(metricCardMessages.unreadableCard(fn, source, reason), 'invalidMetricCard', { source });
  }
  const parsed = metricCardSchema.safeParse(doc);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const field = first.path.map(String).join('.');
    throw new SchemaError(metricCardMessages.invalidCard(fn, source, field, first.message), 'invalidMetricCard', {
      source,
      issues: parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message })),
    });
  }
  return deepFreeze(parsed.data);
}

const order = new Map<string, number>(METRIC_IDS.map((id, i) => [id, i]));
const byCatalogueOrder = (a: MetricCard, b: MetricCard) =>
  (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Load and validate every `*.yaml` / `*.yml` card in `dir`, in catalogue order (implemented ids
 * first, in {@link METRIC_IDS} order, then any others by id). A card's id must equal its file name.
 *
 * @example
 * ```ts
 * loadMetricCards(metricCardsDir()).map((c) => c.id); // ['selectionRate', 'baseRate', ...]
 * ```
 */
export function loadMetricCards(dir: string | URL): MetricCard[] {
  const fn = 'loadMetricCards';
  const path = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const cards: MetricCard[] = [];
  const seen = new Set<string>();
  for (const file of readdirSync(path).sort()) {
    const m = /^(.+)\.ya?ml$/.exec(file);
    if (!m) continue;
    const card = parseMetricCard(readFileSync(join(path, file), 'utf8'), file);
    if (card.id !== m[1]) throw new SchemaError(metricCardMessages.idMismatch(fn, file, card.id), 'invalidMetricCard', { source: file });
    if (seen.has(card.id)) throw new SchemaError(metricCardMessages.duplicateId(fn, card.id), 'invalidMetricCard', { id: card.id });
    seen.add(card.id);
    cards.push(card);
  }
  return cards.sort(byCatalogueOrder);
}

/**
 * The package's `metrics/` folder. From the sources (`src/metrics/`) it is two levels up; from the
 * compiled module (`dist/src/metrics/`) three; the first that exists wins.
 *
 * @example
 * ```ts
 * metricCardsDir(); // '/path/to/node_modules/fairwatch/metrics'
 * ```
 */
export function metricCardsDir(): string {
  const tried = ['../../metrics/', '../../../metrics/'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  for (const p of tried) if (existsSync(p) && statSync(p).isDirectory()) return p;
  throw new SchemaError(metricCardMessages.folderNotFound('metricCardsDir', tried), 'metricCardsNotFound', { tried });
}

let cached: MetricCard[] | undefined;

/**
 * All metric cards shipped with the package (read once, then cached), in catalogue order.
 *
 * @example
 * ```ts
 * metricCards().filter((c) => c.kind === 'disparity').length; // 13
 * ```
 */
export function metricCards(): MetricCard[] {
  cached ??= loadMetricCards(metricCardsDir());
  return [...cached];
}

/**
 * The card of one metric; `InputError` (`unknownMetric`) for an id without a card.
 *
 * @example
 * ```ts
 * metricCard('ece').thresholds; // { warn: 0.03, fail: 0.05 }
 * metricCard('f1');             // throws InputError: metricCard: unknown metric "f1"; available: ...
 * ```
 */
export function metricCard(id: string): MetricCard {
  const cards = metricCards();
  const card = cards.find((c) => c.id === id);
  if (!card) {
    throw new InputError(
      messages.unknownMetric('metricCard', id, cards.map((c) => c.id)),
      'unknownMetric',
      { metric: id },
    );
  }
  return card;
}

const KIND_HEADINGS: Record<MetricKind, string> = {
  rate: 'Rates and counts per group',
  score: 'Score metrics per group (ranking and calibration)',
  disparity: 'Disparities across groups',
  drift: 'Drift statistics per column (reference vs current)',
};
const SUMMARY_TEXT: Record<MetricSummaryKind, string> = {
  confusion: 'confusion counts per group (mergeable summary)',
  scoreBins: 'score-bin sums per group (mergeable summary)',
  rawScores: 'raw scores for the exact value; score-bin sums give a bounded approximation',
  profile:
    'column profiles of reference and current data (sorted values or a quantile sample, bin counts on reference edges, category counts, null counts)',
};
const DIRECTION_TEXT: Record<MetricDirection, string> = {
  higher_is_better: 'higher is better',
  lower_is_better: 'lower is better',
  closer_to_ideal: 'closer to the ideal is better',
  neutral: 'neither (judged through disparities across groups)',
};

/** Escape a table cell: pipes would end the cell (GFM unescapes `\|` even inside code spans), newlines the row. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const rangeText = ([lo, hi]: MetricCard['range']) => `${lo === null ? '(−∞' : `[${lo}`}, ${hi === null ? '∞)' : `${hi}]`}`;

function thresholdText(c: MetricCard): string {
  const t = c.thresholds;
  if (!t) return 'none';
  if (isDriftThresholds(t)) {
    const limit = `drift when ${t.effect ?? 'the value'} ≥ ${t.drift}`;
    return t.alpha === undefined ? limit : `${limit} and p < ${t.alpha}`;
  }
  if (c.direction === 'higher_is_better') return `warn below ${t.warn}, fail below ${t.fail}`;
  if (c.direction === 'lower_is_better') return `warn above ${t.warn}, fail above ${t.fail}`;
  return `warn when |value − ${c.ideal}| > ${t.warn}, fail when > ${t.fail}`;
}

/**
 * A Markdown definitions appendix of the given cards, grouped by kind: for each card its title and
 * id, definition, formula, range, ideal, direction (for drift cards also the column types and
 * whether there is a p-value), default thresholds with their source, summary, undefined
 * behaviour, fairlearn compatibility, Annex A controls, equivalents and notes.
 *
 * @example
 * ```ts
 * const md = formatCardsMarkdown([metricCard('demographicParityRatio')]);
 * md.includes('### Demographic parity ratio (`demographicParityRatio`)'); // true (with the default level 2)
 * formatCardsMarkdown(metricCards(), { level: 3, title: 'Appendix B: metric definitions' });
 * ```
 */
export function formatCardsMarkdown(cards: readonly MetricCard[], options: { level?: number; title?: string } = {}): string {
  const level = options.level ?? 2;
  if (!(Number.isInteger(level) && level >= 1 && level <= 4)) {
    throw new InputError(messages.badOption('formatCardsMarkdown', 'level', level, 'an integer from 1 to 4'), 'badOption', { option: 'level' });
  }
  const h = (n: number) => '#'.repeat(level + n);
  const out: string[] = [`${h(0)} ${options.title ?? 'Metric definitions'}`, ''];
  for (const kind of ['rate', 'score', 'disparity', 'drift'] as const) {
    const group = cards.filter((c) => c.kind === kind);
    if (!group.length) continue;
    out.push(`${h(1)} ${KIND_HEADINGS[kind]}`, '');
    for (const c of group) {
      out.push(`${h(2)} ${c.title} (\`${c.id}\`)`, '', c.definition, '');
      const eq = Object.entries(c.equivalents)
        .filter((e): e is [string, string] => e[1] !== null)
        .map(([lib, name]) => `${lib}: \`${name}\``);
      const rows: [string, string][] = [
        ['Formula', `\`${c.formula}\``],
        ['Range', rangeText(c.range)],
        ['Ideal', c.ideal === null ? 'none' : String(c.ideal)],
        ['Better', DIRECTION_TEXT[c.direction]],
        ['Default thresholds', thresholdText(c)],
        ['Threshold source', c.thresholdsSource],
        ['Computed from', SUMMARY_TEXT[c.summary]],
        ['Undefined when', c.undefinedWhen === null ? 'never' : `${c.undefinedWhen} Reported as null with the reason "${c.fairwatchBehaviour?.reason ?? ''}".`],
        ["`compat: 'fairlearn'`", c.fairlearnCompat.note],
        ['ISO/IEC 42001 Annex A', c.isoControls.map((id) => `${id} (${ANNEX_A_CONTROLS[id]})`).join('; ')],
        ['Equivalents', eq.length ? eq.join('; ') : 'none'],
      ];
      if (c.appliesTo) rows.splice(4, 0, ['Applies to', c.appliesTo.join(', ')], ['p-value', c.pValue ? 'yes' : 'no']);
      out.push('| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`), '');
      if (c.notes.length) out.push('Notes:', '', ...c.notes.map((n) => `- ${n.replace(/\s*\n\s*/g, ' ')}`), '');
    }
  }
  return out.join('\n');
}
