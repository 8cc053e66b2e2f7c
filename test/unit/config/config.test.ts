import { loadConfig, withListeningPort } from '../../../src/config';

describe('configuration', () => {
  it('runs every provider on the embedded simulators by default', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.embedSandbox).toBe(true);
    expect(config.providers.esimaccess).toMatchObject({
      sandbox: true,
      baseUrl: 'http://127.0.0.1:4000/sandbox/esimaccess',
    });
    expect(config.providers.connectedyou.baseUrl).toBe('http://127.0.0.1:4000/sandbox/connectedyou/v1');
  });

  it('takes a provider live only with all its credentials, and points the rest at SANDBOX_URL', () => {
    const config = loadConfig({
      ESIMACCESS_ACCESS_CODE: 'ac',
      ESIMACCESS_SECRET_KEY: 'sk',
      SANDBOX_URL: 'http://10.0.0.5:4100/',
    });
    expect(config.providers.esimaccess).toMatchObject({
      sandbox: false,
      baseUrl: 'https://api.esimaccess.com',
      accessCode: 'ac',
    });
    expect(config.providers.comium.baseUrl).toBe('http://10.0.0.5:4100/sandbox/comium/api/v1');
    expect(config.embedSandbox).toBe(false);
  });

  it('names bad variables without echoing their values', () => {
    expect(() => loadConfig({ PORT: 'abc', DATABASE_URL: 'postgres://secret@x/db', COMIUM_USERNAME: 'u' })).toThrow(
      /PORT, DATABASE_URL, COMIUM_PASSWORD/,
    );
    try {
      loadConfig({ DATABASE_URL: 'postgres://secret@x/db' });
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
  });

  it('moves port-derived URLs to the port actually bound', () => {
    const config = withListeningPort(loadConfig({ PORT: '0' }), 5123);
    expect(config.publicUrl).toBe('http://127.0.0.1:5123');
    expect(config.providers.esimtrade.baseUrl).toBe('http://127.0.0.1:5123/sandbox/esimtrade');
    expect(Object.isFrozen(config.providers)).toBe(true);
  });

  it('parses the outsider-facing limits, with their defaults', () => {
    const defaults = loadConfig({});
    expect(defaults.ws).toEqual({
      maxPayloadBytes: 1024 * 1024,
      maxInitBytes: 16 * 1024,
      maxUnauthenticatedPerIp: 16,
      subscriptionsPerKey: 200,
      socketsPerKey: 50,
    });
    expect(defaults.http).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      idleTimeoutMs: 30_000,
    });
    expect(defaults.graphiql).toBe(true);
    expect(loadConfig({ GRAPHIQL: 'false', SUBSCRIPTIONS_PER_KEY: '5' })).toMatchObject({
      graphiql: false,
      ws: { subscriptionsPerKey: 5 },
    });
    expect(() => loadConfig({ WS_MAX_PAYLOAD_BYTES: '10', SOCKETS_PER_KEY: '0' })).toThrow(
      /WS_MAX_PAYLOAD_BYTES, SOCKETS_PER_KEY/,
    );
  });

  it('reads a webhook secret per provider and the ones being rotated out, never shorter than 24 characters', () => {
    const secret = 'x'.repeat(24);
    const config = loadConfig({
      WEBHOOK_SECRET_COMIUM: secret,
      WEBHOOK_SECRET_COMIUM_PREVIOUS: `${secret}old`,
      WEBHOOK_SECRET_PREVIOUS: `${secret}master`,
    });
    expect(config.webhookSecrets.perProvider.comium).toEqual({ current: secret, previous: `${secret}old` });
    expect(config.webhookSecrets.perProvider.esimaccess).toEqual({ current: null, previous: null });
    expect(config.webhookSecrets.previousMaster).toBe(`${secret}master`);
    expect(() => loadConfig({ WEBHOOK_SECRET_ESIMTRADE: 'short-secret' })).toThrow(
      /WEBHOOK_SECRET_ESIMTRADE \(at least 24/,
    );
  });
});
