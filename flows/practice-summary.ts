// The group's summary at the end of a practice: who took part and how many contributions each round
// had, question-type coverage as a chart of counts, strong examples (anonymous unless the trainer
// chooses names), the deficit phrases most often caught, and reflection questions for the debrief.
import { strengthsTypeIds } from '../src/content/schemas.ts';
import type { Coach } from '../src/coach/index.ts';
import { barLines, makeReply, sections as sectionsOf, summaryMarkdown, type Bar, type Reply, type SummaryDocument, type SummarySection } from '../src/shapes/reply.ts';
import { scenarioOf } from './practice-coaching.ts';
import type { PracticeContext, Round } from './practice.ts';
import { listOf } from './wording.ts';

export const COVERAGE_HEADING = 'Question types asked';
const NAMES_LISTED = 30;
const PHRASES_LISTED = 5;
const ROUND_TITLES: Record<Round, string> = { questions: 'Round 1, questions', rewrites: 'Round 2, rewrites', affirmations: 'Round 3, affirmations' };
const ROUNDS = Object.keys(ROUND_TITLES) as Round[];
const EXAMPLE_KIND: Record<Round, string> = { questions: 'Question', rewrites: 'Rewrite', affirmations: 'Affirmation' };

export function buildPracticeSummary(coach: Coach, c: PracticeContext): SummaryDocument {
  const scenario = scenarioOf(coach, c);
  const sections: SummarySection[] = [];
  sections.push({ heading: 'The scenario', lines: [scenario ? `${scenario.title}. ${scenario.fictionalNote}` : c.scenario] });
  sections.push({ heading: 'Who took part', lines: [whoTookPart(c), ...ROUNDS.map((r) => `${ROUND_TITLES[r]}: ${c.contributions[r]}`)] });

  const asked = c.open + c.closed;
  const notAsked = strengthsTypeIds.filter((t) => !c.coverage[t]);
  sections.push({
    heading: COVERAGE_HEADING,
    ...(asked
      ? { chart: coverageBars(c.coverage), lines: [`Open: ${c.open} · Closed: ${c.closed}`, ...(notAsked.length ? [`Not asked yet: ${notAsked.join(', ')}`] : [])] }
      : { lines: ['No questions were asked.'] }),
  });

  const examples = c.examples.map((e) => `${EXAMPLE_KIND[e.round]}${e.round === 'questions' ? ` (${e.note})` : ''}: "${e.text}"${c.names && e.name ? ` (${e.name})` : ''}`);
  sections.push({ heading: 'Strong examples', lines: examples.length ? examples : ['None yet: the next practice, perhaps.'] });

  const caught = topPhrases(c.caught);
  sections.push({
    heading: 'Deficit phrases most often caught',
    lines: caught.length ? caught.map((p) => `"${p.phrase}" × ${p.count}`) : ['None: every contribution kept to strengths-based words.'],
  });
  sections.push({ heading: 'For discussion', lines: reflectionFor(coach, c) });

  const title = `Practice summary: ${scenario?.name ?? c.scenario}`;
  return {
    kind: 'practice',
    title,
    sections,
    markdown: summaryMarkdown({ title, sections }),
    data: {
      scenario: c.scenario,
      participants: c.people.length,
      contributions: { ...c.contributions },
      coverage: { ...c.coverage },
      open: c.open,
      closed: c.closed,
      caught,
      namesShown: c.names,
    },
  };
}

export function practiceSummary(coach: Coach, c: PracticeContext): Reply {
  const summary = buildPracticeSummary(coach, c);
  const names = c.names
    ? { id: 'names', label: 'Hide names (trainer)', value: 'hide' }
    : { id: 'names', label: 'Show names with the examples (trainer)', value: 'show' };
  return makeReply({
    kind: 'summary',
    audience: 'conversation',
    blocks: [sectionsOf(summary)],
    summary,
    actions: [names, { id: 'practice', label: 'Another scenario' }],
  });
}

/** One bar per question type, in the content's order, problem-talk and other last. */
export function coverageBars(coverage: Record<string, number>): Bar[] {
  return [...strengthsTypeIds, 'problem', 'other'].map((t) => ({ label: t === 'problem' ? 'problem-talk' : t, count: coverage[t] ?? 0 }));
}

/** The coverage chart drawn in characters ("support      ████ 4"), as the plain text and the Markdown draw it. */
export function coverageChart(coverage: Record<string, number>): string[] {
  return barLines(coverageBars(coverage));
}

function whoTookPart(c: PracticeContext): string {
  const count = c.people.length;
  if (count === 0) return 'No one has contributed yet.';
  const names = c.people.flatMap((p) => (p.name ? [p.name] : []));
  const people = `${count} practitioner${count === 1 ? '' : 's'}`;
  if (names.length === 0) return `${people} took part.`;
  const shown = names.slice(0, NAMES_LISTED);
  const rest = count - shown.length;
  return `${people} took part: ${listOf([...shown, ...(rest ? [`${rest} more`] : [])])}.`;
}

function topPhrases(caught: Record<string, number>): { phrase: string; count: number }[] {
  return Object.entries(caught)
    .map(([phrase, count]) => ({ phrase, count }))
    .sort((a, b) => b.count - a.count || a.phrase.localeCompare(b.phrase))
    .slice(0, PHRASES_LISTED);
}

/**
 * Three questions for the debrief (prompts/reflection.yaml, `use: practice` or `both`): one chosen
 * by what the session shows, then those the scenario names, then the council guide's (004), always
 * with at least one of the council guide's.
 */
function reflectionFor(coach: Coach, c: PracticeContext): string[] {
  const pool = coach.content.reflection.questions.filter((q) => q.use !== 'rehearsal');
  const scenario = scenarioOf(coach, c);
  const asked = c.open + c.closed;
  const problem = c.coverage.problem ?? 0;
  const typesAsked = strengthsTypeIds.filter((t) => c.coverage[t]).length;
  const caught = Object.values(c.caught).reduce((a, b) => a + b, 0);
  const wanted: string[] = [];
  if (asked && problem * 3 >= asked) wanted.push('difference-more-strengths-questions');
  else if (asked && typesAsked < 4) wanted.push('rarely-asked-types');
  else if (caught > c.contributions.rewrites) wanted.push('language-strengths-or-lacks');
  wanted.push(...(scenario?.reflection ?? []));
  const chosen = [...new Set(wanted)].flatMap((id) => pool.filter((q) => q.id === id));
  const from004 = pool.filter((q) => q.source === '004' && !chosen.includes(q));
  const rotated = [...from004.slice(c.seed % Math.max(1, from004.length)), ...from004.slice(0, c.seed % Math.max(1, from004.length))];
  const three = [...chosen, ...rotated].slice(0, 3);
  if (!three.some((q) => q.source === '004') && rotated[0]) three[three.length - 1] = rotated[0];
  return three.map((q) => q.text);
}

