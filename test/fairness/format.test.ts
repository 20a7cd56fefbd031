import { describe, expect, it } from 'vitest';
import { InputError, messages } from '../../src/errors.js';
import {
  escapeHTML,
  escapeMarkdown,
  formatNumber,
  formatResultHTML,
  formatResultMarkdown,
  formatResultText,
  resultMetricNames,
} from '../../src/fairness/format.js';
import type { DisparityJSON, GroupJSON, GroupMetricsJSON, NamedDisparity } from '../../src/fairness/result.js';

// A hand-built result document. Rates are worked out by hand from confusion cells [tn, fp, fn, tp]:
//   female  [36, 6, 9, 9]   n=60  sel 15/60=.250 base 18/60=.300 tpr 9/18=.500 fpr 6/42=.143 prec 9/15=.600 acc 45/60=.750
//   male    [20, 5, 5, 20]  n=50  sel .500 base .500 tpr .800 fpr .200 prec .800 acc .800
//   EVIL    [4, 4, 0, 0]    n=8   sel .500 base .000 tpr undefined (no positive labels) fpr .500 prec .000 acc .500
//   overall [60, 15, 14, 29] n=118 sel 44/118=.373 base 43/118=.364 tpr 29/43=.674 fpr 15/75=.200 prec 29/44=.659 acc 89/118=.754
const EVIL = '<script>alert(1)</script>|x';
const NO_POSITIVES = 'the group has no positive labels';

function rates(tn: number, fp: number, fn: number, tp: number): Record<string, number | null> {
  const n = tn + fp + fn + tp;
  const div = (a: number, b: number) => (b === 0 ? null : a / b);
  return {
    selectionRate: div(fp + tp, n),
    baseRate: div(fn + tp, n),
    tpr: div(tp, tp + fn),
    fnr: div(fn, tp + fn),
    fpr: div(fp, fp + tn),
    tnr: div(tn, fp + tn),
    precision: div(tp, tp + fp),
    npv: div(tn, tn + fn),
    accuracy: div(tn + tp, n),
  };
}

function group(label: string, cells: [number, number, number, number], status: 'ok' | 'insufficient', extra: Partial<GroupJSON> = {}): GroupJSON {
  const count = cells[0] + cells[1] + cells[2] + cells[3];
  return { group: { sex: label }, label, count, weight: count, status, ...rates(...cells), ...extra };
}

function disparity(metric: string, kind: 'difference' | 'ratio', value: number | null, groups: string[], extra: Partial<DisparityJSON> = {}): DisparityJSON {
  return { metric, kind, method: 'between_groups', value, groups, status: 'ok', ...extra };
}

const SMALL = { status: 'insufficient' as const, reason: 'rests on a group with fewer than 30 rows' };

