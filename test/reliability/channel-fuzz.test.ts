// Property-based tests (fast-check) for the Slack and Teams doors: generated payloads — near-valid
// ones with fields dropped or replaced by anything, and plain garbage — through the paths a request
// takes before the engine: the Slack signature check, the payload check (payloads.ts) and every
// translation a listener makes of what it accepts; the Teams activity check (activity.ts), the
// activity and card-button translations, and the HTML and mention clean-up. No exception escapes; a
// refusal is a reason; what is accepted becomes a valid Turn (so the engine never refuses it). Then
// signed HTTP requests with generated bodies to a running server: 200 or 400, never a 5xx, and a
// malformed request changes nothing and says nothing. The web/router/analyse fuzz is fuzz.test.ts.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSlackPayload, SHORTCUTS } from '../../src/channels/slack/payloads.ts';
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
  placeOfAction,
  plainText,
  rehearsalInDm,
  teamOf,
  userKey,
  type BlockActionLike,
  type MessageEventLike,
  type MessageShortcutLike,
  type SlackTurn,
  type SlashCommandLike,
} from '../../src/channels/slack/translate.ts';
import { verifySlackSignature } from '../../src/channels/slack/verify.ts';
import { checkActivity } from '../../src/channels/teams/activity.ts';
import { conversationKey as teamsConversationKey, htmlToText, messagePayloadText, readActionData, scopeOf, stripMentions, toActionTurn, toTurn, userKey as teamsUserKey } from '../../src/channels/teams/translate.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { startsRehearsal } from '../../src/conversation/router.ts';
import { turn as turnSchema, type Turn } from '../../src/conversation/types.ts';
import { message as teamsMessage } from '../support/bot-connector.ts';
import { FORM_TYPE, JSON_TYPE, postActivity, SIGNING_SECRET, startDoors, type Doors } from '../support/doors.ts';
import { BOT_USER, dmEvent, eventCallback, interactive, sendSigned, sign, slashCommand } from '../support/slack.ts';

/** Generated inputs, per property and in all: the file's last test checks the total. */
const counted = new Map<string, number>();
function runs(name: string, numRuns: number): { numRuns: number } {
  counted.set(name, (counted.get(name) ?? 0) + numRuns);
  return { numRuns };
}

/** What the generated inputs came to (accepted by kind, HTTP statuses), printed at the end. */
const outcomes = new Map<string, Map<string, number>>();
function note(property: string, outcome: string | number): void {
  const tally = outcomes.get(property) ?? new Map<string, number>();
  tally.set(String(outcome), (tally.get(String(outcome)) ?? 0) + 1);
  outcomes.set(property, tally);
}

function expectValidTurn(turn: Turn, where: string): void {
  const parsed = turnSchema.safeParse(turn);
  expect(parsed.success, `${where}: ${parsed.success ? '' : parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`).toBe(true);
}

// ---------------------------------------------------------------------------------------------
// Arbitraries. `field(valid)` is mostly a valid value and sometimes anything at all; records leave
// optional fields out half the time; `mutated` drops or replaces a top-level field or two.

