import { describe, expect, it } from 'vitest';
import { BIN_CODE, LABEL_CODE } from '../../src/engines/sql.js';
import {
  groupValueFromSql,
  readFairnessRecord,
  resolveFairnessRecords,
  summariesFromRows,
  summariesFromSqlRecords,
  type FairnessRow,
  type FairnessSqlRecord,
} from '../../src/engines/summaries-from-rows.js';
import type { FairnessQuery } from '../../src/engines/types.js';
import { InputError, messages } from '../../src/errors.js';
import { encodeGroups } from '../../src/kernels/groups.js';
import { accumulate, BIN, BIN_STRIDE } from '../../src/kernels/summaries.js';
import { expectSameSummaries } from './helpers.js';

const row = (keys: (string | null)[], y: number, yhat: number, n: number, extra: Partial<FairnessRow> = {}): FairnessRow => ({
  keys, y, yhat, bin: null, n, w: n, wp: null, wp2: null, ...extra,
});

describe('groupValueFromSql', () => {
  it('groupValueFromSql(text, kind) gives the in-memory group value', () => {
    const cases: [string | null, 'number' | 'boolean' | 'string', unknown][] = [
      ['3', 'number', 3], ['-1.5', 'number', -1.5], ['1e+20', 'number', 1e20], ['nan', 'number', null], ['NaN', 'number', null],
      ['inf', 'number', Infinity], ['-Infinity', 'number', -Infinity], ['9007199254740993', 'number', '9007199254740993'],
      ['true', 'boolean', true], ['f', 'boolean', false], ['3', 'string', '3'], ['', 'string', null], [null, 'number', null],
    ];
    for (const [text, kind, value] of cases) expect([text, kind, groupValueFromSql(text, kind)]).toEqual([text, kind, value]);
  });
});

describe('summariesFromRows', () => {
  it('summariesFromRows orders groups canonically and adds rows of one group', () => {
    const rows = [row(['10'], 1, 1, 2), row(['2'], 0, 0, 1), row([null], 1, 0, 4), row(['nan'], 1, 0, 1), row(['2'], 0, 0, 3)];
    const num = summariesFromRows(rows, ['region'], 10, false, { kinds: ['number'] });
    expect(num.confusion.groups).toEqual([[2], [10], [null]]);
    // hand-worked: 2 -> tn 1 + 3; 10 -> tp 2; missing (NULL and NaN) -> fn 4 + 1
    expect(Array.from(num.confusion.n)).toEqual([4, 0, 0, 0, 0, 0, 0, 2, 0, 0, 5, 0]);
    expect(Array.from(num.confusion.w)).toEqual(Array.from(num.confusion.n));
    const text = summariesFromRows(rows, ['region'], 10, false);
    expect(text.confusion.groups).toEqual([['10'], ['2'], ['nan'], [null]]);
  });

  it('summariesFromRows equals accumulate on a hand-made weighted case with scores', () => {
    const g = ['a', 'b', 'a', 'a'];
    const y = [1, 0, 1, 0];
    const yhat = [1, 1, 0, 0];
    const s = [0.95, 0.1, 0.92, 0.5];
    const w = [2, 1, 0.5, 3];
    const expected = accumulate({
      grouping: encodeGroups(g, { column: 'g' }), yTrue: new Uint8Array(y), yPred: new Uint8Array(yhat), yScore: new Float64Array(s), weights: new Float64Array(w), bins: 10,
    });
    // the rows an engine would return: one per (group, y, ŷ, bin)
    const rows = g.map((k, i) => row([k], y[i]!, yhat[i]!, 1, { w: w[i]!, bin: Math.min(Math.floor(s[i]! * 10), 9), wp: w[i]! * s[i]!, wp2: w[i]! * s[i]! * s[i]! }));
    const out = summariesFromRows(rows, ['g'], 10, true);
    expectSameSummaries(out, expected);
    expect(out.scoreBins!.cells[(0 * 10 + 9) * BIN_STRIDE + BIN.wy]).toBe(2.5);
  });

  it("summariesFromRows with missing 'drop' counts dropped rows; 'error' throws naming the column", () => {
    const rows = [row(['a', null], 1, 1, 2), row(['a', 'x'], 0, 0, 1)];
    const out = summariesFromRows(rows, ['g', 'h'], 10, false, { missing: 'drop' });
    expect([out.confusion.groups, out.dropped]).toEqual([[['a', 'x']], 2]);
    expect(() => summariesFromRows(rows, ['g', 'h'], 10, false, { missing: 'error', fn: 'f' })).toThrow(messages.engineMissingSensitive('f', 'h'));
  });

  it('summariesFromRows throws for too many groups and for out-of-range scores unless their rows are dropped', () => {
    const rows = [row(['a'], 1, 1, 1), row(['b'], 1, 1, 1), row(['c'], 1, 1, 1)];
    expect(() => summariesFromRows(rows, ['g'], 10, false, { maxGroups: 2, fn: 'f' })).toThrow(messages.engineTooManyGroups('f', 'g', 2, 3));
    const bad = [row(['a'], 1, 1, 1, { bin: 3, wp: 0.3, wp2: 0.09 }), row([null], 1, 1, 1, { bin: BIN_CODE.outOfRange, scoreExample: 7 })];
    expect(() => summariesFromRows(bad, ['g'], 10, true, { scoreColumn: 's', fn: 'f' })).toThrow(messages.engineScoreOutOfRange('f', 's', 7));
    expect(summariesFromRows(bad, ['g'], 10, true, { missing: 'drop' }).dropped).toBe(1);
    expect(() => summariesFromRows([row(['a'], 2, 1, 1)], ['g'], 10, false)).toThrow(InputError);
  });
});

