// The group's summary at the end of a practice: who took part and how many contributions each round
// had, question-type coverage as a small text chart, strong examples (anonymous unless the trainer
// chooses names), the deficit phrases most often caught, and reflection questions for the debrief.
import { strengthsTypeIds } from "../src/content/schemas.js";
import { scenarioOf } from "./practice-coaching.js";
export const COVERAGE_HEADING = 'Question types asked';
const BAR_WIDTH = 20;
const NAMES_LISTED = 30;
const PHRASES_LISTED = 5;
const ROUND_TITLES = { questions: 'Round 1, questions', rewrites: 'Round 2, rewrites', affirmations: 'Round 3, affirmations' };
const ROUNDS = Object.keys(ROUND_TITLES);
const EXAMPLE_KIND = { questions: 'Question', rewrites: 'Rewrite', affirmations: 'Affirmation' };
export function buildPracticeSummary(coach, c) {
    const scenario = scenarioOf(coach, c);
    const sections = [];
    sections.push({ heading: 'The scenario', lines: [scenario ? `${scenario.title}. ${scenario.fictionalNote}` : c.scenario] });
    sections.push({ heading: 'Who took part', lines: [whoTookPart(c), ...ROUNDS.map((r) => `${ROUND_TITLES[r]}: ${c.contributions[r]}`)] });
    const asked = c.open + c.closed;
    const notAsked = strengthsTypeIds.filter((t) => !c.coverage[t]);
    sections.push({
        heading: COVERAGE_HEADING,
        lines: asked
            ? [...coverageChart(c.coverage), '', `Open: ${c.open} · Closed: ${c.closed}`, ...(notAsked.length ? [`Not asked yet: ${notAsked.join(', ')}`] : [])]
            : ['No questions were asked.'],
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
        markdown: toMarkdown(title, sections),
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
export function practiceSummary(coach, c) {
    const summary = buildPracticeSummary(coach, c);
    const names = c.names
        ? { id: 'names', label: 'Hide names (trainer)', value: 'hide' }
        : { id: 'names', label: 'Show names with the examples (trainer)', value: 'show' };
    return {
        kind: 'summary',
        audience: 'conversation',
        text: toPlainText(summary),
        summary,
        actions: [names, { id: 'practice', label: 'Another scenario' }],
    };
}
/** "support      ████ 4": one line per type, the bar scaled to the most-asked type. */
export function coverageChart(coverage) {
    const rows = [...strengthsTypeIds, 'problem', 'other'].map((t) => [t === 'problem' ? 'problem-talk' : t, coverage[t] ?? 0]);
    const most = Math.max(1, ...rows.map(([, n]) => n));
    const width = Math.max(...rows.map(([label]) => label.length));
    return rows.map(([label, n]) => `${label.padEnd(width)}  ${'█'.repeat(n ? Math.max(1, Math.round((n / most) * BAR_WIDTH)) : 0)}${n ? ' ' : ''}${n}`);
}
function whoTookPart(c) {
    const count = c.people.length;
    if (count === 0)
        return 'No one has contributed yet.';
    const names = c.people.flatMap((p) => (p.name ? [p.name] : []));
    const people = `${count} practitioner${count === 1 ? '' : 's'}`;
    if (names.length === 0)
        return `${people} took part.`;
    const shown = names.slice(0, NAMES_LISTED);
    const rest = count - shown.length;
    return `${people} took part: ${listOf([...shown, ...(rest ? [`${rest} more`] : [])])}.`;
}
function topPhrases(caught) {
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
function reflectionFor(coach, c) {
    const pool = coach.content.reflection.questions.filter((q) => q.use !== 'rehearsal');
    const scenario = scenarioOf(coach, c);
    const asked = c.open + c.closed;
    const problem = c.coverage.problem ?? 0;
    const typesAsked = strengthsTypeIds.filter((t) => c.coverage[t]).length;
    const caught = Object.values(c.caught).reduce((a, b) => a + b, 0);
    const wanted = [];
    if (asked && problem * 3 >= asked)
        wanted.push('difference-more-strengths-questions');
    else if (asked && typesAsked < 4)
        wanted.push('rarely-asked-types');
    else if (caught > c.contributions.rewrites)
        wanted.push('language-strengths-or-lacks');
    wanted.push(...(scenario?.reflection ?? []));
    const chosen = [...new Set(wanted)].flatMap((id) => pool.filter((q) => q.id === id));
    const from004 = pool.filter((q) => q.source === '004' && !chosen.includes(q));
    const rotated = [...from004.slice(c.seed % Math.max(1, from004.length)), ...from004.slice(0, c.seed % Math.max(1, from004.length))];
    const three = [...chosen, ...rotated].slice(0, 3);
    if (!three.some((q) => q.source === '004') && rotated[0])
        three[three.length - 1] = rotated[0];
    return three.map((q) => q.text);
}
function toMarkdown(title, sections) {
    const body = sections.map((s) => {
        if (s.heading !== COVERAGE_HEADING || s.lines.length < 2)
            return `## ${s.heading}\n${s.lines.map((l) => `- ${l}`).join('\n')}`;
        const gap = s.lines.indexOf('');
        const chart = s.lines.slice(0, gap);
        const rest = s.lines.slice(gap + 1);
        return `## ${s.heading}\n\`\`\`text\n${chart.join('\n')}\n\`\`\`\n${rest.map((l) => `- ${l}`).join('\n')}`;
    });
    return `${[`# ${title}`, ...body].join('\n\n')}\n`;
}
function toPlainText(doc) {
    const sections = doc.sections.map((s) => {
        // The chart's rows are drawn as they are; every other line is a bullet.
        const chartEnd = s.heading === COVERAGE_HEADING ? s.lines.indexOf('') : -1;
        const lines = s.lines.flatMap((l, i) => (i < chartEnd ? [l] : i === chartEnd ? [] : [`• ${l}`]));
        return `${s.heading}\n${lines.join('\n')}`;
    });
    return [doc.title, ...sections].join('\n\n');
}
function listOf(items) {
    if (items.length <= 1)
        return items.join('');
    return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
