/**
 * Content digests for governance evidence: `sha256Hex` of bytes or text, `canonicalJSON` (keys
 * sorted, no whitespace) and `digestJSON` = sha256 of the canonical JSON. Two documents that differ
 * only in key order or formatting have the same digest; policy hashes, result digests, audit-log
 * inputs/outputs and risk ids are all computed here, so they agree across modules.
 *
 * Canonical form (a fixed subset of RFC 8785, JSON Canonicalization Scheme): object keys sorted by
 * UTF-16 code units (JavaScript's default sort), no whitespace, strings and numbers serialised as
 * `JSON.stringify` does (so numbers use ECMAScript's shortest round-trip form, as JCS requires).
 * Values follow `JSON.stringify` rules: `toJSON()` is honoured (Dates become ISO strings),
 * `undefined`, functions and symbols are dropped from objects and become `null` in arrays,
 * NaN and ±Infinity become `null`. A bigint throws an `InputError` (JSON has no bigint).
 *
 * @example
 * ```ts
 * import { canonicalJSON, digestJSON, sha256Hex } from './digest.js';
 * canonicalJSON({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 * sha256Hex('');                            // 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
 * digestJSON({ b: 1, a: 2 }) === digestJSON({ a: 2, b: 1 }); // true
 * ```
 */
import { createHash } from 'node:crypto';
import { InputError, messages } from '../errors.js';

/**
 * 64 zeros: the `prev` of the first audit-log line, and the digest of "nothing".
 *
 * @example
 * ```ts
 * ZERO_DIGEST.length; // 64
 * ```
 */
export const ZERO_DIGEST = '0'.repeat(64);

/**
 * sha256 of a string (UTF-8) or bytes, as 64 lowercase hex characters.
 *
 * @example
 * ```ts
 * sha256Hex('abc'); // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * sha256Hex(new Uint8Array([0x61, 0x62, 0x63])) === sha256Hex('abc'); // true
 * ```
 */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Canonical JSON text of a value: object keys sorted, no whitespace, `JSON.stringify` value rules
 * (see the module comment). Throws `InputError` for a bigint or a circular structure.
 *
 * @example
 * ```ts
 * canonicalJSON({ z: 'x', a: { d: 1, c: [2, undefined] }, u: undefined });
 * // '{"a":{"c":[2,null],"d":1},"z":"x"}'
 * canonicalJSON(new Date(0)); // '"1970-01-01T00:00:00.000Z"'
 * canonicalJSON(NaN);         // 'null'
 * ```
 */
export function canonicalJSON(value: unknown): string {
  const out = write(value, new Set());
  return out === undefined ? 'null' : out;
}

/**
 * sha256 (hex) of `canonicalJSON(value)`: the digest used for results, policies and evidence.
 *
 * @example
 * ```ts
 * digestJSON({ a: 1 }) === sha256Hex('{"a":1}'); // true
 * digestJSON({ b: 2, a: 1 }) === digestJSON({ a: 1, b: 2 }); // true
 * ```
 */
export function digestJSON(value: unknown): string {
  return sha256Hex(canonicalJSON(value));
}

/** Serialise one value; `undefined` means "omit" (as JSON.stringify does for object members). */
function write(value: unknown, seen: Set<object>): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new InputError(messages.badArgument('canonicalJSON', 'value', value, 'JSON data (convert bigints to numbers or strings first)'), 'badArgument');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (seen.has(obj)) {
    throw new InputError(messages.badArgument('canonicalJSON', 'value', '[circular]', 'JSON data without cycles'), 'badArgument');
  }
  seen.add(obj);
  let out: string;
  if (Array.isArray(obj) || ArrayBuffer.isView(obj)) {
    const items = Array.isArray(obj) ? obj : Array.from(obj as unknown as ArrayLike<unknown>);
    const parts: string[] = [];
    for (let i = 0; i < items.length; i++) parts.push(write(items[i], seen) ?? 'null');
    out = '[' + parts.join(',') + ']';
  } else {
    const rec = obj as Record<string, unknown>;
    const keys = Object.keys(rec).sort();
    const parts: string[] = [];
    for (const k of keys) {
      const v = write(rec[k], seen);
      if (v !== undefined) parts.push(JSON.stringify(k) + ':' + v);
    }
    out = '{' + parts.join(',') + '}';
  }
  seen.delete(obj);
  return out;
}
