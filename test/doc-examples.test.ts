/**
 * Every exported function, constant and class of the package has a doc comment with an
 * `@example` (the project's rule for public functions), checked on the source text of every
 * module under `src/`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

/** Exported functions, constants and classes of a file, each with the doc comment right above it (or null). */
function exportsWithDocs(file: string): { name: string; doc: string | null }[] {
  const text = readFileSync(file, 'utf8');
  const out: { name: string; doc: string | null }[] = [];
  const re = /^export (?:abstract )?(?:async )?(?:function|const|class) (\w+)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const before = text.slice(0, m.index).trimEnd();
    const doc = before.endsWith('*/') ? before.slice(before.lastIndexOf('/**')) : null;
    out.push({ name: m[1]!, doc });
  }
  return out;
}

const FILES = sources(join(ROOT, 'src')).map((f) => relative(ROOT, f));

describe('doc comments', () => {
  it.each(FILES)('every exported function, constant and class of %s has a doc comment with an @example', (file) => {
    const list = exportsWithDocs(join(ROOT, file));
    // overloads: a name is documented when one of its declarations is
    const documented = new Set(list.filter(({ doc }) => doc !== null && doc.includes('@example')).map((m) => m.name));
    expect([...new Set(list.map((m) => m.name))].filter((name) => !documented.has(name))).toEqual([]);
  });
});