const field = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 20, arbitrary: valid as fc.Arbitrary<unknown> }, fc.anything());
function mutated(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown> {
  const broken = valid.chain((v) =>
    fc
      .record({ drop: fc.subarray(Object.keys(v), { maxLength: 2 }), set: fc.dictionary(fc.constantFrom(...Object.keys(v), 'extra', '__proto__', 'constructor'), fc.anything(), { maxKeys: 2 }) })
      .map(({ drop, set }) => {
        const copy: Record<string, unknown> = { ...v };
        for (const key of drop) delete copy[key];
        for (const [key, value] of Object.entries(set)) Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
        return copy;
      }),
  );
  return fc.oneof({ weight: 4, arbitrary: valid }, broken);
}

const WORDS = ['rehearse', 'help', 'ideas scaling', 'reframe she wanders at night', 'next', 'summary', 'forget', 'start again', `<@${BOT_USER}> rehearse`, '<@U0OTHER|sam> hi', '<#C1|case> &lt;b&gt; &amp;', '<https://example.org|link>', '<!here>', 'constructor', '__proto__'];
const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...WORDS) },
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(fc.constantFrom(...WORDS, ' ', '\n'), { maxLength: 12 }).map((parts) => parts.join(' ')),
  { weight: 1, arbitrary: fc.string({ minLength: 7_990, maxLength: 8_100 }) },
);
const slackIdOf = (prefix: string) => fc.oneof({ weight: 20, arbitrary: fc.stringMatching(new RegExp(`^${prefix}[A-Z0-9]{1,11}$`)) }, fc.string({ maxLength: 90 }));
const team = slackIdOf('T');
const user = fc.oneof({ weight: 2, arbitrary: fc.constant(BOT_USER) }, { weight: 8, arbitrary: slackIdOf('U') });
const channel = fc.oneof(slackIdOf('D'), slackIdOf('C'), slackIdOf('G'));
const ts = fc.oneof({ weight: 20, arbitrary: fc.tuple(fc.integer({ min: 1_600_000_000, max: 1_800_000_000 }), fc.integer({ min: 0, max: 999_999 })).map(([s, us]) => `${s}.${String(us).padStart(6, '0')}`) }, fc.string({ maxLength: 90 }));
const trigger = fc.oneof({ weight: 20, arbitrary: fc.stringMatching(/^[0-9]{5,12}\.[0-9]{5,12}\.[0-9a-f]{8,32}$/) }, fc.string({ maxLength: 90 }));
const responseUrl = fc.oneof({ weight: 20, arbitrary: fc.constant('https://hooks.slack.com/actions/T1/1/abc') }, fc.string({ maxLength: 40 }));

const messageEvent = fc.record(
  {
    type: fc.constantFrom('message', 'app_mention'),
    channel: field(channel),
    user: field(user),
    text: field(text),
    ts: field(ts),
    thread_ts: field(ts),
    subtype: field(fc.constantFrom('file_share', 'thread_broadcast', 'message_changed', 'bot_message', 'channel_join')),
    bot_id: field(slackIdOf('B')),
    channel_type: field(fc.constantFrom('im', 'channel', 'group', 'mpim')),
  },
  { requiredKeys: ['type', 'channel', 'ts'] },
);
const homeOpened = fc.record({ type: fc.constant('app_home_opened'), user: field(user), tab: field(fc.constantFrom('home', 'messages')), channel: channel }, { requiredKeys: ['type', 'user'] });
const otherEvent = fc.record({ type: fc.oneof(fc.constantFrom('reaction_added', 'member_joined_channel', 'constructor', 'toString'), fc.string({ maxLength: 120 })), channel: field(channel) }, { requiredKeys: ['type'] });
const eventEnvelope = mutated(
  fc.record({
    type: field(fc.constant('event_callback')),
    team_id: field(team),
    event_id: field(slackIdOf('Ev')),
    event: fc.oneof({ weight: 6, arbitrary: messageEvent }, { weight: 2, arbitrary: homeOpened }, otherEvent, fc.anything()),
    api_app_id: fc.constant('A0TEST'),
  }),
);
const command = (url: fc.Arbitrary<string>) =>
  fc.record(
    {
      command: field(fc.constantFrom('/coach', '/coach', '/coach', '/other', 'coach', '')),
      team_id: field(team),
      channel_id: field(channel),
      user_id: field(user),
      text: field(text),
      response_url: field(url),
      trigger_id: field(trigger),
      team_domain: fc.string({ maxLength: 10 }),
    },
    { requiredKeys: ['command', 'team_id', 'channel_id', 'user_id', 'response_url', 'trigger_id'] },
  );
