// One turn: load the snapshot → restore the flow → send the event → store the new snapshot with
// compare-and-set → only then hand the replies back. A conflict reloads and re-applies (bounded);
// a message id seen before is not applied again.
import { randomInt } from 'node:crypto';
import { createActor, type AnyStateMachine, type Snapshot } from 'xstate';
import type { Coach } from '../coach/index.ts';
import { describeMasked, maskIdentifiers, type Masked } from '../coach/privacy.ts';
import { createFlows, type FlowDefinition } from '../../flows/index.ts';
import { findScenario, practiceRunningReply, scenarioMenu } from '../../flows/practice-coaching.ts';
import type { PracticeContext } from '../../flows/practice.ts';
import { route, type Command, type FlowEvent } from './router.ts';
import type { SessionRecord, SessionStore } from './store.ts';
import { blocksOf, makeReply, notice, paragraph, type Reply } from '../shapes/reply.ts';
import { turn as turnSchema, type ParsedTurn, type Turn } from '../shapes/turn.ts';
import { capabilitiesReply, forgottenReply, helpReply, ideasReply, reframeReply, rehearsalInProgressReply } from './replies.ts';

export class TurnError extends Error {
  override name = 'TurnError';
}

/** Too many concurrent writers on one conversation: nothing was applied; the sender may retry. */
export class EngineBusyError extends Error {
  override name = 'EngineBusyError';
}

export interface EngineOptions {
  store: SessionStore;
  coach: Coach;
  flows?: Record<string, FlowDefinition>;
  /** Compare-and-set attempts per turn before giving up. */
  maxAttempts?: number;
  /** Seeds new conversations' variety; fixed in tests. */
  seed?: () => number;
  /**
   * User ids (as turns carry them, e.g. "slack:T0123:U0456", "teams:<AAD object id>", "web:alice") who may run any practice
   * exercise, besides whoever starts one (PRACTICE_TRAINERS).
   */
  practiceTrainers?: readonly string[];
}

/** A conversation with no flow running still remembers the last ideas it showed. */
const IDLE = 'idle';
interface IdleState {
  shown: string[];
  turns: number;
  seed: number;
}

