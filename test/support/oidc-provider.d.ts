// oidc-provider ships no types; the tests use this much of it (a Koa app with listen()).
declare module 'oidc-provider' {
  import type { Server } from 'node:http';
  interface Account {
    accountId: string;
    claims(): Record<string, unknown>;
  }
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown> & { findAccount?(ctx: unknown, id: string): Account | Promise<Account> });
    listen(port: number, host: string): Server;
  }
}
