import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError, PolicyError } from '../../src/errors.js';
import { loadCatalogue } from '../../src/governance/catalogue.js';
import type { FindingsDocument } from '../../src/governance/types.js';
import {
  evidenceFromFindings,
  formatGap,
  formatSoa,
  gapAssessment,
  loadApplicability,
  loadGapAnswers,
  parseApplicability,
  parseGapAnswers,
  parsePeriod,
  statementOfApplicability,
  type EvidenceItem,
} from '../../src/governance/soa.js';

const CATALOGUE_FILE = fileURLToPath(new URL('../../reports/iso42001/catalogue.json', import.meta.url));
/** Organisational control ids, read from the catalogue file directly. */
const organisational = () =>
  (JSON.parse(readFileSync(CATALOGUE_FILE, 'utf8')) as { controls: { id: string; coverage: string }[] }).controls.filter((c) => c.coverage === 'none').map((c) => c.id);

const findingsDoc: FindingsDocument = {
  kind: 'fairwatch.findings',
  version: 1,
  system: { id: 's', version: '1', owner: 'o' },
  policyHash: 'a'.repeat(64),
  resultDigest: 'b'.repeat(64),
  createdAt: '2026-03-20T10:00:00.000Z',
  findings: [
    {
      id: 'fairness:disparateImpact:sex',
      kind: 'fairness',
      metric: 'disparateImpact',
      scope: { attributes: ['sex'], groups: ['f', 'm'] },
      value: 0.7,
      threshold: { fail: 0.8, direction: 'below' },
      status: 'fail',
      reason: 'disparateImpact 0.7 is below the fail threshold 0.8',
      controls: ['A.5.4', 'A.6.2.4'],
    },
  ],
  status: 'fail',
};

describe('statementOfApplicability({ catalogue, applicability, evidence })', () => {
  const evidence: EvidenceItem[] = [
    ...evidenceFromFindings(findingsDoc, { digest: 'c'.repeat(64) }),
    { kind: 'report', id: 'claims-policy.pdf', at: '2026-03-01', controls: ['A.2.2'] }, // an organisational control
  ];
  const applicability = parseApplicability(
    ['controls:', '  A.10.4:', '    applicable: false', '    justification: Internal use only; no external customers.', '  A.2.2: { implementation: implemented }'].join('\n'),
  );
  const soa = statementOfApplicability({ catalogue: loadCatalogue(), applicability, evidence });

  it('lists all 38 Annex A controls', () => {
    expect(soa.controls).toHaveLength(38);
    expect(soa.summary.controls).toBe(38);
  });

  it('organisational controls say "not evidenced by this toolkit" and list no toolkit evidence, even when an item names them', () => {
    const ids = organisational();
    expect(ids.length).toBe(9);
    for (const id of ids) {
      const c = soa.controls.find((x) => x.id === id)!;
      expect(c.note, id).toBe('not evidenced by this toolkit');
      expect(c.evidence, id).toEqual([]);
    }
    expect(soa.ignoredEvidence).toContainEqual({ id: 'claims-policy.pdf', control: 'A.2.2', reason: 'not evidenced by this toolkit' });
    expect(soa.controls.find((x) => x.id === 'A.2.2')).toMatchObject({ implementation: 'implemented', implementationSource: 'stated' });
    expect(soa.controls.find((x) => x.id === 'A.2.3')).toMatchObject({ implementation: 'not-stated', implementationSource: 'derived' });
  });

  it('a control named by a finding is evidenced with that finding and its digest; a direct control without evidence has no-evidence', () => {
    const a54 = soa.controls.find((x) => x.id === 'A.5.4')!;
    expect(a54.implementation).toBe('evidenced');
    expect(a54.evidence).toEqual([
      { kind: 'finding', id: 'fairness:disparateImpact:sex', digest: 'c'.repeat(64), at: '2026-03-20T10:00:00.000Z', controls: ['A.5.4', 'A.6.2.4'], status: 'fail', title: findingsDoc.findings[0]!.reason },
    ]);
    expect(soa.controls.find((x) => x.id === 'A.7.5')).toMatchObject({ coverage: 'direct', implementation: 'no-evidence', evidence: [] });
  });

  it('applicability: stated not applicable with its justification; others applicable with the default justification', () => {
    expect(soa.controls.find((x) => x.id === 'A.10.4')).toMatchObject({
      applicable: false,
      implementation: 'not-applicable',
      justification: 'Internal use only; no external customers.',
      justificationSource: 'stated',
    });
    const defaults = loadApplicability();
    const a74 = statementOfApplicability({ catalogue: loadCatalogue(), applicability: defaults, evidence: [] }).controls.find((x) => x.id === 'A.7.4')!;
    expect(a74).toMatchObject({ applicable: true, justification: defaults.defaults.justification, justificationSource: 'default' });
    expect(soa.summary).toMatchObject({ applicable: 37, notApplicable: 1, withEvidence: 2, organisational: 9 });
  });

  it('formatSoa prints every control in text and Markdown, and round-trips as JSON', () => {
    const md = formatSoa(soa, 'markdown');
    const text = formatSoa(soa, 'text');
    for (const c of soa.controls) {
      expect(md).toContain(`| ${c.id} |`);
      expect(text).toContain(c.id);
    }
    expect(JSON.parse(formatSoa(soa, 'json'))).toEqual(soa);
  });

  it('parseApplicability rejects a non-Annex-A id and a not-applicable control without justification, with file and line', () => {
    expect(() => parseApplicability('controls:\n  A.1.1: { applicable: true }\n', { file: 'a.yaml' })).toThrow(/^parseApplicability: a\.yaml:2: controls\.A\.1\.1: /);
    expect(() => parseApplicability('controls:\n  A.5.5:\n    applicable: false\n', { file: 'a.yaml' })).toThrow(PolicyError);
    expect(() => parseApplicability('controls:\n  A.5.5:\n    applicable: false\n', { file: 'a.yaml' })).toThrow(
      'parseApplicability: a.yaml:2: controls.A.5.5.justification: a control that is not applicable needs a justification',
    );
  });
});

