// What the rehearsal says at each step. Pure functions of the coach and the rehearsal's context:
// each returns the reply and whatever the machine should keep.
import { areaIds, type AreaId, type QuestionTypeId } from '../src/content/schemas.ts';
import type { Coach, Reworded } from '../src/coach/index.ts';
import { describePhrase, KEPT_MARKER_NOTE } from '../src/coach/rewrite.ts';
import { countOf } from '../src/coach/words.ts';
import { knownFrom } from '../src/coach/presuppose.ts';
import { mentionsCrisis } from '../src/coach/crisis.ts';
import { ideas as ideaList, list, makeReply, notice, paragraph, quote, surround, type Block, type Reply, type ReplyAction } from '../src/shapes/reply.ts';
import type { RehearsalContext } from './rehearsal.ts';
import { clipTo, describeQuestion, firstSentence, listOf } from './wording.ts';

type Reframe = { before: string; after: string };

// The stored state stays small: lists keep their latest items, texts a readable length.
const MAX_ITEMS = 30;
const MAX_TEXT = 400;

export function capped<T>(list: T[]): T[] {
  return list.slice(-MAX_ITEMS);
}

export function clip(text: string): string {
  return clipTo(text, MAX_TEXT);
}

const seedOf = (c: RehearsalContext) => c.seed + c.turns;

const NAV: Record<string, ReplyAction> = {
  next: { id: 'next', label: 'Next area', style: 'primary' },
  skip: { id: 'skip', label: 'Skip this area' },
  back: { id: 'back', label: 'Back to the areas' },
  ideas: { id: 'ideas', label: 'More question ideas' },
  affirm: { id: 'affirm', label: 'Affirmations' },
  done: { id: 'done', label: 'Finish and see the summary' },
  continue: { id: 'next', label: 'Continue', style: 'primary' },
};

/** The area after the current one not yet done or skipped, in the content's order, wrapping round. */
export function nextArea(context: Pick<RehearsalContext, 'area' | 'visited' | 'skipped'>): AreaId | undefined {
  const order = areaIds as readonly AreaId[];
  const start = context.area ? order.indexOf(context.area) + 1 : 0;
  return [...order.slice(start), ...order.slice(0, start)].find((a) => a !== context.area && !context.visited.includes(a) && !context.skipped.includes(a));
}

/** "Next: Family, friends and neighbours", or on to affirmations when every area is done. */
function nextAction(coach: Coach, context: RehearsalContext): ReplyAction {
  const next = nextArea(context);
  return { id: 'next', label: next ? `Next: ${coach.area(next)!.title}` : 'On to affirmations', style: 'primary' };
}

/** The way on from an area, always with skip and finish in reach. */
function areaActions(coach: Coach, context: RehearsalContext): ReplyAction[] {
  return [NAV.ideas!, nextAction(coach, context), NAV.skip!, NAV.back!, NAV.done!];
}

/**
 * The area a typed question fits best: the one in hand if its question types include the
 * question's, else the first area that lists it (problem-talk belongs with the worries).
 */
export function bestAreaFor(coach: Coach, context: Pick<RehearsalContext, 'area'>, type: QuestionTypeId | 'other'): AreaId {
  const areas = coach.content.stages.areas;
  const fits = (id: AreaId) => type !== 'other' && coach.area(id)!.questionTypes.includes(type);
  if (context.area && (type === 'other' || fits(context.area))) return context.area;
  return areas.find((a) => fits(a.id))?.id ?? context.area ?? areas[0]!.id;
}

export function openingReplies(): Reply[] {
  return [
    makeReply({
      kind: 'info',
      blocks: [
        paragraph(
          "Let's rehearse a strengths-based conversation before your visit. We'll go area by area — the person's own " +
            'strengths, their network, their community, their worries and their hopes — in any order you like. Draft the ' +
            "questions you'd ask and I'll say what kind of question each is, suggest others, and reframe any deficit " +
            'phrasing. At the end you get a summary to take with you.',
        ),
        notice(
          'Privacy: use initials, not names, and leave out addresses, dates of birth and NHS numbers. ' +
            'I keep this rehearsal only as long as you need it; say `forget` at any time to erase it.',
        ),
      ],
    }),
    makeReply({
      kind: 'question',
      blocks: [paragraph("What's the visit for, in a sentence? (For example: \"First conversation with Mrs K after her fall — she has asked about a care home.\")")],
      actions: [{ id: 'skip', label: 'Skip this' }],
    }),
  ];
}

