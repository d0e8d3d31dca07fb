// Rewords deficit phrasing phrase by phrase, so the result is English and says what the
// practitioner said. The language check finds the words and the content offers a replacement; this
// module decides whether that replacement fits where the words stand — after "is", before a noun,
// after "describe her as" — and makes it agree (tense, intensifiers, "a"/"an"). Where nothing fits,
// or the words are someone else's, it keeps the practitioner's words and says why: a coach that
// invents a rewording puts words in someone's mouth.
import nlp from 'compromise';
import { fixArticle, matchCase, type Finding } from './language.ts';

export type KeptReason = 'reported' | 'own-words' | 'no-fit';

export interface PhraseRewrite {
  finding: Finding;
  /** The words that take the phrase's place, or null where the practitioner's words are kept. */
  replacement: string | null;
  /** Why the words were kept, and what the practitioner could do instead. */
  kept?: { reason: KeptReason; advice: string };
  /** Where the words replaced begin, when words before the phrase move into the replacement. */
  from?: number;
}

export interface Rewrite {
  /** The reworded text; null when nothing was reworded or a phrase has no safe rewording. */
  reframed: string | null;
  /** For people to read: the safe rewordings in place, a phrase with none kept and marked [[like this]]. */
  shown: string;
  phrases: PhraseRewrite[];
}

/** How a kept phrase is marked in `shown`: the practitioner's own words, to put their own way. */
export const markKept = (words: string) => `[[${words}]]`;
export const KEPT_MARKER_NOTE = '[[…]]: no safe rewording; put these words your own way.';

/**
 * One line on a phrase: what to say instead and why, or, where the words were kept, why and what
 * to do; `why` shortens the reason where space is short.
 */
export function describePhrase(p: PhraseRewrite, why: (text: string) => string = (t) => t, withCategory = false): string {
  const f = p.finding;
  const quoted = `"${f.text}"${withCategory ? ` (${f.category})` : ''}`;
  const preference = f.preference ? ` (${f.preference})` : '';
  if (p.replacement === '') return `${quoted} → left out, as the sentence already gives the age. ${why(f.why)}${preference}`;
  if (!p.kept) return `${quoted} → "${p.replacement}". ${why(f.why)}${preference}`;
  // Someone else's words get no substitute: only a phrase the coach could not fit gets alternatives.
  const others = f.alternatives.length && p.kept.reason === 'no-fit' ? ` Words that may fit: ${f.alternatives.map((a) => `"${a}"`).join(', ')}.` : '';
  return `${quoted}: ${p.kept.advice}${others} ${why(f.why)}${preference}`;
}

interface Term {
  text: string;
  norm: string;
  tags: Set<string>;
  start: number;
  end: number;
  /** Punctuation after the word. */
  post: string;
  sentence: number;
}

type Role = 'adjective' | 'verb' | 'noun' | 'preposition';
type Kind = 'be' | 'gerund' | 'verb' | 'adjective' | 'preposition' | 'noun';

const INTENSIFIERS = new Set(['very', 'quite', 'so', 'extremely', 'really', 'rather', 'incredibly', 'increasingly', 'highly', 'somewhat', 'too', 'particularly', 'deeply', 'totally', 'completely', 'utterly', 'fairly', 'pretty', 'bit', 'more', 'most']);
const BE = new Set(['is', 'was', 'are', 'were', 'be', 'been', 'am', "'s", "'re", "'m"]);
/** Linking verbs after which an adjective fits, and a phrase fits once "to be" is added. */
const SEEM = new Set(['seems', 'seemed', 'seem', 'appears', 'appeared', 'appear']);
const OTHER_LINKING = new Set(['looks', 'looked', 'sounds', 'sounded', 'became', 'becomes', 'become', 'remains', 'remained', 'gets', 'got', 'feels', 'felt', 'grew', 'grows']);
const HAVE = new Set(['has', 'have', 'had', "'ve", "'d"]);
/** Verbs that report what someone said or thinks of a person. */
const REPORTING = new Set([
  'say', 'says', 'said', 'report', 'reports', 'reported', 'describe', 'describes', 'described', 'tell', 'tells', 'told',
  'feel', 'feels', 'felt', 'think', 'thinks', 'thought', 'believe', 'believes', 'believed', 'call', 'calls', 'called',
  'claim', 'claims', 'claimed', 'complain', 'complains', 'complained', 'mention', 'mentions', 'mentioned', 'state',
  'states', 'stated', 'consider', 'considers', 'considered', 'find', 'finds', 'label', 'labels', 'labelled', 'see', 'sees',
  'according', 'worry', 'worries', 'worried', 'insist', 'insists', 'insisted',
]);
const REFLEXIVE = new Set(['himself', 'herself', 'themselves', 'themself', 'myself']);
const PRACTITIONER = new Set(['i', 'we']);
const PERSON = new Set(['she', 'he']);
const CLAUSE_BREAK = /[;:]|,\s*$/;