describe('gapAssessment({ catalogue, evidence, answers, period, now })', () => {
  // now = 2026-04-01, maxAgeDays 30 -> anything older than 2026-03-02 is stale
  const evidence: EvidenceItem[] = [
    { kind: 'finding', id: 'drift:ks:x', at: '2026-01-10T00:00:00Z', controls: ['A.6.2.6'] }, // 81 days old: stale
    { kind: 'finding', id: 'fairness:disparateImpact:sex', at: '2026-03-20T00:00:00Z', controls: ['A.5.4', 'A.6.2.4'] }, // 12 days: evidenced
    { kind: 'run', id: 'monitor-run-1', at: '2026-03-25T00:00:00Z', controls: ['9.1'] }, // evidences 9.1 and its parent 9
    { kind: 'finding', id: 'old', at: '2025-12-01T00:00:00Z', controls: ['A.7.4'] }, // before the period: ignored
  ];
  const answers = parseGapAnswers(['answers:', '  A.2.2: { answer: yes, reference: POL-7, answeredBy: ciso, date: 2026-02-01 }', '  "4.1": { answer: partial }', '  A.2.3: { answer: ~ }'].join('\n'));
  const gap = gapAssessment({ catalogue: loadCatalogue(), evidence, answers, period: '2026-01-01..2026-03-31', now: '2026-04-01T00:00:00Z', maxAgeDays: 30 });
  const entry = (id: string) => gap.entries.find((e) => e.id === id)!;

  it('marks evidence older than maxAgeDays stale, recent evidence evidenced, and none in the period missing', () => {
    expect(entry('A.6.2.6')).toMatchObject({ status: 'stale', newest: '2026-01-10T00:00:00Z', ageDays: 81 });
    expect(entry('A.5.4')).toMatchObject({ status: 'evidenced', ageDays: 12 });
    expect(entry('A.6.2.4').status).toBe('evidenced');
    expect(entry('A.7.4')).toMatchObject({ status: 'missing', evidence: [] });
    expect(entry('9.1').status).toBe('evidenced');
    expect(entry('9')).toMatchObject({ status: 'evidenced', type: 'clause' });
    expect(entry('9.2.1').status).toBe('missing');
  });

  it('organisational entries show the question and the answer as an answer, never as evidence', () => {
    expect(entry('A.2.2')).toMatchObject({ status: 'answered', evidence: [], answer: { answer: 'yes', reference: 'POL-7', answeredBy: 'ciso', date: '2026-02-01' } });
    expect(entry('A.2.2').question).toMatch(/AI policy/);
    expect(entry('4.1')).toMatchObject({ status: 'answered', answer: { answer: 'partial' } });
    expect(entry('A.2.3').status).toBe('unanswered');
    expect(entry('A.10.4').status).toBe('unanswered');
  });

  it('the readiness summary counts by hand: 4 evidenced + 1 yes of 81 entries = 6.2%', () => {
    // evidenced: A.5.4, A.6.2.4, 9.1 and its parent 9 -> 4; answered yes: A.2.2 -> 1
    expect(gap.summary.all.toolkit.evidenced).toBe(4);
    expect(gap.summary.all.toolkit.stale).toBe(1);
    expect(gap.summary.all.organisational).toMatchObject({ yes: 1, partial: 1, no: 0 });
    expect(gap.summary.all.total).toBe(81);
    expect(gap.summary.all.readyPercent).toBe(Math.round((5 / 81) * 1000) / 10);
    expect(gap.summary.controls.toolkit.evidenced).toBe(2);
    expect(gap.summary.controls.organisational.total).toBe(9);
  });

  it('with applicability, a control stated not applicable is not-applicable and leaves the readiness base', () => {
    const applicability = parseApplicability('controls:\n  A.10.4: { applicable: false, justification: none sold }\n');
    const g = gapAssessment({ catalogue: loadCatalogue(), evidence, answers, period: { from: '2026-01-01', to: '2026-03-31' }, now: '2026-04-01T00:00:00Z', maxAgeDays: 30, applicability });
    expect(g.entries.find((e) => e.id === 'A.10.4')!.status).toBe('not-applicable');
    expect(g.summary.controls.notApplicable).toBe(1);
    expect(g.summary.controls.readyPercent).toBe(Math.round((3 / 37) * 1000) / 10); // A.5.4, A.6.2.4 evidenced + A.2.2 yes
  });

  it('the default template leaves every question unanswered; formatGap prints all entries', () => {
    const g = gapAssessment({ catalogue: loadCatalogue(), evidence: [], answers: loadGapAnswers(), period: '2026-01-01..2026-03-31', now: '2026-04-01' });
    expect(g.summary.all.organisational.unanswered).toBe(g.summary.all.organisational.total);
    expect(g.summary.all.readyPercent).toBe(0);
    const md = formatGap(gap, 'markdown');
    for (const e of gap.entries) expect(md).toContain(`| ${e.id} |`);
    expect(formatGap(gap, 'text').split('\n')[0]).toBe('Gap assessment (ISO/IEC 42001:2023), 2026-01-01..2026-03-31, at 2026-04-01');
    expect(JSON.parse(formatGap(gap, 'json'))).toEqual(gap);
  });

  it('parsePeriod includes the whole last day and rejects a reversed period', () => {
    expect(parsePeriod('2026-01-01..2026-03-31')).toEqual({ from: '2026-01-01T00:00:00.000Z', to: '2026-03-31T23:59:59.999Z' });
    expect(() => parsePeriod('2026-04-01..2026-03-01')).toThrow(InputError);
    expect(() => parsePeriod('march')).toThrow(InputError);
  });

  it('parseGapAnswers rejects an unknown answer with the file, line and field', () => {
    expect(() => parseGapAnswers('answers:\n  A.2.2: { answer: maybe }\n', { file: 'g.yaml' })).toThrow(
      'parseGapAnswers: g.yaml:2: answers.A.2.2.answer: must be yes, partial, no or empty (~)',
    );
  });
});