function fixture(): GroupMetricsJSON {
  const groups = [
    group('female', [36, 6, 9, 9], 'ok', {
      intervals: { selectionRate: { low: 0.15789, high: 0.37212, method: 'wilson', confidence: 0.95 } },
    }),
    group('male', [20, 5, 5, 20], 'ok'),
    group(EVIL, [4, 4, 0, 0], 'insufficient', { undefinedReasons: { tpr: NO_POSITIVES, fnr: NO_POSITIVES } }),
  ];
  const details: Record<NamedDisparity, DisparityJSON> = {
    demographicParityDifference: disparity('selectionRate', 'difference', 0.25, ['female', 'male'], {
      interval: { low: 0.0712, high: 0.4188, method: 'percentile', confidence: 0.95, resamples: 200, valid: 200, seed: 7 },
    }),
    demographicParityRatio: disparity('selectionRate', 'ratio', 0.5, ['female', 'male']),
    equalizedOddsDifference: disparity('equalizedOdds', 'difference', 0.5 - 1 / 7, ['female', EVIL], {
      ...SMALL,
      components: { tpr: 0.3, fpr: 0.5 - 1 / 7 },
      agg: 'worst_case',
    }),
    equalizedOddsRatio: disparity('equalizedOdds', 'ratio', 2 / 7, ['female', EVIL], { ...SMALL, components: { tpr: 0.625, fpr: 2 / 7 }, agg: 'worst_case' }),
    equalOpportunityDifference: disparity('tpr', 'difference', 0.3, ['female', 'male']),
    equalOpportunityRatio: disparity('tpr', 'ratio', 0.625, ['female', 'male']),
    predictiveParityDifference: disparity('precision', 'difference', 0.8, [EVIL, 'male'], SMALL),
    predictiveParityRatio: disparity('precision', 'ratio', 0, [EVIL, 'male'], SMALL),
    falseNegativeRateDifference: disparity('fnr', 'difference', 0.3, ['male', 'female']),
    falseNegativeRateRatio: disparity('fnr', 'ratio', 0.4, ['male', 'female']),
    accuracyDifference: disparity('accuracy', 'difference', 0.3, [EVIL, 'male'], SMALL),
    accuracyRatio: disparity('accuracy', 'ratio', 0.625, [EVIL, 'male'], SMALL),
    disparateImpact: disparity('selectionRate', 'ratio', 0.5, ['female', 'male'], { method: 'to_reference' }),
  };
  const disparities = { attributes: ['sex'] } as GroupMetricsJSON['disparities'];
  for (const [k, d] of Object.entries(details)) disparities[k as NamedDisparity] = d.value;
  return {
    kind: 'fairwatch.groupMetrics',
    version: 1,
    attributes: ['sex'],
    rows: 120,
    dropped: 2,
    options: {
      compat: 'fairwatch',
      minGroupSize: 30,
      missing: 'drop',
      nBins: 10,
      binStrategy: 'uniform',
      positiveLabel: 1,
      columns: { yTrue: 'y', yPred: 'pred' },
      ci: { confidence: 0.95, resamples: 200, seed: 7 },
    },
    reference: 'male',
    overall: { count: 118, weight: 118, ...rates(60, 15, 14, 29) },
    groups,
    disparities,
    disparityDetails: details,
    summaries: { confusion: {} },
    warnings: [`group ${EVIL} has fewer than 30 rows`],
  };
}

/** The line of the text table whose first cell is `label`. */
const lineOf = (text: string, label: string): string => text.split('\n').find((l) => l.startsWith(label + ' '))!;
/** Cells of a Markdown table line, split at unescaped pipes. */
const mdCells = (line: string): string[] => line.split(/(?<!\\)\|/).slice(1, -1);

describe('formatNumber', () => {
  it('formatNumber(v, digits) rounds, prints null as — and never -0', () => {
    expect(formatNumber(1 / 7, 3)).toBe('0.143');
    expect(formatNumber(null, 3)).toBe('—');
    expect(formatNumber(-0.0001, 2)).toBe('0.00');
    expect(formatNumber(-0.5, 1)).toBe('-0.5');
  });
});

