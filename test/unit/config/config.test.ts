import { loadConfig, withListeningPort } from '../../../src/config';

describe('configuration', () => {
  it('runs every provider on the embedded simulators by default', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.embedSandbox).toBe(true);
    expect(config.providers.esimaccess).toMatchObject({ sandbox: true, baseUrl: 'http://127.0.0.1:4000/sandbox/esimaccess' });
    expect(config.providers.connectedyou.baseUrl).toBe('http://127.0.0.1:4000/sandbox/connectedyou/v1');
  });

  it('takes a provider live only with all its credentials, and points the rest at SANDBOX_URL', () => {
    const config = loadConfig({ ESIMACCESS_ACCESS_CODE: 'ac', ESIMACCESS_SECRET_KEY: 'sk', SANDBOX_URL: 'http://10.0.0.5:4100/' });
    expect(config.providers.esimaccess).toMatchObject({ sandbox: false, baseUrl: 'https://api.esimaccess.com', accessCode: 'ac' });
    expect(config.providers.comium.baseUrl).toBe('http://10.0.0.5:4100/sandbox/comium/api/v1');
    expect(config.embedSandbox).toBe(false);
  });

  it('names bad variables without echoing their values', () => {
    expect(() => loadConfig({ PORT: 'abc', DATABASE_URL: 'postgres://secret@x/db', COMIUM_USERNAME: 'u' })).toThrow(/PORT, DATABASE_URL, COMIUM_PASSWORD/);
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
});