const teamField = field(fc.oneof(fc.constant(null), fc.record({ id: field(team) })));
const userField = field(fc.record({ id: field(user), team_id: field(team) }, { requiredKeys: ['id'] }));
const actionId = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom('next', 'rehearse', 'restart', 'share', 'suggestion', 'area', 'forget', 'ideas', 'back', 'done'), fc.nat(9)).map(([id, n]) => `${id}~${n}`) },
  fc.constantFrom('~0', ' ~1', 'next', 'x'.repeat(120), ''),
  fc.string({ maxLength: 30 }),
);
const actionValue = fc.oneof(fc.constantFrom('post', 'private', 'personal', 'network', 'slack:T0TEST:C0CASES:1710000000.000100', 'slack:TOTHER:C1'), text);
const blockActions = (url: fc.Arbitrary<string>) =>
  mutated(
    fc.record(
      {
        type: fc.constant('block_actions'),
        team: teamField,
        user: userField,
        trigger_id: field(trigger),
        actions: field(fc.array(fc.record({ action_id: field(actionId), value: field(actionValue) }, { requiredKeys: ['action_id'] }), { maxLength: 3 })),
        container: field(
          fc.record({ type: fc.constantFrom('message', 'view'), channel_id: field(channel), message_ts: field(ts), thread_ts: field(ts), is_ephemeral: field(fc.boolean()) }, { requiredKeys: ['type'] }),
        ),
        channel: field(fc.record({ id: field(channel) })),
        message: field(fc.record({ ts: field(ts), thread_ts: field(ts) }, { requiredKeys: ['ts'] })),
        view: field(fc.record({ type: fc.constantFrom('home', 'modal') })),
        response_url: field(url),
      },
      { requiredKeys: ['type', 'user', 'trigger_id', 'actions'] },
    ),
  );
const messageShortcut = (url: fc.Arbitrary<string>) =>
  mutated(
    fc.record(
      {
        type: fc.constant('message_action'),
        callback_id: field(fc.constantFrom(SHORTCUTS.rehearseCase, SHORTCUTS.checkLanguage, SHORTCUTS.startRehearsal, 'other')),
        trigger_id: field(trigger),
        team: teamField,
        user: userField,
        channel: field(fc.record({ id: field(channel) })),
        message: field(fc.record({ ts: field(ts), thread_ts: field(ts), text: field(text) }, { requiredKeys: ['ts'] })),
        response_url: field(url),
      },
      { requiredKeys: ['type', 'callback_id', 'trigger_id', 'user', 'channel', 'message', 'response_url'] },
    ),
  );
const globalShortcut = mutated(
  fc.record(
    { type: fc.constant('shortcut'), callback_id: field(fc.constantFrom(SHORTCUTS.startRehearsal, SHORTCUTS.checkLanguage, 'other')), trigger_id: field(trigger), team: teamField, user: userField },
    { requiredKeys: ['type', 'callback_id', 'trigger_id', 'user'] },
  ),
);
const slackBody = (url: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 4, arbitrary: eventEnvelope },
    { weight: 3, arbitrary: mutated(command(url)) },
    { weight: 3, arbitrary: blockActions(url) },
    { weight: 2, arbitrary: messageShortcut(url) },
    { weight: 1, arbitrary: globalShortcut },
    fc.record({ type: fc.constantFrom('view_submission', 'block_suggestion', 'dialog_submission', 'interactive_message', 'url_verification', 'app_rate_limited'), name: fc.string() }, { requiredKeys: ['type'] }),
    fc.anything(),
    fc.jsonValue(),
  );

