// The Teams bot: one handler per activity kind. Messages and card buttons become Turns for the engine;
// the bot being added says hello; the message extension checks language. What a reply looks like is
// cards.ts, where it goes is deliver.ts, and failures become sentences in adapter.ts.
import {
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
} from 'botbuilder';
import type { SessionStore } from '../../conversation/store.ts';
import type { Reply, Turn } from '../../conversation/types.ts';
import { blocksOf, paragraph } from '../../shapes/reply.ts';
import { errorFields, type TurnHandler } from '../../http.ts';
import { deliver, inPersonalChat, sendAll, type DeliveryDeps } from './deliver.ts';
import { fetchCheckLanguage, submitCheckLanguage, type Asker } from './extension.ts';
import { startsRehearsal } from '../../conversation/router.ts';
import { conversationKey, scopeOf, threadReference, toActionTurn, toTurn, userKey, type Translation } from './translate.ts';
import { TEAM_PREFIX, TeamChannels } from './team-channels.ts';

export interface BotDeps extends DeliveryDeps {
  engine: TurnHandler;
  store: SessionStore;
}

export const HANDED_OFF =
  'I have opened the rehearsal in our personal chat. When you finish, you can post the summary to this conversation or keep it private.';
export const CANNOT_OPEN_PERSONAL_CHAT =
  'I could not open a personal chat with you to rehearse. Add Strengths Coach for yourself (Apps → Strengths Coach → Add), then say rehearse here again.';

export class CoachBot extends TeamsActivityHandler {
  private readonly teams: TeamChannels;

