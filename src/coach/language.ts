// The language check: finds deficit phrasing in any text and drafts a strengths-based rewording.
// The vocabulary is data (prompts/language.yaml); this is a small engine over it: a word trie for
// the phrases, and context rules that read the words either side.
import type { Category, ContextRule, LanguageEntry, LanguageFile } from '../content/schemas.ts';
import { phraseWords, tokenise, type Token } from './tokens.ts';

export interface Finding {
  /** UTF-16 offsets into the text checked. */
  start: number;
  end: number;
  text: string;
  category: Category;
  /** The words that would take its place. */
  suggestion: string;
  why: string;
  /** The language entry that fired. */
  entry: string;
  alternatives: string[];
  /** Present where the person's own preference decides the words. */
  preference?: string;
  /** Where the words the suggestion replaces begin: before `start` when the form has lead-in context ("[is] wheelchair bound"). */
  replaceStart: number;
}

export interface Reframed {
  text: string;
  findings: Finding[];
}

interface Form {
  entry: LanguageEntry;
  /** The form as written in the file, for rules scoped to forms. */
  key: string;
  /** Words matched but not reported ("[is] wheelchair bound": "is"), replaced all the same. */
  lead: number;
  replacement: string;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  form?: Form;
}

/** Phrases looked up by the word at the edge that touches the term, so a rule costs a few map reads. */
interface PhraseIndex {
  byEdge: Map<string, string[][]>;
  /** Phrases whose edge word is the wildcard. */
  wild: string[][];
  size: number;
}

interface CompiledRule {
  before: PhraseIndex;
  after: PhraseIndex;
  within: number;
  forms?: Set<string>;
}

interface CompiledEntry {
  onlyWhen?: CompiledRule[];
  notWhen: CompiledRule[];
}

const WILDCARD = '*';
const MAX_FILLERS = 2;

/** What the checker reads from language.yaml; the optional parts default to empty. */
export type LanguageContent = Pick<LanguageFile, 'entries'> & Partial<Omit<LanguageFile, 'entries'>>;

export class LanguageChecker {
  private readonly root: TrieNode = { next: new Map() };
  private readonly rules = new Map<string, CompiledEntry>();
  private readonly fillers: Set<string>;
  private readonly lists: Record<string, string[][]>;
  /** Contexts that rule out any entry (the person naming themselves, statutory wording). */
  private readonly everyEntry: CompiledRule[];
  private readonly speech: { firstPerson: Set<string>; reporting: Set<string> };
  private readonly mention: { before: PhraseIndex; after: Set<string> };
  private readonly names: { nouns: Set<string>; openers: Set<string> };
  private readonly indexCache: IndexCache = new Map();

  constructor(content: LanguageContent) {
    this.fillers = new Set((content.fillers ?? []).flatMap(phraseWords));
    this.lists = Object.fromEntries(Object.entries(content.lists ?? {}).map(([name, phrases]) => [name, phrases.map(phraseWords)]));
    this.everyEntry = (content.everyEntry?.notWhen ?? []).map((r) => compileRule(r, this.lists, 'everyEntry', this.indexCache));
    this.speech = {
      firstPerson: new Set((content.ownSpeech?.firstPerson ?? []).flatMap(phraseWords)),
      reporting: new Set((content.ownSpeech?.reporting ?? []).flatMap(phraseWords)),
    };
    this.mention = {
      before: indexPhrases((content.mention?.before ?? []).map(phraseWords).filter((p) => p.length), 'last'),
      after: new Set((content.mention?.after ?? []).flatMap(phraseWords)),
    };
    this.names = {
      nouns: new Set((content.names?.nouns ?? []).flatMap(phraseWords)),
      openers: new Set((content.names?.openers ?? []).flatMap(phraseWords)),
    };
    for (const entry of content.entries) this.add(entry);
  }

  /** Every piece of deficit phrasing in `text`, in order, never overlapping. */
  find(text: string, tokens: Token[] = tokenise(text)): Finding[] {
    return this.scan(text, tokens).map(({ finding }) => finding);
  }

  /**
   * The text with each finding replaced by its suggestion, and the findings themselves: one scan.
   * `apply` chooses which findings are reworded (all by default); every finding is reported either way.
   */
  reframe(text: string, tokens: Token[] = tokenise(text), apply: (index: number) => boolean = () => true): Reframed {
    const hits = this.scan(text, tokens);
    if (hits.length === 0) return { text, findings: [] };
    let out = '';
    let at = 0;
    for (const [index, { finding, replaceStart }] of hits.entries()) {
      if (!apply(index)) continue;
      const original = text.slice(replaceStart, finding.end);
      out += fixArticle(text.slice(at, replaceStart), finding.suggestion) + matchCase(original, finding.suggestion);
      at = finding.end;
    }
    out += text.slice(at);
    return { text: out, findings: hits.map((h) => h.finding) };
  }

