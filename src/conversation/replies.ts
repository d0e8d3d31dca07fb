// Replies the engine gives outside a flow: help, ideas, the language check, forget.
import type { Coach } from '../coach/index.ts';
import { describePhrase, KEPT_MARKER_NOTE } from '../coach/rewrite.ts';
import { countOf } from '../coach/words.ts';
import type { SuggestOptions } from '../coach/suggest.ts';
import { ideas as ideaList, list, makeReply, paragraph, quote, type Reply } from '../shapes/reply.ts';

const HELP = list(
  [
    'rehearse — prepare a visit, area by area, and leave with a summary',
    'ideas [type or area] — question ideas, e.g. "ideas support" or "ideas hopes"',
    'reframe <text> — check a case note for deficit phrasing and get a strengths-based rewording',
    'next, back, skip, summary — find your way around a rehearsal',
    'practice [scenario] — a practice exercise for a team, in a shared channel or thread: whoever starts it is the trainer, who moves on with next and finishes with end',
    'forget — erase everything I keep about you',
  ],
  'I coach strengths-based conversations in adult social care. Say:',
);

const START_ACTIONS = [
  { id: 'rehearse', label: 'Start a rehearsal', style: 'primary' as const },
  { id: 'ideas', label: 'Question ideas' },
  { id: 'help', label: 'Help' },
];

export function helpReply(): Reply {
  return makeReply({
    kind: 'info',
    blocks: [HELP, paragraph("Use initials, not names. I coach your practice; I don't assess eligibility or replace supervision.")],
    actions: START_ACTIONS,
  });
}

export function capabilitiesReply(): Reply {
  return {
    kind: 'info',
    text:
      'I can help you rehearse a visit, give you question ideas, or reframe deficit phrasing in a note ' +
      '(say `reframe` and paste the text). Say `help` for the full list.',
    actions: START_ACTIONS,
  };
}

export function forgottenReply(): Reply {
  return { kind: 'info', text: 'Done: everything I kept about you — your rehearsals and their history — has been erased.' };
}

export function rehearsalInProgressReply(): Reply {
  return {
    kind: 'info',
    audience: 'author',
    text: 'You have a rehearsal in progress in this conversation. Finish it (`summary`) first, or start the practice in your team\'s channel or thread.',
  };
}

export function reframeReply(coach: Coach, text: string): Reply {
  if (!text.trim()) {
    return { kind: 'info', text: 'Paste the text after the word, e.g. `reframe Mr B wanders at night and is wheelchair-bound.`' };
  }
  const { text: shown, phrases } = coach.reframe(text);
  if (phrases.length === 0) return { kind: 'coaching', text: 'No deficit phrasing found. The wording already keeps the person in view.' };
  const lines = phrases.map((p) => describePhrase(p, (why) => why, true));
  const marked = shown.includes('[[') ? ` (${KEPT_MARKER_NOTE.replace(/\.$/, '')})` : '';
  return makeReply({
    kind: 'coaching',
    blocks: [list(lines, `${countOf(phrases.length, 'phrase')} to reconsider${marked}:`), quote(shown, 'Reframed:')],
    // The text to copy and edit: where a phrase had no safe rewording it is there, marked, to finish by hand.
    suggestions: [shown],
  });
}

/** Ideas of a type or an area; a topic the coach does not know gets the list of what it does know. */
export function ideasReply(coach: Coach, topic: string | undefined, options: SuggestOptions): { reply: Reply; shown?: string[] } {
  const types = coach.content.questionTypes.types;
  const areas = coach.content.stages.areas;
  const wanted = topic?.trim().toLowerCase();
  const known = `Types: ${types.map((t) => t.id).join(', ')}. Areas: ${areas.map((a) => a.id).join(', ')}.`;
  if (!wanted) {
    const ideas = coach.ideasOfType(types[options.seed % (types.length - 1)]!.id, options);
    return listIdeas('A few strengths-based questions to try', ideas, `Ask for a kind: ${known}`, undefined);
  }
  const type = types.find((t) => t.id === wanted || t.name.toLowerCase() === wanted);
  if (type) return listIdeas(`${type.name} — ${type.purpose}`, coach.ideasOfType(type.id, options), type.hint, type.id);
  const area = areas.find((a) => a.id === wanted || a.title.toLowerCase() === wanted);
  if (area) return listIdeas(`Questions for ${area.title.toLowerCase()}`, coach.ideasForArea(area.id, options), area.purpose, area.id);
  return { reply: { kind: 'info', text: `I don't know "${topic}" as a question type or area. ${known}` } };
}

function listIdeas(heading: string, ideas: { id: string; text: string }[], footer: string, topic: string | undefined) {
  return {
    shown: ideas.map((i) => i.id),
    reply: makeReply({
      kind: 'coaching',
      blocks: [
        ideaList(
          ideas.map((i) => i.text),
          heading,
        ),
        paragraph(footer),
      ],
      suggestions: ideas.map((i) => i.text),
      actions: [{ id: 'ideas', label: 'More ideas', ...(topic ? { value: topic } : {}) }, { id: 'rehearse', label: 'Start a rehearsal' }],
    }),
  };
}
