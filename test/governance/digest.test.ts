import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJSON, digestJSON, sha256Hex, ZERO_DIGEST } from '../../src/governance/digest.js';
import { InputError, messages } from '../../src/errors.js';

describe('digest', () => {
  it('sha256Hex(text) matches the FIPS 180-2 test vector for "abc" and hashes bytes the same', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new Uint8Array([0x61, 0x62, 0x63]))).toBe(sha256Hex('abc'));
    expect(ZERO_DIGEST).toBe('0'.repeat(64));
  });

  it('canonicalJSON(value) sorts keys at every depth, drops undefined members and writes null for NaN', () => {
    expect(canonicalJSON({ z: 'x', a: { d: 1, c: [2, undefined] }, u: undefined })).toBe('{"a":{"c":[2,null],"d":1},"z":"x"}');
    expect(canonicalJSON([NaN, Infinity, -0, 1.5e-7])).toBe('[null,null,0,1.5e-7]');
    expect(canonicalJSON(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
    expect(canonicalJSON('é"\n')).toBe(JSON.stringify('é"\n'));
  });

  it('digestJSON(value) is independent of key order and equals sha256 of the canonical text', () => {
    expect(digestJSON({ b: 2, a: 1 })).toBe(digestJSON({ a: 1, b: 2 }));
    expect(digestJSON({ a: 1 })).toBe(createHash('sha256').update('{"a":1}').digest('hex'));
  });

  it('canonicalJSON(bigint or cycle) throws InputError from the catalogue', () => {
    expect(() => canonicalJSON({ n: 1n })).toThrow(new InputError(messages.badArgument('canonicalJSON', 'value', 1n, 'JSON data (convert bigints to numbers or strings first)'), 'badArgument'));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJSON(cyclic)).toThrow(InputError);
  });
});