  private add(entry: LanguageEntry): void {
    this.rules.set(entry.id, {
      onlyWhen: entry.onlyWhen?.map((r) => compileRule(r, this.lists, entry.id, this.indexCache)),
      notWhen: (entry.notWhen ?? []).map((r) => compileRule(r, this.lists, entry.id, this.indexCache)),
    });
    for (const [key, replacement] of Object.entries(entry.forms)) {
      const { words, lead } = parseForm(key);
      if (words.length === 0) continue;
      let node = this.root;
      for (const word of words) {
        let next = node.next.get(word);
        if (!next) node.next.set(word, (next = { next: new Map() }));
        node = next;
      }
      node.form = { entry, key, lead, replacement };
    }
  }

  private scan(text: string, tokens: Token[]): { finding: Finding; replaceStart: number }[] {
    const hits: { finding: Finding; replaceStart: number }[] = [];
    const quotes = this.quotedAside(text, tokens);
    let i = 0;
    while (i < tokens.length) {
      // Most words start no phrase: skip them before any work is done.
      const match = this.root.next.has(tokens[i]!.norm) ? this.longestMatch(tokens, i) : undefined;
      if (!match) {
        i++;
        continue;
      }
      if (match.ruledOut) {
        // Context ruled the phrase out ("the Care of the Elderly ward"): its inner words go with it.
        i = match.endIndex;
        continue;
      }
      const { form, endIndex } = match;
      const first = tokens[i + form.lead]!;
      const last = tokens[endIndex - 1]!;
      // The person's own words, quoted, are theirs to choose: recording them is good practice.
      // A quote of the person's own words, or a word talked about as a word: not the practitioner's label.
      if (quotes.some(([from, to]) => first.start >= from && last.end <= to)) {
        i = endIndex;
        continue;
      }
      // Part of the name of an Act, service, team, clinic or ward ("the falls team"): mentioned, not used.
      if (!form.entry.evenInNames && this.inName(text, tokens, i + form.lead, endIndex)) {
        i = endIndex;
        continue;
      }
      hits.push({
        replaceStart: tokens[i]!.start,
        finding: {
          start: first.start,
          end: last.end,
          text: text.slice(first.start, last.end),
          category: form.entry.category,
          suggestion: form.replacement,
          why: form.entry.why,
          entry: form.entry.id,
          alternatives: form.entry.alternatives,
          ...(form.entry.preference ? { preference: form.entry.preference } : {}),
          replaceStart: tokens[i]!.start,
        },
      });
      i = endIndex;
    }
    return hits;
  }

  /** The longest form starting at token `i` whose context allows it. */
  private longestMatch(tokens: Token[], i: number): { form: Form; endIndex: number; ruledOut?: true } | undefined {
    const candidates: { form: Form; endIndex: number }[] = [];
    let node: TrieNode | undefined = this.root;
    const sentence = tokens[i]!.sentence;
    for (let j = i; j < tokens.length && tokens[j]!.sentence === sentence; j++) {
      node = node.next.get(tokens[j]!.norm);
      if (!node) break;
      if (node.form) candidates.push({ form: node.form, endIndex: j + 1 });
    }
    // Context that rules out the longest form of an entry rules out its shorter forms too.
    const ruledOut = new Set<string>();
    for (let k = candidates.length - 1; k >= 0; k--) {
      const c = candidates[k]!;
      if (ruledOut.has(c.form.entry.id)) continue;
      if (this.allowed(c.form, tokens, i, c.endIndex)) return c;
      ruledOut.add(c.form.entry.id);
    }
    const longest = candidates[candidates.length - 1];
    return longest ? { ...longest, ruledOut: true } : undefined;
  }

  private allowed(form: Form, tokens: Token[], start: number, end: number): boolean {
    for (const rule of this.everyEntry) if (this.ruleHolds(rule, tokens, start, end)) return false;
    const rules = this.rules.get(form.entry.id)!;
    for (const rule of rules.notWhen) {
      if (appliesTo(rule, form) && this.ruleHolds(rule, tokens, start, end)) return false;
    }
    if (!rules.onlyWhen) return true;
    let scoped = false;
    for (const rule of rules.onlyWhen) {
      if (!appliesTo(rule, form)) continue;
      scoped = true;
      if (this.ruleHolds(rule, tokens, start, end)) return true;
    }
    // An entry whose onlyWhen rules are all scoped to other forms fires freely for this one.
    return !scoped;
  }

