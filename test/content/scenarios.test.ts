// Practice scenarios as content: one file each in prompts/scenarios/, validated through zod, merged
// with an organisation's PROMPTS_DIR/scenarios/ by id, and a broken one stops the start naming the
// file and the field.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentError, defaultPromptsDir, loadContent } from '../../src/content/load.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'coach-scenarios-'));

/** A copy of the default content, to break one scenario in. */
function copyOfDefaults(): string {
  const dir = tempDir();
  cpSync(defaultPromptsDir, dir, { recursive: true });
  return dir;
}

function overrideDir(files: Record<string, string>): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'scenarios'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'scenarios', name), text);
  return dir;
}

describe('the practice scenarios', () => {
  it('load from prompts/scenarios/, one per file, in file order', () => {
    const { scenarios } = loadContent();
    expect(scenarios.length).toBeGreaterThanOrEqual(6);
    expect(scenarios.map((s) => s.id)).toEqual([...scenarios.map((s) => s.id)].sort());
    expect(new Set(scenarios.map((s) => s.id)).size).toBe(scenarios.length);
  });

  it('name reflection questions that exist in reflection.yaml', () => {
    const content = loadContent();
    const ids = new Set(content.reflection.questions.map((q) => q.id));
    for (const s of content.scenarios) for (const id of s.reflection) expect(ids, `${s.id}: ${id}`).toContain(id);
  });
});

describe('a broken scenario', () => {
  it('fails loudly, naming the file and the field', () => {
    const dir = copyOfDefaults();
    const path = join(dir, 'scenarios', 'fall-care-home.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('    - says: My son Gary rings every Sunday from Leeds.', '    - says: ""\n      x: My son Gary rings every Sunday from Leeds.'));
    expect(() => loadContent({ baseDir: dir })).toThrowError(ContentError);
    expect(() => loadContent({ baseDir: dir })).toThrowError(/fall-care-home\.yaml.*\n.*field facts\.network\.2/s);
  });

  it('must be fictional, and say so', () => {
    const dir = copyOfDefaults();
    const path = join(dir, 'scenarios', 'mother-advocate.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('fictional: true', 'fictional: false'));
    expect(() => loadContent({ baseDir: dir })).toThrowError(/mother-advocate\.yaml.*field fictional: every scenario must be fictional/s);
  });

  it('needs facts for every strengths-based question type', () => {
    const dir = copyOfDefaults();
    const path = join(dir, 'scenarios', 'walking-with-purpose.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replaceAll('[miracle, possibility]', '[possibility]'));
    expect(() => loadContent({ baseDir: dir })).toThrowError(/walking-with-purpose\.yaml.*field facts: only 0 fact\(s\) draw out a miracle question/s);
  });

  it('names a reflection question that does not exist', () => {
    const dir = copyOfDefaults();
    const path = join(dir, 'scenarios', 'carer-in-hospital.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('reflection: [crisis-safety-first,', 'reflection: [no-such-question,'));
    expect(() => loadContent({ baseDir: dir })).toThrowError(/carer-in-hospital\.yaml: field reflection\.0: "no-such-question" is not a question in reflection\.yaml/);
  });

  it('refuses two files with one id, and a file without an id', () => {
    const dir = copyOfDefaults();
    cpSync(join(dir, 'scenarios', 'fall-care-home.yaml'), join(dir, 'scenarios', 'zz-copy.yaml'));
    expect(() => loadContent({ baseDir: dir })).toThrowError(/zz-copy\.yaml: the scenario id "fall-care-home" is already used by .*fall-care-home\.yaml/);
    const other = copyOfDefaults();
    writeFileSync(join(other, 'scenarios', 'empty.yaml'), 'title: No id\n');
    expect(() => loadContent({ baseDir: other })).toThrowError(/empty\.yaml: a scenario file holds one scenario/);
  });
});

describe("an organisation's PROMPTS_DIR/scenarios", () => {
  it('adds, rewords and removes scenarios by id', () => {
    const base = loadContent();
    const ours = readFileSync(join(defaultPromptsDir, 'scenarios', 'fall-care-home.yaml'), 'utf8').replace('id: fall-care-home', 'id: our-own');
    const dir = overrideDir({
      'our-own.yaml': ours,
      'reworded.yaml': 'id: no-problems-at-all\nname: Margaret Shaw\n',
      'gone.yaml': 'id: mother-advocate\nsilence: true\n',
    });
    const { scenarios } = loadContent({ overrideDir: dir });
    const ids = scenarios.map((s) => s.id);
    expect(ids).toContain('our-own');
    expect(ids).not.toContain('mother-advocate');
    expect(ids).toHaveLength(base.scenarios.length);
    const reworded = scenarios.find((s) => s.id === 'no-problems-at-all')!;
    expect(reworded.name).toBe('Margaret Shaw');
    expect(reworded.caseNote).toBe(base.scenarios.find((s) => s.id === 'no-problems-at-all')!.caseNote);
  });

  it('names both files when an override breaks a default scenario', () => {
    const dir = overrideDir({ 'bad.yaml': 'id: fall-care-home\nsources: ["999"]\n' });
    expect(() => loadContent({ overrideDir: dir })).toThrowError(/fall-care-home\.yaml \+ .*bad\.yaml.*field sources\.0/s);
  });
});
