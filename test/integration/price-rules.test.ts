import {
  createReseller,
  credit,
  errorCode,
  placeOrder,
  waitForOrder,
  wallet,
  type Reseller,
} from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

interface Node {
  id: string;
  provider: { id: string };
  countries: { code: string }[];
  price: { amount: string };
  wholesalePrice: { amount: string };
}

const PLAN_FIELDS = 'id provider { id } countries { code } price { amount } wholesalePrice { amount }';
const RULE_FIELDS = 'id accountId providerId country planId markupPercent fixedPrice { amount currency } createdAt';

/** Exact: wholesale × (1 + pct/100) rounded half-up to cents, in integers (independent of src/domain/money). */
function marked(wholesale: string, pct: number): string {
  const [whole, frac = ''] = wholesale.split('.');
  const units = BigInt(whole + frac.padEnd(4, '0').slice(0, 4)); // 1/10 000
  const cents = (units * BigInt(100 + pct) * 2n + 10_000n) / 20_000n;
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

const cents = (amount: string) => Math.round(Number(amount) * 100);

describe('price rules', () => {
  let t: TestApp;
  let r: Reseller;
  let other: Reseller;
  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '20' });
    r = await createReseller(t, '10');
    other = await createReseller(t, '10');
    await credit(t, r.accountId, '500.00');
  });
  afterAll(() => t.close());

  const plans = async (key: string, filter: Record<string, unknown>, sort = 'PRICE_ASC'): Promise<Node[]> => {
    const { body } = await t.gql(
      `query($f: PlanFilter, $s: PlanSort) { plans(filter: $f, sort: $s, first: 100) { nodes { ${PLAN_FIELDS} } } }`,
      { f: filter, s: sort },
      key,
    );
    expect(body.errors).toBeUndefined();
    return body.data.plans.nodes;
  };
  const setRule = (input: Record<string, unknown>, key?: string) =>
    t.gql(`mutation($i: SetPriceRuleInput!) { setPriceRule(input: $i) { ${RULE_FIELDS} } }`, { i: input }, key);
  const deleteRule = (id: string) => t.gql(`mutation($id: ID!) { deletePriceRule(id: $id) { id } }`, { id });
  const priceOf = async (key: string, id: string): Promise<string> => {
    const { body } = await t.gql('query($id: ID!) { plan(id: $id) { price { amount } } }', { id }, key);
    return body.data.plan.price.amount;
  };

  it('prices, sorts, filters and charges by the most specific rule: plan, then country, then the markup', async () => {
    const fr = await plans(r.key, { country: 'FR' });
    const singles = fr.filter((p) => p.countries.length === 1);
    const regional = fr.find((p) => p.countries.length > 1);
    expect(singles.length).toBeGreaterThanOrEqual(3);
    const [fixedPlan, orderedPlan] = singles;

    const country = await setRule({ accountId: r.accountId, country: 'FRA', markupPercent: '50' });
    expect(country.body.errors).toBeUndefined();
    expect(country.body.data.setPriceRule).toMatchObject({ country: 'FR', providerId: null, markupPercent: '50' });
    const plan = await setRule({ accountId: r.accountId, planId: fixedPlan.id, fixedPrice: '123.45' });
    expect(plan.body.data.setPriceRule).toMatchObject({
      planId: fixedPlan.id,
      providerId: fixedPlan.provider.id,
      fixedPrice: { amount: '123.45', currency: 'USD' },
    });

    const ruled = await plans(r.key, { country: 'FR' });
    for (const p of ruled) {
      const expected =
        p.id === fixedPlan.id
          ? '123.45'
          : p.countries.length === 1
            ? marked(p.wholesalePrice.amount, 50)
            : marked(p.wholesalePrice.amount, 10);
      expect([p.id, p.price.amount]).toEqual([p.id, expected]);
    }
    if (regional) expect(ruled.find((p) => p.id === regional.id)?.price.amount).toBe(regional.price.amount);
    // Sorting and paging run on the ruled price.
    const asc = ruled.map((p) => cents(p.price.amount));
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    const desc = (await plans(r.key, { country: 'FR' }, 'PRICE_DESC')).map((p) => cents(p.price.amount));
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    expect(desc[0]).toBe(12_345);
    // maxPrice filters on it too: the fixed plan is in at 123.45 and out a cent below.
    expect((await plans(r.key, { country: 'FR', maxPrice: '123.45' })).map((p) => p.id)).toContain(fixedPlan.id);
    expect((await plans(r.key, { country: 'FR', maxPrice: '123.44' })).map((p) => p.id)).not.toContain(fixedPlan.id);
    const ordered = marked(orderedPlan.wholesalePrice.amount, 50);
    expect(await priceOf(r.key, orderedPlan.id)).toBe(ordered);

    // placeOrder charges the same prices, as the wallet ledger shows.
    for (const [id, price] of [
      [orderedPlan.id, ordered],
      [fixedPlan.id, '123.45'],
    ]) {
      const { body } = await placeOrder(t, r.key, { planId: id });
      expect(body.errors).toBeUndefined();
      expect(body.data.placeOrder.total.amount).toBe(price);
      expect(body.data.placeOrder.orderedPlan.unitPrice.amount).toBe(price);
      await waitForOrder(t, r.key, body.data.placeOrder.id);
      const { transactions } = await wallet(t, r.key);
      expect(transactions.find((x) => x.orderId === body.data.placeOrder.id)).toMatchObject({
        type: 'ORDER',
        amount: { amount: `-${price}` },
      });
    }

    // Another reseller keeps its markup.
    for (const p of await plans(other.key, { country: 'FR' }))
      expect([p.id, p.price.amount]).toEqual([p.id, marked(p.wholesalePrice.amount, 10)]);

    // Deleting the plan rule hands the plan back to the country rule, then the markup.
    expect((await deleteRule(plan.body.data.setPriceRule.id)).body.errors).toBeUndefined();
    expect(await priceOf(r.key, fixedPlan.id)).toBe(marked(fixedPlan.wholesalePrice.amount, 50));
    expect((await deleteRule(country.body.data.setPriceRule.id)).body.errors).toBeUndefined();
    expect(await priceOf(r.key, fixedPlan.id)).toBe(marked(fixedPlan.wholesalePrice.amount, 10));
    expect(errorCode((await deleteRule(country.body.data.setPriceRule.id)).body)).toBe('NOT_FOUND');
  });

  it('applies a provider rule to that provider only, and replaces a rule of the same scope', async () => {
    // Its own reseller: a failure above must not leave rules that change the prices here.
    const r = await createReseller(t, '10');
    const first = await setRule({ accountId: r.accountId, providerId: 'esimtrade', markupPercent: '20' });
    const again = await setRule({ accountId: r.accountId, providerId: 'esimtrade', markupPercent: '25' });
    expect(again.body.data.setPriceRule.id).toBe(first.body.data.setPriceRule.id);
    const { body } = await t.gql(`query($id: ID!) { account(id: $id) { priceRules { ${RULE_FIELDS} } } }`, {
      id: r.accountId,
    });
    expect(body.data.account.priceRules).toEqual([
      expect.objectContaining({ providerId: 'esimtrade', markupPercent: '25', fixedPrice: null }),
    ]);
    const mine = await plans(r.key, { providerIds: ['esimtrade', 'esimaccess'] });
    expect(mine.length).toBeGreaterThan(0);
    for (const p of mine)
      expect([p.id, p.price.amount]).toEqual([
        p.id,
        marked(p.wholesalePrice.amount, p.provider.id === 'esimtrade' ? 25 : 10),
      ]);
    await deleteRule(first.body.data.setPriceRule.id);
    const [back] = await plans(r.key, { providerIds: ['esimtrade'] });
    expect(back.price.amount).toBe(marked(back.wholesalePrice.amount, 10));
  });

  it('refuses a price below wholesale unless allowLoss', async () => {
    const r = await createReseller(t, '10');
    const [cheap] = await plans(r.key, { country: 'DE' });
    const below = (Number(cheap.wholesalePrice.amount) >= 0.02 ? '0.01' : '0.00') as string;
    const refused = await setRule({ accountId: r.accountId, planId: cheap.id, fixedPrice: below });
    expect(errorCode(refused.body)).toBe('BAD_USER_INPUT');
    expect(refused.body.errors[0].extensions.field).toBe('fixedPrice');
    const negative = await setRule({ accountId: r.accountId, country: 'DE', markupPercent: '-5' });
    expect(negative.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'markupPercent' });
    const wide = await setRule({ accountId: r.accountId, country: 'DE', fixedPrice: below });
    expect(wide.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fixedPrice' });

    const allowed = await setRule({ accountId: r.accountId, planId: cheap.id, fixedPrice: below, allowLoss: true });
    expect(allowed.body.errors).toBeUndefined();
    expect(await priceOf(r.key, cheap.id)).toBe(below);
    await deleteRule(allowed.body.data.setPriceRule.id);
  });

  it('is admin only and checks the account, the plan and the pricing', async () => {
    const forbidden = await setRule({ accountId: r.accountId, country: 'FR', markupPercent: '1' }, r.key);
    expect(errorCode(forbidden.body)).toBe('FORBIDDEN');
    const own = await t.gql('{ viewer { id priceRules { id } } }', {}, r.key);
    expect(own.body.data.viewer).toEqual({ id: r.accountId, priceRules: null });
    expect(errorCode(own.body)).toBe('FORBIDDEN');
    expect(errorCode((await deleteRule('nope')).body)).toBe('NOT_FOUND');
    expect(
      errorCode(
        (await setRule({ accountId: '00000000-0000-0000-0000-000000000000', country: 'FR', markupPercent: '1' })).body,
      ),
    ).toBe('NOT_FOUND');
    const unknown = await setRule({ accountId: r.accountId, planId: 'esimaccess:NO-SUCH-PLAN', markupPercent: '1' });
    expect(unknown.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'planId' });
    const both = await setRule({ accountId: r.accountId, country: 'FR', markupPercent: '1', fixedPrice: '1.00' });
    expect(errorCode(both.body)).toBe('BAD_USER_INPUT');
    const wide = await setRule({ accountId: r.accountId, markupPercent: '1' });
    expect(errorCode(wide.body)).toBe('BAD_USER_INPUT');
  });
});
