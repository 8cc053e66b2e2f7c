import { randomUUID } from 'node:crypto';
import {
  TEST_CUSTOMER,
  cheapestPlan,
  createReseller,
  credit,
  errorCode,
  placeOrder,
  wallet,
  type Reseller,
} from '../helpers/ordering';
import { PROVIDERS, startTestApp, type TestApp } from '../helpers/test-app';

const QUOTE = `query($i: QuoteOrderInput!) { quoteOrder(input: $i) {
  plan { id price { amount currency } customerFields provider { id } }
  quantity unitPrice { amount currency } total { amount currency }
  available reason providerHealth { status circuitOpen lastError } stock
  balance { amount } balanceAfter { amount } sufficientFunds customerFields fallback
  routesTo { plan { id price { amount } } unitPrice { amount } total { amount } }
} }`;

const PLAN_FIELDS = 'id provider { id } countries { code } data { bytes unlimited } validityDays price { amount }';

interface Plan {
  id: string;
  provider: { id: string };
  countries: { code: string }[];
  data: { bytes: number | null; unlimited: boolean };
  validityDays: number;
  price: { amount: string };
}

/** Exact amounts in 1/10 000 units, so the test checks money without binary floats. */
function units(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = amount.replace('-', '').split('.');
  const value = BigInt(whole) * 10_000n + BigInt(fraction.padEnd(4, '0').slice(0, 4));
  return negative ? -value : value;
}

/** The equivalence rules restated independently of src/domain/equivalent-plan.ts, tolerance 0. */
function qualifies(chosen: Plan, c: Plan, healthy: (id: string) => boolean): boolean {
  const codes = new Set(c.countries.map((x) => x.code));
  const moreData = c.data.unlimited || (!chosen.data.unlimited && Number(c.data.bytes) >= Number(chosen.data.bytes));
  return (
    c.provider.id !== chosen.provider.id &&
    healthy(c.provider.id) &&
    chosen.countries.every((x) => codes.has(x.code)) &&
    moreData &&
    c.validityDays >= chosen.validityDays &&
    units(c.price.amount) <= units(chosen.price.amount)
  );
}

function expectedRoute(chosen: Plan, all: Plan[], healthy: (id: string) => boolean = () => true): Plan | null {
  const data = (p: Plan) => (p.data.unlimited ? Number.MAX_SAFE_INTEGER : Number(p.data.bytes));
  const sorted = all
    .filter((c) => qualifies(chosen, c, healthy))
    .sort(
      (a, b) =>
        Number(units(a.price.amount) - units(b.price.amount)) ||
        data(b) - data(a) ||
        b.validityDays - a.validityDays ||
        (a.id < b.id ? -1 : 1),
    );
  return sorted[0] ?? null;
}

async function allPlans(t: TestApp, key: string, country: string): Promise<Plan[]> {
  const plans: Plan[] = [];
  for (let after: string | null = null; ;) {
    const { body } = await t.gql(
      `query($a: String, $c: String) { plans(filter: { country: $c }, first: 100, after: $a) { nodes { ${PLAN_FIELDS} } pageInfo { hasNextPage endCursor } } }`,
      { a: after, c: country },
      key,
    );
    plans.push(...body.data.plans.nodes);
    if (!body.data.plans.pageInfo.hasNextPage) return plans;
    after = body.data.plans.pageInfo.endCursor;
  }
}

