import type { ApolloServerPlugin } from '@apollo/server';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { installWebSocketAuthorization } from './graphiql-ws-auth';

const DEFAULT_QUERY = `# Paste your API key in the Headers tab: {"Authorization": "Bearer <key>"}
query FrancePlans {
  plans(filter: { country: "FR" }, sort: PRICE_ASC, first: 10) {
    totalCount
    nodes { id name provider { name } data { bytes unlimited } validityDays price { amount currency } }
    unavailableProviders { provider { id } code message }
  }
}
`;

/**
 * GraphiQL as Apollo's landing page (GET /graphql with Accept: text/html), rendered once from the
 * bundled @graphql-yoga/render-graphiql: every script and style is inlined, nothing loads from a CDN.
 */
export function graphiqlLandingPage(): ApolloServerPlugin {
  const page = renderGraphiQL({
    title: 'eSIM gateway',
    endpoint: '/graphql',
    subscriptionsProtocol: 'WS',
    defaultQuery: DEFAULT_QUERY,
    headers: JSON.stringify({ Authorization: 'Bearer <your API key>' }, null, 2),
  });
  // Subscriptions from GraphiQL: the Headers tab's key goes into graphql-ws's connection_init.
  const html = page.replace('<head>', `<head><script>(${installWebSocketAuthorization.toString()})(window);</script>`);
  return {
    async serverWillStart() {
      return { async renderLandingPage() { return { html }; } };
    },
  };
}
