import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { InputError, SchemaError, messages } from '../../src/errors.js';
import { RATES, RATE_NAMES, undefinedReason, type RateName } from '../../src/fairness/rates.js';
import { NAMED_DISPARITY_NAMES, SCORE_METRIC_NAMES } from '../../src/fairness/result.js';
import { DRIFT_STATISTICS } from '../../src/drift/ids.js';
import { ANNEX_A_CONTROLS, ANNEX_A_IDS, isAnnexAControl } from '../../src/metrics/annex-a-ids.js';
import {
  formatCardsMarkdown,
  loadMetricCards,
  metricCard,
  metricCardMessages,
  metricCards,
  metricCardsDir,
  METRIC_IDS,
  METRIC_IMPLEMENTATIONS,
  parseMetricCard,
  type DriftThresholds,
  type MetricCard,
} from '../../src/metrics/catalogue.js';

const CARDS_DIR = fileURLToPath(new URL('../../metrics/', import.meta.url));
const SHARED_CONTROLS = fileURLToPath(new URL('../../../shared/iso42001/controls.json', import.meta.url));

/** Card files read directly (not through the loader under test): file stem -> parsed YAML. */
function cardFiles(): { stem: string; file: string; doc: Record<string, unknown> }[] {
  return readdirSync(CARDS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((file) => ({
      file,
      stem: file.replace(/\.ya?ml$/, ''),
      doc: parseYaml(readFileSync(CARDS_DIR + file, 'utf8')) as Record<string, unknown>,
    }));
}

/** The ids the code implements, straight from the code tables. */
const CODE_IDS: string[] = [...RATE_NAMES, 'count', ...SCORE_METRIC_NAMES, ...NAMED_DISPARITY_NAMES, ...DRIFT_STATISTICS];
/** The drift statistics that come with a p-value. */
const P_VALUE_IDS = ['ks', 'chiSquare', 'zTest'];

describe('metric cards and code agree', () => {
  it('METRIC_IMPLEMENTATIONS holds exactly the ids of RATE_NAMES, count, SCORE_METRIC_NAMES, NAMED_DISPARITY_NAMES and DRIFT_STATISTICS (40)', () => {
    expect(CODE_IDS).toHaveLength(40);
    expect(Object.keys(METRIC_IMPLEMENTATIONS).sort()).toEqual([...CODE_IDS].sort());
    expect([...METRIC_IDS]).toEqual(CODE_IDS);
    for (const [id, impl] of Object.entries(METRIC_IMPLEMENTATIONS)) expect(impl.id).toBe(id);
  });

  it('every implemented id has exactly one card file, and every card file has an implementation', () => {
    const stems = cardFiles().map((c) => c.stem);
    for (const id of CODE_IDS) expect(stems.filter((s) => s === id), `cards for ${id}`).toHaveLength(1);
    for (const stem of stems) expect(CODE_IDS, `implementation for card ${stem}`).toContain(stem);
    expect(stems).toHaveLength(CODE_IDS.length);
  });

  it('each card id equals its file name', () => {
    for (const { stem, doc } of cardFiles()) expect(doc.id, stem).toBe(stem);
  });

  it('metricCards() loads and validates every card, in METRIC_IDS order', () => {
    expect(metricCards().map((c) => c.id)).toEqual(CODE_IDS);
  });

  it("each card's kind equals the registry's kind", () => {
    for (const c of metricCards()) expect(c.kind, c.id).toBe(METRIC_IMPLEMENTATIONS[c.id as keyof typeof METRIC_IMPLEMENTATIONS].kind);
  });

  it("rate cards give rates.ts's undefined reason and follow its fairlearnZero flag for compat: 'fairlearn'", () => {
    for (const id of RATE_NAMES) {
      const c = metricCard(id);
      expect(c.fairwatchBehaviour, id).toEqual({ value: null, reason: undefinedReason(id as RateName) });
      expect(c.fairlearnCompat.undefinedAs, id).toBe(RATES[id].fairlearnZero ? 0 : null);
    }
  });

  it('count is never undefined, and its card says so with nulls', () => {
    const c = metricCard('count');
    expect(c.undefinedWhen).toBeNull();
    expect(c.fairwatchBehaviour).toBeNull();
  });

  it('disparity cards: a ratio is higher-is-better with ideal 1, a difference lower-is-better with ideal 0 (from NAMED_DISPARITIES)', () => {
    for (const id of NAMED_DISPARITY_NAMES) {
      const c = metricCard(id);
      const kind = METRIC_IMPLEMENTATIONS[id].compares?.kind;
      expect(kind, id).toBeDefined();
      if (kind === 'ratio') {
        expect([c.direction, c.ideal], id).toEqual(['higher_is_better', 1]);
      } else {
        expect([c.direction, c.ideal], id).toEqual(['lower_is_better', 0]);
      }
    }
  });

  it('score cards need score summaries: AUC raw scores for the exact value, the calibration metrics score bins', () => {
    expect(metricCard('auc').summary).toBe('rawScores');
    for (const id of ['brier', 'ece', 'mce', 'calibrationInTheLarge']) expect(metricCard(id).summary, id).toBe('scoreBins');
    for (const id of [...RATE_NAMES, 'count', ...NAMED_DISPARITY_NAMES]) expect(metricCard(id).summary, id).toBe('confusion');
  });

  it("drift statistics are registered as kind 'drift' in src/drift/stats/ and their cards need 'profile' summaries", () => {
    for (const id of DRIFT_STATISTICS) {
      expect(METRIC_IMPLEMENTATIONS[id], id).toMatchObject({ id, kind: 'drift', module: 'src/drift/stats/' });
      expect(metricCard(id).summary, id).toBe('profile');
    }
    expect(metricCards().filter((c) => c.kind === 'drift').map((c) => c.id)).toEqual([...DRIFT_STATISTICS]);
  });
});

describe('drift cards', () => {
  const driftCards = () => cardFiles().filter((c) => c.doc.kind === 'drift');

  it('every drift card file lists appliesTo (numeric | categorical | boolean) and says whether it has a p-value', () => {
    expect(driftCards()).toHaveLength(DRIFT_STATISTICS.length);
    for (const { stem, doc } of driftCards()) {
      const applies = doc.appliesTo as unknown[];
      expect(Array.isArray(applies) && applies.length > 0, stem).toBe(true);
      for (const t of applies) expect(['numeric', 'categorical', 'boolean'], `${stem}: ${String(t)}`).toContain(t);
      expect(typeof doc.pValue, stem).toBe('boolean');
    }
    for (const { stem, doc } of cardFiles().filter((c) => c.doc.kind !== 'drift')) {
      expect([doc.appliesTo, doc.pValue], stem).toEqual([undefined, undefined]);
    }
  });

  it('exactly ks, chiSquare and zTest have p-values, and their thresholds carry alpha 0.05 (Evidently) besides the effect limit', () => {
    expect(metricCards().filter((c) => c.pValue).map((c) => c.id)).toEqual(P_VALUE_IDS);
    for (const { stem, doc } of driftCards()) {
      const t = doc.thresholds as { drift: number; alpha?: number } | null;
      if (doc.pValue === true) {
        expect(t, stem).not.toBeNull();
        expect(t!.alpha, stem).toBe(0.05);
        expect(t!.drift, stem).toBeGreaterThan(0);
      } else if (t !== null) {
        expect(t.alpha, stem).toBeUndefined();
      }
    }
  });

  it("match Evidently's defaults: PSI, Jensen–Shannon, normed Wasserstein, Hellinger, KL 0.1; effect limits KS D 0.1, Cramér's V 0.1, Cohen's h 0.2", () => {
    for (const id of ['psi', 'jensenShannon', 'wassersteinNormed', 'hellinger', 'kl', 'tvd']) expect(metricCard(id).thresholds, id).toEqual({ drift: 0.1 });
    expect(metricCard('ks').thresholds).toEqual({ drift: 0.1, alpha: 0.05 });
    expect(metricCard('chiSquare').thresholds).toEqual({ drift: 0.1, alpha: 0.05, effect: "Cramér's V" });
    expect(metricCard('zTest').thresholds).toEqual({ drift: 0.2, alpha: 0.05, effect: "Cohen's h" });
    for (const id of ['wasserstein', 'missingShare', 'unseenShare']) expect(metricCard(id).thresholds, id).toBeNull();
  });

  it('column types: KS and the Wasserstein distances are numeric only; the binned distances apply to every type', () => {
    for (const id of ['ks', 'wasserstein', 'wassersteinNormed']) expect(metricCard(id).appliesTo, id).toEqual(['numeric']);
    for (const id of ['psi', 'jensenShannon', 'hellinger', 'kl', 'tvd', 'missingShare']) {
      expect(metricCard(id).appliesTo, id).toEqual(['numeric', 'categorical', 'boolean']);
    }
  });

  it('name their Evidently stattest and scipy function where there is one', () => {
    const evidently: Record<string, string> = {
      psi: 'psi', jensenShannon: 'jensenshannon', ks: 'ks', wassersteinNormed: 'wasserstein', chiSquare: 'chisquare',
      zTest: 'z', hellinger: 'hellinger', kl: 'kl_div', tvd: 'TVD',
    };
    for (const [id, name] of Object.entries(evidently)) expect(metricCard(id).equivalents.evidently, id).toContain(`stattest '${name}'`);
    expect(metricCard('ks').equivalents.scipy).toBe('scipy.stats.ks_2samp');
    expect(metricCard('wasserstein').equivalents.scipy).toBe('scipy.stats.wasserstein_distance');
    expect(metricCard('chiSquare').equivalents.scipy).toContain('scipy.stats.chi2_contingency');
    expect(metricCard('jensenShannon').equivalents.scipy).toContain('scipy.spatial.distance.jensenshannon');
  });
});

describe('ISO/IEC 42001 controls named by cards', () => {
  it('every isoControls id of every card file is an Annex A control of annex-a-ids.ts', () => {
    for (const { stem, doc } of cardFiles()) {
      const ids = doc.isoControls as unknown[];
      expect(Array.isArray(ids) && ids.length > 0, stem).toBe(true);
      for (const id of ids) expect(isAnnexAControl(id), `${stem}: ${String(id)}`).toBe(true);
    }
  });

  it('annex-a-ids.ts lists the 38 Annex A controls, each with a short title', () => {
    expect(ANNEX_A_IDS).toHaveLength(38);
    expect(ANNEX_A_IDS[0]).toBe('A.2.2');
    expect(ANNEX_A_IDS[37]).toBe('A.10.4');
    for (const id of ANNEX_A_IDS) expect(ANNEX_A_CONTROLS[id].length, id).toBeGreaterThan(5);
  });

  it.skipIf(!existsSync(SHARED_CONTROLS))('annex-a-ids.ts has the same ids, in the same order, as ../shared/iso42001/controls.json', () => {
    const reference = (JSON.parse(readFileSync(SHARED_CONTROLS, 'utf8')) as { id: string }[]).map((c) => c.id);
    expect([...ANNEX_A_IDS]).toEqual(reference);
  });
});

describe('default thresholds', () => {
  it('warn and fail are ordered for the direction, neutral cards set none, and drift cards set one drift limit (lower_is_better unless on an effect size)', () => {
    for (const { stem, doc } of cardFiles()) {
      const t = doc.thresholds as { warn: number; fail: number } | null;
      const direction = doc.direction as string;
      if (direction === 'neutral') {
        expect(t, stem).toBeNull();
        continue;
      }
      if (t === null) continue;
      if (doc.kind === 'drift') {
        const d = t as unknown as DriftThresholds;
        expect(Object.keys(d), stem).not.toContain('warn');
        expect(d.drift, stem).toBeGreaterThan(0);
        if (d.effect === undefined) expect(direction, stem).toBe('lower_is_better');
        continue;
      }
      if (direction === 'higher_is_better') expect(t.warn, stem).toBeGreaterThan(t.fail);
      else if (direction === 'lower_is_better') expect(t.warn, stem).toBeLessThan(t.fail);
      else {
        expect(direction, stem).toBe('closer_to_ideal');
        expect(t.warn, stem).toBeGreaterThanOrEqual(0);
        expect(t.warn, stem).toBeLessThan(t.fail);
      }
    }
  });

  it('match the documented defaults: differences 0.05/0.1, ratios and disparate impact 0.9/0.8 (four-fifths), ECE 0.03/0.05', () => {
    for (const id of NAMED_DISPARITY_NAMES) {
      const expected = METRIC_IMPLEMENTATIONS[id].compares?.kind === 'ratio' ? { warn: 0.9, fail: 0.8 } : { warn: 0.05, fail: 0.1 };
      expect(metricCard(id).thresholds, id).toEqual(expected);
    }
    expect(metricCard('ece').thresholds).toEqual({ warn: 0.03, fail: 0.05 });
  });

  it('every threshold lies inside the card range (drift limits on an effect size excepted)', () => {
    for (const c of metricCards()) {
      const t = c.thresholds;
      if (!t || c.direction === 'closer_to_ideal') continue;
      const [lo, hi] = c.range;
      const limits = 'drift' in t ? (t.effect === undefined ? [t.drift] : []) : [t.warn, t.fail];
      for (const v of limits) {
        if (lo !== null) expect(v, c.id).toBeGreaterThanOrEqual(lo);
        if (hi !== null) expect(v, c.id).toBeLessThanOrEqual(hi);
      }
    }
  });

  it('every card says where its thresholds come from', () => {
    for (const c of metricCards()) expect(c.thresholdsSource.length, c.id).toBeGreaterThan(20);
  });
});

describe('metricCard(id)', () => {
  it("metricCard('tpr') returns the tpr card", () => {
    expect(metricCard('tpr').title).toBe('True positive rate (recall)');
  });

  it('metricCard(unknown) throws InputError with messages.unknownMetric', () => {
    const call = () => metricCard('f1Score');
    expect(call).toThrow(InputError);
    expect(call).toThrow(messages.unknownMetric('metricCard', 'f1Score', CODE_IDS));
  });

  it('metricCards() returns a fresh array of frozen cards', () => {
    const a = metricCards();
    a.pop();
    expect(metricCards()).toHaveLength(CODE_IDS.length);
    expect(Object.isFrozen(metricCard('ece').thresholds)).toBe(true);
  });

  it("metricCardsDir() finds the repository's metrics/ folder", () => {
    expect(metricCardsDir().replace(/[\\/]$/, '')).toBe(CARDS_DIR.replace(/[\\/]$/, ''));
    expect(loadMetricCards(CARDS_DIR)).toHaveLength(CODE_IDS.length);
  });
});

describe('parseMetricCard(yaml, source) validation', () => {
  const valid = () => parseYaml(readFileSync(CARDS_DIR + 'ece.yaml', 'utf8')) as Record<string, unknown>;
  const parse = (doc: Record<string, unknown>) => () => parseMetricCard(stringifyYaml(doc), 'ece.yaml');

  it('accepts a shipped card unchanged', () => {
    expect(parse(valid())().id).toBe('ece');
  });

  it('rejects lower_is_better thresholds with warn above fail', () => {
    const doc = { ...valid(), thresholds: { warn: 0.05, fail: 0.03 } };
    expect(parse(doc)).toThrow(SchemaError);
    expect(parse(doc)).toThrow(
      metricCardMessages.invalidCard('parseMetricCard', 'ece.yaml', 'thresholds', 'lower_is_better needs warn < fail, got warn 0.05, fail 0.03'),
    );
  });

  it('rejects an isoControls id that is not an Annex A control (a clause number)', () => {
    expect(parse({ ...valid(), isoControls: ['6.1.2'] })).toThrow(/invalid at isoControls\.0/);
  });

  it('rejects a card without a title, and one with an unknown field', () => {
    const { title: _title, ...untitled } = valid();
    expect(parse(untitled)).toThrow(/invalid at title/);
    expect(parse({ ...valid(), colour: 'red' })).toThrow(SchemaError);
  });

  it('rejects undefinedWhen without fairwatchBehaviour', () => {
    expect(parse({ ...valid(), fairwatchBehaviour: null })).toThrow(/invalid at fairwatchBehaviour/);
  });

  it('rejects a drift card without appliesTo, and appliesTo on a fairness card', () => {
    const psi = parseYaml(readFileSync(CARDS_DIR + 'psi.yaml', 'utf8')) as Record<string, unknown>;
    expect(parseMetricCard(stringifyYaml(psi), 'psi.yaml').appliesTo).toEqual(['numeric', 'categorical', 'boolean']);
    const { appliesTo: _a, ...withoutTypes } = psi;
    expect(() => parseMetricCard(stringifyYaml(withoutTypes), 'psi.yaml')).toThrow(
      metricCardMessages.invalidCard('parseMetricCard', 'psi.yaml', 'appliesTo', 'a drift card must list the column types it applies to'),
    );
    expect(parse({ ...valid(), appliesTo: ['numeric'] })).toThrow(/invalid at appliesTo/);
    expect(() => parseMetricCard(stringifyYaml({ ...psi, appliesTo: ['text'] }), 'psi.yaml')).toThrow(/invalid at appliesTo\.0/);
  });

  it('rejects a p-value card without alpha, alpha on a distance card, and warn/fail limits on a drift card', () => {
    const ks = parseYaml(readFileSync(CARDS_DIR + 'ks.yaml', 'utf8')) as Record<string, unknown>;
    const psi = parseYaml(readFileSync(CARDS_DIR + 'psi.yaml', 'utf8')) as Record<string, unknown>;
    const card = (doc: Record<string, unknown>, file: string) => () => parseMetricCard(stringifyYaml(doc), file);
    expect(card({ ...ks, thresholds: { drift: 0.1 } }, 'ks.yaml')).toThrow(
      metricCardMessages.invalidCard('parseMetricCard', 'ks.yaml', 'thresholds.alpha', 'a p-value card (pValue: true) needs thresholds { drift, alpha }'),
    );
    expect(card({ ...ks, thresholds: null }, 'ks.yaml')).toThrow(/invalid at thresholds\.alpha/);
    expect(card({ ...psi, thresholds: { drift: 0.1, alpha: 0.05 } }, 'psi.yaml')).toThrow(/invalid at thresholds\.alpha/);
    expect(card({ ...psi, thresholds: { warn: 0.1, fail: 0.25 } }, 'psi.yaml')).toThrow(/invalid at thresholds/);
    expect(card({ ...psi, pValue: undefined }, 'psi.yaml')).toThrow(/invalid at pValue/);
    expect(card({ ...psi, summary: 'confusion' }, 'psi.yaml')).toThrow(/invalid at summary/);
  });

  it('rejects text that is not YAML', () => {
    expect(() => parseMetricCard('id: [unclosed', 'bad.yaml')).toThrow(SchemaError);
  });
});

describe('formatCardsMarkdown(cards)', () => {
  const cards: MetricCard[] = metricCards();
  const md = formatCardsMarkdown(cards);

  it('contains every card title and id as a heading', () => {
    for (const c of cards) expect(md, c.id).toContain(`### ${c.title} (\`${c.id}\`)`);
  });

  it('starts with the appendix heading and groups cards by kind', () => {
    expect(md.startsWith('## Metric definitions\n')).toBe(true);
    const rates = md.indexOf('### Rates and counts per group');
    const scores = md.indexOf('### Score metrics per group');
    const disparities = md.indexOf('### Disparities across groups');
    const drift = md.indexOf('### Drift statistics per column');
    expect(rates).toBeGreaterThan(0);
    expect(scores).toBeGreaterThan(rates);
    expect(disparities).toBeGreaterThan(scores);
    expect(drift).toBeGreaterThan(disparities);
  });

  it('prints drift limits, column types and p-values in words, and an unbounded range on both sides as (−∞, ∞)', () => {
    expect(formatCardsMarkdown([metricCard('psi')])).toContain('| Default thresholds | drift when the value ≥ 0.1 |');
    const z = formatCardsMarkdown([metricCard('zTest')]);
    expect(z).toContain("| Default thresholds | drift when Cohen's h ≥ 0.2 and p < 0.05 |");
    expect(z).toContain('| Applies to | numeric, categorical, boolean |');
    expect(z).toContain('| p-value | yes |');
    expect(z).toContain('| Range | (−∞, ∞) |');
    expect(formatCardsMarkdown([metricCard('ks')])).toContain('scipy: `scipy.stats.ks_2samp`');
  });

  it('keeps every table row to two cells: pipes inside formulas (|x|) are escaped', () => {
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    expect(rows.length).toBeGreaterThan(cards.length * 10);
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|').length, row).toBe(4);
    expect(md).toContain('\\|ȳ_b − p̄_b\\|');
  });

  it('prints the thresholds in words for each direction', () => {
    expect(md).toContain('warn below 0.9, fail below 0.8');
    expect(md).toContain('warn above 0.05, fail above 0.1');
    expect(md).toContain('warn when \\|value − 0\\| > 0.03, fail when > 0.05');
  });

  it('prints an unbounded range as [lo, ∞)', () => {
    expect(formatCardsMarkdown([metricCard('disparateImpact')])).toContain('| Range | [0, ∞) |');
  });

  it('formatCardsMarkdown(cards, { level: 1 }) shifts the headings; a level of 0 is an InputError', () => {
    expect(formatCardsMarkdown([metricCard('tpr')], { level: 1, title: 'Definitions' })).toMatch(/^# Definitions\n\n## Rates[^\n]*\n\n### True positive rate/);
    expect(() => formatCardsMarkdown(cards, { level: 0 })).toThrow(InputError);
  });
});
