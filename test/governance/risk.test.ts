import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InputError, messages } from '../../src/errors.js';
import { applyFindings, neutraliseCell, riskAttributes, riskId, riskLevel, riskToCSV, riskToJSON, riskToMarkdown, RISK_CSV_COLUMNS, updateEntry } from '../../src/governance/risk.js';
import type { Rating, RiskEntry } from '../../src/governance/types.js';
import { diFinding, doc, SYSTEM } from './risk-fixtures.js';

const T1 = '2026-03-01T00:00:00.000Z';
const T2 = '2026-04-01T00:00:00.000Z';
const T3 = '2026-05-01T00:00:00.000Z';

function expectInputError(fn: () => unknown, message: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(InputError);
  expect((thrown as Error).message).toBe(message);
}

/** Naive RFC 4180 parser, written for the test. */
function parseCSV(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}

describe('riskId and riskLevel', () => {
  it('riskId(system, metric, attributes) is R- + 12 hex of sha256 of the canonical tuple, whatever the attribute order', () => {
    const expected = 'R-' + createHash('sha256').update('["loan-model","disparateImpact",["age_band","sex"]]').digest('hex').slice(0, 12);
    expect(riskId('loan-model', 'disparateImpact', ['sex', 'age_band'])).toBe(expected);
    expect(riskId('loan-model', 'disparateImpact', ['age_band', 'sex'])).toBe(expected);
    expect(riskId('loan-model', 'disparateImpact', ['sex'])).not.toBe(expected);
    expect(riskAttributes({ scope: { attributes: [], groups: [], column: 'income' } })).toEqual(['column:income']);
  });

  it('riskLevel(likelihood, severity) follows the documented 5×5 matrix cell by cell', () => {
    // rows: likelihood 1..5; columns: severity 1..5 (hand-written from the module comment)
    const matrix = [
      ['low', 'low', 'low', 'low', 'medium'],
      ['low', 'low', 'medium', 'medium', 'high'],
      ['low', 'medium', 'medium', 'high', 'high'],
      ['low', 'medium', 'high', 'high', 'critical'],
      ['medium', 'high', 'high', 'critical', 'critical'],
    ];
    for (let l = 1; l <= 5; l++) for (let s = 1; s <= 5; s++) expect(riskLevel(l as Rating, s as Rating)).toBe(matrix[l - 1]![s - 1]);
    expectInputError(() => riskLevel(6 as Rating, 1), messages.badRiskField('riskLevel', 'likelihood', 6, 'an integer 1–5'));
  });
});

