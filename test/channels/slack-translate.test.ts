// Slack payloads as Turns: conversation keys, users, message ids, Slack markup undone, origins.
import { describe, expect, it } from 'vitest';
import {
  fromBlockAction,
  fromMessageEvent,
  fromSlashCommand,
  isFromPerson,
  movedToDm,
  parseOrigin,
  plainText,
  type BlockActionLike,
} from '../../src/channels/slack/translate.ts';
import { startsRehearsal } from '../../src/conversation/router.ts';

describe('translate', () => {
  it('undoes Slack markup: the bot mention goes, others read as people see them', () => {
    expect(plainText('<@UBOT> reframe Mr B &amp; his wife &lt;3 <@U2|jo> in <#C1|cases> see <https://x.org|the note>', 'UBOT')).toBe(
      'reframe Mr B & his wife <3 @jo in #cases see the note',
    );
    expect(plainText('<!here> <https://x.org> <@U9>')).toBe('@here https://x.org @U9');
  });

  it('keys a DM by its channel and a mention by its thread; the event id is the message id', () => {
    const dm = fromMessageEvent({ type: 'message', channel: 'D1', user: 'U1', text: 'help', ts: '1.1', channel_type: 'im' }, 'T1', 'Ev1');
    expect(dm.turn).toMatchObject({ conversation: 'slack:T1:D1', user: 'slack:T1:U1', messageId: 'Ev1', channel: 'slack', text: 'help' });
    expect(dm.to).toEqual({ kind: 'channel', channel: 'D1' });
    const mention = fromMessageEvent({ type: 'app_mention', channel: 'C1', user: 'U1', text: '<@UB> next', ts: '2.2', thread_ts: '1.0' }, 'T1', 'Ev2', 'UB');
    expect(mention.turn).toMatchObject({ conversation: 'slack:T1:C1:1.0', text: 'next' });
    expect(mention.to).toEqual({ kind: 'channel', channel: 'C1', threadTs: '1.0' });
    const top = fromMessageEvent({ type: 'app_mention', channel: 'C1', user: 'U1', text: '<@UB>', ts: '3.3' }, 'T1', 'Ev3', 'UB');
    expect(top.turn).toMatchObject({ conversation: 'slack:T1:C1:3.3', text: 'help' });
  });

  it('answers people only: not bots, not itself, not edits or joins', () => {
    const base = { type: 'message', channel: 'D1', user: 'U1', ts: '1.1' };
    expect(isFromPerson(base, 'UB')).toBe(true);
    expect(isFromPerson({ ...base, subtype: 'file_share' }, 'UB')).toBe(true);
    expect(isFromPerson({ ...base, user: 'UB' }, 'UB')).toBe(false);
    expect(isFromPerson({ ...base, bot_id: 'B2' }, 'UB')).toBe(false);
    expect(isFromPerson({ ...base, subtype: 'message_changed' }, 'UB')).toBe(false);
    expect(isFromPerson({ ...base, subtype: 'channel_join' }, 'UB')).toBe(false);
  });

  it('answers /coach through the response_url outside the bot DM, in the DM otherwise', () => {
    const command = { team_id: 'T1', channel_id: 'C1', user_id: 'U1', text: '', response_url: 'https://hooks/1', trigger_id: 'tr1' };
    expect(fromSlashCommand(command, false)).toMatchObject({ turn: { conversation: 'slack:T1:C1', text: 'help', messageId: 'command:tr1' }, to: { kind: 'response', responseUrl: 'https://hooks/1' } });
    expect(fromSlashCommand({ ...command, channel_id: 'D1' }, true).to).toEqual({ kind: 'channel', channel: 'D1' });
  });

  it('turns a button into an action of its conversation, and a suggestion into text', () => {
    const press = (action_id: string, value?: string, extra: Partial<BlockActionLike> = {}): BlockActionLike => ({
      team: { id: 'T1' },
      user: { id: 'U1' },
      channel: { id: 'D1' },
      container: { type: 'message', channel_id: 'D1', message_ts: '5.5' },
      trigger_id: 'tr',
      actions: [{ action_id, ...(value !== undefined && { value }) }],
      ...extra,
    });
    expect(fromBlockAction(press('area~3', 'network'))!.turn).toMatchObject({ conversation: 'slack:T1:D1', action: { id: 'area', value: 'network' }, messageId: 'action:tr' });
    expect(fromBlockAction(press('suggestion~1', 'Who helps you?'))!.turn).toMatchObject({ text: 'Who helps you?' });
    const thread = fromBlockAction(press('next~0', undefined, { channel: { id: 'C1' }, container: { type: 'message', channel_id: 'C1', message_ts: '5.5' }, message: { ts: '5.5', thread_ts: '4.4' } }))!;
    expect(thread.turn.conversation).toBe('slack:T1:C1:4.4');
    expect(thread.to).toEqual({ kind: 'channel', channel: 'C1', threadTs: '4.4' });
    const ephemeral = fromBlockAction(press('help~0', undefined, { channel: { id: 'C1' }, container: { type: 'message', channel_id: 'C1', is_ephemeral: true }, response_url: 'https://hooks/2' }))!;
    expect(ephemeral.turn.conversation).toBe('slack:T1:C1');
    expect(ephemeral.to).toMatchObject({ kind: 'response', responseUrl: 'https://hooks/2' });
    // A restart button carries its case thread, but only one of this team.
    expect(fromBlockAction(press('restart~1', 'slack:T1:C9:1.5'))!.turn).toMatchObject({ action: { id: 'restart' }, origin: 'slack:T1:C9:1.5' });
    expect(fromBlockAction(press('restart~1', 'slack:T2:C9:1.5'))!.turn.origin).toBeUndefined();
  });

  it('moves a turn to the DM with the thread it came from as its origin', () => {
    const mention = fromMessageEvent({ type: 'app_mention', channel: 'C1', user: 'U1', text: 'rehearse', ts: '2.2', thread_ts: '1.0' }, 'T1', 'Ev');
    const moved = movedToDm(mention, 'D7');
    expect(moved.turn).toMatchObject({ conversation: 'slack:T1:D7', origin: 'slack:T1:C1:1.0', messageId: 'Ev', text: 'rehearse' });
    expect(moved.to).toEqual({ kind: 'channel', channel: 'D7' });
    expect(parseOrigin(moved.turn.origin)).toEqual({ team: 'T1', channel: 'C1', threadTs: '1.0' });
    expect(parseOrigin('slack:T1:C1')).toEqual({ team: 'T1', channel: 'C1' });
    expect(parseOrigin('teams:whatever')).toBeUndefined();
  });

  it('knows the command words that start a rehearsal, from the router', () => {
    expect(startsRehearsal({ text: 'rehearse' })).toBe(true);
    expect(startsRehearsal({ text: '/coach rehearse' })).toBe(true);
    expect(startsRehearsal({ text: 'start again' })).toBe(true);
    expect(startsRehearsal({ text: 'rehearse the visit with me' })).toBe(true);
    expect(startsRehearsal({ text: 'ideas' })).toBe(false);
    expect(startsRehearsal({ action: { id: 'restart' } })).toBe(true);
    expect(startsRehearsal({ action: { id: 'next' } })).toBe(false);
  });
});
