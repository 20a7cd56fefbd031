/**
 * Ed25519 signatures of an evidence pack's manifest, with `node:crypto` only (RFC 8032; Node's
 * `sign(null, data, key)` is pure Ed25519 over the bytes). Keys are PEM: the private key PKCS#8,
 * the public key SPKI. A key is named by its fingerprint, the sha256 of its SPKI DER bytes
 * (what `openssl pkey -pubin -outform DER | sha256sum` prints).
 *
 * `manifest.sig` holds the 64-byte signature in base64 and a newline.
 *
 * @example
 * ```ts
 * const { privateKeyPem, publicKeyPem } = generateSigningKeys();
 * const sig = signManifest(bytes, privateKeyPem);
 * verifyManifestSignature(bytes, sig, publicKeyPem); // true
 * ```
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError, messages } from '../errors.js';
import { sha256Hex } from '../governance/digest.js';

/**
 * A new Ed25519 key pair as PEM text (private PKCS#8, public SPKI) and the public key's
 * fingerprint.
 *
 * @example
 * ```ts
 * const k = generateSigningKeys();
 * k.privateKeyPem.startsWith('-----BEGIN PRIVATE KEY-----'); // true
 * k.fingerprint.length;                                       // 64
 * ```
 */
export function generateSigningKeys(): { privateKeyPem: string; publicKeyPem: string; fingerprint: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privateKeyPem, publicKeyPem, fingerprint: publicKeyFingerprint(publicKey) };
}

/**
 * sha256 (hex) of a public key's SPKI DER encoding; accepts a key object or PEM of a public or
 * private key (the public half is used).
 *
 * @example
 * ```ts
 * publicKeyFingerprint(publicKeyPem) === publicKeyFingerprint(privateKeyPem); // true
 * ```
 */
export function publicKeyFingerprint(key: KeyObject | string): string {
  const obj = typeof key === 'string' ? (key.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(key)) : createPublicKey(key)) : key.type === 'private' ? createPublicKey(key) : key;
  return sha256Hex(obj.export({ type: 'spki', format: 'der' }));
}

/**
 * Parse a PEM private key and check it is Ed25519; `InputError` 'badSigningKey' naming `source`
 * otherwise.
 *
 * @example
 * ```ts
 * privateSigningKey(readFileSync('ci.pem', 'utf8'), 'ci.pem').asymmetricKeyType; // 'ed25519'
 * ```
 */
export function privateSigningKey(pem: string, source = '(key)'): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (e) {
    throw new InputError(messages.badSigningKey('privateSigningKey', source, `private key unreadable: ${(e as Error).message}`), 'badSigningKey', { source });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new InputError(messages.badSigningKey('privateSigningKey', source, `private key of type ${key.asymmetricKeyType}`), 'badSigningKey', { source });
  return key;
}

/**
 * Parse a PEM public key (SPKI) and check it is Ed25519; `InputError` 'badSigningKey' otherwise.
 *
 * @example
 * ```ts
 * publicSigningKey(readFileSync('ci.pem.pub', 'utf8'), 'ci.pem.pub').asymmetricKeyType; // 'ed25519'
 * ```
 */
export function publicSigningKey(pem: string, source = '(key)'): KeyObject {
  let key: KeyObject;
  try {
    if (pem.includes('PRIVATE KEY')) throw new Error('this is a private key; give the .pub file');
    key = createPublicKey(pem);
  } catch (e) {
    throw new InputError(messages.badSigningKey('publicSigningKey', source, `public key unreadable: ${(e as Error).message}`), 'badSigningKey', { source });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new InputError(messages.badSigningKey('publicSigningKey', source, `public key of type ${key.asymmetricKeyType}`), 'badSigningKey', { source });
  return key;
}

/**
 * The text of `manifest.sig`: base64 of the Ed25519 signature of the exact manifest bytes, and a
 * newline.
 *
 * @example
 * ```ts
 * const sig = signManifest(manifestBytes, privateKeyPem);
 * Buffer.from(sig.trim(), 'base64').length; // 64
 * ```
 */
export function signManifest(manifestBytes: Uint8Array, privateKey: KeyObject | string): string {
  const key = typeof privateKey === 'string' ? privateSigningKey(privateKey) : privateKey;
  return sign(null, manifestBytes, key).toString('base64') + '\n';
}

/**
 * Does `signatureText` (the content of `manifest.sig`) verify the manifest bytes with the public
 * key? Throws `InputError` 'badSignature' when the text is not base64 of 64 bytes.
 *
 * @example
 * ```ts
 * verifyManifestSignature(manifestBytes, signManifest(manifestBytes, privateKeyPem), publicKeyPem); // true
 * verifyManifestSignature(otherBytes, signManifest(manifestBytes, privateKeyPem), publicKeyPem);    // false
 * ```
 */
export function verifyManifestSignature(manifestBytes: Uint8Array, signatureText: string, publicKey: KeyObject | string): boolean {
  const key = typeof publicKey === 'string' ? publicSigningKey(publicKey) : publicKey;
  const text = signatureText.trim();
  if (!/^[A-Za-z0-9+/]{86}==$/.test(text)) {
    throw new InputError(messages.packSignatureMalformed('expected the base64 text of a 64-byte Ed25519 signature'), 'badSignature');
  }
  return verify(null, manifestBytes, key, Buffer.from(text, 'base64'));
}

/**
 * Write a new key pair: the private key to `name` (PKCS#8 PEM, mode 0600) and the public key to
 * `name.pub` (SPKI PEM, mode 0644), creating the folder if needed. Refuses (`InputError` 'keyFileExists') when either file
 * exists; files are created exclusively (`wx`), so a concurrent writer cannot be overwritten
 * either. Returns the paths and the fingerprint.
 *
 * @example
 * ```ts
 * await writeSigningKeys('keys/ci-evidence'); // { privateKey: 'keys/ci-evidence', publicKey: 'keys/ci-evidence.pub', fingerprint: '3f1c…' }
 * ```
 */
export async function writeSigningKeys(name: string): Promise<{ privateKey: string; publicKey: string; fingerprint: string }> {
  const fn = 'keygen';
  const pub = `${name}.pub`;
  const keys = generateSigningKeys();
  await mkdir(dirname(name), { recursive: true });
  const created: string[] = [];
  try {
    for (const [path, text, mode] of [
      [name, keys.privateKeyPem, 0o600],
      [pub, keys.publicKeyPem, 0o644],
    ] as const) {
      let fh;
      try {
        fh = await open(path, 'wx', mode);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new InputError(messages.keyFileExists(fn, path), 'keyFileExists', { path });
        throw e;
      }
      created.push(path);
      try {
        await fh.chmod(mode); // the umask may have narrowed or (never) widened it
        await fh.writeFile(text);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
  } catch (e) {
    for (const p of created) await rm(p, { force: true });
    throw e;
  }
  return { privateKey: name, publicKey: pub, fingerprint: keys.fingerprint };
}
