// A practice under load: 100 participants answering at once through two engine instances that share
// one real Redis (127.0.0.1:6379, under a prefix unique to this run, removed afterwards), as two bot
// processes behind one Slack app or Teams bot would. Every contribution is counted once, every author
// gets exactly one piece of feedback meant for them alone, and the summary's counts are exact.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PracticeContext } from '../../flows/practice.ts';
import type { Coach } from '../../src/coach/index.ts';
import { loadCoach } from '../../src/content/index.ts';
import { Engine } from '../../src/conversation/engine.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import type { SessionStore } from '../../src/conversation/store.ts';
import type { SummaryDocument } from '../../src/conversation/types.ts';
import { deleteKeys } from '../support/redis.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-practice-load-${process.pid}-${Date.now()}`;
const PARTICIPANTS = 100;

let coach: Coach;
let raw: Redis;
const opened: SessionStore[] = [];

beforeAll(() => {
  coach = loadCoach();
  raw = new Redis(REDIS_URL);
});

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await deleteKeys(raw, `${prefix}:*`);
  await raw.quit();
});

/** A bot instance: its own engine and its own Redis connection, sharing the sessions. */
function instance(): { engine: Engine; store: SessionStore } {
  const store = RedisStore.connect(REDIS_URL, { prefix });
  opened.push(store);
  return { engine: new Engine({ store, coach, seed: () => 11 }), store };
}

/** Questions of every kind, so the tally covers open, closed and problem-talk. */
const QUESTIONS = [
  'Who supports you now, or has in the past?',
  'What is it about your life that gives you real pride?',
  'When things were going well for you, what was different?',
  'What would you like to do more of?',
  'How have you managed to cope so far with the challenges you have faced?',
  'Can you manage?',
  'So, what seems to be the problem?',
  'Do you have family nearby?',
];

describe('a practice with 100 participants at once, across two instances sharing Redis', () => {
  for (const round of ['questions', 'rewrites'] as const) {
    it(`counts all 100 ${round}, gives each author exactly one feedback, and the summary's counts are exact`, { timeout: 120_000 }, async () => {
      const a = instance();
      const b = instance();
      const conversation = `load-${round}-${Date.now()}`;
      const trainer = 'slack:TRAINER';
      const started = await a.engine.handle({ conversation, user: trainer, userName: 'Trainer', text: 'practice fall-care-home' });
      expect(started[0]!.audience).toBe('conversation');
      if (round === 'rewrites') {
        const moved = await b.engine.handle({ conversation, user: trainer, text: 'next' });
        expect(moved[0]!.text).toContain('Round 2 of 3');
      }
      const texts = Array.from({ length: PARTICIPANTS }, (_, i) =>
        round === 'questions'
          ? QUESTIONS[i % QUESTIONS.length]!
          : `Mr Bell is an older man who lives at home and has lost some confidence since his fall (${i}). He drives, and his son says he managed well before.`,
      );
      const users = texts.map((_, i) => `slack:U${String(i).padStart(3, '0')}`);

      // All at once: half through each instance, each with its platform message id.
      const answers = await Promise.all(
        texts.map((text, i) =>
          (i % 2 ? a : b).engine.handle({ conversation, user: users[i]!, userName: `Practitioner ${i}`, text, messageId: `${conversation}-m${i}` }),
        ),
      );

      answers.forEach((replies, i) => {
        const forAuthor = replies.filter((r) => r.audience === 'author');
        expect(forAuthor, `feedback for ${users[i]}`).toHaveLength(1);
        expect(forAuthor[0]!.kind).toBe('feedback');
        const forAll = replies.filter((r) => r.audience === 'conversation');
        // A question is answered by the person, for everyone; a rewrite is between its author and the coach.
        expect(forAll).toHaveLength(round === 'questions' ? 1 : 0);
        expect(replies.every((r) => r.audience === 'author' || r.audience === 'conversation')).toBe(true);
      });

      const record = await a.store.load(conversation);
      const context = (record!.snapshot as { context: PracticeContext }).context;
      expect(context.contributions[round]).toBe(PARTICIPANTS);
      expect(context.people).toHaveLength(PARTICIPANTS);
      expect(new Set(context.people.map((p) => p.id))).toEqual(new Set(users));

      // A retried delivery of any of them changes nothing and says nothing.
      expect(await b.engine.handle({ conversation, user: users[7]!, text: texts[7]!, messageId: `${conversation}-m7` })).toEqual([]);

      const [summaryReply] = await b.engine.handle({ conversation, user: trainer, text: 'end' });
      const summary = summaryReply!.summary as SummaryDocument;
      expect(summary.kind).toBe('practice');
      expect(summaryReply!.audience).toBe('conversation');
      expect(summary.data).toMatchObject({
        participants: PARTICIPANTS,
        contributions: { questions: round === 'questions' ? PARTICIPANTS : 0, rewrites: round === 'rewrites' ? PARTICIPANTS : 0, affirmations: 0 },
      });
      if (round === 'questions') {
        const coverage = summary.data!.coverage as Record<string, number>;
        expect(Object.values(coverage).reduce((x, y) => x + y, 0)).toBe(PARTICIPANTS);
        expect((summary.data!.open as number) + (summary.data!.closed as number)).toBe(PARTICIPANTS);
      }
      expect(summary.markdown).toContain(`${PARTICIPANTS} practitioners took part`);
      expect(summary.markdown).toContain(`Round 1, questions: ${round === 'questions' ? PARTICIPANTS : 0}`);
      expect(summary.markdown).toContain(`Round 2, rewrites: ${round === 'rewrites' ? PARTICIPANTS : 0}`);

      // However many took part, the stored practice stays small: counts and a few examples.
      const bytes = await raw.hstrlen(`${prefix}:{c:${conversation}}:session`, 'record');
      expect(bytes).toBeLessThan(16 * 1024);
    });
  }
});

