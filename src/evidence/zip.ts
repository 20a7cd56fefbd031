/**
 * A small zip writer and a defensive zip reader for evidence packs, on `node:zlib` (raw deflate)
 * with no dependency: the reader is the code that touches untrusted bytes, so it is kept short
 * enough to read in one sitting.
 *
 * Format (PKWARE APPNOTE 6.3): local file headers, a central directory, the end-of-central-
 * directory record; names in UTF-8 (flag bit 11); Unix regular-file mode 0644 in the external
 * attributes; deflate (method 8) unless stored (method 0) is smaller. No ZIP64: a pack holds
 * fewer than 65,535 files and under 4 GiB (checked).
 *
 * The reader ({@link readZip}) never writes anything: entries are inflated into memory. It
 * trusts the central directory only after checking it, and refuses (reports, without reading)
 * every entry that could escape a folder or is not a plain file: `..` segments, absolute paths,
 * drive letters, backslashes, empty or `.` segments, NUL bytes, symlinks and other non-regular
 * Unix modes, duplicate names, encrypted entries, unknown compression methods, and a local
 * header whose name differs from the central directory's. Directory entries (`name/`, mode
 * directory or none) are skipped: they create nothing. Declared sizes are capped and inflation is
 * bounded by the declared size (`maxOutputLength`), so a zip bomb stops at the cap; CRC-32 and
 * size are checked after inflation.
 *
 * @example
 * ```ts
 * const zip = writeZip([{ path: 'a.txt', data: new TextEncoder().encode('hi') }]);
 * const { files, refused } = readZip(zip);
 * new TextDecoder().decode(files.get('a.txt')); // 'hi'
 * refused; // []
 * ```
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { InputError, messages } from '../errors.js';

/** A file to put in an archive (path with `/` separators, relative). */
export interface ZipInput {
  path: string;
  data: Uint8Array;
}

/** An entry the reader refused or could not read, with why. */
export interface ZipProblem {
  entry: string;
  kind: 'unsafe-entry' | 'corrupt-entry';
  message: string;
}

/** What {@link readZip} found: the readable regular files, and the refused or corrupt entries. */
export interface ZipContents {
  files: Map<string, Uint8Array>;
  refused: ZipProblem[];
}

/**
 * Limits of {@link readZip}: largest declared size of one entry and of all entries together.
 *
 * @example
 * ```ts
 * ZIP_LIMITS.entryBytes; // 1073741824 (1 GiB)
 * ```
 */
export const ZIP_LIMITS = { entryBytes: 1024 ** 3, totalBytes: 4 * 1024 ** 3, entries: 65_534 } as const;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32 (IEEE 802.3, as zip and gzip use) of bytes.
 *
 * @example
 * ```ts
 * crc32(new TextEncoder().encode('123456789')).toString(16); // 'cbf43926'
 * ```
 */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Why a relative path may not be used as a pack entry or pack file (null when it is safe): it
 * must be non-empty `/`-separated segments, none empty, `.` or `..`, without backslashes, NUL
 * or control characters, not absolute and without a drive letter.
 *
 * @example
 * ```ts
 * unsafePathReason('runs/a.json'); // null
 * unsafePathReason('../evil');     // 'it climbs out of the pack with ".."'
 * unsafePathReason('/etc/passwd'); // 'it is an absolute path'
 * unsafePathReason('C:/x');        // 'it starts with a drive letter'
 * ```
 */
export function unsafePathReason(path: string): string | null {
  if (path.length === 0) return 'it is empty';
  if (path.startsWith('/') || path.startsWith('\\')) return 'it is an absolute path';
  if (/^[A-Za-z]:/.test(path)) return 'it starts with a drive letter';
  if (path.includes('\\')) return 'it contains a backslash (a Windows path separator)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'it contains a control character';
  const segments = path.split('/');
  if (segments.includes('..')) return 'it climbs out of the pack with ".."';
  if (segments.some((s) => s === '' || s === '.')) return 'it has an empty or "." path segment';
  return null;
}

