import { randomBytes } from 'node:crypto';
import { cheapestPlan, createReseller, credit, placeOrder, waitForOrder, type Reseller } from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

const TOKEN = `whsec-${randomBytes(18).toString('base64url')}`;

/**
 * From outside, over HTTP only: what a provider's delivery says is bounded before it is believed.
 * eSIM Access authenticates by the URL's token alone, so anyone holding it can send any body: the
 * gateway must neither crash on one (400, nothing stored) nor let one dated in the future outrank
 * every later genuine event.
 */
describe('webhook input from outside', () => {
  let t: TestApp;
  let r: Reseller;
  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_SECRET_ESIMACCESS: TOKEN });
    r = await createReseller(t);
    await credit(t, r.accountId, '100');
  });
  afterAll(() => t.close());

  const post = async (body: string, token = TOKEN) => {
    const res = await fetch(`${t.url}/webhooks/esimaccess?token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };
  const status = (notifyId: string, iccid: string, esimStatus: string, at: string) =>
    JSON.stringify({
      notifyType: 'ESIM_STATUS',
      notifyId,
      eventGenerateTime: at,
      content: { iccid, esimStatus, smdpStatus: 'ENABLED' },
    });
  const profileStatus = async (iccid: string) =>
    (await t.gql('query($i: String!) { profile(iccid: $i) { status } }', { i: iccid }, r.key)).body.data?.profile
      ?.status;
  async function until(check: () => Promise<boolean>, what: string, ms = 8000): Promise<void> {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((res) => setTimeout(res, 50)))
      if (await check()) return;
    throw new Error(`timed out waiting for ${what}`);
  }

  it('answers 400 to a deeply nested body with a valid token and stores nothing', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const bodies = [
      deep,
      '{"a":'.repeat(40_000) + '1' + '}'.repeat(40_000),
      `{"notifyType":"DATA_USAGE","content":{"iccid":"8900000000000000001","deep":${deep}}}`,
      JSON.stringify({
        notifyType: 'DATA_USAGE',
        notifyId: 'deep-1',
        content: { iccid: '8900000000000000001', a: JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40)) },
      }),
    ];
    for (const body of bodies) {
      const res = await post(body);
      expect(res).toEqual({ status: 400, body: { ok: false, error: 'unreadable body' } });
    }
    // Had the refused one been stored, this would be its duplicate.
    const shallow = JSON.stringify({
      notifyType: 'DATA_USAGE',
      notifyId: 'deep-1',
      content: { iccid: '8900000000000000001', a: { b: 1 } },
    });
    expect(await post(shallow)).toEqual({ status: 200, body: { ok: true, accepted: 1, duplicates: 0 } });
  });

  it('answers 400 to an unparseable body and 413 to an oversized one, never 500', async () => {
    for (const body of [
      '{"notifyType":',
      'not json',
      '"\\u',
      '',
      '[]',
      '{"notifyType":"ESIM_STATUS","content":{"iccid":"' + 'x'.repeat(20_000) + '"}}',
    ]) {
      expect([body.slice(0, 20), (await post(body)).status]).toEqual([body.slice(0, 20), 400]);
    }
    expect((await post(`{"pad":"${'x'.repeat(300 * 1024)}"}`)).status).toBe(413);
    expect((await post('['.repeat(100_000), 'not-the-token')).status).toBe(401);
  });

  it('does not let an event dated 2999 freeze a profile: a later genuine event still applies', async () => {
    const plan = await cheapestPlan(t, r.key, 'esimaccess');
    const { body } = await placeOrder(t, r.key, { planId: plan.id });
    const order = await waitForOrder(t, r.key, body.data.placeOrder.id);
    expect(order.status).toBe('COMPLETED');
    const iccid: string = order.profiles[0].iccid;
    const future = await post(status(`future-${iccid}`, iccid, 'SUSPENDED', '2999-01-01T00:00:00Z'));
    expect(future.body).toMatchObject({ ok: true, accepted: 1 });
    await until(async () => (await profileStatus(iccid)) === 'SUSPENDED', 'the future-dated state');
    await new Promise((res) => setTimeout(res, 20));
    const genuine = await post(status(`genuine-${iccid}`, iccid, 'IN_USE', new Date().toISOString()));
    expect(genuine.body).toMatchObject({ ok: true, accepted: 1 });
    await until(async () => (await profileStatus(iccid)) === 'ACTIVE', 'the later genuine state');
  });
});
