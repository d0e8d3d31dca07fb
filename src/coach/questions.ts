// The question classifier: is this text a question, which of the coaching model's types is it, and
// is it open? Form decides question-ness and openness; the cues in prompts/question-types.yaml
// decide the type, with the nearest example question as a fallback.
import type { QuestionKind, QuestionType, QuestionTypeId } from '../content/schemas.ts';
import { phraseWords, tokenise, type Token } from './tokens.ts';

export interface QuestionResult {
  type: QuestionKind;
  open: boolean;
}

const WH = new Set(['what', "what's", 'how', "how's", 'who', "who's", 'whom', 'whose', 'when', 'where', "where's", 'why', 'which']);
const AUX = new Set([
  'do', 'does', 'did', 'is', 'are', 'was', 'were', 'am', 'can', 'could', 'would', 'will', 'shall', 'should',
  'have', 'has', 'had', 'may', 'might', 'must', "isn't", "aren't", "wasn't", "weren't", "don't", "doesn't",
  "didn't", "can't", "couldn't", "wouldn't", "won't", "shouldn't", "haven't", "hasn't", "hadn't", 'any', 'anything',
]);
/** Words that may follow an auxiliary when it opens a question ("Do you…", "Is there…"). */
const SUBJECTS = new Set([
  'you', 'he', 'she', 'they', 'it', 'there', 'we', 'i', 'your', 'the', 'anyone', 'anybody', 'anything', 'someone',
  'somebody', 'something', 'that', 'this', 'things', 'life', 'everything', 'people', 'any', 'all', 'my', 'his', 'her',
  'their', 'mum', 'dad', 'that\'s', 'everyone', 'a', 'one', 'either', 'both', 'family', 'friends',
]);
/** Openings that ask without a question mark: "Tell me about…", "I'd love to hear…". */
const REQUESTS = [
  'tell me', 'tell us', 'talk me through', 'talk to me about', 'walk me through', 'take me through', 'describe',
  'explain', 'help me understand', 'say a bit more', 'say more', 'share', "i'd love to hear", 'i would love to hear',
  "i'd like to hear", 'i would like to hear', "i'd like to know", 'i would like to know', "i'd love to know",
  "i'm curious", 'i am curious', 'i wonder', 'i was wondering', "i'm wondering", 'i am wondering', "let's talk",
  "let's think", 'let us think', 'paint me a picture', 'imagine', 'suppose', 'picture', 'think of', 'think about',
  'think back', 'on a scale', 'if you could', 'if you had', "i'm interested", 'i am interested', 'give me',
  'help me', 'let me know', 'can we talk', 'could we talk',
].map(phraseWords);
/** After an auxiliary and "you", these make a polite request for a story, so the question is open. */
const OPEN_INVITATIONS = [
  'tell', 'describe', 'talk', 'say', 'share', 'explain', 'walk', 'take me', 'help me understand', 'think of',
  'think about', 'think back', 'imagine', 'picture', 'paint', 'give me an example', 'give me a sense',
  'like to tell', 'like to talk', 'like to share', 'like to say', 'describe',
].map(phraseWords);
const LEAD_INS = new Set(['so', 'and', 'well', 'okay', 'ok', 'right', 'now', 'then', 'but', 'just', 'and', 'also', 'oh', 'erm', 'um', 'hmm', 'alright']);
const EXCLAIM_AFTER_WH = new Set(['a', 'an', 'lovely', 'nice', 'kind', 'wonderful', 'good', 'awful', 'sad', 'great', 'brilliant', 'beautiful', 'terrible', 'knows', 'cares', 'lucky', 'funny', 'strange', 'odd']);
/** A wh-word asking for a single fact: "how long", "what time". */
const FACT_AFTER_WH: Record<string, Set<string>> = {
  how: new Set(['many', 'much', 'long', 'old', 'often', 'far', 'soon', 'frequently']),
  what: new Set(['time', 'day', 'date', 'age', 'year', 'month', 'number', 'days', 'times']),
  when: new Set(['did', 'was', 'were', 'is', 'will', 'does', "is", 'are', 'can', 'shall', 'should', 'would', 'could']),
  where: new Set(['did', 'is', 'was', 'were', 'does']),
};

