import type { ApolloServerPlugin } from '@apollo/server';
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
 * GraphiQL as Apollo's landing page (GET /graphql with Accept: text/html), rendered from the
 * bundled @graphql-yoga/render-graphiql: every script and style is inlined, nothing loads from a CDN.
 * Rendered on the first visit, not at start: the bundle and the page weigh about 30 MB of heap,
 * which a gateway nobody browses should not carry.
 */
export function graphiqlLandingPage(): ApolloServerPlugin {
  let html: string | null = null;
  return {
    async serverWillStart() {
      return { async renderLandingPage() { return { html: async () => (html ??= renderPage()) }; } };
    },
  };
}

function renderPage(): string {
  // Required here, not imported at the top, so the 10 MB bundle loads only with the first visit.
  const { renderGraphiQL } = require('@graphql-yoga/render-graphiql') as typeof import('@graphql-yoga/render-graphiql');
  const page = renderGraphiQL({
    title: 'eSIM gateway',
    endpoint: '/graphql',
    subscriptionsProtocol: 'WS',
    defaultQuery: DEFAULT_QUERY,
    headers: JSON.stringify({ Authorization: 'Bearer <your API key>' }, null, 2),
  });
  // Subscriptions from GraphiQL: the Headers tab's key goes into graphql-ws's connection_init.
  return page.replace('<head>', `<head><script>(${installWebSocketAuthorization.toString()})(window);</script>`);
}
