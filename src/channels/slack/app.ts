// Wires the Slack door: a Bolt App whose receiver is either a route on our one HTTP server
// (POST /slack/events, HTTP mode) or Bolt's Socket Mode receiver (SLACK_APP_TOKEN, for local
// development without a public URL). The listeners, rendering and delivery live in their own files.
import { App, SocketModeReceiver, type Receiver, type webApi } from '@slack/bolt';
import type { SlackSettings } from '../../config.ts';
import type { SessionStore } from '../../conversation/store.ts';
import type { Logger, RouteHandler, TurnHandler } from '../../http.ts';
import { Deliverer, type PacingOptions } from './deliver.ts';
import { registerListeners } from './listeners.ts';
import { boltQuietLogger, RouteReceiver } from './receiver.ts';

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

  let receiver: Receiver;
  if (settings.mode === 'socket') {
    receiver = new SocketModeReceiver({ appToken: settings.appToken!, logger, installerOptions: { clientOptions } });
  } else {
    if (!options.http) throw new Error('Slack HTTP mode needs the shared server to mount /slack/events on.');
    const routed = new RouteReceiver({ signingSecret: settings.signingSecret!, log });
    options.http.route('POST', SLACK_EVENTS_PATH, routed.handle);
    receiver = routed;
  }

  const app = new App({
    token: settings.botToken,
    receiver,
    logger,
    clientOptions,
    // auth.test runs in start(), where a bad token can fail start-up with a clear message.
    deferInitialization: true,
    // The engine keeps the conversation; Bolt's own per-conversation store would only grow.
    convoStore: false,
  });
  const deliver = new Deliverer({ client: app.client, log, ...options.pacing });
  registerListeners(app, { engine: options.engine, store: options.store, deliver, log });

  return {
    mode: settings.mode,
    app,
    async start() {
      try {
        await app.init();
      } catch (error) {
        const code = (error as { data?: { error?: string } }).data?.error;
        throw new Error(
          `Slack did not accept SLACK_BOT_TOKEN${code ? ` (${code})` : ''}: check it is the xoxb- Bot User OAuth Token of an installed app` +
            `${settings.apiUrl ? ` and that SLACK_API_URL (${settings.apiUrl}) is right` : ''}.`,
          { cause: error },
        );
      }
      await app.start();
      log.info('slack ready', { mode: settings.mode, ...(settings.mode === 'http' && { path: SLACK_EVENTS_PATH }) });
    },
    async stop() {
      await app.stop().catch(() => undefined); // not started: nothing to stop
      await deliver.drain();
    },
  };
}