async function quote(t: TestApp, key: string, input: Record<string, unknown>): Promise<any> {
  return (await t.gql(QUOTE, { i: input }, key)).body;
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, expireMs: number): Promise<T> {
  for (const until = Date.now() + expireMs; ;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${expireMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('quoteOrder', () => {
  let t: TestApp;
  let r: Reseller;
  beforeAll(async () => {
    t = await startTestApp({
      UPSTREAM_MAX_ATTEMPTS: '1',
      UPSTREAM_BREAKER_THRESHOLD: '1',
      UPSTREAM_HALF_OPEN_MS: '600000',
      BALANCE_TTL_MS: '1',
    });
    r = await createReseller(t, '12.5');
    await credit(t, r.accountId, '100.00');
  });
  afterAll(() => t.close());

  it('quotes what placeOrder then charges, and the quote itself moves no money', async () => {
    const plan = await cheapestPlan(t, r.key, 'esimaccess');
    const before = await wallet(t, r.key);
    const body = await quote(t, r.key, { planId: plan.id, quantity: 2 });
    expect(body.errors).toBeUndefined();
    const q = body.data.quoteOrder;
    expect(q).toMatchObject({
      quantity: 2,
      available: true,
      reason: null,
      stock: null,
      fallback: 'NONE',
      routesTo: null,
    });
    expect(q.plan.id).toBe(plan.id);
    expect(q.unitPrice.amount).toBe(plan.price.amount);
    expect(q.plan.price.amount).toBe(q.unitPrice.amount);
    expect(units(q.total.amount)).toBe(2n * units(q.unitPrice.amount));
    expect(q.balance.amount).toBe(before.balance);
    expect(units(q.balanceAfter.amount)).toBe(units(before.balance) - units(q.total.amount));
    expect(q.sufficientFunds).toBe(true);

    const unchanged = await wallet(t, r.key);
    expect(unchanged.balance).toBe(before.balance);
    expect(unchanged.transactions).toHaveLength(before.transactions.length);

    const placed = await placeOrder(t, r.key, { planId: plan.id, quantity: 2 });
    expect(placed.body.errors).toBeUndefined();
    const after = await wallet(t, r.key);
    const charge = after.transactions.find((x) => x.orderId === placed.body.data.placeOrder.id && x.type === 'ORDER');
    expect(charge.amount.amount).toBe(`-${q.total.amount}`);
    expect(after.balance).toBe(q.balanceAfter.amount);
  });

  it('reports insufficient funds with a negative balance after', async () => {
    const poor = await createReseller(t, '0');
    const plan = await cheapestPlan(t, poor.key, 'esimaccess');
    const q = (await quote(t, poor.key, { planId: plan.id, quantity: 3 })).data.quoteOrder;
    expect(q.balance.amount).toBe('0.00');
    expect(units(q.balanceAfter.amount)).toBe(-3n * units(plan.price.amount));
    expect(q.sufficientFunds).toBe(false);
  });

  it('lists the customer fields of comium and esimplatform plans, as Plan.customerFields does', async () => {
    for (const provider of ['comium', 'esimplatform', 'esimaccess']) {
      const plan = await cheapestPlan(t, r.key, provider);
      const q = (await quote(t, r.key, { planId: plan.id })).data.quoteOrder;
      expect(q.customerFields).toEqual(q.plan.customerFields);
      if (provider === 'esimaccess') expect(q.customerFields).toEqual([]);
      else expect([...q.customerFields].sort()).toEqual(['EMAIL', 'NAME']);
    }
  });

  it('refuses bad input as placeOrder does', async () => {
    const plan = await cheapestPlan(t, r.key, 'esimaccess');
    expect(errorCode(await quote(t, r.key, { planId: 'nope' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await quote(t, r.key, { planId: plan.id, quantity: 0 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await quote(t, r.key, { planId: plan.id, quantity: 51 }))).toBe('BAD_USER_INPUT');
    const unknown = 'esimaccess:NO-SUCH-PLAN';
    const quoted = errorCode(await quote(t, r.key, { planId: unknown }));
    const ordered = errorCode(
      (
        await t.gql(
          'mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }',
          {
            i: { planId: unknown, idempotencyKey: randomUUID(), customer: TEST_CUSTOMER },
          },
          r.key,
        )
      ).body,
    );
    expect(quoted).toBe('PLAN_UNAVAILABLE');
    expect(quoted).toBe(ordered);
    expect(errorCode((await t.gql(QUOTE, { i: { planId: plan.id } }, null)).body)).toBe('UNAUTHENTICATED');
  });

  it('routes EQUIVALENT to the best plan at another provider, or to none; no upstream call on a warm catalog', async () => {
    const plans = await allPlans(t, r.key, 'FR');
    // The cheapest FR plan that some other provider can replace, and one that none can.
    const byPrice = [...plans].sort((a, b) => Number(units(a.price.amount) - units(b.price.amount)));
    const routed = [...byPrice].reverse().find((p) => expectedRoute(p, plans) !== null)!;
    const lonely = byPrice.find((p) => expectedRoute(p, plans) === null)!;
    expect(routed).toBeDefined();
    expect(lonely).toBeDefined();

    await Promise.all(PROVIDERS.map((p) => t.control(p, 'reset-stats')));
    const q = (await quote(t, r.key, { planId: routed.id, fallback: 'EQUIVALENT' })).data.quoteOrder;
    const expected = expectedRoute(routed, plans)!;
    expect(q.available).toBe(true);
    expect(q.routesTo.plan.id).toBe(expected.id);
    expect(q.routesTo.unitPrice.amount).toBe(expected.price.amount);
    expect(q.routesTo.plan.price.amount).toBe(expected.price.amount);
    const lonelyQuote = (await quote(t, r.key, { planId: lonely.id, fallback: 'EQUIVALENT' })).data.quoteOrder;
    expect(lonelyQuote).toMatchObject({ fallback: 'EQUIVALENT', routesTo: null });
    const stats = await Promise.all(PROVIDERS.map((p) => t.control(p, 'stats')));
    expect(stats.map((s) => s.total)).toEqual([0, 0, 0, 0, 0]);
  });

  it('answers available false with PROVIDER_UNAVAILABLE while the circuit is open, and never routes there', async () => {
    const plans = await allPlans(t, r.key, 'FR');
    const down = 'esimtrade';
    await t.control(down, 'fault', { mode: 'down' });
    await waitFor(
      () => t.gql(`{ provider(id: "${down}") { balance { amount } health { circuitOpen } } }`),
      (res) => res.body.data?.provider?.health?.circuitOpen === true,
      10_000,
    );
    const chosen = plans.find((p) => p.provider.id === down)!;
    const q = (await quote(t, r.key, { planId: chosen.id, fallback: 'EQUIVALENT' })).data.quoteOrder;
    expect(q).toMatchObject({ available: false, reason: 'PROVIDER_UNAVAILABLE' });
    expect(q.providerHealth).toMatchObject({ status: 'DOWN', circuitOpen: true });
    const expected = expectedRoute(chosen, plans);
    expect(q.routesTo?.plan.id ?? null).toBe(expected?.id ?? null);

    // A plan another provider would have replaced by an esimtrade one now routes elsewhere or nowhere.
    const viaDown = plans.find((p) => expectedRoute(p, plans)?.provider.id === down);
    if (viaDown) {
      const elsewhere = (await quote(t, r.key, { planId: viaDown.id, fallback: 'EQUIVALENT' })).data.quoteOrder;
      expect(elsewhere.available).toBe(true);
      expect(elsewhere.routesTo?.plan.id ?? null).toBe(expectedRoute(viaDown, plans, (id) => id !== down)?.id ?? null);
    }
    await t.control(down, 'fault', { mode: 'ok' });
  });
});

describe('quoteOrder on a cold catalog', () => {
  /**
   * Upstream requests per provider while `run` runs, on a fresh app (catalogs cold). The webhook
   * registration the app makes at start, in the background, is not counted: it may land late on a
   * slow machine and is no read of the quote's.
   */
  async function coldRequests(run: (t: TestApp, key: string) => Promise<void>): Promise<Record<string, number>[]> {
    const t = await startTestApp();
    try {
      const r = await createReseller(t, '0');
      await Promise.all(PROVIDERS.map((p) => t.control(p, 'reset-stats')));
      await run(t, r.key);
      return (await Promise.all(PROVIDERS.map((p) => t.control(p, 'stats')))).map((s) =>
        Object.fromEntries(
          Object.entries(s.requests as Record<string, number>).filter(([call]) => !/webhook/i.test(call)),
        ),
      );
    } finally {
      await t.close();
    }
  }

  it('reads the catalog of each provider at most once (one listing, however many pages it has)', async () => {
    // One listing per provider, as the plain catalog query reads it: the pages of its list endpoint.
    const listing = await coldRequests(async (t, key) => {
      await t.gql('{ plans(first: 1) { totalCount } }', {}, key);
    });
    const quoted = await coldRequests(async (t, key) => {
      const body = await quote(t, key, { planId: 'comium:NO-SUCH-PLAN', fallback: 'EQUIVALENT' });
      expect(errorCode(body)).toBe('PLAN_UNAVAILABLE');
    });
    // Only the unknown plan's provider is read: its plan is not there, so nothing else is needed.
    expect(quoted[PROVIDERS.indexOf('comium')]).toEqual(listing[PROVIDERS.indexOf('comium')]);
    for (const [i, p] of PROVIDERS.entries()) if (p !== 'comium') expect(quoted[i]).toEqual({});
    const routed = await coldRequests(async (t, key) => {
      const plan = await cheapestPlan(t, key, 'comium');
      await Promise.all(PROVIDERS.map((p) => t.control(p, 'reset-stats')));
      const q = (await quote(t, key, { planId: plan.id, fallback: 'EQUIVALENT' })).data.quoteOrder;
      expect(q.plan.id).toBe(plan.id);
    });
    // comium was warmed by the catalog query; the others are each listed once, like the catalog does.
    for (const [i, p] of PROVIDERS.entries()) expect(routed[i]).toEqual(p === 'comium' ? {} : listing[i]);
  });
});
