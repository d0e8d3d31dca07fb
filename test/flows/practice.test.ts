// The practice statechart as a group would live it: three rounds, only the trainer moves on or ends,
// every contribution answered with feedback to its author alone (and, for a question, the person's
// answer to everyone), and a summary whose counts, chart, examples, phrases and reflection questions
// come from what the group did. Driven through a real actor, as the engine drives it.
import { getShortestPaths } from '@xstate/graph';
import { createActor, type SnapshotFrom } from 'xstate';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createPracticeMachine,
  EXAMPLES_PER_ROUND,
  MAX_PEOPLE,
  type PracticeContext,
  type PracticeEvent,
  type PracticeMachine,
} from '../../flows/practice.ts';
import { coverageChart } from '../../flows/practice-summary.ts';
import type { Coach } from '../../src/coach/index.ts';
import { scenarioLines } from '../../src/coach/simulated-person.ts';
import { loadCoach } from '../../src/content/index.ts';
import type { Scenario } from '../../src/content/schemas.ts';
import type { Reply, SummaryDocument } from '../../src/conversation/types.ts';

const TRAINER = 'web:trainer';
const SCENARIO = 'fall-care-home';

let coach: Coach;
let machine: PracticeMachine;
let scenario: Scenario;

beforeAll(() => {
  coach = loadCoach();
  machine = createPracticeMachine(coach, { trainers: ['web:org-trainer'] });
  scenario = coach.scenario(SCENARIO)!;
});

/** A practice in progress: `say` sends one person's event and returns what it produced. */
function practice(options: { snapshot?: unknown; machine?: PracticeMachine; seed?: number } = {}) {
  const m = options.machine ?? machine;
  const actor = options.snapshot
    ? createActor(m, { snapshot: options.snapshot as SnapshotFrom<PracticeMachine>, input: { scenario: SCENARIO, user: TRAINER } }) // input is not used when restoring
    : createActor(m, { input: { scenario: SCENARIO, user: TRAINER, userName: 'Tess', seed: options.seed ?? 2 } });
  let replies: Reply[] = [];
  actor.on('reply', (e) => replies.push(e.reply));
  actor.start();
  const opening = replies;
  const say = (user: string, event: PracticeEvent | string, userName?: string): Reply[] => {
    replies = [];
    const e: PracticeEvent = typeof event === 'string' ? { type: 'TEXT', text: event } : event;
    actor.send({ ...e, user, ...(userName ? { userName } : {}) } as PracticeEvent);
    return replies;
  };
  return {
    actor,
    opening,
    say,
    state: () => actor.getSnapshot().value as string,
    context: () => actor.getSnapshot().context as PracticeContext,
  };
}

const forAuthor = (replies: Reply[]) => replies.filter((r) => r.audience === 'author');
const forAll = (replies: Reply[]) => replies.filter((r) => r.audience === 'conversation');
const sentencesOf = (text: string) => text.split(/(?<=[.!?])\s+/).map((s) => s.trim()).filter(Boolean);

describe('the practice machine', () => {
  it('reaches every state: three rounds and the end', () => {
    const events: PracticeEvent[] = [{ type: 'NEXT', user: TRAINER }, { type: 'DONE', user: TRAINER }, { type: 'TEXT', text: 'Who helps you?', user: 'web:a' }];
    const paths = getShortestPaths(machine, {
      events,
      input: { scenario: SCENARIO, user: TRAINER },
      serializeState: (s: { value: unknown }) => JSON.stringify(s.value),
    } as never);
    const reached = new Set(paths.map((p) => p.state.value as string));
    expect([...reached].sort()).toEqual(['affirming', 'asking', 'ended', 'rewriting']);
  });
});

