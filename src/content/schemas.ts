// The shapes of the coaching content in prompts/. Types come from these schemas, so each shape is
// written once; the loader reports a broken file by file, entry and field.
import { z } from 'zod';

/** Seed files in ../shared/seeds/, by their number; `other` names anything else in `sourceNote`. */
export const sourceId = z.enum(['000', '001', '002', '003', '004']);

export const questionTypeIds = [
  'survival',
  'support',
  'exception',
  'possibility',
  'esteem',
  'perspective',
  'change',
  'miracle',
  'scaling',
  'problem',
] as const;
export const questionTypeId = z.enum(questionTypeIds);
export type QuestionTypeId = z.infer<typeof questionTypeId>;
/** What a question is classified as: one of the ten ids, or `other` when it fits none. */
export type QuestionKind = QuestionTypeId | 'other';

export const categoryIds = ['behaviour', 'identity', 'risk', 'judgement', 'deficit'] as const;
export const category = z.enum(categoryIds);
export type Category = z.infer<typeof category>;

export const areaIds = ['personal', 'network', 'community', 'worries', 'hopes'] as const;
export const areaId = z.enum(areaIds);
export type AreaId = z.infer<typeof areaId>;

const text = z.string().trim().min(1, 'must not be empty');

// ── question-types.yaml ──────────────────────────────────────────────────────────────────────────
export const exampleQuestion = z.strictObject({
  text,
  open: z.boolean(),
  source: sourceId.optional(),
  /**
   * What the question takes for granted about the person (src/coach/presuppose.ts: "relative:son",
   * "study", "diagnosis"…); it is offered only when the practitioner has said so. [] takes nothing.
   */
  presupposes: z.array(text).default([]),
});

/** Phrases that signal a type in a question; each is matched on word boundaries, case-insensitively. */
export const cueList = z.array(text);

export const questionType = z.strictObject({
  id: questionTypeId,
  name: text,
  purpose: text,
  /** When to reach for it, said to the practitioner. */
  hint: text,
  /** Words and phrases that signal this type; the classifier scores them. */
  cues: cueList.min(1),
  /** Words that lean towards this type but turn up in questions of every type (family, friends): half weight. */
  weakCues: cueList.default([]),
  examples: z.array(exampleQuestion).min(8, 'needs at least 8 example questions'),
  source: sourceId.optional(),
  /** For problem-talk: strengths-based questions to ask instead, chosen by the cues they answer. */
  insteadAsk: z
    .array(z.strictObject({ cues: z.array(text).default([]), ask: text, source: sourceId.optional() }))
    .optional(),
});
export type QuestionType = z.infer<typeof questionType>;

export const questionTypesFile = z.strictObject({
  types: z.array(questionType),
  /** Phrases of practical or admin questions ("the letter", "the review"): none of the types. */
  practicalCues: cueList.default([]),
  /** Whole practical or admin questions, from which the classifier learns what "other" sounds like. */
  practicalExamples: z.array(text).default([]),
});

// ── question-corpus.yaml, question-form.yaml ─────────────────────────────────────────────────────
/** Labelled questions by type ("other" for practical ones): what the question model learns from. */
export const questionCorpusFile = z.strictObject({
  /** The question banks and styles the corpus was written from. */
  sources: z.array(text).default([]),
  questions: z.partialRecord(z.enum([...questionTypeIds, 'other']), z.array(text)),
});

