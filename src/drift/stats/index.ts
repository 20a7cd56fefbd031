/**
 * Pure drift statistics (no I/O): two-sample KS, Wasserstein-1, chi-square and z tests, distances
 * between binned distributions, and the reference-quantile bins they use. Each module's doc
 * comment states its formula, the scipy / Evidently function it reproduces and where it differs.
 *
 * @example
 * ```ts
 * import { ksTwoSample, sortedCopy, quantileEdges, binCounts, psi } from './stats/index.js';
 * const ref = sortedCopy(reference), cur = sortedCopy(current);
 * ksTwoSample(ref, cur);                                   // { statistic, pValue, method }
 * const edges = quantileEdges(ref);                        // 10 reference-quantile bins
 * psi(binCounts(ref, edges), binCounts(cur, edges));       // PSI with ε = 1e-4
 * ```
 */
export { binCounts, quantileEdges } from './binning.js';
export { chiSquareHomogeneity, chiSquareSf, zTestTwoProportions } from './chisquare.js';
export type { ChiSquareOptions, ChiSquareResult, ZTestResult } from './chisquare.js';
export { hellinger, jensenShannon, kl, psi, tvd } from './distances.js';
export type { KlOptions } from './distances.js';
export { KS_MAX_AUTO_N, ksAsymptoticPValue, ksTwoSample, sortedCopy } from './ks.js';
export { binnedComparison } from './binned.js';
export type { BinnedComparison, BinnedSide, Bounded } from './binned.js';
export type { KsOptions, KsResult } from './ks.js';
export { kstwoSf, smirnovSf } from './kstwo.js';
export { populationStd, wasserstein1, wassersteinNormed } from './wasserstein.js';
