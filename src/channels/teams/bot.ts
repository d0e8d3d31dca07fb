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
import { errorFields, type TurnHandler } from '../../http.ts';
import { deliver, inPersonalChat, sendAll, type DeliveryDeps } from './deliver.ts';
import { fetchCheckLanguage, submitCheckLanguage, type Asker } from './extension.ts';
import { startsRehearsal } from '../../conversation/router.ts';
import { conversationKey, scopeOf, threadReference, toActionTurn, toTurn, userKey, type Translation } from './translate.ts';

export interface BotDeps extends DeliveryDeps {
  engine: TurnHandler;
  store: SessionStore;
}

export const HANDED_OFF =
  'I have opened the rehearsal in our personal chat. When you finish, you can post the summary to this conversation or keep it private.';
export const CANNOT_OPEN_PERSONAL_CHAT =
  'I could not open a personal chat with you to rehearse. Add Strengths Coach for yourself (Apps → Strengths Coach → Add), then say rehearse here again.';

export class CoachBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.take(context, toTurn(context.activity));
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      await this.welcome(context);
      await next();
    });
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
  return { ...help, text: `${where}\n\n${help.text}` };
}

function asker(context: TurnContext): Asker {
  return { conversation: conversationKey(context.activity), user: userKey(context.activity) };
}