export function coachPurpose(coach: Coach, context: RehearsalContext, text: string): { purpose: string; reframes: Reframe[]; reply: Reply } {
  const { reframes, notes } = languageNotes(coach, text);
  const purpose = reframes.length ? reframes[0]!.after : clip(text);
  const lead = notes ? wording('Noted, in strengths-based words:', notes) : [paragraph('Thanks — noted.')];
  return { purpose, reframes, reply: areaMenu(coach, { ...context, purpose }, lead) };
}

export function areaMenu(coach: Coach, context: RehearsalContext, lead: Block[] = []): Reply {
  const areas = coach.content.stages.areas;
  const lines = areas.map((a) => `${a.title}${context.visited.includes(a.id) ? ' (done)' : context.skipped.includes(a.id) ? ' (skipped)' : ''}`);
  return makeReply({
    kind: 'question',
    blocks: [...lead, list(lines, 'Which area would you like to prepare? Take them in any order — the person leads.')],
    actions: [
      ...areas.map((a) => ({ id: 'area', label: a.title, value: a.id, style: context.visited.includes(a.id) ? ('default' as const) : undefined })),
      NAV.affirm!,
      NAV.done!,
    ].map(withoutUndefined),
  });
}

export function areaIntro(coach: Coach, context: RehearsalContext): { reply: Reply; shown: string[] } {
  const area = coach.area(context.area!)!;
  const ideas = coach.ideasForArea(area.id, { seed: seedOf(context), previous: context.shown, known: knownOf(context) });
  const typeNames = area.questionTypes.filter((t) => t !== 'problem').map((t) => typeName(coach, t));
  return {
    shown: ideas.map((i) => i.id),
    reply: makeReply({
      kind: 'coaching',
      blocks: [
        paragraph(`${area.title}\n${area.purpose}`),
        paragraph(area.prompt),
        paragraph(`Question types that serve this area: ${listOf(typeNames)}.`),
        ideaList(
          ideas.map((i) => i.text),
          'Some to start from (pick one to edit, or write your own):',
        ),
        paragraph('Type a draft question and I will coach it.'),
      ],
      suggestions: ideas.map((i) => i.text),
      actions: areaActions(coach, context),
    }),
  };
}

/** More ideas: of a question type, for another area, or for the area in hand. */
export function moreIdeas(coach: Coach, context: RehearsalContext, topic?: string): { reply: Reply; shown: string[] } {
  const options = { seed: seedOf(context), previous: context.shown, known: knownOf(context) };
  const wanted = topic?.trim().toLowerCase();
  const type = coach.content.questionTypes.types.find((t) => t.id === wanted || t.name.toLowerCase() === wanted);
  const areaId = (coach.content.stages.areas.find((a) => a.id === wanted || a.title.toLowerCase() === wanted)?.id ?? context.area) as AreaId | undefined;
  const ideas = type ? coach.ideasOfType(type.id, options) : areaId ? coach.ideasForArea(areaId, options) : [];
  const heading = type ? `${type.name} — ${type.purpose}` : areaId ? `More for ${coach.area(areaId)!.title}` : 'Question ideas';
  return {
    shown: ideas.map((i) => i.id),
    reply: makeReply({
      kind: 'coaching',
      blocks: [ideaList(
        ideas.map((i) => i.text),
        heading,
      )],
      suggestions: ideas.map((i) => i.text),
      actions: context.area ? areaActions(coach, context) : [],
    }),
  };
}

export interface DraftResult {
  reply: Reply;
  question?: RehearsalContext['questions'][number];
  note?: RehearsalContext['notes'][number];
  reframes: Reframe[];
}

