/** Seeded data for the drift tests. */
import { Random } from '../../src/intervals/random.js';

/** n normal draws (Box–Muller on the seeded generator). */
export function normals(rng: Random, n: number, mean = 0, sd = 1): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const u = 1 - rng.uniform();
    const v = rng.uniform();
    out.push(mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }
  return out;
}
