// Messages out to Slack, in order and never dropped. Each channel has its own lane: messages to it go
// one after another, paced to Slack's "about one message a second per channel" (with a short burst),
// while other channels' lanes run alongside. Web API 429s are retried after their Retry-After by the
// WebClient (rejectRateLimitedCalls is off); response_url posts get the same treatment here.
import type { types, webApi } from '@slack/bolt';
import { errorFields, type Logger } from '../../http.ts';
import type { SlackMessage } from './render.ts';
import { currentWorkspaceToken } from './workspace-token.ts';

/** The token of the workspace being answered, when workspaces install the app themselves; none with one SLACK_BOT_TOKEN. */
const workspace = (): { token?: string } => {
  const token = currentWorkspaceToken();
  return token ? { token } : {};
};

export interface PacingOptions {
  /** One message per this many milliseconds per channel, once the burst is spent. */
  intervalMs?: number;
  /** Messages a quiet channel may take at once. */
  burst?: number;
}

export interface DelivererOptions extends PacingOptions {
  client: webApi.WebClient;
  log: Logger;
  /** For response_url posts; injectable for tests. */
  fetch?: typeof globalThis.fetch;
  /** Attempts for one response_url post before giving up (429s and 5xx are retried). */
  responseAttempts?: number;
}

interface Lane {
  tail: Promise<void>;
  tokens: number;
  refilledAt: number;
}

/** Where a message goes in a channel, and for whom when it is ephemeral. */
export interface Placement {
  channel: string;
  threadTs?: string;
}

export class Deliverer {
  private readonly client: webApi.WebClient;
  private readonly log: Logger;
  private readonly fetchFn: typeof globalThis.fetch;
  private readonly intervalMs: number;
  private readonly burst: number;
  private readonly responseAttempts: number;
  private readonly lanes = new Map<string, Lane>();
  /** team:user → the DM channel with the bot; conversations.open answers the same id every time. */
  private readonly dms = new Map<string, Promise<string>>();

  constructor(options: DelivererOptions) {
    this.client = options.client;
    this.log = options.log;
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.intervalMs = options.intervalMs ?? 1_000;
    this.burst = options.burst ?? 3;
    this.responseAttempts = options.responseAttempts ?? 6;
  }

  /** Posts messages to a channel or thread, in order. Resolves with the last message's ts. */
  async post(place: Placement, messages: SlackMessage[]): Promise<string | undefined> {
    let ts: string | undefined;
    const auth = workspace(); // taken now: the lane may send after this request's scope has ended
    for (const message of messages) {
      ts = await this.inLane(place.channel, async () => {
        const result = await this.client.chat.postMessage({
          ...auth,
          channel: place.channel,
          ...(place.threadTs && { thread_ts: place.threadTs }),
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
        });
        return result.ts;
      });
    }
    return ts;
  }

  /** Messages only `user` sees, in a channel or thread (chat.postEphemeral). */
  async ephemeral(place: Placement, user: string, messages: SlackMessage[]): Promise<void> {
    const auth = workspace();
    for (const message of messages) {
      await this.inLane(place.channel, () =>
        this.client.chat.postEphemeral({
          ...auth,
          channel: place.channel,
          user,
          ...(place.threadTs && { thread_ts: place.threadTs }),
          text: message.text,
          blocks: message.blocks,
        }),
      );
    }
  }

  /** Ephemeral answers through a response_url (slash commands, shortcuts, buttons on ephemeral messages). */
  async respond(responseUrl: string, messages: SlackMessage[], laneKey = responseUrl): Promise<void> {
    for (const message of messages) {
      await this.inLane(laneKey, () =>
        this.postResponse(responseUrl, { response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks }),
      );
    }
  }

  /** Shows a view (the App Home tab) to one person. */
  async publishView(user: string, view: types.HomeView): Promise<void> {
    await this.client.views.publish({ ...workspace(), user_id: user, view });
  }

