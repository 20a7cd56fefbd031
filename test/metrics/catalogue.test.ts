import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { InputError, SchemaError, messages } from '../../src/errors.js';
import { RATES, RATE_NAMES, undefinedReason, type RateName } from '../../src/fairness/rates.js';
import { NAMED_DISPARITY_NAMES, SCORE_METRIC_NAMES } from '../../src/fairness/result.js';
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
const CODE_IDS: string[] = [...RATE_NAMES, 'count', ...SCORE_METRIC_NAMES, ...NAMED_DISPARITY_NAMES];

describe('metric cards and code agree', () => {
  it('METRIC_IMPLEMENTATIONS holds exactly the ids of RATE_NAMES, count, SCORE_METRIC_NAMES and NAMED_DISPARITY_NAMES', () => {
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
  it('warn and fail are ordered for the direction, and neutral cards set none', () => {
    for (const { stem, doc } of cardFiles()) {
      const t = doc.thresholds as { warn: number; fail: number } | null;
      const direction = doc.direction as string;
      if (direction === 'neutral') {
        expect(t, stem).toBeNull();
        continue;
      }
      if (t === null) continue;
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
    expect(rates).toBeGreaterThan(0);
    expect(scores).toBeGreaterThan(rates);
    expect(disparities).toBeGreaterThan(scores);
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
