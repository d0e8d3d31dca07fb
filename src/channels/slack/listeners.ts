// One listener per kind of Slack request. Each acknowledges first (Slack wants an answer within three
// seconds, whatever the work), then translates the payload into a Turn, lets the engine answer, and
// renders and delivers the replies. A rehearsal asked for outside a DM moves to the person's DM, with
// the thread it was asked in as its origin: the only place its summary can ever be posted.
import type { App, types } from '@slack/bolt';
import { failureOf } from '../../conversation/failures.ts';
import { startsRehearsal } from '../../conversation/router.ts';
import type { SessionStore } from '../../conversation/store.ts';
import type { Reply, Turn } from '../../conversation/types.ts';
import { errorFields, type Logger, type TurnHandler } from '../../http.ts';
import type { Deliverer } from './deliver.ts';
import { SHORTCUTS } from './payloads.ts';
import { checkMessage, checkOf, checkView, loadingView, modalNotice, SHORT_NOTE, uncheckedSentence } from './check.ts';
import { homeView, recentRehearsals } from './home.ts';
import { mrkdwnLink, renderMarkup, renderReply, type RenderOptions, type SlackMessage } from './render.ts';
import {
  actionIdOf,
  caseThreadOf,
  conversationKey,
  fromBlockAction,
  fromMessageEvent,
  fromSlashCommand,
  isDirectMessage,
  isFromPerson,
  languageCheckTurn,
  movedToDm,
  originOf,
  parseOrigin,
  placeOfAction,
  rehearsalInDm,
  teamOf,
  userKey,
  CHANNEL,
  type BlockActionLike,
  type GlobalShortcutLike,
  type MessageEventLike,
  type MessageShortcutLike,
  type NoteToCheck,
  type SlackTurn,
  type SlashCommandLike,
} from './translate.ts';

export { SHORTCUTS };

export interface ListenerDeps {
  engine: TurnHandler;
  store: SessionStore;
  deliver: Deliverer;
  log: Logger;
}

export function registerListeners(app: App, deps: ListenerDeps): void {
  const door = new SlackDoor(deps);

  app.event('message', async ({ event, body, context }) => {
    const message = event as unknown as MessageEventLike;
    if (message.channel_type !== 'im' || !isFromPerson(message, context.botUserId)) return;
    await afterAck(); // Bolt acknowledged events before calling us
    await door.converse(fromMessageEvent(message, body.team_id, body.event_id, context.botUserId));
  });

  app.event('app_mention', async ({ event, body, context }) => {
    const mention = event as unknown as MessageEventLike;
    // In a DM the same words also arrive as message.im, which answers them.
    if (isDirectMessage(mention.channel) || !isFromPerson(mention, context.botUserId)) return;
    await afterAck();
    const asked = fromMessageEvent(mention, body.team_id, body.event_id, context.botUserId);
    await (startsRehearsal({ text: asked.turn.text }) ? door.inDm(asked) : door.converse(asked));
  });

  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    await afterAck();
    await door.publishHome(body.team_id, event.user);
  });

  app.command(/.*/, async ({ command, ack }) => {
    await ack();
    await afterAck();
    const slash = command as SlashCommandLike;
    const inBotDm = isDirectMessage(slash.channel_id) && (await door.dmOf(slash.team_id, slash.user_id).catch(() => undefined)) === slash.channel_id;
    const asked = fromSlashCommand(slash, inBotDm);
    if (asked.check) return door.checkLanguage(asked, asked.check, slash.trigger_id);
    await (!inBotDm && startsRehearsal({ text: asked.turn.text }) ? door.inDm(asked) : door.converse(asked));
  });

  app.action({ type: 'block_actions' }, async ({ body, ack }) => {
    await ack();
    await afterAck();
    const payload = body as unknown as BlockActionLike;
    const place = placeOfAction(payload);
    if (place.home) return door.homeAction(payload);
    const asked = fromBlockAction(payload);
    if (!asked) return;
    const outsideDm = asked.to.kind === 'response' || !isDirectMessage(place.channel ?? '');
    const id = actionIdOf(payload.actions[0]!.action_id);
    await (outsideDm && startsRehearsal({ action: { id } }) ? door.inDm(asked) : door.converse(asked));
  });

  app.shortcut(SHORTCUTS.rehearseCase, async ({ shortcut, ack }) => {
    await ack();
    await afterAck();
    await door.rehearseCase(shortcut as unknown as MessageShortcutLike);
  });

  app.shortcut(SHORTCUTS.checkLanguage, async ({ shortcut, ack }) => {
    await ack();
    await afterAck();
    const asked = shortcut as unknown as MessageShortcutLike;
    const turn = languageCheckTurn(asked);
    if (!turn?.check) return door.respondText(asked.response_url, 'That message has no text for me to check.');
    await door.checkLanguage(turn, turn.check, asked.trigger_id);
  });

  app.shortcut(SHORTCUTS.startRehearsal, async ({ shortcut, ack }) => {
    await ack();
    await afterAck();
    const asked = shortcut as unknown as GlobalShortcutLike;
    await door.startInDm(teamOf(asked), asked.user.id, `shortcut:${asked.trigger_id}`);
  });

  app.error(async (error) => {
    deps.log.error('slack listener failed', errorFields(error));
  });
}

