import { describe, expect, it } from 'vitest';
import { dueWindows, isoWeek, nextWindow, parseWindowArg, rowWindows, windowAt, windowsBetween } from '../../src/monitor/windows.js';

describe('windows (hand-worked UTC boundaries)', () => {
  it('windowAt(month) knows month lengths, including leap February', () => {
    expect(windowAt('month', '2024-02-17T08:00:00Z')).toEqual({ id: 'month:2024-02', start: '2024-02-01T00:00:00.000Z', end: '2024-03-01T00:00:00.000Z' });
    expect(windowAt('month', '2025-02-28T23:59:59Z').end).toBe('2025-03-01T00:00:00.000Z');
    expect(nextWindow('month', windowAt('month', '2026-12-05')).id).toBe('month:2027-01');
  });
  it('isoWeek and week windows follow ISO 8601 (Monday start, week-year)', () => {
    expect(isoWeek('2026-01-01T00:00:00Z')).toEqual({ year: 2026, week: 1 });
    expect(isoWeek('2027-01-01T00:00:00Z')).toEqual({ year: 2026, week: 53 });
    expect(isoWeek('2024-12-30T00:00:00Z')).toEqual({ year: 2025, week: 1 });
    expect(windowAt('week', '2026-03-04T10:00:00Z')).toEqual({ id: 'week:2026-W10', start: '2026-03-02T00:00:00.000Z', end: '2026-03-09T00:00:00.000Z' });
    expect(parseWindowArg({ unit: 'week' }, '2026-W09').start).toBe('2026-02-23T00:00:00.000Z');
  });
  it('hour and day windows are DST-free UTC', () => {
    // 2026-03-29 is a DST change in Europe; UTC days stay 24 h
    expect(windowAt('day', '2026-03-29T12:00:00Z')).toEqual({ id: 'day:2026-03-29', start: '2026-03-29T00:00:00.000Z', end: '2026-03-30T00:00:00.000Z' });
    expect(windowAt('hour', '2026-03-29T01:30:00Z').id).toBe('hour:2026-03-29T01');
  });
  it('windowsBetween returns complete windows only', () => {
    expect(windowsBetween('day', '2026-02-27', '2026-03-02').map((w) => w.id)).toEqual(['day:2026-02-27', 'day:2026-02-28', 'day:2026-03-01']);
    expect(windowsBetween('day', '2026-03-01T12:00Z', '2026-03-01T23:00Z')).toEqual([]);
  });
  it('dueWindows continues after the last completed window, or from the source minimum', () => {
    expect(dueWindows({ unit: 'day' }, { lastCompleted: windowAt('day', '2026-03-01'), now: '2026-03-04T01:00Z' }).map((w) => w.id)).toEqual(['day:2026-03-02', 'day:2026-03-03']);
    expect(dueWindows({ unit: 'day' }, { sourceMin: '2026-03-03T17:00Z', now: '2026-03-04T01:00Z' }).map((w) => w.id)).toEqual(['day:2026-03-03']);
    expect(rowWindows(100, 0, 250).map((w) => w.id)).toEqual(['rows:0-99', 'rows:100-199']);
    expect(parseWindowArg({ unit: 'rows', rows: 100 }, '200').rows).toEqual({ from: 200, to: 300 });
  });
  it('parseWindowArg rejects a bad window with a typed error', () => {
    expect(() => parseWindowArg({ unit: 'day' }, 'yesterday')).toThrow(/--window = "yesterday" is not a window/);
  });
});
