/**
 * Node module hooks that run the repository's TypeScript sources directly in a child process
 * (Node 20 has no type stripping): `./x.js` imports resolve to `./x.ts` when only the .ts exists,
 * and .ts files are transpiled (no type check) with the repository's `typescript`.
 * Used through `node --import ./test/helpers/ts-register.mjs child.ts`.
 *
 * Transpiled output is cached in `os.tmpdir()/fairwatch-ts-cache/`, keyed by the sha256 of the
 * source, the file name, the TypeScript version and the options (written atomically: temp file,
 * then rename), so that the tests' many child processes transpile each file once, not each time.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// typescript is loaded only on a cache miss (loading it costs more than reading the cache)
const require = createRequire(import.meta.url);
const TS_VERSION = JSON.parse(readFileSync(require.resolve('typescript/package.json'), 'utf8')).version;
const OPTIONS = { module: 'ESNext', target: 'ES2022', verbatimModuleSyntax: false, isolatedModules: true };
let ts;
const CACHE = join(tmpdir(), 'fairwatch-ts-cache');
mkdirSync(CACHE, { recursive: true });

export async function resolve(specifier, context, next) {
  if (context.parentURL && /^(\.|\/|file:)/.test(specifier) && specifier.endsWith('.js')) {
    const url = new URL(specifier, context.parentURL);
    if (!existsSync(fileURLToPath(url))) {
      const tsUrl = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
      if (existsSync(fileURLToPath(tsUrl))) return { url: tsUrl.href, shortCircuit: true };
    }
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (url.startsWith('file:') && url.endsWith('.ts')) {
    const file = fileURLToPath(url);
    const source = await readFile(file, 'utf8');
    const key = createHash('sha256').update(JSON.stringify([TS_VERSION, OPTIONS, file, source])).digest('hex');
    const cached = join(CACHE, `${key}.js`);
    try {
      return { format: 'module', source: await readFile(cached, 'utf8'), shortCircuit: true };
    } catch {
      // not cached yet
    }
    ts ??= (await import('typescript')).default;
    const compilerOptions = { ...OPTIONS, module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 };
    const out = ts.transpileModule(source, { fileName: file, compilerOptions }).outputText;
    const tmp = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, out);
    await rename(tmp, cached).catch(() => undefined);
    return { format: 'module', source: out, shortCircuit: true };
  }
  return next(url, context);
}