/**
 * Lets the acknowledgement leave before the turn's work starts. Node sends a response from a
 * process.nextTick callback, and a turn on the memory store is all promise callbacks, which run
 * first: without this, the ack would wait for the whole turn. Ticks run in order, so once ours has
 * run, the response's has too.
 */
function afterAck(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}

/** What every listener does once it knows the turn: engine, render, deliver. */
class SlackDoor {
  constructor(private readonly deps: ListenerDeps) {}

  /** Runs a turn and delivers its replies where they belong. Returns the replies (none for a retry). */
  async converse(asked: SlackTurn, options: RenderOptions = {}): Promise<Reply[]> {
    const answered = await this.answer(asked.turn);
    // A `reframe` note longer than one check: the answer says how much of it went unchecked.
    const unchecked: Reply[] = answered.length && asked.check?.unchecked ? [{ kind: 'info', text: uncheckedSentence(asked.check) }] : [];
    const replies = [...answered, ...unchecked];
    for (const reply of replies) {
      try {
        if (reply.share) await this.share(asked, reply);
        else await this.send(asked, reply, renderReply(reply, { ...options, origin: asked.turn.origin }));
      } catch (error) {
        this.deps.log.error('slack reply not delivered', { kind: reply.kind, ...errorFields(error), code: slackCode(error) });
      }
    }
    return replies;
  }

  /**
   * A language check, answered in one place: a short answer as one message (one response_url post at
   * most), a longer one in a modal. A long note opens the modal at once, while the trigger_id is fresh,
   * and fills it when the check is ready; a modal that cannot open gets one message saying what it
   * holds and counting the rest.
   */
  async checkLanguage(asked: SlackTurn, note: NoteToCheck, triggerId: string): Promise<void> {
    const { deliver, log } = this.deps;
    const open = (view: types.ModalView) =>
      deliver.openView(triggerId, view).catch((error: unknown) => {
        log.warn('slack modal not opened', { ...errorFields(error), code: slackCode(error) });
        return undefined;
      });
    const long = note.checked.length + note.unchecked > SHORT_NOTE;
    const loading = long ? await open(loadingView()) : undefined;
    const [reply] = await this.answer(asked.turn);
    if (!reply) {
      // Already answered (a retried request): nothing new to say, except in the window just opened.
      if (loading) await this.fillView(loading, modalNotice('This note was checked already: its answer went out the first time.'));
      return;
    }
    if (!long) {
      const messages = renderReply(reply, { copyable: true });
      if (messages.length === 1) return this.deliverOne(asked, reply, messages);
    }
    const check = checkOf(reply);
    const viewId = loading ?? (long ? undefined : await open(checkView(check, note)));
    if (viewId && (!loading || (await this.fillView(viewId, checkView(check, note))))) return;
    await this.deliverOne(asked, reply, [checkMessage(check, note)]);
  }

  /** Replaces an open modal's content; false when Slack would not. */
  private async fillView(viewId: string, view: types.ModalView): Promise<boolean> {
    try {
      await this.deps.deliver.updateView(viewId, view);
      return true;
    } catch (error) {
      this.deps.log.warn('slack modal not updated', { ...errorFields(error), code: slackCode(error) });
      return false;
    }
  }

  private async deliverOne(asked: SlackTurn, reply: Reply, messages: SlackMessage[]): Promise<void> {
    await this.send(asked, reply, messages).catch((error: unknown) => {
      this.deps.log.error('slack reply not delivered', { kind: reply.kind, ...errorFields(error), code: slackCode(error) });
    });
  }

  /** The turn moved to the person's DM; where they asked, a note (to them alone) says where it went. */
  async inDm(asked: SlackTurn): Promise<void> {
    let dm: string;
    try {
      dm = await this.dmOf(asked.team, asked.userId);
    } catch (error) {
      this.deps.log.error('slack DM could not be opened', { ...errorFields(error), code: slackCode(error) });
      await this.sendText(asked, 'I could not open a direct message with you, so the rehearsal has not started. Please try again in a moment.');
      return;
    }
    const replies = await this.converse(movedToDm(asked, dm));
    const notice = `Your rehearsal is in ${mrkdwnLink(`https://slack.com/app_redirect?channel=${dm}&team=${asked.team}`, 'our direct messages')}, where only you can see it.`;
    if (replies.length) await this.sendText(asked, notice, renderMarkup(notice));
  }

  async startInDm(team: string, userId: string, messageId: string, origin?: string): Promise<Reply[]> {
    const dm = await this.dmOf(team, userId);
    return this.converse(rehearsalInDm(team, userId, dm, messageId, origin));
  }

