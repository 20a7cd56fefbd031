/**
 * `fairwatch keygen --out <name>`: a new Ed25519 key pair for signing evidence packs — the
 * private key `<name>` (PKCS#8 PEM, mode 0600) and the public key `<name>.pub` (SPKI PEM). Never
 * overwrites a file (exit 2 when either exists).
 *
 * @example
 * ```sh
 * fairwatch keygen --out keys/ci-evidence
 * ```
 */
import { writeSigningKeys } from '../evidence/signing.js';
import { EXIT, type CliIO } from './main.js';

/**
 * Write the key pair and print where, and the public key's fingerprint.
 *
 * @example
 * ```ts
 * await runKeygen({ out: 'keys/ci' }, io); // 0; stdout 'wrote private key keys/ci (mode 0600) and public key keys/ci.pub …'
 * ```
 */
export async function runKeygen(args: { out: string }, io: CliIO): Promise<number> {
  const k = await writeSigningKeys(args.out);
  io.stdout(
    `wrote private key ${k.privateKey} (mode 0600; keep it secret) and public key ${k.publicKey} (give it to whoever verifies)\n` +
      `  public key sha256 ${k.fingerprint}\n`,
  );
  return EXIT.ok;
}
