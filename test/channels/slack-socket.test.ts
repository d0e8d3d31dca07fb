// Socket Mode (SLACK_APP_TOKEN): the same door over Slack's WebSocket instead of /slack/events, with
// a local stand-in for apps.connections.open and the socket. Events are acknowledged by envelope id
// and answered through the (stand-in) Web API; nothing is mounted on the HTTP server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { createLogger } from '../../src/http.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import { dmEvent, dmOf, eventCallback, SlackStandIn, SocketModeStandIn, TEAM, uniqueId } from '../support/slack.ts';

describe('Slack door in Socket Mode', { timeout: 20_000 }, () => {
  let api: SlackStandIn;
  let socket: SocketModeStandIn;
  let http: CoachServer;
  let base: string;

  beforeAll(async () => {
    api = await new SlackStandIn().start();
    socket = await new SocketModeStandIn().start();
    api.script('apps.connections.open', () => ({ body: { ok: true, url: socket.url } }));
    const store = new MemoryStore();
    http = createServer({
      config: { port: 0, host: '127.0.0.1', slack: { mode: 'socket', botToken: 'xoxb-test', appToken: 'xapp-test', apiUrl: api.apiUrl } },
      engine: createEngine({ store, coach: loadCoach() }),
      store,
      log: createLogger('silent'),
    });
    const address = await http.listen();
    base = `http://127.0.0.1:${address.port}`;
    await socket.ready;
  });
  afterAll(async () => {
    await http.close();
    await socket.close();
    await api.close();
  });

  it('connects with the app token and answers a DM event sent over the socket', async () => {
    const open = api.sent('apps.connections.open');
    expect(open).toHaveLength(1);
    const user = uniqueId('U');
    const body = JSON.parse(eventCallback(dmEvent(user, 'help'))) as Record<string, unknown>;
    socket.send({ envelope_id: 'env-1', payload: body, type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '' });
    expect(await socket.waitForAck('env-1')).toMatchObject({ envelope_id: 'env-1' });
    const [reply] = await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(user));
    expect(reply!.body.text).toMatch(/rehearse/);
    // The same event again (a redelivery): acknowledged, not answered twice.
    socket.send({ envelope_id: 'env-2', payload: body, type: 'events_api', accepts_response_payload: false, retry_attempt: 1, retry_reason: 'timeout' });
    await socket.waitForAck('env-2');
    await api.quiet();
    expect(api.sent('chat.postMessage', (c) => c.body.channel === dmOf(user))).toHaveLength(1);
  });

  it('takes /coach over the socket and answers through the response_url', async () => {
    const user = uniqueId('U');
    socket.send({
      envelope_id: 'env-3',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: { team_id: TEAM, channel_id: 'C0CASES', user_id: user, command: '/coach', text: 'ideas hopes', response_url: api.responseUrl('sock'), trigger_id: uniqueId('t.') },
    });
    await socket.waitForAck('env-3');
    const [answer] = await api.waitFor('response', (c) => c.responseId === 'sock');
    expect(answer!.body.response_type).toBe('ephemeral');
  });

  it('mounts nothing at /slack/events', async () => {
    expect((await fetch(`${base}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