describe('round 1: asking the person questions', () => {
  it('opens for everyone with the scenario, said to be fictional, the vignette and how to take part', () => {
    const { opening, state } = practice();
    expect(state()).toBe('asking');
    expect(opening).toHaveLength(1);
    expect(opening[0]!.audience).toBe('conversation');
    expect(opening[0]!.text).toContain(scenario.fictionalNote);
    expect(opening[0]!.text).toContain(scenario.vignette);
    expect(opening[0]!.text).toContain('Round 1 of 3');
    expect(opening[0]!.text).toContain('Tess moves the group on');
  });

  it("answers an open strengths question for everyone, in character, and gives its author the question's type and openness", () => {
    const { say, context } = practice();
    const replies = say('web:ann', 'Who supports you now, or has in the past?', 'Ann');
    expect(replies).toHaveLength(2);
    const [answer] = forAll(replies);
    const [feedback] = forAuthor(replies);
    expect(answer!.text).toMatch(new RegExp(`^Q: Who supports you now, or has in the past\\?\\n${scenario.name}: `));
    // Every sentence of the answer is the scenario's own.
    const said = answer!.text.split('\n')[1]!.slice(scenario.name.length + 2);
    const allowed = new Set(scenarioLines(scenario).flatMap(sentencesOf));
    for (const sentence of sentencesOf(said)) expect(allowed).toContain(sentence);
    expect(sentencesOf(said).length).toBeGreaterThanOrEqual(3);
    expect(feedback!.kind).toBe('feedback');
    expect(feedback!.text).toContain("That's a support question (open)");
    expect(feedback!.text).toContain('Strong: open and strengths-based');
    expect(context().contributions.questions).toBe(1);
    expect(context().coverage).toEqual({ support: 1 });
  });

  it('offers the strengths-based alternative to problem-talk, and the person gives a guarded answer', () => {
    const { say } = practice();
    const replies = say('web:bob', 'Can you manage?');
    const [answer] = forAll(replies);
    const [feedback] = forAuthor(replies);
    expect(scenario.guarded.check.some((line) => answer!.text.endsWith(`${scenario.name}: ${line}`))).toBe(true);
    const alternative = coach.strengthsAlternative('Can you manage?')!;
    expect(feedback!.text).toContain("That's a problem-talk question (closed)");
    expect(feedback!.text).toContain(`Stronger: "${alternative}"`);
    expect(feedback!.suggestions).toEqual([alternative]);
  });

  it('offers an open example of the same type for a closed question', () => {
    const { say } = practice();
    const [feedback] = forAuthor(say('web:bob', 'Do you have family nearby?'));
    expect(feedback!.text).toContain("That's a support question (closed)");
    const stronger = feedback!.suggestions![0]!;
    expect(feedback!.text).toContain(`Stronger: "${stronger}"`);
    expect(coach.classifyQuestion(stronger)).toEqual({ type: 'support', open: true });
  });

  it('notes deficit phrasing in a question, and the person closes up at the label', () => {
    const { say, context } = practice();
    const replies = say('web:cat', 'How do you feel about being housebound?');
    expect(scenario.guarded.labelled.some((line) => forAll(replies)[0]!.text.endsWith(line))).toBe(true);
    expect(forAuthor(replies)[0]!.text).toMatch(/Wording: "housebound" → "[^"]+"\. .* heard a label and closed up\./);
    expect(context().caught).toEqual({ housebound: 1 });
  });

  it('steps out of character for a question that suggests immediate danger', () => {
    const { say } = practice();
    const replies = say('web:dan', 'Is anyone hurting you right now?');
    expect(forAll(replies)[0]!.text).toContain('Stepping out of the role-play');
    expect(forAll(replies)[0]!.text).toContain('999');
    expect(forAuthor(replies)[0]!.text).toContain('safety comes first');
  });

  it('does not count a message that is not a question, and tells only its author', () => {
    const { say, context } = practice();
    const replies = say('web:eve', 'Hello everyone, I will go first');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.audience).toBe('author');
    expect(context().contributions.questions).toBe(0);
    expect(context().people).toEqual([]);
  });
});