  constructor(private readonly deps: BotDeps) {
    super();
    this.teams = new TeamChannels(deps.store);
    this.onMessage(async (context, next) => {
      await this.take(context, toTurn(context.activity));
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      await this.welcome(context);
      await next();
    });
    // Removed: the app uninstalled (installationUpdate remove), or the bot taken out of a team or chat.
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.erase(context);
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      const { activity } = context;
      if ((activity.membersRemoved ?? []).some((member) => member.id === activity.recipient?.id)) await this.erase(context);
      await next();
    });
  }

  /**
   * Erases what the removal leaves behind: a personal uninstall, that person's data (as their own
   * `forget`, so a practice they shared is kept for the others); a group chat, its conversations; a
   * team, the conversations of every channel it has used the coach in. Counts are logged, never ids.
   */
  private async erase(context: TurnContext): Promise<void> {
    const { activity } = context;
    const { store, engine, log } = this.deps;
    const scope = scopeOf(activity);
    let keys = 0;
    if (scope === 'personal') {
      await engine.handle({ conversation: conversationKey(activity), user: userKey(activity), channel: 'teams', action: { id: 'forget' } });
      keys += await store.forgetPrefix(conversationKey(activity));
    } else {
      const team = teamOf(activity);
      const places = team ? (await this.teams.list(team)).map((channel) => `teams:${channel}`) : [conversationKey(activity).split(';')[0]!];
      for (const place of places) keys += await store.forgetPrefix(place);
      if (team) keys += await store.forgetPrefix(TEAM_PREFIX + team);
    }
    log.info('teams app removed: data erased', { scope, keys });
  }

  /** Action.Execute (Universal Actions): the button's data is in `action.data`. */
  protected override async onAdaptiveCardInvoke(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    await this.take(context, toActionTurn(context.activity, value.action?.data));
    return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Done.' as unknown as Record<string, unknown> };
  }

  /** A card button sent as an invoke with no name (`msteams.type: "invoke"`): its data is `activity.value`. */
  protected override async handleTeamsCardActionInvoke(context: TurnContext): Promise<InvokeResponse> {
    await this.take(context, toActionTurn(context.activity, context.activity.value));
    return { status: 200 };
  }

  protected override handleTeamsMessagingExtensionFetchTask(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return fetchCheckLanguage(this.deps.engine, asker(context), action);
  }

  protected override handleTeamsMessagingExtensionSubmitAction(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return submitCheckLanguage(this.deps.engine, asker(context), action);
  }

  private async take(context: TurnContext, translation: Translation): Promise<void> {
    if ('problem' in translation) {
      await sendAll(context, [{ type: 'message', text: translation.problem }]);
      return;
    }
    const { turn } = translation;
    const team = teamOf(context.activity);
    if (team) await this.teams.note(team, channelOf(context.activity));
    if (scopeOf(context.activity) === 'channel' && startsRehearsal(turn)) {
      await this.rehearseInPersonalChat(context, turn);
      return;
    }
    const replies = await this.deps.engine.handle(turn);
    await deliver(context, replies, this.deps, { user: turn.user, ...(turn.origin && { origin: turn.origin }) });
  }

  /**
   * `rehearse` in a channel reply chain: the rehearsal runs in the practitioner's personal chat, and the
   * chain becomes its origin, where the summary may be posted at the end.
   */
  private async rehearseInPersonalChat(context: TurnContext, turn: Turn): Promise<void> {
    const { store, origins, engine, log } = this.deps;
    // This message's own dedupe: the rehearsal turn itself runs in another conversation.
    if (turn.messageId && !(await store.markSeen(turn.conversation, turn.messageId, turn.user))) return;
    const origin = await origins.save(threadReference(context.activity), turn.user);
    let opened = false;
    try {
      await inPersonalChat(context, this.deps, async (personal) => {
        opened = true;
        const personalTurn: Turn = { ...turn, conversation: conversationKey(personal.activity), origin };
        await deliver(personal, await engine.handle(personalTurn), this.deps, { user: turn.user, origin });
      });
    } catch (error) {
      if (opened) throw error;
      log.warn('teams personal chat could not be opened', errorFields(error));
      await sendAll(context, [{ type: 'message', text: CANNOT_OPEN_PERSONAL_CHAT }]);
      return;
    }
    await sendAll(context, [{ type: 'message', text: HANDED_OFF }]);
  }

  /** Hello, once, when the bot itself joins a chat, a team or someone's personal scope. */
  private async welcome(context: TurnContext): Promise<void> {
    const { activity } = context;
    const botJoined = (activity.membersAdded ?? []).some((member) => member.id === activity.recipient?.id);
    if (!botJoined) return;
    const turn: Turn = {
      conversation: conversationKey(activity),
      user: activity.from?.id ? userKey(activity) : 'teams:installer',
      channel: 'teams',
      text: 'help',
      ...(activity.id && { messageId: activity.id }),
    };
    const [help, ...rest] = await this.deps.engine.handle(turn);
    if (!help) return; // this very activity was greeted already
    await deliver(context, [welcomeReply(help, scopeOf(activity) === 'personal'), ...rest], this.deps, { user: turn.user });
  }
}

export function welcomeReply(help: Reply, personal: boolean): Reply {
  const where = personal
    ? 'Hello, I am Strengths Coach.'
    : 'Hello, I am Strengths Coach. In a channel, mention me in a conversation: I answer in that conversation, and a rehearsal moves to our personal chat so you can post its summary back here when you choose.';
  return { ...help, text: `${where}\n\n${help.text}`, blocks: [paragraph(where), ...blocksOf(help)] };
}

/** The team a channel activity comes from (Teams names it by its General channel's id). */
function teamOf(activity: TurnContext['activity']): string | undefined {
  const id = (activity.channelData as { team?: { id?: unknown } } | undefined)?.team?.id;
  return scopeOf(activity) === 'channel' && typeof id === 'string' && id ? id : undefined;
}

/** The channel itself: its id, which every reply chain's conversation id starts with. */
function channelOf(activity: TurnContext['activity']): string {
  const id = (activity.channelData as { channel?: { id?: unknown } } | undefined)?.channel?.id;
  return typeof id === 'string' && id ? id : (activity.conversation?.id ?? '').split(';')[0]!;
}

function asker(context: TurnContext): Asker {
  return { conversation: conversationKey(context.activity), user: userKey(context.activity) };
}
