// The question classifier: is this text a question, which of the coaching model's types is it, and
// is it open? Form decides question-ness and openness (a question mark, or the shape of a question as
// typed in chat); a model learnt from prompts/question-corpus.yaml and the content's examples decides
// the type, reading the cues of question-types.yaml and the shape signals below as features.
import type { QuestionFormLists, QuestionKind, QuestionType, QuestionTypeId } from '../content/schemas.ts';
import { QuestionModel, type QuestionModelWeights } from './question-model.ts';
import { phraseWords, tokenise, type Token } from './tokens.ts';

export interface QuestionResult {
  type: QuestionKind;
  open: boolean;
  /** A second type the model finds nearly as likely: the coaching names both ("a support or a change question"). */
  alsoReads?: QuestionKind;
  /** Which part was classified, when the message asks more than one question (UTF-16 offsets; `of` parts in all). */
  part?: { start: number; end: number; of: number };
}

interface Sentence {
  tokens: Token[];
  words: string[];
  /** Ends with a question mark. */
  asked: boolean;
  /** Ends with a full stop or an exclamation mark: a sentence written out, not typed as chat. */
  stopped: boolean;
}

export interface ClassifierOptions {
  /** Whole practical questions: what "other" sounds like. */
  practicalExamples?: readonly string[];
  /** The training corpus, questions by type (prompts/question-corpus.yaml). */
  corpus?: Partial<Record<QuestionKind, readonly string[]>>;
  /** Chat spellings read as the words they stand for ("u" → "you", "whats" → "what's"). */
  chatSpellings?: Readonly<Record<string, string>>;
  /** The word lists of question-form.yaml. */
  form: QuestionFormLists;
  /**
   * A model already trained on exactly these types, examples, corpus and form (the build's weights for
   * the shipped content), used instead of training. Leave it out whenever the content may differ.
   */
  model?: QuestionModel;
}

/** How many questions back a message is read for its substantive question. */
const MAX_PARTS = 4;
/** Below this margin between the two likeliest types, the coaching names both. */
const UNSURE_MARGIN = 0.25;
const UNSURE_SECOND = 0.25;

export class QuestionClassifier {
  /** Cues by their first word: each match is a feature for the model, not a vote. */
  private readonly cues = new Map<string, { type: QuestionTypeId; words: string[]; weak: boolean }[]>();
  /** Practical phrases by their first word. */
  private readonly practical = new Map<string, string[][]>();
  private readonly chat: ReadonlyMap<string, string>;
  private readonly model: QuestionModel;
  private readonly form: ReturnType<typeof formOf>;

  constructor(types: readonly QuestionType[], practicalCues: readonly string[], options: ClassifierOptions) {
    this.form = formOf(options.form);
    this.chat = new Map(Object.entries(options.chatSpellings ?? {}).map(([k, v]) => [k.toLowerCase(), v.toLowerCase()]));
    for (const words of practicalCues.map(phraseWords)) {
      if (words.length) this.practical.set(words[0]!, [...(this.practical.get(words[0]!) ?? []), words]);
    }
    for (const t of types) {
      const add = (cue: string, weak: boolean) => {
        const words = phraseWords(cue);
        if (words.length === 0) return;
        this.cues.set(words[0]!, [...(this.cues.get(words[0]!) ?? []), { type: t.id, words, weak }]);
      };
      t.cues.forEach((c) => add(c, false));
      t.weakCues.forEach((c) => add(c, true));
    }
    const labelled: { type: QuestionKind; text: string }[] = [
      ...types.flatMap((t) => t.examples.map((e) => ({ type: t.id as QuestionKind, text: e.text }))),
      ...(options.practicalExamples ?? []).map((text) => ({ type: 'other' as QuestionKind, text })),
      ...Object.entries(options.corpus ?? {}).flatMap(([type, texts]) => (texts ?? []).map((text) => ({ type: type as QuestionKind, text }))),
    ];
    this.model = options.model ?? trained(labelled, (text) => {
      const sentences = this.sentencesOf(text, tokenise(text));
      const question = this.form.pickQuestion(sentences, text) ?? sentences[sentences.length - 1];
      return question ? this.features(question, sentences) : [];
    });
  }

