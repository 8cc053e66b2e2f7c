import { startTestApp, type TestApp } from '../helpers/test-app';

const KEY_A = 'bootstrap-key-A-0123456789abcdef';
const KEY_B = 'bootstrap-key-B-0123456789abcdef';
const VIEWER = '{ viewer { role } }';
const CREATE_ADMIN = 'mutation { createAccount(input: { name: "Second admin", role: ADMIN }) { apiKey } }';
const CREATE_RESELLER = 'mutation { createAccount(input: { name: "Travel Shop" }) { apiKey } }';

async function roleOf(t: TestApp, key: string): Promise<string | undefined> {
  const { body } = await t.gql(VIEWER, undefined, key);
  return body.data?.viewer?.role ?? body.errors?.[0]?.extensions?.code;
}

describe('rotating GATEWAY_BOOTSTRAP_ADMIN_KEY', () => {
  it('revokes the key the previous value created at the next start, and leaves keys from createAccount alone', async () => {
    const first = await startTestApp({ GATEWAY_BOOTSTRAP_ADMIN_KEY: KEY_A }, { keepData: true });
    let resellerKey: string;
    let issuedAdminKey: string;
    try {
      expect(await roleOf(first, KEY_A)).toBe('ADMIN');
      resellerKey = (await first.gql(CREATE_RESELLER, undefined, KEY_A)).body.data.createAccount.apiKey;
      issuedAdminKey = (await first.gql(CREATE_ADMIN, undefined, KEY_A)).body.data.createAccount.apiKey;
    } finally {
      await first.close();
    }

    const second = await startTestApp({ GATEWAY_BOOTSTRAP_ADMIN_KEY: KEY_B }, { data: first.data, keepData: true });
    try {
      const old = await second.gql(CREATE_ADMIN, undefined, KEY_A);
      expect(old.status).toBe(401);
      expect(old.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(old.body.data).toBeUndefined();
      expect(await roleOf(second, KEY_A)).toBe('UNAUTHENTICATED');
      expect(await roleOf(second, KEY_B)).toBe('ADMIN');
      expect((await second.gql(CREATE_ADMIN, undefined, KEY_B)).body.data.createAccount.apiKey).toEqual(
        expect.any(String),
      );
      expect(await roleOf(second, resellerKey)).toBe('RESELLER');
      expect(await roleOf(second, issuedAdminKey)).toBe('ADMIN');
    } finally {
      await second.close();
    }

    // A sandbox start without the variable generates a key and revokes the configured one too.
    const third = await startTestApp({ GATEWAY_BOOTSTRAP_ADMIN_KEY: '' }, { data: first.data });
    try {
      expect(third.app.generatedAdminKey).toMatch(/^esg_/);
      expect(await roleOf(third, third.app.generatedAdminKey!)).toBe('ADMIN');
      expect(await roleOf(third, KEY_B)).toBe('UNAUTHENTICATED');
      expect(await roleOf(third, resellerKey)).toBe('RESELLER');
    } finally {
      await third.close();
    }
  });

  it('keeps the key working across restarts while the variable does not change', async () => {
    const first = await startTestApp({ GATEWAY_BOOTSTRAP_ADMIN_KEY: KEY_A }, { keepData: true });
    await first.close();
    const second = await startTestApp({ GATEWAY_BOOTSTRAP_ADMIN_KEY: KEY_A }, { data: first.data });
    try {
      expect(await roleOf(second, KEY_A)).toBe('ADMIN');
    } finally {
      await second.close();
    }
  });
});
