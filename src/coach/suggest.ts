// Question ideas of a type or for an area: varied, seeded (no hidden randomness), and never the
// same set twice in a row for one conversation.
import type { Area, QuestionType, QuestionTypeId } from '../content/schemas.ts';
import { fits } from './presuppose.ts';
import { seededRandom } from './random.ts';

export interface SuggestedQuestion {
  type: QuestionTypeId;
  text: string;
  /** What the question takes for granted about the person (presuppose.ts). */
  presupposes: readonly string[];
  /** Stable id ("type#index") so a conversation can remember what it was shown. */
  id: string;
}

export interface SuggestOptions {
  /** A number that varies per conversation and turn; the same seed gives the same ideas. */
  seed: number;
  /** Ids of the ideas shown last time, which must not come back as the same set. */
  previous?: readonly string[];
  count?: number;
  /**
   * What the practitioner has said about the person (presuppose.ts knownFrom): only questions that
   * take nothing else for granted are offered. Nothing known, nothing presupposed.
   */
  known?: ReadonlySet<string>;
}

const NOTHING_KNOWN: ReadonlySet<string> = new Set();

// Pools depend only on the content and the types wanted: built once each, not on every suggestion.
const pools = new WeakMap<readonly QuestionType[], Map<string, SuggestedQuestion[]>>();

/** Open example questions of the given types, interleaved so no one type crowds out the others. */
export function questionPool(types: readonly QuestionType[], wanted: readonly QuestionTypeId[]): SuggestedQuestion[] {
  let byWanted = pools.get(types);
  if (!byWanted) pools.set(types, (byWanted = new Map()));
  const key = wanted.join(',');
  let pool = byWanted.get(key);
  if (!pool) byWanted.set(key, (pool = buildPool(types, wanted)));
  return pool;
}

function buildPool(types: readonly QuestionType[], wanted: readonly QuestionTypeId[]): SuggestedQuestion[] {
  const lists = wanted.map((id) => {
    const type = types.find((t) => t.id === id);
    return (type?.examples ?? [])
      .map((e, i) => ({ type: id, text: e.text, id: `${id}#${i}`, open: e.open, presupposes: e.presupposes ?? [] }))
      .filter((e) => e.open)
      .map(({ open: _open, ...q }) => q);
  });
  const pool: SuggestedQuestion[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) {
    for (const list of lists) if (list[i]) pool.push(list[i]!);
  }
  return pool;
}

export function suggestQuestions(all: readonly SuggestedQuestion[], options: SuggestOptions): SuggestedQuestion[] {
  const known = options.known ?? NOTHING_KNOWN;
  const pool = all.filter((q) => fits(q.presupposes, known));
  const count = Math.min(options.count ?? 3, pool.length);
  if (count === 0) return [];
  const previous = new Set(options.previous ?? []);
  const random = seededRandom(options.seed);
  // Fresh ideas first, in a seeded order; ideas just shown only fill any gap.
  const fresh = shuffle(pool.filter((q) => !previous.has(q.id)), random);
  const seen = shuffle(pool.filter((q) => previous.has(q.id)), random);
  const picked = spreadTypes([...fresh, ...seen], count);
  if (sameSet(picked, previous) && pool.length > count) {
    // Only possible when the pool is barely larger than the set: swap one in from outside it.
    const outsider = pool.find((q) => !picked.some((p) => p.id === q.id))!;
    picked[picked.length - 1] = outsider;
  }
  return picked;
}

/** Ideas for one area: its own question types, mixed. */
export function suggestForArea(types: readonly QuestionType[], area: Area, options: SuggestOptions): SuggestedQuestion[] {
  return suggestQuestions(questionPool(types, area.questionTypes.filter((t) => t !== 'problem')), options);
}

/** Ideas of one type. */
export function suggestOfType(types: readonly QuestionType[], type: QuestionTypeId, options: SuggestOptions): SuggestedQuestion[] {
  return suggestQuestions(questionPool(types, [type]), options);
}

/** Takes `count` questions, preferring a different type for each before repeating one. */
function spreadTypes(ordered: SuggestedQuestion[], count: number): SuggestedQuestion[] {
  const picked: SuggestedQuestion[] = [];
  const types = new Set<string>();
  for (const q of ordered) {
    if (picked.length < count && !types.has(q.type)) {
      picked.push(q);
      types.add(q.type);
    }
  }
  for (const q of ordered) if (picked.length < count && !picked.includes(q)) picked.push(q);
  return picked;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function sameSet(picked: SuggestedQuestion[], previous: Set<string>): boolean {
  return picked.length === previous.size && picked.every((q) => previous.has(q.id));
}
