// `coach serve` (and `npm start`): read the settings, build store → coach → engine → server, listen,
// and stop gracefully on SIGINT/SIGTERM. Returns the process exit code.
import { ConfigError, isLoopback, parseConfig } from './config.ts';
import { startCoach } from './content/compiled.ts';
import { createEngine } from './conversation/engine.ts';
import { createStore } from './conversation/create-store.ts';
import { createServer } from './server.ts';
import { createLogger, errorFields } from './http.ts';
import { createMetrics, instrumentStore } from './metrics.ts';

export interface ServeStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export async function serve(env: NodeJS.ProcessEnv, { stdout, stderr }: ServeStreams = process): Promise<number> {
  let config;
  try {
    config = parseConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    stderr.write(`coach serve: cannot start because of the settings:\n${error.problems.map((p) => `  - ${p}\n`).join('')}`);
    return 1;
  }
  const log = createLogger(config.logLevel, stderr);
  // The content first: a broken PROMPTS_DIR throws ContentError (reported by the CLI) before anything is opened.
  const coach = await startCoach(config.promptsDir);
  const metrics = createMetrics({ processMetrics: true });
  // Timed at every operation for /metrics; otherwise the very same store.
  const store = instrumentStore(await createStore({ redisUrl: config.redisUrl, ...(config.redis && { redis: config.redis }), sessionTtlSeconds: config.sessionTtlSeconds, redisPrefix: config.redisPrefix }), metrics);
  const engine = createEngine({ store, coach, practiceTrainers: config.practiceTrainers });
  const oidc = config.web?.oidc;
  // The sign-in libraries are loaded only when sign-in is on.
  const webAuth = oidc && (await import('./channels/web/auth.ts')).createWebAuth({ settings: oidc, publicUrl: config.web!.publicUrl!, redisUrl: config.redisUrl, redisPrefix: config.redisPrefix, log });
  if (config.web?.auth === 'none' && !isLoopback(config.host)) {
    log.warn('the web chat has no sign-in and other machines can reach it (WEB_AUTH=none): anyone who can reach it can use it as anyone');
  }
  // Slack installs by any workspace, with Redis: the installations on a connection of their own, tokens sealed.
  const oauth = config.slack?.oauth;
  const installationsRedis =
    oauth && config.redisUrl ? new (await import('ioredis')).Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 2_000 }) : undefined;
  installationsRedis?.on('error', () => {}); // an outage fails the requests it affects, which Slack retries
  const slackInstallations =
    installationsRedis && new (await import('./channels/slack/installations.ts')).RedisInstallationStore(installationsRedis, oauth!.installationKey!, config.redisPrefix);
  const closeInstallations = () => installationsRedis?.quit().catch(() => installationsRedis.disconnect());
  const http = createServer({ config, engine, store, log, metrics, coach, ...(webAuth && { webAuth }), ...(slackInstallations && { slackInstallations }) });

  try {
    await http.listen();
  } catch (error) {
    stderr.write(`coach serve: ${(error as Error).message}\n`);
    await store.close();
    await webAuth?.close();
    await closeInstallations();
    return 1;
  }
  const shown = config.host.includes(':') ? `[${config.host}]` : config.host;
  stdout.write(`Strengths Coach listening on http://${shown}:${config.port} (store: ${store.kind})\n`);
  // Not fatal: the store reconnects by itself, and until then turns get 503 and /healthz says so.
  void store.ping().then((ok) => {
    if (!ok) stderr.write('coach serve: the Redis session store is not answering yet (check REDIS_URL); messages get 503 until it does.\n');
  });

  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      log.info('shutting down', { signal });
      http.close().then(
        async () => {
          await closeInstallations();
          resolve(0);
        },
        (error: unknown) => {
          log.error('shutdown failed', errorFields(error));
          resolve(1);
        },
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
