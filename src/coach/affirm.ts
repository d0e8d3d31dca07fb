// Drafts affirmations from what a practitioner heard: "she has cared for her husband for ten years
// without paid carers" → "For ten years, you've cared for your husband without paid carers, even
// when it was hard." Second person, grounded in the words given, never praise (002).
import type { AffirmationKind, affirmationsFile } from '../content/schemas.ts';
import type { z } from 'zod';
import nlp from 'compromise';

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
const DESPITE = /\b(?:on\s+(?:my|her|his|their|your)\s+own|without\s+(?:any\s+)?[\w' -]+?|despite\s+[\w' -]+?|even\s+though\s+[\w' -]+?|although\s+[\w' -]+?|though\s+[\w' -]+?|through\s+[\w' -]+?)(?=\s*(?:,|\.|$|\bfor\b|\bsince\b))/i;

const SUBJECT = /^(?:[Ss]he|[Hh]e|[Tt]hey|I|[Yy]ou|[Ww]e|(?:[Mm]rs?|[Mm]s|[Mm]iss|[Dd]r)\.?\s+[A-Z][\w-]*|[A-Z]\.?|(?!(?:Her|His|Their|The|My|Our|An?|This|That|Your|Its)\b)[A-Z][a-z]+)(?=\s|')\s*/;
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

/** Splits what was heard into the slots the templates use; undefined when it holds no action of the person's to affirm. */
export function parseHeard(note: string): Heard | undefined {
  // One sentence, about something the person did or does: the first sentence only.
  let text = note.trim().replace(/\s+/g, ' ').split(/(?<=[.!?;])\s+/)[0]!.replace(/[.!?;\s]+$/, '');
  text = text.replace(REPORTING, '');
  if (!text) return undefined;

  const duration = DURATION.exec(text)?.[0];
  if (duration) text = removePart(text, duration);
  const despite = DESPITE.exec(text)?.[0];
  if (despite) text = removePart(text, despite);

  // Not a condition, a time clause or someone else's doing ("If a miracle happened…", "We talked…").
  if (/^(?:if|when|whenever|before|after|maybe|perhaps|although|though|because|it|we|there|this|that|referred|no|not)\b/i.test(text)) return undefined;
  const subject = SUBJECT.exec(text);
  if (subject && /^we\b/i.test(subject[0])) return undefined;
  // "Her son visits her": an action of someone else's, not the person's own.
  if (!subject && /^(?:her|his|their|the|a|an|my|our)\b/i.test(text)) return undefined;
  const rest = subject ? text.slice(subject[0].length) : text;
  if (!rest) return undefined;
  // "They visit her every week": the person is the one visited, not the one acting.
  if (subject && /^they\b/i.test(subject[0]) && /\b(?:her|him)\b/i.test(rest)) return undefined;
  // Without a subject, a note must open on a verb ("Cares for her husband"), not a noun or an adjective.
  if (!subject && !startsWithVerb(rest.split(' '))) return undefined;
  if (subject && !startsWithVerb(rest.split(' ')) && !/^'/.test(rest) && !/^(?:can|is|are|was|were|has|have|had|does|do|did|doesn't|don't|didn't)\b/i.test(rest)) return undefined;
  personWords = personOf(subject?.[0]);
  const clauses = toSecondPersonClauses(rest.split(' '));
  if (clauses.length === 0) return undefined;
  const said = clauses.map((c) => c.said).join(' ').replace(/,$/, '');
  const you_did = `you${said.startsWith("'") ? '' : ' '}${said}`.replace(/^you have (?=\w+ed\b|been\b|kept\b|got\b|done\b|made\b)/, "you've ");
  const doing = clauses.map((c) => c.doing).filter(Boolean).join(' ').replace(/,$/, '');
  if (!doing) return undefined;
  return {
    you_did,
    doing,
    duration: duration ? toSecondPersonPhrase(duration) : undefined,
    despite: despite ? toSecondPersonPhrase(despite) : undefined,
  };
}

const COORDINATORS = new Set(['and', 'but', 'or']);
const OWN_SUBJECT = '\u0000own-subject';
const ADVERBS = new Set(['still', 'always', 'never', 'really', 'also', 'often', 'now', 'just', 'even', 'usually', 'regularly', 'sometimes', 'happily', 'proudly', 'mostly', 'generally', 'normally']);

/**
 * The words after the subject, in the second person throughout: every verb whose subject is the
 * person agrees with "you" ("and still walks" → "and still walk"), and each part also as an -ing
 * phrase ("keeping your garden going and still walking to the shop"). A part with a subject of its
 * own ("her daughter says she is…") keeps its own verb, and "she" in it becomes "you" with its verb.
 */