describe('formatResultText', () => {
  const json = fixture();
  const text = formatResultText(json);

  it('formatResultText(json) writes the header facts', () => {
    expect(text.split('\n').slice(0, 2)).toEqual([
      'Group metrics by sex: 120 rows (2 dropped), compat fairwatch, reference group male,',
      '  min group size 30',
    ]);
  });

  it('formatResultText(json) prints each group and (overall) with count and the default metrics to 3 decimals', () => {
    expect(lineOf(text, 'female').split(/\s+/)).toEqual(['female', '60', '0.250', '0.300', '0.500', '0.143', '0.600', '0.750']);
    expect(lineOf(text, 'male').split(/\s+/)).toEqual(['male', '50', '0.500', '0.500', '0.800', '0.200', '0.800', '0.800']);
    expect(lineOf(text, '(overall)').split(/\s+/)).toEqual(['(overall)', '118', '0.373', '0.364', '0.674', '0.200', '0.659', '0.754']);
  });

  it('formatResultText(json) flags the insufficient group with * and prints its null tpr as —', () => {
    expect(lineOf(text, EVIL).split(/\s+/)).toEqual([EVIL, '8', '*', '0.500', '0.000', '—', '0.500', '0.000', '0.500']);
    expect(text).toContain('* fewer than 30 rows (minGroupSize)');
  });

  it('formatResultText(json) lists the reason of each undefined value shown (not of hidden metrics)', () => {
    expect(text).toContain(`— tpr undefined for group ${EVIL}: ${NO_POSITIVES}`);
    expect(text).not.toContain('fnr undefined');
    const withFnr = formatResultText(json, { metrics: ['tpr', 'fnr'] });
    expect(withFnr).toContain(`— tpr, fnr undefined for group ${EVIL}: ${NO_POSITIVES}`);
  });

  it('formatResultText(json) lists disparities with value, bootstrap interval, method, status and groups', () => {
    expect(lineOf(text, 'demographicParityDifference').split(/\s{2,}/)).toEqual([
      'demographicParityDifference',
      '0.250',
      '[0.071, 0.419]',
      'between_groups',
      'ok',
      'female vs male',
    ]);
    expect(lineOf(text, 'disparateImpact').split(/\s{2,}/)).toEqual(['disparateImpact', '0.500', 'to_reference', 'ok', 'female vs male']);
    // A long 'groups' cell wraps onto continuation lines within 100 columns.
    const lines = text.split('\n');
    const k = lines.indexOf(lineOf(text, 'equalizedOddsDifference'));
    expect(lines[k]!.split(/\s{2,}/)).toEqual(['equalizedOddsDifference', '0.357', 'between_groups', 'insufficient', 'female vs']);
    const groupsAt = lines[k]!.indexOf('female vs');
    expect(lines[k + 1]!.slice(0, groupsAt).trim()).toBe('');
    expect(lines[k + 1]!.slice(groupsAt) + lines[k + 2]!.slice(groupsAt)).toBe(EVIL);
    expect(text).toContain('95% CI: percentile bootstrap, 200 resamples, seed 7');
    expect(text).toContain('equalizedOddsDifference = worst of tpr 0.300, fpr 0.357');
    expect(text).toContain(`Warnings\n- group ${EVIL} has fewer than 30 rows`);
  });

  it('formatResultText(json, { digits, metrics }) rounds to digits and shows only the chosen metrics', () => {
    const t = formatResultText(json, { digits: 2, metrics: ['fpr'] });
    expect(lineOf(t, 'female').split(/\s+/)).toEqual(['female', '60', '0.14']);
    expect(lineOf(t, 'demographicParityDifference')).toContain('[0.07, 0.42]');
  });

  it('formatResultText(json) shows group intervals only with intervals: true, and omits all with intervals: false', () => {
    expect(lineOf(text, 'female')).not.toContain('[0.158');
    const t = formatResultText(json, { metrics: ['selectionRate', 'tpr'], intervals: true });
    expect(lineOf(t, 'female')).toContain('0.250 [0.158, 0.372]');
    const none = formatResultText(json, { metrics: ['selectionRate', 'tpr'], intervals: false });
    expect(none).not.toContain('[0.158');
    expect(none).not.toContain('[0.071');
    expect(none).not.toContain('CI');
  });

  it('formatResultText(json) prints an undefined disparity as — with its reason', () => {
    const j = fixture();
    j.disparityDetails.accuracyRatio = disparity('accuracy', 'ratio', null, [], {
      status: 'undefined',
      reason: 'accuracy is undefined in every group',
    });
    const t = formatResultText(j);
    expect(lineOf(t, 'accuracyRatio').split(/\s{2,}/)).toEqual(['accuracyRatio', '—', 'between_groups', 'undefined', '—']);
    expect(t).toContain('accuracyRatio is undefined: accuracy is undefined in every group');
  });

  it('formatResultText(json) keeps 8 intersectional groups with score metrics within 100 columns', () => {
    const j = fixture();
    const names = ['Native Hawaiian or Other Pacific Islander', 'American Indian or Alaska Native', 'Black', 'White', 'Asian', 'Hispanic or Latino'];
    j.attributes = ['race', 'sex'];
    j.groups = Array.from({ length: 8 }, (_, i) =>
      group(`${names[i % names.length]} & ${i % 2 ? 'female' : 'male'}`, [100 + i, 20, 10, 30 + 7 * i], i === 7 ? 'insufficient' : 'ok', {
        auc: 0.8 + i / 100,
        brier: 0.12345,
        ece: 0.0456,
        count: 12345 + i,
        intervals: { tpr: { low: 0.5, high: 0.9, method: 'wilson', confidence: 0.95 } },
      }),
    );
    Object.assign(j.overall, { auc: 0.81, brier: 0.1, ece: 0.03, count: 100000 });
    const t = formatResultText(j);
    expect(t.split('\n').filter((l) => l.length > 100)).toEqual([]);
    const ti = formatResultText(j, { metrics: ['tpr', 'fpr'], intervals: true });
    expect(ti.split('\n').filter((l) => l.length > 100)).toEqual([]);
    expect(ti.split('\n').filter((l) => l.includes('[0.500, 0.900]')).length).toBe(8);
    expect(t).toContain('brier');
    expect(t.split('\n').filter((l) => l.includes('0.123')).length).toBe(8);
    expect(t).toContain('columns: select = selectionRate, base = baseRate, prec = precision, acc = accuracy');
  });

  it('formatResultText(json, { metrics }) throws InputError for a metric the result does not have', () => {
    const available = ['selectionRate', 'baseRate', 'tpr', 'fnr', 'fpr', 'tnr', 'precision', 'npv', 'accuracy'];
    expect(resultMetricNames(json)).toEqual(available);
    expect(() => formatResultText(json, { metrics: ['auc'] })).toThrowError(InputError);
    expect(() => formatResultText(json, { metrics: ['auc'] })).toThrowError(messages.unknownMetric('formatResultText', 'auc', available));
    expect(() => formatResultText(json, { digits: -1 })).toThrowError(
      messages.badOption('formatResultText', 'digits', -1, 'an integer from 0 to 12'),
    );
  });

  it('formatResultText(fixture) matches the golden output', () => {
    expect(text).toMatchInlineSnapshot(`
      "Group metrics by sex: 120 rows (2 dropped), compat fairwatch, reference group male,
        min group size 30

      group                          n     selectionRate  baseRate    tpr    fpr  precision  accuracy
      ---------------------------  ---  -  -------------  --------  -----  -----  ---------  --------
      female                        60             0.250     0.300  0.500  0.143      0.600     0.750
      male                          50             0.500     0.500  0.800  0.200      0.800     0.800
      <script>alert(1)</script>|x    8  *          0.500     0.000      —  0.500      0.000     0.500
      ---------------------------  ---  -  -------------  --------  -----  -----  ---------  --------
      (overall)                    118             0.373     0.364  0.674  0.200      0.659     0.754

      * fewer than 30 rows (minGroupSize): values are shown but give no verdict
      — tpr undefined for group <script>alert(1)</script>|x: the group has no positive labels

      Disparities

      disparity                    value  95% CI          method          status        groups
      ---------------------------  -----  --------------  --------------  ------------  ------------------
      demographicParityDifference  0.250  [0.071, 0.419]  between_groups  ok            female vs male
      demographicParityRatio       0.500                  between_groups  ok            female vs male
      equalizedOddsDifference      0.357                  between_groups  insufficient  female vs
                                                                                        <script>alert(1)</
                                                                                        script>|x
      equalizedOddsRatio           0.286                  between_groups  insufficient  female vs
                                                                                        <script>alert(1)</
                                                                                        script>|x
      equalOpportunityDifference   0.300                  between_groups  ok            female vs male
      equalOpportunityRatio        0.625                  between_groups  ok            female vs male
      predictiveParityDifference   0.800                  between_groups  insufficient  <script>alert(1)</
                                                                                        script>|x vs male
      predictiveParityRatio        0.000                  between_groups  insufficient  <script>alert(1)</
                                                                                        script>|x vs male
      falseNegativeRateDifference  0.300                  between_groups  ok            male vs female
      falseNegativeRateRatio       0.400                  between_groups  ok            male vs female
      accuracyDifference           0.300                  between_groups  insufficient  <script>alert(1)</
                                                                                        script>|x vs male
      accuracyRatio                0.625                  between_groups  insufficient  <script>alert(1)</
                                                                                        script>|x vs male
      disparateImpact              0.500                  to_reference    ok            female vs male

      95% CI: percentile bootstrap, 200 resamples, seed 7
      equalizedOddsDifference, equalizedOddsRatio, predictiveParityDifference, predictiveParityRatio,
        accuracyDifference, accuracyRatio are insufficient: rests on a group with fewer than 30 rows
      equalizedOddsDifference = worst of tpr 0.300, fpr 0.357
      equalizedOddsRatio = worst of tpr 0.625, fpr 0.286

      Warnings
      - group <script>alert(1)</script>|x has fewer than 30 rows
      "
    `);
  });
});

