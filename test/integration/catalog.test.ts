import { compareDecimal } from '../../src/domain/money';
import { PROVIDERS, startTestApp, type TestApp } from '../helpers/test-app';

const PLAN_FIELDS =
  'id code name coverage provider { id } countries { code alpha3 } data { bytes unlimited } validityDays price { amount currency } pricePerGb { amount } wholesalePrice { amount currency }';
const PLANS = `query($filter: PlanFilter, $sort: PlanSort, $first: Int, $after: String) {
  plans(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor } nodes { ${PLAN_FIELDS} }
    unavailableProviders { provider { id } code message }
  }
}`;

async function allPages(t: TestApp, variables: Record<string, unknown>) {
  const seen: any[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const { body } = await t.gql(PLANS, { ...variables, first: 100, after });
    expect(body.errors).toBeUndefined();
    seen.push(...body.data.plans.nodes);
    if (!body.data.plans.pageInfo.hasNextPage) return { nodes: seen, totalCount: body.data.plans.totalCount };
    after = body.data.plans.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

describe('the merged catalog', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('returns plans of all five providers for France, and FRA gives the same result', async () => {
    const fr = await allPages(t, { filter: { country: 'FR' } });
    expect(new Set(fr.nodes.map((p) => p.provider.id))).toEqual(new Set(PROVIDERS));
    for (const plan of fr.nodes) expect(plan.countries.map((c: any) => c.code)).toContain('FR');
    const fra = await allPages(t, { filter: { country: 'fra' } });
    expect(fra.nodes.map((p) => p.id)).toEqual(fr.nodes.map((p) => p.id));
  });

  it('sorts PRICE_ASC ascending across providers, and pages never overlap or skip', async () => {
    const { nodes, totalCount } = await allPages(t, { filter: { region: 'Europe' }, sort: 'PRICE_ASC' });
    expect(nodes.length).toBe(totalCount);
    expect(new Set(nodes.map((p) => p.id)).size).toBe(nodes.length);
    for (let i = 1; i < nodes.length; i++)
      expect(compareDecimal(nodes[i - 1].price.amount, nodes[i].price.amount)).toBeLessThanOrEqual(0);
  });

  it('walks every page of the whole catalog exactly once with small pages', async () => {
    const first = await t.gql(PLANS, { first: 1 });
    const total = first.body.data.plans.totalCount;
    expect(total).toBeGreaterThanOrEqual(750);
    const ids = new Set<string>();
    let after: string | null = null;
    for (;;) {
      const { body }: { body: any } = await t.gql(PLANS, { first: 97, after, sort: 'DATA_DESC' });
      for (const p of body.data.plans.nodes) {
        expect(ids.has(p.id)).toBe(false);
        ids.add(p.id);
      }
      if (!body.data.plans.pageInfo.hasNextPage) break;
      after = body.data.plans.pageInfo.endCursor;
    }
    expect(ids.size).toBe(total);
  });

  it.each([
    ['PRICE_DESC', (a: any, b: any) => compareDecimal(a.price.amount, b.price.amount) >= 0],
    [
      'PRICE_PER_GB_ASC',
      (a: any, b: any) =>
        b.pricePerGb === null ||
        (a.pricePerGb !== null && compareDecimal(a.pricePerGb.amount, b.pricePerGb.amount) <= 0),
    ],
    ['DATA_DESC', (a: any, b: any) => a.data.unlimited || (!b.data.unlimited && a.data.bytes >= b.data.bytes)],
    ['VALIDITY_DESC', (a: any, b: any) => a.validityDays >= b.validityDays],
  ])('orders %s', async (sort, inOrder) => {
    const { nodes } = await allPages(t, { filter: { country: 'JP' }, sort });
    for (let i = 1; i < nodes.length; i++) expect(inOrder(nodes[i - 1], nodes[i])).toBe(true);
  });

  it('finds a listed plan by id, and answers null for an unknown one', async () => {
    const { body } = await t.gql(PLANS, { filter: { country: 'DE' }, first: 5 });
    const listed = body.data.plans.nodes[3];
    const found = await t.gql(
      `query($id: ID!) { plan(id: $id) { ${PLAN_FIELDS} networks { country { code } operator speed } } missing: plan(id: "esimaccess:NOPE") { id } }`,
      { id: listed.id },
    );
    expect(found.body.data.plan).toMatchObject({ id: listed.id, price: listed.price, name: listed.name });
    expect(found.body.data.plan.networks.length).toBeGreaterThan(0);
    expect(found.body.data.missing).toBeNull();
  });

  it('filters by data, validity, price, coverage and free text', async () => {
    const { nodes } = await allPages(t, {
      filter: { minDataGb: 10, minValidityDays: 30, maxPrice: '40.00', coverage: 'COUNTRY', search: 'japan' },
    });
    expect(nodes.length).toBeGreaterThan(0);
    for (const p of nodes) {
      expect(p.data.unlimited || p.data.bytes >= 10 * 1024 ** 3).toBe(true);
      expect(p.validityDays).toBeGreaterThanOrEqual(30);
      expect(compareDecimal(p.price.amount, '40')).toBeLessThanOrEqual(0);
      expect(p.coverage).toBe('COUNTRY');
      expect(p.countries.map((c: any) => c.code)).toContain('JP');
    }
  });

  it('prices for the caller: wholesale plus the account markup, rounded half-up to cents', async () => {
    const created = await t.gql(
      `mutation { createAccount(input: { name: "Shop", markupPercent: "12.5" }) { apiKey } }`,
    );
    const key = created.body.data.createAccount.apiKey;
    const { body } = await t.gql(PLANS, { filter: { country: 'IT' }, first: 20 }, key);
    for (const p of body.data.plans.nodes) {
      const expected = (Math.round(Number(p.wholesalePrice.amount) * 1.125 * 100 + 1e-9) / 100).toFixed(2);
      expect(p.price).toEqual({ amount: expected, currency: 'USD' });
    }
  });

  it('refuses bad input with BAD_USER_INPUT', async () => {
    for (const variables of [
      { filter: { country: 'XX' } },
      { first: 0 },
      { first: 101 },
      { after: 'not-a-cursor' },
      { filter: { maxPrice: 'ten' } },
      { filter: { providerIds: ['nope'] } },
    ]) {
      const { body } = await t.gql(PLANS, variables);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('serves a warm catalog without calling any provider', async () => {
    await t.gql(PLANS, { first: 5 });
    await Promise.all(PROVIDERS.map((p) => t.control(p, 'reset-stats')));
    await t.gql(PLANS, { filter: { country: 'ES' }, sort: 'PRICE_DESC', first: 50 });
    const stats = await Promise.all(PROVIDERS.map((p) => t.control(p, 'stats')));
    expect(stats.map((s) => s.total)).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('a provider outage', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CATALOG_TTL_MS: '300' });
  });
  afterAll(() => t.close());

  it('leaves the other four answering and names the provider that failed', async () => {
    await t.control('comium', 'fault', { mode: 'down' });
    const { body } = await t.gql(PLANS, { filter: { country: 'FR' }, first: 100 });
    expect(body.errors).toBeUndefined();
    expect(new Set(body.data.plans.nodes.map((p: any) => p.provider.id))).toEqual(
      new Set(PROVIDERS.filter((p) => p !== 'comium')),
    );
    expect(body.data.plans.unavailableProviders).toEqual([
      { provider: { id: 'comium' }, code: 'PROVIDER_UNAVAILABLE', message: expect.any(String) },
    ]);
    const health = await t.gql('{ provider(id: "comium") { health { status lastError } } }');
    expect(health.body.data.provider.health.status).not.toBe('UP');
  });

  it('serves the last good catalog once the provider has answered before', async () => {
    await t.control('esimtrade', 'fault', { mode: 'ok' });
    await t.gql(PLANS, { filter: { providerIds: ['esimtrade'] }, first: 1 });
    await new Promise((resolve) => setTimeout(resolve, 400)); // past the catalog TTL
    await t.control('esimtrade', 'fault', { mode: 'down' });
    const { body } = await t.gql(PLANS, { filter: { providerIds: ['esimtrade'] }, first: 1 });
    expect(body.data.plans.totalCount).toBeGreaterThan(150);
    expect(body.data.plans.unavailableProviders).toEqual([]);
  });
});