  /** Both sides a rule names must hold; a side holds when any of its phrases is there. */
  private ruleHolds(rule: CompiledRule, tokens: Token[], start: number, end: number): boolean {
    const sentence = tokens[start]!.sentence;
    const before = rule.before.size === 0 || this.sideHolds(rule.before, tokens, start - 1, -1, sentence, rule.within);
    return before && (rule.after.size === 0 || this.sideHolds(rule.after, tokens, end, 1, sentence, rule.within));
  }

  /**
   * Walks outwards from the term — directly, over up to two fillers, or `within` words — and asks
   * at each word whether a phrase ends (before) or starts (after) there.
   */
  private sideHolds(index: PhraseIndex, tokens: Token[], from: number, step: 1 | -1, sentence: number, within: number, acrossPauses = false): boolean {
    let skippedFillers = 0;
    // Strict adjacency stops at a comma or a bracket: "an epileptic, seizures poorly controlled".
    const crossesPause = (k: number) => !acrossPauses && within === 0 && (step === 1 ? tokens[k]!.pause : tokens[k + 1]?.pause === true);
    for (let k = from, n = 0; k >= 0 && k < tokens.length && tokens[k]!.sentence === sentence; k += step, n++) {
      if (crossesPause(k)) break;
      const edge = index.byEdge.get(tokens[k]!.norm);
      if (edge && edge.some((p) => phraseAt(p, tokens, k, step, sentence))) return true;
      if (index.wild.length && index.wild.some((p) => phraseAt(p, tokens, k, step, sentence))) return true;
      if (this.fillers.has(tokens[k]!.norm) && skippedFillers < MAX_FILLERS) {
        skippedFillers++;
        continue;
      }
      if (n - skippedFillers >= within) break;
    }
    return false;
  }
  /**
   * Quoted spans that are not the practitioner's label: someone's own speech — the quote holds a
   * first-person word ("I'm not coping"), or a reporting word just before introduces it (says he's
   * 'not coping with the forms') — or a word mentioned as a word (the word 'elderly', the 'not
   * coping' box). A single label in scare quotes — staff say he 'wanders' — is still checked.
   */
  private quotedAside(text: string, tokens: Token[]): [number, number][] {
    const spans: [number, number][] = [];
    if (!/["“”‘’']/.test(text)) return spans;
    const re = /(^|[\s(\[—–-])(["“‘']|‘)(?=\S)([^"“”‘’\n]*?[^\s"“”‘])(["”’'])(?=$|[\s.,;:!?)\]—–-])/g;
    for (const m of text.matchAll(re)) {
      const from = m.index + m[1]!.length;
      const to = from + m[2]!.length + m[3]!.length + m[4]!.length;
      const firstInside = tokens.findIndex((t) => t.start >= from);
      if (firstInside < 0) continue;
      const inside = tokens.filter((t) => t.start >= from && t.end <= to);
      const firstPerson = inside.some((t) => this.speech.firstPerson.has(t.norm));
      const before = tokens.slice(Math.max(0, firstInside - 3), firstInside);
      const reported = before.some((t) => this.speech.reporting.has(t.norm));
      const after = tokens[firstInside + inside.length];
      const mentioned =
        this.sideHolds(this.mention.before, tokens, firstInside - 1, -1, tokens[firstInside]!.sentence, 0, true) ||
        (after !== undefined && after.start >= to && this.mention.after.has(after.norm));
      if (firstPerson || mentioned || (reported && inside.length > 1)) spans.push([from, to]);
    }
    return spans;
  }

  /**
   * Is the phrase at tokens [start, end) part of a name? Opened by "the" or the like, the word after
   * it is a naming noun ("the falls team", "the diabetic clinic"); or capitalised words carry it to
   * one ("the Elderly Care ward", "Safeguarding Vulnerable Groups Act").
   */
  private inName(text: string, tokens: Token[], start: number, end: number): boolean {
    if (this.names.nouns.size === 0) return false;
    const sentence = tokens[start]!.sentence;
    const capitalised = (t: Token) => /^\p{Lu}/u.test(text.slice(t.start, t.start + 2));
    const properName = capitalised(tokens[end - 1]!);
    const opened = properName || (start > 0 && tokens[start - 1]!.sentence === sentence && this.names.openers.has(tokens[start - 1]!.norm));
    if (!opened) return false;
    for (let k = end, steps = 0; k < tokens.length && tokens[k]!.sentence === sentence && steps <= 3; k++, steps++) {
      const t = tokens[k]!;
      if (this.names.nouns.has(t.norm) && (steps === 0 || properName)) return true;
      if (!capitalised(t)) return false;
    }
    return false;
  }
}

/** Does `phrase` end at `k` (looking back, step -1) or start at `k` (looking ahead, step 1)? */
function phraseAt(phrase: string[], tokens: Token[], k: number, step: 1 | -1, sentence: number): boolean {
  const from = step === -1 ? k - phrase.length + 1 : k;
  const to = from + phrase.length - 1;
  if (from < 0 || to >= tokens.length || tokens[from]!.sentence !== sentence || tokens[to]!.sentence !== sentence) return false;
  return wordsAt(phrase, tokens, from);
}

function appliesTo(rule: CompiledRule, form: Form): boolean {
  return !rule.forms || rule.forms.has(form.key);
}

function wordsAt(phrase: string[], tokens: Token[], from: number): boolean {
  for (let k = 0; k < phrase.length; k++) {
    const want = phrase[k]!;
    if (want !== WILDCARD && tokens[from + k]!.norm !== want) return false;
  }
  return true;
}

/**
 * Many entries share a context list ("@things was", …) that expands to thousands of phrases: each distinct
 * list is expanded and indexed once per checker and the read-only index shared (74,000 phrases → 4,800).
 */
type IndexCache = Map<string, PhraseIndex>;

function compileRule(rule: ContextRule, lists: Record<string, string[][]>, entryId: string, cache: IndexCache): CompiledRule {
  const compile = (phrases: string[] | undefined, edge: 'first' | 'last') => {
    const key = `${edge}\u0000${(phrases ?? []).join('\u0000')}`;
    let index = cache.get(key);
    if (!index) cache.set(key, (index = indexPhrases((phrases ?? []).flatMap((p) => expandPhrase(p, lists, entryId)), edge)));
    return index;
  };
  return {
    before: compile(rule.before, 'last'),
    after: compile(rule.after, 'first'),
    within: rule.within ?? 0,
    forms: rule.forms ? new Set(rule.forms) : undefined,
  };
}

function indexPhrases(phrases: string[][], edge: 'first' | 'last'): PhraseIndex {
  const byEdge = new Map<string, string[][]>();
  const wild: string[][] = [];
  for (const phrase of phrases) {
    const word = edge === 'first' ? phrase[0]! : phrase[phrase.length - 1]!;
    if (word === WILDCARD) wild.push(phrase);
    else {
      const same = byEdge.get(word);
      if (same) same.push(phrase);
      else byEdge.set(word, [phrase]);
    }
  }
  return { byEdge, wild, size: phrases.length };
}

/** "@things was" → every phrase of the `things` list followed by "was"; `*` stays a wildcard. */
function expandPhrase(phrase: string, lists: Record<string, string[][]>, entryId: string): string[][] {
  let variants: string[][] = [[]];
  for (const part of phrase.trim().split(/\s+/)) {
    let options: string[][];
    if (part === WILDCARD) options = [[WILDCARD]];
    else if (part.startsWith('@')) {
      const list = lists[part.slice(1)];
      if (!list) throw new Error(`language entry ${entryId}: context phrase "${phrase}" names an unknown list ${part}; add it under \`lists\`.`);
      options = list;
    } else options = [phraseWords(part)];
    variants = variants.flatMap((v) => options.map((o) => [...v, ...o]));
  }
  return variants.filter((v) => v.length > 0);
}

/** "[is] wheelchair bound" → words is/wheelchair/bound, of which the first is lead-in context. */
function parseForm(key: string): { words: string[]; lead: number } {
  const m = /^\s*\[([^\]]*)\]\s*(.*)$/.exec(key);
  if (!m) return { words: phraseWords(key), lead: 0 };
  const leadWords = phraseWords(m[1]!);
  return { words: [...leadWords, ...phraseWords(m[2]!)], lead: leadWords.length };
}

export function matchCase(original: string, replacement: string): string {
  const first = original.charAt(0);
  if (first !== first.toLowerCase() && first === first.toUpperCase()) {
    return replacement.charAt(0).toUpperCase() + replacement.slice(1);
  }
  return replacement;
}

/** "a" before a replacement starting with a vowel sound becomes "an", and the other way round. */
export function fixArticle(before: string, replacement: string): string {
  // Only the last few characters can hold the article.
  const tail = before.slice(-12);
  const m = /(?:^|[^\p{L}\p{N}'’])(a|an|A|An)(\s+)$/u.exec(tail);
  if (!m) return before;
  const at = before.length - tail.length + m.index + m[0].length - m[1]!.length - m[2]!.length;
  const wantsAn = /^[aeiou]/i.test(replacement);
  const article = m[1]!;
  const fixed = wantsAn ? (article[0] === 'A' ? 'An' : 'an') : article[0] === 'A' ? 'A' : 'a';
  return before.slice(0, at) + fixed + m[2];
}