describe('formatResultMarkdown', () => {
  const md = formatResultMarkdown(fixture());

  it('formatResultMarkdown(json) escapes | and < in labels so every table row keeps its cell count', () => {
    expect(escapeMarkdown('a|b')).toBe('a\\|b');
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>\\|x');
    const tables = md.split('\n\n').filter((b) => b.startsWith('|'));
    expect(tables.length).toBe(2);
    for (const table of tables) {
      const lines = table.trim().split('\n');
      const width = mdCells(lines[0]!).length;
      for (const line of lines) expect(mdCells(line).length).toBe(width);
    }
  });

  it('formatResultMarkdown(json) carries the same numbers, flags and notes as the text', () => {
    const row = md.split('\n').find((l) => l.startsWith('| female '))!;
    expect(mdCells(row).map((c) => c.trim())).toEqual(['female', '60', '', '0.250', '0.300', '0.500', '0.143', '0.600', '0.750']);
    const evil = md.split('\n').find((l) => l.startsWith('| \\<script'))!;
    expect(mdCells(evil).map((c) => c.trim())).toEqual(['\\<script\\>alert(1)\\</script\\>\\|x', '8', '\\*', '0.500', '0.000', '—', '0.500', '0.000', '0.500']);
    expect(md).toContain(`- — tpr undefined for group ${escapeMarkdown(EVIL)}: ${NO_POSITIVES}`);
    expect(md).toContain('- \\* fewer than 30 rows');
    expect(md).toContain('| demographicParityDifference | 0.250 | [0.071, 0.419] | between\\_groups | ok | female vs male |');
  });
});

