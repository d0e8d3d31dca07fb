// Wires the Slack door: a Bolt App whose receiver is either a route on our one HTTP server
// (POST /slack/events, HTTP mode) or Bolt's Socket Mode receiver (SLACK_APP_TOKEN, for local
// development without a public URL). The listeners, rendering and delivery live in their own files.
import { App, SocketModeReceiver, type InstallationStore, type Receiver, type ReceiverEvent, type webApi } from '@slack/bolt';
import type { InstallProvider } from '@slack/oauth';
import type { SlackSettings } from '../../config.ts';
import type { SessionStore } from '../../conversation/store.ts';
import type { Logger, RouteHandler, TurnHandler } from '../../http.ts';
import { FAILURES } from '../../conversation/failures.ts';
import { Deliverer, type PacingOptions } from './deliver.ts';
import { registerListeners } from './listeners.ts';
import { checkSlackPayload } from './payloads.ts';
import { boltQuietLogger, COMMAND_UNAVAILABLE, kindOf, RouteReceiver, type StoreGate } from './receiver.ts';
import { renderReply } from './render.ts';
import { isDirectMessage, teamOf } from './translate.ts';
import { createInstaller, registerInstallRoutes, registerWorkspaceScope } from './oauth.ts';
import { withWorkspaceToken } from './workspace-token.ts';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackChannelOptions {
  settings: SlackSettings;
  engine: TurnHandler;
  store: SessionStore;
  log: Logger;
  /** The shared server; HTTP mode adds its route there. */
  http?: { route(method: string, path: string, handler: RouteHandler): void };
  pacing?: PacingOptions;
  /** Web API retries (429s wait for Retry-After on top of these). Tests shorten them. */
  retryConfig?: webApi.RetryOptions;
  /**
   * Whether the session store answers, asked before a request is acknowledged (the server's kept
   * flag). While it says no, nothing runs: events are left for Slack to deliver again, commands and
   * buttons get a sentence. Without it every request runs.
   */
  storeAvailable?: () => Promise<boolean>;
  /** Called for each request answered without running because the store is away (the server counts them). */
  onStoreUnavailable?: () => void;
  /** With `settings.oauth`: where installations are kept (Redis, sealed); memory when absent. */
  installationStore?: InstallationStore;
}

export interface SlackChannel {
  readonly mode: SlackSettings['mode'];
  readonly app: App;
  /** Checks the bot token with Slack (auth.test) and, in Socket Mode, connects. */
  start(): Promise<void>;
  /** Stops taking requests, then waits for work in flight and for every queued message to go. */
  stop(): Promise<void>;
}

/** Patient enough that a reply survives a Slack hiccup of a few minutes; never gives up on the first 5xx. */
const DEFAULT_RETRIES: webApi.RetryOptions = { retries: 10, factor: 2, minTimeout: 250, maxTimeout: 60_000, randomize: true };

export function createSlackChannel(options: SlackChannelOptions): SlackChannel {
  const { settings, log } = options;
  const logger = boltQuietLogger(log);
  const clientOptions: webApi.WebClientOptions = {
    logger,
    retryConfig: options.retryConfig ?? DEFAULT_RETRIES,
    timeout: 30_000,
    ...(settings.apiUrl && { slackApiUrl: settings.apiUrl.endsWith('/') ? settings.apiUrl : `${settings.apiUrl}/` }),
  };

  // The deliverer needs the app's client, and the app its receiver: the gate reaches it when called.
  let deliver: Deliverer | undefined;
  const installer = settings.oauth && createInstaller({ settings: settings.oauth, installationStore: options.installationStore, clientOptions, log });
  const gate: StoreGate | undefined = options.storeAvailable && {
    available: options.storeAvailable,
    unavailable: async (kind, body) => {
      options.onStoreUnavailable?.();
      if (kind === 'interactive' && deliver) await asWorkspace(installer, body, () => tellStoreUnavailable(deliver!, body));
    },
  };

  let receiver: Receiver;
  if (settings.mode === 'socket') {
    receiver = new SocketModeReceiver({ appToken: settings.appToken!, logger, installerOptions: { clientOptions } });
  } else {
    if (!options.http) throw new Error('Slack HTTP mode needs the shared server to mount /slack/events on.');
    const routed = new RouteReceiver({ signingSecret: settings.signingSecret!, log, ...(gate && { gate }), ...(installer && { installer }) });
    options.http.route('POST', SLACK_EVENTS_PATH, routed.handle);
    if (installer) registerInstallRoutes(options.http, installer, log);
    receiver = routed;
  }

  const app = new App({
    // One workspace's token, or none: then Bolt authorizes each request from the installer (receiver.installer).
    ...(settings.botToken && { token: settings.botToken }),
    receiver,
    logger,
    clientOptions,
    // auth.test runs in start(), where a bad token can fail start-up with a clear message.
    deferInitialization: true,
    // The engine keeps the conversation; Bolt's own per-conversation store would only grow.
    convoStore: false,
  });
  deliver = new Deliverer({ client: app.client, log, ...options.pacing });
  const delivering = deliver;
  if (installer) registerWorkspaceScope(app, { installer, store: options.store, log, forgetDms: (team) => delivering.forgetDms(team) });
  registerListeners(app, { engine: options.engine, store: options.store, deliver, log });
  if (settings.mode === 'socket') guardSocketMode(app, log, gate);

  return {
    mode: settings.mode,
    app,
    async start() {
      try {
        await app.init();
      } catch (error) {
        if (installer) throw error;
        const code = (error as { data?: { error?: string } }).data?.error;
        throw new Error(
          `Slack did not accept SLACK_BOT_TOKEN${code ? ` (${code})` : ''}: check it is the xoxb- Bot User OAuth Token of an installed app` +
            `${settings.apiUrl ? ` and that SLACK_API_URL (${settings.apiUrl}) is right` : ''}.`,
          { cause: error },
        );
      }
      await app.start();
      log.info('slack ready', { mode: settings.mode, ...(settings.mode === 'http' && { path: SLACK_EVENTS_PATH }), installs: installer ? 'any workspace' : 'one workspace' });
    },
    async stop() {
      await app.stop().catch(() => undefined); // not started: nothing to stop
      await deliver?.drain();
    },
  };
}

