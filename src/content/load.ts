// Loads the coaching content from prompts/ and, where PROMPTS_DIR names one, an organisation's
// folder of overrides. A broken file fails loudly with the file, the entry and the field.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import {
  affirmationsFile,
  languageFile,
  questionCorpusFile,
  questionFormFile,
  questionTypesFile,
  reflectionFile,
  scenario as scenarioSchema,
  stagesFile,
  type Scenario,
} from './schemas.ts';
import { packageRoot } from '../package-root.ts';
import { ContentError } from './errors.ts';

export const defaultPromptsDir = join(packageRoot(), 'prompts');

export { ContentError };

/** Each content file, the list in it that overrides merge into by `id`, and its schema. */
const files = {
  questionTypes: { file: 'question-types.yaml', list: 'types', schema: questionTypesFile },
  language: { file: 'language.yaml', list: 'entries', schema: languageFile },
  affirmations: { file: 'affirmations.yaml', list: 'affirmations', schema: affirmationsFile },
  stages: { file: 'stages.yaml', list: 'areas', schema: stagesFile },
  reflection: { file: 'reflection.yaml', list: 'questions', schema: reflectionFile },
  // No list of entries by id: an organisation's questions are added to the corpus, type by type.
  questionCorpus: { file: 'question-corpus.yaml', list: '', schema: questionCorpusFile, concat: true },
  questionForm: { file: 'question-form.yaml', list: '', schema: questionFormFile },
} as const;

type Files = typeof files;
export type Content = { [K in keyof Files]: z.infer<Files[K]['schema']> } & {
  /** Practice scenarios: one file each in scenarios/, merged with PROMPTS_DIR/scenarios/ by id. */
  scenarios: Scenario[];
};

export interface LoadOptions {
  /** The defaults (prompts/ in this repository). */
  baseDir?: string;
  /** An organisation's overrides (PROMPTS_DIR): same file names, entries merged by id. */
  overrideDir?: string;
}

export function loadContent(options: LoadOptions = {}): Content {
  const baseDir = options.baseDir ?? defaultPromptsDir;
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(files)) {
    const basePath = join(baseDir, spec.file);
    let raw = readYaml(basePath);
    const overridePath = options.overrideDir ? join(options.overrideDir, spec.file) : undefined;
    if (overridePath && existsSync(overridePath)) {
      raw = mergeOverride(raw, readYaml(overridePath), spec.list, overridePath, 'concat' in spec && spec.concat);
    }
    out[key] = parseWith(spec.schema, raw, overridePath && existsSync(overridePath) ? `${basePath} + ${overridePath}` : basePath, spec.list);
  }
  const reflectionIds = (out.reflection as Content['reflection']).questions.map((q) => q.id);
  out.scenarios = loadScenarios(baseDir, options.overrideDir, reflectionIds);
  return out as Content;
}

const SCENARIOS_DIR = 'scenarios';

/**
 * The practice scenarios: every *.yaml in <baseDir>/scenarios, then the organisation's
 * <overrideDir>/scenarios merged by id (fields given replace fields, `silence: true` removes one,
 * a new id adds one). Each is validated whole; an error names the file(s) and the field.
 */
export function loadScenarios(baseDir: string, overrideDir: string | undefined, reflectionIds: readonly string[]): Scenario[] {
  const found = new Map<string, { data: Record<string, unknown>; from: string[] }>();
  for (const path of yamlFiles(join(baseDir, SCENARIOS_DIR))) {
    const data = scenarioDocument(path);
    const earlier = found.get(data.id);
    if (earlier) throw new ContentError(`${path}: the scenario id "${data.id}" is already used by ${earlier.from[0]}; give each scenario its own id.`);
    found.set(data.id, { data, from: [path] });
  }
  for (const path of overrideDir ? yamlFiles(join(overrideDir, SCENARIOS_DIR)) : []) {
    const { silence, ...fields } = scenarioDocument(path);
    const earlier = found.get(fields.id);
    if (silence === true) found.delete(fields.id);
    else found.set(fields.id, earlier ? { data: { ...earlier.data, ...fields }, from: [...earlier.from, path] } : { data: fields, from: [path] });
  }
  return [...found.values()].map(({ data, from }) => {
    const where = from.join(' + ');
    const parsed = parseWith(scenarioSchema, data, where, SCENARIOS_DIR) as Scenario;
    parsed.reflection.forEach((id, i) => {
      if (!reflectionIds.includes(id)) {
        throw new ContentError(`${where}: field reflection.${i}: "${id}" is not a question in reflection.yaml; use one of its ids.`);
      }
    });
    return parsed;
  });
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort()
    .map((name) => join(dir, name));
}

