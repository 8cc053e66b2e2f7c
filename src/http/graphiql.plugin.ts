import type { ApolloServerPlugin } from '@apollo/server';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

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
  const html = renderGraphiQL({
    title: 'eSIM gateway',
    endpoint: '/graphql',
    subscriptionsProtocol: 'WS',
    defaultQuery: DEFAULT_QUERY,
    headers: JSON.stringify({ Authorization: 'Bearer <your API key>' }, null, 2),
  });
  return {
    async serverWillStart() {
      return { async renderLandingPage() { return { html }; } };
    },
  };
}
