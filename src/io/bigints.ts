/**
 * 64-bit integers to JavaScript numbers, when that loses nothing.
 *
 * Arrow Int64 columns and DuckDB BIGINT columns (what DuckDB infers for any integer CSV column)
 * arrive as `bigint`. The rest of fairwatch works on numbers, so they are converted: every value
 * fits in 32 bits -> `Int32Array` (group encoding then uses its lookup-table path); every value is
 * a safe integer (|v| <= 2^53 - 1) -> `Float64Array`; otherwise a plain array in which the unsafe
 * values stay `bigint` (they are identifiers, not quantities, and must not be rounded).
 *
 * @example
 * ```ts
 * bigintsToNumbers(new BigInt64Array([0n, 1n]));          // Int32Array [0, 1]
 * bigintsToNumbers(new BigInt64Array([2n ** 40n]));       // Float64Array [1099511627776]
 * bigintsToNumbers([1n, 2n ** 60n]);                      // [1, 1152921504606846976n]
 * ```
 */

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/**
 * One bigint to a number when it is a safe integer, else the bigint itself.
 *
 * @example
 * ```ts
 * bigintToNumber(3n);        // 3
 * bigintToNumber(2n ** 60n); // 1152921504606846976n
 * ```
 */
export function bigintToNumber(v: bigint): number | bigint {
  return v <= MAX_SAFE && v >= MIN_SAFE ? Number(v) : v;
}

/**
 * A column of bigints (no nulls) to the narrowest lossless number array; see the module doc.
 *
 * @example
 * ```ts
 * bigintsToNumbers(new BigUint64Array([7n])); // Int32Array [7]
 * ```
 */
export function bigintsToNumbers(values: ArrayLike<bigint>): Int32Array | Float64Array | (number | bigint)[] {
  const n = values.length;
  const out = new Float64Array(n);
  let int32 = true;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v > MAX_SAFE || v < MIN_SAFE) {
      const mixed: (number | bigint)[] = new Array(n);
      for (let j = 0; j < n; j++) mixed[j] = bigintToNumber(values[j]!);
      return mixed;
    }
    const x = Number(v);
    out[i] = x;
    if (x > 2147483647 || x < -2147483648) int32 = false;
  }
  return int32 ? Int32Array.from(out) : out;
}