function scenarioDocument(path: string): Record<string, unknown> & { id: string } {
  const data = readYaml(path);
  if (!isRecord(data) || typeof data.id !== 'string' || !data.id.trim()) {
    throw new ContentError(`${path}: a scenario file holds one scenario: a mapping with an \`id\` and its fields.`);
  }
  return data as Record<string, unknown> & { id: string };
}

function readYaml(path: string): unknown {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch {
    throw new ContentError(`${path}: cannot read this content file. Check the path (PROMPTS_DIR) and that the file exists.`);
  }
  try {
    return YAML.parse(source, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    throw new ContentError(`${path}: not valid YAML: ${(err as Error).message}`);
  }
}

/**
 * Merges an organisation's file into the defaults, field by field. List entries with a known id are
 * reworded: a mapping field (an entry's `forms`) merges key by key, so `forms: { wanders: goes walking }`
 * rewords that one form and keeps the others, and a key set to null (`wanders: ~`) removes that form
 * explicitly; any other field given replaces the default's. `silence: true` removes an entry, and a
 * new id adds one. Top-level keys merge the same way (`lists` by list name; `fillers` replaced).
 */
export function mergeOverride(base: unknown, override: unknown, listKey: string, overridePath: string, concat = false): unknown {
  if (!isRecord(base) || !isRecord(override)) {
    throw new ContentError(`${overridePath}: expected a mapping at the top level, with a \`${listKey}\` list.`);
  }
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (key !== listKey) merged[key] = mergeField(base[key], value, `${overridePath}: field ${key}`, concat);
  }
  const overrides = override[listKey];
  if (overrides === undefined) return merged;
  if (!Array.isArray(overrides)) throw new ContentError(`${overridePath}: \`${listKey}\` must be a list.`);
  const entries = [...((base[listKey] as unknown[]) ?? [])];
  overrides.forEach((item, i) => {
    if (!isRecord(item) || typeof item.id !== 'string') {
      throw new ContentError(`${overridePath}: ${listKey}[${i}]: every override entry needs an \`id\`.`);
    }
    const at = entries.findIndex((e) => isRecord(e) && e.id === item.id);
    const { silence, ...fields } = item;
    if (silence === true) {
      if (at >= 0) entries.splice(at, 1);
    } else if (at >= 0) {
      const entry = { ...(entries[at] as Record<string, unknown>) };
      for (const [field, value] of Object.entries(fields)) {
        entry[field] = mergeField(entry[field], value, `${overridePath}: ${listKey}[${i}] (id: ${item.id}) → field ${field}`);
      }
      entries[at] = entry;
    } else {
      entries.push(fields);
    }
  });
  merged[listKey] = entries;
  return merged;
}

/**
 * Mappings merge key by key (a null value removes that key); anything else given replaces the
 * default, except that with `concat` a list is added to the default's list (the question corpus).
 */
function mergeField(base: unknown, value: unknown, where: string, concat = false): unknown {
  if (concat && Array.isArray(base) && Array.isArray(value)) return [...base, ...value];
  if (!isRecord(value) || !isRecord(base)) return value;
  const out: Record<string, unknown> = { ...base };
  for (const [key, v] of Object.entries(value)) {
    if (v !== null) out[key] = concat ? mergeField(out[key], v, `${where}.${key}`, true) : v;
    else if (key in out) delete out[key];
    else throw new ContentError(`${where}.${key}: null removes a key, but the default has no "${key}"; check the spelling against prompts/.`);
  }
  return out;
}

function parseWith(schema: z.ZodType, raw: unknown, where: string, listKey: string): unknown {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 10).map((issue) => `  - ${describePath(raw, issue.path, listKey)}: ${issue.message}`);
  const more = result.error.issues.length > 10 ? `\n  … and ${result.error.issues.length - 10} more` : '';
  throw new ContentError(`${where}: the content does not match its schema. Fix these and start again:\n${problems.join('\n')}${more}`);
}

/** "entries[3] (id: wandering) → forms.wanders" — names the entry by its id where it has one. */
function describePath(raw: unknown, path: PropertyKey[], listKey: string): string {
  if (path[0] === listKey && typeof path[1] === 'number' && isRecord(raw)) {
    const entry = (raw[listKey] as unknown[] | undefined)?.[path[1]];
    const id = isRecord(entry) && typeof entry.id === 'string' ? ` (id: ${entry.id})` : '';
    const field = path.slice(2).map(String).join('.');
    return `${listKey}[${path[1]}]${id}${field ? ` → field ${field}` : ''}`;
  }
  return path.length ? `field ${path.map(String).join('.')}` : 'the file';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
