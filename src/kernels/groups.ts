/**
 * Group encoding: turn one or more sensitive columns into dense `Uint32Array` group codes.
 *
 * Codes are assigned to the groups in a canonical sorted order (numbers ascending, then booleans,
 * then strings, then the missing group last), so that two encodings of the same values agree and
 * summaries from different chunks line up. Rows whose group is dropped (`missing: 'drop'`) get the
 * code `keys.length` and every accumulator ignores that slot; their number is reported, never hidden.
 *
 * Cost: one pass over the column. Integer typed arrays with a small value range use a lookup table
 * (no hashing); everything else goes through one `Map`. Nothing per row is allocated besides the
 * returned codes.
 *
 * Dropped rows carry the code `keys.length` (one past the last group), so accumulators size their
 * tables for `keys.length + 1` groups and ignore the last one: the hot loops need no branch.
 *
 * @example
 * ```ts
 * const g = encodeGroups(['b', 'a', null, 'b'], { column: 'sex' });
 * g.keys;   // [['a'], ['b'], [null]]   (null is shown as "(missing)")
 * g.codes;  // Uint32Array [1, 0, 2, 1]
 * ```
 */
import { InputError, messages } from '../errors.js';

/** A group's value in one sensitive column; `null` is the missing group. */
export type GroupValue = string | number | boolean | null;
/** A group: one value per sensitive column (one entry unless intersected). */
export type GroupKey = GroupValue[];
/** How missing sensitive values are handled. */
export type MissingPolicy = 'group' | 'drop' | 'error';

/** Internal marker of a dropped row while encoding; finished codes use `keys.length` instead. */
const DROPPED = 0xffffffff;
/**
 * How the missing group is displayed.
 *
 * @example
 * ```ts
 * MISSING_LABEL;                         // '(missing)'
 * groupKeyLabel(['female', null]);       // 'female & (missing)'
 * ```
 */
export const MISSING_LABEL = '(missing)';
/**
 * Default limit on distinct values of one sensitive column.
 *
 * @example
 * ```ts
 * DEFAULT_MAX_GROUPS; // 1000 (encodeGroups throws InputError 'tooManyGroups' beyond it)
 * ```
 */
export const DEFAULT_MAX_GROUPS = 1000;

/** The result of encoding: codes per row plus the group keys they index. */
export interface Grouping {
  /** Sensitive column names, one per entry of each key. */
  readonly columns: string[];
  /** `keys[code]` is the group's value per column, in canonical order. */
  readonly keys: GroupKey[];
  /** One code per row in `0 .. keys.length - 1`; `keys.length` marks a dropped row. */
  readonly codes: Uint32Array;
  /** Number of rows dropped because a sensitive value was missing and `missing` was 'drop'. */
  readonly dropped: number;
}

export interface EncodeOptions {
  /** Column name, used in errors and in the grouping. */
  column: string;
  missing?: MissingPolicy;
  /** Maximum number of distinct non-missing values (default 1000). */
  maxGroups?: number;
  /** Calling function, for error messages. */
  fn?: string;
}

/**
 * Normalise a raw cell to a group value; `undefined` means missing.
 *
 * @example
 * ```ts
 * toGroupValue('f');   // 'f'
 * toGroupValue(7n);    // 7
 * toGroupValue('');    // undefined (missing)
 * toGroupValue(NaN);   // undefined (missing)
 * ```
 */
export function toGroupValue(v: unknown): GroupValue | undefined {
  if (v === null || v === undefined) return undefined;
  switch (typeof v) {
    case 'string':
      return v === '' ? undefined : v;
    case 'number':
      return Number.isNaN(v) ? undefined : v;
    case 'boolean':
      return v;
    case 'bigint':
      return Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
    default:
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
      return String(v);
  }
}

const typeRank = (v: GroupValue): number =>
  v === null ? 3 : typeof v === 'number' ? 0 : typeof v === 'boolean' ? 1 : 2;

/**
 * Canonical order of group values: numbers, booleans, strings, missing last.
 *
 * @example
 * ```ts
 * ['b', null, 2, true, 'a'].sort(compareGroupValues); // [2, true, 'a', 'b', null]
 * ```
 */
export function compareGroupValues(a: GroupValue, b: GroupValue): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (a === null || b === null) return 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Lexicographic order of group keys.
 *
 * @example
 * ```ts
 * compareGroupKeys(['f', 'x'], ['f', 'y']); // -1
 * compareGroupKeys(['m'], ['f', 'x']);      // 1
 * compareGroupKeys(['f'], ['f', 'x']);      // -1 (a prefix sorts first)
 * ```
 */