/** Coaches what the practitioner typed in an area: a draft question, or something they know or expect. */
export function coachDraft(coach: Coach, context: RehearsalContext, text: string): DraftResult {
  const area = context.area!;
  if (mentionsCrisis(text)) return { reply: crisisReply(), reframes: [] };
  const analysis = coach.analyse(text);
  const { question } = analysis;
  const { reframes, notes } = languageNotes(coach, text, analysis);
  if (!question) {
    const kept = reframes.length ? reframes[0]!.after : clip(text);
    const lead = notes
      ? wording('Noted. Some of that wording frames the person by deficits:', notes)
      : [paragraph(`Noted for ${coach.area(area)!.title.toLowerCase()}.`)];
    return {
      note: { area, text: kept },
      reframes,
      reply: makeReply({
        kind: 'coaching',
        blocks: [...lead, paragraph('What would you ask to find out more? Type a draft question.')],
        actions: areaActions(coach, context),
      }),
    };
  }
  const planned = [...context.questions, { area, text: clip(text), type: question.type, open: question.open }];
  const reading = coach.readingOf(question, text);
  const lines: (string | Block[])[] = [...(reading.part ? [reading.part] : []), reading.unsure ?? describeQuestion(coach, question.type, question.open)];
  if (question.type === 'problem') {
    const instead = coach.strengthsAlternative(text);
    if (instead) lines.push(`It steers towards problems; the person may answer "Yes, no problems at all". Try instead: "${instead}"`);
  } else if (!question.open) {
    // The practitioner's own question, opened up where its shape allows; else an example that fits.
    const reshaped = coach.openUp(text);
    const open = reshaped ? undefined : coach.ideasOfType(question.type === 'other' ? firstType(coach, area) : question.type, { seed: seedOf(context), count: 1, known: knownOf(context) })[0];
    lines.push(
      reshaped
        ? `It can be answered with a yes, a no or a single fact. Open it up: "${reshaped}"`
        : `It can be answered with a yes, a no or a single fact. Open it up${open ? `, for example: "${open.text}"` : ' with "How…", "What…" or "Tell me about…"'}`,
    );
  }
  if (question.type === 'other') lines.push(`It doesn't yet draw out strengths. For this area, try a ${listOf(areaTypes(coach, area).map((t) => coach.typeLabel(t)), 'or')} question.`);
  if (notes) lines.push(wording('Wording:', notes));
  lines.push(balanceLine(coach, planned, area));
  return {
    question: planned[planned.length - 1],
    reframes,
    reply: makeReply({ kind: 'coaching', blocks: lines.flatMap((l) => (typeof l === 'string' ? [paragraph(l)] : l)), actions: areaActions(coach, context) }),
  };
}

/**
 * A question typed where the rehearsal expects something else (the visit's purpose, an affirmation,
 * a next step): coached in the area it fits best and kept with the questions, and the step asked
 * again in a line, with its own way on.
 */
export function coachQuestionElsewhere(coach: Coach, context: RehearsalContext, text: string, area: AreaId, step: { ask: string; actions: ReplyAction[] }): DraftResult {
  const result = coachDraft(coach, { ...context, area }, text);
  if (!result.question) return result;
  const title = coach.area(area)!.title;
  return {
    ...result,
    reply: surround(result.reply, {
      before: [paragraph(`That's a question, so I've kept it with your questions for ${title.toLowerCase()}.`)],
      after: [paragraph(step.ask)],
      actions: step.actions,
    }),
  };
}

/** The purpose asked again, briefly, after a question typed in its place. */
export const PURPOSE_AGAIN = { ask: "And what's the visit for, in a sentence?", actions: [{ id: 'skip', label: 'Skip this' }] };

export function affirmationsStep(): { ask: string; actions: ReplyAction[] } {
  return { ask: 'Now, what have you heard that shows an achievement or what matters to them?', actions: [{ id: 'next', label: 'On to next steps', style: 'primary' }, NAV.back!, NAV.done!] };
}