describe('only the trainer moves on or ends', () => {
  for (const type of ['NEXT', 'SKIP', 'DONE'] as const) {
    it(`${type} from anyone else is declined politely, to them alone, and nothing moves`, () => {
      const { say, state } = practice();
      const replies = say('web:ann', { type });
      expect(replies).toHaveLength(1);
      expect(replies[0]!.audience).toBe('author');
      expect(replies[0]!.text).toContain('Only the trainer (Tess) can move the group on or end the exercise');
      expect(state()).toBe('asking');
    });
  }

  it('an event with no user is not the trainer', () => {
    const { actor, state } = practice();
    actor.send({ type: 'NEXT' });
    expect(state()).toBe('asking');
  });

  it('a trainer the organisation names can move on too', () => {
    const { say, state } = practice();
    say('web:org-trainer', { type: 'NEXT' });
    expect(state()).toBe('rewriting');
  });

  it('the trainer can end from any round', () => {
    for (const steps of [0, 1, 2]) {
      const { say, state } = practice();
      for (let i = 0; i < steps; i++) say(TRAINER, { type: 'NEXT' });
      const [summary] = say(TRAINER, { type: 'DONE' });
      expect(state()).toBe('ended');
      expect(summary!.summary?.kind).toBe('practice');
    }
  });

  it('a stale button or a step the practice has no use for is answered to its author alone', () => {
    const { say, state } = practice();
    expect(say('web:ann', { type: 'PROMPT' })[0]).toMatchObject({ audience: 'author', text: expect.stringContaining('Round 1 of 3') });
    for (const event of [{ type: 'BACK' }, { type: 'IDEAS' }, { type: 'AFFIRM' }, { type: 'AREA', area: 'network' }, { type: 'SHARE', post: true }, { type: 'NAMES', show: true }] as PracticeEvent[]) {
      const replies = say(TRAINER, event);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.audience).toBe('author');
    }
    expect(state()).toBe('asking');
  });
});

describe('round 2: rewriting the case note', () => {
  const cleanRewrite =
    'Mr Bell is an older man who has lived in his own home for forty years. Since his fall in March he has lost some confidence, ' +
    'and he has asked about a care home. He drives, and his son says he managed well before the fall.';

  it('opens for everyone with the case note', () => {
    const { say, state } = practice();
    const replies = say(TRAINER, { type: 'NEXT' });
    expect(state()).toBe('rewriting');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.audience).toBe('conversation');
    expect(replies[0]!.text).toContain('Round 2 of 3');
    expect(replies[0]!.text).toContain(scenario.caseNote);
  });

  it('tells the author the deficit phrasing left in their rewrite, and only them', () => {
    const { say, context } = practice();
    say(TRAINER, { type: 'NEXT' });
    const replies = say('web:bob', 'Mr Bell is an elderly man. He is vulnerable and lives at home.');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.audience).toBe('author');
    expect(replies[0]!.kind).toBe('feedback');
    expect(replies[0]!.text).toContain('Deficit phrasing left:');
    expect(replies[0]!.text).toContain('"elderly" (identity)');
    expect(replies[0]!.text).toContain('"vulnerable" (risk)');
    expect(context().contributions.rewrites).toBe(1);
    expect(context().caught).toEqual({ elderly: 1, vulnerable: 1 });
  });

  it('says when no deficit phrasing is left, and keeps it as a strong example', () => {
    const { say, context } = practice();
    say(TRAINER, { type: 'NEXT' });
    const [feedback] = say('web:ann', cleanRewrite, 'Ann');
    expect(feedback!.text).toMatch(/^No deficit phrasing left: all \d+ phrases/);
    expect(context().examples).toEqual([{ round: 'rewrites', text: cleanRewrite, note: 'no deficit phrasing left', by: 'web:ann', name: 'Ann' }]);
  });

  it('does not count a question posted in the rewrite round', () => {
    const { say, context } = practice();
    say(TRAINER, { type: 'NEXT' });
    const replies = say('web:ann', 'Who supports you now?');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain('This round is for rewriting the case note');
    expect(context().contributions.rewrites).toBe(0);
  });
});

