// The rehearsal's summary: what matters to the person, strengths by area, worries (not "risks"),
// the planned questions by type, reframes, affirmations, next steps and one reflection question.
import { areaIds, questionTypeIds } from '../src/content/schemas.ts';
import type { Coach } from '../src/coach/index.ts';
import { makeReply, paragraph, sections as sectionsOf, summaryMarkdown, type Reply, type SummaryDocument, type SummarySection } from '../src/shapes/reply.ts';
import { countOf } from '../src/coach/words.ts';
import type { RehearsalContext } from './rehearsal.ts';

/** Said wherever the network appears: strengths-based is never a reason to withdraw support (000, 002). */
export const NETWORK_IS_NOT_A_SUBSTITUTE =
  "The person's network and community are part of their life, not a substitute for care and support they are entitled to.";

export function buildRehearsalSummary(coach: Coach, c: RehearsalContext): SummaryDocument {
  const sections: SummarySection[] = [];
  const areaTitle = (id: string) => coach.area(id as (typeof areaIds)[number])?.title ?? id;

  if (c.purpose) sections.push({ heading: 'The visit', lines: [c.purpose] });
  // Each note goes where what it says belongs, whatever area it was typed in (src/coach/file-notes.ts).
  const filed = c.notes.map((n) => ({ ...n, kind: coach.fileNote(n.text, n.area) }));
  const of = (kind: string) => filed.filter((n) => n.kind === kind);
  const matters = of('matters').map((n) => n.text);
  sections.push({ heading: 'What matters to the person', lines: matters.length ? matters : ['Not yet noted: ask what a good life looks like to them.'] });
  const strengths = of('strength').map((n) => `${areaTitle(n.area)}: ${n.text}`);
  const networkInView = c.visited.includes('network') || c.visited.includes('community') || of('network').length > 0;
  sections.push({ heading: 'Strengths by area', lines: strengths.length ? strengths : ['None noted yet.'] });
  if (of('network').length) sections.push({ heading: 'Who is around', lines: of('network').map((n) => n.text) });
  sections.push({ heading: 'Worries', lines: of('worry').length ? of('worry').map((n) => n.text) : ['None noted yet.'] });

  const byType = new Map<string, string[]>();
  for (const q of c.questions) {
    if (q.type !== 'problem') byType.set(q.type, [...(byType.get(q.type) ?? []), `${q.text}${q.open ? '' : ' (closed)'}`]);
  }
  const used = questionTypeIds.filter((t) => t !== 'problem' && byType.has(t));
  const untried = questionTypeIds.filter((t) => t !== 'problem' && !byType.has(t));
  const problemTalk = c.questions.filter((q) => q.type === 'problem');
  const problem = problemTalk.length;
  const strengthsCount = c.questions.length - problem - (byType.get('other')?.length ?? 0);
  const questionLines: string[] = [];
  for (const [type, texts] of byType) {
    const name = type === 'other' ? 'Other questions' : coach.questionType(type as (typeof questionTypeIds)[number])!.name;
    questionLines.push(`${name} (${texts.length}): ${texts.join(' · ')}`);
  }
  questionLines.push(
    `Coverage: ${used.length} of ${countOf(questionTypeIds.length - 1, 'strengths-based type')}; ${countOf(strengthsCount, 'strengths-based question')} and ${countOf(problem, 'problem-focused question')}.`,
  );
  if (untried.length) questionLines.push(`Not yet tried: ${untried.map((t) => coach.typeLabel(t)).join(', ')}.`);
  sections.push({ heading: 'Questions planned', lines: c.questions.length ? questionLines : ['No questions drafted yet.'] });
  if (problem) {
    // Problem-talk is kept, with the stronger question to ask in its place beside it.
    sections.push({
      heading: 'Problem-talk, with a stronger question',
      lines: problemTalk.map((q) => {
        const instead = coach.strengthsAlternative(q.text);
        return instead ? `"${q.text}" → try "${instead}"` : `"${q.text}"`;
      }),
    });
  }

  if (c.reframes.length) sections.push({ heading: 'Reframes', lines: c.reframes.map((r) => `"${r.before}" → "${r.after}"`) });
  if (c.affirmations.length) sections.push({ heading: 'Affirmations', lines: c.affirmations.map((a) => a.text) });
  sections.push({ heading: 'Next steps', lines: c.nextSteps.length ? c.nextSteps : ['To agree with the person.'] });
  if (networkInView) sections.push({ heading: 'Keep in mind', lines: [NETWORK_IS_NOT_A_SUBSTITUTE] });
  sections.push({ heading: 'A question for you', lines: [reflectionFor(coach, c)] });

  const title = 'Rehearsal summary';
  return {
    kind: 'rehearsal',
    title,
    sections,
    markdown: summaryMarkdown({ title, sections }),
    data: {
      questions: c.questions.length,
      typesUsed: used,
      typesNotTried: untried,
      strengthsQuestions: strengthsCount,
      problemQuestions: problem,
      areasVisited: c.visited,
      areasSkipped: c.skipped,
    },
  };
}