/** What the listeners would make of an accepted payload: every Turn any of them could hand the engine. */
function listenerTurns(kind: string, body: Record<string, unknown>): SlackTurn[] {
  const dm = 'D0DMFUZZ';
  const out: SlackTurn[] = [];
  const also = (asked: SlackTurn | undefined) => {
    if (!asked) return;
    out.push(asked);
    if (startsRehearsal({ text: asked.turn.text })) out.push(movedToDm(asked, dm));
  };
  if (kind === 'event') {
    const event = body.event as MessageEventLike & { type: string; user?: string };
    if ((event.type === 'message' || event.type === 'app_mention') && isFromPerson(event, BOT_USER)) also(fromMessageEvent(event, body.team_id as string, body.event_id as string, BOT_USER));
    if (event.type === 'app_home_opened') expect(typeof userKey(body.team_id as string, event.user!)).toBe('string');
  } else if (kind === 'command') {
    for (const inBotDm of [true, false]) also(fromSlashCommand(body as unknown as SlashCommandLike, inBotDm));
  } else if (body.type === 'block_actions') {
    const payload = body as unknown as BlockActionLike;
    const place = placeOfAction(payload);
    const team = teamOf(payload);
    if (place.home) {
      out.push(rehearsalInDm(team, payload.user.id, dm, `action:${payload.trigger_id}`));
      const forget: Turn = { conversation: conversationKey(team, `home-${payload.user.id}`), user: userKey(team, payload.user.id), channel: 'slack', action: { id: 'forget' }, messageId: `action:${payload.trigger_id}` };
      out.push({ turn: forget, to: { kind: 'channel', channel: dm }, team, userId: payload.user.id });
    } else {
      const asked = fromBlockAction(payload);
      if (asked) {
        out.push(asked);
        if (startsRehearsal({ action: { id: actionIdOf(payload.actions[0]!.action_id) } })) out.push(movedToDm(asked, dm));
      }
    }
  } else if (body.type === 'message_action') {
    const shortcut = body as unknown as MessageShortcutLike;
    const team = teamOf(shortcut);
    const place = caseThreadOf(shortcut);
    const origin = isDirectMessage(place.channel) ? undefined : originOf(team, place.channel, place.threadTs);
    out.push(rehearsalInDm(team, shortcut.user.id, dm, `shortcut:${shortcut.trigger_id}`, origin));
    const check = languageCheckTurn(shortcut);
    if (check) out.push(check);
  } else if (body.type === 'shortcut') {
    const shortcut = body as unknown as { user: { id: string; team_id?: string }; trigger_id: string; team?: { id: string } | null };
    out.push(rehearsalInDm(teamOf(shortcut), shortcut.user.id, dm, `shortcut:${shortcut.trigger_id}`));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

describe('Slack: signature check', () => {
  const now = 1_700_000_000_000;
  it('accepts exactly the requests signed with the secret within five minutes, and never throws', () => {
    const tamper = fc.constantFrom('none', 'body', 'signature', 'secret', 'no-signature', 'no-timestamp', 'timestamp-garbage', 'array-header');
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 400 })), fc.integer({ min: -700, max: 700 }), tamper, (secret, body, offset, how) => {
        const timestamp = Math.floor(now / 1000) + offset;
        const signature = sign(how === 'secret' ? `${secret}x` : secret, timestamp, body);
        const headers: Record<string, string | string[] | undefined> = {
          'x-slack-request-timestamp': how === 'timestamp-garbage' ? 'soon' : String(timestamp),
          'x-slack-signature': how === 'signature' ? signature.replace(/.$/, (c) => (c === '0' ? '1' : '0')) : how === 'array-header' ? [signature, signature] : signature,
        };
        if (how === 'no-signature') delete headers['x-slack-signature'];
        if (how === 'no-timestamp') delete headers['x-slack-request-timestamp'];
        const verdict = verifySlackSignature(secret, headers, how === 'body' ? `${body} ` : body, now);
        expect(verdict.ok).toBe(how === 'none' && offset >= -300 && offset <= 300);
        if (!verdict.ok) expect(verdict.reason).toMatch(/\S/);
      }),
      runs('slack-signature', 600),
    );
  });
});