interface Sentence {
  tokens: Token[];
  asked: boolean;
  text: string;
}

export class QuestionClassifier {
  private readonly cues: { type: QuestionTypeId; words: string[] }[];
  private readonly examples: { type: QuestionTypeId; words: Set<string> }[];

  constructor(types: readonly QuestionType[]) {
    this.cues = types.flatMap((t) => t.cues.map((c) => ({ type: t.id, words: phraseWords(c) })));
    this.examples = types.flatMap((t) => t.examples.map((e) => ({ type: t.id, words: contentWords(phraseWords(e.text)) })));
  }

  classify(text: string): QuestionResult | null {
    const sentences = splitSentences(text);
    const question = pickQuestion(sentences, text);
    if (!question) return null;
    const clause = mainClause(question.tokens, text);
    return { type: this.typeOf(question, sentences), open: isOpen(clause) };
  }

  private typeOf(question: Sentence, all: Sentence[]): QuestionKind {
    const fromQuestion = this.scoreCues(question.tokens);
    if (fromQuestion) return fromQuestion;
    const nearest = this.nearestExample(question.tokens);
    if (nearest) return nearest;
    // A preamble ("You've cared for him for years.") can carry the cue the question refers back to.
    const whole = all.flatMap((s) => s.tokens);
    return this.scoreCues(whole) ?? 'other';
  }

  /** The type whose cues weigh most (a cue weighs its word count); ties go to the first type listed. */
  private scoreCues(tokens: Token[]): QuestionTypeId | undefined {
    const words = tokens.map((t) => t.norm);
    const scores = new Map<QuestionTypeId, number>();
    for (const cue of this.cues) {
      if (containsPhrase(words, cue.words)) scores.set(cue.type, (scores.get(cue.type) ?? 0) + cue.words.length);
    }
    let best: QuestionTypeId | undefined;
    let bestScore = 0;
    for (const [type, score] of scores) {
      if (score > bestScore) [best, bestScore] = [type, score];
    }
    return best;
  }

  private nearestExample(tokens: Token[]): QuestionTypeId | undefined {
    const words = contentWords(tokens.map((t) => t.norm));
    if (words.size === 0) return undefined;
    let best: QuestionTypeId | undefined;
    let bestScore = 0;
    for (const example of this.examples) {
      let shared = 0;
      for (const w of words) if (example.words.has(w)) shared++;
      const score = shared / (words.size + example.words.size - shared);
      if (score > bestScore) [best, bestScore] = [example.type, score];
    }
    return bestScore >= 0.25 ? best : undefined;
  }
}

function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const tokens = tokenise(text);
  let current: Token[] = [];
  const flush = (endOffset: number) => {
    if (current.length === 0) return;
    const from = current[0]!.start;
    const tail = text.slice(current[current.length - 1]!.end, endOffset);
    out.push({ tokens: current, asked: tail.includes('?'), text: text.slice(from, endOffset) });
    current = [];
  };
  for (const token of tokens) {
    if (current.length && token.sentence !== current[0]!.sentence) flush(token.start);
    current.push(token);
  }
  flush(text.length);
  return out;
}

/** The last sentence that asks something: by its question mark or by its form. */
function pickQuestion(sentences: Sentence[], text: string): Sentence | undefined {
  for (let i = sentences.length - 1; i >= 0; i--) {
    if (asks(sentences[i]!, text)) return sentences[i];
  }
  return undefined;
}