export function rehearsalSummary(coach: Coach, c: RehearsalContext): Reply {
  const summary = buildRehearsalSummary(coach, c);
  // Started from a case thread: the practitioner decides whether the summary goes there.
  const consent =
    c.origin && !c.shared
      ? [
          { id: 'share', label: 'Post to the case thread', value: 'post', style: 'primary' as const },
          { id: 'share', label: 'Keep private', value: 'private' },
        ]
      : [];
  return makeReply({
    kind: 'summary',
    blocks: [sectionsOf(summary), consent.length > 0 && paragraph('Post this summary to the case thread, or keep it private?')],
    summary,
    actions: [...consent, { id: 'back', label: 'Back to the areas' }, { id: 'rehearse', label: 'Start a new rehearsal' }],
  });
}

/** Posts the summary to the case thread it started from, and nowhere else — only when asked. */
export function shareSummary(coach: Coach, c: RehearsalContext, post: boolean): { replies: Reply[]; shared?: 'posted' | 'private' } {
  if (!c.origin) return { replies: [{ kind: 'info', text: 'This rehearsal did not start from a case thread, so there is nowhere to post it. Copy the summary if you need it.' }] };
  if (c.shared === 'posted' && post) return { replies: [{ kind: 'info', text: 'The summary is already in the case thread.' }] };
  if (!post) return { shared: 'private', replies: [{ kind: 'info', text: 'Kept private: nothing was posted.' }] };
  const summary = buildRehearsalSummary(coach, c);
  return {
    shared: 'posted',
    replies: [
      makeReply({ kind: 'summary', blocks: [sectionsOf(summary)], summary, share: { origin: c.origin } }),
      { kind: 'info', text: 'Posted to the case thread.' },
    ],
  };
}

/**
 * "Carry on" pressed from a case thread: the rehearsal now goes with that thread, so the summary's
 * Post sends it there. Said, because it changes where the summary may go.
 */
export function adoptedOrigin(hadOne: boolean): Reply {
  const where = hadOne
    ? 'Carrying on. This rehearsal now goes with the case thread you have just come from, in place of the one it started from: when you finish, you can post the summary there or keep it private.'
    : 'Carrying on. This rehearsal now goes with the case thread you have just come from: when you finish, you can post the summary there or keep it private.';
  return { kind: 'info', text: where };
}

/** One reflection question (seed 004, 002), chosen by what the rehearsal shows. */
function reflectionFor(coach: Coach, c: RehearsalContext): string {
  const questions = coach.content.reflection.questions.filter((q) => q.use !== 'practice');
  const problem = c.questions.filter((q) => q.type === 'problem').length;
  const byId = (id: string) => questions.find((q) => q.id === id)?.text;
  // Problem-heavy plans and few types used each call for a different reflection.
  if (problem > 0 && problem * 2 >= c.questions.length) return byId('difference-more-strengths-questions') ?? pick(questions, c).text;
  if (new Set(c.questions.map((q) => q.type)).size < 3) return byId('rarely-asked-types') ?? pick(questions, c).text;
  return pick(questions, c).text;
}

function pick<T>(list: T[], c: RehearsalContext): T {
  return list[(c.seed + c.turns) % list.length]!;
}