  classify(text: string, tokens: Token[] = tokenise(text)): QuestionResult | null {
    const sentences = this.sentencesOf(text, tokens);
    // The last question decides, as in conversation; but in a two-part message the substantive
    // question does: a practical or presenting-back part ("Shall I come on Thursday?") gives way to
    // an earlier question of one of the types. Only a few questions back are read, so a long note costs little.
    let chosen: { sentence: Sentence; ranked: [QuestionKind, number][] } | undefined;
    let looked = 0;
    for (let i = sentences.length - 1; i >= 0 && looked < MAX_PARTS; i--) {
      const sentence = sentences[i]!;
      if (!this.form.asks(sentence, text)) continue;
      looked++;
      const ranked = this.rank(sentence, sentences);
      if (!chosen || ranked[0]![0] !== 'other') chosen = { sentence, ranked };
      if (ranked[0]![0] !== 'other') break;
    }
    if (!chosen) return null;
    const asking = sentences.length <= MAX_PARTS ? sentences.filter((s) => this.form.asks(s, text)).length : 1;
    const { sentence, ranked } = chosen;
    const [type, p1] = ranked[0]!;
    const [second, p2] = ranked[1] ?? ['other', 0];
    const clause = this.form.mainClause(sentence.tokens, text);
    const result: QuestionResult = { type, open: this.form.isOpen(sentence.words, clause, type) };
    if (p2 >= UNSURE_SECOND && p1 - p2 < UNSURE_MARGIN) result.alsoReads = second;
    // A message of a few sentences with more than one question says which it read; a long note does not.
    if (asking > 1) {
      const end = sentence.tokens[sentence.tokens.length - 1]!.end;
      result.part = { start: sentence.tokens[0]!.start, end: text[end] === '?' ? end + 1 : end, of: asking };
    }
    return result;
  }

  /** The learnt model's weights, as the build ships them beside the compiled content. */
  modelWeights(): QuestionModelWeights {
    return this.model.toWeights();
  }

  /** The types in order of likelihood for one asking sentence, with their probabilities. */
  private rank(question: Sentence, all: Sentence[]): [QuestionKind, number][] {
    return [...this.model.posterior(this.features(question, all))].sort((a, b) => b[1] - a[1]);
  }

  /** Sentences with chat spellings read as their words, so "r u coping" asks like "are you coping". */
  private sentencesOf(text: string, tokens: Token[]): Sentence[] {
    const read = this.chat.size ? tokens.map((t) => (this.chat.has(t.norm) ? { ...t, norm: this.chat.get(t.norm)! } : t)) : tokens;
    return this.form.splitSentences(text, read);
  }

  /**
   * What the model reads: the words and word pairs of the question (without its lead-in), its first
   * words, the character trigrams of its longer words (for spellings it has not met), the cues of
   * question-types.yaml that occur, the shape signals, and a miracle or scale set up the sentence before.
   */
  private features(question: Sentence, all: Sentence[]): string[] {
    const words = this.form.questionWords(question.words);
    const out: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      out.push(`w:${w}`);
      if (i + 1 < words.length) out.push(`b:${w} ${words[i + 1]}`);
      if (w.length >= 4 && !this.form.STOP.has(w)) {
        const padded = `#${w}#`;
        for (let k = 0; k + 3 <= padded.length; k++) out.push(`c:${padded.slice(k, k + 3)}`);
      }
    }
    const lead = this.form.withoutLeadIns(question.words);
    if (lead[0]) out.push(`f:${lead[0]}`);
    if (lead[1]) out.push(`f2:${lead[0]} ${lead[1]}`);
    if (this.form.requestOpener(lead)) out.push('s:request');
    if (!question.asked) out.push('s:no-mark');
    for (let i = 0; i < words.length; i++) {
      for (const cue of this.cues.get(words[i]!) ?? []) {
        if (matchesAt(words, i, cue.words)) out.push(`${cue.weak ? 'weak' : 'cue'}:${cue.type}`);
      }
    }
    for (const [type] of this.form.shapeSignals(question.words)) out.push(`s:${type}`);
    if (this.isPractical(question.words)) out.push('s:practical');
    const before = all[all.indexOf(question) - 1];
    const framing = before ? this.form.framedBy(before.words) : undefined;
    if (framing) out.push(`p:${framing}`, `p:${framing}`);
    return out;
  }

  private isPractical(words: string[]): boolean {
    return words.some((w, i) => this.practical.get(w)?.some((p) => matchesAt(words, i, p)) ?? false);
  }
}