/** Rewords each finding in `text` where a replacement fits; keeps and marks the rest. */
export function rewrite(text: string, findings: readonly Finding[]): Rewrite {
  if (findings.length === 0) return { reframed: null, shown: text, phrases: [] };
  const phrases = rewordSentences(text, findings);
  let shown = '';
  let at = 0;
  for (const p of phrases) {
    if (p.replacement === null) {
      shown += text.slice(at, p.finding.start) + (p.kept?.reason === 'own-words' ? p.finding.text : markKept(p.finding.text));
      at = p.finding.end;
      continue;
    }
    const cut = Math.max(at, p.from ?? p.finding.replaceStart);
    let before = text.slice(at, cut);
    const original = text.slice(cut, p.finding.end);
    if (p.replacement === '') before = before.replace(/\s+$/, '');
    shown += fixArticle(before, p.replacement) + matchCase(original, p.replacement);
    at = p.finding.end;
  }
  shown += text.slice(at);
  // A replacement that ends on a comma meets the text's own comma once, not twice.
  shown = shown.replace(/ {2,}/g, ' ').replace(/,(\s*,)+/g, ',');
  const reworded = phrases.some((p) => p.replacement !== null);
  const needsYou = phrases.some((p) => p.replacement === null && p.kept?.reason !== 'own-words');
  return { reframed: reworded && !needsYou ? shown : null, shown, phrases };
}

/** Past this, a sentence is not tagged for grammar: its phrases keep the practitioner's words. */
const LONGEST_SENTENCE = 600;

/**
 * Each finding reworded within its own sentence: only the sentences that hold a finding are tagged,
 * and a sentence repeated word for word (a template line, a pasted note) is worked out once.
 */
function rewordSentences(text: string, findings: readonly Finding[]): PhraseRewrite[] {
  const out: PhraseRewrite[] = [];
  const done = new Map<string, Omit<PhraseRewrite, 'finding'>[]>();
  for (const group of sentenceGroups(text, findings)) {
    const piece = text.slice(group.from, group.to);
    const local = group.findings.map((f) => ({ ...f, start: f.start - group.from, end: f.end - group.from, replaceStart: f.replaceStart - group.from }));
    const key = `${piece}\u0000${local.map((f) => `${f.start},${f.end},${f.replaceStart},${f.entry},${f.suggestion}`).join(';')}`;
    let results = done.get(key);
    if (!results) {
      results = rewordGroup(piece, local).map(({ finding: _finding, ...rest }) => rest);
      done.set(key, results);
    }
    results.forEach((r, i) => out.push({ ...r, finding: group.findings[i]!, ...(r.from !== undefined ? { from: r.from + group.from } : {}) }));
  }
  return out;
}

function rewordGroup(piece: string, findings: Finding[]): PhraseRewrite[] {
  if (piece.length > LONGEST_SENTENCE) {
    return findings.map((finding) => ({
      finding,
      replacement: null,
      kept: { reason: 'no-fit' as const, advice: `The sentence is too long to reword "${finding.text}" safely; put it your own way, or split the sentence and check it again.` },
    }));
  }
  const terms = tagged(piece);
  return findings.map((f) => {
    const p = rewordPhrase(piece, terms, f);
    return p.replacement === null ? p : { ...p, from: replaceFrom(piece, terms, p) };
  });
}

