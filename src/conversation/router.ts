// Command words, the same in every channel, as message text, slash-command text or a button.
import type { AreaId } from '../content/schemas.ts';
import type { FlowEvent } from '../../flows/events.ts';
import type { ParsedTurn, Turn } from './types.ts';

export type { FlowEvent } from '../../flows/events.ts';

export type Command =
  | { kind: 'help' }
  | { kind: 'rehearse' }
  | { kind: 'restart' }
  | { kind: 'ideas'; topic?: string }
  | { kind: 'reframe'; text: string }
  | { kind: 'practice'; scenario?: string }
  | { kind: 'forget' }
  | { kind: 'event'; event: FlowEvent }
  /** A button this version does not know: answered as a stale button, never a crash. */
  | { kind: 'unknown-action'; id: string };

/** Words that are a command only when they are the whole message ("next", not "next time…"). */
const WHOLE_WORDS: Record<string, Command> = {
  help: { kind: 'help' },
  '?': { kind: 'help' },
  rehearse: { kind: 'rehearse' },
  rehearsal: { kind: 'rehearse' },
  'start again': { kind: 'restart' },
  restart: { kind: 'restart' },
  next: { kind: 'event', event: { type: 'NEXT' } },
  back: { kind: 'event', event: { type: 'BACK' } },
  skip: { kind: 'event', event: { type: 'SKIP' } },
  summary: { kind: 'event', event: { type: 'DONE' } },
  done: { kind: 'event', event: { type: 'DONE' } },
  finish: { kind: 'event', event: { type: 'DONE' } },
  end: { kind: 'event', event: { type: 'DONE' } },
  affirm: { kind: 'event', event: { type: 'AFFIRM' } },
  affirmations: { kind: 'event', event: { type: 'AFFIRM' } },
  forget: { kind: 'forget' },
  'forget me': { kind: 'forget' },
  'forget my data': { kind: 'forget' },
};

/** What a person said or pressed: the parts of a turn the command words are read from (a whole turn will do). */
export type Said = Pick<ParsedTurn, 'text' | 'action'> | Turn;

export function route(said: Said, areas: readonly { id: AreaId; title: string }[]): Command {
  if (said.action) return routeAction(said.action.id, said.action.value, areas);
  const text = (said.text ?? '').trim();
  const bare = text.replace(/^\/?coach\s+/i, '').replace(/^\//, '').trim();
  const lower = bare.toLowerCase().replace(/[.!]+$/, '').trim();
  // Own keys only: a message that reads "constructor" or "__proto__" is text, not a property of Object.
  const whole = Object.hasOwn(WHOLE_WORDS, lower) ? WHOLE_WORDS[lower] : undefined;
  if (whole) return whole;
  const area = areas.find((a) => a.id === lower || a.title.toLowerCase() === lower);
  if (area) return { kind: 'event', event: { type: 'AREA', area: area.id } };
  const [first = '', ...rest] = bare.split(/\s+/);
  const arg = rest.join(' ').trim();
  switch (first.toLowerCase()) {
    case 'ideas':
    case 'idea':
      return { kind: 'ideas', topic: arg || undefined };
    case 'reframe':
      return { kind: 'reframe', text: bare.slice(first.length).trim() };
    case 'practice':
    case 'practise':
      return { kind: 'practice', scenario: arg || undefined };
    case 'rehearse':
      return { kind: 'rehearse' };
  }
  return { kind: 'event', event: { type: 'TEXT', text } };
}

/**
 * True when this text or button starts (or restarts) a rehearsal. Outside a private chat that is the
 * doors' cue to move to one, so a case is rehearsed privately.
 */
export function startsRehearsal(said: Said): boolean {
  const { kind } = route(said, []);
  return kind === 'rehearse' || kind === 'restart';
}

function routeAction(id: string, value: string | undefined, areas: readonly { id: AreaId }[]): Command {
  switch (id) {
    case 'help':
      return { kind: 'help' };
    case 'rehearse':
      return { kind: 'rehearse' };
    case 'restart':
      return { kind: 'restart' };
    case 'forget':
      return { kind: 'forget' };
    case 'ideas':
      return { kind: 'ideas', topic: value };
    case 'prompt':
      return { kind: 'event', event: { type: 'PROMPT' } };
    case 'next':
      return { kind: 'event', event: { type: 'NEXT' } };
    case 'back':
      return { kind: 'event', event: { type: 'BACK' } };
    case 'skip':
      return { kind: 'event', event: { type: 'SKIP' } };
    case 'done':
    case 'summary':
    case 'end':
      return { kind: 'event', event: { type: 'DONE' } };
    case 'affirm':
      return { kind: 'event', event: { type: 'AFFIRM' } };
    case 'area': {
      const area = areas.find((a) => a.id === value);
      return area ? { kind: 'event', event: { type: 'AREA', area: area.id } } : { kind: 'unknown-action', id };
    }
    case 'reframe':
      return value ? { kind: 'reframe', text: value } : { kind: 'unknown-action', id };
    case 'practice':
      return { kind: 'practice', scenario: value || undefined };
    case 'names':
      return value === 'show' || value === 'hide' ? { kind: 'event', event: { type: 'NAMES', show: value === 'show' } } : { kind: 'unknown-action', id };
    case 'share':
      return value === 'post' || value === 'private' ? { kind: 'event', event: { type: 'SHARE', post: value === 'post' } } : { kind: 'unknown-action', id };
    default:
      return { kind: 'unknown-action', id };
  }
}