describe('round 3: writing an affirmation', () => {
  const into = () => {
    const p = practice();
    p.say(TRAINER, { type: 'NEXT' });
    p.say(TRAINER, { type: 'NEXT' });
    return p;
  };

  it('opens for everyone with the two kinds of affirmation', () => {
    const p = practice();
    p.say(TRAINER, { type: 'NEXT' });
    const [intro] = p.say(TRAINER, { type: 'NEXT' });
    expect(p.state()).toBe('affirming');
    expect(intro!.audience).toBe('conversation');
    for (const kind of coach.content.affirmations.affirmations) expect(intro!.text).toContain(kind.askYourself);
  });

  it('recognises an affirmation: about the person, in the second person, not praise', () => {
    const { say, context } = into();
    const [feedback] = say('web:ann', "Since your fall, you've kept walking to the gate twice a day, even though it frightens you.");
    expect(feedback).toMatchObject({ audience: 'author', kind: 'feedback' });
    expect(feedback!.text).toContain('That is an affirmation of success in adversity');
    expect(context().examples.map((e) => e.round)).toEqual(['affirmations']);
  });

  it('calls praise praise, and offers the scenario\'s own example', () => {
    const { say, context } = into();
    const [feedback] = say('web:bob', "Well done, I'm so proud of you.");
    expect(feedback!.text).toContain('That is praise rather than an affirmation');
    expect(scenario.affirmations.map((a) => a.text)).toContain(feedback!.suggestions![0]);
    expect(context().examples).toEqual([]);
  });

  it('asks for the second person when it is said about them, not to them', () => {
    const { say } = into();
    const [feedback] = say('web:cat', 'He has kept going since his fall.');
    expect(feedback!.text).toContain('in the second person');
  });

  it('counts each, whatever its verdict', () => {
    const { say, context } = into();
    say('web:a', 'Your home matters so much to you.');
    say('web:b', 'Brilliant work!');
    say('web:c', 'She is brave.');
    expect(context().contributions.affirmations).toBe(3);
  });

  it('the trainer ends with next as well as end', () => {
    const { say, state } = into();
    say(TRAINER, { type: 'NEXT' });
    expect(state()).toBe('ended');
  });
});

