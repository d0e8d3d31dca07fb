// One object that holds the compiled coaching knowledge, built once from the content and shared
// by every conversation. Pure: no I/O, no clock.
import type { z } from 'zod';
import type {
  affirmationsFile,
  AreaId,
  languageFile,
  questionCorpusFile,
  questionFormFile,
  questionTypesFile,
  QuestionTypeId,
  reflectionFile,
  Scenario,
  stagesFile,
} from '../content/schemas.ts';
import { draftAffirmations, findPraise, readAffirmation, type Affirmation, type AffirmationReading } from './affirm.ts';
import { titledSurnames } from './privacy.ts';
import { LanguageChecker, type Finding, type Reframed } from './language.ts';
import { rewrite, type PhraseRewrite } from './rewrite.ts';
import { fileNote, type NoteKind } from './file-notes.ts';
import { openUp } from './open-up.ts';
import { knownFrom } from './presuppose.ts';
import { QuestionClassifier, type QuestionResult } from './questions.ts';
import type { QuestionModel, QuestionModelWeights } from './question-model.ts';
import { phraseWords, tokenise } from './tokens.ts';
import { suggestForArea, suggestOfType, type SuggestOptions, type SuggestedQuestion } from './suggest.ts';

export interface CoachContent {
  questionTypes: z.infer<typeof questionTypesFile>;
  language: z.infer<typeof languageFile>;
  affirmations: z.infer<typeof affirmationsFile>;
  stages: z.infer<typeof stagesFile>;
  reflection: z.infer<typeof reflectionFile>;
  /** The question model's training corpus (optional: the content's examples alone train it) and the form of questions. */
  questionCorpus?: z.infer<typeof questionCorpusFile>;
  questionForm: z.infer<typeof questionFormFile>;
  /** Practice scenarios (prompts/scenarios/); optional so a coach can be built without them. */
  scenarios?: Scenario[];
}

/** The language check's findings and what became of each: `text` is for people to read. */
export interface Reworded extends Reframed {
  /** The reworded text; null when nothing was reworded or a phrase has no safe rewording. */
  reframed: string | null;
  phrases: PhraseRewrite[];
}

export interface Analysis extends Reworded {
  question: QuestionResult | null;
}

export class Coach {
  private readonly language: LanguageChecker;
  private readonly questions: QuestionClassifier;

  /** The surnames of the practice scenarios' fictional people ("Mr Bell"): masking leaves them whole. */
  readonly fictionalSurnames: ReadonlySet<string>;

  /**
   * `trained.questionModel`: the question model already trained on this very content (the build's
   * dist/question-model.json for the shipped content); without it the model is trained here.
   */
  constructor(readonly content: CoachContent, trained: { questionModel?: QuestionModel } = {}) {
    this.fictionalSurnames = new Set((content.scenarios ?? []).flatMap((s) => titledSurnames(JSON.stringify(s))));
    this.language = new LanguageChecker(content.language);
    this.questions = new QuestionClassifier(content.questionTypes.types, content.questionTypes.practicalCues, {
      practicalExamples: content.questionTypes.practicalExamples,
      corpus: content.questionCorpus?.questions,
      chatSpellings: content.questionForm.chatSpellings,
      form: content.questionForm,
      model: trained.questionModel,
    });
  }

  /** The question model's weights, for the build to ship beside the compiled content. */
  questionModelWeights(): QuestionModelWeights {
    return this.questions.modelWeights();
  }

  analyse(text: string): Analysis {
    const tokens = tokenise(text);
    return { ...this.reword(text, this.language.find(text, tokens)), question: this.questions.classify(text, tokens) };
  }

  findDeficitPhrasing(text: string): Finding[] {
    return this.language.find(text);
  }

  /**
   * The findings in `text`, each reworded where a rewording is grammatical and faithful (rewrite.ts);
   * `apply` keeps some findings as they are (a person dismissed them).
   */
  reframe(text: string, apply?: (index: number) => boolean): Reworded {
    const findings = this.language.find(text);
    if (!apply) return this.reword(text, findings);
    const { shown, reframed, phrases } = rewrite(text, findings.filter((_, i) => apply(i)));
    return { text: shown, findings, reframed, phrases };
  }

  // Rewording tags the sentence for grammar (a millisecond or so); the same line comes back often
  // (templates, a pasted note checked again), so recent answers are kept. The findings come from
  // the text alone, so the text is the key.
  private readonly recent = new Map<string, Reworded>();

  private reword(text: string, findings: Finding[]): Reworded {
    if (findings.length === 0) return { text, findings, reframed: null, phrases: [] };
    const known = this.recent.get(text);
    if (known) return known;
    const { shown, reframed, phrases } = rewrite(text, findings);
    const result = { text: shown, findings, reframed, phrases };
    if (this.recent.size >= 256) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(text, result);
    return result;
  }

