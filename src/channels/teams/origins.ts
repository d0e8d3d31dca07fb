// Case threads a rehearsal was started from. The engine keeps only an opaque origin id with the
// rehearsal; the Teams conversation reference it stands for (service URL, the reply chain's
// conversation id with `;messageid=`) is kept here, in the session store, under that id. It is saved
// as the starter's record, so `forget` erases it with the rest, and it expires like any idle session.
import { randomUUID } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import type { SessionStore } from '../../conversation/store.ts';

const FLOW = 'teams-origin';
const KEY_PREFIX = 'teams-origin:';

export interface Origin {
  reference: Partial<ConversationReference>;
  /** The user who started the rehearsal there: the only one who may post its summary. */
  user: string;
}

export class OriginStore {
  constructor(private readonly store: SessionStore) {}

  /** Keeps the thread's reference and returns the new origin id to hand to the engine. */
  async save(reference: Partial<ConversationReference>, user: string): Promise<string> {
    const id = randomUUID();
    const record = { flow: FLOW, flowVersion: 1, snapshot: { reference }, version: 1, users: [user] };
    await this.store.save(KEY_PREFIX + id, record, 0, { user });
    return id;
  }

  async load(id: string): Promise<Origin | null> {
    const record = await this.store.load(KEY_PREFIX + id);
    if (!record || record.flow !== FLOW) return null;
    const reference = (record.snapshot as { reference?: Partial<ConversationReference> }).reference;
    const user = record.users[0];
    return reference?.conversation?.id && reference.serviceUrl && user ? { reference, user } : null;
  }
}
