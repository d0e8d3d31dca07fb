// `practice` through the engine (memory store): the scenario menu, starting in the conversation where
// it was said with the starter as trainer, trainers an organisation names, `end`/`done`/`summary`
// reaching the end, and a practice never overwritten by a rehearsal or another practice.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../src/coach/index.ts';
import { parseConfig } from '../../src/config.ts';
import { loadCoach } from '../../src/content/index.ts';
import { Engine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { route } from '../../src/conversation/router.ts';
import type { Reply, Turn } from '../../src/conversation/types.ts';

let coach: Coach;
beforeAll(() => {
  coach = loadCoach();
});

let counter = 0;
function setUp(practiceTrainers?: string[]) {
  const store = new MemoryStore({ sweepIntervalMs: 0 });
  const engine = new Engine({ store, coach, seed: () => 7, practiceTrainers });
  const conversation = `channel-${++counter}`;
  const say = (user: string, input: string | { id: string; value?: string }, userName?: string): Promise<Reply[]> => {
    const turn: Turn = typeof input === 'string' ? { conversation, user, text: input } : { conversation, user, action: input };
    return engine.handle(userName ? { ...turn, userName } : turn);
  };
  return { store, engine, conversation, say };
}

describe('practice through the engine', () => {
  it('`practice` alone lists the scenarios, with a button for each, and starts nothing', async () => {
    const { say, store, conversation } = setUp();
    const [menu] = await say('web:t', 'practice');
    for (const s of coach.scenarios) expect(menu!.text).toContain(s.id);
    expect(menu!.actions).toEqual(coach.scenarios.map((s) => ({ id: 'practice', label: s.name, value: s.id })));
    expect(await store.load(conversation)).toBeNull();
  });

  it('an unknown scenario gets the list, saying so', async () => {
    const { say } = setUp();
    const [menu] = await say('web:t', 'practice juggling');
    expect(menu!.text).toContain('I don\'t know a scenario called "juggling"');
  });

  it('starts by id, by number, by words of the title, or by the menu button, with the starter as trainer', async () => {
    for (const [how, input] of [
      ['id', 'practice walking-with-purpose'],
      ['number', `practice ${coach.scenarios.findIndex((s) => s.id === 'walking-with-purpose') + 1}`],
      ['words', 'practise wanders'],
      ['button', { id: 'practice', value: 'walking-with-purpose' }],
    ] as const) {
      const { say, store, conversation } = setUp();
      const [intro] = await say('web:t', input, 'Tess');
      expect(intro!.text, how).toContain('Wally Green');
      expect(intro!.audience).toBe('conversation');
      const record = await store.load(conversation);
      expect(record!.flow).toBe('practice');
      expect((record!.snapshot as { context: { trainer: string } }).context.trainer).toBe('web:t');
    }
  });

  it('`end`, `done` and `summary` all reach the end, for the trainer only', async () => {
    expect(route({ conversation: 'c', user: 'u', text: 'end', channel: 'web' }, [])).toEqual({ kind: 'event', event: { type: 'DONE' } });
    for (const word of ['end', 'done', 'summary', 'End.']) {
      const { say } = setUp();
      await say('web:t', 'practice fall');
      await say('web:a', 'Who supports you now?');
      expect((await say('web:a', word))[0]).toMatchObject({ audience: 'author', text: expect.stringContaining('Only the trainer') });
      const [summary] = await say('web:t', word);
      expect(summary!.summary).toMatchObject({ kind: 'practice', data: { participants: 1, contributions: { questions: 1, rewrites: 0, affirmations: 0 } } });
    }
  });

  it('lets a trainer named by the organisation (PRACTICE_TRAINERS) run a practice someone else started', async () => {
    const { say, store, conversation } = setUp(['web:lead']);
    await say('web:t', 'practice fall');
    expect((await say('web:other', 'next'))[0]!.audience).toBe('author');
    const [round2] = await say('web:lead', 'next');
    expect(round2!.text).toContain('Round 2 of 3');
    expect((await store.load(conversation) as { snapshot: { value: string } }).snapshot.value).toBe('rewriting');
  });

  it('reads PRACTICE_TRAINERS as a comma-separated list of user ids', () => {
    expect(parseConfig({ PRACTICE_TRAINERS: ' web:lead , slack:T0123:U0456,, ' }).practiceTrainers).toEqual(['web:lead', 'slack:T0123:U0456']);
    expect(parseConfig({}).practiceTrainers).toEqual([]);
  });

  it('a running practice is not overwritten by another practice, a rehearsal or a restart', async () => {
    const { say, store, conversation } = setUp();
    await say('web:t', 'practice fall');
    for (const attempt of ['practice peggy', 'rehearse', 'start again']) {
      const [reply] = await say('web:x', attempt);
      expect(reply, attempt).toMatchObject({ audience: 'author', text: expect.stringContaining('A practice exercise with Arthur Bell is running') });
    }
    expect((await store.load(conversation))!.flow).toBe('practice');
    // Once it has ended, a new one can start.
    await say('web:t', 'end');
    const [intro] = await say('web:x', 'practice no-problems');
    expect(intro!.text).toContain('Peggy Shaw');
  });

  it('does not overwrite a rehearsal in progress', async () => {
    const { say, store, conversation } = setUp();
    await say('web:t', 'rehearse');
    const [reply] = await say('web:t', 'practice fall');
    expect(reply!.text).toContain('You have a rehearsal in progress');
    expect((await store.load(conversation))!.flow).toBe('rehearsal');
  });

  it('answers the names button of someone who is not the trainer politely, and the trainer\'s by showing names', async () => {
    const { say } = setUp();
    await say('web:t', 'practice fall');
    await say('web:a', 'Who supports you now, or has in the past?', 'Ann');
    await say('web:t', 'end');
    expect((await say('web:a', { id: 'names', value: 'show' }))[0]!.audience).toBe('author');
    const [named] = await say('web:t', { id: 'names', value: 'show' });
    expect(named!.summary!.markdown).toContain('(Ann)');
  });

  it('answers a retried message once', async () => {
    const { engine, conversation } = setUp();
    await engine.handle({ conversation, user: 'web:t', text: 'practice fall' });
    const turn = { conversation, user: 'web:a', text: 'Who supports you now?', messageId: 'm-1' };
    expect(await engine.handle(turn)).toHaveLength(2);
    expect(await engine.handle(turn)).toEqual([]);
  });

  it('help mentions practice', async () => {
    const { say } = setUp();
    expect((await say('web:t', 'help'))[0]!.text).toContain('practice [scenario]');
  });
});
