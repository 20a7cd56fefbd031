/**
 * Child process for the crash and lock tests: `child-run.ts <config> <now> [stopAfterWindows] [holdMs]`.
 * Runs the job; after `stopAfterWindows` recorded windows it prints `window <id>` and, with
 * holdMs, sleeps (so the parent can SIGKILL it while it holds the lock, or mid-backfill).
 */
import { loadMonitorConfig } from '../../src/monitor/config.js';
import { runMonitor } from '../../src/monitor/run.js';

const [config, now, stopAfter, holdMs] = process.argv.slice(2);
let n = 0;
try {
  const r = await runMonitor(loadMonitorConfig(config!), {
    now: now!,
    actor: `child-${process.pid}`,
    lockTimeoutMs: 0,
    onWindow: async (o) => {
      n++;
      process.stdout.write(`window ${o.window.id}\n`);
      if (stopAfter !== undefined && n >= Number(stopAfter) && holdMs) await new Promise((r) => setTimeout(r, Number(holdMs)));
    },
  });
  process.stdout.write(`done ${r.windows.length}\n`);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit((e as { code?: string }).code === 'monitorLocked' ? 2 : 1);
}
