/**
 * Monitoring jobs (issue 7): the job file, windows, runs with a history store, alerts and sinks.
 *
 * @example
 * ```ts
 * import { loadMonitorConfig, runMonitor } from 'fairwatch';
 * await runMonitor(loadMonitorConfig('monitor.yaml'), { actor: 'cron' });
 * ```
 */
export * from './types.js';
export * from './config.js';
export * from './windows.js';
export * from './run.js';
export * from './alerts.js';
export * from './sinks.js';
