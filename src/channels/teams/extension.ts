// The message extension's one action, "Check language", on a message or in the compose box. Teams
// gives an invoke five seconds: the check is the engine's `reframe` command, stateless and fast, and
// a deadline under the limit answers with a sentence rather than let Teams show its own error.
import type { MessagingExtensionAction, MessagingExtensionActionResponse } from 'botbuilder';
import type { TurnHandler } from '../../http.ts';
import { CHECK_LANGUAGE_INPUT, CHECK_LANGUAGE_MAX, checkLanguageForm, checkLanguageResult, dialog, dialogMessage } from './cards.ts';
import { failureOf, within } from '../../conversation/failures.ts';
import { messagePayloadText } from './translate.ts';

export const CHECK_LANGUAGE_COMMAND = 'checkLanguage';
/** Teams allows 5 s for an invoke; this leaves time for the answer to travel. */
export const EXTENSION_DEADLINE_MS = 4_000;

/** Who is asking, as the engine knows them. */
export interface Asker {
  conversation: string;
  user: string;
}

/** Opened on a message: its check straight away. Opened in the compose box: the form to paste into. */
export async function fetchCheckLanguage(engine: TurnHandler, asker: Asker, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
  if (action.commandId !== CHECK_LANGUAGE_COMMAND) return unknownCommand(action.commandId);
  const text = messagePayloadText(action.messagePayload);
  if (!text) return dialog(checkLanguageForm(''));
  return check(engine, asker, text);
}

/** The form (or "check again") submitted: check the text it holds. */
export async function submitCheckLanguage(engine: TurnHandler, asker: Asker, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
  if (action.commandId !== CHECK_LANGUAGE_COMMAND) return unknownCommand(action.commandId);
  const data = (action.data ?? {}) as Record<string, unknown>;
  const raw = data[CHECK_LANGUAGE_INPUT];
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text) return dialog(checkLanguageForm('', 'Paste or type the text to check first.'));
  return check(engine, asker, text);
}

async function check(engine: TurnHandler, asker: Asker, text: string): Promise<MessagingExtensionActionResponse> {
  if (text.length > CHECK_LANGUAGE_MAX) {
    const limit = CHECK_LANGUAGE_MAX.toLocaleString('en-GB');
    return dialog(checkLanguageForm(text, `That text is longer than ${limit} characters: check it in parts (the box holds the first ${limit}).`));
  }
  try {
    // No message id: the check changes nothing, so a retried invoke simply gets the same answer.
    const replies = await within(EXTENSION_DEADLINE_MS, engine.handle({ ...asker, channel: 'teams', text: `reframe ${text}` }));
    // The check, and above it any notice that comes first (what was masked): one card holds both.
    const reply = replies.find((r) => r.kind !== 'info');
    if (!reply) return dialogMessage('I had nothing to say about that text. Please try again.');
    const notices = replies.filter((r) => r.kind === 'info').map((r) => r.text);
    const shown = notices.length ? { ...reply, text: [...notices, reply.text].join('\n\n') } : reply;
    return dialog(checkLanguageResult(shown, reply.suggestions?.[0] ?? text));
  } catch (error) {
    return dialogMessage(failureOf(error).sentence);
  }
}

function unknownCommand(commandId: string | undefined) {
  return dialogMessage(`This version of Strengths Coach has no "${String(commandId ?? '')}" action. Use "Check language", or update the app.`);
}