/** One model per distinct training set in a process: every Coach built from the same content shares it. */
const models = new Map<string, QuestionModel>();

function trained(labelled: { type: QuestionKind; text: string }[], featuresOf: (text: string) => string[]): QuestionModel {
  const key = labelled.map((l) => `${l.type}\u0000${l.text}`).join('\u0001');
  let model = models.get(key);
  if (!model) {
    model = new QuestionModel(labelled.map((l) => ({ type: l.type, features: featuresOf(l.text) })));
    models.set(key, model);
  }
  return model;
}

/**
 * The form of questions, from prompts/question-form.yaml: the word lists that decide whether a
 * sentence asks, whether it is open, and the shape signals the model reads. Built once per classifier.
 */
function formOf(lists: QuestionFormLists) {
  const WH = new Set(lists.wh);
  const AUX = new Set(lists.auxiliaries);
  const SUBJECTS = new Set(lists.subjects);
  const LEAD_INS = new Set(lists.leadIns);
  const EXCLAIM_AFTER_WH = new Set(lists.exclaimAfterWh);
  const FACT_NOUNS = new Set(lists.factNouns);
  const FACT_FILLERS = new Set(lists.factFillers);
  const NUMBER_WORDS = new Set(lists.numberWords);
  const RATING_LEAD = new Set(lists.ratingLead);
  const HYPOTHETICAL = new Set(lists.hypothetical);
  const MIRACLE_WORDS = new Set(lists.miracleWords);
  const CHANGE_WORDS = new Set(lists.changeWords);
  const MODALS = new Set(lists.modals);
  const REPORTED_QUESTION = new Set(lists.reportedQuestion);
  const FRAMERS = lists.framers.map(phraseWords);
  const REQUESTS = lists.requests.map(phraseWords);
  const OPEN_INVITATIONS = lists.openInvitations.map(phraseWords);
  const WHERE_OPEN = lists.whereOpen.map(phraseWords);
  const COPING_CHECKS = lists.copingChecks.map(phraseWords);
  const IDIOMS = lists.idioms.map(phraseWords);
  const RATING_STORY = lists.ratingStory.map(phraseWords);
  const TAGS = lists.tags.map(phraseWords);
  const FACT_AFTER_WH: Record<string, Set<string>> = Object.fromEntries(Object.entries(lists.factAfterWh).map(([wh, words]) => [wh, new Set(words)]));
  const STOP = new Set(lists.stop);

/** "…, and what gives you that much confidence?": a scaling question that asks more than the number. */
function asksBeyondTheRating(words: string[]): boolean {
  return words.some((w, i) => {
    if (w === 'why' || w === 'who') return true;
    if (w !== 'what' && w !== "what's") return false;
    const next = words[i + 1] ?? '';
    // "What number…", "what would you give it", "what score": still only the rating.
    return !['number', 'score', 'rating', 'mark', 'point'].includes(next) && !containsPhrase(words.slice(i, i + 5), ['would', 'you', 'give']) && !containsPhrase(words.slice(i, i + 5), ['would', 'you', 'rate']) && !containsPhrase(words.slice(i, i + 5), ['would', 'you', 'put']);
  });
}

function containsOpenSecondPart(words: string[]): boolean {
  for (let i = 2; i + 1 < words.length; i++) {
    if ((words[i] === 'and' || words[i] === 'or') && ['what', 'how', 'who', 'why'].includes(words[i + 1]!) && words[i + 2] !== 'many' && words[i + 2] !== 'much') return true;
  }
  return false;
}

function asksForFact(words: string[]): boolean {
  let i = 1;
  if ((words[0] === 'what' || words[0] === 'which') && (words[1] === 'is' || words[1] === 'are')) i = 2;
  while (i < words.length && FACT_FILLERS.has(words[i]!)) i++;
  return FACT_NOUNS.has(words[i] ?? '');
}

/** The words that say what a question is about: without a lead-in or a request opener ("I'd love to hear…"). */
function questionWords(sentence: string[]): string[] {
  const words = withoutLeadIns(sentence);
  const lead = requestOpener(words);
  return lead ? words.slice(lead.length) : words;
}


/** What the shape of a question says that single cues cannot: a rating, a yes/no coping check, help that could come. */
function shapeSignals(words: string[]): [QuestionTypeId, number][] {
  const signals: [QuestionTypeId, number][] = [];
  const rating = words.some((w, i) => /^(?:10|[0-9])$/.test(w) || (NUMBER_WORDS.has(w) && RATING_LEAD.has(words[i - 1] ?? '') && !/^(?:years?|months?|weeks?|days?|times?|of|people|things?)$/.test(words[i + 1] ?? '')));
  if (rating) signals.push(['scaling', 4]);
  if (words.includes('scale')) signals.push(['scaling', 3]);
  if (words.includes('miracle')) signals.push(['miracle', 4]);
  // "Would you say…", "would you like…" ask for a view or a wish, not for ideas.
  const modal = words.some((w, i) => (MODALS.has(w) || /'d$/.test(w)) && !(words[i + 1] === 'you' && ['say', 'like', 'mind'].includes(words[i + 2] ?? '')));
  // Ideas for change: what could be different, easier, more useful.
  if (modal && words.some((w) => CHANGE_WORDS.has(w))) signals.push(['change', 1.5]);
  // A hoped-for day or life: "What would a good day look like?"
  if (words.includes('would') && (containsPhrase(words, ['good', 'day']) || containsPhrase(words, ['good', 'week']) || containsPhrase(words, ['look', 'like']))) signals.push(['possibility', 1.5]);
  // In this work a "who" question is usually about the person's network.
  if (withoutLeadIns(words)[0]?.startsWith('who')) signals.push(['support', 1]);
  // "Suppose the problem vanished overnight…": the miracle question, whatever else it mentions.
  const hypothetical = words.some((w) => HYPOTHETICAL.has(w));
  if (hypothetical && words.some((w) => MIRACLE_WORDS.has(w))) signals.push(['miracle', 3]);
  if (COPING_CHECKS.some((c) => startsWith(withoutLeadIns(words), c))) signals.push(['problem', 3]);
  const help = words.findIndex((w) => w === 'help' || w === 'helps');
  if (help > 0 && words.slice(Math.max(0, help - 4), help).some((w) => MODALS.has(w) || /'d$/.test(w))) signals.push(['change', 2]);
  return signals;
}

/** The miracle or the scale, when an earlier sentence sets it up. */
function framedBy(words: string[]): QuestionTypeId | undefined {
  if (words.includes('miracle') || (words.some((w) => HYPOTHETICAL.has(w)) && words.some((w) => MIRACLE_WORDS.has(w)))) return 'miracle';
  if (words.includes('scale') || containsPhrase(words, ['out', 'of', 'ten']) || containsPhrase(words, ['out', 'of', '10'])) return 'scaling';
  return undefined;
}

function splitSentences(text: string, tokens: Token[]): Sentence[] {
  const out: Sentence[] = [];
  let current: Token[] = [];
  const flush = (endOffset: number) => {
    if (current.length === 0) return;
    const tail = text.slice(current[current.length - 1]!.end, endOffset);
    out.push({ tokens: current, words: current.map((t) => t.norm), asked: tail.includes('?'), stopped: /[.!]/.test(tail) });
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
  const words = withoutLeadIns(sentence.words);
  if (words.length === 0) return false;
  if (!sentence.asked && IDIOMS.some((idiom) => startsWith(words, idiom))) return false;
  if (isRequest(words)) return true;
  // Typed as chat, with no mark at the end at all, a question word near the start asks ("so whats wrong",
  // "out of 10 how confident r u"), unless it exclaims ("what a day") or reports ("she asked how").
  if (!sentence.asked && !sentence.stopped && chatAsks(words)) return true;
  // Without a question mark, only a sentence opened by a question word or an auxiliary can ask.
  if (!sentence.asked && !WH.has(words[0]!) && !AUX.has(words[0]!)) return false;
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


function chatAsks(words: string[]): boolean {
  // "any family nearby", "any neighbours who pop in": a short "any" question.
  if (words[0] === 'any' && words.length >= 2 && words.length <= 6) return true;
  const at = words.slice(0, 4).findIndex((w) => WH.has(w));
  if (at >= 0) {
    if (words.slice(0, at).some((w) => REPORTED_QUESTION.has(w) || SUBJECTS.has(w))) return false;
    const next = words[at + 1];
    return next !== undefined && !EXCLAIM_AFTER_WH.has(next);
  }
  // "u ok", "do u have family around": an auxiliary before a subject.
  return AUX.has(words[0]!) && SUBJECTS.has(words[1] ?? '');
}

/** "Tell me about…", "I'd love to hear…": a request asks, but a musing about someone else does not. */
function isRequest(words: string[]): boolean {
  const request = requestOpener(words);
  if (!request) return false;
  if (FRAMERS.includes(request)) return true;
  const speakerFirst = request[0] === 'i' || request[0]!.startsWith("i'");
  return !speakerFirst || words.some((w) => w === 'you' || w === 'your' || w === "you're" || w === "you've" || w === "you'd");
}

/** The opener of a request or a hypothetical ("tell me", "imagine"), if the words start with one. */
function requestOpener(words: string[]): string[] | undefined {
  return REQUESTS.find((r) => startsWith(words, r)) ?? FRAMERS.find((r) => startsWith(words, r));
}



function isOpen(sentence: string[], clause: Token[], type: QuestionKind): boolean {
  const whole = withoutLeadIns(sentence);
  // A 0–10 rating asks for one number, however it is put; what is behind the number asks for a story.
  if (type === 'scaling') return RATING_STORY.some((p) => containsPhrase(whole, p)) || asksBeyondTheRating(whole);
  const opener = requestOpener(whole);
  // "Tell me about…" asks for a story; "Suppose…, would you…?" is decided by its question.
  if (opener && !FRAMERS.includes(opener) && isRequest(whole)) return true;
  const words = withoutLeadIns(clause.map((t) => t.norm));
  const [first, second] = words;
  if (first === undefined) return false;
  // "When were things last going well, and what was different then?": an open second part opens it.
  if (containsOpenSecondPart(words)) return true;
  if (WH.has(first)) {
    const base = first.replace(/'(s|d)$/, '');
    if (base === 'where') return WHERE_OPEN.some((p) => containsPhrase(words, p));
    if (second !== undefined && FACT_AFTER_WH[base]?.has(second)) return false;
    if (base === 'how' && (words.includes('spell') || words.includes('spelt'))) return false;
    if ((base === 'what' || base === 'which') && asksForFact(words)) return false;
    return true;
  }
  if (opener && FRAMERS.includes(opener) && !AUX.has(first)) return true;
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
  const words = withoutLeadIns(tokens.map((t) => t.norm));
  const first = words[0];
  // A sentence opened by a question word or an auxiliary is the question; anything else
  // ("When things were better, …", "Suppose …, would you…", "You've cared for him for years - how…")
  // may lead in to the question after a comma or a dash.
  if (first === undefined || (first !== 'when' && first !== 'if' && (WH.has(first) || AUX.has(first)))) return tokens;
  for (let i = 1; i < tokens.length; i++) {
    const w = tokens[i]!.norm;
    if ((WH.has(w) || AUX.has(w)) && /[,\-–—]/.test(text.slice(tokens[i - 1]!.end, tokens[i]!.start))) {
      const rest = tokens.slice(i);
      // "…, do you think?" is a tag on the question before it, not the question.
      if (!TAGS.some((tag) => tag.length === rest.length && startsWith(rest.map((t) => t.norm), tag))) return rest;
    }
  }
  return tokens;
}


function withoutLeadIns(words: string[]): string[] {
  let i = 0;
  while (i < words.length - 1 && LEAD_INS.has(words[i]!)) i++;
  return words.slice(i);
}

  return { asks, isOpen, mainClause, pickQuestion, splitSentences, questionWords, withoutLeadIns, requestOpener, shapeSignals, framedBy, STOP };
}

function startsWith(words: string[], phrase: string[]): boolean {
  if (phrase.length > words.length) return false;
  return phrase.every((w, i) => words[i] === w);
}

function matchesAt(words: string[], at: number, phrase: string[]): boolean {
  if (at + phrase.length > words.length) return false;
  for (let k = 0; k < phrase.length; k++) if (words[at + k] !== phrase[k]) return false;
  return true;
}

function containsPhrase(words: string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let k = 0; k < phrase.length; k++) if (words[i + k] !== phrase[k]) continue outer;
    return true;
  }
  return false;
}
