import { ProviderUnavailableError } from '../../../src/domain/errors';
import { EsimPlatformAuthError } from '../../../src/providers/esimplatform/esimplatform.errors';
import {
  CREDENTIALS_COOLDOWN_MS,
  EsimPlatformTokens,
  type TokenGrant,
} from '../../../src/providers/esimplatform/esimplatform.tokens';

function setup() {
  let now = 1_000_000;
  let issued = 0;
  const grant = (): TokenGrant => ({
    accessToken: `access-${++issued}`,
    refreshToken: `refresh-${issued}`,
    expiresInSeconds: 3600,
  });
  const endpoints = { login: jest.fn(async () => grant()), refresh: jest.fn(async (_token: string) => grant()) };
  const tokens = new EsimPlatformTokens(endpoints, () => now);
  return { tokens, endpoints, advance: (ms: number) => (now += ms) };
}

describe('esimplatform token cache', () => {
  it('shares one login between concurrent callers and reuses the token', async () => {
    const { tokens, endpoints } = setup();
    const got = await Promise.all([tokens.accessToken(), tokens.accessToken(), tokens.accessToken()]);
    expect(new Set(got)).toEqual(new Set(['access-1']));
    expect(await tokens.accessToken()).toBe('access-1');
    expect(endpoints.login).toHaveBeenCalledTimes(1);
  });

  it('refreshes a minute before expiry instead of logging in again', async () => {
    const { tokens, endpoints, advance } = setup();
    await tokens.accessToken();
    advance(3600_000 - 59_000);
    expect(await tokens.accessToken()).toBe('access-2');
    expect(endpoints.refresh).toHaveBeenCalledWith('refresh-1');
    expect(endpoints.login).toHaveBeenCalledTimes(1);
  });

  it('renews a refused token once even when several callers report it', async () => {
    const { tokens, endpoints } = setup();
    const stale = await tokens.accessToken();
    const renewed = await Promise.all([tokens.renew(stale), tokens.renew(stale)]);
    expect(renewed.map((r) => r.accessToken)).toEqual(['access-2', 'access-2']);
    expect((await tokens.renew(stale)).accessToken).toBe('access-2');
    expect(endpoints.refresh).toHaveBeenCalledTimes(1);
  });

  it('logs in again when the refresh token is refused, but not when the refresh fails for an outage', async () => {
    const { tokens, endpoints } = setup();
    const first = await tokens.accessToken();
    endpoints.refresh.mockRejectedValueOnce(new ProviderUnavailableError('esimplatform', 'TIMEOUT'));
    await expect(tokens.renew(first)).rejects.toMatchObject({ reason: 'TIMEOUT' });
    expect(endpoints.login).toHaveBeenCalledTimes(1);
    endpoints.refresh.mockRejectedValueOnce(
      new EsimPlatformAuthError('esimplatform', 'TOKEN_EXPIRED', 'the token has expired'),
    );
    expect((await tokens.renew(first)).accessToken).toBe('access-2');
    expect(endpoints.login).toHaveBeenCalledTimes(2);
  });

  it('pauses logins after the credentials are refused, then tries again after the cooldown', async () => {
    const { tokens, endpoints, advance } = setup();
    endpoints.login.mockRejectedValueOnce(new EsimPlatformAuthError('esimplatform', 'INVALID_CREDENTIALS', 'refused'));
    await expect(tokens.accessToken()).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', reason: 'AUTH' });
    await expect(tokens.accessToken()).rejects.toMatchObject({ reason: 'AUTH' });
    expect(tokens.credentialsRefused()).toBe(true);
    expect(endpoints.login).toHaveBeenCalledTimes(1);
    advance(CREDENTIALS_COOLDOWN_MS);
    expect(await tokens.accessToken()).toBe('access-1');
    expect(tokens.credentialsRefused()).toBe(false);
  });
});
