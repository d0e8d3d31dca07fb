// Where each reply goes. To the conversation the turn came from, as a rule; a reply meant for its
// author alone (practice feedback) goes to their personal chat when the turn came from a channel or a
// group chat; a summary the practitioner chose to post goes to the case thread it started from, and
// nowhere else.
import type { CloudAdapter, ConversationParameters, TurnContext } from 'botbuilder';
import type { Reply } from '../../conversation/types.ts';
import { errorFields, type Logger } from '../../http.ts';
import { renderReplies, renderReply, type OutgoingMessage, type RenderOptions } from './cards.ts';
import type { OriginStore } from './origins.ts';
import { scopeOf } from './translate.ts';

export interface DeliveryDeps {
  adapter: CloudAdapter;
  /** The bot's Microsoft app id ('' when running unauthenticated): proactive messages are sent as it. */
  appId: string;
  origins: OriginStore;
  log: Logger;
}

export interface DeliveryOptions extends RenderOptions {
  /** The user whose turn it was: only they may post to the case thread their rehearsal started from. */
  user: string;
}

export async function deliver(context: TurnContext, replies: Reply[], deps: DeliveryDeps, options: DeliveryOptions): Promise<void> {
  const privately = scopeOf(context.activity) !== 'personal';
  const forAuthor: Reply[] = [];
  let here: Reply[] = [];
  const flush = async () => {
    await sendAll(context, renderReplies(here, options));
    here = [];
  };
  for (let i = 0; i < replies.length; i++) {
    const reply = replies[i]!;
    if (reply.share) {
      await flush(); // what came before the post is said before it
      const failure = await postToOrigin(reply, reply.share.origin, deps, options.user);
      if (failure) {
        here.push({ kind: 'error', text: failure });
        // The flow's next reply confirms the post ("Posted to the case thread."): it did not happen.
        if (replies[i + 1]?.kind === 'info' && !replies[i + 1]?.share) i++;
      }
      continue;
    }
    if (reply.audience === 'author' && privately) forAuthor.push(reply);
    else here.push(reply);
  }
  await flush();
  if (forAuthor.length) await sendToAuthor(context, forAuthor, deps, options);
}

export async function sendAll(context: TurnContext, messages: OutgoingMessage[]): Promise<void> {
  for (const message of messages) await context.sendActivity(message);
}

/** Runs `logic` in the user's 1:1 chat with the bot, creating it if need be (Teams returns the existing one). */
export async function inPersonalChat(context: TurnContext, deps: DeliveryDeps, logic: (personal: TurnContext) => Promise<void>): Promise<void> {
  const activity = context.activity;
  const tenantId = activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  const parameters: ConversationParameters = {
    isGroup: false,
    bot: activity.recipient,
    members: [{ id: activity.from.id, name: activity.from.name }],
    ...(tenantId && { tenantId }),
    channelData: tenantId ? { tenant: { id: tenantId } } : undefined,
  };
  const audience = context.turnState.get(deps.adapter.OAuthScopeKey) as string;
  await deps.adapter.createConversationAsync(deps.appId, activity.channelId, activity.serviceUrl, audience, parameters, (personal) =>
    logic(asNewMessages(personal)),
  );
}

async function sendToAuthor(context: TurnContext, replies: Reply[], deps: DeliveryDeps, options: DeliveryOptions): Promise<void> {
  try {
    await inPersonalChat(context, deps, (personal) => sendAll(personal, renderReplies(replies, options)));
  } catch (error) {
    deps.log.warn('teams personal chat could not be opened', errorFields(error));
    // Say so where the turn came from, without the private content.
    const who = context.activity.from?.name ? `${context.activity.from.name}, I` : 'I';
    await sendAll(context, [
      { type: 'message', text: `${who} have feedback for you alone but could not open a personal chat with you. Add Strengths Coach for yourself (Apps → Strengths Coach → Add) and try again.` },
    ]);
  }
}

/** Posts to the case thread: undefined when done, otherwise the sentence that says why not. */
async function postToOrigin(reply: Reply, originId: string, deps: DeliveryDeps, user: string): Promise<string | undefined> {
  const origin = await deps.origins.load(originId);
  if (!origin) return 'I could not post the summary: the link to the case thread has expired. Copy the summary instead.';
  if (origin.user !== user) return 'Only the person who started this rehearsal can post its summary to the case thread.';
  const { share: _share, ...shown } = reply;
  try {
    await deps.adapter.continueConversationAsync(deps.appId, origin.reference, (thread) => sendAll(asNewMessages(thread), renderReply(shown)));
    return undefined;
  } catch (error) {
    deps.log.warn('teams case thread post failed', errorFields(error));
    return 'I could not post the summary to the case thread just now: Teams did not accept it. Copy the summary instead.';
  }
}

/**
 * A proactive turn starts from a synthetic activity (botbuilder gives it an id of its own); without
 * that id, what is sent is a new message in the conversation rather than a reply to nothing.
 */
function asNewMessages(context: TurnContext): TurnContext {
  context.activity.id = undefined;
  return context;
}
