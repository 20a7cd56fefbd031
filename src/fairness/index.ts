/** The fairness layer: group metrics, disparities, audits and their display. */
export * from './rates.js';
export * from './disparity.js';
export * from './inputs.js';
export * from './group-metrics.js';
export * from './named.js';
export * from './result.js';
export * from './audit.js';
export * from './format.js';
export * from './chart.js';
export * from './display.js';
