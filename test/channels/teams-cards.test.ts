// The Teams door's pure parts: activities in (translate.ts) and cards out (cards.ts), as data.
import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { reframeReply } from '../../src/conversation/replies.ts';
import type { Reply, Turn } from '../../src/conversation/types.ts';
import { ideas as ideaList, makeReply, paragraph, sections } from '../../src/shapes/reply.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import {
  actionData,
  checkLanguageForm,
  checkLanguageResult,
  MAX_MESSAGE_BYTES,
  renderReplies,
  renderReply,
  replyCard,
  splitText,
  textBlocks,
  type AdaptiveCard,
} from '../../src/channels/teams/cards.ts';
import { htmlToText, messagePayloadText, readActionData, scopeOf, stripMentions, toActionTurn, toTurn } from '../../src/channels/teams/translate.ts';
import { welcomeReply } from '../../src/channels/teams/bot.ts';
import { DeadlineError, failureOf, within } from '../../src/conversation/failures.ts';
import { startsRehearsal } from '../../src/conversation/router.ts';
import { createEngine, EngineBusyError } from '../../src/conversation/engine.ts';
import { StoreUnavailableError } from '../../src/conversation/store-errors.ts';

const coach = loadCoach();

const texts = (card: AdaptiveCard) => card.body.flatMap((e) => (e.type === 'TextBlock' ? [e.text] : e.type === 'Container' ? e.items.map((i) => (i as { text: string }).text) : []));
const submits = (card: AdaptiveCard) => card.body.flatMap((e) => (e.type === 'ActionSet' ? e.actions : []));

