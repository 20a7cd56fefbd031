import * as arrow from 'apache-arrow';
import * as flechette from '@uwdata/flechette';
import * as aq from 'arquero';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError, messages } from '../../src/errors.js';
import {
  getTableAdapters,
  lazyTable,
  registerTableAdapter,
  toColumnTable,
  unregisterTableAdapter,
  type ColumnTable,
} from '../../src/io/index.js';

// One small data set, written out by hand in every shape the adapters accept.
const ROWS = [
  { y: 1, score: 0.9, sex: 'f' },
  { y: 0, score: 0.2, sex: 'm' },
  { y: 1, score: 0.6, sex: 'm' },
  { y: 0, score: 0.4, sex: 'f' },
];
const EXPECTED = { y: [1, 0, 1, 0], score: [0.9, 0.2, 0.6, 0.4], sex: ['f', 'm', 'm', 'f'] };

/** A danfo.js-like DataFrame without danfojs: `columns`, `shape`, `column(name).values`. */
class FakeSeries {
  constructor(readonly values: unknown[]) {}
}
class FakeDataFrame {
  readonly columns: string[];
  readonly shape: [number, number];
  constructor(private readonly data: Record<string, unknown[]>) {
    this.columns = Object.keys(data);
    this.shape = [data[this.columns[0]!]!.length, this.columns.length];
  }
  column(name: string): FakeSeries {
    return new FakeSeries(this.data[name]!);
  }
}

const plain = (t: ColumnTable, name: string) => Array.from(t.column(name));