/** DOS date and time of a Date (local fields, as zip tools show them; 2-second resolution). */
function dosTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/**
 * A zip archive of `files` (in the order given), each deflated unless storing is smaller.
 * Throws `InputError` for an unsafe or duplicate path, or past the no-ZIP64 limits.
 *
 * @example
 * ```ts
 * const bytes = writeZip([{ path: 'manifest.json', data: encoded }], { mtime: new Date('2026-03-01T00:00:00Z') });
 * bytes.subarray(0, 4); // 50 4b 03 04 ('PK\x03\x04')
 * ```
 */
export function writeZip(files: readonly ZipInput[], options: { mtime?: Date } = {}): Uint8Array {
  const fn = 'writeZip';
  if (files.length > ZIP_LIMITS.entries) throw new InputError(messages.badArgument(fn, 'files', `${files.length} files`, `at most ${ZIP_LIMITS.entries} files (no ZIP64)`), 'badArgument');
  const { time, date } = dosTime(options.mtime ?? new Date());
  const seen = new Set<string>();
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const reason = unsafePathReason(f.path);
    if (reason) throw new InputError(messages.evidenceBadPath(fn, f.path, reason), 'evidenceBadPath');
    if (seen.has(f.path)) throw new InputError(messages.evidenceDuplicatePath(fn, f.path), 'evidenceDuplicatePath');
    seen.add(f.path);
    const name = Buffer.from(f.path, 'utf8');
    const data = Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength);
    const deflated = deflateRawSync(data, { level: 9 });
    const stored = deflated.length >= data.length;
    const body = stored ? data : deflated;
    const crc = crc32(data);
    if (data.length >= 0xffffffff || offset + 30 + name.length + body.length >= 0xffffffff) {
      throw new InputError(messages.badArgument(fn, 'files', f.path, 'a pack under 4 GiB (no ZIP64)'), 'badArgument');
    }
    // the fields the local header (from byte 4) and the central directory entry (from byte 6) share
    const common = (b: Buffer, at: number) => {
      b.writeUInt16LE(20, at); // version needed: 2.0
      b.writeUInt16LE(0x0800, at + 2); // UTF-8 names
      b.writeUInt16LE(stored ? 0 : 8, at + 4);
      b.writeUInt16LE(time, at + 6);
      b.writeUInt16LE(date, at + 8);
      b.writeUInt32LE(crc, at + 10);
      b.writeUInt32LE(body.length, at + 14);
      b.writeUInt32LE(data.length, at + 18);
      b.writeUInt16LE(name.length, at + 22);
      return b;
    };
    const local = common(Buffer.alloc(30), 4); // extra length 0
    local.writeUInt32LE(0x04034b50, 0);
    const cd = common(Buffer.alloc(46), 6);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    // extra 0, comment 0, disk 0, internal attributes 0
    cd.writeUInt32LE((0o100644 << 16) >>> 0, 38); // regular file, rw-r--r--
    cd.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(cd, name);
    offset += local.length + name.length + body.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, cdBytes, end]));
}

/**
 * Read a zip archive in memory (see the module comment for what is refused). Throws
 * `InputError` 'archiveInvalid' when the bytes are not a zip this reader supports (no end
 * record, multi-disk, ZIP64, a central directory out of bounds); refused and corrupt entries are
 * returned, not thrown, so that a caller can report each of them.
 *
 * @example
 * ```ts
 * const { files, refused } = readZip(readFileSync('pack.zip'), { source: 'pack.zip' });
 * refused.map((r) => r.message); // ['refused pack entry "../evil": it climbs out of the pack with ".."; it was not read or extracted']
 * ```
 */