export class Engine {
  private readonly store: SessionStore;
  private readonly coach: Coach;
  private readonly flows: Record<string, FlowDefinition>;
  private readonly maxAttempts: number;
  private readonly seed: () => number;
  /** Turns of one conversation run one after another in this process; CAS covers other processes. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.coach = options.coach;
    this.flows = options.flows ?? createFlows(options.coach, { practice: { trainers: options.practiceTrainers } });
    // Turns of one conversation run one at a time per instance, so CAS races only across instances;
    // but an instance working through a burst (a practice with 100 people replying at once) wins
    // most races, and a turn on another instance can lose ten or more in a row (measured: up to 14
    // with four instances and 100 simultaneous turns). 60 keeps such a turn's chance of giving up
    // negligible (0.75^60 ≈ 3e-8 with four instances) at a worst case of about 2.5 s of backoff.
    this.maxAttempts = options.maxAttempts ?? 60;
    this.seed = options.seed ?? (() => randomInt(0, 2 ** 31));
  }

  async handle(input: Turn): Promise<Reply[]> {
    const parsed = turnSchema.safeParse(input);
    if (!parsed.success) {
      throw new TurnError(parsed.error.issues.map((i) => `${i.path.join('.') || 'turn'}: ${i.message}`).join('; '));
    }
    // Identifiers never reach the store, a flow or a post: masked first, and the practitioner told.
    const { turn, masked } = maskTurn(parsed.data, this.coach.fictionalSurnames);
    const command = route(turn, this.coach.content.stages.areas);
    const replies = (await this.serially(turn.conversation, () => this.apply(turn, command))).map(withBlocks);
    return masked.length && replies.length ? [makeReply({ kind: 'info', blocks: [notice(describeMasked(masked))], audience: 'author' }), ...replies] : replies;
  }

  // No "seen" check up front: stateless replies dedupe atomically in markSeen, and withSession checks
  // with every load, so one here would only cost a round trip.
  private async apply(turn: ParsedTurn, command: Command): Promise<Reply[]> {
    switch (command.kind) {
      case 'help':
        return this.stateless(turn, [helpReply()]);
      case 'reframe':
        return this.stateless(turn, [reframeReply(this.coach, command.text)]);
      case 'forget':
        await this.store.forgetUser(turn.user, { keep: await this.scrubSharedSessions(turn.user) });
        return [forgottenReply()];
      default:
        return this.withSession(turn, command);
    }
  }

  /**
   * Rewrites the shared conversations this user took part in without them (for flows that can),
   * so `forget` erases the person and leaves the others' exercise. Returns the conversations kept.
   */
  private async scrubSharedSessions(user: string): Promise<string[]> {
    const kept: string[] = [];
    for (const { conversation } of (await this.store.listSessions?.(user, 1_000)) ?? []) {
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        const record = await this.store.load(conversation);
        const flow = record && this.flows[record.flow];
        const others = record?.users.filter((u) => u !== user) ?? [];
        const snapshot = flow?.forget && others.length && flow.version === record!.flowVersion ? flow.forget(record!.snapshot, user) : undefined;
        if (!record || snapshot === undefined) break;
        const next: SessionRecord = { ...record, snapshot, users: others, version: record.version + 1 };
        if (await this.store.save(conversation, next, record.version, { user: others[0]! })) {
          kept.push(conversation);
          break;
        }
        await pause(attempt);
      }
    }
    return kept;
  }

  /** Replies that change no state still record the message id, so a retry stays silent. */
  private async stateless(turn: ParsedTurn, replies: Reply[]): Promise<Reply[]> {
    if (turn.messageId && !(await this.store.markSeen(turn.conversation, turn.messageId, turn.user))) return [];
    return replies;
  }

  private async withSession(turn: ParsedTurn, command: Command): Promise<Reply[]> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      // Checked with every load: a delivery of this message saved since an earlier load would
      // otherwise be applied a second time on top of the state that already includes it. Both reads
      // go out together (one round trip on Redis), the load first, so a save that lands between
      // them shows as "seen" (answered: []) or as a newer version (the CAS below fails and retries).
      const [record, seen] = await Promise.all([
        this.store.load(turn.conversation),
        turn.messageId ? this.store.seen(turn.conversation, turn.messageId) : false,
      ]);
      if (seen) return [];
      const outcome = this.decide(turn, command, record);
      if (!outcome.next) return this.stateless(turn, outcome.replies);
      const version = record?.version ?? 0;
      const next: SessionRecord = {
        ...outcome.next,
        version: version + 1,
        users: record?.users.includes(turn.user) ? record.users : [...(record?.users ?? []), turn.user],
      };
      if (await this.store.save(turn.conversation, next, version, { messageId: turn.messageId, user: turn.user })) {
        return outcome.replies;
      }
      // Lost the race: someone else wrote first. If it was this very message, it is already answered.
      if (turn.messageId && (await this.store.seen(turn.conversation, turn.messageId))) return [];
      await pause(attempt);
    }
    throw new EngineBusyError(`conversation busy after ${this.maxAttempts} attempts`);
  }

  /** Works out the replies and the record to store, without touching the store. */
  private decide(turn: ParsedTurn, command: Command, record: SessionRecord | null): Outcome {
    const active = record && record.flow !== IDLE ? record : null;
    switch (command.kind) {
      case 'rehearse':
        if (this.practiceRunning(active)) return { replies: [practiceRunningReply(this.coach, practiceContext(active))] };
        if (active && active.flow !== 'practice' && this.restore(active)) return resumeOffer();
        return this.start('rehearsal', turn);
      case 'restart':
        if (this.practiceRunning(active)) return { replies: [practiceRunningReply(this.coach, practiceContext(active))] };
        return this.start('rehearsal', turn);
      case 'practice':
        return this.startPractice(turn, command.scenario, active);
      case 'ideas': {
        const actor = active ? this.restore(active) : undefined;
        if (active && actor) return this.send(active, { type: 'IDEAS', topic: command.topic }, actor);
        return this.idleIdeas(record, command.topic);
      }
      case 'unknown-action':
        return this.stale(active);
      case 'event': {
        if (!active) return { replies: [capabilitiesReply()] };
        // "Carry on" pressed from a case thread brings that thread along, for the flow to adopt.
        const event = command.event.type === 'PROMPT' && turn.origin ? { ...command.event, origin: turn.origin } : command.event;
        return this.send(active, { ...event, user: turn.user, userName: turn.userName });
      }
      default:
        return { replies: [capabilitiesReply()] };
    }
  }

  private start(flowName: string, turn: ParsedTurn, extra: Record<string, unknown> = {}): Outcome {
    const flow = this.flows[flowName]!;
    const input = { seed: this.seed(), origin: turn.origin, user: turn.user, userName: turn.userName, ...extra };
    const { actor, replies } = this.run(flow.machine, input);
    return { replies: flow.finish?.(replies, actor.getSnapshot()) ?? replies, next: { flow: flow.name, flowVersion: flow.version, snapshot: actor.getPersistedSnapshot() } };
  }

  /**
   * `practice [scenario]`: starts a group practice in this conversation, its starter the trainer.
   * Without a known scenario, lists them; it never overwrites a practice or a rehearsal in progress.
   */
  private startPractice(turn: ParsedTurn, wanted: string | undefined, active: SessionRecord | null): Outcome {
    const scenario = findScenario(this.coach, wanted);
    if (!scenario) return { replies: [scenarioMenu(this.coach, wanted)] };
    if (this.practiceRunning(active)) return { replies: [practiceRunningReply(this.coach, practiceContext(active))] };
    if (active?.flow === 'rehearsal' && stateOf(active) !== 'summary' && this.restore(active)) return { replies: [rehearsalInProgressReply()] };
    return this.start('practice', turn, { scenario: scenario.id });
  }

  /** A practice this code can carry on, not yet ended. */
  private practiceRunning(record: SessionRecord | null): boolean {
    return record?.flow === 'practice' && stateOf(record) !== 'ended' && this.restore(record) !== undefined;
  }

  /** Sends one event to the conversation's flow; `restored` saves restoring it again when the caller already has. */
  private send(record: SessionRecord, event: FlowEvent & { user?: string; userName?: string }, restored = this.restore(record)): Outcome {
    const flow = this.flows[record.flow];
    if (!flow || !restored) return { replies: [cannotRestoreReply()] };
    const replies: Reply[] = [];
    try {
      if (!restored.getSnapshot().can(event)) return event.type === 'PROMPT' ? { replies: [staleReply()] } : this.stale(record);
      restored.on('reply', (e: { reply: Reply }) => replies.push(e.reply));
      restored.send(event);
    } catch {
      return { replies: [cannotRestoreReply()] }; // a guard that throws on this snapshot's context
    }
    // An action that threw leaves the actor in 'error': that snapshot cannot go on, and is not stored.
    if (restored.getSnapshot().status !== 'active') return { replies: [cannotRestoreReply()] };
    return { replies: flow.finish?.(replies, restored.getSnapshot()) ?? replies, next: { flow: flow.name, flowVersion: flow.version, snapshot: restored.getPersistedSnapshot() } };
  }

  /** A button from an earlier step: change nothing, and say where the conversation is. */
  private stale(record: SessionRecord | null): Outcome {
    if (!record) return { replies: [staleReply()] };
    const prompt = this.send(record, { type: 'PROMPT' });
    return { replies: [staleReply(), ...prompt.replies], next: prompt.next };
  }

  private idleIdeas(record: SessionRecord | null, topic: string | undefined): Outcome {
    const idle: IdleState =
      record?.flow === IDLE ? (record.snapshot as IdleState) : { shown: [], turns: 0, seed: this.seed() };
    const { reply, shown } = ideasReply(this.coach, topic, { seed: idle.seed + idle.turns, previous: idle.shown });
    if (!shown) return { replies: [reply] };
    const snapshot: IdleState = { shown, turns: idle.turns + 1, seed: idle.seed };
    return { replies: [reply], next: { flow: IDLE, flowVersion: 1, snapshot } };
  }

  /** An actor restored from a stored snapshot, or undefined when this code cannot restore it. */
  private restore(record: SessionRecord) {
    const flow = this.flows[record.flow];
    if (!flow || flow.version !== record.flowVersion) return undefined;
    try {
      const actor = createActor(flow.machine, { snapshot: record.snapshot as Snapshot<unknown> });
      // Never start an actor whose snapshot failed to restore, and give errors a listener: otherwise
      // XState rethrows them from a timer, outside this call, and that takes the whole process down.
      if (actor.getSnapshot().status !== 'active') return undefined;
      actor.subscribe({ error: () => {} });
      actor.start();
      return actor.getSnapshot().status === 'active' ? actor : undefined;
    } catch {
      return undefined;
    }
  }

  /** A new actor of the flow, started: its opening replies collected. */
  private run(machine: AnyStateMachine, input: unknown) {
    const actor = createActor(machine, { input });
    const replies: Reply[] = [];
    actor.on('reply', (e: { reply: Reply }) => replies.push(e.reply));
    actor.start();
    return { actor, replies };
  }

  private async serially<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.queues.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    }
  }
}

