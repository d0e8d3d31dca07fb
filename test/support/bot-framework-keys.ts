// A stand-in for the Bot Framework's and Entra's OpenID metadata on loopback: botbuilder reads its
// signing keys from here (ConfigurationBotFrameworkAuthentication's metadata URLs), so a test can
// sign tokens that botbuilder's own validation accepts, as a real channel or a real Entra would.
import { createPrivateKey, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CHANNEL_ISSUER = 'https://api.botframework.com';
/** The botframework.com tenant, which issues the bot's own outgoing connector tokens (v1 issuer). */
export const ENTRA_BOT_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';

export class StandInKeys {
  private server?: Server;
  private readonly privateKey: KeyObject;
  private readonly jwk: Record<string, unknown>;
  url = '';

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }));
    this.jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'stand-in-key', use: 'sig', alg: 'RS256' };
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const body =
        req.url === '/keys'
          ? { keys: [this.jwk] }
          : { issuer: CHANNEL_ISSUER, jwks_uri: `${this.url}/keys`, id_token_signing_alg_values_supported: ['RS256'] };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The metadata URLs for TeamsSettings.teamsOpenIdMetadata. */
  get metadata() {
    return { channel: `${this.url}/channel/.well-known/openidconfiguration`, emulator: `${this.url}/emulator/.well-known/openidconfiguration` };
  }

  /** A JWT signed with the stand-in key, valid for an hour. */
  sign(claims: Record<string, unknown>): string {
    const now = Math.floor(Date.now() / 1000);
    const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const unsigned = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'stand-in-key' })}.${encode({ nbf: now - 60, iat: now - 60, exp: now + 3600, ...claims })}`;
    return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(this.privateKey).toString('base64url')}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
