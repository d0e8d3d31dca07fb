// The Slack and Teams doors on one real server, for the reliability tests: Slack in HTTP mode against
// the Web API stand-in, Teams (no app id) against the connector stand-in, a log captured line by
// line, and one step of the rehearsal script walked through either door as a practitioner would:
// typed text as a DM (Slack) or a personal-chat message (Teams), a button as block_actions or an
// Action.Submit.
import type { ScriptStep } from '../../bench/rehearsal-script.ts';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import type { SessionStore } from '../../src/conversation/store.ts';
import type { Config, LogLevel } from '../../src/config.ts';
import { createLogger } from '../../src/http.ts';
import { createMetrics, type Metrics } from '../../src/metrics.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import { message as teamsMessage, StandInConnector, submit, type ActivityOptions } from './bot-connector.ts';
import { blockActions, dmEvent, dmOf, eventCallback, sendSigned, SlackStandIn } from './slack.ts';

export const SIGNING_SECRET = 'reliability-signing-secret-5f3a9c0e17b2d4';
export const BOT_TOKEN = 'xoxb-1111111111-2222222222-reliabilityBotTokenQ7';
export const JSON_TYPE = 'application/json';
export const FORM_TYPE = 'application/x-www-form-urlencoded';

const coach = loadCoach();

export interface Doors {
  http: CoachServer;
  base: string;
  slackUrl: string;
  api: SlackStandIn;
  connector: StandInConnector;
  metrics: Metrics;
  logs: string[];
  close(): Promise<void>;
}

export interface DoorsOptions {
  store: SessionStore;
  logLevel?: LogLevel;
  /** More Teams settings (an app password, say); Teams runs without an app id. */
  teams?: Partial<Config>;
}

export async function startDoors({ store, logLevel = 'debug', teams = {} }: DoorsOptions): Promise<Doors> {
  const api = await new SlackStandIn().start();
  const connector = await new StandInConnector().start();
  const logs: string[] = [];
  const metrics = createMetrics();
  const http = createServer({
    config: {
      port: 0,
      host: '127.0.0.1',
      webRateLimit: false,
      slack: { mode: 'http', botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: api.apiUrl },
      teamsEnabled: true,
      microsoftAppId: '',
      ...teams,
    },
    engine: createEngine({ store, coach, seed: () => 5 }),
    store,
    metrics,
    log: createLogger(logLevel, { write: (line: string) => logs.push(line) } as unknown as NodeJS.WritableStream),
    slackOptions: { pacing: { intervalMs: 5, burst: 20 }, retryConfig: { retries: 2, minTimeout: 50, maxTimeout: 100 } },
  });
  const { port } = await http.listen();
  const base = `http://127.0.0.1:${port}`;
  return {
    http,
    base,
    slackUrl: `${base}/slack/events`,
    api,
    connector,
    metrics,
    logs,
    close: async () => {
      await http.close();
      await api.close();
      await connector.close();
    },
  };
}

export const signedJson = (doors: Doors, body: string, headers: Record<string, string> = {}) => sendSigned(doors.slackUrl, SIGNING_SECRET, body, JSON_TYPE, { headers });
export const signedForm = (doors: Doors, body: string) => sendSigned(doors.slackUrl, SIGNING_SECRET, body, FORM_TYPE);

/** Messages the coach posted to a Slack DM so far. */
export const postedToDm = (doors: Doors, user: string) => doors.api.sent('chat.postMessage', (c) => c.body.channel === dmOf(user));

/**
 * One step of the script in the practitioner's Slack DM; resolves once the coach has answered it
 * (its first message has arrived, so the turn is saved). Returns what was sent, for a redelivery.
 */
export async function slackStep(doors: Doors, user: string, step: ScriptStep, decorate: (text: string) => string = (t) => t): Promise<string> {
  const before = postedToDm(doors, user).length;
  let response;
  let body: string;
  if (typeof step === 'string') {
    body = eventCallback(dmEvent(user, decorate(step)));
    response = await signedJson(doors, body);
  } else {
    body = blockActions({ user, channel: dmOf(user), actionId: `${step.id}~0`, ...(step.value !== undefined && { value: step.value }) });
    response = await signedForm(doors, body);
  }
  if (response.status !== 200) throw new Error(`Slack step ${JSON.stringify(step)} answered ${response.status}: ${response.text}`);
  await doors.api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(user), before + 1);
  return body;
}

export function teamsChat(doors: Doors, n: string): ActivityOptions {
  return { serviceUrl: doors.connector.url, conversationId: `a:1personal-${n}`, userId: `29:user-${n}`, aadObjectId: `aad-${n}`, userName: 'Sam Practitioner' };
}

export async function postActivity(base: string, activity: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': JSON_TYPE, ...headers },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

/** One step of the script in the practitioner's Teams personal chat; the HTTP answer comes once the turn is done. */
export async function teamsStep(doors: Doors, chat: ActivityOptions, step: ScriptStep, decorate: (text: string) => string = (t) => t): Promise<number> {
  const activity = typeof step === 'string' ? teamsMessage(chat, decorate(step)) : submit(chat, { id: step.id, ...(step.value !== undefined && { value: step.value }) });
  const { status } = await postActivity(doors.base, activity);
  return status;
}

/** One sample's value from Prometheus exposition text, or undefined. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (want.every((w) => have.includes(w))) return Number(m[3]);
  }
  return undefined;
}

export async function metricsText(doors: Doors): Promise<string> {
  return (await fetch(`${doors.base}/metrics`)).text();
}