describe('the summary', () => {
  /** A full practice: 4 people, every round, then the trainer ends it. */
  function played() {
    const p = practice();
    p.say('web:ann', 'Who supports you now, or has in the past?', 'Ann');
    p.say('web:bob', 'Can you manage?', 'Bob');
    p.say('web:bob', 'What is it about your life that gives you real pride?', 'Bob');
    p.say('web:cat', 'How do you feel about being housebound?');
    p.say('web:dan', 'When things were going well for you, what was different?');
    p.say(TRAINER, { type: 'NEXT' });
    p.say('web:ann', 'Mr Bell is an elderly man who is vulnerable.', 'Ann');
    p.say('web:cat', 'Mr Bell is vulnerable and housebound.');
    p.say(TRAINER, { type: 'NEXT' });
    p.say('web:ann', 'Your home matters so much to you that you are working to trust your legs again.', 'Ann');
    const [reply] = p.say(TRAINER, { type: 'DONE' });
    return { ...p, reply: reply!, summary: reply!.summary as SummaryDocument };
  }

  it('is posted to the group, as a practice summary with Markdown', () => {
    const { reply, summary, state } = played();
    expect(state()).toBe('ended');
    expect(reply.audience).toBe('conversation');
    expect(reply.kind).toBe('summary');
    expect(summary.kind).toBe('practice');
    expect(summary.markdown).toMatch(/^# Practice summary: Arthur Bell\n/);
    expect(reply.text).toContain('Who took part');
  });

  it('counts the people who took part and the contributions in each round, exactly', () => {
    const { summary } = played();
    expect(summary.data).toMatchObject({ participants: 4, contributions: { questions: 5, rewrites: 2, affirmations: 1 } });
    expect(summary.markdown).toContain('- 4 practitioners took part: Ann, Bob and 2 more.');
    expect(summary.markdown).toContain('- Round 1, questions: 5');
    expect(summary.markdown).toContain('- Round 2, rewrites: 2');
    expect(summary.markdown).toContain('- Round 3, affirmations: 1');
  });

  it('draws the question types asked as a small text chart', () => {
    const { summary } = played();
    expect(summary.data).toMatchObject({ coverage: { support: 1, problem: 1, esteem: 1, perspective: 1, exception: 1 }, open: 4, closed: 1 });
    const chart = coverageChart(summary.data!.coverage as Record<string, number>);
    expect(summary.markdown).toContain(`\`\`\`text\n${chart.join('\n')}\n\`\`\``);
    expect(chart).toContain('support       ████████████████████ 1');
    expect(chart).toContain('problem-talk  ████████████████████ 1');
    expect(chart).toContain('miracle       0');
    expect(summary.markdown).toContain('- Not asked yet: survival, possibility, change, miracle, scaling');
  });

  it('shows strong examples without names until the trainer chooses names', () => {
    const p = played();
    const strong = p.summary.sections.find((s) => s.heading === 'Strong examples')!.lines;
    expect(strong).toContain('Question (support): "Who supports you now, or has in the past?"');
    expect(strong).toContain('Affirmation: "Your home matters so much to you that you are working to trust your legs again."');
    expect(strong.join(' ')).not.toContain('Ann');
    expect(p.reply.actions).toContainEqual({ id: 'names', label: 'Show names with the examples (trainer)', value: 'show' });

    // Someone else cannot choose names.
    const refused = p.say('web:bob', { type: 'NAMES', show: true });
    expect(refused).toMatchObject([{ audience: 'author' }]);
    expect(p.context().names).toBe(false);

    const [named] = p.say(TRAINER, { type: 'NAMES', show: true });
    expect(named!.audience).toBe('conversation');
    const lines = named!.summary!.sections.find((s) => s.heading === 'Strong examples')!.lines;
    expect(lines).toContain('Question (support): "Who supports you now, or has in the past?" (Ann)');
    expect(named!.actions).toContainEqual({ id: 'names', label: 'Hide names (trainer)', value: 'hide' });
  });

  it('lists the deficit phrases most often caught, most first', () => {
    const { summary } = played();
    const lines = summary.sections.find((s) => s.heading === 'Deficit phrases most often caught')!.lines;
    expect(lines).toEqual(['"housebound" × 2', '"vulnerable" × 2', '"elderly" × 1']);
  });

  it('ends with two or three reflection questions for a practice debrief', () => {
    const { summary } = played();
    const lines = summary.sections.find((s) => s.heading === 'For discussion')!.lines;
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(3);
    const usable = coach.content.reflection.questions.filter((q) => q.use === 'practice' || q.use === 'both').map((q) => q.text);
    for (const line of lines) expect(usable).toContain(line);
  });

  it('includes a reflection question from the council guide (004) for every scenario', () => {
    const from004 = coach.content.reflection.questions.filter((q) => q.source === '004').map((q) => q.text);
    for (const s of coach.scenarios) {
      const actor = createActor(machine, { input: { scenario: s.id, user: TRAINER } });
      const replies: Reply[] = [];
      actor.on('reply', (e) => replies.push(e.reply));
      actor.start();
      actor.send({ type: 'DONE', user: TRAINER });
      const lines = replies.at(-1)!.summary!.sections.find((x) => x.heading === 'For discussion')!.lines;
      expect(lines, s.id).toHaveLength(3);
      expect(lines.some((l) => from004.includes(l)), s.id).toBe(true);
    }
  });

  it('after the end, anyone writing is told it has ended, privately', () => {
    const p = played();
    expect(p.say('web:ann', 'One more question?')).toMatchObject([{ audience: 'author', text: expect.stringContaining('has ended') }]);
    expect(p.say('web:ann', { type: 'NEXT' })).toMatchObject([{ audience: 'author' }]);
  });
});

describe('what a practice keeps', () => {
  it('carries on from a persisted snapshot, as the engine restores it', () => {
    const first = practice();
    first.say('web:ann', 'Who supports you now, or has in the past?', 'Ann');
    first.say(TRAINER, { type: 'NEXT' });
    const stored = JSON.parse(JSON.stringify(first.actor.getPersistedSnapshot()));
    first.actor.stop();
    const second = practice({ snapshot: stored });
    expect(second.state()).toBe('rewriting');
    second.say('web:bob', 'Mr Bell is an older man.');
    expect(second.context().contributions).toEqual({ questions: 1, rewrites: 1, affirmations: 0 });
    expect(second.say('web:bob', { type: 'NEXT' })[0]!.audience).toBe('author');
    second.say(TRAINER, { type: 'NEXT' });
    expect(second.state()).toBe('affirming');
  });

  it('stays bounded however many take part: people capped, a few examples per round, a few phrases', () => {
    const { say, context, actor } = practice();
    const questions = ['Who supports you now, or has in the past?', 'What gives you real pride?', 'What would you like to do more of?', 'How do you feel about being housebound?'];
    for (let i = 0; i < MAX_PEOPLE + 100; i++) say(`web:u${i}`, questions[i % questions.length]!, `Person ${i}`);
    const c = context();
    expect(c.contributions.questions).toBe(MAX_PEOPLE + 100);
    expect(c.people).toHaveLength(MAX_PEOPLE);
    expect(c.examples.length).toBeLessThanOrEqual(EXAMPLES_PER_ROUND);
    expect(Object.keys(c.caught).length).toBeLessThanOrEqual(40);
    // Counts and a few examples, not 600 messages.
    expect(JSON.stringify(actor.getPersistedSnapshot()).length).toBeLessThan(40_000);
  });
});