describe('Slack: payload check and translation', () => {
  it('refuses with a reason, or accepts a payload every listener can turn into valid Turns', () => {
    const accepted = new Map<string, number>();
    fc.assert(
      fc.property(slackBody(responseUrl), (raw) => {
        const checked = checkSlackPayload(raw);
        note('slack-payloads', checked.ok ? checked.kind : 'refused');
        if (!checked.ok) {
          expect(checked.reason).toMatch(/^Bad request: \S.*\.$/s);
          return;
        }
        accepted.set(checked.kind, (accepted.get(checked.kind) ?? 0) + 1);
        for (const asked of listenerTurns(checked.kind, checked.body)) {
          expectValidTurn(asked.turn, checked.kind);
          expect(asked.turn.conversation.startsWith('slack:')).toBe(true);
          if (asked.to.kind === 'response') expect(asked.to.responseUrl).toMatch(/^https?:\/\//);
        }
      }),
      runs('slack-payloads', 1_500),
    );
    // The generator reaches every accepting path, not only the refusals.
    for (const kind of ['event', 'command', 'interactive']) expect(accepted.get(kind) ?? 0, kind).toBeGreaterThan(50);
  });

  it('reads any message text as plain text, without the coach’s own mention', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: 'binary', maxLength: 300 })), (said) => {
        const plain = plainText(said, BOT_USER);
        expect(typeof plain).toBe('string');
        expect(plain).not.toContain(`<@${BOT_USER}>`);
        expect(typeof startsRehearsal({ text: plain })).toBe('boolean');
      }),
      runs('slack-text', 300),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Teams.

const CONNECTOR_PLACEHOLDER = 'https://smba.example.net/teams/';
const cardData = fc.oneof(
  { weight: 4, arbitrary: fc.record({ id: field(fc.constantFrom('next', 'rehearse', 'share', 'area', ' ', 'x'.repeat(120))), value: field(actionValue), origin: field(fc.oneof(fc.uuid(), fc.string({ maxLength: 300 }))) }, { requiredKeys: ['id'] }) },
  fc.anything(),
);
const teamsText = fc.oneof(text, fc.constantFrom('<at>Strengths Coach</at> rehearse', '<at id="0">Coach</at>&nbsp;ideas &amp; more', '<at>x</at>'));
const teamsActivity = mutated(
  fc.record(
    {
      type: field(fc.constantFrom('message', 'message', 'invoke', 'conversationUpdate', 'messageReaction', 'installationUpdate', 'typing', 'event', 'other')),
      serviceUrl: field(fc.oneof({ weight: 20, arbitrary: fc.constant(CONNECTOR_PLACEHOLDER) }, fc.string({ maxLength: 40 }))),
      channelId: fc.constant('msteams'),
      conversation: field(
        fc.record(
          {
            id: field(fc.oneof({ weight: 12, arbitrary: fc.constantFrom('a:1personal-fuzz', '19:case-fuzz@thread.tacv2;messageid=1700000000001', '19:group@thread.v2') }, fc.string({ maxLength: 320 }))),
            conversationType: field(fc.constantFrom('personal', 'channel', 'groupChat')),
            isGroup: field(fc.boolean()),
            tenantId: field(fc.uuid()),
          },
          { requiredKeys: ['id'] },
        ),
      ),
      id: field(fc.oneof({ weight: 6, arbitrary: fc.stringMatching(/^[0-9]{10,16}$/) }, fc.string({ maxLength: 20 }))),
      from: field(fc.record({ id: field(fc.constantFrom('29:user-1', '29:user-2')), name: field(fc.oneof(fc.constantFrom('Sam', '  ', ''), fc.string({ maxLength: 300 }))), aadObjectId: field(fc.uuid()) }, { requiredKeys: ['id'] })),
      recipient: fc.constant({ id: '28:strengths-coach-bot', name: 'Strengths Coach' }),
      text: field(teamsText),
      value: cardData,
      name: field(fc.constantFrom('adaptiveCard/action', 'composeExtension/fetchTask', 'composeExtension/submitAction', 'composeExtension/query', 'task/fetch', 'signin/verifyState')),
      membersAdded: field(fc.array(fc.record({ id: fc.constantFrom('28:strengths-coach-bot', '29:user-1') }), { maxLength: 2 })),
      entities: field(fc.array(fc.anything(), { maxLength: 2 })),
      channelData: field(fc.record({ tenant: fc.record({ id: fc.uuid() }) })),
    },
    { requiredKeys: ['type', 'serviceUrl', 'conversation'] },
  ),
);

