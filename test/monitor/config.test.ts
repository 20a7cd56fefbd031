import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/errors.js';
import { parseMonitorConfig } from '../../src/monitor/config.js';

describe('parseMonitorConfig', () => {
  it('resolves paths against the job file and fills defaults', () => {
    const j = parseMonitorConfig('job: j1\nsource: { file: d.csv }\ncolumns: { time: ts, label: y, prediction: p, sensitive: [sex] }\nwindow: week\nbaseline: { previous: 4 }\n', { file: '/jobs/m.yaml' });
    expect([j.engine, j.source, j.window, j.baseline, j.alerts]).toEqual(['duckdb', { kind: 'file', text: '/jobs/d.csv' }, { unit: 'week' }, { kind: 'previous', windows: 4 }, { rules: [], sinks: [] }]);
  });
  it('names file, line and field in errors', () => {
    const text = 'job: j1\nsource: { file: d.csv }\ncolumns: { time: ts, label: y, prediction: p, sensitive: [sex] }\nwindow: fortnight\n';
    expect(() => parseMonitorConfig(text, { file: 'm.yaml' })).toThrow(PolicyError);
    expect(() => parseMonitorConfig(text, { file: 'm.yaml' })).toThrow(/m\.yaml:4: window/);
    expect(() => parseMonitorConfig('job: j1\nsource: { engine: postgres, table: t }\ncolumns: { time: ts, label: y, prediction: p, sensitive: [s] }\nwindow: day\n', { file: 'p.yaml' })).toThrow(/p\.yaml:2: source.url/);
  });
});
