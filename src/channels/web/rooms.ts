// Practice rooms in the web chat: a trainer starts a practice in a room (a web conversation named by
// a short code), others join by link or code, and everyone in the room sees what the group sees —
// the person's answers, round changes, the trainer's moves, the summary — live, by server-sent events.
// Feedback meant for one person is never streamed: it stays in that person's own reply.
//
// The stream is held in this process's memory: a room's last few shared events (so someone who
// joins late, or reloads, sees the round they are in) and who is connected, both gone two hours
// after the room falls quiet. Run one instance for rooms (or route a room's requests to one).
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Reply } from '../../conversation/types.ts';

/** Crockford's base32: no I, L, O or U to misread. Eight characters: about 40 bits, a capability. */
export const ROOM_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ROOM_PREFIX = 'room-';
export const roomConversation = z
  .string('conversation is required')
  .regex(new RegExp(`^${ROOM_PREFIX}[${ROOM_ALPHABET}]{8}$`), 'conversation must be a practice room like room-7KQ2M9XD');

export const roomSubscription = z.strictObject({
  conversation: roomConversation,
  user: z.string('user must be a string').trim().min(1, 'user must not be empty').max(150, 'user can be at most 150 characters').optional(),
  name: z.string('name must be a string').trim().max(80, 'name can be at most 80 characters').optional(),
});

export function isRoom(conversation: string): boolean {
  return roomConversation.safeParse(conversation).success;
}

/** What a room's members are sent. */
export type RoomEvent =
  | { type: 'shared'; id: number; from?: string; replies: Reply[] }
  | { type: 'presence'; people: string[]; count: number };

interface Member {
  user: string;
  name?: string;
  res: ServerResponse;
}

interface Room {
  members: Set<Member>;
  /** Shared events with who caused them: someone back after a reload has their own already. */
  backlog: (Extract<RoomEvent, { type: 'shared' }> & { user: string })[];
  nextId: number;
  quietTimer?: NodeJS.Timeout;
}

const BACKLOG = 40;
const QUIET_MS = 2 * 60 * 60 * 1000;
const KEEPALIVE_MS = 25_000;

export class RoomHub {
  private readonly rooms = new Map<string, Room>();
  private readonly keepalive: NodeJS.Timeout;

  constructor(private readonly quietMs = QUIET_MS) {
    // A comment line now and then keeps proxies from closing a quiet stream.
    this.keepalive = setInterval(() => {
      for (const room of this.rooms.values()) for (const m of room.members) m.res.write(': keepalive\n\n');
    }, KEEPALIVE_MS);
    this.keepalive.unref();
  }

  /** Opens the stream: the room's backlog first, then everything shared from now on. */
  join(conversation: string, member: Member): void {
    const room = this.room(conversation);
    member.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    member.res.write('retry: 2000\n\n');
    for (const { user, ...event } of room.backlog) if (user !== member.user) send(member.res, event);
    room.members.add(member);
    member.res.on('close', () => {
      room.members.delete(member);
      this.presence(room);
      this.quietLater(conversation, room);
    });
    this.presence(room);
  }

  /** What a turn in the room gave the group: sent to everyone else there, and kept for latecomers. */
  share(conversation: string, from: { user: string; name?: string }, replies: Reply[]): void {
    if (!isRoom(conversation)) return;
    const shared = replies.filter((r) => r.audience === 'conversation');
    if (shared.length === 0) return;
    const room = this.room(conversation);
    const event = { type: 'shared' as const, id: room.nextId++, replies: shared, ...(from.name && { from: from.name }) };
    room.backlog = [...room.backlog, { ...event, user: from.user }].slice(-BACKLOG);
    for (const member of room.members) if (member.user !== from.user) send(member.res, event);
    this.quietLater(conversation, room);
  }

  close(): void {
    clearInterval(this.keepalive);
    for (const room of this.rooms.values()) {
      clearTimeout(room.quietTimer);
      for (const m of room.members) m.res.end();
    }
    this.rooms.clear();
  }

  private room(conversation: string): Room {
    let room = this.rooms.get(conversation);
    if (!room) this.rooms.set(conversation, (room = { members: new Set(), backlog: [], nextId: 1 }));
    clearTimeout(room.quietTimer);
    return room;
  }

  /** Who is in the room, by the names they gave (a person who gave none counts, unnamed). */
  private presence(room: Room): void {
    const people = [...new Map([...room.members].map((m) => [m.user, m.name])).values()];
    const event: RoomEvent = { type: 'presence', people: people.filter((n): n is string => Boolean(n)), count: people.length };
    for (const m of room.members) send(m.res, event);
  }

  private quietLater(conversation: string, room: Room): void {
    clearTimeout(room.quietTimer);
    if (room.members.size > 0) return;
    room.quietTimer = setTimeout(() => this.rooms.delete(conversation), this.quietMs);
    room.quietTimer.unref();
  }
}

function send(res: ServerResponse, event: RoomEvent): void {
  res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}