describe('resolveFairnessRecords', () => {
  const rec = (y: number | null, yhat: number | null, n: number, yText: string | null, pText: string | null): FairnessSqlRecord =>
    readFairnessRecord({ s0: 'g', y, yhat, n, w: n, y_lo: yText, y_hi: yText, p_lo: pText, p_hi: pText }, 1);
  const q = (o: Partial<FairnessQuery> = {}): FairnessQuery => ({ source: { kind: 'table', text: 't' }, label: 'y', prediction: 'p', sensitive: ['g'], ...o });
  const bits = (rs: FairnessSqlRecord[], query: FairnessQuery) => resolveFairnessRecords(rs, query, 'f').map((r) => [r.y, r.yhat]);
  const { zero, one, positiveLabel: pos, other } = LABEL_CODE;

  it('with positiveLabel: the label column holding it maps it to 1; 0/1 predictions keep their meaning (as toBinary)', () => {
    const rs = [rec(pos, one, 1, 'yes', '1'), rec(other, zero, 1, 'no', '0')];
    expect(bits(rs, q({ positiveLabel: 'yes' }))).toEqual([[1, 1], [0, 0]]);
  });

  it('a 0-like positiveLabel inverts 0/1 columns that do not hold it; a column holding it maps it to 1', () => {
    expect(bits([rec(one, one, 1, '1.0', '1.0'), rec(zero, zero, 1, '0.0', '0.0')], q({ positiveLabel: '0' }))).toEqual([[0, 0], [1, 1]]);
    expect(bits([rec(one, one, 1, '1', '1'), rec(pos, pos, 1, '0', '0')], q({ positiveLabel: '0' }))).toEqual([[0, 0], [1, 1]]);
  });

  it('missing, third and non-binary values throw the in-memory messages', () => {
    expect(() => bits([rec(null, one, 1, null, '1')], q())).toThrow(messages.engineMissingLabel('f', 'y'));
    expect(() => bits([rec(pos, one, 1, 'yes', '1'), rec(other, zero, 1, 'maybe', '0'), rec(other, zero, 1, 'no', '0')], q({ positiveLabel: 'yes' }))).toThrow(
      messages.engineTooManyLabelValues('f', 'y', ['maybe', 'no', 'yes']),
    );
    expect(() => bits([rec(other, one, 1, 'no', '1'), rec(other, zero, 1, 'yes', '0')], q())).toThrow(messages.notBinary('f', 'y', ['no', 'yes']));
    expect(() => bits([rec(other, one, 2, 'yes', '1')], q())).toThrow(messages.singleLabelValue('f', 'y', 'yes'));
    expect(bits([rec(other, one, 2, 'no', '1')], q({ positiveLabel: 'yes' }))).toEqual([[0, 1]]);
  });

  it('summariesFromSqlRecords reads driver values (bigints, numeric strings) and reports rows', () => {
    const records = [
      { s0: 'f', y: 1, yhat: 1, n: 3n, w: '3' },
      { s0: 'm', y: 0, yhat: 1, n: '2', w: 2, y_lo: '0', y_hi: '0' },
    ];
    const out = summariesFromSqlRecords(records, q(), { fn: 'f' });
    expect([out.rows, Array.from(out.confusion.n)]).toEqual([5, [0, 0, 0, 3, 0, 2, 0, 0]]);
    expect(() => summariesFromSqlRecords([], q(), { fn: 'f' })).toThrow(messages.emptyInput('f', 't'));
  });
});
