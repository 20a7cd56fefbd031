import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, messages } from '../../src/errors.js';
import { fileReaderSql, readTableFile, toBinary } from '../../src/io/index.js';

let dir: string;
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fairwatch-io-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('readTableFile(path)', () => {
  it('readTableFile(csv) gives typed arrays for numbers, strings and booleans', async () => {
    const p = file('basic.csv', 'y,score,sex,flag\n1,0.9,f,true\n0,0.25,m,false\n1,0.5,m,true\n');
    const t = await readTableFile(p);
    expect(t.source).toBe('file');
    expect(t.numRows).toBe(3);
    expect(t.columnNames).toEqual(['y', 'score', 'sex', 'flag']);
    expect(t.column('y')).toEqual(new Int32Array([1, 0, 1])); // DuckDB BIGINT, all small
    expect(t.column('score')).toEqual(new Float64Array([0.9, 0.25, 0.5]));
    expect(t.column('sex')).toEqual(['f', 'm', 'm']);
    expect(t.column('flag')).toEqual([true, false, true]);
  });

  it('readTableFile(csv) reads an empty cell as null, not dropped', async () => {
    const p = file('empty-cell.csv', 'y,score,sex\n1,,f\n0,0.5,\n1,0.75,m\n');
    const t = await readTableFile(p);
    expect(t.numRows).toBe(3);
    expect(Array.from(t.column('score'))).toEqual([null, 0.5, 0.75]);
    expect(Array.from(t.column('sex'))).toEqual(['f', null, 'm']);
    expect(() => toBinary(t.column('sex'), { column: 'sex', positiveLabel: 'f', fn: 'f' })).toThrow(
      messages.missingLabel('f', 'sex', 1, null),
    );
  });

  it('readTableFile(csv, { columns }) reads only the named columns, in that order', async () => {
    const p = file('subset.csv', 'a,b,c\n1,2,3\n4,5,6\n');
    const t = await readTableFile(p, { columns: ['c', 'a'] });
    expect(t.columnNames).toEqual(['c', 'a']);
    expect(Array.from(t.column('c'))).toEqual([3, 6]);
    expect(() => t.column('b')).toThrow(InputError);
  });

  it('readTableFile(csv, { columns: [] }) still counts the rows', async () => {
    const p = file('count.csv', 'a\n1\n2\n3\n');
    const t = await readTableFile(p, { columns: [] });
    expect(t.numRows).toBe(3);
    expect(t.columnNames).toEqual([]);
  });

  it('readTableFile(csv, { columns }) throws missingColumn for a column the file lacks', async () => {
    const p = file('missing-col.csv', 'y,sex\n1,f\n');
    await expect(readTableFile(p, { columns: ['y', 'score'], fn: 'f' })).rejects.toThrow(
      messages.missingColumn('f', 'score', ['y', 'sex']),
    );
  });

  it('readTableFile(tsv) splits on tabs', async () => {
    const p = file('data.tsv', 'y\tname\n1\ta, b\n0\tc\n');
    const t = await readTableFile(p);
    expect(Array.from(t.column('y'))).toEqual([1, 0]);
    expect(t.column('name')).toEqual(['a, b', 'c']);
  });

  it('readTableFile(jsonl) gives null for a missing key', async () => {
    const p = file('data.jsonl', '{"y": 1, "sex": "f"}\n{"y": 0}\n{"y": 1, "sex": "m"}\n');
    const t = await readTableFile(p);
    expect(t.column('y')).toEqual(new Int32Array([1, 0, 1]));
    expect(t.column('sex')).toEqual(['f', null, 'm']);
  });

  it('readTableFile(ndjson) and readTableFile(json array of records) read the same records', async () => {
    const rows = [
      { y: 1, score: 0.5 },
      { y: 0, score: 0.25 },
    ];
    const a = await readTableFile(file('data.ndjson', rows.map((r) => JSON.stringify(r)).join('\n')));
    const b = await readTableFile(file('data.json', JSON.stringify(rows)));
    for (const t of [a, b]) {
      expect(Array.from(t.column('y'))).toEqual([1, 0]);
      expect(Array.from(t.column('score'))).toEqual([0.5, 0.25]);
    }
  });

  it('readTableFile(parquet) reads a file written by DuckDB, with NULLs, big integers and timestamps', async () => {
    const p = join(dir, 'data.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`COPY (
      SELECT * FROM (VALUES
        (1, 0.5::DOUBLE, 'f', 9007199254740993::BIGINT, TIMESTAMP '1970-01-01 00:00:01', 1.25::DECIMAL(5,2)),
        (0, NULL, 'm', 2::BIGINT, NULL, 2.50::DECIMAL(5,2)),
        (1, 0.75::DOUBLE, NULL, 3::BIGINT, TIMESTAMP '1970-01-02 00:00:00', 0.00::DECIMAL(5,2))
      ) AS t(y, score, sex, id, ts, amount)
    ) TO '${p.replaceAll("'", "''")}' (FORMAT PARQUET)`);
    connection.closeSync();
    instance.closeSync();

    const t = await readTableFile(p);
    expect(t.columnNames).toEqual(['y', 'score', 'sex', 'id', 'ts', 'amount']);
    expect(t.column('y')).toEqual(new Int32Array([1, 0, 1]));
    expect(Array.from(t.column('score'))).toEqual([0.5, null, 0.75]);
    expect(t.column('sex')).toEqual(['f', 'm', null]);
    expect(Array.from(t.column('id'))).toEqual([9007199254740993n, 2, 3]); // unsafe stays bigint
    expect(Array.from(t.column('ts'))).toEqual([1000, null, 86_400_000]);
    expect(t.column('amount')).toEqual(new Float64Array([1.25, 2.5, 0]));
  });

  it('readTableFile(missing file) throws fileNotFound', async () => {
    const p = join(dir, 'nope.csv');
    await expect(readTableFile(p, { fn: 'f' })).rejects.toThrow(messages.fileNotFound('f', p));
    await expect(readTableFile(p)).rejects.toBeInstanceOf(InputError);
  });

  it('readTableFile(unknown extension) throws unsupportedFile', async () => {
    const p = file('data.xlsx', 'x');
    await expect(readTableFile(p, { fn: 'f' })).rejects.toThrow(messages.unsupportedFile('f', p));
  });

  it('readTableFile(broken file) throws fileReadFailed with DuckDB\'s reason', async () => {
    const p = file('broken.parquet', 'this is not parquet');
    const error = await readTableFile(p, { fn: 'f' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('fileReadFailed');
    expect((error as InputError).message.startsWith(messages.fileReadFailed('f', p, ''))).toBe(true);
    expect(((error as InputError).details.reason as string).length).toBeGreaterThan(0);
  });

  it('readTableFile(csv with a ragged row) throws fileReadFailed instead of guessing another layout', async () => {
    const early = file('ragged-early.csv', 'a,b\n1,2\n3,4,5,6\n');
    const lines = ['a,b'];
    for (let i = 0; i < 50_000; i++) lines.push(`${i},${i % 2}`);
    lines.splice(40_000, 0, '1,2,3');
    const late = file('ragged-late.csv', lines.join('\n') + '\n');
    for (const p of [early, late]) {
      const error = await readTableFile(p, { fn: 'f' }).catch((e: unknown) => e);
      expect((error as InputError).code).toBe('fileReadFailed');
    }
  });

  it("readTableFile(path with a quote) escapes the path in SQL", async () => {
    const p = file("it's here.csv", 'y\n1\n');
    expect(fileReaderSql("it's.csv")).toBe("read_csv('it''s.csv', header = true, auto_detect = true, delim = ',', skip = 0)");
    const t = await readTableFile(p);
    expect(Array.from(t.column('y'))).toEqual([1]);
  });

  it('readTableFile(csv with 200k rows) returns every row, matching a generated known answer', async () => {
    const n = 200_000;
    const lines = ['y,score,g'];
    let ySum = 0;
    let scoreSum = 0;
    for (let i = 0; i < n; i++) {
      const y = i % 3 === 0 ? 1 : 0;
      const score = (i % 1000) / 1000;
      ySum += y;
      scoreSum += score;
      lines.push(`${y},${score},${i % 7 === 0 ? '' : 'g' + (i % 4)}`);
    }
    const t = await readTableFile(file('large.csv', lines.join('\n') + '\n'));
    expect(t.numRows).toBe(n);
    const y = t.column('y') as Int32Array;
    const score = t.column('score') as Float64Array;
    expect(y).toBeInstanceOf(Int32Array);
    expect(score).toBeInstanceOf(Float64Array);
    expect(y.reduce((a, b) => a + b, 0)).toBe(ySum);
    expect(score.reduce((a, b) => a + b, 0)).toBeCloseTo(scoreSum, 6);
    const g = t.column('g') as (string | null)[];
    expect(g.filter((v) => v === null).length).toBe(Math.ceil(n / 7));
    expect(g[1]).toBe('g1');
  });
});