/** The findings grouped by the sentence (or run of sentences) that holds them, in order. */
function sentenceGroups(text: string, findings: readonly Finding[]): { from: number; to: number; findings: Finding[] }[] {
  const groups: { from: number; to: number; findings: Finding[] }[] = [];
  for (const f of findings) {
    const from = sentenceStart(text, f.replaceStart);
    const to = Math.max(sentenceEnd(text, f.end), f.end);
    const last = groups[groups.length - 1];
    if (last && from < last.to) {
      last.to = Math.max(last.to, to);
      last.findings.push(f);
    } else groups.push({ from, to, findings: [f] });
  }
  return groups;
}

/** Intensifiers that belonged to the old word go with it when the new words are not one adjective. */
function replaceFrom(text: string, terms: Term[], p: PhraseRewrite): number {
  const f = p.finding;
  if (p.from !== undefined) return p.from;
  if (f.replaceStart < f.start || !p.replacement) return f.replaceStart;
  const keepsIntensifier = /^\S+$/.test(p.replacement) && kindOf(p.replacement, 'adjective') === 'adjective';
  if (keepsIntensifier) return f.replaceStart;
  let from = f.replaceStart;
  const before = termsBefore(terms, f.replaceStart);
  for (let k = before.length - 1; k >= 0 && INTENSIFIERS.has(before[k]!.norm) && before[k]!.end <= from; k--) {
    from = before[k]!.start;
    // "a bit needy": the "a" goes with its "bit".
    if (before[k]!.norm === 'bit' && before[k - 1]?.norm === 'a') from = before[--k]!.start;
  }
  return from;
}

function rewordPhrase(text: string, terms: Term[], f: Finding): PhraseRewrite {
  const speech = whoseWords(terms, f);
  if (speech) return { finding: f, replacement: null, kept: speech };
  const fitted = fit(text, terms, f);
  if (fitted === null) {
    return {
      finding: f,
      replacement: null,
      kept: {
        reason: 'no-fit',
        advice: `No rewording of "${f.text}" reads right here; put it your own way${f.alternatives.length ? `, for example with "${f.alternatives[0]}"` : ''}.`,
      },
    };
  }
  return { finding: f, replacement: fitted.text, ...(fitted.from !== undefined ? { from: fitted.from } : {}) };
}

/**
 * Reported speech ("her son says she is…", "neighbours describe her as…") is someone else's view:
 * the coach does not change what they said. The person's words about themselves are theirs.
 */
function whoseWords(terms: Term[], f: Finding): PhraseRewrite['kept'] | undefined {
  const before = termsBefore(terms, f.replaceStart);
  for (let k = before.length - 1; k >= 0; k--) {
    const t = before[k]!;
    if (k < before.length - 1 && CLAUSE_BREAK.test(t.post)) return undefined;
    if (!REPORTING.has(t.norm)) continue;
    const next = before.slice(k + 1, k + 3).map((n) => n.norm);
    if (next.some((n) => REFLEXIVE.has(n))) return ownWords();
    const subject = subjectOf(before, k);
    const passive = k > 0 && BE.has(before[k - 1]!.norm);
    if (!passive && subject.length && PRACTITIONER.has(subject[subject.length - 1]!.norm)) return undefined;
    if (!passive && subject.length && isThePerson(subject)) {
      // "She says she is…", "Mrs K told me she is…": her view of herself.
      const spoken = before.slice(k + 1).map((n) => n.norm);
      if (spoken.some((n) => PERSON.has(n) || n === 'i')) return ownWords();
    }
    const who = passive || subject.length === 0 ? 'whoever said it' : subject.map((s) => s.text).join(' ').replace(/^(?!Mrs?\b|Ms\b|Miss\b|Dr\b)\w/, (c) => c.toLowerCase());
    return {
      reason: 'reported',
      advice: `These are someone else's words: record what ${who} actually saw or heard (what happened, when), or quote them, rather than a label.`,
    };
  }
  return undefined;
}