interface Outcome {
  replies: Reply[];
  next?: Omit<SessionRecord, 'version' | 'users'>;
}

function maskTurn(turn: ParsedTurn, keepSurnames: ReadonlySet<string>): { turn: ParsedTurn; masked: Masked['masked'] } {
  const text = turn.text === undefined ? undefined : maskIdentifiers(turn.text, keepSurnames);
  const value = turn.action?.value === undefined ? undefined : maskIdentifiers(turn.action.value, keepSurnames);
  const masked = [...(text?.masked ?? []), ...(value?.masked ?? [])];
  if (masked.length === 0) return { turn, masked };
  return {
    masked,
    turn: {
      ...turn,
      ...(text ? { text: text.text } : {}),
      ...(turn.action && value ? { action: { ...turn.action, value: value.text } } : {}),
    },
  };
}

export function createEngine(options: EngineOptions): Engine {
  return new Engine(options);
}

function stateOf(record: SessionRecord): unknown {
  return (record.snapshot as { value?: unknown } | null)?.value;
}

function practiceContext(record: SessionRecord | null): PracticeContext | undefined {
  return (record?.snapshot as { context?: PracticeContext } | null)?.context;
}

/** Every reply leaves the engine with its blocks: one given as text alone is that text as a paragraph. */
function withBlocks(reply: Reply): Reply {
  return reply.blocks ? reply : { ...reply, blocks: blocksOf(reply) };
}

function resumeOffer(): Outcome {
  return {
    replies: [
      makeReply({
        kind: 'question',
        blocks: [paragraph('You have a rehearsal in progress. Carry on where you left off, or start again?')],
        actions: [
          { id: 'prompt', label: 'Carry on', style: 'primary' },
          { id: 'restart', label: 'Start again' },
        ],
      }),
    ],
  };
}

function staleReply(): Reply {
  return makeReply({ kind: 'info', blocks: [notice('That button belongs to an earlier step, so I have left things as they were. Here is where we are:')] });
}

function cannotRestoreReply(): Reply {
  return makeReply({
    kind: 'error',
    blocks: [notice('This conversation was saved by an earlier version of the coach and cannot be picked up again. Start a fresh rehearsal?', 'warning')],
    actions: [{ id: 'restart', label: 'Start a new rehearsal', style: 'primary' }],
  });
}

/** Backs off a little more each attempt, with jitter so racing writers spread out. */
function pause(attempt: number): Promise<void> {
  const ms = Math.min(50, 2 * attempt) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}