describe('applyFindings and updateEntry, hand-worked life cycle', () => {
  const id = riskId(SYSTEM.id, 'disparateImpact', ['sex']);

  it('applyFindings(fail) opens version 1: open, modify, rated from the finding, review in 90 days', () => {
    const [e, ...rest] = applyFindings([], doc([diFinding('fail', 0.62)]), { runId: 'run-1', actor: 'ci', now: T1 });
    expect(rest).toEqual([]);
    expect(e).toMatchObject({
      id,
      version: 1,
      status: 'open',
      treatment: 'modify',
      likelihood: 4,
      severity: 4,
      inherentLevel: 'high', // 4 × 4 = 16
      owner: 'risk-team',
      reviewDate: '2026-05-30', // 1 March + 90 days
      affectedGroups: ['f', 'm'],
      controls: ['A.5.4', 'A.6.2.4'],
      attributes: ['sex'],
      evidence: ['b'.repeat(64)],
      changedBy: 'ci',
      changedAt: T1,
      findings: [{ runId: 'run-1', findingId: 'fairness:disparateImpact:sex', status: 'fail', value: 0.62, at: T1 }],
    });
    expect(e!.title).toBe('Unfair disparateImpact across sex in loan-model');
    expect(e!.reason).toMatch(/^opened by run run-1: disparate impact 0.62/);
  });

  it('applyFindings(second fail) adds version 2 linking the new finding and keeps a person-set status', () => {
    const [v1] = applyFindings([], doc([diFinding('fail', 0.62)]), { runId: 'run-1', actor: 'ci', now: T1 });
    const v2 = updateEntry(v1!, { status: 'treating', by: 'ann', now: T1 });
    const [v3] = applyFindings([v1!, v2], doc([diFinding('fail', 0.7, { likelihood: 3, severity: 4 })]), { runId: 'run-2', actor: 'ci', now: T2 });
    expect(v3).toMatchObject({ version: 3, status: 'treating', likelihood: 3, severity: 4, inherentLevel: 'high', reviewDate: '2026-06-30' });
    expect(v3!.findings.map((f) => [f.runId, f.value])).toEqual([['run-1', 0.62], ['run-2', 0.7]]);
  });

  it('applyFindings(pass) records the improvement as a new version without closing; a repeated pass adds nothing', () => {
    const [v1] = applyFindings([], doc([diFinding('fail', 0.62)]), { runId: 'run-1', actor: 'ci', now: T1 });
    const [v2] = applyFindings([v1!], doc([diFinding('pass', 0.93)]), { runId: 'run-2', actor: 'ci', now: T2 });
    expect(v2).toMatchObject({ version: 2, status: 'open', reviewDate: v1!.reviewDate });
    expect(v2!.findings.at(-1)).toEqual({ runId: 'run-2', findingId: 'fairness:disparateImpact:sex', status: 'pass', value: 0.93, at: T2 });
    expect(v2!.reason).toMatch(/^improvement recorded by run run-2 \(status stays open; a person closes the entry\)/);
    expect(applyFindings([v1!, v2!], doc([diFinding('pass', 0.95)]), { runId: 'run-3', actor: 'ci', now: T3 })).toEqual([]);
    // no entry and a pass, or an insufficient finding: nothing
    expect(applyFindings([], doc([diFinding('pass', 0.95)]), { runId: 'r', actor: 'ci' })).toEqual([]);
    expect(applyFindings([v1!], doc([diFinding('insufficient', null)]), { runId: 'r', actor: 'ci' })).toEqual([]);
  });

  it('updateEntry(closed) by a person closes; a later fail reopens it in a new version', () => {
    const [v1] = applyFindings([], doc([diFinding('fail', 0.62)]), { runId: 'run-1', actor: 'ci', now: T1 });
    const v2 = updateEntry(v1!, { status: 'closed', residual: { likelihood: 1, severity: 4 }, note: 'model retrained', by: 'ann', now: T2 });
    expect(v2).toMatchObject({ version: 2, status: 'closed', changedBy: 'ann', changedAt: T2, residual: { likelihood: 1, severity: 4, level: 'low' } });
    expect(v2.reason).toBe('status open → closed; residual 1×4 (low): model retrained');
    expect(v1!.status).toBe('open'); // the old version is untouched
    const [v3] = applyFindings([v1!, v2], doc([diFinding('fail', 0.5)]), { runId: 'run-9', actor: 'ci', now: T3 });
    expect(v3).toMatchObject({ version: 3, status: 'open' });
    expect(v3!.reason).toMatch(/^reopened by run run-9/);
  });

  it('applyFindings(warn) opens only when openOn includes warn, with the default warn rating 2×3', () => {
    const warn = doc([diFinding('warn', 0.85)]);
    expect(applyFindings([], warn, { runId: 'r', actor: 'ci' })).toEqual([]);
    const [e] = applyFindings([], warn, { runId: 'r', actor: 'ci', openOn: ['fail', 'warn'] });
    expect(e).toMatchObject({ likelihood: 2, severity: 3, inherentLevel: 'medium', status: 'open' });
  });

  it('updateEntry(bad field) throws InputError naming the field and value', () => {
    const [e] = applyFindings([], doc([diFinding('fail', 0.62)]), { runId: 'run-1', actor: 'ci', now: T1 });
    const statusError = messages.badRiskField('updateEntry', 'status', 'done', 'one of open, treating, monitoring, accepted, closed');
    expectInputError(() => updateEntry(e!, { status: 'done' as 'open', by: 'ann' }), statusError);
    expect(() => updateEntry(e!, { residual: { likelihood: 2, severity: 6 as Rating }, by: 'ann' })).toThrow(messages.badRiskField('updateEntry', 'residual.severity', 6, 'an integer 1–5'));
    expect(() => updateEntry(e!, { treatment: 'ignore' as 'modify', by: 'ann' })).toThrow(messages.badRiskField('updateEntry', 'treatment', 'ignore', 'one of avoid, modify, share, retain'));
    expect(() => updateEntry(e!, { status: 'closed', by: ' ' })).toThrow(messages.badRiskField('updateEntry', 'by', ' ', 'the name of the person making the change'));
    expect(() => updateEntry(e!, { reviewDate: '2026-02-30', by: 'ann' })).toThrow(messages.badRiskField('updateEntry', 'reviewDate', '2026-02-30', 'a date YYYY-MM-DD'));
    expect(() => updateEntry(e!, { status: 'open', by: 'ann' })).toThrow(messages.riskNothingToUpdate('updateEntry', e!.id));
  });
});

describe('riskToCSV, riskToJSON, riskToMarkdown', () => {
  const [base] = applyFindings([], doc([diFinding('fail', 0.62)]), { runId: 'run-1', actor: 'ci', now: T1 });
  const evil: RiskEntry = { ...base!, owner: '=HYPERLINK("http://x","y")', title: '+1+2', reason: '@SUM(A1)', changedBy: '-2+3', affectedGroups: ['\tgroup', '\rcr'], event: 'a, "quoted"\nline' };

  it('riskToCSV(entries) prefixes cells starting with = + - @ tab CR with a quote and round-trips through an RFC 4180 parser', () => {
    const rows = parseCSV(riskToCSV([evil]));
    expect(rows[0]).toEqual([...RISK_CSV_COLUMNS]);
    const cell = (name: string) => rows[1]![RISK_CSV_COLUMNS.indexOf(name as never)];
    expect(cell('owner')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(cell('title')).toBe(`'+1+2`);
    expect(cell('reason')).toBe(`'@SUM(A1)`);
    expect(cell('changed_by')).toBe(`'-2+3`);
    expect(cell('affected_groups')).toBe(`'\tgroup; \rcr`);
    expect(cell('event')).toBe('a, "quoted"\nline');
    expect(cell('likelihood')).toBe('4');
    expect(cell('id')).toBe(base!.id);
    // no cell of the data row starts with a formula character
    for (const c of rows[1]!) expect(/^[=+\-@\t\r]/.test(c)).toBe(false);
    expect(neutraliseCell('plain')).toBe('plain');
  });

  it('riskToJSON(entries) is a fairwatch.risk-register document that round-trips the entries', () => {
    const d = JSON.parse(riskToJSON([evil], { now: T2 }));
    expect(d).toEqual({ kind: 'fairwatch.risk-register', version: 1, createdAt: T2, entries: [evil] });
  });

  it('riskToMarkdown(entries, history) escapes pipes and lists every version', () => {
    const v2 = updateEntry(base!, { status: 'treating', note: 'a | b', by: 'ann', now: T2 });
    const md = riskToMarkdown([v2], { history: { [v2.id]: [base!, v2] } });
    expect(md.split('\n')[0]).toBe('# Risk register');
    expect(md).toContain('status open → treating: a \\| b');
    expect(md).toContain(`| 1 | ${T1} | ci | open |`);
    expect(md).toContain(`| 2 | ${T2} | ann | treating |`);
  });
});