/** How questions are written, as data for the classifier. */
export const questionFormFile = z.strictObject({
  /** Chat spellings and the words they stand for ("u": "you", "whats": "what's"), single words only. */
  chatSpellings: z.record(z.string().regex(/^[a-z0-9']+$/, 'a chat spelling is one lower-case word'), text).default({}),
  // The word lists that decide whether a sentence asks and whether it is open (see the file's comments).
  wh: z.array(text).min(1),
  auxiliaries: z.array(text).min(1),
  subjects: z.array(text).min(1),
  framers: z.array(text).min(1),
  requests: z.array(text).min(1),
  openInvitations: z.array(text).min(1),
  leadIns: z.array(text).min(1),
  exclaimAfterWh: z.array(text).min(1),
  factNouns: z.array(text).min(1),
  factFillers: z.array(text).min(1),
  whereOpen: z.array(text).min(1),
  numberWords: z.array(text).min(1),
  ratingLead: z.array(text).min(1),
  hypothetical: z.array(text).min(1),
  miracleWords: z.array(text).min(1),
  changeWords: z.array(text).min(1),
  modals: z.array(text).min(1),
  copingChecks: z.array(text).min(1),
  reportedQuestion: z.array(text).min(1),
  idioms: z.array(text).min(1),
  ratingStory: z.array(text).min(1),
  tags: z.array(text).min(1),
  stop: z.array(text).min(1),
  factAfterWh: z.record(z.string(), z.array(text)),
});
export type QuestionFormLists = z.infer<typeof questionFormFile>;

// ── language.yaml ────────────────────────────────────────────────────────────────────────────────
/**
 * A context in which a term is (or is not) deficit phrasing. `before` phrases must end just
 * before the term, `after` phrases must start just after it; with `within`, anywhere up to that
 * many words away in the same sentence. Filler words (very, quite, really…) are stepped over.
 */
export const contextRule = z
  .strictObject({
    before: z.array(text).optional(),
    after: z.array(text).optional(),
    within: z.number().int().min(0).max(12).optional(),
    /** Limit the rule to these forms of the entry (default: all). */
    forms: z.array(text).optional(),
    note: text.optional(),
  })
  .refine((r) => (r.before?.length ?? 0) + (r.after?.length ?? 0) > 0, {
    message: 'a context rule needs `before` or `after` phrases',
  });
export type ContextRule = z.infer<typeof contextRule>;

export const languageEntry = z.strictObject({
  id: text,
  category,
  /**
   * Each form of the phrase (inflections, spellings; a hyphen and a space are the same) mapped to
   * the words that replace it in a reframed text, in the same grammatical slot.
   */
  forms: z.record(z.string(), text).refine((f) => Object.keys(f).length > 0, 'needs at least one form'),
  /** Further strengths-based alternatives to offer beside the replacement. */
  alternatives: z.array(text).default([]),
  why: text,
  source: sourceId.optional(),
  sourceNote: text.optional(),
  /** Where the person's own preference decides the words, say so. */
  preference: text.optional(),
  /** Fire only in one of these contexts. */
  onlyWhen: z.array(contextRule).optional(),
  /** Never fire in any of these contexts. */
  notWhen: z.array(contextRule).optional(),
  /** Fire even inside the name of a unit, team or service: the name itself is the label ("an EMI unit"). */
  evenInNames: z.boolean().optional(),
  /** Sentences in which the entry must fire; checked by the tests, and a guide for editors. */
  flags: z.array(text).optional(),
  /** Sentences in which the same words are not deficit phrasing; checked by the tests. */
  fineIn: z.array(text).optional(),
});
export type LanguageEntry = z.infer<typeof languageEntry>;

export const languageFile = z
  .strictObject({
    /** Words stepped over when context rules look before or after a term. */
    fillers: z.array(text).default([]),
    /** Named word lists that context rules use as `@name` ("@things was"). */
    lists: z.record(z.string().regex(/^[a-z][a-z-]*$/, 'list names are lower-case words'), z.array(text)).default({}),
    /** Contexts that rule out every entry: the person naming themselves, statutory wording. */
    everyEntry: z.strictObject({ notWhen: z.array(contextRule).default([]) }).default({ notWhen: [] }),
    /**
     * Mention, not use: a quoted term just after one of `before` ("the word 'elderly'", "ticked the")
     * or just before one of `after` ("the 'not coping' box") is talked about, not said of a person.
     */
    mention: z.strictObject({ before: z.array(text).default([]), after: z.array(text).default([]) }).default({ before: [], after: [] }),
    /**
     * Nouns that end the name of an Act, service, team, clinic, ward, panel or form ("the falls team",
     * "the Elderly Care ward", "Safeguarding Vulnerable Groups Act"): a term in such a name is mentioned.
     */
    names: z
      .strictObject({
        nouns: z.array(text).default([]),
        /** Words that open a name in lower case ("the falls team"); a capitalised name needs none. */
        openers: z.array(text).default([]),
      })
      .default({ nouns: [], openers: [] }),
    /** Quoted speech is the person's own when it holds one of `firstPerson`, or one of `reporting` introduces it. */
    ownSpeech: z
      .strictObject({ firstPerson: z.array(text).default([]), reporting: z.array(text).default([]) })
      .default({ firstPerson: [], reporting: [] }),
    entries: z.array(languageEntry),
  })
  .superRefine((file, ctx) => {
    // Every `@name` a rule uses must be a list the file defines.
    const check = (rules: ContextRule[] | undefined, path: (string | number)[]) =>
      rules?.forEach((rule, j) => {
        for (const side of ['before', 'after'] as const) {
          rule[side]?.forEach((phrase, k) => {
            for (const ref of phrase.match(/@[a-z-]+/g) ?? []) {
              if (!(ref.slice(1) in file.lists)) {
                ctx.addIssue({ code: 'custom', path: [...path, j, side, k], message: `names the list ${ref}, which is not defined under \`lists\`` });
              }
            }
          });
        }
      });
    check(file.everyEntry.notWhen, ['everyEntry', 'notWhen']);
    file.entries.forEach((entry, i) => {
      for (const kind of ['onlyWhen', 'notWhen'] as const) check(entry[kind], ['entries', i, kind]);
    });
  });
export type LanguageFile = z.infer<typeof languageFile>;

// ── affirmations.yaml ────────────────────────────────────────────────────────────────────────────
export const affirmationKind = z.enum(['adversity', 'values']);
export type AffirmationKind = z.infer<typeof affirmationKind>;

export const affirmationTemplate = z.strictObject({
  id: affirmationKind,
  name: text,
  /** The question the practitioner asks themselves while listening. */
  askYourself: text,
  example: text,
  source: sourceId.optional(),
  /**
   * Sentences with slots: {you_did} the achievement in the second person ("you've cared for your
   * husband"), {doing} the same as a gerund ("caring for your husband"), {duration} ("for ten
   * years"), {despite} the adversity ("without paid carers"). A template is used only when
   * every slot it names is filled.
   */
  templates: z.array(text).min(1),
});
export const affirmationsFile = z.strictObject({
  affirmations: z.array(affirmationTemplate),
  /** Words that make a sentence praise rather than an affirmation. */
  praiseMarkers: z.array(text).default([]),
});

// ── stages.yaml ──────────────────────────────────────────────────────────────────────────────────
export const area = z.strictObject({
  id: areaId,
  title: text,
  purpose: text,
  questionTypes: z.array(questionTypeId).min(1),
  /** What the coach says to the practitioner on entering the area. */
  prompt: text,
  source: sourceId.optional(),
});
export type Area = z.infer<typeof area>;
export const stagesFile = z.strictObject({ areas: z.array(area) });

// ── reflection.yaml ──────────────────────────────────────────────────────────────────────────────
/** Questions a practitioner (or a training group) asks of their own practice. */
export const reflectionQuestion = z.strictObject({
  id: text,
  text,
  source: sourceId.optional(),
  /** Where it fits best: after a rehearsal, in a group practice debrief, or either. */
  use: z.enum(['rehearsal', 'practice', 'both']).default('both'),
});
export const reflectionFile = z.strictObject({ questions: z.array(reflectionQuestion).min(1) });

// ── scenarios/*.yaml ─────────────────────────────────────────────────────────────────────────────
/** The question types that draw out strengths: every type but problem-talk. */
export const strengthsTypeIds = questionTypeIds.filter((t) => t !== 'problem') as Exclude<QuestionTypeId, 'problem'>[];
export const strengthsTypeId = questionTypeId.exclude(['problem']);
export type StrengthsTypeId = z.infer<typeof strengthsTypeId>;

/** One thing the simulated person can say, in the first person, and the kinds of question that draw it out. */
export const scenarioFact = z.strictObject({
  says: text,
  draws: z.array(strengthsTypeId).min(1, 'name at least one question type that draws this out'),
});
export type ScenarioFact = z.infer<typeof scenarioFact>;

const lines = z.array(text).min(1, 'needs at least one line');

/**
 * A fictional person for group practice (flows/practice.ts), drawn from a situation in the seeds.
 * Everything the simulated person says is one of these lines: it never invents a fact.
 */
export const scenario = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case words joined by hyphens, e.g. fall-care-home'),
    title: text,
    /** Every scenario is invented, and says so. */
    fictional: z.literal(true, { error: 'every scenario must be fictional: set `fictional: true`' }),
    /** The line that says so, shown with the vignette. */
    fictionalNote: text,
    /** How the group addresses the person and the chat names them: "Mr Bell", "Peggy". */
    name: text,
    sources: z.array(sourceId).min(1, 'name the seed(s) the situation comes from'),
    /** Which situation in the seed(s), in a sentence. */
    sourceNote: text,
    /** The situation in the person's own words. */
    vignette: text,
    /** What the person can say, by conversation area. */
    facts: z.strictObject({
      personal: z.array(scenarioFact).min(1),
      network: z.array(scenarioFact).min(1),
      community: z.array(scenarioFact).min(1),
      worries: z.array(scenarioFact).min(1),
      hopes: z.array(scenarioFact).min(1),
    }),
    /** Short, guarded answers: to problem-talk, to closed checks ("Can you manage?"), to labels, and to what fits no type. */
    guarded: z.strictObject({
      problem: lines,
      check: lines,
      /** When the question itself uses deficit phrasing about them. */
      labelled: lines,
      other: lines,
    }),
    /** A short case note in deficit language, for the group to rewrite. */
    caseNote: text,
    /** Affirmations a practitioner might say, shown as examples in feedback. */
    affirmations: z.array(z.strictObject({ kind: affirmationKind, text })).min(1),
    /** Ids from reflection.yaml that suit a debrief of this scenario. */
    reflection: z.array(text).default([]),
  })
  .superRefine((s, ctx) => {
    // Every strengths-based question gets a real answer: at least two facts for each type.
    const all = Object.values(s.facts).flat();
    for (const type of strengthsTypeIds) {
      const n = all.filter((f) => f.draws.includes(type)).length;
      if (n < 2) ctx.addIssue({ code: 'custom', path: ['facts'], message: `only ${n} fact(s) draw out a ${type} question: tag at least two with \`draws: [${type}]\`` });
    }
  });
export type Scenario = z.infer<typeof scenario>;
