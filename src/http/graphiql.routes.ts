import { Router, type Request, type Response } from 'express';
import { loadGraphiqlFiles, type Encoding, type StaticFile } from './graphiql-artefact';
import { GRAPHIQL_PAGE } from './graphiql-page';

/** What Apollo answers GET /graphql with; a browser is whoever prefers text/html to all of them. */
const GRAPHQL_TYPES = ['application/json', 'application/graphql-response+json', 'multipart/mixed', 'text/html'];
/** The page names its assets by hash: it must be revalidated (a 304 costs nothing), they never. */
const PAGE_CACHE = 'no-cache';
const ASSET_CACHE = 'public, max-age=31536000, immutable';
const PREFERRED = ['br', 'gzip'] as const;

/**
 * GraphiQL, mounted at /graphql before Apollo: the page on a browser's GET, its assets under
 * /assets/. Files are loaded (or rendered and compressed) on the first visit, then every GET is a
 * header lookup and a buffer write, precompressed, with a strong ETag. Anonymous by design: the
 * page holds no data, and every operation it sends needs a key.
 */
export function graphiqlRoutes(load: () => Promise<StaticFile[]> = loadGraphiqlFiles): Router {
  let files: Promise<Map<string, StaticFile>> | null = null;
  const lookup = async (name: string) => {
    files ??= load().then(
      (list) => new Map(list.map((file) => [file.name, file])),
      (error) => {
        files = null;
        throw error;
      },
    );
    return (await files).get(name);
  };
  const router = Router();
  router.get('/', async (req, res, next) => {
    if (req.accepts(GRAPHQL_TYPES) !== 'text/html') return next();
    send(req, res, (await lookup(GRAPHIQL_PAGE))!, PAGE_CACHE, 'Accept, Accept-Encoding');
  });
  router.get('/assets/:name', async (req, res) => {
    const file = req.params.name === GRAPHIQL_PAGE ? undefined : await lookup(req.params.name);
    if (!file) return void res.status(404).type('text/plain').end('Not found');
    send(req, res, file, ASSET_CACHE, 'Accept-Encoding');
  });
  return router;
}

function send(req: Request, res: Response, file: StaticFile, cacheControl: string, vary: string): void {
  // Ours, not the header's, order of preference: browsers list gzip first. No Accept-Encoding
  // means identity (negotiator's reading), and so does refusing everything. Fonts (woff2) are
  // compressed already: a variant that saves nothing is not worth the client's decoding.
  const encoding: Encoding =
    PREFERRED.find(
      (e) => req.acceptsEncodings(e) === e && file.variants[e].body.length < file.variants.identity.body.length * 0.95,
    ) ?? 'identity';
  const variant = file.variants[encoding];
  res.set({
    'Content-Type': file.type,
    'Cache-Control': cacheControl,
    Vary: vary,
    ETag: variant.etag,
    'X-Content-Type-Options': 'nosniff',
  });
  if (encoding !== 'identity') res.set('Content-Encoding', encoding);
  if (req.fresh) return void res.status(304).end();
  res.set('Content-Length', String(variant.body.length)).end(variant.body);
}
