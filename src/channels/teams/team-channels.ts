// The channels of each team the coach has been used in, so that removing the app from a team can
// erase the conversations of all of them: Teams names only the team when the bot is removed, and a
// channel's conversations carry the channel's id, not the team's. Kept in the session store as one
// small record per team (a pseudo-conversation `teams-team:<team id>`, saved for a pseudo-user of the
// same name), written only when a channel is seen for the first time.
import type { SessionStore } from '../../conversation/store.ts';

const FLOW = 'teams-team';
export const TEAM_PREFIX = 'teams-team:';
const ATTEMPTS = 5;

export class TeamChannels {
  constructor(private readonly store: SessionStore) {}

  /** Remembers that this channel belongs to this team (a no-op once it is known). */
  async note(team: string, channel: string): Promise<void> {
    const key = TEAM_PREFIX + team;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const record = await this.store.load(key);
      const channels = channelsOf(record?.snapshot);
      if (channels.includes(channel)) return;
      const next = { flow: FLOW, flowVersion: 1, snapshot: { channels: [...channels, channel] }, version: (record?.version ?? 0) + 1, users: [key] };
      if (await this.store.save(key, next, record?.version ?? 0, { user: key })) return;
    }
  }

  /** The team's channels seen so far (the team's own id, its General channel, always among them). */
  async list(team: string): Promise<string[]> {
    return [...new Set([team, ...channelsOf((await this.store.load(TEAM_PREFIX + team))?.snapshot)])];
  }
}

function channelsOf(snapshot: unknown): string[] {
  const channels = (snapshot as { channels?: unknown } | undefined)?.channels;
  return Array.isArray(channels) ? channels.filter((c): c is string => typeof c === 'string') : [];
}