describe('formatResultHTML', () => {
  const html = formatResultHTML(fixture());

  it('formatResultHTML(json) escapes every label: no <script> survives', () => {
    expect(escapeHTML(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;|x');
  });

  it('formatResultHTML(json) marks insufficient rows and undefined cells with classes and reasons in title', () => {
    expect(html).toMatch(/^<div class="fairwatch-result">/);
    expect(html).toContain('<caption><strong>Group metrics by sex</strong>: 120 rows (2 dropped), compat fairwatch');
    const row = html.split('\n').find((l) => l.includes('&lt;script&gt;alert(1)') && l.startsWith('<tr'))!;
    expect(row).toContain('<tr class="fw-insufficient" title="fewer than 30 rows (minGroupSize): values are shown but give no verdict">');
    expect(row).toContain(`<td class="fw-undefined" title="tpr undefined: ${NO_POSITIVES}">—</td>`);
    expect(html).toContain('<td>0.250 <span class="fw-interval">[0.158, 0.372]</span></td>');
    expect(html).toContain('<tr class="fw-overall"><th scope="row">(overall)</th><td>118</td>');
    expect(html.match(/<table/g)!.length).toBe(2);
    expect(html.match(/<tr/g)!.length).toBe(1 + 4 + 1 + 13);
  });
});