  /** Opens a modal for the person who acted (views.open, within three seconds of their trigger_id). Resolves with the view's id. */
  async openView(triggerId: string, view: types.ModalView): Promise<string> {
    const result = await this.client.views.open({ ...workspace(), trigger_id: triggerId, view });
    if (!result.view?.id) throw new Error('views.open answered without a view id');
    return result.view.id;
  }

  /** Replaces an open modal's content (views.update): the answer once it is ready. */
  async updateView(viewId: string, view: types.ModalView): Promise<void> {
    await this.client.views.update({ ...workspace(), view_id: viewId, view });
  }

  /** The person's DM with the bot (conversations.open), remembered per person. */
  openDm(team: string, user: string): Promise<string> {
    const key = `${team}:${user}`;
    let dm = this.dms.get(key);
    if (!dm) {
      dm = this.client.conversations.open({ ...workspace(), users: user }).then((result) => {
        if (!result.channel?.id) throw new Error('conversations.open answered without a channel id');
        return result.channel.id;
      });
      dm.catch(() => this.dms.delete(key)); // a failure is not remembered
      this.dms.set(key, dm);
    }
    return dm;
  }

  /** Forgets the DM channels remembered for a workspace (it uninstalled the app). */
  forgetDms(team: string): void {
    for (const key of this.dms.keys()) if (key.startsWith(`${team}:`)) this.dms.delete(key);
  }

  /** Resolves when every message accepted so far has been sent (or has finally failed). */
  async drain(): Promise<void> {
    while (true) {
      const tails = [...this.lanes.values()].map((lane) => lane.tail);
      if (tails.length === 0) return;
      await Promise.all(tails);
      if ([...this.lanes.values()].every((lane) => tails.includes(lane.tail))) return;
    }
  }

  /** Runs `send` after everything before it in this lane, once the lane's pace allows. */
  private inLane<T>(key: string, send: () => Promise<T>): Promise<T> {
    const lane = this.lanes.get(key) ?? { tail: Promise.resolve(), tokens: this.burst, refilledAt: Date.now() };
    const result = lane.tail.then(async () => {
      await this.paced(lane);
      return send();
    });
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    lane.tail = tail;
    this.lanes.set(key, lane);
    // An idle lane is forgotten once its bucket would be full again, so a long-running server does
    // not keep one per channel it ever wrote to.
    void tail.then(() => {
      const forget = () => {
        if (this.lanes.get(key)?.tail === tail) this.lanes.delete(key);
      };
      const refillMs = (this.burst - lane.tokens) * this.intervalMs;
      if (refillMs <= 0) forget();
      else setTimeout(forget, refillMs).unref();
    });
    return result;
  }

  /** A token bucket: `burst` at once, then one every `intervalMs`. */
  private async paced(lane: Lane): Promise<void> {
    const refill = () => {
      const now = Date.now();
      lane.tokens = Math.min(this.burst, lane.tokens + (now - lane.refilledAt) / this.intervalMs);
      lane.refilledAt = now;
    };
    refill();
    if (lane.tokens < 1) {
      await new Promise((resolve) => setTimeout(resolve, Math.ceil((1 - lane.tokens) * this.intervalMs)));
      refill();
    }
    lane.tokens -= 1;
  }

  private async postResponse(url: string, body: Record<string, unknown>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let status = 0;
      let retryAfter: number | undefined;
      try {
        const response = await this.fetchFn(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        status = response.status;
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        const header = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
        retryAfter = Number.isFinite(header) ? header : undefined;
      } catch (error) {
        this.log.warn('slack response_url post failed', { attempt, ...errorFields(error) });
      }
      const retriable = status === 0 || status === 429 || status >= 500;
      if (!retriable || attempt >= this.responseAttempts) {
        throw new Error(`response_url answered ${status || 'nothing'} after ${attempt} attempt(s)`);
      }
      const waitMs = retryAfter !== undefined ? retryAfter * 1_000 : Math.min(500 * 2 ** (attempt - 1), 8_000);
      this.log.info('slack response_url retry', { attempt, status, waitMs });
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
