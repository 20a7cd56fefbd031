/**
 * The drift statistics fairwatch computes per column, by id. Each has a card in `metrics/<id>.yaml`
 * and an implementation in `src/drift/stats/`; the catalogue test checks both exist.
 *
 * @example
 * ```ts
 * DRIFT_STATISTICS.includes('psi'); // true
 * ```
 */
export const DRIFT_STATISTICS = [
  'psi',
  'jensenShannon',
  'ks',
  'wasserstein',
  'wassersteinNormed',
  'chiSquare',
  'zTest',
  'hellinger',
  'kl',
  'tvd',
  'missingShare',
  'unseenShare',
] as const;
export type DriftStatistic = (typeof DRIFT_STATISTICS)[number];
