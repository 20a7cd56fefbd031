/**
 * Progress of long engine scans on stderr, only when stderr is a terminal (`cli-progress`): one
 * bar per step ("fairness by sex", "drift income") with rows read of rows to read, as the engine
 * reports them (`ScanProgress`). When stderr is not a terminal (a pipe, a log file, a scheduler)
 * nothing is written, so machine output and logs stay clean.
 *
 * @example
 * ```ts
 * const progress = scanProgress(process.stderr);
 * await engine.fairnessSummaries({ ...query, onProgress: progress.update });
 * progress.stop();
 * ```
 */
import cliProgress from 'cli-progress';
import type { ProgressCallback } from '../engines/types.js';

/** The stream the bar draws on: a TTY flag and `write`. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
  columns?: number;
  cursorTo?: (...args: never[]) => unknown;
  clearLine?: (...args: never[]) => unknown;
  moveCursor?: (...args: never[]) => unknown;
}

/** A progress reporter: `update` is the engines' callback; `stop` ends the bar. */
export interface ScanProgressReporter {
  /** True when it draws (stderr is a terminal). */
  readonly active: boolean;
  update: ProgressCallback;
  stop(): void;
}

/**
 * A reporter drawing on `stream` when it is a terminal (`force` draws regardless, for tests);
 * otherwise one that does nothing.
 *
 * @example
 * ```ts
 * scanProgress(process.stderr).active; // true in a terminal, false when piped
 * ```
 */
export function scanProgress(stream: ProgressStream = process.stderr, options: { force?: boolean } = {}): ScanProgressReporter {
  if (!stream.isTTY && !options.force) return { active: false, update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as unknown as NodeJS.WritableStream,
      format: '{step} [{bar}] {percentage}% | {value}/{total} rows',
      hideCursor: false,
      clearOnComplete: false,
      noTTYOutput: options.force ?? false,
      notTTYSchedule: 200,
      fps: 5,
      formatValue: (v: number, _o: unknown, type: string) => (type === 'value' || type === 'total' ? v.toLocaleString('en') : String(v)),
    },
    cliProgress.Presets.shades_classic,
  );
  let current: string | null = null;
  return {
    active: true,
    update: (p) => {
      const total = p.rowsTotal ?? 0;
      const done = p.rowsDone ?? 0;
      if (current !== p.step) {
        if (current !== null) bar.stop();
        bar.start(Math.max(total, done, 1), done, { step: p.step });
        current = p.step;
      } else {
        bar.setTotal(Math.max(total, done, 1));
        bar.update(done, { step: p.step });
      }
      if (p.done) {
        bar.stop();
        current = null;
      }
    },
    stop: () => {
      if (current !== null) bar.stop();
      current = null;
    },
  };
}
