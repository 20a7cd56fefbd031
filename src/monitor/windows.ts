/**
 * Window boundaries, pure and in UTC (no daylight-saving time): an hour, a day, an ISO week
 * (Monday 00:00 to the next Monday; the id uses the ISO week-year, so 2027-01-01 is in
 * `week:2026-W53`), a calendar month, or a fixed number of rows. A window is `[start, end)`.
 *
 * Ids: `hour:2026-03-01T13`, `day:2026-03-01`, `week:2026-W09`, `month:2026-03`,
 * `rows:0-99999` (first and last row, inclusive).
 *
 * Due windows ({@link dueWindows}): the complete windows (end ≤ now) after the last completed
 * one in the store, or from the window holding the source's earliest time.
 *
 * @example
 * ```ts
 * import { windowAt, windowsBetween } from 'fairwatch';
 * windowAt('week', '2026-03-04T10:00:00Z').id;                          // 'week:2026-W10'
 * windowsBetween('day', '2026-02-27', '2026-03-02').map((w) => w.id); // ['day:2026-02-27', 'day:2026-02-28', 'day:2026-03-01']
 * ```
 */
import { InputError, messages } from '../errors.js';
import type { WindowSpec, WindowUnit } from './config.js';
import type { MonitorWindow } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function toDate(fn: string, option: string, t: Date | string | number): Date {
  const d = t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime())) throw new InputError(messages.monitorBadWindow(fn, option, t, 'an ISO-8601 time or date'), 'monitorBadWindow', { option });
  return d;
}

/** Start of the window of `unit` holding `t` (ms since the epoch). */
function floorTo(unit: WindowUnit, t: number): number {
  const d = new Date(t);
  switch (unit) {
    case 'hour':
      return Math.floor(t / HOUR) * HOUR;
    case 'day':
      return Math.floor(t / DAY) * DAY;
    case 'week': {
      const day = Math.floor(t / DAY) * DAY;
      const dow = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
      return day - dow * DAY;
    }
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
}

function addUnit(unit: WindowUnit, start: number, k = 1): number {
  switch (unit) {
    case 'hour':
      return start + k * HOUR;
    case 'day':
      return start + k * DAY;
    case 'week':
      return start + k * 7 * DAY;
    case 'month': {
      const d = new Date(start);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k, 1);
    }
  }
}

/**
 * ISO-8601 week-year and week number of a time (weeks start on Monday; week 1 holds the year's
 * first Thursday).
 *
 * @example
 * ```ts
 * isoWeek('2026-01-01T00:00:00Z'); // { year: 2026, week: 1 }  (a Thursday)
 * isoWeek('2027-01-01T00:00:00Z'); // { year: 2026, week: 53 } (a Friday)
 * isoWeek('2024-12-30T00:00:00Z'); // { year: 2025, week: 1 }  (a Monday)
 * ```
 */
export function isoWeek(t: Date | string | number): { year: number; week: number } {
  const d = toDate('isoWeek', 't', t);
  const day = Math.floor(d.getTime() / DAY) * DAY;
  const dow = (new Date(day).getUTCDay() + 6) % 7;
  const thursday = new Date(day + (3 - dow) * DAY);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY));
  return { year, week };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * The id of the calendar window of `unit` starting at `start`.
 *
 * @example
 * ```ts
 * windowId('hour', '2026-03-01T13:00:00Z');  // 'hour:2026-03-01T13'
 * windowId('month', '2026-03-01T00:00:00Z'); // 'month:2026-03'
 * ```
 */