function ownWords(): NonNullable<PhraseRewrite['kept']> {
  return { reason: 'own-words', advice: "These are the person's own words about themselves: keep them, and record them as theirs." };
}

/** The words before a reporting verb that name who is speaking ("her son", "neighbours"). */
function subjectOf(before: Term[], verb: number): Term[] {
  const out: Term[] = [];
  for (let k = verb - 1; k >= 0 && out.length < 4; k--) {
    const t = before[k]!;
    if (CLAUSE_BREAK.test(t.post) || t.tags.has('Conjunction') || t.tags.has('Preposition') || t.tags.has('Adverb')) break;
    // "I would describe": the modal is not who speaks.
    if (t.tags.has('Modal') || t.tags.has('Auxiliary')) continue;
    out.unshift(t);
  }
  return out;
}

function isThePerson(subject: Term[]): boolean {
  const last = subject[subject.length - 1]!;
  if (PERSON.has(last.norm)) return true;
  return /^(mrs?|ms|miss)\.?$/i.test(subject[0]!.norm) && subject.length <= 2;
}

/** The replacement, made to fit where the words stand; '' to drop them; null when nothing fits. */
function fit(text: string, terms: Term[], f: Finding): { text: string; from?: number } | null {
  const r = f.suggestion;
  const before = termsBefore(terms, f.start);
  const after = terms.find((t) => t.start >= f.end && t.text !== '');
  // "person living with" needs its object: "a dementia sufferer" → "a person living with dementia".
  const lastWord = terms.filter((t) => t.end <= f.end && t.text !== '').pop();
  const objectFollows = !!after && !lastWord?.post.trim() && !after.tags.has('Pronoun') && /Noun|Determiner|Adjective|Possessive/.test([...after.tags].join());
  if (/\b(?:with|of|from|about)$/i.test(r) && !objectFollows) {
    const modifier = modifierBefore(before);
    if (!modifier.length) return null;
    const moved = modifier.map((m) => m.text).join(' ');
    const lowered = /^(?:[A-Z]{2,}|[A-Z][a-z]+(?:'s)?)$/.test(modifier[0]!.text) && modifier[0]!.tags.has('ProperNoun') ? moved : moved.charAt(0).toLowerCase() + moved.slice(1);
    return { text: `${r} ${lowered}`, from: modifier[0]!.start };
  }
  const word = fitInPlace(text, terms, f, before, after);
  return word === null ? null : { text: word };
}

const isVerb = memo((word: string) => nlp(word).has('#Verb'));

/** "not following" can take "medication" after it; "going out walking" and "sees differently" cannot. */
function takesObject(replacement: string): boolean {
  const ts = tagsAlone(replacement);
  const verbs = ts.filter((t) => t.tags.includes('Verb'));
  return verbs.length === 1 && ts[ts.length - 1]!.tags.includes('Verb');
}

/** The nouns and adjectives right before a noun that modify it ("chronic pain" sufferer). */
function modifierBefore(before: Term[]): Term[] {
  const out: Term[] = [];
  for (let k = before.length - 1; k >= 0; k--) {
    const t = before[k]!;
    if (t.post.trim() || t.tags.has('Determiner') || t.tags.has('Pronoun') || t.tags.has('Verb') || t.tags.has('Possessive')) break;
    if (!t.tags.has('Noun') && !t.tags.has('Adjective')) break;
    out.unshift(t);
  }
  return out;
}

function fitInPlace(text: string, terms: Term[], f: Finding, before: Term[], after: Term | undefined): string | null {
  const words = terms.filter((t) => t.start >= f.start && t.end <= f.end && t.text !== '');
  const hasLead = f.replaceStart < f.start;
  const r = f.suggestion;
  const prevNorm = governingWord(before);
  const role = roleOf(words, f, prevNorm, before);
  // The tagger reads the replacement where it would stand, and on its own: in a short note
  // ("Mr B walks with purpose") either can misread, so a fit by either reading counts.
  // The reading on its own is a look-up; the one in place is only done when that does not fit.
  const alone = kindOf(r, role);
  const fitted = fitAs(alone);
  if (fitted !== null) return fitted;
  const inPlace = kindInPlace(text, terms, f, role);
  return inPlace === alone ? null : fitAs(inPlace);

  function fitAs(kind: Kind): string | null {
    // The tagger can misread a verb after a name ("Mrs A refuses"): the word on its own decides.
    const misread = role === 'noun' && kind === 'verb' && /s$/.test(f.text) && words.length === 1 && isVerb(f.text);
    return fitRole(misread ? 'verb' : role, kind);
  }

  function fitRole(role: Role, kind: Kind): string | null {
  // "lacks insight into his condition" → "sees differently his condition": the object has nowhere to go.
  // "wandering off the ward" → "going out walking the ward": the same for any object left stranded.
  const endsInParticle = /^(?:off|into|in|on|to|with|of|from|about|at|out)$/i.test(words[words.length - 1]!.norm);
  const objectNext = !!after && !words[words.length - 1]!.post.trim() && /Noun|Determiner|Possessive|Pronoun/.test([...after.tags].join());
  if (endsInParticle && objectNext && !/\b(?:off|into|in|on|to|with|of|from|about|at|for|by)$/i.test(r) && !takesObject(r)) return null;
  // One -ing phrase for another reads in any slot ("stop him wandering off" → "going out walking").
  if (/ing$/.test(words[0]!.text) && kind === 'gerund' && !BE.has(prevNorm)) return r;
  const lead = terms.find((t) => t.start >= f.replaceStart && t.end <= f.end && t.text !== '');
  // Words that carry their own "is" ("[is] wheelchair bound", "is still driving") are a whole
  // predicate: a verb in the replacement takes the tense and number of that "is".
  if (hasLead || (lead && BE.has(lead.norm))) {
    if (kind === 'verb' || kind === 'be') return conjugateLike(r, lead!, '');
    return kind === 'gerund' || kind === 'noun' ? `${lead!.text.toLowerCase()} ${r}` : null;
  }

  if (role === 'adjective' && /^older\b/.test(r) && agedAlready(before)) return '';
  switch (role) {
    case 'adjective': {
      const attributive = !!after && after.tags.has('Noun') && !after.tags.has('Pronoun') && !BE.has(prevNorm) && !words[words.length - 1]!.post.trim();
      // Before a noun only a single word fits ("a vulnerable adult" cannot become "a taking risks adult").
      if (attributive) return kind === 'adjective' && !/\s/.test(r) ? r : null;
      if (BE.has(prevNorm)) {
        if (kind === 'verb') return null;
        if (kind === 'be') return stripCopula(r);
        return prevNorm === 'being' && kind === 'gerund' ? null : r;
      }
      if (SEEM.has(prevNorm)) return kind === 'adjective' ? r : kind === 'be' ? `to ${baseOfBe(r)}` : kind === 'verb' ? null : `to be ${r}`;
      if (OTHER_LINKING.has(prevNorm)) return kind === 'adjective' ? r : null;
      if (prevNorm === 'as') return kind === 'verb' || kind === 'be' ? null : r;
      return kind === 'adjective' ? r : null;
    }
    case 'verb': {
      // A verb after "and" agrees with its own form, not with an "is" earlier ("is calm and refuses").
      const afterAnd = ['and', 'or', 'but'].includes(before.filter((t) => !t.tags.has('Adverb')).pop()?.norm ?? '');
      if (kind === 'verb' || kind === 'gerund' || kind === 'be') return conjugateLike(r, words[0]!, afterAnd ? '' : prevNorm);
      const gerundAfterBe = words[0]!.tags.has('Gerund') && BE.has(prevNorm);
      return gerundAfterBe && kind !== 'noun' ? r : null;
    }
    case 'preposition':
      if (kind === 'preposition') return r;
      return BE.has(prevNorm) && (kind === 'noun' || kind === 'adjective' || kind === 'gerund') ? r : null;
    case 'noun':
      // "Streetwise girl": one word before a noun modifies it; only one word can take its place.
      if (after && after.tags.has('Noun') && !after.tags.has('Pronoun') && words.length === 1 && !words[0]!.post.trim() && /\s/.test(r)) return null;
      // "the elderly lady": the words were an adjective before a noun after all.
      if (after && after.tags.has('Noun') && !after.tags.has('Pronoun') && !words[words.length - 1]!.post.trim() && words[words.length - 1]!.tags.has('Adjective')) {
        return kind === 'adjective' ? r : null;
      }
      if (kind === 'noun') return r;
      if (BE.has(prevNorm) || prevNorm === 'as') return kind === 'verb' || kind === 'be' ? null : r;
      // A noun phrase on its own, as a heading or after a comma, takes another noun phrase only.
      return null;
  }
  }
}

/** The word the phrase depends on, over intensifiers and back across "and" ("is calm and [refusing]"). */
function governingWord(before: Term[]): string {
  const norm = (t: Term | undefined) => (t?.tags.has('Copula') && t.text === '' ? 'is' : (t?.norm ?? ''));
  let p = before.length - 1;
  const skippable = (t: Term) => INTENSIFIERS.has(t.norm) || (t.tags.has('Adverb') && !t.tags.has('Negative')) || (t.norm === 'a' && before[p + 1]?.norm === 'bit');
  while (p >= 0 && skippable(before[p]!)) p--;
  if (!['and', 'or', 'but'].includes(norm(before[p]))) return norm(before[p]);
  // The conjunct before "and" stood in some slot: find the word that governs both.
  for (let k = p - 1; k >= 0 && k >= p - 6; k--) {
    const n = norm(before[k]);
    if (CLAUSE_BREAK.test(before[k]!.post)) break;
    if (BE.has(n) || SEEM.has(n) || OTHER_LINKING.has(n) || n === 'as') return n;
    if (before[k]!.tags.has('Verb') && !before[k]!.tags.has('Copula')) break;
  }
  return norm(before[p]);
}

/** The grammatical role of the words found, read from their tags in the sentence. */
function roleOf(words: Term[], f: Finding, prevNorm: string, before: Term[]): Role {
  const first = words[0];
  if (!first) return 'noun';
  if (first.tags.has('Preposition')) return 'preposition';
  if (first.tags.has('Determiner') || first.tags.has('Possessive')) return 'noun';
  const last = words[words.length - 1]!;
  // "frequent flyer", "challenging behaviour": a phrase that ends in a noun is a noun phrase.
  if (words.length > 1 && last.tags.has('Noun') && !last.tags.has('Adjective') && !last.tags.has('Pronoun') && !first.tags.has('Verb')) return 'noun';
  const head = words.find((w) => !w.tags.has('Adverb') && !w.tags.has('Negative') && !w.tags.has('Copula')) ?? first;
  if (head.tags.has('Adjective')) return 'adjective';
  // After "is" or "seems" only a participle can be a verb; anything else there is an adjective ("needy").
  // Across "and" a finite verb starts a new predicate ("is calm and refuses"), so only a word
  // right after the linking verb is read this way.
  const direct = before.filter((t) => !INTENSIFIERS.has(t.norm) && !t.tags.has('Adverb')).pop();
  const afterAnd = !!direct && ['and', 'or', 'but'].includes(direct.norm);
  const linked = !afterAnd && (BE.has(prevNorm) || SEEM.has(prevNorm) || OTHER_LINKING.has(prevNorm) || prevNorm === 'become' || prevNorm === 'be');
  if (linked && head.tags.has('Verb') && !head.tags.has('Gerund') && !head.tags.has('PastTense')) return 'adjective';
  if (head.tags.has('Verb') && !head.tags.has('Copula')) {
    // A participle standing as an adjective ("she is housebound", "he is demented") is an adjective.
    return words.length === 1 && /ed$/.test(f.text) && head.tags.has('Adjective') ? 'adjective' : 'verb';
  }
  return 'noun';
}

/** What kind of phrase the replacement is, read from its tags where it would stand. */
function kindInPlace(text: string, terms: Term[], f: Finding, role: Role): Kind {
  // Only the sentence around the phrase is tagged again: a long note costs no more than a short one.
  const sentence = terms.filter((t) => t.sentence === terms.find((u) => u.end > f.start)?.sentence);
  const start = Math.min(sentence[0]?.start ?? 0, f.replaceStart);
  const end = Math.max(sentence[sentence.length - 1]?.end ?? text.length, f.end);
  const from = f.replaceStart - start;
  const candidate = text.slice(start, f.replaceStart) + f.suggestion + text.slice(f.end, end);
  const ts = tagged(candidate)
    .filter((t) => t.start >= from && t.end <= from + f.suggestion.length && t.text !== '')
    .map((t) => ({ text: t.text, tags: [...t.tags] }));
  return kindOfTerms(ts, role);
}

const tagsAlone = memo((words: string) => tagged(words).filter((t) => t.text !== '').map((t) => ({ text: t.text, tags: [...t.tags] })));

/** What kind of phrase the replacement is, read from its own words. */
function kindOf(replacement: string, role: Role): Kind {
  return kindOfTerms(tagsAlone(replacement), role);
}

function kindOfTerms(ts: { text: string; tags: string[] }[], role: Role): Kind {
  if (!ts.length) return 'noun';
  let i = 0;
  while (i < ts.length - 1 && (ts[i]!.tags.includes('Negative') || /^(yet|still|often|mostly)$/i.test(ts[i]!.text))) i++;
  const first = ts[i]!;
  const tags = new Set(first.tags);
  const single = ts.length === 1;
  const last = new Set(ts[ts.length - 1]!.tags);
  if (tags.has('Copula')) return 'be';
  if (tags.has('Gerund') || (/ing$/.test(first.text) && tags.has('Verb'))) return 'gerund';
  if (role === 'verb' && /ing$/.test(first.text) && i === 0 && !single) return 'gerund';
  if (!single && last.has('Noun') && !last.has('Pronoun') && (tags.has('Adjective') || tags.has('Noun') || tags.has('Determiner')) && !tags.has('Verb')) return 'noun';
  // One participle in an adjective's slot is an adjective ("committed", "disabled").
  if (single && role === 'adjective' && /ed$/.test(first.text)) return 'adjective';
  if (tags.has('Adjective') || tags.has('Comparative')) return 'adjective';
  if (tags.has('Verb') && !tags.has('Modal')) return 'verb';
  if (tags.has('Preposition')) return 'preposition';
  if (/^(not|yet|in|on)$/i.test(first.text) && ts.length > 1) return 'adjective';
  return 'noun';
}

/** "decline" after "refused" becomes "declined"; after "has refused", the participle. */
function conjugateLike(replacement: string, original: Term, prevNorm: string): string {
  const words = replacement.split(' ');
  const vi = words.findIndex((w) => !/^(not|yet|still)$/i.test(w));
  if (vi < 0) return replacement;
  const forms = conjugations(words[vi]!);
  if (!forms) return replacement;
  const t = original.tags;
  // "has been confined to" → "has been using": after "be", a participle takes the -ing form.
  if (BE.has(prevNorm) || prevNorm === 'being') return words[vi]!.endsWith('ing') ? replacement : replacement.replace(words[vi]!, forms.Gerund ?? words[vi]!);
  let want: string | undefined;
  if (t.has('Gerund')) want = forms.Gerund;
  else if (original.norm === 'been') want = forms.Participle ?? conjugations(forms.Infinitive ?? '')?.Participle ?? forms.PastTense;
  else if (t.has('PastTense')) want = HAVE.has(prevNorm) ? (forms.Participle ?? conjugations(forms.Infinitive ?? '')?.Participle ?? participleOf(forms)) : forms.PastTense;
  else if (t.has('PresentTense') && /s$/i.test(original.text) && !t.has('Infinitive')) want = forms.PresentTense;
  else if (t.has('Infinitive') || t.has('PresentTense')) want = forms.Infinitive === 'be' ? 'are' : forms.Infinitive;
  if (!want) return replacement;
  if (want === 'was' && /^(were|are)$/i.test(original.text)) want = 'were';
  words[vi] = want;
  return words.join(' ');
}

const conjugations = memo((verb: string) => nlp(verb).verbs().conjugate()[0] as Record<string, string> | undefined);

/** A participle the conjugation left out: "became" → "become" (its infinitive), a regular "-ed" as it is. */
function participleOf(forms: Record<string, string>): string | undefined {
  const past = forms.PastTense;
  if (past && /ed$/.test(past)) return past;
  return forms.Infinitive ?? past;
}

/** "is taking a risk" where "is" is already there: "taking a risk". */
function stripCopula(replacement: string): string {
  return replacement.replace(/^(?:is|are|was|were|be)\s+/i, '');
}

function baseOfBe(replacement: string): string {
  return replacement.replace(/^(?:is|are|was|were)\b/i, 'be');
}

/** "an 84 year old elderly lady": an age already says what "older" would. */
function agedAlready(before: Term[]): boolean {
  const near = before.slice(-4).map((t) => t.norm).join(' ');
  return /\b\d+\s*(?:-?\s*years?\s*-?\s*old|year-old)\b|\baged \d+/.test(near) || /\d+-year-old$/.test(near);
}

function termsBefore(terms: Term[], at: number): Term[] {
  const sentence = terms.find((t) => t.start >= at)?.sentence ?? terms[terms.length - 1]?.sentence;
  return terms.filter((t) => t.end <= at && t.sentence === sentence && !(t.text === '' && !t.tags.has('Copula')));
}

/**
 * Where the sentence holding `at` begins: after the last full stop, question mark or line break
 * before it. Looks back no further than a sentence worth tagging, so a text with no full stops
 * costs the same per finding as any other.
 */
function sentenceStart(text: string, at: number): number {
  const limit = Math.max(0, at - LONGEST_SENTENCE - 1);
  for (let k = at - 1; k >= limit; k--) {
    const c = text[k];
    if (c === '\n' || ((c === '.' || c === '!' || c === '?' || c === ';') && (text[k + 1] === ' ' || text[k + 1] === '\t'))) return k + 1;
  }
  return limit;
}

function sentenceEnd(text: string, at: number): number {
  const limit = Math.min(text.length, at + LONGEST_SENTENCE + 1);
  for (let k = at; k < limit; k++) {
    const c = text[k];
    if (c === '\n') return k;
    if ((c === '.' || c === '!' || c === '?' || c === ';') && (k + 1 === text.length || /\s/.test(text[k + 1]!))) return k + 1;
  }
  return limit;
}

/** The text's words with their part-of-speech tags (compromise), and where each stands. */
function tagged(text: string): Term[] {
  const out: Term[] = [];
  const doc = nlp(text);
  doc.compute('offset');
  const sentences = doc.docs as unknown as { text: string; normal: string; implicit?: string; post: string; tags: Set<string>; offset: { start: number; length: number } }[][];
  sentences.forEach((s, sentence) => {
    for (const t of s) {
      const norm = t.text === '' && t.implicit ? `'${t.implicit === 'is' ? 's' : t.implicit}` : t.normal.replace(/’/g, "'");
      out.push({ text: t.text, norm, tags: t.tags, start: t.offset.start, end: t.offset.start + t.offset.length, post: t.post, sentence });
    }
  });
  return out;
}

/** Pure look-ups on the content's replacement words, done once per word. */
function memo<T>(fn: (key: string) => T): (key: string) => T {
  const seen = new Map<string, T>();
  return (key) => {
    if (!seen.has(key)) seen.set(key, fn(key));
    return seen.get(key)!;
  };
}
