// Slack installed by any workspace: Bolt's own installer (@slack/oauth's InstallProvider, as Bolt's
// HTTPReceiver builds it) at GET /slack/install and GET /slack/oauth_redirect, the installations in
// the store of installations.ts, each event answered with its own workspace's token, and an uninstall
// (app_uninstalled, or the bot's token revoked) erasing that workspace's data. Logs carry counts, never ids.
import { readFileSync } from 'node:fs';
import { InstallProvider } from '@slack/oauth';
import { MemoryInstallationStore, type App, type InstallationStore, type webApi } from '@slack/bolt';
import { parse } from 'yaml';
import type { SlackOAuthSettings } from '../../config.ts';
import type { SessionStore } from '../../conversation/store.ts';
import type { Logger, RouteHandler } from '../../http.ts';
import { boltQuietLogger } from './receiver.ts';
import { userKey } from './translate.ts';
import { withWorkspaceToken } from './workspace-token.ts';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/** The bot scopes the app asks for on install: those of manifest.yaml, so there is one list. */
export function manifestScopes(): string[] {
  const manifest = parse(readFileSync(new URL('./manifest.yaml', import.meta.url), 'utf8')) as { oauth_config: { scopes: { bot: string[] } } };
  return manifest.oauth_config.scopes.bot;
}

export interface SlackInstallerOptions {
  settings: SlackOAuthSettings;
  /** Kept installations: Redis (sealed) in production, memory for local use. */
  installationStore?: InstallationStore;
  clientOptions: webApi.WebClientOptions;
  log: Logger;
}

export function createInstaller({ settings, installationStore, clientOptions, log }: SlackInstallerOptions): InstallProvider {
  return new InstallProvider({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    stateSecret: settings.stateSecret,
    installationStore: installationStore ?? new MemoryInstallationStore(),
    installUrlOptions: { scopes: manifestScopes() },
    logger: boltQuietLogger(log),
    clientOptions,
  });
}

/** GET /slack/install (the "Add to Slack" page) and GET /slack/oauth_redirect (Slack sends the browser back here). */
export function registerInstallRoutes(http: { route(method: string, path: string, handler: RouteHandler): void }, installer: InstallProvider, log: Logger): void {
  http.route('GET', INSTALL_PATH, (req, res) => installer.handleInstallPath(req, res));
  http.route('GET', REDIRECT_PATH, (req, res) =>
    installer.handleCallback(req, res, {
      success: (installation, _options, _req, response) => {
        log.info('slack app installed', { enterprise: Boolean(installation.isEnterpriseInstall) });
        page(response, 200, 'Strengths Coach is installed', 'You can close this page and find Strengths Coach under Apps in Slack.');
      },
      failure: (error, _options, _req, response) => {
        log.warn('slack install failed', { code: (error as { code?: string }).code ?? error.name });
        page(response, 400, 'Strengths Coach was not installed', 'Slack did not confirm the installation. Please start again from the install link.');
      },
    }),
  );
}

/**
 * Every request runs with its workspace's bot token in scope (Bolt's authorize put it in the context),
 * and an uninstall erases: the workspace's sessions, dedupe records, user indexes and installation.
 */
export function registerWorkspaceScope(app: App, deps: { installer: InstallProvider; store: SessionStore; log: Logger; forgetDms(team: string): void }): void {
  app.use(async ({ context, next }) => {
    if (context.botToken) await withWorkspaceToken(context.botToken, next);
    else await next();
  });
  const eraseWorkspace = async (team: string | undefined, enterprise: string | undefined, isEnterpriseInstall: boolean) => {
    if (!team && !enterprise) return;
    const keys = team ? await deps.store.forgetPrefix(`slack:${team}:`) : 0;
    await deps.installer.installationStore.deleteInstallation?.({ teamId: team, enterpriseId: enterprise, isEnterpriseInstall });
    if (team) deps.forgetDms(team);
    deps.log.info('slack app uninstalled: workspace data erased', { keys });
  };
  app.event('app_uninstalled', async ({ body }) => {
    await eraseWorkspace(body.team_id, body.enterprise_id, Boolean(body.is_enterprise_install));
  });
  app.event('tokens_revoked', async ({ event, body }) => {
    const { bot = [], oauth = [] } = (event as { tokens?: { bot?: string[]; oauth?: string[] } }).tokens ?? {};
    if (bot.length) {
      await eraseWorkspace(body.team_id, body.enterprise_id, Boolean(body.is_enterprise_install));
      return;
    }
    let keys = 0;
    for (const user of oauth) keys += await deps.store.forgetUser(userKey(body.team_id, user));
    deps.log.info('slack user tokens revoked: their data erased', { users: oauth.length, keys });
  });
}

function page(res: import('node:http').ServerResponse, status: number, title: string, sentence: string): void {
  const html = `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1><p>${sentence}</p></main></body></html>`;
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html), 'content-security-policy': "default-src 'none'" });
  res.end(html);
}