describe('toColumnTable(data)', () => {
  const shapes: [string, () => unknown][] = [
    ['rows', () => ROWS],
    ['columns', () => ({ y: new Int32Array(EXPECTED.y), score: new Float64Array(EXPECTED.score), sex: EXPECTED.sex })],
    ['arrow', () => arrow.tableFromArrays({ y: new Int32Array(EXPECTED.y), score: new Float64Array(EXPECTED.score), sex: EXPECTED.sex })],
    ['arrow', () => arrow.tableFromJSON(ROWS)],
    ['arrow', () => flechette.tableFromArrays({ y: new Int32Array(EXPECTED.y), score: new Float64Array(EXPECTED.score), sex: EXPECTED.sex })],
    ['arrow', () => flechette.tableFromIPC(arrow.tableToIPC(arrow.tableFromJSON(ROWS)))],
    ['arquero', () => aq.table({ y: EXPECTED.y, score: EXPECTED.score, sex: EXPECTED.sex })],
    ['arquero', () => aq.from(ROWS)],
    ['arquero', () => aq.fromArrow(arrow.tableToIPC(arrow.tableFromJSON(ROWS)))],
    ['danfo', () => new FakeDataFrame({ y: EXPECTED.y, score: EXPECTED.score, sex: EXPECTED.sex })],
    [
      'danfo',
      () => ({
        columns: ['y', 'score', 'sex'],
        shape: [4, 3],
        y: { values: EXPECTED.y },
        score: { values: EXPECTED.score },
        sex: { values: EXPECTED.sex },
      }),
    ],
  ];
  it.each(shapes.map(([source, make], i) => [i, source, make] as const))(
    'toColumnTable(shape #%i) via the %s adapter yields the same columns',
    (_i, source, make) => {
      const t = toColumnTable(make());
      expect(t.source).toBe(source);
      expect(t.numRows).toBe(4);
      expect([...t.columnNames].sort()).toEqual(['score', 'sex', 'y']);
      for (const [name, values] of Object.entries(EXPECTED)) expect(plain(t, name)).toEqual(values);
    },
  );

  it('toColumnTable(arrowTable) returns the zero-copy typed array for numeric columns without nulls', () => {
    const y = new Int32Array([1, 0, 1]);
    const score = new Float64Array([0.1, 0.2, 0.3]);
    const t = toColumnTable(arrow.tableFromArrays({ y, score }));
    expect(t.column('y')).toBeInstanceOf(Int32Array);
    expect((t.column('score') as Float64Array).buffer).toBe(score.buffer);
    expect(t.column('y')).toBe(t.column('y')); // cached
  });

  it('toColumnTable(arrowTable) gives null for nulls in numeric, boolean and dictionary string columns', () => {
    const t = toColumnTable(
      arrow.tableFromJSON([
        { x: 1.5, b: true, s: 'a' },
        { x: null, b: null, s: null },
        { x: 3, b: false, s: 'b' },
      ]),
    );
    expect(plain(t, 'x')).toEqual([1.5, null, 3]);
    expect(plain(t, 'b')).toEqual([true, null, false]);
    expect(plain(t, 's')).toEqual(['a', null, 'b']);
  });

  it('toColumnTable(flechetteTable) gives null for nulls', () => {
    const t = toColumnTable(flechette.tableFromIPC(arrow.tableToIPC(arrow.tableFromJSON([{ x: 1 }, { x: null }]))));
    expect(plain(t, 'x')).toEqual([1, null]);
  });

  it('toColumnTable(arrowTable) decodes dictionary-encoded strings', () => {
    const dict = arrow.vectorFromArray(['u', 'v', 'u'], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()));
    const t = toColumnTable(new arrow.Table({ g: dict }));
    expect(plain(t, 'g')).toEqual(['u', 'v', 'u']);
  });

  it('toColumnTable(arrowTable) converts Int64 to numbers when safe and keeps unsafe values as bigint', () => {
    const t = toColumnTable(
      arrow.tableFromArrays({ small: new BigInt64Array([1n, 2n]), big: new BigInt64Array([1n, 2n ** 60n]) }),
    );
    expect(t.column('small')).toEqual(new Int32Array([1, 2]));
    expect(plain(t, 'big')).toEqual([1, 2n ** 60n]);
    const withNull = toColumnTable(
      new arrow.Table({ v: arrow.vectorFromArray([5n, null], new arrow.Int64()) }),
    );
    expect(plain(withNull, 'v')).toEqual([5, null]);
  });

  it('toColumnTable(arrowTable) gives timestamps as epoch milliseconds', () => {
    const ts = arrow.vectorFromArray([new Date(0), new Date(5000), null], new arrow.TimestampMillisecond());
    const t = toColumnTable(new arrow.Table({ t: ts }));
    expect(plain(t, 't')).toEqual([0, 5000, null]);
  });

  it('toColumnTable(arqueroTable) respects filters and order', () => {
    const base = aq.table({ y: [1, 0, 1, 0], g: ['a', 'b', 'c', 'd'] });
    const t = toColumnTable(base.filter('d.y > 0').orderby(aq.desc('g')));
    expect(t.numRows).toBe(2);
    expect(plain(t, 'g')).toEqual(['c', 'a']);
  });

  it('toColumnTable(arqueroTable) returns an unfiltered typed column zero-copy', () => {
    const y = new Float64Array([1, 2, 3]);
    expect(toColumnTable(aq.table({ y })).column('y')).toBe(y);
  });

  it('toColumnTable(rows) takes the union of keys in first-seen order and gives undefined for a missing key', () => {
    const t = toColumnTable([{ a: 1 }, { b: 'x', a: 2 }, { c: true }]);
    expect(t.columnNames).toEqual(['a', 'b', 'c']);
    expect(plain(t, 'a')).toEqual([1, 2, undefined]);
    expect(plain(t, 'b')).toEqual([undefined, 'x', undefined]);
    expect(plain(t, 'c')).toEqual([undefined, undefined, true]);
  });

  it('toColumnTable(rows) does not read inherited properties as values', () => {
    const t = toColumnTable([{ constructor: 1 }, { other: 2 }]);
    expect(plain(t, 'constructor')).toEqual([1, undefined]);
  });

  it('toColumnTable(rows) builds a column once and caches it', () => {
    const t = toColumnTable(ROWS);
    expect(t.column('y')).toBe(t.column('y'));
  });

  it('toColumnTable(rows) throws InputError naming a row that is not an object', () => {
    expect(() => toColumnTable([{ a: 1 }, null], 'f')).toThrow(messages.badRow('f', 1, null));
  });

  it('toColumnTable(columns) returns the given arrays zero-copy', () => {
    const y = new Uint8Array([1, 0]);
    expect(toColumnTable({ y, g: ['a', 'b'] }).column('y')).toBe(y);
  });

  it('toColumnTable(columns) throws InputError lengthMismatch naming the column', () => {
    expect(() => toColumnTable({ y: [1, 0, 1], g: ['a', 'b'] }, 'f')).toThrow(messages.lengthMismatch('f', 'g', 3, 2));
    expect(() => toColumnTable({ y: [1, 0, 1], g: ['a', 'b'] })).toThrow(InputError);
  });

  it('toColumnTable(columns) rejects a column that is not an array', () => {
    expect(() => toColumnTable({ y: [1, 0], g: 5 }, 'f')).toThrow(messages.notArrayLike('f', 'column "g"', 5));
  });

  it('toColumnTable(danfo) checks that each column has shape[0] values', () => {
    const t = toColumnTable({ columns: ['y'], shape: [3, 1], y: { values: [1, 0] } }, 'f');
    expect(() => t.column('y')).toThrow(messages.lengthMismatch('f', 'y', 3, 2));
  });

  it('toColumnTable(array of numbers) throws unsupportedInput: one column is not a table', () => {
    expect(() => toColumnTable([1, 0, 1], 'f')).toThrow(messages.unsupportedInput('f', 'data', [1, 0, 1]));
    expect(() => toColumnTable(new Float64Array([1]))).toThrow(InputError);
    expect(() => toColumnTable('y')).toThrow(InputError);
    expect(() => toColumnTable(null)).toThrow(InputError);
  });

  it('toColumnTable(data).column(name) throws missingColumn listing the available columns', () => {
    const t = toColumnTable(ROWS, 'groupMetrics');
    expect(() => t.column('label')).toThrow(messages.missingColumn('groupMetrics', 'label', ['y', 'score', 'sex']));
    try {
      t.column('label');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).code).toBe('missingColumn');
    }
  });

  it('toColumnTable(empty inputs) gives tables with 0 rows', () => {
    expect(toColumnTable([]).numRows).toBe(0);
    expect(toColumnTable({ y: [] }).numRows).toBe(0);
    expect(toColumnTable(arrow.tableFromArrays({ y: new Float64Array(0) })).numRows).toBe(0);
    expect(toColumnTable(aq.table({ y: [] })).numRows).toBe(0);
  });

  it('toColumnTable(columnTable) returns the table itself', () => {
    const t = toColumnTable(ROWS);
    expect(toColumnTable(t)).toBe(t);
  });
});

describe('registerTableAdapter(adapter)', () => {
  afterEach(() => {
    unregisterTableAdapter('map');
  });

  it('registerTableAdapter(adapter) makes toColumnTable accept a new table type', () => {
    expect(() => toColumnTable(new Map([['y', [0, 1]]]))).toThrow(InputError);
    registerTableAdapter({
      id: 'map',
      detect: (d) => d instanceof Map,
      adapt: (d, fn) => lazyTable({ source: 'map', columns: Object.fromEntries(d as Map<string, unknown[]>), fn }),
    });
    const t = toColumnTable(new Map([['y', [0, 1]]]));
    expect(t.source).toBe('map');
    expect(plain(t, 'y')).toEqual([0, 1]);
  });

  it('getTableAdapters() lists the built-ins in the order they are tried', () => {
    expect(getTableAdapters().map((a) => a.id)).toEqual(['columnTable', 'arrow', 'arquero', 'danfo', 'rows', 'columns']);
  });
});