export function compareGroupKeys(a: readonly GroupValue[], b: readonly GroupValue[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareGroupValues(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * Stable string identity of a group key (used to align groups across summaries).
 *
 * @example
 * ```ts
 * groupKeyId(['female', null, 3]); // '["female",null,3]'
 * ```
 */
export function groupKeyId(key: readonly GroupValue[]): string {
  return JSON.stringify(key);
}

/**
 * Human label of a group value (`null` -> "(missing)").
 *
 * @example
 * ```ts
 * groupValueLabel(null); // '(missing)'
 * groupValueLabel(3);    // '3'
 * ```
 */
export function groupValueLabel(v: GroupValue): string {
  return v === null ? MISSING_LABEL : String(v);
}

/**
 * Human label of a whole key, e.g. "female & black".
 *
 * @example
 * ```ts
 * groupKeyLabel(['female', 'black']); // 'female & black'
 * groupKeyLabel(['female', null]);    // 'female & (missing)'
 * ```
 */
export function groupKeyLabel(key: readonly GroupValue[]): string {
  return key.map(groupValueLabel).join(' & ');
}

const INT_TYPED = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array];
const isIntTyped = (v: unknown): v is ArrayLike<number> => INT_TYPED.some((T) => v instanceof T);

/**
 * Encode one sensitive column into group codes.
 *
 * @example
 * ```ts
 * encodeGroups(new Uint8Array([3, 1, 3]), { column: 'region' }).keys; // [[1], [3]]
 * ```
 */
export function encodeGroups(values: ArrayLike<unknown>, options: EncodeOptions): Grouping {
  const { column } = options;
  const missing = options.missing ?? 'group';
  const maxGroups = options.maxGroups ?? DEFAULT_MAX_GROUPS;
  const fn = options.fn ?? 'encodeGroups';
  if (missing !== 'group' && missing !== 'drop' && missing !== 'error') {
    throw new InputError(messages.badOption(fn, 'missing', missing, "'group', 'drop' or 'error'"), 'badOption', {
      option: 'missing',
      value: missing,
    });
  }
  if (!Number.isInteger(maxGroups) || maxGroups < 1) {
    throw new InputError(messages.badOption(fn, 'maxGroups', maxGroups, 'a positive integer'), 'badOption', {
      option: 'maxGroups',
      value: maxGroups,
    });
  }
  const n = values.length;
  const codes = new Uint32Array(n);
  const firstSeen: GroupValue[] = [];
  let missingCode = -1;
  let dropped = 0;

  if (isIntTyped(values) && n > 0) {
    const direct = encodeIntTyped(values, column, maxGroups, fn);
    if (direct) return direct;
  }

  const index = new Map<unknown, number>();
  for (let i = 0; i < n; i++) {
    const raw = values[i];
    let c = index.get(raw);
    if (c === undefined) {
      const v = toGroupValue(raw);
      if (v === undefined) {
        if (missing === 'error') {
          throw new InputError(messages.missingSensitive(fn, column, i), 'missingSensitive', { column, row: i });
        }
        if (missing === 'drop') {
          c = DROPPED;
        } else {
          if (missingCode < 0) {
            missingCode = firstSeen.length;
            firstSeen.push(null);
          }
          c = missingCode;
        }
      } else {
        // Values that normalise to the same group (e.g. 1n and 1) share a code.
        const existing = firstSeen.findIndex((s) => s === v);
        if (existing >= 0 && raw !== v && typeof raw !== 'string') c = existing;
        else {
          c = firstSeen.length;
          if (c - (missingCode >= 0 ? 1 : 0) >= maxGroups) throw tooMany(fn, column, maxGroups, i);
          firstSeen.push(v);
        }
      }
      index.set(raw, c);
    }
    if (c === DROPPED) dropped++;
    codes[i] = c;
  }
  return finish(codes, firstSeen, missingCode, dropped, column);
}

/**
 * Lookup-table encoding of an integer typed array (no hashing, no missing values possible):
 * one pass for the range, one to mark the values present, one to write codes already in
 * ascending (canonical) order. Returns undefined when the range is too wide for a table.
 */
function encodeIntTyped(values: ArrayLike<number>, column: string, maxGroups: number, fn: string): Grouping | undefined {
  const n = values.length;
  // Small integer types have a known range: no pass needed to find it.
  let min: number;
  let max: number;
  if (values instanceof Uint8Array || values instanceof Uint8ClampedArray) [min, max] = [0, 255];
  else if (values instanceof Int8Array) [min, max] = [-128, 127];
  else if (values instanceof Uint16Array) [min, max] = [0, 65535];
  else if (values instanceof Int16Array) [min, max] = [-32768, 32767];
  else {
    min = values[0]!;
    max = min;
    for (let i = 1; i < n; i++) {
      const v = values[i]!;
      if (v < min) min = v;
      else if (v > max) max = v;
    }
  }
  const span = max - min + 1;
  if (span > 1 << 20) return undefined;
  const rank = new Int32Array(span);
  for (let i = 0; i < n; i++) rank[values[i]! - min] = 1;
  let groups = 0;
  const keys: GroupKey[] = [];
  for (let off = 0; off < span; off++) {
    if (rank[off] === 0) {
      rank[off] = -1;
      continue;
    }
    if (groups >= maxGroups) throw tooMany(fn, column, maxGroups, firstRowBeyond(values, min, maxGroups));
    rank[off] = groups++;
    keys.push([off + min]);
  }
  const codes = new Uint32Array(n);
  for (let i = 0; i < n; i++) codes[i] = rank[values[i]! - min]!;
  return { columns: [column], keys, codes, dropped: 0 };
}

/** The row at which the (maxGroups + 1)-th distinct value first appears, in row order. */
function firstRowBeyond(values: ArrayLike<number>, min: number, maxGroups: number): number {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]! - min;
    if (!seen.has(v)) {
      seen.add(v);
      if (seen.size > maxGroups) return i;
    }
  }
  return values.length - 1;
}

