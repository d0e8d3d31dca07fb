import { mentionsCrisis } from "../src/coach/crisis.js";
// The stored state stays small: lists keep their latest items, texts a readable length.
const MAX_ITEMS = 30;
const MAX_TEXT = 400;
export function capped(list) {
    return list.slice(-MAX_ITEMS);
}
export function clip(text) {
    const t = text.trim().replace(/\s+/g, ' ');
    return t.length > MAX_TEXT ? `${t.slice(0, MAX_TEXT - 1)}…` : t;
}
const seedOf = (c) => c.seed + c.turns;
const NAV = {
    next: { id: 'next', label: 'Next area', style: 'primary' },
    skip: { id: 'skip', label: 'Skip this area' },
    back: { id: 'back', label: 'Back to the areas' },
    ideas: { id: 'ideas', label: 'More question ideas' },
    affirm: { id: 'affirm', label: 'Affirmations' },
    done: { id: 'done', label: 'Finish and see the summary' },
    continue: { id: 'next', label: 'Continue', style: 'primary' },
};
export function openingReplies() {
    return [
        {
            kind: 'info',
            text: "Let's rehearse a strengths-based conversation before your visit. We'll go area by area — the person's own " +
                'strengths, their network, their community, their worries and their hopes — in any order you like. Draft the ' +
                "questions you'd ask and I'll say what kind of question each is, suggest others, and reframe any deficit " +
                'phrasing. At the end you get a summary to take with you.\n\n' +
                'Privacy: use initials, not names, and leave out addresses, dates of birth and NHS numbers. ' +
                'I keep this rehearsal only as long as you need it; say `forget` at any time to erase it.',
        },
        {
            kind: 'question',
            text: "What's the visit for, in a sentence? (For example: \"First conversation with Mrs K after her fall — she has asked about a care home.\")",
            actions: [{ id: 'skip', label: 'Skip this' }],
        },
    ];
}
export function coachPurpose(coach, context, text) {
    const { reframes, notes } = languageNotes(coach, text);
    const purpose = reframes.length ? reframes[0].after : clip(text);
    const menu = areaMenu(coach, { ...context, purpose });
    const lead = reframes.length ? `Noted, in strengths-based words:\n${notes}\n\n` : 'Thanks — noted.\n\n';
    return { purpose, reframes, reply: { ...menu, text: lead + menu.text } };
}
export function areaMenu(coach, context) {
    const areas = coach.content.stages.areas;
    const lines = areas.map((a) => `• ${a.title}${context.visited.includes(a.id) ? ' (done)' : context.skipped.includes(a.id) ? ' (skipped)' : ''}`);
    return {
        kind: 'question',
        text: `Which area would you like to prepare? Take them in any order — the person leads.\n${lines.join('\n')}`,
        actions: [
            ...areas.map((a) => ({ id: 'area', label: a.title, value: a.id, style: context.visited.includes(a.id) ? 'default' : undefined })),
            NAV.affirm,
            NAV.done,
        ].map(withoutUndefined),
    };
}
export function areaIntro(coach, context) {
    const area = coach.area(context.area);
    const ideas = coach.ideasForArea(area.id, { seed: seedOf(context), previous: context.shown });
    const typeNames = area.questionTypes.filter((t) => t !== 'problem').map((t) => typeName(coach, t));
    return {
        shown: ideas.map((i) => i.id),
        reply: {
            kind: 'coaching',
            text: `${area.title}\n${area.purpose}\n\n${area.prompt}\n\n` +
                `Question types that serve this area: ${listOf(typeNames)}.\n` +
                `Some to start from (pick one to edit, or write your own):\n${ideas.map((i) => `• ${i.text}`).join('\n')}\n\n` +
                'Type a draft question and I will coach it.',
            suggestions: ideas.map((i) => i.text),
            actions: [NAV.ideas, NAV.next, NAV.skip, NAV.back, NAV.done],
        },
    };
}
/** More ideas: of a question type, for another area, or for the area in hand. */
export function moreIdeas(coach, context, topic) {
    const options = { seed: seedOf(context), previous: context.shown };
    const wanted = topic?.trim().toLowerCase();
    const type = coach.content.questionTypes.types.find((t) => t.id === wanted || t.name.toLowerCase() === wanted);
    const areaId = (coach.content.stages.areas.find((a) => a.id === wanted || a.title.toLowerCase() === wanted)?.id ?? context.area);
    const ideas = type ? coach.ideasOfType(type.id, options) : areaId ? coach.ideasForArea(areaId, options) : [];
    const heading = type ? `${type.name} questions — ${type.purpose}` : areaId ? `More for ${coach.area(areaId).title}` : 'Question ideas';
    return {
        shown: ideas.map((i) => i.id),
        reply: {
            kind: 'coaching',
            text: `${heading}\n${ideas.map((i) => `• ${i.text}`).join('\n')}`,
            suggestions: ideas.map((i) => i.text),
            actions: context.area ? [NAV.ideas, NAV.next, NAV.back] : [],
        },
    };
}
/** Coaches what the practitioner typed in an area: a draft question, or something they know or expect. */
export function coachDraft(coach, context, text) {
    const area = context.area;
    if (mentionsCrisis(text))
        return { reply: crisisReply(), reframes: [] };
    const { findings, question, reframed } = coach.analyse(text);
    const { reframes, notes } = languageNotes(coach, text, { findings, text: reframed });
    if (!question) {
        const kept = reframes.length ? reframes[0].after : clip(text);
        const lead = reframes.length
            ? `Noted. Some of that wording frames the person by deficits:\n${notes}`
            : `Noted for ${coach.area(area).title.toLowerCase()}.`;
        return {
            note: { area, text: kept },
            reframes,
            reply: {
                kind: 'coaching',
                text: `${lead}\n\nWhat would you ask to find out more? Type a draft question.`,
                actions: [NAV.ideas, NAV.next, NAV.back],
            },
        };
    }
    const planned = [...context.questions, { area, text: clip(text), type: question.type, open: question.open }];
    const lines = [describeQuestion(coach, question.type, question.open)];
    if (question.type === 'problem') {
        const instead = coach.strengthsAlternative(text);
        if (instead)
            lines.push(`It steers towards problems; the person may answer "Yes, no problems at all". Try instead: "${instead}"`);
    }
    else if (!question.open) {
        const open = coach.ideasOfType(question.type === 'other' ? firstType(coach, area) : question.type, { seed: seedOf(context), count: 1 })[0];
        lines.push(`It can be answered with a yes, a no or a single fact. Open it up${open ? `, for example: "${open.text}"` : ' with "How…", "What…" or "Tell me about…"'}`);
    }
    if (question.type === 'other')
        lines.push(`It doesn't yet draw out strengths. For this area, try a ${listOf(areaTypes(coach, area).map((t) => coach.typeLabel(t)), 'or')} question.`);
    if (notes)
        lines.push(`Wording:\n${notes}`);
    lines.push(balanceLine(coach, planned, area));
    return {
        question: planned[planned.length - 1],
        reframes,
        reply: { kind: 'coaching', text: lines.join('\n\n'), actions: [NAV.ideas, NAV.next, NAV.back] },
    };
}
export function affirmationsPrompt(coach, context) {
    const kinds = coach.content.affirmations.affirmations;
    return {
        kind: 'question',
        text: 'Affirmations anchor a person to their strengths and values. They are not praise ("I\'m proud of you"): they are about the person, not your approval.\n' +
            kinds.map((k) => `• ${k.name}: ask yourself "${k.askYourself}"`).join('\n') +
            `\n\nWhat have you heard, or expect to hear, that shows an achievement or what matters to them? ` +
            `Write it as you'd note it — for example "she has cared for her husband for ten years without paid carers".` +
            (context.affirmations.length ? `\n\nSo far: ${context.affirmations.length} affirmation(s) drafted.` : ''),
        actions: [{ id: 'next', label: 'On to next steps', style: 'primary' }, NAV.back, NAV.done],
    };
}
export function coachAffirmation(coach, context, text) {
    if (mentionsCrisis(text))
        return { affirmations: [], reframes: [], reply: crisisReply() };
    const { reframes, notes } = languageNotes(coach, text);
    const heard = reframes.length ? reframes[0].after : text;
    const drafted = coach.affirm(heard, seedOf(context));
    const praise = coach.findPraise(text);
    const lines = [];
    if (drafted.length === 0) {
        lines.push('I could not find an action to affirm in that. Try a sentence about something the person has done or does, e.g. "he walks to the shop every day despite his knee".');
    }
    else {
        lines.push('Drafts to say in your own words:');
        for (const a of drafted)
            lines.push(`• ${a.kind === 'adversity' ? 'Success in adversity' : 'Values'}: "${a.text}"`);
    }
    if (praise.length)
        lines.push(`"${praise[0]}" is praise, not an affirmation: it centres your approval. Keep the focus on the person.`);
    if (notes)
        lines.push(`Wording:\n${notes}`);
    return {
        affirmations: drafted.map((a) => ({ kind: a.kind, text: a.text })),
        reframes,
        reply: {
            kind: 'coaching',
            text: lines.join('\n\n'),
            suggestions: drafted.map((a) => a.text),
            actions: [{ id: 'next', label: 'On to next steps', style: 'primary' }, NAV.done],
        },
    };
}
export function nextStepsPrompt(context) {
    return {
        kind: 'question',
        text: 'What next steps might you agree with the person? One per message — who does what, in the person\'s own terms. ' +
            'Remember that family and community are part of the picture, never a substitute for support the person is entitled to.' +
            (context.nextSteps.length ? `\n\nSo far: ${context.nextSteps.length} step(s).` : ''),
        actions: [{ id: 'next', label: 'See the summary', style: 'primary' }, { id: 'back', label: 'Back to affirmations' }],
    };
}
export function noteNextStep(coach, context, text) {
    const { reframes, notes } = languageNotes(coach, text);
    const step = reframes.length ? reframes[0].after : clip(text);
    const reply = {
        kind: 'coaching',
        text: `${notes ? `Noted, reworded:\n${notes}` : 'Noted.'} Add another, or see the summary.\n\nSo far: ${context.nextSteps.length + 1} step(s).`,
        actions: [{ id: 'next', label: 'See the summary', style: 'primary' }],
    };
    return { step, reframes, reply };
}
export function finishedPrompt() {
    return {
        kind: 'info',
        text: 'This rehearsal is finished. Go back to an area to add more, start a new rehearsal, or say `forget` to erase it.',
        actions: [NAV.back, { id: 'rehearse', label: 'Start a new rehearsal' }],
    };
}
export function unavailableHere() {
    return { kind: 'info', text: "That isn't available at this step of the rehearsal. Use the buttons, or say `help`." };
}
export function crisisReply() {
    return {
        kind: 'info',
        text: 'That sounds like a crisis. Safety comes first: follow your safeguarding procedures, talk to your manager, ' +
            'and call 999 if someone is in immediate danger. The coach will be here afterwards.',
    };
}
/** Findings as short lines, and the reframed text when there were any; `reframed` is the one scan, when the caller has it. */
function languageNotes(coach, text, reframed = coach.reframe(text)) {
    const { findings: found, text: after } = reframed;
    if (found.length === 0)
        return { reframes: [], notes: '' };
    const notes = found.map((f) => `• "${f.text}" → "${f.suggestion}": ${firstSentence(f.why)}${f.preference ? ` (${f.preference})` : ''}`).join('\n');
    return { reframes: [{ before: clip(text), after: clip(after) }], notes: `${notes}\nReframed: ${after}` };
}
function describeQuestion(coach, type, open) {
    const openness = open ? 'open' : 'closed';
    if (type === 'other')
        return `That's a question (${openness}), but not one of the strengths-based types.`;
    const info = coach.questionType(type);
    const label = coach.typeLabel(type);
    return `That's ${articleFor(label)} ${label} question (${openness}). ${firstSentence(info.purpose)}`;
}
function balanceLine(coach, planned, area) {
    const problem = planned.filter((q) => q.type === 'problem').length;
    const strengths = planned.filter((q) => q.type !== 'problem' && q.type !== 'other').length;
    const used = new Set(planned.filter((q) => q.area === area).map((q) => q.type));
    const untried = areaTypes(coach, area).filter((t) => !used.has(t));
    return (`So far: ${strengths} strengths-based and ${problem} problem-focused question(s).` +
        (untried.length ? ` Not yet tried in this area: ${listOf(untried.map((t) => coach.typeLabel(t)))}.` : ''));
}
function areaTypes(coach, area) {
    return coach.area(area).questionTypes.filter((t) => t !== 'problem');
}
function firstType(coach, area) {
    return areaTypes(coach, area)[0] ?? 'survival';
}
function typeName(coach, id) {
    return coach.questionType(id)?.name ?? id;
}
function firstSentence(text) {
    const m = /^.*?[.!?](?=\s|$)/.exec(text.trim());
    return (m ? m[0] : text).trim();
}
function articleFor(word) {
    return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
function listOf(items, joiner = 'and') {
    if (items.length <= 1)
        return items.join('');
    return `${items.slice(0, -1).join(', ')} ${joiner} ${items[items.length - 1]}`;
}
function withoutUndefined(o) {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
