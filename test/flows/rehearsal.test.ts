// The rehearsal statechart, read two ways: as a graph (every state reachable, every shortest route
// to the summary walked by a real actor) and as a conversation (what the coach says in each area,
// how it reframes, what the summary holds, and that a persisted snapshot carries on).
import { getShortestPaths, getSimplePaths, toDirectedGraph, type DirectedGraphNode } from '@xstate/graph';
import { createActor, type SnapshotFrom } from 'xstate';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createRehearsalMachine,
  type RehearsalContext,
  type RehearsalEvent,
  type RehearsalMachine,
} from '../../flows/rehearsal.ts';
import type { Coach } from '../../src/coach/index.ts';
import { loadCoach } from '../../src/content/index.ts';
import { areaIds, type AreaId } from '../../src/content/schemas.ts';
import type { Reply, SummaryDocument } from '../../src/conversation/types.ts';

type Snapshot = SnapshotFrom<RehearsalMachine>;

const DRAFT = 'Who do you turn to when things are hard?';
const STATEMENT = 'He wanders at night';
const AFFIRMATION_NOTE = 'she has cared for her husband for ten years without paid carers';
/** Strengths-based practice never lets the network stand in for support the person is entitled to. */
const NETWORK_SENTENCE = /not a substitute for (care and )?support (the person is|they are) entitled to/;
/** The states the design names, top to bottom. */
const STATES = ['purpose', 'choosing', 'area', 'affirming', 'planning', 'summary'];

let coach: Coach;
let machine: RehearsalMachine;

beforeAll(() => {
  coach = loadCoach();
  machine = createRehearsalMachine(coach);
});

/** Representative events: each kind the machine takes, with a draft question and a statement as text. */
function representativeEvents(): RehearsalEvent[] {
  return [
    { type: 'TEXT', text: DRAFT },
    { type: 'TEXT', text: STATEMENT },
    ...areaIds.map((area): RehearsalEvent => ({ type: 'AREA', area })),
    { type: 'NEXT' },
    { type: 'BACK' },
    { type: 'SKIP' },
    { type: 'IDEAS' },
    { type: 'AFFIRM' },
    { type: 'DONE' },
    { type: 'PROMPT' },
    { type: 'SHARE', post: true },
    { type: 'SHARE', post: false },
  ];
}

/** A real actor that records every reply it emits. */
function rehearsal(options: { seed?: number; snapshot?: unknown } = {}) {
  const replies: Reply[] = [];
  const actor = options.snapshot
    ? createActor(machine, { snapshot: options.snapshot as Snapshot, input: {} }) // input is not used when restoring
    : createActor(machine, { input: { seed: options.seed ?? 1 } });
  actor.on('reply', (e) => replies.push(e.reply));
  actor.start();
  return {
    actor,
    replies,
    context: (): RehearsalContext => actor.getSnapshot().context,
    state: (): string => String(actor.getSnapshot().value),
    /** Sends one event and returns the replies it caused. */
    send(event: RehearsalEvent): Reply[] {
      const from = replies.length;
      actor.send(event);
      return replies.slice(from);
    },
  };
}

const text = (t: string): RehearsalEvent => ({ type: 'TEXT', text: t });
const area = (a: AreaId): RehearsalEvent => ({ type: 'AREA', area: a });
const only = (replies: Reply[]): Reply => {
  expect(replies).toHaveLength(1);
  return replies[0]!;
};

function lastSummary(replies: Reply[]): SummaryDocument {
  const last = replies[replies.length - 1];
  expect(last?.kind).toBe('summary');
  expect(last?.summary).toBeDefined();
  return last!.summary!;
}

const section = (doc: SummaryDocument, heading: string) => doc.sections.find((s) => s.heading === heading);

/**
 * The summary's sections as the rehearsal's context allows: "The visit" only with a purpose, the
 * optional Reframes and Affirmations only when there are some, the rest always; and each planned
 * question, next step, affirmation and note carried into it.
 */