export function nextStepsStep(): { ask: string; actions: ReplyAction[] } {
  return { ask: 'And which next steps might you agree with the person?', actions: [{ id: 'next', label: 'See the summary', style: 'primary' }, { id: 'back', label: 'Back to affirmations' }] };
}

/** Said once, when the summary is asked for before affirmations and next steps. */
export function offerExtras(): Reply {
  return {
    kind: 'question',
    text: 'Before the summary: add affirmations and next steps to take to the visit, or finish now?',
    actions: [{ id: 'affirm', label: 'Add affirmations first', style: 'primary' }, { id: 'done', label: 'Finish now' }],
  };
}

/** Where a question typed at the area menu was placed: the coaching, under the area it now is in. */
export function placedQuestion(coach: Coach, context: RehearsalContext, text: string): DraftResult {
  const result = coachDraft(coach, context, text);
  const title = coach.area(context.area!)!.title;
  return { ...result, reply: surround(result.reply, { before: [paragraph(`That fits ${title.toLowerCase()}, so we're there now.`)] }) };
}

export function affirmationsPrompt(coach: Coach, context: RehearsalContext): Reply {
  const kinds = coach.content.affirmations.affirmations;
  return makeReply({
    kind: 'question',
    blocks: [
      list(
        kinds.map((k) => `${k.name}: ask yourself "${k.askYourself}"`),
        'Affirmations anchor a person to their strengths and values. They are not praise ("I\'m proud of you"): they are about the person, not your approval.',
      ),
      paragraph(
        `What have you heard, or expect to hear, that shows an achievement or what matters to them? ` +
          `Write it as you'd note it — for example "she has cared for her husband for ten years without paid carers".`,
      ),
      context.affirmations.length > 0 && paragraph(`So far: ${countOf(context.affirmations.length, 'affirmation')} drafted.`),
    ],
    actions: [{ id: 'next', label: 'On to next steps', style: 'primary' }, NAV.back!, NAV.done!],
  });
}

export function coachAffirmation(coach: Coach, context: RehearsalContext, text: string) {
  if (mentionsCrisis(text)) return { affirmations: [], reframes: [] as Reframe[], reply: crisisReply() };
  const { reframes, notes } = languageNotes(coach, text);
  const heard = reframes.length ? reframes[0]!.after : text;
  const drafted = coach.affirm(heard, seedOf(context));
  const praise = coach.findPraise(text);
  const blocks: Block[] = [];
  if (drafted.length === 0) {
    blocks.push(paragraph('I could not find an action to affirm in that. Try a sentence about something the person has done or does, e.g. "he walks to the shop every day despite his knee".'));
  } else {
    blocks.push(
      ideaList(
        drafted.map((a) => `${a.kind === 'adversity' ? 'Success in adversity' : 'Values'}: "${a.text}"`),
        'Drafts to say in your own words:',
      ),
    );
  }
  if (praise.length) blocks.push(paragraph(`"${praise[0]}" is praise, not an affirmation: it centres your approval. Keep the focus on the person.`));
  if (notes) blocks.push(...wording('Wording:', notes));
  return {
    affirmations: drafted.map((a) => ({ kind: a.kind, text: a.text })),
    reframes,
    reply: makeReply({
      kind: 'coaching',
      blocks,
      suggestions: drafted.map((a) => a.text),
      actions: [{ id: 'next', label: 'On to next steps', style: 'primary' as const }, NAV.done!],
    }),
  };
}

export function nextStepsPrompt(context: RehearsalContext): Reply {
  return makeReply({
    kind: 'question',
    blocks: [
      paragraph(
        'What next steps might you agree with the person? One per message — who does what, in the person\'s own terms. ' +
          'Remember that family and community are part of the picture, never a substitute for support the person is entitled to.',
      ),
      context.nextSteps.length > 0 && paragraph(`So far: ${countOf(context.nextSteps.length, 'step')}.`),
    ],
    actions: [{ id: 'next', label: 'See the summary', style: 'primary' }, { id: 'back', label: 'Back to affirmations' }],
  });
}

