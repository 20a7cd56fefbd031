/** Spawn child-writer.ts processes at once and wait for all of them. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const register = fileURLToPath(new URL('../helpers/ts-register.mjs', import.meta.url));
const child = fileURLToPath(new URL('./child-writer.ts', import.meta.url));

/** Run `n` writers; resolves to their exit codes and stderr. */
export function runWriters(n: number, location: string, id: string, iterations: number, schema?: string): Promise<{ code: number | null; stderr: string }[]> {
  return Promise.all(
    Array.from(
      { length: n },
      (_, k) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const args = ['--import', register, child, location, id, String(iterations), `writer${k}`];
          if (schema) args.push(schema);
          const p = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          p.on('close', (code) => resolve({ code, stderr }));
        }),
    ),
  );
}