export function readZip(bytes: Uint8Array, options: { source?: string } = {}): ZipContents {
  const fn = 'readZip';
  const source = options.source ?? '(bytes)';
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (reason: string) => new InputError(messages.archiveInvalid(fn, source, reason), 'archiveInvalid', { source });
  // end of central directory: 22 bytes + a comment of up to 65,535 bytes
  let eocd = -1;
  for (let i = buf.length - 22; i >= 0 && i >= buf.length - 22 - 0xffff; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50 && i + 22 + buf.readUInt16LE(i + 20) === buf.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad('no end-of-central-directory record');
  const disk = buf.readUInt16LE(eocd + 4);
  const cdDisk = buf.readUInt16LE(eocd + 6);
  const onDisk = buf.readUInt16LE(eocd + 8);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count) throw bad('multi-disk archives are not supported');
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw bad('ZIP64 archives are not supported');
  if (cdOffset + cdSize > eocd) throw bad('the central directory lies outside the archive');

  const files = new Map<string, Uint8Array>();
  const refused: ZipProblem[] = [];
  const names = new Set<string>();
  let total = 0;
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > cdOffset + cdSize || buf.readUInt32LE(p) !== 0x02014b50) throw bad(`central directory entry ${k + 1} is malformed`);
    const madeBy = buf.readUInt16LE(p + 4) >> 8;
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const usize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const external = buf.readUInt32LE(p + 38);
    const localOffset = buf.readUInt32LE(p + 42);
    const nameBytes = buf.subarray(p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (p > cdOffset + cdSize) throw bad(`central directory entry ${k + 1} runs past the directory`);
    let name: string;
    try {
      name = new TextDecoder('utf-8', { fatal: true }).decode(nameBytes);
    } catch {
      name = nameBytes.toString('latin1');
      refused.push({ entry: name, kind: 'unsafe-entry', message: messages.unsafeEntry(name, 'its name is not valid UTF-8') });
      continue;
    }
    const refuse = (reason: string) => refused.push({ entry: name, kind: 'unsafe-entry', message: messages.unsafeEntry(name, reason) });
    const isDirName = name.endsWith('/');
    const reason = unsafePathReason(isDirName ? name.slice(0, -1) : name);
    if (reason) {
      refuse(`${reason}, so it would escape the folder it is read into`);
      continue;
    }
    const mode = madeBy === 3 ? external >>> 16 : 0;
    const type = mode & 0o170000;
    if (mode !== 0 && type !== 0o100000 && type !== 0o040000) {
      refuse(type === 0o120000 ? 'it is a symbolic link' : `it is not a regular file (Unix mode ${mode.toString(8)})`);
      continue;
    }
    if (isDirName || type === 0o040000) {
      if (!isDirName || usize !== 0) refuse('it is a directory entry with content or a file marked as a directory');
      continue; // a directory creates nothing in memory
    }
    if (names.has(name)) {
      refuse('the archive holds two entries with this name');
      files.delete(name);
      continue;
    }
    names.add(name);
    if (flags & 0x0001) {
      refuse('it is encrypted');
      continue;
    }
    if (method !== 0 && method !== 8) {
      refuse(`it uses compression method ${method} (only stored and deflate are read)`);
      continue;
    }
    if (usize > ZIP_LIMITS.entryBytes || total + usize > ZIP_LIMITS.totalBytes) {
      refuse(`its declared size ${usize} bytes exceeds the reader's limits (${ZIP_LIMITS.entryBytes} per entry, ${ZIP_LIMITS.totalBytes} in all)`);
      continue;
    }
    total += usize;
    const corrupt = (why: string) => refused.push({ entry: name, kind: 'corrupt-entry', message: messages.corruptEntry(name, why) });
    if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== 0x04034b50) {
      corrupt('its local header is missing');
      continue;
    }
    const lNameLen = buf.readUInt16LE(localOffset + 26);
    const lExtraLen = buf.readUInt16LE(localOffset + 28);
    const localName = buf.subarray(localOffset + 30, localOffset + 30 + lNameLen);
    if (!localName.equals(nameBytes)) {
      refuse(`its local header names ${JSON.stringify(localName.toString('utf8'))} instead`);
      continue;
    }
    const start = localOffset + 30 + lNameLen + lExtraLen;
    if (start + csize > buf.length) {
      corrupt('its data runs past the end of the archive');
      continue;
    }
    const raw = buf.subarray(start, start + csize);
    let data: Buffer;
    try {
      data = method === 0 ? Buffer.from(raw) : usize === 0 ? Buffer.alloc(0) : inflateRawSync(raw, { maxOutputLength: usize });
    } catch (e) {
      corrupt(`it does not inflate to its declared ${usize} bytes (${(e as Error).message})`);
      continue;
    }
    if (data.length !== usize) {
      corrupt(`it holds ${data.length} bytes, not the declared ${usize}`);
      continue;
    }
    if (crc32(data) !== crc) {
      corrupt('its CRC-32 does not match');
      continue;
    }
    files.set(name, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return { files, refused };
}
