import type { CliIO } from '../../src/cli/main.js';

/** A CliIO that collects stdout and stderr as text. */
export function capture(): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}