export function noteNextStep(coach: Coach, context: RehearsalContext, text: string) {
  const { reframes, notes } = languageNotes(coach, text);
  const step = reframes.length ? reframes[0]!.after : clip(text);
  const reply = makeReply({
    kind: 'coaching',
    blocks: [
      ...(notes ? [...wording('Noted, reworded:', notes), paragraph('Add another, or see the summary.')] : [paragraph('Noted. Add another, or see the summary.')]),
      paragraph(`So far: ${countOf(context.nextSteps.length + 1, 'step')}.`),
    ],
    actions: [{ id: 'next', label: 'See the summary', style: 'primary' }],
  });
  return { step, reframes, reply };
}

export function finishedPrompt(): Reply {
  return {
    kind: 'info',
    text: 'This rehearsal is finished. Go back to an area to add more, start a new rehearsal, or say `forget` to erase it.',
    actions: [NAV.back!, { id: 'rehearse', label: 'Start a new rehearsal' }],
  };
}

export function unavailableHere(): Reply {
  return { kind: 'info', text: "That isn't available at this step of the rehearsal. Use the buttons, or say `help`." };
}

export function crisisReply(): Reply {
  return makeReply({
    kind: 'info',
    blocks: [
      notice(
        'That sounds like a crisis. Safety comes first: follow your safeguarding procedures, talk to your manager, ' +
          'and call 999 if someone is in immediate danger. The coach will be here afterwards.',
        'warning',
      ),
    ],
  });
}

interface LanguageNotes {
  /** One line per finding. */
  lines: string[];
  /** The whole text reworded. */
  reframed: string;
}

/**
 * Findings as short lines, and the reframed text when there were any; `reworded` is the one scan,
 * when the caller has it. A phrase with no safe rewording keeps the practitioner's words, marked,
 * with the reason: the reframe recorded is only ever one the coach could make faithfully.
 */
function languageNotes(coach: Coach, text: string, reworded: Reworded = coach.reframe(text)): { reframes: Reframe[]; notes: LanguageNotes | undefined } {
  const { phrases, text: shown, reframed } = reworded;
  if (phrases.length === 0) return { reframes: [], notes: undefined };
  const lines = phrases.map((p) => describePhrase(p, firstSentence));
  return { reframes: reframed === null ? [] : [{ before: clip(text), after: clip(reframed) }], notes: { lines, reframed: shown } };
}

/** The language notes under a lead-in: the findings as a list, the reworded text as a quote. */
function wording(lead: string, notes: LanguageNotes): Block[] {
  const label = notes.reframed.includes('[[') ? `Reframed (${KEPT_MARKER_NOTE.replace(/\.$/, '')}):` : 'Reframed:';
  return [list(notes.lines, lead), quote(notes.reframed, label)];
}


function balanceLine(coach: Coach, planned: RehearsalContext['questions'], area: AreaId): string {
  const problem = planned.filter((q) => q.type === 'problem').length;
  const strengths = planned.filter((q) => q.type !== 'problem' && q.type !== 'other').length;
  const used = new Set(planned.filter((q) => q.area === area).map((q) => q.type));
  const untried = areaTypes(coach, area).filter((t) => !used.has(t));
  return (
    `So far: ${countOf(strengths, 'strengths-based question')} and ${countOf(problem, 'problem-focused question')}.` +
    (untried.length ? ` Not yet tried in this area: ${listOf(untried.map((t) => coach.typeLabel(t)))}.` : '')
  );
}

/** What the practitioner has said about the person: the purpose, their notes and their own questions. */
function knownOf(context: RehearsalContext): Set<string> {
  return knownFrom([context.purpose ?? '', ...context.notes.map((n) => n.text), ...context.questions.map((q) => q.text)]);
}

function areaTypes(coach: Coach, area: AreaId): QuestionTypeId[] {
  return coach.area(area)!.questionTypes.filter((t) => t !== 'problem');
}

function firstType(coach: Coach, area: AreaId): QuestionTypeId {
  return areaTypes(coach, area)[0] ?? 'survival';
}

function typeName(coach: Coach, id: QuestionTypeId): string {
  return coach.questionType(id)?.name ?? id;
}




function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
