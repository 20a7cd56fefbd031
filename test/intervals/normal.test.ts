import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, normalSf } from '../../src/intervals/normal.js';

// Reference values computed with mpmath at 50 significant digits (ncdf, and findroot of
// log ncdf(x) = log p for the exact double p, checked to |ncdf(x)/p - 1| < 1e-30), rounded to 18 digits.
const QUANTILES: [number, number][] = [
  [1e-300, -37.0470962993611992],
  [1e-200, -30.2055941795796431],
  [1e-150, -26.1229611905939835],
  [1e-100, -21.2734535609653243],
  [1e-50, -14.933337534788489],
  [2 ** -40, -7.04770025666440873],
  [1e-20, -9.26234008979840758],
  [1e-12, -7.03448382530113193],
  [1e-10, -6.3613409024040562],
  [1e-5, -4.26489079392282461],
  [0.001, -3.09023230616781354],
  [0.01, -2.32634787404084109],
  [0.025, -1.95996398454005421],
  [0.05, -1.64485362695147269],
  [0.07, -1.47579102817917069],
  [0.08, -1.40507156030963254],
  [0.1, -1.28155156554460044],
  [0.3, -0.524400512708040816],
  [0.6, 0.253347103135799741],
  [0.9, 1.28155156554460059],
  [0.975, 1.95996398454005386],
  [0.999, 3.09023230616781328],
  [1 - 1e-10, 6.36134088969742186],
];

// [x, Φ(x), Φ(−x)]
const CDF: [number, number, number][] = [
  [-37, 5.72557122252457682e-300, 1],
  [-30, 4.90671392714818706e-198, 1],
  [-20, 2.7536241186062337e-89, 1],
  [-10, 7.61985302416052607e-24, 1],
  [-8, 6.22096057427178412e-16, 0.999999999999999378],
  [-5.7, 5.99037140106352819e-9, 0.999999994009628599],
  [-5.6, 1.07175902583109293e-8, 0.999999989282409742],
  [-5, 2.86651571879193912e-7, 0.999999713348428121],
  [-3, 0.00134989803163009453, 0.998650101968369905],
  [-1.96, 0.0249978951482204362, 0.975002104851779564],
  [-1, 0.158655253931457051, 0.841344746068542949],
  [-0.67, 0.251428895095310102, 0.748571104904689898],
  [-0.5, 0.308537538725986896, 0.691462461274013104],
  [-1e-10, 0.499999999960105772, 0.500000000039894228],
  [0, 0.5, 0.5],
  [0.1, 0.539827837277028984, 0.460172162722971016],
  [0.68, 0.751747769546429487, 0.248252230453570513],
  [2, 0.977249868051820793, 0.0227501319481792072],
];

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('normalQuantile', () => {
  it('normalQuantile(0.975) is 1.959963984540054', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 15);
  });

  it('normalQuantile(p) matches 50-digit references to 1e-14 relative in the centre and both tails', () => {
    for (const [p, x] of QUANTILES) expect(relErr(normalQuantile(p), x), `p = ${p}`).toBeLessThan(1e-14);
  });

  it('normalQuantile(0.5) is 0 and the function is odd about 0.5', () => {
    expect(normalQuantile(0.5)).toBe(0);
    // 1 - p is exact for these p, so the symmetry Φ⁻¹(1 − p) = −Φ⁻¹(p) must hold to rounding.
    for (const p of [2 ** -40, 2 ** -10, 0.25, 0.375]) expect(relErr(normalQuantile(1 - p), -normalQuantile(p))).toBeLessThan(1e-15);
  });

  it('normalQuantile returns -Infinity at 0, Infinity at 1 and NaN outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(-0.1)).toBeNaN();
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalQuantile(NaN)).toBeNaN();
  });
});

describe('normalCdf / normalSf', () => {
  it('normalCdf(1) and normalCdf(-5) match the known values', () => {
    expect(relErr(normalCdf(1), 0.8413447460685429)).toBeLessThan(1e-15);
    expect(relErr(normalCdf(-5), 2.866515718791939e-7)).toBeLessThan(1e-15);
  });

  it('normalCdf(x) and normalSf(x) match 50-digit references to 1e-14 relative, far tails included', () => {
    for (const [x, lower, upper] of CDF) {
      expect(relErr(normalCdf(x), lower), `cdf x = ${x}`).toBeLessThan(1e-14);
      expect(relErr(normalSf(x), upper), `sf x = ${x}`).toBeLessThan(1e-14);
      expect(relErr(normalSf(-x), lower), `sf x = ${-x}`).toBeLessThan(1e-14);
    }
  });

  it('normalCdf(normalQuantile(p)) round-trips to 1e-14 relative', () => {
    for (let i = 1; i < 200; i++) {
      const p = i / 200;
      expect(relErr(normalCdf(normalQuantile(p)), p)).toBeLessThan(1e-14);
    }
    for (const p of [1e-300, 1e-50, 1e-8]) expect(relErr(normalCdf(normalQuantile(p)), p)).toBeLessThan(1e-13);
  });

  it('normalCdf saturates to 0 and 1 beyond the double range and propagates NaN', () => {
    expect(normalCdf(-40)).toBe(0);
    expect(normalCdf(40)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(NaN)).toBeNaN();
    expect(normalSf(NaN)).toBeNaN();
  });
});
