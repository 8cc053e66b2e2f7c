import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { SANDBOX_CREDENTIALS } from '../../src/domain/sandbox-credentials';
import { esimAccessSignature } from '../../src/sandbox/esimaccess/auth';
import { createEsimPlatformSimulator } from '../../src/sandbox/esimplatform';
import { deriveWebhookSecret, WebhookCredentials } from '../../src/services/realtime/webhook-credentials';
import { startSimulator, type RunningSimulator } from '../helpers/simulator-server';
import { startTestApp, type TestApp } from '../helpers/test-app';

const PROVIDERS = ['esimaccess', 'connectedyou', 'esimplatform', 'esimtrade'] as const;
type Provider = (typeof PROVIDERS)[number];
const secret = () => `whsec-${randomBytes(18).toString('base64url')}`;

/** One delivery authenticated the way `providerId` authenticates, with `credential`; answers the status. */
async function deliver(t: TestApp, providerId: Provider, credential: string, body = '{}'): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (providerId === 'connectedyou') headers['x-gateway-token'] = credential;
  if (providerId === 'esimplatform')
    headers['x-webhook-signature'] = `sha256=${createHmac('sha256', credential).update(body).digest('hex')}`;
  if (providerId === 'esimtrade') {
    const ts = Math.floor(Date.now() / 1000);
    headers['x-esimtrade-signature'] =
      `t=${ts},v1=${createHmac('sha256', credential).update(`${ts}.${body}`).digest('hex')}`;
  }
  const res = await fetch(`${t.url}/webhooks/${providerId}?token=${encodeURIComponent(credential)}`, {
    method: 'POST',
    headers,
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

/** Authenticated: the body `{}` is then unreadable (400) or harmless (200), never 401. */
const authenticated = (status: number) => status !== 401 && status < 500;

async function until<T>(find: () => Promise<T | undefined>, what: string, ms = 10_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const found = await find();
    if (found !== undefined) return found;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Every answer a webhook-config GET of the simulators gives, as text, once each provider holds our registration. */
async function sandboxWebhookAnswers(t: TestApp, livePlatform: RunningSimulator): Promise<Record<string, string>> {
  const text = async (url: string, init?: RequestInit) => {
    const res = await fetch(url, init);
    return res.ok ? res.text() : undefined;
  };
  const portal = await until(
    () => text(`${t.url}/sandbox/connectedyou/_portal/webhook`),
    'the connectedyou portal registration',
  );
  const trade = SANDBOX_CREDENTIALS.esimtrade;
  const esimtrade = await until(async () => {
    const body = await text(`${t.url}/sandbox/esimtrade/reseller/webhook`, {
      headers: { 'X-Access-Code': trade.accessCode, 'X-Secret-Key': trade.secretKey },
    });
    return body && JSON.parse(body).data.url ? body : undefined;
  }, 'the esimtrade registration');
  const access = SANDBOX_CREDENTIALS.esimaccess;
  const esimaccess = await until(async () => {
    const timestamp = String(Date.now());
    const requestId = randomUUID().replace(/-/g, '');
    const body = await text(`${t.url}/sandbox/esimaccess/api/v1/open/webhook/query`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'RT-AccessCode': access.accessCode,
        'RT-RequestID': requestId,
        'RT-Timestamp': timestamp,
        'RT-Signature': esimAccessSignature(access.secretKey, timestamp, requestId, access.accessCode, '{}'),
      },
      body: '{}',
    });
    return body && JSON.parse(body).obj?.webhook ? body : undefined;
  }, 'the esimaccess registration');
  const platform = async (root: string) => {
    const login = await fetch(`${root}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(SANDBOX_CREDENTIALS.esimplatform),
    });
    const { access_token: token } = (await login.json()) as { access_token: string };
    return until(async () => {
      const body = await text(`${root}/api/v1/webhooks`, { headers: { authorization: `Bearer ${token}` } });
      return body && JSON.parse(body).data.length > 0 ? body : undefined;
    }, 'the esimplatform subscription');
  };
  return { portal, esimtrade, esimaccess, esimplatform: await platform(livePlatform.root) };
}

/**
 * From outside, over HTTP only: every provider has its own webhook credential, no simulator
 * shows one, and a credential authenticates its own provider only. The eSIM platform runs
 * "live" (real credentials set, its API a separate simulator) while the others are sandboxed.
 */
describe('webhook credentials are per provider, never shown, and rotate', () => {
  const master = secret();
  const previousMaster = secret();
  const tradeCurrent = secret();
  const tradePrevious = secret();
  let live: RunningSimulator;
  let t: TestApp;
  const current = (id: Provider) => (id === 'esimtrade' ? tradeCurrent : deriveWebhookSecret(master, id));

  beforeAll(async () => {
    live = await startSimulator(createEsimPlatformSimulator({ orderDelayMs: 0, webhookChaos: 0 }));
    t = await startTestApp({
      WEBHOOK_SECRET: master,
      WEBHOOK_SECRET_PREVIOUS: previousMaster,
      WEBHOOK_SECRET_ESIMTRADE: tradeCurrent,
      WEBHOOK_SECRET_ESIMTRADE_PREVIOUS: tradePrevious,
      ESIMPLATFORM_EMAIL: SANDBOX_CREDENTIALS.esimplatform.email,
      ESIMPLATFORM_PASSWORD: SANDBOX_CREDENTIALS.esimplatform.password,
      ESIMPLATFORM_BASE_URL: `${live.root}/api/v1`,
    });
  });
  afterAll(async () => {
    await t.close();
    await live.close();
  });

  it('shows no webhook credential in any simulator answer, only masks', async () => {
    const answers = await sandboxWebhookAnswers(t, live);
    const secrets = [
      master,
      previousMaster,
      tradeCurrent,
      tradePrevious,
      ...PROVIDERS.flatMap((id) => [deriveWebhookSecret(master, id), deriveWebhookSecret(previousMaster, id)]),
    ];
    for (const [where, text] of Object.entries(answers)) {
      const found = secrets.filter((s) => text.includes(s) || text.includes(encodeURIComponent(s)));
      expect({ where, found }).toEqual({ where, found: [] });
      expect([where, text]).toEqual([where, expect.stringContaining('••••')]);
    }
  });

  it('refuses a delivery carrying the masked credential a simulator shows', async () => {
    const portal = (await (await fetch(`${t.url}/sandbox/connectedyou/_portal/webhook`)).json()) as {
      url: string;
      header_value: string;
    };
    const masked = new URL(portal.url).searchParams.get('token')!;
    expect(masked).toMatch(/^••••/);
    expect(portal.header_value).toBe(masked);
    // The mask is not a byte string, so it can travel in the URL only (which ConnectedYou also checks).
    for (const providerId of ['connectedyou', 'esimaccess']) {
      const res = await fetch(`${t.url}/webhooks/${providerId}?token=${encodeURIComponent(masked)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect([providerId, res.status]).toEqual([providerId, 401]);
    }
    expect(await deliver(t, 'esimplatform', masked.replace(/•/g, '*'))).toBe(401);
  });

  it('authenticates each provider with its own credential and refuses every other provider’s', async () => {
    for (const owner of PROVIDERS) {
      expect([owner, authenticated(await deliver(t, owner, current(owner)))]).toEqual([owner, true]);
      for (const other of PROVIDERS.filter((p) => p !== owner)) {
        expect([owner, other, await deliver(t, owner, current(other))]).toEqual([owner, other, 401]);
      }
    }
  });

  it('never lets a sandboxed provider’s credential (current or previous) authenticate the live one', async () => {
    const sandboxed = PROVIDERS.filter((p) => p !== 'esimplatform');
    const theirs = [
      ...sandboxed.map(current),
      ...sandboxed.map((id) => deriveWebhookSecret(previousMaster, id)),
      tradePrevious,
      master,
      previousMaster,
    ];
    for (const credential of theirs) expect(await deliver(t, 'esimplatform', credential)).toBe(401);
    expect(authenticated(await deliver(t, 'esimplatform', current('esimplatform')))).toBe(true);
  });

  it('accepts both the previous and the current credential during a rotation', async () => {
    for (const id of PROVIDERS) {
      const previous = id === 'esimtrade' ? tradePrevious : deriveWebhookSecret(previousMaster, id);
      expect([
        id,
        authenticated(await deliver(t, id, previous)),
        authenticated(await deliver(t, id, current(id))),
      ]).toEqual([id, true, true]);
    }
  });

  it('accepts only the current credential once the previous ones are dropped', async () => {
    const after = await startTestApp({ WEBHOOK_SECRET: master, WEBHOOK_SECRET_ESIMTRADE: tradeCurrent });
    try {
      for (const id of ['esimaccess', 'connectedyou', 'esimtrade'] as const) {
        const previous = id === 'esimtrade' ? tradePrevious : deriveWebhookSecret(previousMaster, id);
        expect([id, await deliver(after, id, previous), authenticated(await deliver(after, id, current(id)))]).toEqual([
          id,
          401,
          true,
        ]);
      }
    } finally {
      await after.close();
    }
  });
});

