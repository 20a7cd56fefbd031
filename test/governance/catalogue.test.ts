import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { SchemaError } from '../../src/errors.js';
import { ANNEX_A_CONTROLS, ANNEX_A_IDS } from '../../src/metrics/annex-a-ids.js';
import {
  catalogueEntries,
  cataloguePath,
  clausesFor,
  controlsFor,
  formatCatalogue,
  loadCatalogue,
  NOT_EVIDENCED,
  parseCatalogue,
} from '../../src/governance/catalogue.js';

const CATALOGUE_FILE = fileURLToPath(new URL('../../reports/iso42001/catalogue.json', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../shared/iso42001/', import.meta.url));
const SHARED_CONTROLS = SHARED + 'controls.json';
const SHARED_CLAUSES = SHARED + 'clauses.json';
const hasShared = existsSync(SHARED_CONTROLS) && existsSync(SHARED_CLAUSES);
if (!hasShared) console.warn(`skipping the comparison with the shared ISO/IEC 42001 reference: ${SHARED} not found`);

interface RawEntry { id: string; parent?: string | null; title: string; evidence: string[]; coverage: string; question?: string; objective?: string }
/** The catalogue file read directly, not through the loader under test. */
const raw = () => JSON.parse(readFileSync(CATALOGUE_FILE, 'utf8')) as { clauses: RawEntry[]; controls: RawEntry[] };

describe('loadCatalogue()', () => {
  it('loadCatalogue() finds reports/iso42001/catalogue.json from the package root and holds 43 clauses and 38 controls', () => {
    expect(cataloguePath()).toBe(CATALOGUE_FILE);
    const c = loadCatalogue();
    expect(c.clauses).toHaveLength(43);
    expect(c.controls).toHaveLength(38);
    expect(Object.isFrozen(c.controls[0])).toBe(true);
  });

  it('loadCatalogue() lists the Annex A ids of annex-a-ids.ts in order, with the same short titles', () => {
    const c = loadCatalogue();
    expect(c.controls.map((x) => x.id)).toEqual([...ANNEX_A_IDS]);
    for (const x of c.controls) expect(x.title, x.id).toBe(ANNEX_A_CONTROLS[x.id]);
  });

  it('loadCatalogue(): coverage none exactly when no evidence kinds, and organisational leaf entries carry a question', () => {
    const c = raw();
    const parents = new Set(c.clauses.map((x) => x.parent).filter(Boolean));
    for (const e of [...c.clauses, ...c.controls]) {
      expect(e.coverage === 'none', e.id).toBe(e.evidence.length === 0);
      const leaf = !parents.has(e.id);
      if (e.coverage === 'none' && leaf) expect(e.question?.length ?? 0, e.id).toBeGreaterThan(20);
      else expect(e.question, e.id).toBeUndefined();
    }
  });

  it('loadCatalogue(): a parent clause carries the union of its sub-clauses\' evidence kinds', () => {
    const c = raw();
    for (const p of c.clauses) {
      const children = c.clauses.filter((x) => x.parent === p.id);
      if (children.length === 0) continue;
      const union = new Set(children.flatMap((x) => x.evidence));
      expect(new Set(p.evidence), p.id).toEqual(union);
    }
  });

  it('parseCatalogue(doc) rejects a catalogue with a control missing, naming the field', () => {
    const doc = raw();
    doc.controls = doc.controls.filter((x) => x.id !== 'A.7.4');
    expect(() => parseCatalogue(doc, 'x.json')).toThrow(SchemaError);
    expect(() => parseCatalogue(doc, 'x.json')).toThrow(/invalid at controls: control A\.7\.4 is missing/);
  });
});

describe.skipIf(!hasShared)('catalogue against ../shared/iso42001 (skipped when that folder is absent)', () => {
  const refControls = () => JSON.parse(readFileSync(SHARED_CONTROLS, 'utf8')) as (RawEntry & { subObjective?: string })[];
  const refClauses = () => JSON.parse(readFileSync(SHARED_CLAUSES, 'utf8')) as RawEntry[];

  it('controls have the reference ids, objectives, coverage and evidence kinds, in order', () => {
    const ours = loadCatalogue().controls;
    const ref = refControls();
    expect(ours.map((c) => c.id)).toEqual(ref.map((c) => c.id));
    for (const [i, r] of ref.entries()) {
      const o = ours[i]!;
      expect(o.coverage, r.id).toBe(r.coverage);
      expect([...o.evidence].sort(), r.id).toEqual([...r.evidence].sort());
      expect(o.objective, r.id).toBe(r.objective);
      expect(o.subObjective, r.id).toBe(r.subObjective);
    }
  });

  it('clauses have the reference ids and parents, in order', () => {
    const ours = loadCatalogue().clauses;
    expect(ours.map((c) => [c.id, c.parent])).toEqual(refClauses().map((c) => [c.id, c.parent]));
  });

  it('no title is the reference title verbatim (our own words)', () => {
    const refTitle = new Map([...refControls(), ...refClauses()].map((r) => [r.id, r.title.toLowerCase()]));
    const c = loadCatalogue();
    for (const e of [...c.clauses, ...c.controls]) expect(e.title.toLowerCase(), e.id).not.toBe(refTitle.get(e.id));
  });
});

describe('controlsFor(filter) and clausesFor(filter)', () => {
  it('controlsFor({ coverage }) returns exactly the controls of that coverage in the file, in order', () => {
    const c = raw();
    for (const coverage of ['direct', 'partial', 'none'] as const) {
      expect(controlsFor({ coverage }).map((x) => x.id), coverage).toEqual(c.controls.filter((x) => x.coverage === coverage).map((x) => x.id));
    }
    expect(controlsFor({ coverage: ['direct', 'partial'] })).toHaveLength(c.controls.filter((x) => x.coverage !== 'none').length);
    expect(controlsFor()).toHaveLength(38);
  });

  it('controlsFor({ evidence, objective }) filters by evidence kind and by objective or sub-objective', () => {
    const c = raw();
    expect(controlsFor({ evidence: 'drift-monitoring' }).map((x) => x.id)).toEqual(c.controls.filter((x) => x.evidence.includes('drift-monitoring')).map((x) => x.id));
    expect(controlsFor({ objective: 'A.6.2' }).map((x) => x.id)).toEqual(['A.6.2.2', 'A.6.2.3', 'A.6.2.4', 'A.6.2.5', 'A.6.2.6', 'A.6.2.7', 'A.6.2.8']);
    expect(controlsFor({ objective: 'A.2' }).map((x) => x.id)).toEqual(['A.2.2', 'A.2.3', 'A.2.4']);
  });

  it('clausesFor({ coverage: "none" }) returns the organisational clauses of the file', () => {
    expect(clausesFor({ coverage: 'none' }).map((x) => x.id)).toEqual(raw().clauses.filter((x) => x.coverage === 'none').map((x) => x.id));
  });

  it('catalogueEntries() lists clauses then controls; formatCatalogue prints "not evidenced by this toolkit" for organisational ones', () => {
    const all = catalogueEntries();
    expect(all).toHaveLength(43 + 38);
    expect(all[0]!.type).toBe('clause');
    expect(all.at(-1)).toMatchObject({ type: 'control', id: 'A.10.4' });
    const text = formatCatalogue(catalogueEntries({ coverage: 'none' }), 'text');
    for (const line of text.split('\n').filter((l) => /^\s*(A\.|\d)/.test(l))) expect(line).toContain(NOT_EVIDENCED);
    const md = formatCatalogue(catalogueEntries({ coverage: 'direct' }), 'md');
    expect(md).toContain('| A.6.2.6 | Operate and monitor the AI system | direct |');
  });
});

describe('reports/policies/gap-questions.default.yaml', () => {
  it('asks exactly the questions of the organisational entries of the catalogue, all unanswered', () => {
    const template = parseYaml(readFileSync(fileURLToPath(new URL('../../reports/policies/gap-questions.default.yaml', import.meta.url)), 'utf8')) as {
      answers: Record<string, { question: string; answer: unknown }>;
    };
    const c = raw();
    const withQuestion = [...c.clauses, ...c.controls].filter((e) => e.question !== undefined);
    expect(Object.keys(template.answers)).toEqual(withQuestion.map((e) => e.id));
    for (const e of withQuestion) {
      expect(template.answers[e.id]!.question, e.id).toBe(e.question);
      expect(template.answers[e.id]!.answer, e.id).toBeNull();
    }
  });
});
