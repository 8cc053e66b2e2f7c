import { ApolloClient, gql, HttpLink, InMemoryCache, split } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { cheapestPlan, createReseller, credit, placeOrder, waitForOrder, type Reseller } from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

const PLAN = gql`
  query Plan($id: ID!) {
    plan(id: $id) {
      id
      price {
        amount
        currency
      }
    }
  }
`;
const ORDER = gql`
  query Order($id: ID!) {
    order(id: $id) {
      id
      orderedPlan {
        planId
        unitPrice {
          amount
        }
      }
      plan {
        id
        price {
          amount
          currency
        }
      }
    }
  }
`;
const PROFILE = gql`
  query Profile($iccid: String!) {
    profile(iccid: $iccid) {
      id
      iccid
      usage {
        usedBytes
      }
    }
  }
`;
const USAGE = gql`
  subscription Usage($iccid: String) {
    usageUpdated(iccid: $iccid) {
      iccid
      profile {
        id
        usage {
          usedBytes
        }
      }
    }
  }
`;

/**
 * A frontend's normalized cache with Apollo Client's defaults (no type policies): identities must
 * be such that one object never overwrites another, and events land on what is on screen.
 */
describe('Apollo Client InMemoryCache with default settings', () => {
  let t: TestApp;
  let r: Reseller;
  let client: ApolloClient;
  let ws: ReturnType<typeof createClient>;

  beforeAll(async () => {
    t = await startTestApp();
    r = await createReseller(t);
    await credit(t, r.accountId, '50');
    ws = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${r.key}` },
    });
    const http = new HttpLink({ uri: `${t.url}/graphql`, headers: { authorization: `Bearer ${r.key}` } });
    const link = split(
      ({ query }) => {
        const definition = getMainDefinition(query);
        return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
      },
      new GraphQLWsLink(ws),
      http,
    );
    client = new ApolloClient({ link, cache: new InMemoryCache() });
  });
  afterAll(async () => {
    await ws.dispose();
    await t.close();
  });

  it('never changes a catalog price by reading an order that paid another price', async () => {
    const listed = await cheapestPlan(t, r.key, 'esimaccess');
    const { body } = await placeOrder(t, r.key, { planId: listed.id });
    const orderId = body.data.placeOrder.id;
    await waitForOrder(t, r.key, orderId);
    // The price has moved since this order was paid (as a provider or a markup change would do).
    await t.app.db.query('UPDATE esim_order SET unit_price_units = unit_price_units + 10000 WHERE id = ?', [orderId]);

    const shown = (await client.query({ query: PLAN, variables: { id: listed.id } })).data as any;
    expect(shown.plan.price.amount).toBe(listed.price.amount);
    const order = (await client.query({ query: ORDER, variables: { id: orderId } })).data as any;
    expect(order.order.orderedPlan).toEqual({
      __typename: 'OrderedPlan',
      planId: listed.id,
      unitPrice: { __typename: 'Money', amount: (Number(listed.price.amount) + 1).toFixed(2) },
    });
    expect(order.order.plan.id).toBe(listed.id);

    const cached = client.readQuery({ query: PLAN, variables: { id: listed.id } }) as any;
    expect(cached.plan.price.amount).toBe(listed.price.amount);
  });

  it('updates the profile on screen from a usageUpdated event', async () => {
    const plan = await cheapestPlan(t, r.key, 'esimaccess', { minDataGb: 1 });
    const { body } = await placeOrder(t, r.key, { planId: plan.id });
    const iccid = (await waitForOrder(t, r.key, body.data.placeOrder.id)).profiles[0].iccid;
    const onScreen = (await client.query({ query: PROFILE, variables: { iccid } })).data as any;
    expect(onScreen.profile.usage.usedBytes).toBe(0);

    const received = new Promise<void>((resolve, reject) => {
      const subscription = client.subscribe({ query: USAGE, variables: { iccid } }).subscribe({
        next: () => {
          subscription.unsubscribe();
          resolve();
        },
        error: reject,
      });
    });
    await new Promise((res) => setTimeout(res, 300)); // subscribed before the change
    await t.control('esimaccess', 'usage', { iccid, usedBytes: 5_000_000 });
    await t.gql('mutation($i: String!) { refreshUsage(iccid: $i) { iccid } }', { i: iccid }, r.key);
    await received;

    const updated = client.readQuery({ query: PROFILE, variables: { iccid } }) as any;
    expect(updated.profile.usage.usedBytes).toBe(5_000_000);
  });
});