function tooMany(fn: string, column: string, limit: number, row: number): InputError {
  return new InputError(messages.tooManyGroups(fn, column, limit, row), 'tooManyGroups', { column, limit, row });
}

/** Reorder codes so that groups are in canonical sorted order. */
function finish(codes: Uint32Array, firstSeen: GroupValue[], _missingCode: number, dropped: number, column: string): Grouping {
  const order = firstSeen.map((_, i) => i).sort((a, b) => compareGroupValues(firstSeen[a]!, firstSeen[b]!));
  const remap = new Uint32Array(firstSeen.length);
  let identity = true;
  for (let rank = 0; rank < order.length; rank++) {
    remap[order[rank]!] = rank;
    if (order[rank] !== rank) identity = false;
  }
  if (!identity || dropped > 0) {
    const dropCode = firstSeen.length;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]!;
      codes[i] = c === DROPPED ? dropCode : remap[c]!;
    }
  }
  return { columns: [column], keys: order.map((i) => [firstSeen[i]!]), codes, dropped };
}

/**
 * Intersect several groupings row by row: the groups are the combinations that occur (empty
 * combinations are absent, not zero-size groups), in lexicographic order of their keys.
 *
 * @example
 * ```ts
 * const a = encodeGroups(['f', 'm', 'f'], { column: 'sex' });
 * const b = encodeGroups(['x', 'x', 'y'], { column: 'race' });
 * intersectGroupings([a, b]).keys; // [['f','x'], ['f','y'], ['m','x']]
 * ```
 */
export function intersectGroupings(groupings: readonly Grouping[]): Grouping {
  if (groupings.length === 0) throw new InputError(messages.emptyInput('intersectGroupings', 'groupings'), 'emptyInput');
  if (groupings.length === 1) return groupings[0]!;
  const n = groupings[0]!.codes.length;
  const sizes = groupings.map((g) => g.keys.length);
  const product = sizes.reduce((a, b) => a * b, 1);
  const combined = new Uint32Array(n);
  const seen: number[] = [];
  let dropped = 0;
  const dense = product <= 1 << 22 ? new Int32Array(product).fill(-1) : null;
  const sparse = dense ? null : new Map<number, number>();
  for (let i = 0; i < n; i++) {
    let key = 0;
    let isDropped = false;
    for (let j = 0; j < groupings.length; j++) {
      const c = groupings[j]!.codes[i]!;
      if (c === sizes[j]) {
        isDropped = true;
        break;
      }
      key = key * sizes[j]! + c;
    }
    if (isDropped) {
      combined[i] = DROPPED;
      dropped++;
      continue;
    }
    let c = dense ? dense[key]! : (sparse!.get(key) ?? -1);
    if (c < 0) {
      c = seen.length;
      seen.push(key);
      if (dense) dense[key] = c;
      else sparse!.set(key, c);
    }
    combined[i] = c;
  }
  const keys: GroupKey[] = seen.map((k) => {
    const parts: GroupValue[] = new Array(groupings.length);
    for (let j = groupings.length - 1; j >= 0; j--) {
      parts[j] = groupings[j]!.keys[k % sizes[j]!]![0]!;
      k = Math.floor(k / sizes[j]!);
    }
    return parts;
  });
  // Products of sorted component codes are already lexicographically ordered by code; sort by
  // the packed key to get canonical order.
  const order = seen.map((_, i) => i).sort((a, b) => seen[a]! - seen[b]!);
  const remap = new Uint32Array(seen.length);
  for (let r = 0; r < order.length; r++) remap[order[r]!] = r;
  const dropCode = seen.length;
  for (let i = 0; i < n; i++) {
    const c = combined[i]!;
    combined[i] = c === DROPPED ? dropCode : remap[c]!;
  }
  return {
    columns: groupings.flatMap((g) => g.columns),
    keys: order.map((i) => keys[i]!),
    codes: combined,
    dropped,
  };
}
