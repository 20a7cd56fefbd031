import { describe, expect, it } from 'vitest';
import { engineIds, MemoryEngine, openEngine, redactText, redactUrl, registerEngine, serverEngineOpener } from '../../src/engines/index.js';
import { EngineError, InputError, messages } from '../../src/errors.js';

describe('redactUrl', () => {
  it('redactUrl hides the password of the user info and of password= parameters', () => {
    const cases: [string, string][] = [
      ['postgres://user:secret@host/db', 'postgres://user:***@host/db'],
      ['postgresql://u:s3cr%40t@h:5432/db?sslmode=require', 'postgresql://u:***@h:5432/db?sslmode=require'],
      ['postgres://u:p@ss/w0rd@host/db', 'postgres://u:***@host/db'],
      ['http://default:pw@ch1:8123/?database=x&password=pw2', 'http://default:***@ch1:8123/?database=x&password=***'],
      ['https://ch:8443/?user=a@b.c', 'https://ch:8443/?user=a@b.c'],
      ["host=db user=me password='a b' dbname=x", 'host=db user=me password=*** dbname=x'],
      ['postgres://user@host/db', 'postgres://user@host/db'],
      ['/data/store.duckdb', '/data/store.duckdb'],
    ];
    for (const [url, redacted] of cases) expect([url, redactUrl(url)]).toEqual([url, redacted]);
    expect(redactText('connect failed for postgres://me:secret@db/x (timeout)')).toBe('connect failed for postgres://me:***@db/x (timeout)');
  });
});

describe('openEngine', () => {
  it('openEngine registers memory, duckdb, postgres and clickhouse', () => {
    expect(engineIds().slice(0, 4)).toEqual(['memory', 'duckdb', 'postgres', 'clickhouse']);
  });

  it("openEngine({ engine: 'memory', data }) and ({ engine: 'duckdb' }) give working engines", async () => {
    const mem = await openEngine({ engine: 'memory', data: { y: [1, 0, 1], p: [1, 1, 0], sex: ['f', 'm', 'f'] } });
    expect(mem).toBeInstanceOf(MemoryEngine);
    const s = await mem.fairnessSummaries({ source: { kind: 'table', text: 'data' }, label: 'y', prediction: 'p', sensitive: ['sex'] });
    expect(Array.from(s.confusion.n)).toEqual([0, 0, 1, 1, 0, 1, 0, 0]);
    await mem.close();
    await expect(mem.fairnessSummaries({ source: { kind: 'table', text: 'data' }, label: 'y', prediction: 'p', sensitive: ['sex'] })).rejects.toThrow(EngineError);
    const duck = await openEngine({ engine: 'duckdb' });
    expect([duck.id, duck.dialect]).toEqual(['duckdb', 'duckdb']);
    await duck.close();
  });

  it('openEngine throws InputError for an unknown engine or a server engine without url', async () => {
    await expect(openEngine({ engine: 'oracle' as 'memory' })).rejects.toThrow(
      messages.badOption('openEngine', 'engine', 'oracle', engineIds().map((e) => `'${e}'`).join(', ')),
    );
    await expect(openEngine({ engine: 'postgres' })).rejects.toThrow(messages.badOption('openEngine', 'url', undefined, 'a postgres connection URL'));
  });

  it('openEngine never shows a password, whether or not the server engine module loads', async () => {
    for (const engine of ['postgres', 'clickhouse'] as const) {
      const url = engine === 'postgres' ? 'postgres://me:hunter2@127.0.0.1:1/nodb' : 'http://me:hunter2@127.0.0.1:1/';
      try {
        const e = await openEngine({ engine, url });
        expect(e.id).toBe(engine);
        await e.close();
      } catch (err) {
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).message).not.toContain('hunter2');
      }
    }
  });

  it('serverEngineOpener imports a module lazily and reports a missing one as EngineError with the URL redacted', async () => {
    registerEngine('test-memory', serverEngineOpener('test-memory', './memory.js', 'MemoryEngine'));
    const e = await openEngine({ engine: 'test-memory' as 'memory', url: 'x://u:pw@h' });
    expect(e).toBeInstanceOf(MemoryEngine);
    registerEngine('test-missing', serverEngineOpener('test-missing', './no-such-engine.js', 'X'));
    const err = await openEngine({ engine: 'test-missing' as 'memory', url: 'x://u:pw@h/db' }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).message).toMatch(/^openEngine: engine "test-missing" is not available for "x:\/\/u:\*\*\*@h\/db": /);
    registerEngine('test-noclass', serverEngineOpener('test-noclass', './memory.js', 'Nope'));
    await expect(openEngine({ engine: 'test-noclass' as 'memory', url: 'x://h' })).rejects.toThrow(
      messages.engineUnavailable('openEngine', 'test-noclass', 'x://h', './memory.js does not export Nope'),
    );
  });

  it('MemoryEngine rejects a query source and a table source without data', async () => {
    const q = { label: 'y', prediction: 'p', sensitive: ['g'] };
    await expect(new MemoryEngine().fairnessSummaries({ ...q, source: { kind: 'query', text: 'SELECT 1' } })).rejects.toThrow(
      messages.engineSourceUnsupported('MemoryEngine.fairnessSummaries', 'memory', 'query'),
    );
    await expect(new MemoryEngine().fairnessSummaries({ ...q, source: { kind: 'table', text: 't' } })).rejects.toThrow(InputError);
  });
});
