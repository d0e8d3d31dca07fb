// /metrics counts the turns that come through the Slack and Teams doors by channel, as it does the web
// chat's: both doors are given the server's measured engine, so a Slack DM, a redelivered Slack event,
// a Teams message and a Teams card button each show under their own channel label.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { message, submit } from '../support/bot-connector.ts';
import { metricsText, postActivity, sample, signedJson, startDoors, teamsChat, type Doors } from '../support/doors.ts';
import { dmEvent, dmOf, eventCallback, uniqueId } from '../support/slack.ts';

describe('/metrics with the Slack and Teams doors', () => {
  let doors: Doors;
  beforeAll(async () => {
    doors = await startDoors({ store: new MemoryStore({ sweepIntervalMs: 0 }), logLevel: 'silent' });
  });
  afterAll(() => doors.close());

  it('counts Slack and Teams turns by channel and outcome, and times them', async () => {
    const from = uniqueId('U');
    const body = eventCallback(dmEvent(from, 'ideas scaling'));
    expect((await signedJson(doors, body)).status).toBe(200);
    await doors.api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from));
    // Slack's redelivery of the same event: a turn answered with nothing.
    expect((await signedJson(doors, body, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    await doors.api.quiet(300);

    const chat = teamsChat(doors, `metrics-${process.pid}`);
    expect((await postActivity(doors.base, message(chat, 'help'))).status).toBe(200);
    expect((await postActivity(doors.base, submit(chat, { id: 'rehearse' }))).status).toBe(200);
    expect(doors.connector.sent.length).toBeGreaterThanOrEqual(2);

    const text = await metricsText(doors);
    expect(sample(text, 'coach_turns_total', { channel: 'slack', outcome: 'replied' })).toBe(1);
    expect(sample(text, 'coach_turns_total', { channel: 'slack', outcome: 'duplicate' })).toBe(1);
    expect(sample(text, 'coach_turn_duration_seconds_count', { channel: 'slack' })).toBe(2);
    expect(sample(text, 'coach_turns_total', { channel: 'teams', outcome: 'replied' })).toBe(2);
    expect(sample(text, 'coach_turn_duration_seconds_count', { channel: 'teams' })).toBe(2);
    expect(sample(text, 'coach_turns_total', { channel: 'web' })).toBeUndefined();
    expect(sample(text, 'coach_errors_total', { kind: 'turn' })).toBe(0);
    // No label names a person, a conversation or what was said.
    expect(text).not.toContain(from);
    expect(text).not.toContain(chat.conversationId);
    expect(text).not.toMatch(/scaling/);
  });
});
