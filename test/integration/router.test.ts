import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import wsTransport from '@graphql-mesh/transport-ws';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { cheapestPlan, createReseller, credit, placeOrder, waitForOrder, type Reseller } from '../helpers/ordering';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';

const COMPANY_SDL = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'federation', 'company.graphql'), 'utf8');

/**
 * A real router (Hive Gateway's runtime) in front of the gateway and a company subgraph
 * (test/fixtures/federation): queries the router must plan across both subgraphs, entity fetches
 * with the caller's forwarded key, and a subscription end to end (router → graphql-ws → gateway).
 */
describe('through a federation router', () => {
  let t: TestApp;
  let owner: Reseller;
  let stranger: Reseller;
  let orderId: string;
  let planId: string;
  let company: ApolloServer;
  let router: GatewayRuntime;
  let routerServer: Server;
  let routerUrl: string;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await createReseller(t);
    stranger = await createReseller(t);
    await credit(t, owner.accountId, '50');
    planId = (await cheapestPlan(t, owner.key, 'esimaccess')).id;
    orderId = (await placeOrder(t, owner.key, { planId })).body.data.placeOrder.id;
    await waitForOrder(t, owner.key, orderId);

    // The company's subgraph: one trip that points at the owner's order; invoice numbers and taglines of its own.
    company = new ApolloServer({
      schema: buildSubgraphSchema({
        typeDefs: parse(COMPANY_SDL),
        resolvers: {
          Query: {
            trips: () => ({
              edges: [{ cursor: 't1', node: { id: 't1', destination: 'FR' } }],
              pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: 't1', endCursor: 't1' },
            }),
          },
          Trip: { esimOrder: () => ({ __typename: 'Order', id: orderId }) },
          Order: { invoiceNumber: ({ id }: { id: string }) => `INV-${id.slice(0, 8)}` },
          Plan: { tagline: ({ id }: { id: string }) => `Made for ${id}`, recommendedFor: () => [] },
        } as never,
      }),
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    });
    const { url: companyUrl } = await startStandaloneServer(company, { listen: { port: 0, host: '127.0.0.1' } });

    const esimSdl = (await t.gql('{ _service { sdl } }', {}, ADMIN_KEY)).body.data._service.sdl;
    const composed = composeServices([
      { name: 'esim', typeDefs: parse(esimSdl), url: `${t.url}/graphql` },
      { name: 'company', typeDefs: parse(COMPANY_SDL), url: companyUrl },
    ]);
    expect(composed.errors ?? []).toEqual([]);
    router = createGatewayRuntime({
      supergraph: composed.supergraphSdl!,
      transports: { http: httpTransport, ws: wsTransport },
      // Subscriptions go to the gateway over graphql-ws, with the caller's key as connection param.
      transportEntries: {
        esim: {
          options: {
            subscriptions: {
              kind: 'ws',
              location: '/graphql',
              options: { connectionParams: { authorization: '{context.headers.authorization}' } },
            },
          },
        },
      },
      propagateHeaders: {
        fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
      },
      logging: false,
    });
    routerServer = createServer(router);
    await new Promise<void>((resolve) => routerServer.listen(0, '127.0.0.1', resolve));
    routerUrl = `http://127.0.0.1:${(routerServer.address() as AddressInfo).port}/graphql`;
  }, 60_000);

  afterAll(async () => {
    await new Promise((resolve) => routerServer?.close(resolve));
    await router?.dispose();
    await company?.stop();
    await t.close();
  });

  const viaRouter = async (key: string, query: string, variables: object = {}) => {
    const res = await fetch(routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as any;
  };

  it("joins Order and Plan fields of both subgraphs for the caller's own order", async () => {
    const body = await viaRouter(
      owner.key,
      'query($id: ID!) { order(id: $id) { id status invoiceNumber orderedPlan { planId } plan { id price { amount } tagline } } }',
      { id: orderId },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.order).toEqual({
      id: orderId,
      status: 'COMPLETED',
      invoiceNumber: `INV-${orderId.slice(0, 8)}`,
      orderedPlan: { planId },
      plan: { id: planId, price: { amount: expect.any(String) }, tagline: `Made for ${planId}` },
    });
  });

  it("resolves the company's reference to the order for its owner only: another account's key gets null", async () => {
    const query =
      '{ trips { edges { node { id esimOrder { id status invoiceNumber } } } pageInfo { hasNextPage startCursor } } }';
    const mine = await viaRouter(owner.key, query);
    expect(mine.data.trips.edges[0].node.esimOrder).toEqual({
      id: orderId,
      status: 'COMPLETED',
      invoiceNumber: `INV-${orderId.slice(0, 8)}`,
    });
    const theirs = await viaRouter(stranger.key, query);
    expect(theirs.data.trips.edges[0].node.esimOrder?.status ?? null).toBeNull();
    const direct = await viaRouter(stranger.key, 'query($id: ID!) { order(id: $id) { id invoiceNumber } }', {
      id: orderId,
    });
    expect(direct.data?.order ?? null).toBeNull();
  });

  it('runs a subscription end to end: router (SSE) → graphql-ws → gateway, with the forwarded key', async () => {
    const controller = new AbortController();
    const res = await fetch(routerUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${owner.key}`,
      },
      body: JSON.stringify({ query: 'subscription { walletUpdated { balance { amount } } }' }),
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const event = (async () => {
      while (!/"walletUpdated"/.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 500)); // the router has subscribed upstream
    await credit(t, owner.accountId, '5');
    await Promise.race([
      event,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no event; got ${text}`)), 10_000)),
    ]);
    controller.abort();
    expect(text).toMatch(/"walletUpdated":\{"balance":\{"amount":"\d+\.\d{2}"\}\}/);
  });
});