function expectSummaryFits(doc: SummaryDocument, c: RehearsalContext): void {
  const headings = doc.sections.map((s) => s.heading);
  // The sections the design names, in this order, each present exactly when the context allows
  // (other sections may sit between them).
  const expected = [
    ...(c.purpose ? ['The visit'] : []),
    'What matters to the person',
    'Strengths by area',
    'Worries',
    'Questions planned',
    ...(c.reframes.length ? ['Reframes'] : []),
    ...(c.affirmations.length ? ['Affirmations'] : []),
    'Next steps',
    'A question for you',
  ];
  const named = ['The visit', 'What matters to the person', 'Strengths by area', 'Worries', 'Questions planned', 'Reframes', 'Affirmations', 'Next steps', 'A question for you'];
  expect(headings.filter((h) => named.includes(h))).toEqual(expected);
  expect(new Set(headings).size).toBe(headings.length);
  expect(headings.some((h) => /risk/i.test(h))).toBe(false);

  // The Markdown is the same document: a title, then every section as a heading with its lines.
  expect(doc.markdown.startsWith(`# ${doc.title}\n`)).toBe(true);
  for (const s of doc.sections) {
    expect(doc.markdown).toContain(`## ${s.heading}\n`);
    for (const line of s.lines) expect(doc.markdown).toContain(`- ${line}`);
    expect(s.lines.length).toBeGreaterThan(0);
  }

  if (c.purpose) expect(section(doc, 'The visit')!.lines).toEqual([c.purpose]);
  const planned = section(doc, 'Questions planned')!.lines.join('\n');
  for (const q of c.questions.filter((q) => q.type !== 'problem')) expect(planned).toContain(q.text);
  // Problem-talk has its own heading, each with the stronger question beside it.
  const problemTalk = c.questions.filter((q) => q.type === 'problem');
  if (problemTalk.length) {
    const lines = section(doc, 'Problem-talk, with a stronger question')!.lines;
    for (const q of problemTalk) expect(lines.some((l) => l.startsWith(`"${q.text}" → try "`))).toBe(true);
  } else expect(section(doc, 'Problem-talk, with a stronger question')).toBeUndefined();
  for (const step of c.nextSteps) expect(section(doc, 'Next steps')!.lines).toContain(step);
  for (const a of c.affirmations) expect(section(doc, 'Affirmations')!.lines).toContain(a.text);
  for (const r of c.reframes) expect(section(doc, 'Reframes')!.lines.join('\n')).toContain(r.after);
  // Each note is filed by what it says, wherever it was typed.
  const headingOf = { matters: 'What matters to the person', worry: 'Worries', network: 'Who is around', strength: 'Strengths by area' } as const;
  for (const n of c.notes) expect(section(doc, headingOf[coach.fileNote(n.text, n.area)])!.lines.join('\n')).toContain(n.text);
  if (c.visited.includes('network')) expect(doc.markdown).toMatch(NETWORK_SENTENCE);
  expect(section(doc, 'A question for you')!.lines).toHaveLength(1);
  // A question, though it may end on a quotation ('…"How did you learn to cope?"').
  expect(section(doc, 'A question for you')!.lines[0]).toMatch(/\?["”]?$/);
}

describe('rehearsal machine as a graph', () => {
  const byValue = (s: Snapshot) => JSON.stringify(s.value);

  it('is walked with a representative of every event type the machine handles', () => {
    const sent = new Set(representativeEvents().map((e) => e.type));
    expect([...machine.events].sort()).toEqual([...sent].sort());
  });

  it('reaches every state node from the start', () => {
    const declared = Object.keys(machine.root.states);
    expect(declared.sort()).toEqual([...STATES].sort());

    const paths = getShortestPaths(machine, { events: representativeEvents(), serializeState: byValue, input: { seed: 1 } });
    const reached = new Set(paths.map((p) => String(p.state.value)));
    expect([...reached].sort()).toEqual([...STATES].sort());
    // None of them is reached through an error: every path ends in a running machine.
    for (const p of paths) expect(p.state.status).toBe('active');
  });

  it('leaves no dead end: every state lies on a simple route to the summary', () => {
    // One AREA event is enough here: the five only differ in context, and the value graph is what counts.
    const events = representativeEvents().filter((e) => e.type !== 'AREA' || e.area === 'network');
    const paths = getSimplePaths(machine, {
      events,
      serializeState: byValue,
      input: { seed: 1 },
      toState: (s) => s.matches('summary'),
    });
    expect(paths.length).toBeGreaterThan(0);
    const onSomeRoute = new Set(paths.flatMap((p) => p.steps.map((s) => String(s.state.value))));
    expect([...onSomeRoute].sort()).toEqual([...STATES].sort());
  });

  it('has a static graph whose edges all land on declared states', () => {
    const graph = toDirectedGraph(machine);
    const all = (node: DirectedGraphNode): DirectedGraphNode[] => [node, ...node.children.flatMap(all)];
    const nodes = all(graph);
    const ids = new Set(nodes.map((n) => n.id));
    expect([...ids].sort()).toEqual(['rehearsal', ...STATES.map((s) => `rehearsal.${s}`)].sort());
    const targets = new Set(nodes.flatMap((n) => n.edges.map((e) => e.target.id)));
    for (const target of targets) expect(ids.has(target)).toBe(true);
    // Every state but the initial one is the target of some transition.
    for (const s of STATES.filter((s) => s !== machine.root.initial!.target[0]!.key)) {
      expect(targets.has(`rehearsal.${s}`)).toBe(true);
    }
  });

  it('walks every shortest path to the summary with a real actor and gets a fitting summary', () => {
    // States told apart by value and by what the summary depends on, so that the shortest paths cover
    // summaries with and without a purpose, questions, notes, reframes, affirmations, next steps and the network.
    const features = (s: Snapshot): string => {
      const c = s.context;
      return JSON.stringify([
        s.value,
        !!c.purpose,
        c.visited.includes('network'),
        c.questions.length > 0,
        c.notes.length > 0,
        c.reframes.length > 0,
        c.affirmations.length > 0,
        c.nextSteps.length > 0,
      ]);
    };
    const paths = getShortestPaths(machine, {
      events: representativeEvents(),
      serializeState: features,
      input: { seed: 1 },
      toState: (s) => s.matches('summary'),
    });
    expect(paths.length).toBeGreaterThanOrEqual(16);

    const contexts: RehearsalContext[] = [];
    for (const path of paths) {
      const run = rehearsal({ seed: 1 });
      // @xstate/graph starts each path with the machine's init event, which is not ours to send.
      const events = path.steps.map((s) => s.event).filter((e) => (e.type as string) !== 'xstate.init');
      for (const event of events) run.send(event);
      const route = JSON.stringify(events);
      expect(run.state(), route).toBe('summary');
      // The real actor lands in the class of states the graph says this path reaches
      // (path.state is one representative of that class, not necessarily this very state).
      expect(features(run.actor.getSnapshot()), route).toBe(features(path.state));
      expectSummaryFits(lastSummary(run.replies), run.context());
      contexts.push(run.context());
    }

    // Enough variety to mean something: summaries with and without each optional part.
    const parts: ((c: RehearsalContext) => boolean)[] = [
      (c) => !!c.purpose,
      (c) => c.questions.length > 0,
      (c) => c.notes.length > 0,
      (c) => c.reframes.length > 0,
      (c) => c.affirmations.length > 0,
      (c) => c.nextSteps.length > 0,
      (c) => c.visited.includes('network'),
    ];
    for (const has of parts) {
      expect(contexts.some(has), String(has)).toBe(true);
      expect(contexts.some((c) => !has(c)), String(has)).toBe(true);
    }
  });
});

describe('rehearsal: coaching in each area', () => {
  const cases: { area: AreaId; draft: string; type: string; open: boolean }[] = [
    { area: 'personal', draft: 'What are you good at?', type: 'esteem', open: true },
    { area: 'network', draft: 'Who do you turn to when things are hard?', type: 'support', open: true },
    { area: 'community', draft: 'What would you like to try in your neighbourhood?', type: 'possibility', open: true },
    { area: 'worries', draft: 'On a scale of 0 to 10, how worried are you about going home?', type: 'scaling', open: false },
    {
      area: 'hopes',
      draft: "If you woke up tomorrow and the worries had gone, what would be the first thing you'd notice?",
      type: 'miracle',
      open: true,
    },
  ];

  for (const c of cases) {
    it(`${c.area}: "${c.draft}" is coached as a ${c.open ? 'open' : 'closed'} ${c.type} question`, () => {
      const run = rehearsal();
      run.send(text('First visit to Mrs K after her fall'));
      const intro = only(run.send(area(c.area)));
      expect(intro.text.startsWith(coach.area(c.area)!.title)).toBe(true);

      const reply = only(run.send(text(c.draft)));
      expect(reply.text).toContain(`${c.type} question (${c.open ? 'open' : 'closed'})`);
      if (!c.open) expect(reply.text).toContain('Open it up');
      expect(run.context().questions).toEqual([{ area: c.area, text: c.draft, type: c.type, open: c.open }]);
      expect(run.state()).toBe('area');
    });
  }

  it('offers a strengths-based alternative to a problem question', () => {
    const run = rehearsal();
    run.send(area('personal'));
    const reply = only(run.send(text('Can you manage?')));
    expect(reply.text).toContain('problem');
    const instead = /Try instead: "([^"]+)"/.exec(reply.text);
    expect(instead).not.toBeNull();
    // The alternative is itself a strengths-based question, not more problem-talk.
    const classified = coach.classifyQuestion(instead![1]!);
    expect(classified).not.toBeNull();
    expect(['problem', 'other']).not.toContain(classified!.type);
    expect(run.context().questions[0]).toMatchObject({ type: 'problem', open: false });
  });

  it('reframes deficit phrasing in a statement and carries the reframe into the summary', () => {
    const run = rehearsal();
    run.send(text('Review of support at home'));
    run.send(area('worries'));
    const reply = only(run.send(text(STATEMENT)));
    expect(reply.text).toContain('"wanders"');
    expect(reply.text).toContain('walks with purpose');
    const note = run.context().notes.at(-1)!;
    expect(note.area).toBe('worries');
    expect(note.text).toMatch(/walks with purpose/);
    expect(note.text).not.toMatch(/wanders/);

    run.send({ type: 'DONE' }); // offers affirmations and next steps first
    const summary = lastSummary(run.send({ type: 'DONE' }));
    const reframes = section(summary, 'Reframes')!.lines;
    expect(reframes.some((l) => l.includes(`"${STATEMENT}"`) && /walks with purpose/.test(l))).toBe(true);
    expect(section(summary, 'Worries')!.lines.join(' ')).toMatch(/walks with purpose/);
    expectSummaryFits(summary, run.context());
  });

  it('takes the areas in any order, and skips and revisits them', () => {
    const run = rehearsal();
    run.send({ type: 'SKIP' }); // no purpose
    expect(run.state()).toBe('choosing');
    const hopes = only(run.send(area('hopes')));
    expect(hopes.text.startsWith(coach.area('hopes')!.title)).toBe(true);
    expect(run.context()).toMatchObject({ area: 'hopes', visited: ['hopes'] });

    // Next from the last area wraps round to the first one not yet visited.
    const next = only(run.send({ type: 'NEXT' }));
    const first = areaIds.find((a) => a !== 'hopes')!;
    expect(run.context().area).toBe(first);
    expect(next.text.startsWith(coach.area(first)!.title)).toBe(true);

    // Skipping moves on and remembers the skip.
    run.send({ type: 'SKIP' });
    const second = areaIds.filter((a) => a !== 'hopes' && a !== first)[0]!;
    expect(run.context()).toMatchObject({ area: second, skipped: [first], visited: ['hopes', second] });

    // The menu shows what was done and what was skipped.
    const menu = only(run.send({ type: 'BACK' }));
    expect(run.state()).toBe('choosing');
    expect(menu.text).toContain(`${coach.area('hopes')!.title} (done)`);
    expect(menu.text).toContain(`${coach.area(first)!.title} (skipped)`);

    // A skipped area can be revisited: it is no longer skipped, and what is drafted there lands there.
    run.send(area(first));
    expect(run.context().skipped).toEqual([]);
    expect(run.context().visited).toContain(first);
    run.send(text(DRAFT));
    expect(run.context().questions.at(-1)!.area).toBe(first);
  });

  it('never shows the same three ideas twice in a row in an area', () => {
    for (const a of areaIds) {
      const run = rehearsal({ seed: 7 });
      const sets = [only(run.send(area(a))).suggestions!];
      for (let i = 0; i < 12; i++) sets.push(only(run.send({ type: 'IDEAS' })).suggestions!);
      const pool = new Set(
        coach.area(a)!.questionTypes.filter((t) => t !== 'problem').flatMap((t) => coach.questionType(t)!.examples.filter((e) => e.open).map((e) => e.text)),
      );
      for (let i = 0; i < sets.length; i++) {
        expect(sets[i]).toHaveLength(3);
        expect(new Set(sets[i]).size).toBe(3);
        for (const s of sets[i]!) expect(pool.has(s), `${s} is an open example of ${a}'s types`).toBe(true);
        if (i > 0) expect([...sets[i]!].sort(), `${a}: set ${i} repeats set ${i - 1}`).not.toEqual([...sets[i - 1]!].sort());
      }
    }
  });

  it('files each note by what it says, whatever area it was typed in', () => {
    const run = rehearsal();
    run.send(text('Visit to Mrs K, 84, after a fall'));
    run.send(area('personal'));
    run.send(text('She is confused and wanders at night'));
    run.send(text('She wants to stay in the house'));
    run.send(text('She still bakes for the whole street'));
    run.send(area('network'));
    run.send(text('Her son visits on Sundays'));
    run.send({ type: 'DONE' }); // offers affirmations and next steps first
    const summary = lastSummary(run.send({ type: 'DONE' }));
    const lines = (heading: string) => section(summary, heading)?.lines.join('\n') ?? '';
    // A deficit note typed under the person's strengths is a worry, reframed.
    expect(lines('Worries')).toContain('She is confused and walks with purpose at night');
    expect(lines('Strengths by area')).not.toMatch(/confused|wanders/);
    // "wants to…" is what matters to her, wherever it was typed.
    expect(lines('What matters to the person')).toContain('She wants to stay in the house');
    expect(lines('What matters to the person')).not.toMatch(/Not yet noted/);
    expect(lines('Strengths by area')).toContain('She still bakes for the whole street');
    expect(lines('Who is around')).toContain('Her son visits on Sundays');
    expectSummaryFits(summary, run.context());
  });

  it('lists problem-talk under its own heading with the stronger question beside it, and counts in words', () => {
    const run = rehearsal();
    run.send(text('Review with Mr B'));
    run.send(area('worries'));
    run.send(text('Are you coping?'));
    run.send(text('How have you got through the hard days?'));
    run.send({ type: 'DONE' }); // offers affirmations and next steps first
    const summary = lastSummary(run.send({ type: 'DONE' }));
    const problem = section(summary, 'Problem-talk, with a stronger question')!.lines;
    expect(problem).toHaveLength(1);
    expect(problem[0]).toMatch(/^"Are you coping\?" → try ".+\?"$/);
    const planned = section(summary, 'Questions planned')!.lines.join('\n');
    expect(planned).not.toContain('Are you coping?');
    expect(planned).toContain('1 strengths-based question and 1 problem-focused question');
    expect(summary.markdown).not.toMatch(/\(s\)|questions questions/i);
    expectSummaryFits(summary, run.context());
  });

  it('calls worries worries, and says the network is no substitute for support when the network was visited', () => {
    const run = rehearsal();
    run.send(text('Planning a review with Mr B'));
    run.send(area('network'));
    run.send(text('His daughter visits on Sundays'));
    run.send(area('worries'));
    run.send(text('He is worried about the stairs'));
    run.send({ type: 'DONE' }); // offers affirmations and next steps first
    const summary = lastSummary(run.send({ type: 'DONE' }));
    expect(summary.sections.map((s) => s.heading)).toContain('Worries');
    expect(summary.markdown).not.toMatch(/^#+ .*risk/im);
    expect(summary.markdown).toMatch(NETWORK_SENTENCE);
    expectSummaryFits(summary, run.context());
  });

  it('drafts an adversity and a values affirmation, in the second person and without praise', () => {
    const run = rehearsal();
    run.send({ type: 'SKIP' });
    const prompt = only(run.send({ type: 'AFFIRM' }));
    expect(run.state()).toBe('affirming');
    expect(prompt.kind).toBe('question');

    const reply = only(run.send(text(AFFIRMATION_NOTE)));
    const drafted = run.context().affirmations;
    expect(drafted.map((a) => a.kind).sort()).toEqual(['adversity', 'values']);
    expect(reply.suggestions).toEqual(drafted.map((a) => a.text));
    const markers = coach.content.affirmations.praiseMarkers.map((m) => m.toLowerCase());
    expect(markers.length).toBeGreaterThan(0);
    for (const a of drafted) {
      expect(a.text).toMatch(/\byou(r|'ve|'re)?\b/i);
      expect(a.text).not.toMatch(/\b(she|her|he|his)\b/i);
      expect(a.text).toMatch(/husband/);
      expect(coach.findPraise(a.text)).toEqual([]);
      for (const m of markers) expect(a.text.toLowerCase()).not.toContain(m);
    }
    expect(drafted.find((a) => a.kind === 'adversity')!.text).toMatch(/without paid carers/);

    // Praise in the practitioner's own note is pointed out.
    const praised = only(run.send(text(`Well done, ${AFFIRMATION_NOTE}`)));
    expect(praised.text).toMatch(/is praise, not an affirmation/);
  });
});

describe('rehearsal: persisted snapshots', () => {
  it('survives JSON and carries on to the summary', () => {
    const first = rehearsal({ seed: 11 });
    first.send(text('First conversation with Mrs K after her fall'));
    first.send(area('network'));
    first.send(text(DRAFT));
    first.send(text(STATEMENT));
    const stored = JSON.parse(JSON.stringify(first.actor.getPersistedSnapshot()));
    first.actor.stop();

    const second = rehearsal({ snapshot: stored });
    expect(second.state()).toBe('area');
    expect(second.context()).toEqual(first.context());
    // Restoring does not replay entry actions: nothing is said until the next event.
    expect(second.replies).toEqual([]);

    second.send(text('Who would you like to see more of?'));
    expect(second.context().questions.map((q) => q.text)).toEqual([DRAFT, 'Who would you like to see more of?']);
    second.send({ type: 'AFFIRM' });
    second.send(text(AFFIRMATION_NOTE));
    second.send({ type: 'NEXT' });
    expect(second.state()).toBe('planning');
    second.send(text('Ask his daughter what she would like to keep doing'));
    second.send({ type: 'NEXT' });
    expect(second.state()).toBe('summary');
    const summary = lastSummary(second.replies);
    expectSummaryFits(summary, second.context());
    expect(summary.markdown).toContain(DRAFT);
    expect(summary.markdown).toContain('Who would you like to see more of?');
    expect(summary.markdown).toContain('First conversation with Mrs K after her fall');
  });
});

describe('rehearsal: Carry on from a case thread', () => {
  it('adopts the thread it is resumed from in any step, says so once, and offers Post again after a post elsewhere', () => {
    const r = rehearsal({ seed: 5 });
    // Resumed without a thread, or from the one it already has: only the step again, nothing about threads.
    expect(r.send({ type: 'PROMPT' }).map((reply) => reply.text).join('\n')).not.toMatch(/case thread/);
    const adopted = r.send({ type: 'PROMPT', origin: 'thread-a' });
    expect(adopted[0]!.text).toMatch(/^Carrying on\. This rehearsal now goes with the case thread you have just come from: /);
    expect(adopted.length).toBeGreaterThan(1); // and then where we are
    expect(r.context().origin).toBe('thread-a');
    expect(r.send({ type: 'PROMPT', origin: 'thread-a' }).some((reply) => /case thread/.test(reply.text))).toBe(false);

    r.send({ type: 'DONE' });
    r.send({ type: 'SHARE', post: true });
    expect(r.context().shared).toBe('posted');
    const moved = r.send({ type: 'PROMPT', origin: 'thread-b' });
    expect(moved[0]!.text).toMatch(/in place of the one it started from/);
    expect(r.context()).toMatchObject({ origin: 'thread-b' });
    expect(r.context().shared).toBeUndefined();
    // Still at the summary: shown again, with Post for the new thread.
    expect(moved[1]!.actions?.some((a) => a.id === 'share' && a.value === 'post')).toBe(true);
    const posted = r.send({ type: 'SHARE', post: true });
    expect(posted[0]!.share).toEqual({ origin: 'thread-b' });
  });
});

describe('a question typed wherever the practitioner is', () => {
  it('at the purpose step: coached, kept with the questions, and the purpose asked again', () => {
    const run = rehearsal();
    const reply = only(run.send(text('Who helps you at home?')));
    expect(run.state()).toBe('purpose');
    expect(reply.text).toMatch(/^That's a question, so I've kept it with your questions for family, friends and neighbours\.\n\nThat's a support question \(open\)\./);
    expect(reply.text.endsWith("And what's the visit for, in a sentence?")).toBe(true);
    expect(run.context().questions).toEqual([{ area: 'network', text: 'Who helps you at home?', type: 'support', open: true }]);
    expect(run.context().purpose).toBeUndefined();
    run.send(text('First visit to Mrs K after her fall'));
    expect(run.state()).toBe('choosing');
    expect(run.context().purpose).toBe('First visit to Mrs K after her fall');
  });

  it('at the area menu: coached in the area it fits best, which becomes the current area', () => {
    const run = rehearsal();
    run.send({ type: 'SKIP' });
    expect(run.state()).toBe('choosing');
    const reply = only(run.send(text('What are you proud of?')));
    expect(run.state()).toBe('area');
    expect(run.context().area).toBe('personal');
    expect(run.context().visited).toEqual(['personal']);
    expect(reply.text).toMatch(/^That fits the person's strengths, interests and wishes, so we're there now\.\n\nThat's an esteem question \(open\)\./);
    expect(run.context().questions.map((q) => q.area)).toEqual(['personal']);
    // A statement at the menu still gets the menu.
    run.send({ type: 'BACK' });
    expect(only(run.send(text('She likes her garden'))).text).toMatch(/^Which area would you like to prepare\?/);
  });

  it('in affirmations and next steps: coached and kept as a question, not as an affirmation or a step', () => {
    const run = rehearsal();
    run.send({ type: 'SKIP' });
    run.send(area('network'));
    run.send({ type: 'AFFIRM' });
    const inAffirmations = only(run.send(text('What would a good day look like for you?')));
    expect(run.state()).toBe('affirming');
    // A possibility question: not one the network serves, so it goes with the first area that does.
    expect(inAffirmations.text).toMatch(/^That's a question, so I've kept it with your questions for the person's strengths, interests and wishes\./);
    expect(run.context().affirmations).toEqual([]);
    expect(inAffirmations.actions?.map((a) => a.label)).toEqual(['On to next steps', 'Back to the areas', 'Finish and see the summary']);
    run.send({ type: 'NEXT' });
    const inSteps = only(run.send(text('Who would you like at the next meeting?')));
    expect(run.state()).toBe('planning');
    expect(inSteps.text).toMatch(/And which next steps might you agree with the person\?$/);
    expect(run.context().nextSteps).toEqual([]);
    expect(run.context().questions).toHaveLength(2);
  });
});

describe('the way on from an area', () => {
  it('names the next area, and keeps skip and finish in reach after every draft', () => {
    const run = rehearsal();
    run.send({ type: 'SKIP' });
    const intro = only(run.send(area('network')));
    expect(intro.actions?.map((a) => a.label)).toEqual(['More question ideas', 'Next: The community around them', 'Skip this area', 'Back to the areas', 'Finish and see the summary']);
    const coached = only(run.send(text(DRAFT)));
    expect(coached.actions?.map((a) => a.label)).toEqual(['More question ideas', 'Next: The community around them', 'Skip this area', 'Back to the areas', 'Finish and see the summary']);
    const noted = only(run.send(text(STATEMENT)));
    expect(noted.actions?.map((a) => a.id)).toEqual(['ideas', 'next', 'skip', 'back', 'done']);
    // The last area left: Next leads on to affirmations.
    for (const a of ['community', 'worries', 'hopes'] as const) run.send(area(a));
    const last = only(run.send(area('personal')));
    expect(last.actions?.find((a) => a.id === 'next')?.label).toBe('On to affirmations');
  });
});

it('takes a purpose with a "who" clause as the purpose, not as a question', () => {
  const run = rehearsal();
  run.send(text('Visit to Mr D, who loves his allotment'));
  expect(run.state()).toBe('choosing');
  expect(run.context().purpose).toBe('Visit to Mr D, who loves his allotment');
  expect(run.context().questions).toEqual([]);
});

it('marks every reply with the areas as they stand after the turn: done, skipped, current, to do', async () => {
  const { withProgress } = await import('../../flows/rehearsal.ts');
  const run = rehearsal();
  run.send({ type: 'SKIP' });
  run.send(area('personal'));
  run.send({ type: 'SKIP' }); // skips personal, on to network
  const replies = run.send(text(DRAFT));
  const [marked] = withProgress(coach, replies, run.actor.getSnapshot());
  expect(marked!.progress!.map((a) => `${a.id}:${a.state}`)).toEqual(['personal:skipped', 'network:current', 'community:todo', 'worries:todo', 'hopes:todo']);
  run.send(area('community'));
  run.send({ type: 'AFFIRM' });
  const [later] = withProgress(coach, run.send({ type: 'PROMPT' }), run.actor.getSnapshot());
  expect(later!.progress!.map((a) => a.state)).toEqual(['skipped', 'done', 'done', 'todo', 'todo']);
});

describe('finishing before affirmations and next steps', () => {
  it('offers them once, then finishes on the second ask', () => {
    const run = rehearsal();
    run.send(text('Review of support at home'));
    run.send(area('network'));
    run.send(text(DRAFT));
    const offer = only(run.send({ type: 'DONE' }));
    expect(run.state()).toBe('area');
    expect(offer.text).toBe('Before the summary: add affirmations and next steps to take to the visit, or finish now?');
    expect(offer.actions?.map((a) => [a.id, a.label])).toEqual([['affirm', 'Add affirmations first'], ['done', 'Finish now']]);
    expect(lastSummary(run.send({ type: 'DONE' }))).toBeDefined();
    expect(run.state()).toBe('summary');
    // Back in an area later, finishing goes straight to the summary: the offer was made.
    run.send({ type: 'BACK' });
    run.send(area('community'));
    run.send({ type: 'DONE' });
    expect(run.state()).toBe('summary');
  });

  it('does not offer them once there are affirmations', () => {
    const run = rehearsal();
    run.send(text('Review of support at home'));
    run.send({ type: 'AFFIRM' });
    run.send(text(AFFIRMATION_NOTE));
    run.send({ type: 'BACK' });
    run.send(area('network'));
    run.send({ type: 'DONE' });
    expect(run.state()).toBe('summary');
  });
});
