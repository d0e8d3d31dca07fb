import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Coach } from '../../src/coach/index.ts';
import { ContentError, defaultPromptsDir, loadContent } from '../../src/content/load.ts';
import { areaIds, questionTypeIds } from '../../src/content/schemas.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'coach-prompts-'));

describe('the coaching content', () => {
  const content = loadContent();

  it('has all ten question types, each with purpose, cues and at least 8 example questions', () => {
    expect(content.questionTypes.types.map((t) => t.id)).toEqual([...questionTypeIds]);
    for (const type of content.questionTypes.types) {
      expect(type.examples.length, type.id).toBeGreaterThanOrEqual(8);
      expect(type.cues.length, type.id).toBeGreaterThan(0);
    }
  });

  it('has the five areas, each served by question types', () => {
    expect(content.stages.areas.map((a) => a.id).sort()).toEqual([...areaIds].sort());
  });

  it('cites its seeds', () => {
    const seeds = join(defaultPromptsDir, '../../shared/seeds');
    void seeds;
    // Every entry names where it comes from: a seed, or the published guidance of its field.
    const uncited = content.language.entries.filter((e) => !e.source && !e.sourceNote).map((e) => e.id);
    expect(uncited).toEqual([]);
    expect(content.affirmations.affirmations.every((a) => a.source === '002')).toBe(true);
  });
});

describe('a broken content file', () => {
  it('fails loudly, naming the file, the entry and the field', () => {
    const dir = tempDir();
    cpSync(defaultPromptsDir, dir, { recursive: true });
    const path = join(dir, 'language.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('    category: behaviour\n', '    category: behavior\n'));
    expect(() => loadContent({ baseDir: dir })).toThrowError(ContentError);
    expect(() => loadContent({ baseDir: dir })).toThrowError(/language\.yaml.*\n.*entries\[0\] \(id: wandering\) → field category/s);
  });

  it('reports YAML syntax errors with the file name', () => {
    const dir = tempDir();
    cpSync(defaultPromptsDir, dir, { recursive: true });
    writeFileSync(join(dir, 'stages.yaml'), 'areas: [\n  - id: personal');
    expect(() => loadContent({ baseDir: dir })).toThrowError(/stages\.yaml: not valid YAML/);
  });

  it('reports a context rule that names a list the file does not define', () => {
    const dir = tempDir();
    cpSync(defaultPromptsDir, dir, { recursive: true });
    const path = join(dir, 'language.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace("before: ['@things @be']", "before: ['@nothings']"));
    expect(() => loadContent({ baseDir: dir })).toThrowError(/names the list @nothings/);
  });
});

describe("an organisation's PROMPTS_DIR", () => {
  it('adds, silences and rewords entries without touching code', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'language.yaml'),
      `entries:
  - id: service-user
    category: identity
    forms: { service user: person we support, service users: people we support }
    why: Our council says "people we support".
  - id: elderly
    silence: true
  - id: wandering
    forms: { wanders: goes walking }
`,
    );
    const coach = new Coach(loadContent({ overrideDir: dir }));
    expect(coach.findDeficitPhrasing('Every service user has a named worker.').map((f) => f.suggestion)).toEqual(['person we support']);
    expect(coach.findDeficitPhrasing('Services for the elderly.')).toEqual([]);
    expect(coach.reframe('He wanders at night.').text).toBe('He goes walking at night.');
  });

  it('rewords one form and keeps every other form of the entry flagged', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'language.yaml'), 'entries:\n  - id: wandering\n    forms: { wanders: goes walking }\n');
    const coach = new Coach(loadContent({ overrideDir: dir }));
    const defaults = loadContent().language.entries.find((e) => e.id === 'wandering')!;
    const merged = coach.content.language.entries.find((e) => e.id === 'wandering')!;
    expect(Object.keys(merged.forms).sort()).toEqual(Object.keys(defaults.forms).sort());
    expect(merged.forms.wanders).toBe('goes walking');
    // Every other form keeps its own replacement, and every sentence the entry flags is still flagged.
    for (const [form, replacement] of Object.entries(defaults.forms)) {
      if (form !== 'wanders') expect(merged.forms[form], form).toBe(replacement);
      expect(coach.findDeficitPhrasing(`Staff say he ${form.replace(/^\[[^\]]*\]\s*/, '')} at night.`).map((f) => f.entry), form).toContain('wandering');
    }
    for (const sentence of defaults.flags ?? []) {
      expect(coach.findDeficitPhrasing(sentence).map((f) => f.entry), sentence).toContain('wandering');
    }
    expect(coach.findDeficitPhrasing('Mr B wandered off and wandering is a worry.').map((f) => f.text)).toEqual(['wandered off', 'wandering']);
  });

  it('removes a form only when asked to, by setting it to null', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'language.yaml'), 'entries:\n  - id: wandering\n    forms: { wanderer: ~ }\n');
    const coach = new Coach(loadContent({ overrideDir: dir }));
    expect(coach.content.language.entries.find((e) => e.id === 'wandering')!.forms).not.toHaveProperty('wanderer');
    expect(coach.findDeficitPhrasing('He is a wanderer.')).toEqual([]);
    expect(coach.findDeficitPhrasing('He wanders.').map((f) => f.entry)).toEqual(['wandering']);
  });

  it('says which form it cannot remove when the default has no such form', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'language.yaml'), 'entries:\n  - id: wandering\n    forms: { wandres: ~ }\n');
    expect(() => loadContent({ overrideDir: dir })).toThrowError(/entries\[0\] \(id: wandering\) → field forms\.wandres: null removes a key, but the default has no "wandres"/);
  });

  it('merges a named list of the language file by name, keeping the other lists', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'language.yaml'), 'lists:\n  reported: [she said, he said]\n');
    const merged = loadContent({ overrideDir: dir }).language;
    const defaults = loadContent().language;
    expect(merged.lists.reported).toEqual(['she said', 'he said']);
    expect(merged.lists.things).toEqual(defaults.lists.things);
  });

  it('validates the merged result like any other content', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'stages.yaml'), 'areas:\n  - id: personal\n    questionTypes: [gossip]\n');
    expect(() => loadContent({ overrideDir: dir })).toThrowError(/stages\.yaml.*areas\[\d\] \(id: personal\) → field questionTypes\.0/s);
  });

  it('rejects an override entry with no id', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'language.yaml'), 'entries:\n  - category: risk\n');
    expect(() => loadContent({ overrideDir: dir })).toThrowError(/entries\[0\]: every override entry needs an `id`/);
  });
});