  /** What a note is about, whatever area it was typed in (file-notes.ts). */
  fileNote(text: string, typedIn?: AreaId): NoteKind {
    const kind = fileNote(text, this.language.find(text).length);
    // Where it was typed still counts where the words alone are neutral: a reframed worry
    // ("walks with purpose at night", typed under worries) stays a worry.
    if (typedIn === 'hopes' && kind !== 'worry') return 'matters';
    if (typedIn === 'worries' && kind !== 'matters') return 'worry';
    return kind;
  }

  /** The practitioner's closed question opened up, where its shape allows (open-up.ts). */
  openUp(question: string): string | undefined {
    return openUp(question);
  }

  /** What a practice scenario says about its person: only questions fitting those facts are offered in practice. */
  knownInScenario(scenario: Scenario): Set<string> {
    return knownFrom([scenario.vignette, ...Object.values(scenario.facts).flatMap((facts) => facts.map((f) => f.says))]);
  }

  classifyQuestion(text: string): QuestionResult | null {
    return this.questions.classify(text);
  }

  ideasOfType(type: QuestionTypeId, options: SuggestOptions): SuggestedQuestion[] {
    return suggestOfType(this.content.questionTypes.types, type, options);
  }

  ideasForArea(areaId: AreaId, options: SuggestOptions): SuggestedQuestion[] {
    const area = this.area(areaId);
    return area ? suggestForArea(this.content.questionTypes.types, area, options) : [];
  }

  affirm(note: string, seed = 0): Affirmation[] {
    return draftAffirmations(note, this.content.affirmations, seed);
  }

  /** How a written affirmation reads: its praise, whether it speaks to the person, its kind. */
  readAffirmation(text: string): AffirmationReading {
    return readAffirmation(text, this.content.affirmations);
  }

  findPraise(text: string): string[] {
    return findPraise(text, this.content.affirmations);
  }

  /** A strengths-based question to ask instead of a piece of problem-talk (content: problem.insteadAsk). */
  strengthsAlternative(question: string): string | undefined {
    const options = this.questionType('problem')?.insteadAsk ?? [];
    const words = ` ${phraseWords(question).join(' ')} `;
    const fits = options.find((o) => o.cues.some((c) => words.includes(` ${phraseWords(c).join(' ')} `)));
    return (fits ?? options.find((o) => o.cues.length === 0))?.ask;
  }

  area(id: AreaId) {
    return this.content.stages.areas.find((a) => a.id === id);
  }

  /**
   * What to say before the type when the classifier is unsure or the message asks more than one
   * question: "That reads as a support or a change question (open)." and which part was read. The
   * first line replaces the plain "That's a … question" when the model is unsure between two types.
   */
  readingOf(question: QuestionResult, text: string): { unsure?: string; part?: string } {
    const out: { unsure?: string; part?: string } = {};
    const openness = question.open ? 'open' : 'closed';
    if (question.alsoReads) {
      const [a, b] = [this.typeLabel(question.type), this.typeLabel(question.alsoReads)];
      out.unsure =
        question.alsoReads === 'other'
          ? `That may be ${withArticle(a)} question (${openness}), or not one of the strengths-based types: it is hard to tell from the wording.`
          : question.type === 'other'
            ? `That may be ${withArticle(b)} question (${openness}), or not one of the strengths-based types: it is hard to tell from the wording.`
            : `That reads as ${withArticle(a)} or ${withArticle(b)} question (${openness}).`;
    }
    if (question.part) {
      const asked = text.slice(question.part.start, question.part.end);
      const shown = asked.length > 80 ? `${asked.slice(0, 77).trimEnd()}…` : asked;
      out.part = `Your message asks ${question.part.of} questions; this is about the one that matters most for the conversation: "${shown}"`;
    }
    return out;
  }

  /** The short name of a type, for sentences: "esteem", "miracle", "problem-talk". */
  typeLabel(id: QuestionTypeId | 'other'): string {
    if (id === 'other') return 'other';
    const name = this.questionType(id)?.name ?? id;
    return name.replace(/^the\s+/i, '').replace(/\s+questions?$/i, '').toLowerCase();
  }

  /** The practice scenarios, in file order. */
  get scenarios(): readonly Scenario[] {
    return this.content.scenarios ?? [];
  }

  scenario(id: string): Scenario | undefined {
    return this.scenarios.find((s) => s.id === id);
  }

  questionType(id: QuestionTypeId) {
    return this.content.questionTypes.types.find((t) => t.id === id);
  }
}

/** "an esteem", "a support": the article a type's short name takes. */
function withArticle(label: string): string {
  return `${/^[aeiou]/i.test(label) ? 'an' : 'a'} ${label}`;
}
