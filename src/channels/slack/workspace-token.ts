// The bot token of the workspace whose request is being handled, when workspaces install the app
// themselves: set once per request (oauth.ts, from Bolt's authorize) and read by every Web API call
// made while handling it (deliver.ts), so the listeners need not carry it and cannot use another's.
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<string>();

export const currentWorkspaceToken = (): string | undefined => scope.getStore();
export const withWorkspaceToken = <T>(token: string, work: () => T): T => scope.run(token, work);