function toSecondPersonClauses(words: string[]): { said: string; doing: string }[] {
  const parts: string[][] = [[]];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const bare = w.replace(/,$/, '');
    // A new part starts at "and"/"but" (or a comma) followed by a verb of the person's.
    // "and her daughter says…": a part with a subject of its own.
    if ((COORDINATORS.has(bare.toLowerCase()) || bare.toLowerCase() === 'so') && i > 0 && /^(?:her|his|their|the|a|an|my|our|they|it|this|that|we|i|you)$/i.test(words[i + 1] ?? '')) {
      parts.push([w, OWN_SUBJECT]);
      continue;
    }
    if ((COORDINATORS.has(bare.toLowerCase()) || w.endsWith(',')) && i > 0 && startsWithVerb(words.slice(i + 1))) {
      if (w.endsWith(',') && !COORDINATORS.has(bare.toLowerCase())) {
        parts[parts.length - 1]!.push(w);
        parts.push([]);
        continue;
      }
      parts.push([w]);
      continue;
    }
    parts[parts.length - 1]!.push(w);
  }
  return parts.map((part, k) => {
    if (part[1] === OWN_SUBJECT) {
      // Someone else's part: its pronouns change, its verbs stay theirs, and no -ing phrase is made of it.
      const body = [part[0]!, ...part.slice(2)];
      return { said: body.map((_, i) => (i === 0 ? body[0]! : secondPersonWord(body, i))).join(' '), doing: '' };
    }
    const lead = k > 0 && COORDINATORS.has(part[0]!.toLowerCase()) ? part[0]! : '';
    const body = lead ? part.slice(1) : part;
    let v = 0;
    while (v < body.length - 1 && ADVERBS.has(body[v]!.toLowerCase())) v++;
    const said = body.map((w, i) => (i === v ? toSecondPersonVerb(w, true) : i < v ? w : secondPersonWord(body, i)));
    const doing = toGerundPhrase(said.join(' '));
    return { said: [lead, ...said].filter(Boolean).join(' '), doing: [lead, doing].filter(Boolean).join(' ') };
  });
}

/** "walks to the shop", "still goes", "'s kept": a verb, maybe after an adverb. */
function startsWithVerb(words: string[]): boolean {
  let v = 0;
  while (v < words.length - 1 && ADVERBS.has(words[v]!.toLowerCase())) v++;
  const w = words[v]?.toLowerCase().replace(/[,.]$/, '');
  if (!w || /^(?:her|his|their|the|a|an|my|our|she|he|they|i|we|you|it|this|that)$/.test(w)) return false;
  return Object.hasOwn(FIRST_VERB, w) || Object.hasOwn(IRREGULAR_ING, w) || (/^[a-z]+(?:s|ed)$/.test(w) && !/(?:ss|us|is)$/.test(w));
}

/** The words that name the person in this note: "she … her", "he … him", "I … me"; a name could be either. */
let personWords: Set<string> = new Set();
function personOf(subject: string | undefined): Set<string> {
  const s = (subject ?? '').trim().toLowerCase();
  if (s === 'she') return new Set(['she', 'her', 'hers', 'herself']);
  if (s === 'he') return new Set(['he', 'him', 'his', 'himself']);
  if (s === 'i') return new Set(['i', 'me', 'my', 'mine', 'myself']);
  if (s === 'they') return new Set(['they', 'them', 'their', 'theirs', 'themselves']);
  return new Set(['she', 'her', 'hers', 'herself', 'he', 'him', 'his', 'himself']);
}

/**
 * A word of the person's note in the second person: pronouns ("her son" → "your son", "visits her"
 * → "visits you"), and a verb right after a "she" that became "you" ("says she is" → "says you are").
 */