describe('Teams: activity check and translation', () => {
  it('refuses with a reason, or accepts an activity whose message and button turns are valid', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 6, arbitrary: teamsActivity }, fc.anything(), fc.jsonValue()), (raw) => {
        const checked = checkActivity(raw);
        note('teams-activities', checked.ok ? 'accepted' : 'refused');
        if (!checked.ok) {
          expect(checked.reason).toMatch(/\S.*\.$/s);
          return;
        }
        accepted++;
        const { activity } = checked;
        expect(['personal', 'groupChat', 'channel']).toContain(scopeOf(activity));
        expect(teamsConversationKey(activity).startsWith('teams:')).toBe(true);
        expect(teamsUserKey(activity).startsWith('teams:')).toBe(true);
        for (const translation of [toTurn(activity), toActionTurn(activity, activity.value), toActionTurn(activity, (activity.value as { action?: { data?: unknown } } | undefined)?.action?.data)]) {
          if ('problem' in translation) expect(translation.problem).toMatch(/\S/);
          else expectValidTurn(translation.turn, activity.type);
        }
      }),
      runs('teams-activities', 1_200),
    );
    expect(accepted).toBeGreaterThan(300);
  });

  it('reads any card-button data as an action or as nothing', () => {
    fc.assert(
      fc.property(cardData, (data) => {
        const read = readActionData(data);
        if (read === undefined) return;
        expect(read.action.id.length).toBeGreaterThan(0);
        expect(read.action.id.length).toBeLessThanOrEqual(100);
        if (read.origin !== undefined) expect(read.origin.length).toBeLessThanOrEqual(200);
      }),
      runs('teams-card-data', 400),
    );
  });

  it('cleans any message HTML and mentions into plain text', () => {
    const html = fc.oneof(teamsText, fc.array(fc.constantFrom('<p>', '</p>', '<br/>', '<li>', '<script>x</script>', '&#x1F600;', '&#99999999;', '&bogus;', '<at>', '</at>', 'word', ' '), { maxLength: 30 }).map((parts) => parts.join('')));
    fc.assert(
      fc.property(html, fc.anything(), (content, payload) => {
        expect(typeof stripMentions(content)).toBe('string');
        expect(stripMentions(content)).not.toMatch(/<at\b[^>]*>[\s\S]*?<\/at>/i); // no whole mention is left
        expect(typeof htmlToText(content)).toBe('string');
        expect(typeof messagePayloadText({ body: { contentType: 'html', content } })).toBe('string');
        expect(typeof messagePayloadText(payload)).toBe('string');
      }),
      runs('teams-html', 300),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Over real HTTP: signed Slack requests and Teams activities with generated bodies.

describe('over real HTTP', () => {
  let doors: Doors;
  let store: MemoryStore;
  beforeAll(async () => {
    store = new MemoryStore({ sweepIntervalMs: 0 });
    doors = await startDoors({ store, logLevel: 'warn' });
  });
  afterAll(() => doors?.close());

  it('refuses malformed Slack and Teams requests with 400 or 401 and a reason: nothing runs, nothing is said, nothing kept', async () => {
    const { api, connector } = doors;
    api.reset(); // the token check at start
    const url = api.responseUrl('malformed');
    const refusals: [string, () => Promise<{ status: number; text?: string; body?: unknown }>, number][] = [
      ['JSON null', () => sendSigned(doors.slackUrl, SIGNING_SECRET, 'null', JSON_TYPE), 400],
      ['a JSON array', () => sendSigned(doors.slackUrl, SIGNING_SECRET, '[{"type":"event_callback"}]', JSON_TYPE), 400],
      ['not JSON', () => sendSigned(doors.slackUrl, SIGNING_SECRET, '{"type": "event_callback", ', JSON_TYPE), 400],
      ['payload= not JSON', () => sendSigned(doors.slackUrl, SIGNING_SECRET, 'payload=%7Bnope', FORM_TYPE), 400],
      ['payload= a number', () => sendSigned(doors.slackUrl, SIGNING_SECRET, 'payload=42', FORM_TYPE), 400],
      ['an event with no envelope', () => sendSigned(doors.slackUrl, SIGNING_SECRET, JSON.stringify({ event: dmEvent('U0FUZZ', 'rehearse') }), JSON_TYPE), 400],
      ['an event without its channel', () => sendSigned(doors.slackUrl, SIGNING_SECRET, eventCallback({ type: 'message', user: 'U0FUZZ', text: 'rehearse', ts: '1.2', channel_type: 'im' }), JSON_TYPE), 400],
      ['a command without its user', () => sendSigned(doors.slackUrl, SIGNING_SECRET, slashCommand({ user: 'U0FUZZ', channel: 'D0FUZZ', text: 'rehearse', responseUrl: url }).replace(/user_id=[^&]*&/, ''), FORM_TYPE), 400],
      ['buttons with no action', () => sendSigned(doors.slackUrl, SIGNING_SECRET, interactive({ type: 'block_actions', user: { id: 'U0FUZZ' }, trigger_id: '1.2.a', actions: [] }), FORM_TYPE), 400],
      ['a shortcut this app does not have', () => sendSigned(doors.slackUrl, SIGNING_SECRET, interactive({ type: 'shortcut', callback_id: 'delete_everything', trigger_id: '1.2.a', user: { id: 'U0FUZZ' } }), FORM_TYPE), 400],
      ['a modal submission', () => sendSigned(doors.slackUrl, SIGNING_SECRET, interactive({ type: 'view_submission', user: { id: 'U0FUZZ' }, view: {} }), FORM_TYPE), 400],
      ['an empty form', () => sendSigned(doors.slackUrl, SIGNING_SECRET, '', FORM_TYPE), 400],
      ['a good event, unsigned', () => fetch(doors.slackUrl, { method: 'POST', headers: { 'content-type': JSON_TYPE }, body: eventCallback(dmEvent('U0FUZZ', 'rehearse')) }).then((r) => ({ status: r.status })), 401],
      ['garbage, signed with another secret', () => sendSigned(doors.slackUrl, 'not-the-secret', '\u0000\u0001garbage', JSON_TYPE), 401],
      ['Teams: not JSON', () => postActivity(doors.base, '{"type":"message"'), 400],
      ['Teams: an array', () => postActivity(doors.base, [teamsMessage({ serviceUrl: connector.url, conversationId: 'a:1fuzz', userId: '29:fuzz' }, 'rehearse')]), 400],
      ['Teams: text as an object', () => postActivity(doors.base, { ...teamsMessage({ serviceUrl: connector.url, conversationId: 'a:1fuzz', userId: '29:fuzz' }, 'x'), text: { rehearse: true } }), 400],
      ['Teams: a message from nobody', () => postActivity(doors.base, { ...teamsMessage({ serviceUrl: connector.url, conversationId: 'a:1fuzz', userId: '29:fuzz' }, 'rehearse'), from: undefined }), 400],
      ['Teams: a serviceUrl that is not a URL', () => postActivity(doors.base, teamsMessage({ serviceUrl: 'javascript:alert(1)', conversationId: 'a:1fuzz', userId: '29:fuzz' }, 'rehearse')), 400],
      ['Teams: entities not a list', () => postActivity(doors.base, { ...teamsMessage({ serviceUrl: connector.url, conversationId: 'a:1fuzz', userId: '29:fuzz' }, 'rehearse'), entities: 'mention' }), 400],
    ];
    for (const [name, send, status] of refusals) {
      const answer = await send();
      expect(answer.status, name).toBe(status);
      const reason = 'text' in answer && answer.text !== undefined ? (JSON.parse(answer.text) as { error: string }).error : (answer.body as { error?: string } | undefined)?.error;
      if (status === 400) expect(reason, name).toMatch(/\S/);
    }
    await api.quiet(400);
    expect(api.calls).toEqual([]);
    expect(connector.sent).toEqual([]);
    expect(connector.created).toEqual([]);
    for (const key of ['slack:T0TEST:D0FUZZ', 'teams:a:1fuzz']) expect(await store.load(key), key).toBeNull();
    expect(await store.listSessions?.('slack:T0TEST:U0FUZZ')).toEqual([]);
    expect(await store.listSessions?.('teams:29:fuzz')).toEqual([]);
  });

  it('answers generated signed Slack requests with 200 or 400, never a 5xx', { timeout: 120_000 }, async () => {
    const url = fc.constant(doors.api.responseUrl('fuzz'));
    const asForm = (fields: unknown): string => {
      if (!fields || typeof fields !== 'object') return String(fields);
      return new URLSearchParams(Object.entries(fields as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? ''])).toString();
    };
    const request = fc.oneof(
      { weight: 4, arbitrary: slackBody(url).map((b) => ({ body: JSON.stringify(b) ?? 'null', type: JSON_TYPE })) },
      { weight: 3, arbitrary: mutated(command(url)).map((b) => ({ body: asForm(b), type: FORM_TYPE })) },
      { weight: 3, arbitrary: slackBody(url).map((b) => ({ body: interactive(b as Record<string, unknown>), type: FORM_TYPE })) },
      fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })).map((body) => ({ body, type: fc.sample(fc.constantFrom(JSON_TYPE, FORM_TYPE), 1)[0]! })),
    );
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async ({ body, type }) => {
        const answer = await sendSigned(doors.slackUrl, SIGNING_SECRET, body, type as typeof JSON_TYPE);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        note('slack-http', answer.status);
        expect([200, 400], `${answer.status} ${answer.text}`).toContain(answer.status);
        if (answer.status === 400) expect((JSON.parse(answer.text) as { error: string }).error).toMatch(/\S/);
      }),
      runs('slack-http', 300),
    );
    expect(statuses.get(200) ?? 0).toBeGreaterThan(30);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(30);
  });

  it('answers generated Teams activities with 200, 400, or 501 for an invoke it has no handler for — never a 500', { timeout: 120_000 }, async () => {
    const { connector } = doors;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 8, arbitrary: teamsActivity }, fc.jsonValue()), async (raw) => {
        // Replies go to the stand-in connector, never anywhere else.
        const activity = raw && typeof raw === 'object' && (raw as { serviceUrl?: unknown }).serviceUrl === CONNECTOR_PLACEHOLDER ? { ...(raw as object), serviceUrl: connector.url } : raw;
        const answer = await postActivity(doors.base, JSON.stringify(activity) ?? 'null');
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        note('teams-http', answer.status);
        const invoke = (activity as { type?: unknown } | null)?.type === 'invoke';
        expect(invoke ? [200, 400, 501] : [200, 400], `${answer.status} ${JSON.stringify(answer.body)}`).toContain(answer.status);
        if (answer.status === 400 && !invoke) expect((answer.body as { error: string }).error).toMatch(/\S/);
      }),
      runs('teams-http', 250),
    );
    expect(statuses.get(200) ?? 0).toBeGreaterThan(30);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(30);
    expect(connector.unexpected).toEqual([]);
  });

  it('logged no error and no turn the engine refused: every accepted request was read as it was meant', async () => {
    await doors.api.quiet(300);
    const problems = doors.logs.filter((line) => /"level":"error"|turn not applied|listener failed/.test(line));
    expect(problems.map((line) => line.slice(0, 300))).toEqual([]);
  });
});

describe('in all', () => {
  it('pushed at least 3,000 generated inputs through the Slack and Teams doors', () => {
    const total = [...counted.values()].reduce((a, b) => a + b, 0);
    console.log(`channel property-based inputs: ${total} (${[...counted].map(([k, v]) => `${k} ${v}`).join(', ')})`);
    console.log(`outcomes: ${[...outcomes].map(([k, tally]) => `${k} {${[...tally].map(([o, n]) => `${o}: ${n}`).join(', ')}}`).join('; ')}`);
    expect(total).toBeGreaterThanOrEqual(3_000);
  });
});
