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
    const hook = (extra: string) =>
      `job: j1\nsource: { file: d.csv }\ncolumns: { time: ts, label: y, prediction: p, sensitive: [sex] }\nwindow: day\nalerts:\n  sinks:\n    - { type: webhook, url: "http://127.0.0.1:9/h"${extra} }\n`;
    expect(parseMonitorConfig(hook(', retries: 2, backoffMs: 250, timeoutMs: 3000'), { file: '/jobs/m.yaml' }).alerts.sinks).toEqual([
      { type: 'webhook', url: 'http://127.0.0.1:9/h', retries: 2, backoffMs: 250, timeoutMs: 3000 },
    ]);
    expect(() => parseMonitorConfig(hook(', backoffMs: -5'), { file: 'm.yaml' })).toThrow(/m\.yaml:7: alerts\.sinks\.0\.backoffMs/);
    expect(() => parseMonitorConfig(hook(', retries: 50'), { file: 'm.yaml' })).toThrow(/m\.yaml:7: alerts\.sinks\.0\.retries/);
    const withBaseline = (b: string) => `job: j1\nsource: { file: d.csv }\ncolumns: { time: ts, label: y, prediction: p, sensitive: [sex] }\nwindow: day\nbaseline: ${b}\n`;
    expect(parseMonitorConfig(withBaseline('{ profile: p.json, audit: a.json }'), { file: '/jobs/m.yaml' }).baseline).toEqual({ kind: 'profile', path: '/jobs/p.json', audit: '/jobs/a.json' });
    expect(parseMonitorConfig(withBaseline('{ audit: a.json }'), { file: '/jobs/m.yaml' }).baseline).toEqual({ kind: 'profile', audit: '/jobs/a.json' });
    expect(() => parseMonitorConfig(withBaseline('{}'), { file: 'm.yaml' })).toThrow(/m\.yaml:5: baseline/);
    expect(() => parseMonitorConfig('job: j1\nsource: { engine: postgres, table: t }\ncolumns: { time: ts, label: y, prediction: p, sensitive: [s] }\nwindow: day\n', { file: 'p.yaml' })).toThrow(/p\.yaml:2: source.url/);
  });
});