describe('cards: replies as Teams shows them', () => {
  it('sends a reply with nothing to press or pick as a plain message', () => {
    expect(renderReply({ kind: 'info', text: 'Kept private: nothing was posted.' })).toEqual([{ type: 'message', text: 'Kept private: nothing was posted.' }]);
  });

  it('renders buttons as Action.Submit with {id, value}, styled by purpose, in rows of at most five', () => {
    const reply: Reply = {
      text: 'Which area next?',
      actions: [
        { id: 'next', label: 'Next', style: 'primary' },
        ...['personal', 'network', 'community', 'worries', 'hopes'].map((value) => ({ id: 'area', label: value, value })),
        { id: 'forget', label: 'Forget me', style: 'danger' },
      ],
    };
    const card = replyCard(reply);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', fallbackText: 'Which area next?' });
    const rows = card.body.filter((e) => e.type === 'ActionSet');
    expect(rows.map((r) => (r.type === 'ActionSet' ? r.actions.length : 0))).toEqual([5, 2]);
    expect(submits(card)[0]).toEqual({ type: 'Action.Submit', title: 'Next', data: { id: 'next' }, style: 'positive' });
    expect(submits(card)[1]).toEqual({ type: 'Action.Submit', title: 'personal', data: { id: 'area', value: 'personal' } });
    expect(submits(card)[6]).toMatchObject({ style: 'destructive' });
  });

  it('writes the case-thread origin into every button when a rehearsal is being started from one', () => {
    expect(actionData({ id: 'restart', label: 'Start again' }, { origin: 'o-1' })).toEqual({ id: 'restart', origin: 'o-1' });
    const card = replyCard({ text: 'Carry on?', actions: [{ id: 'prompt', label: 'Carry on' }] }, { origin: 'o-1' });
    expect(submits(card)[0]!.data).toEqual({ id: 'prompt', origin: 'o-1' });
  });

  it('sets ideas apart from the text where the text lists them, without listing them twice', () => {
    const reply = makeReply({ blocks: [ideaList(['Who helps you?', 'What went well?'], 'Try these'), paragraph('Ask for a kind.')], suggestions: ['Who helps you?', 'What went well?'] });
    expect(reply.text).toBe('Try these\n• Who helps you?\n• What went well?\n\nAsk for a kind.');
    const card = replyCard(reply);
    expect(texts(card)).toEqual(['Try these', '• Who helps you?', '• What went well?', 'Ask for a kind.']);
    expect(card.body.map((e) => e.type)).toEqual(['TextBlock', 'Container', 'TextBlock']);
    const ideas = card.body.find((e) => e.type === 'Container');
    expect(ideas).toMatchObject({ type: 'Container', style: 'emphasis' });
    expect(card.fallbackText).toBe(reply.text); // the fallback keeps everything
  });

  it("puts an area's ideas right under \"Some to start from\", before \"Type a draft question\"", async () => {
    const engine = createEngine({ store: new MemoryStore(), coach });
    const turn = (input: Partial<Turn>) => engine.handle({ conversation: 'teams:cards-ideas', user: 'teams:u', channel: 'teams', ...input });
    await turn({ text: 'rehearse' });
    await turn({ text: 'First visit to Mrs K after her fall' });
    const [intro] = await turn({ action: { id: 'area', value: 'network' } });
    expect(intro!.suggestions!.length).toBeGreaterThan(0);
    const shown = texts(replyCard(intro!));
    const lead = shown.findIndex((t) => t.startsWith('Some to start from'));
    const ideas = intro!.suggestions!.map((s) => shown.indexOf(`• ${s}`));
    const draft = shown.findIndex((t) => t.startsWith('Type a draft question'));
    expect(lead).toBeGreaterThanOrEqual(0);
    expect(ideas).toEqual(ideas.map((_, i) => lead + 1 + i)); // straight after, in order
    expect(draft).toBe(lead + 1 + ideas.length);
  });

  it('keeps line breaks by giving each line its own TextBlock, and turns code spans bold', () => {
    expect(textBlocks('One\nTwo\n\nSay `help`')).toEqual([
      { type: 'TextBlock', text: 'One', wrap: true },
      { type: 'TextBlock', text: 'Two', wrap: true, spacing: 'None' },
      { type: 'TextBlock', text: 'Say **help**', wrap: true, spacing: 'Medium' },
    ]);
  });

  it('lays a summary out by section, keeps the consent question and the Post / Keep private buttons', () => {
    const summary = { kind: 'rehearsal' as const, title: 'Rehearsal summary', markdown: '', sections: [{ heading: 'Worries', lines: ['Stairs at night', 'Support (1): Who helps?'] }] };
    const reply = makeReply({
      kind: 'summary',
      blocks: [sections(summary), paragraph('Post this summary to the case thread, or keep it private?')],
      summary,
      actions: [
        { id: 'share', label: 'Post to the case thread', value: 'post', style: 'primary' },
        { id: 'share', label: 'Keep private', value: 'private' },
      ],
    });
    expect(reply.text).toBe('Rehearsal summary\n\nWorries\n• Stairs at night\n• Support (1): Who helps?\n\nPost this summary to the case thread, or keep it private?');
    const card = replyCard(reply);
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: 'Rehearsal summary', size: 'Large', weight: 'Bolder' });
    expect(texts(card)).toEqual(['Rehearsal summary', 'Worries', '• Stairs at night', '• Support (1): Who helps?', 'Post this summary to the case thread, or keep it private?']);
    expect(submits(card).map((a) => a.data)).toEqual([
      { id: 'share', value: 'post' },
      { id: 'share', value: 'private' },
    ]);
  });

  it('falls back to plain text split into pieces when a card would be too big for one Teams message', () => {
    const long = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(100)}`).join('\n');
    const messages = renderReply({ text: long, actions: [{ id: 'next', label: 'Next' }] });
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.every((m) => m.text && !m.attachments && Buffer.byteLength(m.text) <= MAX_MESSAGE_BYTES)).toBe(true);
    expect(messages.map((m) => m.text).join('\n')).toBe(long);
    expect(splitText('short')).toEqual(['short']);
  });

  it("sends a turn's replies as few messages: plain ones together, plain text opening the card that follows", () => {
    const intro: Reply = { kind: 'info', text: 'That button belongs to an earlier step.' };
    const prompt: Reply = { kind: 'question', text: 'Which area next?', actions: [{ id: 'next', label: 'Next' }] };
    const messages = renderReplies([intro, { kind: 'info', text: 'Here is where we are:' }, prompt, { kind: 'info', text: 'Bye.' }]);
    expect(messages).toHaveLength(2);
    const [card, last] = messages;
    expect(texts(card!.attachments![0]!.content)).toEqual(['That button belongs to an earlier step.', 'Here is where we are:', 'Which area next?']);
    expect(card!.attachments![0]!.content.fallbackText).toBe('That button belongs to an earlier step.\n\nHere is where we are:\n\nWhich area next?');
    expect(last).toEqual({ type: 'message', text: 'Bye.' });
    expect(renderReplies([])).toEqual([]);
  });

  it('builds the Check language form and its result', () => {
    const form = checkLanguageForm('Mr B wanders.');
    expect(form.body.find((e) => e.type === 'Input.Text')).toMatchObject({ id: 'text', value: 'Mr B wanders.', isMultiline: true });
    expect(form.actions).toEqual([{ type: 'Action.Submit', title: 'Check language', data: { check: 'language' }, style: 'positive' }]);
    const reply = reframeReply(coach, 'Mr B wanders at night.');
    const result = checkLanguageResult(reply, reply.suggestions![0]!);
    expect(texts(result).join('\n')).toMatch(/"wanders" \(behaviour\) → "walks with purpose"/);
    expect(result.body.find((e) => e.type === 'Input.Text')).toMatchObject({ value: 'Mr B walks with purpose at night.' });
    // The reworded text is shown once, in the box to copy or edit, not also as text above it.
    expect(JSON.stringify(result.body).split('Mr B walks with purpose at night.')).toHaveLength(2);
    expect(texts(result).some((t) => /^Reframed/.test(t))).toBe(false);
    expect(result.fallbackText).toBe(reply.text); // a client that cannot show the card still gets it all
  });

  it('greets with the help and, in a team, how channels work', () => {
    const help: Reply = { text: 'I coach…', actions: [{ id: 'rehearse', label: 'Start a rehearsal' }] };
    expect(welcomeReply(help, true).text).toBe('Hello, I am Strengths Coach.\n\nI coach…');
    expect(welcomeReply(help, false).text).toMatch(/mention me in a conversation.*personal chat/);
    expect(welcomeReply(help, false).actions).toEqual(help.actions);
  });
});

describe('translate: Teams activities as Turns', () => {
  const channel = {
    id: '1700000000123',
    text: '<at>Strengths Coach</at> ideas&nbsp;scaling',
    from: { id: '29:1abc', aadObjectId: '6f0e…-aad', name: 'Sam' },
    conversation: { id: '19:case@thread.tacv2;messageid=1700000000001', conversationType: 'channel' },
  } as unknown as Partial<Activity>;

  it('keys conversations by Teams id (a reply chain keeps ;messageid=) and users by their Entra id', () => {
    expect(toTurn(channel)).toEqual({
      turn: {
        conversation: 'teams:19:case@thread.tacv2;messageid=1700000000001',
        user: 'teams:6f0e…-aad',
        channel: 'teams',
        messageId: '1700000000123',
        userName: 'Sam',
        text: 'ideas scaling',
      },
    });
    const noAad = toTurn({ ...channel, from: { id: '29:1abc', name: 'Sam' } as Activity['from'] });
    expect('turn' in noAad && noAad.turn.user).toBe('teams:29:1abc');
  });

  it('strips every mention, wherever it is', () => {
    expect(stripMentions('<at>Strengths Coach</at> reframe <at>Jo Bloggs</at> wanders')).toBe('reframe wanders');
    expect(stripMentions('<at id="0">Coach</at>\n help ')).toBe('help');
  });

  it('reads a pressed button from activity.value, and refuses a card it cannot read', () => {
    expect(toTurn({ ...channel, text: undefined, value: { id: 'area', value: 'network', origin: 'o-9' } })).toMatchObject({
      turn: { action: { id: 'area', value: 'network' }, origin: 'o-9' },
    });
    expect(toTurn({ ...channel, value: { verb: 'x' } })).toEqual({ problem: expect.stringMatching(/older card/) });
    expect(readActionData({ id: 'next', value: 3 })).toBeUndefined();
    expect(readActionData(['next'])).toBeUndefined();
    expect(toActionTurn(channel, { id: 'help' })).toMatchObject({ turn: { action: { id: 'help' } } });
  });

  it('answers an empty or overlong message with a sentence instead of a Turn', () => {
    expect(toTurn({ ...channel, text: '<at>Strengths Coach</at>' })).toEqual({ problem: expect.stringMatching(/help/) });
    expect(toTurn({ ...channel, text: 'x'.repeat(8_001) })).toEqual({ problem: expect.stringMatching(/at most 8,000 characters/) });
  });

  it('tells personal chats, group chats and channels apart', () => {
    expect(scopeOf({ conversation: { id: 'a:1', conversationType: 'personal' } as never })).toBe('personal');
    expect(scopeOf({ conversation: { id: '19:g@thread.v2', conversationType: 'groupChat', isGroup: true } as never })).toBe('groupChat');
    expect(scopeOf(channel)).toBe('channel');
    expect(scopeOf({ conversation: { id: 'x' } as never })).toBe('personal');
  });

  it('knows the command words that start a rehearsal, typed or pressed', () => {
    expect(startsRehearsal({ conversation: 'c', user: 'u', text: 'rehearse' })).toBe(true);
    expect(startsRehearsal({ conversation: 'c', user: 'u', text: 'Start again' })).toBe(true);
    expect(startsRehearsal({ conversation: 'c', user: 'u', action: { id: 'rehearse' } })).toBe(true);
    expect(startsRehearsal({ conversation: 'c', user: 'u', text: 'ideas' })).toBe(false);
  });

  it('reads a message body the extension was opened on: HTML to plain text', () => {
    expect(htmlToText('<div><p>Mr B <b>wanders</b>&nbsp;at night.</p><p>Needs &amp; wishes</p><ul><li>one</li><li>two</li></ul></div>')).toBe(
      'Mr B wanders at night.\nNeeds & wishes\n• one\n• two',
    );
    expect(htmlToText('a<br>b<script>alert(1)</script> &#8220;c&#x201D;')).toBe('a\nb “c”');
    expect(messagePayloadText({ body: { contentType: 'text', content: ' plain ' } })).toBe('plain');
    expect(messagePayloadText(undefined)).toBe('');
  });
});

describe('errors: what a Teams user is told', () => {
  it('says each failure as one plain sentence that says what to do next', () => {
    expect(failureOf(new StoreUnavailableError('redis down')).sentence).toBe("Nothing was saved — the coach's store is unavailable. Please try again in a minute.");
    expect(failureOf(new EngineBusyError('busy')).sentence).toMatch(/busy with another message/);
    expect(failureOf(new TypeError("Cannot read properties of undefined (reading 'x')")).sentence).toBe(
      'Something went wrong on my side and I could not answer that. Please try again, or say help.',
    );
  });

  it('gives up waiting at the deadline, and not before', async () => {
    await expect(within(50, new Promise((resolve) => setTimeout(() => resolve('late'), 500)))).rejects.toBeInstanceOf(DeadlineError);
    await expect(within(500, Promise.resolve('soon'))).resolves.toBe('soon');
    expect(failureOf(new DeadlineError('slow')).sentence).toMatch(/took me too long/);
  });
});
