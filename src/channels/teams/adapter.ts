// The Teams door's transport: POST /api/messages on the shared server, through botbuilder's
// CloudAdapter and ConfigurationBotFrameworkAuthentication. Each request is authenticated first (a
// failure of any kind is a 401 and runs nothing); then the bot's turn runs, and the invoke response,
// if any, is the HTTP answer. With no app id the door runs unauthenticated, for local use only.
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  CallerIdConstants,
  StatusCodes,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { AuthenticationConstants, AuthenticationError, type Claim } from 'botframework-connector';
import type { Config } from '../../config.ts';
import type { SessionStore } from '../../conversation/store.ts';
import { errorFields, HttpError, readJson, sendJson, type Logger, type RouteHandler, type TurnHandler } from '../../http.ts';
import { checkActivity } from './activity.ts';
import { CoachBot } from './bot.ts';
import { dialogMessage } from './cards.ts';
import { DeadlineError, FAILURES, failureOf, within } from '../../conversation/failures.ts';
import { OriginStore } from './origins.ts';

export const TEAMS_PATH = '/api/messages';
/** Activities carry channel data and, for the message extension, a whole message: more than a chat line. */
const MAX_ACTIVITY_BYTES = 256 * 1024;
/** Teams waits 15 s for the HTTP answer; a slower turn is acknowledged at this point and carries on. */
export const ACK_DEADLINE_MS = 10_000;

export type TeamsSettings = Pick<Config, 'microsoftAppId' | 'microsoftAppPassword' | 'microsoftAppType' | 'microsoftAppTenantId'> & {
  /** Where botbuilder reads the signing keys of channel and emulator tokens: for tests, a stand-in on loopback. */
  teamsOpenIdMetadata?: { channel: string; emulator: string };
};

/**
 * Only the Bot Framework channel service calls this bot. botbuilder would also take an "emulator"
 * token, which any Entra token issued to this app id passes, including the bot's own outgoing
 * connector token replayed at us (whatever channel id the activity names): such a request would run
 * a turn and send this bot's credentials to the service URL it names. Refused instead, as a 401.
 */
async function fromChannelService(claims: Claim[]): Promise<void> {
  const issuer = claims.find((claim) => claim.type === AuthenticationConstants.IssuerClaim)?.value;
  if (issuer !== AuthenticationConstants.ToBotFromChannelTokenIssuer) {
    throw new AuthenticationError('Unauthorized: only the Bot Framework channel service may call this bot.', StatusCodes.UNAUTHORIZED);
  }
}

type Authentication = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/** CloudAdapter that runs a turn for a request this door has already authenticated. */
export class TeamsAdapter extends CloudAdapter {
  runAuthenticated(authentication: Authentication, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authentication, activity, logic);
  }
}

export interface TeamsChannelOptions {
  engine: TurnHandler;
  store: SessionStore;
  log: Logger;
  settings: TeamsSettings;
}

export interface TeamsChannel {
  adapter: TeamsAdapter;
  bot: CoachBot;
  /** True when requests must carry a Bot Framework token (an app id is set). */
  authenticated: boolean;
}