describe('webhook credential configuration', () => {
  const credentials = (env: Record<string, string>) =>
    new WebhookCredentials(loadConfig(env).webhookSecrets, async () => 'generated-master-0123456789abcdef');

  it('refuses to start when two providers are configured with one credential, naming the variables only', () => {
    const shared = secret();
    expect(() =>
      credentials({ WEBHOOK_SECRET_ESIMACCESS: shared, WEBHOOK_SECRET_ESIMPLATFORM_PREVIOUS: shared }),
    ).toThrow(/WEBHOOK_SECRET_ESIMACCESS = WEBHOOK_SECRET_ESIMPLATFORM_PREVIOUS/);
    expect(() => credentials({ WEBHOOK_SECRET_ESIMACCESS: shared, WEBHOOK_SECRET_ESIMPLATFORM: shared })).not.toThrow(
      new RegExp(shared),
    );
  });

  it('derives every provider’s credential from the generated master when none is configured, each different', async () => {
    const book = credentials({});
    const all = await Promise.all(PROVIDERS.map((id) => book.current(id)));
    expect(new Set(all).size).toBe(PROVIDERS.length);
    expect(all[0]).toBe(deriveWebhookSecret('generated-master-0123456789abcdef', 'esimaccess'));
    expect(await book.accepted('esimaccess')).toEqual([all[0]]);
  });
});
