import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { SANDBOX_CREDENTIALS } from '../../src/domain/sandbox-credentials';
import { deriveWebhookSecret } from '../../src/services/realtime/webhook-credentials';
import { cheapestPlan, createReseller, credit, placeOrder, waitForOrder } from '../helpers/ordering';
import { ADMIN_KEY, PROVIDERS, startTestApp, type TestApp } from '../helpers/test-app';

/**
 * A full run, logged at the most verbose level: orders and a top-up on every provider, usage,
 * webhooks, a provider down and one flaky, wrong keys and bad input. Afterwards no configured
 * secret (provider credentials, API keys, the webhook secret, the database password) appears in
 * any log line or any response but the one that hands a new key to its owner.
 */
describe('secrets never leak into logs or responses', () => {
  const lines: string[] = [];
  const responses: string[] = [];
  const webhookSecret = `whsec-${randomBytes(16).toString('hex')}`;
  let t: TestApp;

  beforeAll(async () => {
    const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    // Short cache lives, so the provider faults below are met by real upstream calls (and their log lines).
    t = await startTestApp(
      { RECONCILE_INTERVAL_MS: '20', WEBHOOK_SECRET: webhookSecret, CATALOG_TTL_MS: '1', BALANCE_TTL_MS: '0' },
      { logger },
    );
  });
  afterAll(() => t.close());

  /** t.gql, with every answer kept for the grep. */
  async function gql(query: string, variables?: Record<string, unknown>, key: string | null = ADMIN_KEY) {
    const res = await t.gql(query, variables, key);
    responses.push(JSON.stringify(res.body));
    return res;
  }

  it('holds after a run that touches every provider, error path and endpoint', async () => {
    const reseller = await createReseller(t); // its answer carries the new key, to its owner: not kept
    await credit(t, reseller.accountId, '500');
    for (const providerId of PROVIDERS) {
      const plan = await cheapestPlan(t, reseller.key, providerId);
      const { body } = await placeOrder(t, reseller.key, { planId: plan.id });
      responses.push(JSON.stringify(body));
      const order = await waitForOrder(t, reseller.key, body.data.placeOrder.id);
      const iccid = order.profiles[0].iccid;
      await t.control(providerId, 'usage', { iccid, usedBytes: 1024 });
      await gql(
        'mutation($i: String!) { refreshUsage(iccid: $i) { usage { usedBytes } } }',
        { i: iccid },
        reseller.key,
      );
      const options =
        (await gql('query($i: String!) { topUpOptions(iccid: $i) { id } }', { i: iccid }, reseller.key)).body.data
          ?.topUpOptions ?? [];
      if (options.length)
        await gql(
          'mutation($i: TopUpInput!) { topUpProfile(input: $i) { id status } }',
          { i: { iccid, planId: options[0].id, idempotencyKey: randomUUID() } },
          reseller.key,
        );
    }
    await gql('{ providers { id balance { amount } health { status lastError } } }');
    await t.control('esimtrade', 'fault', { mode: 'down' });
    await t.control('comium', 'fault', { mode: 'flaky', errorRate: 0.5 });
    await gql(
      '{ plans(first: 50, filter: { country: "FR" }) { nodes { id } } providers { id health { status lastError } } }',
      undefined,
      reseller.key,
    );
    await gql('{ providers { id balance { amount } health { status lastError } } }');
    await t.control('esimtrade', 'fault', { mode: 'ok' });
    await t.control('comium', 'fault', { mode: 'ok' });
    await gql('{ viewer { id } }', undefined, `${ADMIN_KEY}x`);
    await gql('{ viewer { id } }', undefined, null);
    await gql(
      'mutation { placeOrder(input: { planId: "nope", idempotencyKey: "k" }) { id } }',
      undefined,
      reseller.key,
    );
    for (const path of ['/readyz?probe=1', '/metrics', '/healthz'])
      responses.push(await (await fetch(`${t.url}${path}`)).text());
    await new Promise((resolve) => setTimeout(resolve, 300)); // webhooks and the reconciler log their last lines

    const credentials = Object.values(SANDBOX_CREDENTIALS).flatMap((c) =>
      Object.entries(c)
        .filter(([name]) => /secret|password|accessCode/i.test(name))
        .map(([, value]) => value),
    );
    const dbPassword = process.env.DATABASE_URL ? decodeURIComponent(new URL(process.env.DATABASE_URL).password) : '';
    const perProvider = PROVIDERS.map((id) => deriveWebhookSecret(webhookSecret, id)); // what each provider is registered with
    const secrets = [...credentials, ADMIN_KEY, reseller.key, webhookSecret, ...perProvider, dbPassword].filter(
      (s) => s.length >= 8,
    );
    expect(secrets.length).toBeGreaterThanOrEqual(14);
    expect(lines.length).toBeGreaterThan(5); // the run really was logged (failures, warnings, start-up)
    if (process.env.SHOW_LOG) console.log(lines.join(''));
    const haystacks = { logs: lines.join('\n'), responses: responses.join('\n') };
    for (const [where, text] of Object.entries(haystacks)) {
      const found = secrets.filter((secret) => text.includes(secret) || text.includes(encodeURIComponent(secret)));
      expect({ where, found }).toEqual({ where, found: [] });
    }
  });
});