export function registerTeamsChannel(
  http: { route(method: string, path: string, handler: RouteHandler): void },
  { engine, store, log, settings }: TeamsChannelOptions,
): TeamsChannel {
  const appId = settings.microsoftAppId ?? '';
  const authentication = new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: appId,
      MicrosoftAppPassword: settings.microsoftAppPassword,
      MicrosoftAppType: settings.microsoftAppType,
      MicrosoftAppTenantId: settings.microsoftAppTenantId,
      // botbuilder takes one overridden URL as a whole custom cloud, so the public cloud's values come too.
      ...(settings.teamsOpenIdMetadata && {
        ValidateAuthority: true,
        ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
        ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
        ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
        OAuthUrl: AuthenticationConstants.OAuthUrl,
        CallerId: CallerIdConstants.PublicAzureChannel,
        ToBotFromChannelOpenIdMetadataUrl: settings.teamsOpenIdMetadata.channel,
        ToBotFromEmulatorOpenIdMetadataUrl: settings.teamsOpenIdMetadata.emulator,
      }),
    },
    undefined,
    { requiredEndorsements: [], validateClaims: fromChannelService },
  );
  const adapter = new TeamsAdapter(authentication);
  adapter.onTurnError = (context, error) => tellUser(context, error, log);
  const bot = new CoachBot({ engine, store, adapter, appId, origins: new OriginStore(store), log });

  if (appId) log.info('teams enabled', { path: TEAMS_PATH, authentication: 'bot framework', appType: settings.microsoftAppType ?? 'MultiTenant' });
  else {
    log.warn('teams enabled without authentication', {
      path: TEAMS_PATH,
      note: 'MicrosoftAppId is empty: requests are not verified. Use this only locally (Agents Playground, tests), never on a public address.',
    });
  }

  http.route('POST', TEAMS_PATH, async (req, res) => {
    const activity = await readActivity(req);
    let authenticated: Authentication;
    try {
      authenticated = await authentication.authenticateRequest(activity, String(req.headers.authorization ?? ''));
    } catch (error) {
      log.warn('teams request refused: not authenticated', errorFields(error));
      throw new HttpError(401, 'Unauthorized: this endpoint only takes requests signed by the Bot Framework for this bot.');
    }
    const turn = adapter.runAuthenticated(authenticated, activity, (context) => bot.run(context));
    try {
      // An invoke's answer is its response body, so it is awaited; its handlers keep their own deadlines.
      const response = activity.type === 'invoke' ? await turn : await within(ACK_DEADLINE_MS, turn);
      answer(res, response);
    } catch (error) {
      if (error instanceof DeadlineError) {
        log.warn('teams turn slow: acknowledged before it finished', { type: activity.type });
        turn.catch((late: unknown) => log.error('teams turn failed after acknowledgement', errorFields(late)));
        answer(res, undefined);
        return;
      }
      log.error('teams turn failed', errorFields(error));
      sendJson(res, FAILURES.failed.status, { error: FAILURES.failed.sentence });
    }
  });

  return { adapter, bot, authenticated: Boolean(appId) };
}

/** The body as one activity the bot can read (activity.ts), or a 400 with the reason; 413 and 415 as for every JSON body. */
async function readActivity(req: Parameters<RouteHandler>[0]): Promise<Activity> {
  const checked = checkActivity(await readJson(req, MAX_ACTIVITY_BYTES));
  if (!checked.ok) throw new HttpError(400, checked.reason);
  return checked.activity;
}

function answer(res: Parameters<RouteHandler>[1], response: InvokeResponse | undefined): void {
  if (response?.body !== undefined) {
    sendJson(res, response.status ?? 200, response.body);
    return;
  }
  res.writeHead(response?.status ?? 200, { 'content-length': 0 });
  res.end();
}

/** adapter.onTurnError: the log gets the error; the user gets one plain sentence, in the form the activity expects. */
async function tellUser(context: TurnContext, error: Error, log: Logger): Promise<void> {
  const { type, name } = context.activity;
  log.error('teams turn failed', { type, ...(name && { name }), ...errorFields(error) });
  const { sentence } = failureOf(error);
  try {
    if (type !== 'invoke') {
      await context.sendActivity({ type: 'message', text: sentence });
      return;
    }
    if (name?.startsWith('composeExtension/')) {
      await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: dialogMessage(sentence) } });
      return;
    }
    await context.sendActivity({ type: 'message', text: sentence });
    const body = name === 'adaptiveCard/action' ? { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: sentence } : undefined;
    await context.sendActivity({ type: 'invokeResponse', value: { status: 200, ...(body && { body }) } });
  } catch (sendError) {
    log.error('teams error sentence not delivered', errorFields(sendError));
  }
}