export function windowId(unit: WindowUnit, start: Date | string | number): string {
  const d = toDate('windowId', 'start', start);
  const ymd = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  switch (unit) {
    case 'hour':
      return `hour:${ymd}T${pad(d.getUTCHours())}`;
    case 'day':
      return `day:${ymd}`;
    case 'week': {
      const w = isoWeek(d);
      return `week:${w.year}-W${pad(w.week)}`;
    }
    case 'month':
      return `month:${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
  }
}

function make(unit: WindowUnit, start: number): MonitorWindow {
  return { id: windowId(unit, start), start: new Date(start).toISOString(), end: new Date(addUnit(unit, start)).toISOString() };
}

/**
 * The window of `unit` holding time `t`.
 *
 * @example
 * ```ts
 * windowAt('month', '2024-02-17T08:00:00Z');
 * // { id: 'month:2024-02', start: '2024-02-01T00:00:00.000Z', end: '2024-03-01T00:00:00.000Z' }
 * ```
 */
export function windowAt(unit: WindowUnit, t: Date | string | number): MonitorWindow {
  return make(unit, floorTo(unit, toDate('windowAt', 't', t).getTime()));
}

/**
 * The window after `w` (same unit).
 *
 * @example
 * ```ts
 * nextWindow('month', windowAt('month', '2026-12-05')).id; // 'month:2027-01'
 * ```
 */
export function nextWindow(unit: WindowUnit, w: MonitorWindow): MonitorWindow {
  return make(unit, new Date(w.end).getTime());
}

/**
 * The window `k` windows before `w` (k ≥ 1), e.g. for a `{ previous: N }` baseline.
 *
 * @example
 * ```ts
 * previousWindow('day', windowAt('day', '2026-03-01'), 2).id; // 'day:2026-02-27'
 * ```
 */
export function previousWindow(unit: WindowUnit, w: MonitorWindow, k = 1): MonitorWindow {
  return make(unit, addUnit(unit, new Date(w.start).getTime(), -k));
}

/**
 * The complete windows of `unit` with `start ≥` the start of the window holding `from` and
 * `end ≤ to`, oldest first (at most `limit`, default 100,000).
 *
 * @example
 * ```ts
 * windowsBetween('month', '2024-01-15', '2024-04-01').map((w) => w.id); // ['month:2024-01', 'month:2024-02', 'month:2024-03']
 * windowsBetween('day', '2026-03-01T12:00Z', '2026-03-01T23:00Z');    // [] (day:2026-03-01 is not complete yet)
 * ```
 */
export function windowsBetween(unit: WindowUnit, from: Date | string | number, to: Date | string | number, limit = 100_000): MonitorWindow[] {
  const fn = 'windowsBetween';
  const a = toDate(fn, 'from', from).getTime();
  const b = toDate(fn, 'to', to).getTime();
  const out: MonitorWindow[] = [];
  for (let s = floorTo(unit, a); addUnit(unit, s) <= b && out.length < limit; s = addUnit(unit, s)) out.push(make(unit, s));
  return out;
}

/**
 * The row windows `[k·size, (k+1)·size)` from row `fromRow` on that are complete within
 * `totalRows` rows. `start`/`end` are left empty here (the run fills in the rows' times).
 *
 * @example
 * ```ts
 * rowWindows(100, 0, 250).map((w) => w.id); // ['rows:0-99', 'rows:100-199']
 * rowWindows(100, 200, 250);                // [] (rows 200-249 are not a full window yet)
 * ```
 */
export function rowWindows(size: number, fromRow: number, totalRows: number): MonitorWindow[] {
  if (!Number.isInteger(size) || size < 1) throw new InputError(messages.monitorBadWindow('rowWindows', 'size', size, 'a positive integer'), 'monitorBadWindow');
  const out: MonitorWindow[] = [];
  for (let r = Math.ceil(fromRow / size) * size; r + size <= totalRows; r += size) out.push(rowWindow(size, r));
  return out;
}

/**
 * The row window of `size` rows starting at row `from` (a multiple of `size`).
 *
 * @example
 * ```ts
 * rowWindow(1000, 2000); // { id: 'rows:2000-2999', start: '', end: '', rows: { from: 2000, to: 3000 } }
 * ```
 */
export function rowWindow(size: number, from: number): MonitorWindow {
  if (!Number.isInteger(from) || from < 0 || from % size !== 0) {
    throw new InputError(messages.monitorBadWindow('rowWindow', 'from', from, `a row number that is a multiple of ${size}`), 'monitorBadWindow');
  }
  return { id: `rows:${from}-${from + size - 1}`, start: '', end: '', rows: { from, to: from + size } };
}

/**
 * The window a `--window` argument names: a window id (`day:2026-03-01`, `week:2026-W09`,
 * `rows:200-299`), a bare week id (`2026-W09`), a row number (row windows), or any time inside
 * the window (`2026-03-01`, `2026-03-01T13:20Z`).
 *
 * @example
 * ```ts
 * parseWindowArg({ unit: 'week' }, '2026-W09').start;   // '2026-02-23T00:00:00.000Z'
 * parseWindowArg({ unit: 'day' }, 'day:2026-03-01').end; // '2026-03-02T00:00:00.000Z'
 * parseWindowArg({ unit: 'rows', rows: 100 }, '200').id; // 'rows:200-299'
 * ```
 */
export function parseWindowArg(spec: WindowSpec, arg: string): MonitorWindow {
  const fn = 'parseWindowArg';
  const s = String(arg).trim();
  if (spec.unit === 'rows') {
    const m = /^(?:rows:)?(\d+)(?:-\d+)?$/.exec(s);
    if (!m) throw new InputError(messages.monitorBadWindow(fn, '--window', arg, 'a first row number, e.g. 0 or rows:0-99'), 'monitorBadWindow', { option: '--window' });
    return rowWindow(spec.rows, Number(m[1]));
  }
  const unit = spec.unit;
  const body = s.startsWith(`${unit}:`) ? s.slice(unit.length + 1) : s;
  const week = /^(\d{4})-W(\d{2})$/.exec(body);
  if (week) {
    if (unit !== 'week') throw new InputError(messages.monitorBadWindow(fn, '--window', arg, `a ${unit} window`), 'monitorBadWindow', { option: '--window' });
    const year = Number(week[1]);
    const n = Number(week[2]);
    const jan4 = Date.UTC(year, 0, 4);
    const w = make('week', floorTo('week', jan4) + (n - 1) * 7 * DAY);
    if (n < 1 || w.id !== `week:${week[1]}-W${week[2]}`) throw new InputError(messages.monitorBadWindow(fn, '--window', arg, `an ISO week of ${year}`), 'monitorBadWindow', { option: '--window' });
    return w;
  }
  let t = body;
  if (/^\d{4}-\d{2}$/.test(t)) t += '-01';
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}$/.test(t)) t += ':00:00Z';
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(t)) t += 'Z'; // times without a zone are UTC
  const d = new Date(t);
  if (!/^\d{4}-\d{2}-\d{2}/.test(t) || Number.isNaN(d.getTime())) {
    throw new InputError(messages.monitorBadWindow(fn, '--window', arg, `a ${unit} window id or a time inside it, e.g. ${windowId(unit, Date.UTC(2026, 2, 1))}`), 'monitorBadWindow', { option: '--window' });
  }
  return windowAt(unit, d);
}

/**
 * The due windows of a job: complete windows (end ≤ `now`) after `lastCompleted` (a window id
 * or window), or — with nothing completed yet — from the window holding `sourceMin`, the
 * source's earliest time. Row windows: complete windows after the last completed one within
 * `totalRows`.
 *
 * @example
 * ```ts
 * dueWindows({ unit: 'day' }, { lastCompleted: windowAt('day', '2026-03-01'), now: '2026-03-04T01:00Z' }).map((w) => w.id);
 * // ['day:2026-03-02', 'day:2026-03-03']
 * dueWindows({ unit: 'day' }, { sourceMin: '2026-03-03T17:00Z', now: '2026-03-04T01:00Z' }).map((w) => w.id); // ['day:2026-03-03']
 * dueWindows({ unit: 'rows', rows: 10 }, { lastCompleted: rowWindow(10, 0), totalRows: 35 }).map((w) => w.id); // ['rows:10-19', 'rows:20-29']
 * ```
 */
export function dueWindows(
  spec: WindowSpec,
  options: { lastCompleted?: MonitorWindow | null; sourceMin?: Date | string | null; now?: Date | string; totalRows?: number },
): MonitorWindow[] {
  if (spec.unit === 'rows') {
    const from = options.lastCompleted?.rows ? options.lastCompleted.rows.to : 0;
    return rowWindows(spec.rows, from, options.totalRows ?? 0);
  }
  const now = options.now ?? new Date();
  if (options.lastCompleted) return windowsBetween(spec.unit, options.lastCompleted.end, now);
  if (options.sourceMin === undefined || options.sourceMin === null) return [];
  return windowsBetween(spec.unit, options.sourceMin, now);
}
