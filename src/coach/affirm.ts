// Drafts affirmations from what a practitioner heard: "she has cared for her husband for ten years
// without paid carers" → "For ten years, you've cared for your husband without paid carers, even
// when it was hard." Second person, grounded in the words given, never praise (002).
import type { AffirmationKind, affirmationsFile } from '../content/schemas.ts';
import type { z } from 'zod';

type AffirmationsContent = z.infer<typeof affirmationsFile>;

export interface Affirmation {
  kind: AffirmationKind;
  text: string;
}

/** The parts of what was heard that templates fill. */
export interface Heard {
  you_did: string;
  doing: string;
  duration?: string;
  despite?: string;
}

const REPORTING = /^(?:(?:i|we)\s+(?:heard|expect(?:ed)?\s+to\s+hear|learnt|learned|noticed|was\s+told)|(?:she|he|they|mr\s+\w+|mrs\s+\w+|ms\s+\w+|miss\s+\w+|[A-Z]\w*)\s+(?:told\s+(?:me|us)|said|says|mentioned|explained|described\s+how))\s+(?:that\s+)?/i;
const DURATION = /\b(?:for\s+(?:the\s+(?:last|past)\s+)?(?:over\s+|almost\s+|nearly\s+|more\s+than\s+|about\s+)?(?:\w+|\d+)\s+(?:years?|months?|weeks?|decades?)|since\s+(?:[\w']+\s+){0,3}?[\w']+(?=\s*(?:,|$|\bwithout\b|\bdespite\b|\beven\b|\balthough\b|\bthough\b))|over\s+the\s+(?:last|past)\s+(?:\w+\s+)?(?:years?|months?|weeks?|decades?)|all\s+(?:her|his|their|my|your)\s+life|every\s+(?:single\s+)?(?:day|week|morning|evening|night))/i;
const DESPITE = /\b(?:without\s+(?:any\s+)?[\w' -]+?|despite\s+[\w' -]+?|even\s+though\s+[\w' -]+?|although\s+[\w' -]+?|though\s+[\w' -]+?|through\s+[\w' -]+?)(?=\s*(?:,|\.|$|\bfor\b|\bsince\b))/i;

const SUBJECT = /^(?:[Ss]he|[Hh]e|[Tt]hey|I|[Yy]ou|[Ww]e|(?:[Mm]rs?|[Mm]s|[Mm]iss|[Dd]r)\.?\s+[A-Z][\w-]*|[A-Z]\.?|[A-Z][a-z]+)(?=\s|')\s*/;
const CONTRACTED: Record<string, string> = { "'s": "'ve", "'ve": "'ve", "'m": "'re", "'re": "'re", "'d": "'d", "'ll": "'ll" };
const FIRST_VERB: Record<string, string> = {
  has: 'have', is: 'are', was: 'were', am: 'are', does: 'do', goes: 'go', "hasn't": "haven't", "isn't": "aren't",
  "wasn't": "weren't", "doesn't": "don't",
};
const PRONOUNS: Record<string, string> = {
  her: 'your', his: 'your', their: 'your', my: 'your', herself: 'yourself', himself: 'yourself', themselves: 'yourself',
  myself: 'yourself', she: 'you', he: 'you', i: 'you', me: 'you', mine: 'yours', hers: 'yours', theirs: 'yours',
};
const IRREGULAR_ING: Record<string, string> = {
  been: 'being', gone: 'going', went: 'going', kept: 'keeping', given: 'giving', gave: 'giving', got: 'getting',
  brought: 'bringing', taught: 'teaching', done: 'doing', did: 'doing', made: 'making', run: 'running', ran: 'running',
  put: 'putting', stood: 'standing', held: 'holding', fought: 'fighting', found: 'finding', built: 'building',
  taken: 'taking', took: 'taking', left: 'leaving', learnt: 'learning', raised: 'raising',
  sat: 'sitting', met: 'meeting', won: 'winning', lost: 'losing', paid: 'paying', told: 'telling', said: 'saying',
  thought: 'thinking', sought: 'seeking', spent: 'spending', lived: 'living', cared: 'caring',
  become: 'becoming', became: 'becoming', come: 'coming', came: 'coming', get: 'getting', sit: 'sitting',
  swim: 'swimming', stop: 'stopping', plan: 'planning', shop: 'shopping', have: 'having', has: 'having', had: 'having',
  are: 'being', is: 'being', was: 'being', were: 'being', see: 'seeing', agreed: 'agreeing', agree: 'agreeing',
  fed: 'feeding', led: 'leading', read: 'reading', began: 'beginning', begun: 'beginning',
  wrote: 'writing', written: 'writing', drove: 'driving', driven: 'driving', rode: 'riding',
};

/** Splits what was heard into the slots the templates use; undefined when it holds no action to affirm. */
export function parseHeard(note: string): Heard | undefined {
  let text = note.trim().replace(/[.!\s]+$/, '').replace(/\s+/g, ' ');
  text = text.replace(REPORTING, '');
  if (!text) return undefined;

  const duration = DURATION.exec(text)?.[0];
  if (duration) text = removePart(text, duration);
  const despite = DESPITE.exec(text)?.[0];
  if (despite) text = removePart(text, despite);

  const subject = SUBJECT.exec(text);
  let rest = subject ? text.slice(subject[0].length) : text;
  if (!rest) return undefined;
  const words = rest.split(' ');
  const [verb, ...others] = words;
  if (!verb) return undefined;
  const clause = [toSecondPersonVerb(verb, !!subject), ...others.map(toSecondPerson)].join(' ');
  const you_did = `you${clause.startsWith("'") ? '' : ' '}${clause}`.replace(/^you have (?=\w+ed\b|been\b|kept\b|got\b|done\b|made\b)/, "you've ");
  const doing = toGerundPhrase(clause);
  if (!doing) return undefined;
  return {
    you_did,
    doing,
    duration: duration ? toSecondPersonPhrase(duration) : undefined,
    despite: despite ? toSecondPersonPhrase(despite) : undefined,
  };
}

/** One affirmation of each kind, from the first template whose slots are all filled. */
export function draftAffirmations(note: string, content: AffirmationsContent, seed = 0): Affirmation[] {
  const heard = parseHeard(note);
  if (!heard) return [];
  const out: Affirmation[] = [];
  for (const kind of content.affirmations) {
    const usable = kind.templates.filter((t) => slotsOf(t).every((slot) => heard[slot as keyof Heard]));
    if (usable.length === 0) continue;
    // Prefer templates that use the most of what was heard, varied by the seed among equals.
    const richest = Math.max(...usable.map((t) => slotsOf(t).length));
    const best = usable.filter((t) => slotsOf(t).length === richest);
    const template = best[Math.abs(seed) % best.length]!;
    out.push({ kind: kind.id, text: fill(template, heard) });
  }
  return out;
}

/** Praise centres the speaker's approval ("I'm proud of you"); affirmations centre the person. */
export function findPraise(text: string, content: AffirmationsContent): string[] {
  const lower = ` ${text.toLowerCase().replace(/’/g, "'").replace(/[^a-z0-9' ]+/g, ' ')} `;
  return content.praiseMarkers.filter((m) => lower.includes(` ${m.toLowerCase()} `));
}

const SECOND_PERSON = /\b(?:you|your|yours|yourself|you're|you've|you'd|you'll)\b/i;
/** The speaker's approval ("I'm so proud", "we are impressed"): praise centres the speaker (002). */
const SPEAKER_APPROVAL = /\b(?:i|we)(?:'m|'re|\s+am|\s+are)?\s+(?:so\s+|really\s+|very\s+|truly\s+|just\s+)?(?:proud|impressed|pleased|glad|delighted|amazed)\b/i;
const VALUES = /\b(?:matters?|important|values?|care(?:s)? (?:about|for)|means? (?:a lot|so much|everything))\b/i;
const ADVERSITY = /\b(?:despite|even (?:though|when|if)|although|through|since|for (?:\w+ )?(?:years|months|decades))\b/i;

/** How a written affirmation reads: the praise in it, whether it speaks to the person, and which kind it is. */
export interface AffirmationReading {
  /** Praise markers and the speaker's approval found in it, first found first. */
  praise: string[];
  /** Said to the person, in the second person ("thank you" aside). */
  speaksToPerson: boolean;
  kind?: 'values' | 'adversity';
}

export function readAffirmation(text: string, content: AffirmationsContent): AffirmationReading {
  const approval = SPEAKER_APPROVAL.exec(text)?.[0];
  return {
    praise: [...findPraise(text, content), ...(approval ? [approval] : [])],
    speaksToPerson: SECOND_PERSON.test(text.replace(/\bthank\s+you\b/gi, '')),
    ...(VALUES.test(text) ? { kind: 'values' as const } : ADVERSITY.test(text) ? { kind: 'adversity' as const } : {}),
  };
}

function slotsOf(template: string): string[] {
  return Array.from(template.matchAll(/\{(\w+)\}/g), (m) => m[1]!);
}

function fill(template: string, heard: Heard): string {
  const filled = template
    .replace(/\{(\w+)\}/g, (_, slot: string) => heard[slot as keyof Heard] ?? '')
    .replace(/\s+([,.])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
  return filled.charAt(0).toUpperCase() + filled.slice(1);
}

function removePart(text: string, part: string): string {
  return text.replace(part, '').replace(/\s+,/g, ',').replace(/,\s*$/, '').replace(/\s{2,}/g, ' ').trim();
}

function toSecondPersonVerb(verb: string, hadSubject: boolean): string {
  const contraction = /^'(s|ve|m|re|d|ll)$/i.exec(verb);
  if (contraction) return CONTRACTED[verb.toLowerCase()] ?? verb;
  const lower = verb.toLowerCase();
  if (Object.hasOwn(FIRST_VERB, lower)) return FIRST_VERB[lower]!; // own keys only: not "constructor"
  if (hadSubject) return toBaseForm(lower);
  return lower;
}

/** "looks" → "look", "carries" → "carry", "watches" → "watch"; other forms unchanged. */
function toBaseForm(verb: string): string {
  if (/(?:ss|us|is)$/.test(verb) || !verb.endsWith('s')) return verb;
  if (/ies$/.test(verb)) return verb.slice(0, -3) + 'y';
  if (/(?:ch|sh|x|z|o)es$/.test(verb)) return verb.slice(0, -2);
  return verb.slice(0, -1);
}

function toSecondPerson(word: string): string {
  const m = /^([\w']+)(.*)$/.exec(word);
  if (!m) return word;
  const key = m[1]!.toLowerCase();
  const replaced = Object.hasOwn(PRONOUNS, key) ? PRONOUNS[key] : undefined;
  return replaced ? replaced + m[2] : word;
}

function toSecondPersonPhrase(phrase: string): string {
  return phrase.split(' ').map(toSecondPerson).join(' ');
}

/** "'ve cared for your husband" → "caring for your husband"; "look after your son" → "looking after your son". */
function toGerundPhrase(clause: string): string | undefined {
  const words = clause.replace(/^'(?:ve|re|d|ll)\s*/, '').split(' ').filter(Boolean);
  // Step over auxiliaries ("have", "are", "been", "still", "always") to the verb that carries the meaning.
  let i = 0;
  const AUXILIARIES = new Set(['have', 'are', 'were', 'been', 'had', 'do', 'did', 'will', 'would', 'still', 'always', 'never', 'really', 'also', 'often', 'now', 'just', 'even', 'usually', "'ve"]);
  while (i < words.length - 1 && AUXILIARIES.has(words[i]!.toLowerCase())) i++;
  const verb = words[i];
  if (!verb) return undefined;
  const rest = words.slice(i + 1).join(' ');
  return `${toGerund(verb.toLowerCase())}${rest ? ' ' + rest : ''}`;
}

function toGerund(verb: string): string {
  if (Object.hasOwn(IRREGULAR_ING, verb)) return IRREGULAR_ING[verb]!;
  if (verb.endsWith('ing')) return verb;
  if (verb.endsWith('ied')) return verb.slice(0, -3) + 'ying';
  if (verb.endsWith('eed')) return verb.slice(0, -1) + 'ing';
  if (verb.endsWith('ed')) return verb.slice(0, -2) + 'ing';
  if (verb.endsWith('ie')) return verb.slice(0, -2) + 'ying';
  if (/[^aeiouy]e$/.test(verb) || verb.endsWith('ue')) return verb.slice(0, -1) + 'ing';
  return verb + 'ing';
}
