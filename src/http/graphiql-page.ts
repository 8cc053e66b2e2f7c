import { createHash } from 'node:crypto';
import { installWebSocketAuthorization } from './graphiql-ws-auth';

/** One file of the GraphiQL page, uncompressed. Asset names carry a hash of their content. */
export interface GraphiqlFile {
  readonly name: string;
  readonly type: string;
  readonly body: Buffer;
}

/** Where the page loads its assets from: hashed names, so they can be cached for good. */
export const GRAPHIQL_ASSET_PATH = '/graphql/assets/';
/** The page itself, served at GET /graphql. */
export const GRAPHIQL_PAGE = 'index.html';

const DEFAULT_QUERY = `# Paste your API key in the Headers tab: {"Authorization": "Bearer <key>"}
query FrancePlans {
  plans(filter: { country: "FR" }, sort: PRICE_ASC, first: 10) {
    totalCount
    nodes { id name provider { name } data { bytes unlimited } validityDays price { amount currency } }
    unavailableProviders { provider { id } code message }
  }
}
`;

const JS = 'text/javascript; charset=utf-8';

/**
 * GraphiQL from the bundled @graphql-yoga/render-graphiql, split into a small HTML page and the
 * assets it inlines (9 MB as one page, 1.7 MB even at brotli 11): the page stays cheap to
 * revalidate and each asset is fetched once. Same markup and boot as `renderGraphiQL`, except
 * that Monaco's workers load from same-origin URLs instead of blobs (both are module workers).
 */
export function renderGraphiqlFiles(): GraphiqlFile[] {
  // Required here, not imported at the top: the 9 MB bundle is loaded only to render the files.
  const bundle =
    require('@graphql-yoga/render-graphiql/graphiql') as typeof import('@graphql-yoga/render-graphiql/graphiql');
  const favicon = /^data:([^;]+);base64,(.*)$/s.exec(bundle.favicon);
  const assets = {
    css: hashed('graphiql', 'css', 'text/css; charset=utf-8', Buffer.from(bundle.css)),
    js: hashed('graphiql', 'js', JS, Buffer.from(bundle.js)),
    icon: favicon ? hashed('favicon', 'ico', favicon[1], Buffer.from(favicon[2], 'base64')) : null,
    editorWorkerService: hashed('editor.worker', 'js', JS, Buffer.from(bundle.editorWorkerService)),
    json: hashed('json.worker', 'js', JS, Buffer.from(bundle.jsonWorker)),
    graphql: hashed('graphql.worker', 'js', JS, Buffer.from(bundle.graphqlWorker)),
  };
  const url = (file: GraphiqlFile) => GRAPHIQL_ASSET_PATH + file.name;
  const workers = {
    editorWorkerService: url(assets.editorWorkerService),
    json: url(assets.json),
    graphql: url(assets.graphql),
  };
  const options = {
    title: 'eSIM gateway',
    endpoint: '/graphql',
    subscriptionsProtocol: 'WS',
    defaultQuery: DEFAULT_QUERY,
    headers: JSON.stringify({ Authorization: 'Bearer <your API key>' }, null, 2),
  };
  const html = `<!doctype html>
<html lang="en">
  <head><script>(${installWebSocketAuthorization.toString()})(window);</script>
    <meta charset="utf-8" />
    <title>${options.title}</title>
    ${assets.icon ? `<link rel="icon" href="${url(assets.icon)}" />` : ''}
    <link rel="stylesheet" href="${url(assets.css)}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="root"></div>
    <script>
      self['MonacoEnvironment'] = { globalAPI: false, getWorkerUrl: (_moduleId, label) => (${scriptJson(workers)})[label] };
    </script>
    <script src="${url(assets.js)}"></script>
    <script>YogaGraphiQL.renderYogaGraphiQL(window.document.querySelector('#root'), ${scriptJson(options)});</script>
  </body>
</html>
`;
  const page = { name: GRAPHIQL_PAGE, type: 'text/html; charset=utf-8', body: Buffer.from(html) };
  return [page, ...Object.values(assets).filter((file): file is GraphiqlFile => file !== null)];
}

function hashed(stem: string, extension: string, type: string, body: Buffer): GraphiqlFile {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
  return { name: `${stem}.${hash}.${extension}`, type, body };
}

/** JSON inside a <script>: `<` escaped so no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
