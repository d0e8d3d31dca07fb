// The Teams settings as the server reads them: TEAMS_ENABLED is a yes/no, and credentials that
// botbuilder would refuse at the first message are refused at start, one plain line each.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { configProblems } from '../support/config.ts';

const problems = configProblems;

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

describe('Teams settings', () => {
  it('is off unless TEAMS_ENABLED is true (in any case); blank is off', () => {
    expect(parseConfig({}).teamsEnabled).toBe(false);
    expect(parseConfig({ TEAMS_ENABLED: '' }).teamsEnabled).toBe(false);
    expect(parseConfig({ TEAMS_ENABLED: 'false' }).teamsEnabled).toBe(false);
    expect(parseConfig({ TEAMS_ENABLED: 'true' }).teamsEnabled).toBe(true);
    expect(parseConfig({ TEAMS_ENABLED: ' TRUE ' }).teamsEnabled).toBe(true);
  });

  it('refuses any other value of TEAMS_ENABLED with a clear line', () => {
    expect(problems({ TEAMS_ENABLED: 'yes' })).toEqual(["TEAMS_ENABLED must be true or false, got 'yes'"]);
    expect(problems({ TEAMS_ENABLED: '1' })).toEqual(["TEAMS_ENABLED must be true or false, got '1'"]);
  });

  it('reads the credentials, spelling the app type as botbuilder expects', () => {
    const config = parseConfig({
      TEAMS_ENABLED: 'true',
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'secret',
      MicrosoftAppType: 'singletenant',
      MicrosoftAppTenantId: 'contoso.onmicrosoft.com',
    });
    expect(config).toMatchObject({ teamsEnabled: true, microsoftAppId: APP_ID, microsoftAppType: 'SingleTenant', microsoftAppTenantId: 'contoso.onmicrosoft.com' });
  });

  it('runs unauthenticated with no app id and no password (local use)', () => {
    expect(problems({ TEAMS_ENABLED: 'true', MicrosoftAppId: '', MicrosoftAppPassword: '' })).toEqual([]);
  });

  it('refuses credentials that cannot work, naming what to set, never echoing the password', () => {
    expect(problems({ TEAMS_ENABLED: 'true', MicrosoftAppPassword: 'hunter2' })).toEqual([
      'MicrosoftAppPassword is set but MicrosoftAppId is empty: set the app id of your Azure Bot too, or clear both to run Teams unauthenticated for local use',
    ]);
    expect(problems({ TEAMS_ENABLED: 'true', MicrosoftAppId: APP_ID })).toEqual([
      "MicrosoftAppPassword is required when MicrosoftAppId is set: use a client secret of the Azure Bot's app registration",
    ]);
    expect(problems({ TEAMS_ENABLED: 'true', MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'hunter2', MicrosoftAppType: 'SingleTenant' })).toEqual([
      'MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant: use the Directory (tenant) id of the app registration',
    ]);
    expect(problems({ MicrosoftAppType: 'Personal' })).toEqual([
      "MicrosoftAppType must be one of MultiTenant, SingleTenant, UserAssignedMSI (the Type of your Azure Bot), got 'Personal'",
    ]);
    expect(problems({ TEAMS_ENABLED: 'true', MicrosoftAppPassword: 'hunter2' }).join('\n')).not.toContain('hunter2');
  });

  it('leaves credentials alone while Teams is off', () => {
    expect(problems({ MicrosoftAppId: APP_ID })).toEqual([]);
  });
});
