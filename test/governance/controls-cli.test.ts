import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { controlsArgsFromCli, runControls } from '../../src/cli/controls.js';
import { InputError } from '../../src/errors.js';
import { capture } from '../cli/capture.js';

const raw = () =>
  JSON.parse(readFileSync(fileURLToPath(new URL('../../reports/iso42001/catalogue.json', import.meta.url)), 'utf8')) as {
    clauses: { id: string; coverage: string }[];
    controls: { id: string; coverage: string }[];
  };

describe('fairwatch controls', () => {
  it('fairwatch controls --coverage none --format json prints one JSON document with the organisational entries, exit 0', async () => {
    const io = capture();
    expect(await main(['controls', '--coverage', 'none', '--format', 'json'], io)).toBe(0);
    const doc = JSON.parse(io.out) as { kind: string; clauses: { id: string }[]; controls: { id: string; evidence: string[] }[] };
    expect(doc.kind).toBe('fairwatch.controls');
    const c = raw();
    expect(doc.controls.map((x) => x.id)).toEqual(c.controls.filter((x) => x.coverage === 'none').map((x) => x.id));
    expect(doc.clauses.map((x) => x.id)).toEqual(c.clauses.filter((x) => x.coverage === 'none').map((x) => x.id));
    expect(io.err).toBe('');
  });

  it('fairwatch controls (text) lists every clause and control with its evidence kinds', async () => {
    const io = capture();
    expect(await main(['controls'], io)).toBe(0);
    for (const e of [...raw().clauses, ...raw().controls]) expect(io.out).toMatch(new RegExp(`^\\s*${e.id.replace(/\./g, '\\.')}\\s`, 'm'));
    expect(io.out).toMatch(/^A\.6\.2\.6\s+Operate and monitor the AI system\s+direct\s+drift-monitoring, fairness-monitoring/m);
  });

  it('fairwatch controls --format md prints Markdown tables', async () => {
    const io = capture();
    expect(await runControls({ coverage: 'direct', format: 'md' }, io)).toBe(0);
    expect(io.out).toContain('## Annex A controls');
    expect(io.out).toContain('| A.5.4 |');
    expect(io.out).not.toContain('| A.2.2 |');
  });

  it('fairwatch controls --coverage some is bad usage (exit 2); controlsArgsFromCli throws InputError', async () => {
    expect(await main(['controls', '--coverage', 'some'], capture())).toBe(2);
    expect(() => controlsArgsFromCli({ coverage: 'some' })).toThrow(InputError);
  });
});
