import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app';

export const ORDER_FIELDS = `id reference status quantity failureReason createdAt
  total { amount currency } provider { id } plan { id code price { amount } } orderedPlan { planId unitPrice { amount } }
  profiles { iccid status activation { smdpAddress matchingId lpaString qrCodeUrl } expiresAt }`;

/**
 * What a storefront sends with every order: Comium and the eSIM platform e-mail the eSIM to the
 * customer and refuse an order without these (BAD_USER_INPUT). Tests of that refusal pass `customer: null`.
 */
export const TEST_CUSTOMER = { email: 'traveller@example.com', name: 'Test Traveller' } as const;

export interface Reseller {
  readonly accountId: string;
  readonly key: string;
}

export async function createReseller(t: TestApp, markupPercent = '0'): Promise<Reseller> {
  const { body } = await t.gql(
    'mutation($i: CreateAccountInput!) { createAccount(input: $i) { apiKey account { id } } }',
    { i: { name: `reseller-${randomUUID().slice(0, 8)}`, markupPercent } },
  );
  return { accountId: body.data.createAccount.account.id, key: body.data.createAccount.apiKey };
}

export async function credit(
  t: TestApp,
  accountId: string,
  amount: string,
  idempotencyKey = randomUUID(),
): Promise<any> {
  return t.gql('mutation($i: CreditWalletInput!) { creditWallet(input: $i) { id balance { amount currency } } }', {
    i: { accountId, amount, idempotencyKey },
  });
}

export async function placeOrder(t: TestApp, key: string, input: Record<string, unknown>): Promise<any> {
  return t.gql(
    `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { ${ORDER_FIELDS} } }`,
    { i: { idempotencyKey: randomUUID(), customer: TEST_CUSTOMER, ...input } },
    key,
  );
}

/** Reads the order until it reaches one of `statuses` (the reconciler moves it on). */
export async function waitForOrder(
  t: TestApp,
  key: string,
  id: string,
  statuses = ['COMPLETED', 'FAILED'],
  timeoutMs = 10_000,
): Promise<any> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    const { body } = await t.gql(`query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, { id }, key);
    if (statuses.includes(body.data?.order?.status)) return body.data.order;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`order ${id} never reached ${statuses.join('|')}`);
}

/** The cheapest plan of a provider matching a filter, as the caller sees it. */
export async function cheapestPlan(
  t: TestApp,
  key: string,
  providerId: string,
  filter: Record<string, unknown> = {},
): Promise<{ id: string; price: { amount: string }; topUpSupported: boolean }> {
  const { body } = await t.gql(
    'query($f: PlanFilter) { plans(filter: $f, sort: PRICE_ASC, first: 1) { nodes { id price { amount } topUpSupported } } }',
    { f: { providerIds: [providerId], ...filter } },
    key,
  );
  return body.data.plans.nodes[0];
}

export async function wallet(t: TestApp, key: string): Promise<{ balance: string; transactions: any[] }> {
  const { body } = await t.gql(
    '{ wallet { balance { amount } transactions(first: 100) { nodes { type amount { amount } balanceAfter { amount } orderId topUpId } } } }',
    {},
    key,
  );
  return { balance: body.data.wallet.balance.amount, transactions: body.data.wallet.transactions.nodes };
}

export function errorCode(body: any): string | undefined {
  return body.errors?.[0]?.extensions?.code;
}