function asks(sentence: Sentence, text: string): boolean {
  const words = withoutLeadIns(sentence.tokens.map((t) => t.norm));
  if (words.length === 0) return false;
  if (REQUESTS.some((r) => startsWith(words, r))) return true;
  const clause = mainClause(sentence.tokens, text).map((t) => t.norm);
  const first = clause[0] ?? words[0]!;
  const second = clause[1] ?? words[1];
  if (WH.has(first)) {
    if (second !== undefined && EXCLAIM_AFTER_WH.has(second) && !sentence.asked) return false;
    if (sentence.asked) return true;
    return second !== undefined && (AUX.has(second) || SUBJECTS.has(second) || second.endsWith('s') || second === 'kind' || second === 'sort');
  }
  if (AUX.has(first)) {
    return sentence.asked || (second !== undefined && SUBJECTS.has(second) && first !== 'any' && first !== 'anything');
  }
  if (!sentence.asked) return false;
  // A statement with a question mark asks only when it is put to the person ("You have a daughter?").
  if (['i', 'he', 'she', 'they', 'it', 'we'].includes(words[0]!) && !words.includes('you') && !words.includes('your')) return false;
  return true;
}

function isOpen(clause: Token[]): boolean {
  const words = withoutLeadIns(clause.map((t) => t.norm));
  const [first, second] = words;
  if (first === undefined) return false;
  if (REQUESTS.some((r) => startsWith(words, r))) return true;
  if (WH.has(first)) {
    const base = first.replace(/'s$/, '');
    if (second !== undefined && FACT_AFTER_WH[base]?.has(second)) return false;
    return true;
  }
  if (AUX.has(first)) {
    // "Could you tell me…", "Would you like to talk about…" invite a story.
    const rest = words.slice(1);
    const afterSubject = rest[0] === 'you' || rest[0] === 'we' ? rest.slice(1) : rest;
    return OPEN_INVITATIONS.some((inv) => startsWith(afterSubject, inv) || startsWith(afterSubject.slice(1), inv));
  }
  return false;
}

/** "When things were going well for you, what was different?" → the clause after the comma. */
function mainClause(tokens: Token[], text: string): Token[] {
  const first = withoutLeadIns(tokens.map((t) => t.norm))[0];
  // Only a clause opened by "when"/"if" or by no question word at all can lead in to the question.
  if (first === undefined || ((WH.has(first) || AUX.has(first)) && first !== 'when' && first !== 'if')) return tokens;
  for (let i = 2; i < tokens.length; i++) {
    const w = tokens[i]!.norm;
    const gap = text.slice(tokens[i - 1]!.end, tokens[i]!.start);
    if ((WH.has(w) || AUX.has(w)) && gap.includes(',')) return tokens.slice(i);
  }
  return tokens;
}

function withoutLeadIns(words: string[]): string[] {
  let i = 0;
  while (i < words.length - 1 && LEAD_INS.has(words[i]!)) i++;
  return words.slice(i);
}

function startsWith(words: string[], phrase: string[]): boolean {
  if (phrase.length > words.length) return false;
  return phrase.every((w, i) => words[i] === w);
}

function containsPhrase(words: string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let k = 0; k < phrase.length; k++) if (words[i + k] !== phrase[k]) continue outer;
    return true;
  }
  return false;
}

const STOP = new Set([
  'the', 'a', 'an', 'and', 'or', 'of', 'to', 'in', 'on', 'for', 'with', 'you', 'your', 'i', 'me', 'my', 'it', 'is',
  'are', 'was', 'were', 'be', 'do', 'does', 'did', 'what', 'how', 'who', 'when', 'where', 'why', 'which', 'that',
  'this', 'at', 'have', 'has', 'had', 'would', 'could', 'can', 'will', 'there', 'about', 'so', 'if', 'they', 'them',
  'he', 'she', 'his', 'her', 'we', 'us', 'our', 'any', 'some', 'now', 'then', 'tell', 'think', 'things', 'thing',
  "what's", "you've", "you're", "it's", 'been', 'from', 'by', 'as', 'up', 'out', 'like',
]);

function contentWords(words: string[]): Set<string> {
  return new Set(words.filter((w) => !STOP.has(w)));
}
