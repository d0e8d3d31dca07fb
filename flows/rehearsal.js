// The rehearsal: a practitioner prepares a strengths-based visit, area by area, and leaves with a
// summary. Read the machine top to bottom as the design; the behaviour it names is below it and
// in rehearsal-coaching.ts. It emits replies; it never sends them.
import { assign, emit, enqueueActions, setup } from 'xstate';
import { areaIds } from "../src/content/schemas.js";
import { affirmationsPrompt, areaIntro, areaMenu, capped, coachAffirmation, coachDraft, coachPurpose, finishedPrompt, moreIdeas, nextStepsPrompt, noteNextStep, openingReplies, unavailableHere, } from "./rehearsal-coaching.js";
import { rehearsalSummary, shareSummary } from "./rehearsal-summary.js";
export const REHEARSAL_VERSION = 1;
export function createRehearsalMachine(coach) {
    const firstUnvisited = (c, after) => {
        const order = areaIds;
        const start = after ? order.indexOf(after) + 1 : 0;
        return [...order.slice(start), ...order.slice(0, start)].find((a) => !c.visited.includes(a) && !c.skipped.includes(a));
    };
    return setup({
        types: {
            context: {},
            events: {},
            emitted: {},
            input: {},
        },
        guards: {
            hasUnvisitedArea: ({ context }) => firstUnvisited(context, context.area) !== undefined,
            visitedSomething: ({ context }) => context.visited.length > 0,
        },
        actions: {
            // Each action works out its result once, then keeps what it must and says what it should.
            greet: enqueueActions(({ enqueue }) => openingReplies().forEach((reply) => enqueue.emit(replyEvent(reply)))),
            askPurpose: emit(() => replyEvent(openingReplies()[1])),
            takePurpose: enqueueActions(({ context, event, enqueue }) => {
                if (event.type !== 'TEXT')
                    return;
                const { purpose, reframes, reply } = coachPurpose(coach, context, event.text);
                enqueue.assign({ purpose, reframes: capped([...context.reframes, ...reframes]), turns: context.turns + 1 });
                enqueue.emit(replyEvent(reply));
            }),
            showMenu: emit(({ context }) => replyEvent(areaMenu(coach, context))),
            chooseArea: assign(({ context, event }) => {
                if (event.type !== 'AREA')
                    return {};
                return { area: event.area, visited: addOnce(context.visited, event.area), skipped: context.skipped.filter((a) => a !== event.area) };
            }),
            moveToNextArea: assign(({ context }) => {
                const area = firstUnvisited(context, context.area);
                return { area, visited: addOnce(context.visited, area) };
            }),
            skipArea: assign(({ context }) => ({
                skipped: context.area ? addOnce(context.skipped, context.area) : context.skipped,
                visited: context.visited.filter((a) => a !== context.area),
            })),
            introduceArea: enqueueActions(({ context, enqueue }) => {
                const { reply, shown } = areaIntro(coach, context);
                enqueue.assign({ shown, turns: context.turns + 1 });
                enqueue.emit(replyEvent(reply));
            }),
            offerIdeas: enqueueActions(({ context, event, enqueue }) => {
                const { reply, shown } = moreIdeas(coach, context, event.type === 'IDEAS' ? event.topic : undefined);
                enqueue.assign({ shown, turns: context.turns + 1 });
                enqueue.emit(replyEvent(reply));
            }),
            coachDraft: enqueueActions(({ context, event, enqueue }) => {
                if (event.type !== 'TEXT' || !context.area)
                    return;
                const result = coachDraft(coach, context, event.text);
                enqueue.assign({
                    questions: capped(result.question ? [...context.questions, result.question] : context.questions),
                    notes: capped(result.note ? [...context.notes, result.note] : context.notes),
                    reframes: capped([...context.reframes, ...result.reframes]),
                    turns: context.turns + 1,
                });
                enqueue.emit(replyEvent(result.reply));
            }),
            promptAffirmations: emit(({ context }) => replyEvent(affirmationsPrompt(coach, context))),
            draftAffirmations: enqueueActions(({ context, event, enqueue }) => {
                if (event.type !== 'TEXT')
                    return;
                const { affirmations, reframes, reply } = coachAffirmation(coach, context, event.text);
                enqueue.assign({
                    affirmations: capped([...context.affirmations, ...affirmations]),
                    reframes: capped([...context.reframes, ...reframes]),
                    turns: context.turns + 1,
                });
                enqueue.emit(replyEvent(reply));
            }),
            promptNextSteps: emit(({ context }) => replyEvent(nextStepsPrompt(context))),
            addNextStep: enqueueActions(({ context, event, enqueue }) => {
                if (event.type !== 'TEXT')
                    return;
                const { step, reframes, reply } = noteNextStep(coach, context, event.text);
                enqueue.assign({ nextSteps: capped([...context.nextSteps, step]), reframes: capped([...context.reframes, ...reframes]) });
                enqueue.emit(replyEvent(reply));
            }),
            saySummary: emit(({ context }) => replyEvent(rehearsalSummary(coach, context))),
            share: enqueueActions(({ context, event, enqueue }) => {
                if (event.type !== 'SHARE')
                    return;
                const { replies, shared } = shareSummary(coach, context, event.post);
                if (shared)
                    enqueue.assign({ shared });
                replies.forEach((reply) => enqueue.emit(replyEvent(reply)));
            }),
            sayFinished: emit(() => replyEvent(finishedPrompt())),
            notHere: emit(() => replyEvent(unavailableHere())),
        },
    }).createMachine({
        id: 'rehearsal',
        context: ({ input }) => ({
            visited: [],
            skipped: [],
            questions: [],
            notes: [],
            reframes: [],
            affirmations: [],
            nextSteps: [],
            shown: [],
            turns: 0,
            seed: input?.seed ?? 0,
            ...(input?.origin ? { origin: input.origin } : {}),
        }),
        initial: 'purpose',
        on: {
            DONE: { target: '.summary' },
            AFFIRM: { target: '.affirming' },
            AREA: { target: '.area', actions: 'chooseArea', reenter: true },
        },
        states: {
            purpose: {
                entry: 'greet',
                on: {
                    TEXT: { target: 'choosing', actions: 'takePurpose' },
                    SKIP: { target: 'choosing', actions: 'showMenu' },
                    NEXT: { target: 'choosing', actions: 'showMenu' },
                    PROMPT: { actions: 'askPurpose' },
                    BACK: { actions: 'notHere' },
                    IDEAS: { actions: 'notHere' },
                },
            },
            choosing: {
                on: {
                    NEXT: [
                        { guard: 'hasUnvisitedArea', target: 'area', actions: 'moveToNextArea' },
                        { target: 'affirming' },
                    ],
                    SKIP: [
                        { guard: 'hasUnvisitedArea', target: 'area', actions: 'moveToNextArea' },
                        { target: 'affirming' },
                    ],
                    TEXT: { actions: 'showMenu' },
                    PROMPT: { actions: 'showMenu' },
                    BACK: { target: 'purpose' },
                    IDEAS: { actions: 'notHere' },
                },
            },
            area: {
                entry: 'introduceArea',
                on: {
                    TEXT: { actions: 'coachDraft' },
                    IDEAS: { actions: 'offerIdeas' },
                    NEXT: [
                        { guard: 'hasUnvisitedArea', target: 'area', actions: 'moveToNextArea', reenter: true },
                        { target: 'affirming' },
                    ],
                    SKIP: [
                        { guard: 'hasUnvisitedArea', target: 'area', actions: ['skipArea', 'moveToNextArea'], reenter: true },
                        { target: 'affirming', actions: 'skipArea' },
                    ],
                    BACK: { target: 'choosing', actions: 'showMenu' },
                    PROMPT: { actions: 'offerIdeas' },
                },
            },
            affirming: {
                entry: 'promptAffirmations',
                on: {
                    TEXT: { actions: 'draftAffirmations' },
                    NEXT: { target: 'planning' },
                    SKIP: { target: 'planning' },
                    BACK: { target: 'choosing', actions: 'showMenu' },
                    IDEAS: { actions: 'notHere' },
                    PROMPT: { actions: 'promptAffirmations' },
                },
            },
            planning: {
                entry: 'promptNextSteps',
                on: {
                    TEXT: { actions: 'addNextStep' },
                    NEXT: { target: 'summary' },
                    SKIP: { target: 'summary' },
                    BACK: { target: 'affirming' },
                    IDEAS: { actions: 'notHere' },
                    PROMPT: { actions: 'promptNextSteps' },
                },
            },
            summary: {
                entry: 'saySummary',
                on: {
                    BACK: { target: 'choosing', actions: 'showMenu' },
                    TEXT: { actions: 'sayFinished' },
                    NEXT: { actions: 'sayFinished' },
                    SKIP: { actions: 'sayFinished' },
                    IDEAS: { actions: 'notHere' },
                    PROMPT: { actions: 'saySummary' },
                    DONE: { actions: 'saySummary' },
                    SHARE: { actions: 'share' },
                },
            },
        },
    });
}
function replyEvent(reply) {
    return { type: 'reply', reply };
}
function addOnce(list, item) {
    return list.includes(item) ? list : [...list, item];
}
