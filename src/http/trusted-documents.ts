import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Viewer } from '../domain/account';
import {
  freeFormRefusal,
  mayRunFreeForm,
  resolveOperation,
  type OperationRequest,
  type TrustedDocuments,
} from '../graphql/trusted-documents';

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

const authenticated = new WeakMap<Request, Viewer>();

/** The viewer this middleware already authenticated for the request, so the context does not again. */
export function authenticatedViewer(req: Request): Viewer | undefined {
  return authenticated.get(req);
}

/**
 * TRUSTED_DOCUMENTS on the HTTP path, between express.json and Apollo: a request naming a document
 * (`documentId`, or APQ's `extensions.persistedQuery.sha256Hash`; in the body, or the query string
 * of a GET) is rewritten to carry the manifest's text, and Apollo runs it as if sent in full. Text
 * sent by the caller runs only for an admin key: the key is checked here, before Apollo parses or
 * validates anything, and a refusal is answered in GraphQL's JSON shape through the one formatter.
 */
export function trustedDocumentsMiddleware(
  trusted: TrustedDocuments | null,
  authenticate: (authorization: string | undefined) => Promise<Viewer>,
  formatError: FormatError,
): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const get = req.method === 'GET';
    const search = get ? new URLSearchParams(req.url.split('?')[1] ?? '') : null;
    const request = search ? fromSearch(search) : isObject(req.body) ? (req.body as OperationRequest) : null;
    if (!request) return next();
    const source = resolveOperation(trusted, request);
    if (source.kind === 'refused') return refuse(res, formatError, source.error);
    if (source.kind === 'stored') {
      if (search) {
        search.set('query', source.query);
        search.delete('documentId');
        const extensions = withoutPersistedQuery(request.extensions);
        if (extensions) search.set('extensions', JSON.stringify(extensions));
        else search.delete('extensions');
        req.url = `${req.url.split('?')[0]}?${search}`;
      } else {
        const { documentId: _id, extensions: _ext, ...body } = req.body as Record<string, unknown>;
        const extensions = withoutPersistedQuery(request.extensions);
        req.body = { ...body, query: source.query, ...(extensions ? { extensions } : {}) };
      }
      return next();
    }
    if (source.kind === 'pass') return next();
    let viewer: Viewer;
    try {
      viewer = await authenticate(req.headers.authorization);
    } catch (error) {
      return refuse(res, formatError, error);
    }
    if (!mayRunFreeForm(viewer)) return refuse(res, formatError, freeFormRefusal());
    authenticated.set(req, viewer);
    return next();
  };
}

function fromSearch(search: URLSearchParams): OperationRequest {
  let extensions: unknown;
  try {
    extensions = JSON.parse(search.get('extensions') ?? 'null');
  } catch {
    // Apollo answers unreadable extensions itself; here they simply name no document.
  }
  return { query: search.get('query') ?? undefined, documentId: search.get('documentId') ?? undefined, extensions };
}

/** The request's extensions minus `persistedQuery`, so Apollo never looks the hash up in its APQ cache. */
function withoutPersistedQuery(extensions: unknown): Record<string, unknown> | undefined {
  if (!isObject(extensions)) return undefined;
  const { persistedQuery: _pq, ...rest } = extensions;
  return Object.keys(rest).length ? rest : undefined;
}

function refuse(res: Response, formatError: FormatError, error: unknown): void {
  const graphqlError = error instanceof GraphQLError ? error : null;
  const status = (graphqlError?.extensions.http as { status?: number } | undefined)?.status ?? 500;
  const formatted = formatError(graphqlError ? graphqlError.toJSON() : { message: 'Internal server error' }, error);
  res.status(status).json({ errors: [formatted] });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
