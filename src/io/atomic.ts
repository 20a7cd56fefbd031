/**
 * Atomic file writes: write to a temporary file in the same folder, fsync it, then rename over the
 * target, so that a crash never leaves half a file (DESIGN.md, Conventions).
 *
 * @example
 * ```ts
 * await writeFileAtomic('demo-output/audit.json', JSON.stringify(doc));
 * ```
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Write `data` to `path` atomically, creating the folder if needed.
 *
 * @example
 * ```ts
 * const dir = join(mkdtempSync(join(tmpdir(), 'fw-')), 'out'); // 'out' does not exist yet
 * await writeFileAtomic(join(dir, 'audit.json'), '{"ok":true}');
 * readFileSync(join(dir, 'audit.json'), 'utf8'); // '{"ok":true}'
 * readdirSync(dir);                              // ['audit.json'] (no temporary file left behind)
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * fsync a folder, so that a rename or a new file in it survives a crash; a no-op where the
 * platform cannot fsync a folder (the files themselves were fsync'd).
 *
 * @example
 * ```ts
 * await fsyncDir('.fairwatch');
 * ```
 */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // some platforms cannot fsync a folder; the files were fsync'd
  }
}