function secondPersonWord(words: string[], i: number): string {
  const w = words[i]!;
  const m = /^([\w']+)(.*)$/.exec(w);
  if (!m) return w;
  const key = m[1]!.toLowerCase();
  // Someone else in the note keeps their pronouns: "I look after him" → "you look after him".
  if ((Object.hasOwn(PRONOUNS, key) || key === 'him' || key === 'them') && !personWords.has(key)) return w;
  const prev = words[i - 1]?.toLowerCase();
  if ((prev === 'she' || prev === 'he' || prev === 'i') && personWords.has(prev) && !/[,.]$/.test(words[i - 1]!)) return toSecondPersonVerb(w, true);
  if (key === 'her' || key === 'him' || key === 'them') {
    const next = words[i + 1]?.toLowerCase();
    const object = key !== 'her' || m[2] !== '' || !next || /^(?:every|each|a|an|the|on|at|in|to|with|and|or|but|again|twice|once|daily|weekly|often|when|if|because|for|from|about|up|out|round|over|off|back|home|there|here)$/.test(next);
    if (object) return 'you' + m[2];
  }
  return toSecondPerson(w);
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
  return phrase
    .split(' ')
    .map((w) => (personWords.has(w.toLowerCase().replace(/[^a-z']/g, '')) ? toSecondPerson(w) : w))
    .join(' ');
}

/** "'ve cared for your husband" → "caring for your husband"; "look after your son" → "looking after your son". */
function toGerundPhrase(clause: string): string | undefined {
  const words = clause.replace(/^'(?:ve|re|d|ll)\s*/, '').split(' ').filter(Boolean);
  // Step over auxiliaries ("have", "are", "been", "still", "always") to the verb that carries the meaning.
  let i = 0;
  const AUXILIARIES = new Set(['have', 'are', 'were', 'been', 'had', 'do', 'did', 'will', 'would', "'ve", ...ADVERBS]);
  if (/^'re$/.test(clause.split(' ')[0] ?? '')) words.unshift('are');
  // "are proud of" → "being proud of": a "be" before no other verb is the verb itself.
  if (/^(?:are|were|is|was)$/i.test(words[0] ?? '') && words[1] && !/ing$/.test(words[1]) && !AUXILIARIES.has(words[1].toLowerCase())) {
    return ['being', ...words.slice(1)].join(' ');
  }
  // "don't want to move" → "not wanting to move"; "can make" → "being able to make".
  const first = (words[0] ?? '').toLowerCase();
  if (/^(?:don't|doesn't|didn't)$/.test(first) && words[1]) return ['not', toGerund(words[1].toLowerCase()), ...words.slice(2)].join(' ');
  if (/^(?:do|does|did)$/.test(first) && words[1]?.toLowerCase() === 'not' && words[2]) return ['not', toGerund(words[2].toLowerCase()), ...words.slice(3)].join(' ');
  if (first === 'can' && words[1]) return ['being able to', ...words.slice(1)].join(' ');
  if (/^(?:could|would|will|should|might|may|must|won't|can't|couldn't|wouldn't)$/.test(first)) return undefined;
  // "have" before no participle is the verb itself: "have a lot of belongings" → "having a lot of belongings".
  if (/^(?:have|had)$/.test(first) && words[1] && !isParticiple(words[1])) return ['having', ...words.slice(1)].join(' ');
  while (i < words.length - 1 && AUXILIARIES.has(words[i]!.toLowerCase())) i++;
  // "do my own budgeting", "had a lot of": the last of those words was the verb after all.
  if (i > 0 && /^(?:a|an|the|my|your|his|her|their|our|some|no|any|more|most|own|this|that|these|those|to|lots|plenty)$/i.test(words[i]!)) i--;
  const verb = words[i];
  if (!verb) return undefined;
  const rest = words.slice(i + 1).join(' ');
  return `${toGerund(verb.toLowerCase())}${rest ? ' ' + rest : ''}`;
}

const gerunds = new Map<string, string | undefined>();
/** The -ing form from compromise's conjugation, where it reads the word as a verb. */
function gerundOf(verb: string): string | undefined {
  if (!gerunds.has(verb)) {
    const forms = nlp(verb).verbs().conjugate()[0] as Record<string, string> | undefined;
    const g = forms?.Gerund;
    gerunds.set(verb, g && !g.includes(' ') && /ing$/.test(g) && forms?.Infinitive !== verb + 'ing' ? g : undefined);
  }
  return gerunds.get(verb);
}

function isParticiple(word: string): boolean {
  const w = word.toLowerCase();
  return /(?:ed|en|wn|ght)$/.test(w) || ['been', 'kept', 'got', 'done', 'made', 'had', 'run', 'put', 'stood', 'held', 'found', 'built', 'left', 'learnt', 'sat', 'met', 'won', 'lost', 'paid', 'told', 'said', 'spent', 'become', 'come', 'led', 'read', 'begun', 'always', 'never', 'still', 'just', 'also'].includes(w);
}

function toGerund(verb: string): string {
  if (Object.hasOwn(IRREGULAR_ING, verb)) return IRREGULAR_ING[verb]!;
  const known = gerundOf(verb);
  if (known) return known;
  // Already an -ing form, unless the verb itself ends so ("sing", "bring").
  if (verb.endsWith('ing') && !/^(?:s|br|r|sw|cl|st|fl|wr|str|spr|k|w|d)ing$/.test(verb)) return verb;
  if (verb.endsWith('ied')) return verb.slice(0, -3) + 'ying';
  if (verb.endsWith('eed')) return verb.slice(0, -1) + 'ing';
  if (verb.endsWith('ed')) return verb.slice(0, -2) + 'ing';
  if (verb.endsWith('ie')) return verb.slice(0, -2) + 'ying';
  if (/[^aeiouy]e$/.test(verb) || verb.endsWith('ue')) return verb.slice(0, -1) + 'ing';
  return verb + 'ing';
}
