import { createHash } from 'node:crypto';
import { installApiKeyField, type ApiKeyFieldOptions } from './graphiql-api-key';
import { DEFAULT_TABS, NEW_TAB_QUERY } from './graphiql-tabs';
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

const JS = 'text/javascript; charset=utf-8';
const FONT_EXTENSIONS: Readonly<Record<string, string>> = {
  'font/woff2': 'woff2',
  'font/woff': 'woff',
  'font/ttf': 'ttf',
};

const API_KEY: ApiKeyFieldOptions = {
  item: 'esim-gateway:api-key',
  endpoint: '/graphql',
  inputId: 'api-key',
  statusId: 'api-key-status',
  messages: {
    missing: 'Paste an API key to load the schema and run operations (npm start prints an admin key).',
    checking: 'Checking the key…',
    accepted: 'Key accepted.',
    refused: 'The gateway refused this key (UNAUTHENTICATED): check it and paste it again.',
  },
};

/** GraphiQL's docs pane can only say "Error fetching schema": say why when the key is the reason. */
const DOCS_HINT: Readonly<Record<'missing' | 'refused', string>> = {
  missing: 'No API key yet: paste one in the field above and the schema loads here.',
  refused: 'The gateway refused this API key: check it in the field above.',
};

const STYLE = `html,body{height:100%}body{display:flex;flex-direction:column}
#root{flex:1;min-height:0}#root .graphiql-container{height:100%;width:100%}
#api-key-bar{display:flex;align-items:center;gap:12px;padding:8px 16px;font:14px Roboto,system-ui,sans-serif;background:#f6f7f9;color:#1b2434;border-bottom:1px solid #d9dde3}
#api-key-bar label{font-weight:500}
#api-key{width:min(28em,40vw);padding:5px 8px;font:13px 'Fira Code',monospace;border:1px solid #b8bec9;border-radius:6px;background:#fff;color:inherit}
#api-key-status{opacity:.8}
[data-api-key=missing] #api-key{border-color:#d60590;box-shadow:0 0 0 2px #d6059033}
[data-api-key=refused] #api-key-status{color:#c62b00;opacity:1}
@media (prefers-color-scheme:dark){#api-key-bar{background:#1f2633;color:#c5cddb;border-color:#384152}#api-key{background:#141a24;border-color:#4b5566}}
${Object.entries(DOCS_HINT)
  .map(
    ([state, hint]) =>
      `[data-api-key=${state}] .graphiql-doc-explorer-error{font-size:0}` +
      `[data-api-key=${state}] .graphiql-doc-explorer-error::after{content:${JSON.stringify(hint)};font-size:var(--font-size-body,15px)}`,
  )
  .join('\n')}`;

/**
 * GraphiQL from the bundled @graphql-yoga/render-graphiql, split into a small HTML page and
 * hash-named assets (9 MB as one page, 1.7 MB even at brotli 11): the page stays cheap to
 * revalidate and each asset is fetched once. The stylesheet's inlined fonts become assets too, so
 * a browser fetches only the few faces and unicode ranges it uses. Same boot as `renderGraphiQL`,
 * except that Monaco's workers load from same-origin URLs instead of blobs, and that an API key
 * field above GraphiQL authorizes every request and subscription (graphiql-api-key.ts).
 */
export function renderGraphiqlFiles(): GraphiqlFile[] {
  // Required here, not imported at the top: the 9 MB bundle is loaded only to render the files.
  const bundle =
    require('@graphql-yoga/render-graphiql/graphiql') as typeof import('@graphql-yoga/render-graphiql/graphiql');
  const url = (file: GraphiqlFile) => GRAPHIQL_ASSET_PATH + file.name;
  const fonts = new Map<string, GraphiqlFile>();
  const css = bundle.css.replace(
    /url\((["']?)data:(font\/[\w.+-]+);base64,([A-Za-z0-9+/=]+)\1\)/g,
    (whole, _quote: string, type: string, data: string) => {
      const extension = FONT_EXTENSIONS[type];
      if (!extension) return whole;
      const font = hashed('font', extension, type, Buffer.from(data, 'base64'));
      fonts.set(font.name, font);
      return `url(${url(font)})`;
    },
  );
  const favicon = /^data:([^;]+);base64,(.*)$/s.exec(bundle.favicon);
  const assets = {
    css: hashed('graphiql', 'css', 'text/css; charset=utf-8', Buffer.from(css)),
    js: hashed('graphiql', 'js', JS, Buffer.from(bundle.js)),
    icon: favicon ? hashed('favicon', 'ico', favicon[1], Buffer.from(favicon[2], 'base64')) : null,
    editorWorkerService: hashed('editor.worker', 'js', JS, Buffer.from(bundle.editorWorkerService)),
    json: hashed('json.worker', 'js', JS, Buffer.from(bundle.jsonWorker)),
    graphql: hashed('graphql.worker', 'js', JS, Buffer.from(bundle.graphqlWorker)),
  };
  const workers = {
    editorWorkerService: url(assets.editorWorkerService),
    json: url(assets.json),
    graphql: url(assets.graphql),
  };
  const options = {
    title: 'eSIM gateway',
    endpoint: API_KEY.endpoint,
    subscriptionsProtocol: 'WS',
    defaultTabs: DEFAULT_TABS,
    defaultQuery: NEW_TAB_QUERY,
  };
  const html = `<!doctype html>
<html lang="en" data-api-key="missing">
  <head><script>(${installWebSocketAuthorization.toString()})(window, ${scriptJson(API_KEY.item)});</script>
    <meta charset="utf-8" />
    <title>${options.title}</title>
    ${assets.icon ? `<link rel="icon" href="${url(assets.icon)}" />` : ''}
    <link rel="stylesheet" href="${url(assets.css)}" />
    <style>${STYLE}</style>
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="api-key-bar">
      <label for="${API_KEY.inputId}">API key</label>
      <input id="${API_KEY.inputId}" type="password" autocomplete="off" spellcheck="false" placeholder="Paste your API key" />
      <span id="${API_KEY.statusId}" role="status" aria-live="polite"></span>
    </div>
    <div id="root"></div>
    <script>
      self['MonacoEnvironment'] = { globalAPI: false, getWorkerUrl: (_moduleId, label) => (${scriptJson(workers)})[label] };
      (${installApiKeyField.toString()})(window, ${scriptJson(API_KEY)});
    </script>
    <script src="${url(assets.js)}"></script>
    <script>YogaGraphiQL.renderYogaGraphiQL(window.document.querySelector('#root'), ${scriptJson(options)});</script>
  </body>
</html>
`;
  const page = { name: GRAPHIQL_PAGE, type: 'text/html; charset=utf-8', body: Buffer.from(html) };
  return [page, ...Object.values(assets).filter((file): file is GraphiqlFile => file !== null), ...fonts.values()];
}

function hashed(stem: string, extension: string, type: string, body: Buffer): GraphiqlFile {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
  return { name: `${stem}.${hash}.${extension}`, type, body };
}

/** JSON inside a <script>: `<` escaped so no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
