// Small pieces of wording every flow uses, kept once: clipping what is stored, the first sentence of
// a description, "a"/"an", lists in prose, a question's type said in a sentence, and the event a
// flow emits a reply with.
import type { Coach } from '../src/coach/index.ts';
import type { QuestionTypeId } from '../src/content/schemas.ts';
import type { Reply } from '../src/shapes/reply.ts';

/** What every flow emits: a reply, for the engine to deliver once the new state is stored. */
export type ReplyEmitted = { type: 'reply'; reply: Reply };

export function replyEvent(reply: Reply): ReplyEmitted {
  return { type: 'reply', reply };
}

/** Text on one line and at most `max` characters, an ellipsis marking a cut. */
export function clipTo(text: string, max: number): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export function firstSentence(text: string): string {
  const m = /^.*?[.!?](?=\s|$)/.exec(text.trim());
  return (m ? m[0] : text).trim();
}

/** "an esteem", "a support". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/** "a, b and c" (or "a, b or c"). */
export function listOf(items: string[], joiner = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${joiner} ${items[items.length - 1]}`;
}

/** "That's an esteem question (open). What gives the person pride…" */
export function describeQuestion(coach: Coach, type: QuestionTypeId | 'other', open: boolean): string {
  const openness = open ? 'open' : 'closed';
  if (type === 'other') return `That's a question (${openness}), but not one of the strengths-based types.`;
  return `That's ${withArticle(coach.typeLabel(type))} question (${openness}). ${firstSentence(coach.questionType(type)?.purpose ?? '')}`.trim();
}