/**
 * Socket Mode's receiver hands every envelope straight to the app, so the checks the HTTP receiver
 * makes before acknowledging are made here: a payload no listener could read is acknowledged and
 * dropped (Slack would only send it again); while the store is away an event is left unacknowledged,
 * so Slack delivers it again, and a command or a button is acknowledged with the sentence.
 */
function guardSocketMode(app: App, log: Logger, gate: StoreGate | undefined): void {
  const process = app.processEvent.bind(app);
  app.processEvent = async (event: ReceiverEvent): Promise<void> => {
    const checked = checkSlackPayload(event.body);
    if (!checked.ok) {
      log.warn('slack request refused: malformed payload', { reason: checked.reason });
      await event.ack();
      return;
    }
    if (!gate || (await gate.available())) return process(event);
    log.warn('slack request not taken: session store unavailable', { kind: kindOf(checked.body) });
    if (checked.kind === 'command') await event.ack(COMMAND_UNAVAILABLE);
    else if (checked.kind === 'interactive') await event.ack();
    await gate.unavailable(checked.kind, checked.body);
  };
}

/** Runs `work` with the token of the workspace a request came from (installs by any workspace); as it is otherwise. */
async function asWorkspace(installer: InstallProvider | undefined, body: Record<string, unknown>, work: () => Promise<void>): Promise<void> {
  if (!installer) return work();
  const payload = body as { team?: { id?: string } | null; user?: { team_id?: string }; enterprise?: { id?: string } | null; is_enterprise_install?: boolean };
  const authorized = await installer.authorize({
    teamId: payload.team?.id ?? payload.user?.team_id,
    enterpriseId: payload.enterprise?.id,
    isEnterpriseInstall: Boolean(payload.is_enterprise_install),
  });
  if (!authorized.botToken) return;
  await withWorkspaceToken(authorized.botToken, work);
}

/**
 * Tells the person who pressed a button or used a shortcut that nothing was saved: through the
 * response_url when there is one, to them alone in the channel of the button, or else in their DM
 * with the coach (a global shortcut, the App Home). Slack's Web API needs no store.
 */
async function tellStoreUnavailable(deliver: Deliverer, body: Record<string, unknown>): Promise<void> {
  const payload = body as {
    response_url?: string;
    user: { id: string; team_id?: string };
    team?: { id: string } | null;
    channel?: { id: string };
    container?: { channel_id?: string; thread_ts?: string; type?: string };
    message?: { thread_ts?: string };
  };
  const messages = renderReply({ kind: 'error', text: FAILURES.unavailable.sentence });
  if (payload.response_url) {
    await deliver.respond(payload.response_url, messages);
    return;
  }
  const channel = payload.container?.type === 'view' ? undefined : (payload.container?.channel_id ?? payload.channel?.id);
  if (channel && !isDirectMessage(channel)) {
    const threadTs = payload.message?.thread_ts ?? payload.container?.thread_ts;
    await deliver.ephemeral({ channel, ...(threadTs && { threadTs }) }, payload.user.id, messages);
    return;
  }
  const dm = channel ?? (await deliver.openDm(teamOf(payload), payload.user.id));
  await deliver.post({ channel: dm }, messages);
}

