/** Drift: reference profiles, statistics, reports. */
export * from './ids.js';
export * from './profile.js';
export * from './sketch.js';
export * from './stats/index.js';
export * from './report.js';
export * from './format.js';