  async rehearseCase(shortcut: MessageShortcutLike): Promise<void> {
    const team = teamOf(shortcut);
    const place = caseThreadOf(shortcut);
    const origin = isDirectMessage(place.channel) ? undefined : originOf(team, place.channel, place.threadTs);
    try {
      const replies = await this.startInDm(team, shortcut.user.id, `shortcut:${shortcut.trigger_id}`, origin);
      if (replies.length) {
        await this.respondText(shortcut.response_url, 'Your rehearsal for this case is in our direct messages, where only you can see it. At the end you choose whether the summary comes to this thread.');
      }
    } catch (error) {
      this.deps.log.error('slack rehearsal from a case failed', { ...errorFields(error), code: slackCode(error) });
      await this.respondText(shortcut.response_url, 'I could not open a direct message with you, so the rehearsal has not started. Please try again in a moment.');
    }
  }

  async homeAction(payload: BlockActionLike): Promise<void> {
    const team = teamOf(payload);
    const userId = payload.user.id;
    const id = actionIdOf(payload.actions[0]?.action_id ?? '');
    if (id === 'rehearse') {
      await this.startInDm(team, userId, `action:${payload.trigger_id}`);
      return;
    }
    if (id !== 'forget') return;
    const replies = await this.answer({
      conversation: conversationKey(team, `home-${userId}`),
      user: userKey(team, userId),
      channel: CHANNEL,
      action: { id: 'forget' },
      messageId: `action:${payload.trigger_id}`,
    });
    await this.publishHome(team, userId, replies[0]?.text);
  }

  async publishHome(team: string, userId: string, notice?: string): Promise<void> {
    const rehearsals = await recentRehearsals(this.deps.store, userKey(team, userId)).catch((error: unknown) => {
      this.deps.log.warn('slack home: rehearsals not listed', errorFields(error));
      return [];
    });
    await this.deps.deliver.publishView(userId, homeView({ rehearsals, ...(notice && { notice }) }));
  }

  dmOf(team: string, userId: string): Promise<string> {
    return this.deps.deliver.openDm(team, userId);
  }

  async respondText(responseUrl: string, text: string): Promise<void> {
    await this.deps.deliver.respond(responseUrl, renderReply({ kind: 'info', text })).catch((error: unknown) => {
      this.deps.log.error('slack response not delivered', errorFields(error));
    });
  }

  /** A sentence of the coach's own to the asker; `messages` when it is already mrkdwn (it holds a link). */
  private async sendText(asked: SlackTurn, text: string, messages = renderReply({ kind: 'info', text })): Promise<void> {
    await this.send(asked, { kind: 'info', text, audience: 'author' }, messages).catch((error: unknown) => {
      this.deps.log.error('slack notice not delivered', { ...errorFields(error), code: slackCode(error) });
    });
  }

  /** The engine's replies, or one that says what went wrong; the error is logged without the text. */
  private async answer(turn: Turn): Promise<Reply[]> {
    try {
      return await this.deps.engine.handle(turn);
    } catch (error) {
      this.deps.log.warn('slack turn not applied', errorFields(error));
      return [failureReply(error)];
    }
  }

  /** To the turn's place: an ephemeral answer, the DM or thread, or — for the author alone — ephemeral in a channel. */
  private async send(asked: SlackTurn, reply: Reply, messages: SlackMessage[]): Promise<void> {
    const to = asked.to;
    if (to.kind === 'response') {
      await this.deps.deliver.respond(to.responseUrl, messages, to.channel);
      return;
    }
    const place = { channel: to.channel, ...(to.threadTs && { threadTs: to.threadTs }) };
    if (reply.audience === 'author' && !isDirectMessage(to.channel)) await this.deps.deliver.ephemeral(place, asked.userId, messages);
    else await this.deps.deliver.post(place, messages);
  }

  /** The summary to the case thread it started from, and nowhere else; never to another workspace. */
  private async share(asked: SlackTurn, reply: Reply): Promise<void> {
    const place = parseOrigin(reply.share?.origin);
    if (!place || place.team !== asked.team) {
      this.deps.log.warn('slack share refused: origin is not a thread of this workspace');
      await this.sendText(asked, 'I could not tell which case thread this rehearsal came from, so nothing was posted.');
      return;
    }
    try {
      await this.deps.deliver.post(place, renderReply({ ...reply, actions: [] }));
    } catch (error) {
      const code = slackCode(error);
      this.deps.log.error('slack summary not posted', { ...errorFields(error), code });
      await this.sendText(
        asked,
        code === 'not_in_channel' || code === 'channel_not_found'
          ? 'Slack would not let me post in that case thread: I am not a member of its channel. Invite me there (`/invite @Strengths Coach`), or copy the summary above into the thread.'
          : 'Slack did not take the summary for the case thread just now. Copy it from above into the thread if you need it there.',
      );
    }
  }
}

function failureReply(error: unknown): Reply {
  return { kind: 'error', text: failureOf(error).sentence };
}

/** Slack's error code (`not_in_channel`, `ratelimited`…) from a Web API error, for logs. */
function slackCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}
