/**
 * Intervals: seeded random draws, the normal distribution, Wilson score intervals for rates and
 * the bootstrap on confusion counts for differences and ratios (DESIGN.md, Definitions: Intervals).
 *
 * @example
 * ```ts
 * import { wilsonInterval, bootstrapMany, normalQuantile } from './intervals/index.js';
 * wilsonInterval(8, 10);  // { low: 0.4901625..., high: 0.9433178... }
 * normalQuantile(0.975);  // 1.9599639845400536
 * ```
 */
export { Random, createRandom, binomial, multinomial } from './random.js';
export { normalQuantile, normalCdf, normalSf } from './normal.js';
export { wilsonInterval, wilsonFromProportion, checkConfidence, type WilsonOptions, type Interval } from './wilson.js';
export {
  bootstrapCells,
  bootstrapMany,
  quantileSorted,
  type BootstrapOptions,
  type BootstrapInterval,
  type CellStatistic,
} from './bootstrap.js';
