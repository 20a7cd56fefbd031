import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main, type CliIO } from '../../src/cli/main.js';

const fixture = new URL('../fixtures/hand.csv', import.meta.url).pathname;
const golden = new URL('../../reports/golden/hand-audit.json', import.meta.url).pathname;

describe('golden output', () => {
  it('fairwatch audit --format json of the hand-worked fixture equals reports/golden/hand-audit.json', async () => {
    const io: CliIO & { out: string } = { out: '', stdout: (t) => void (io.out += t), stderr: () => {} };
    const code = await main(
      ['audit', fixture, '--label', 'y', '--prediction', 'pred', '--score', 'score', '--sensitive', 'sex,region', '--min-group-size', '3', '--ci', '--resamples', '200', '--seed', '7', '--format', 'json'],
      io,
    );
    expect(code).toBe(0);
    const { file: _file, ...doc } = JSON.parse(io.out);
    const text = JSON.stringify(doc, null, 2) + '\n';
    if (process.env.FAIRWATCH_UPDATE_GOLDEN === '1') writeFileSync(golden, text);
    expect(existsSync(golden), `${golden} is missing; create it with FAIRWATCH_UPDATE_GOLDEN=1`).toBe(true);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });
});
