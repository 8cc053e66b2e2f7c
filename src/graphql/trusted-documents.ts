import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { GraphQLError, parse } from 'graphql';
import { StartupError } from '../domain/startup-error';
import { AccountRole, type Viewer } from '../domain/account';
import { PARSE_OPTIONS } from './limits';

/**
 * The persisted-documents manifest of TRUSTED_DOCUMENTS: the JSON object graphql-codegen's client
 * preset writes (`persisted-documents.json`), document id → document text. Ids are compared
 * without a `sha256:` prefix and in lower case, so a manifest and its clients may each use either form.
 */
export interface TrustedDocuments {
  /** The manifest file, for messages. */
  readonly file: string;
  readonly size: number;
  /** The document's text, or undefined for an id the manifest does not hold. */
  get(documentId: string): string | undefined;
}

/** What a request or subscribe payload carries, before anything is parsed. */
export interface OperationRequest {
  readonly query?: unknown;
  readonly documentId?: unknown;
  readonly extensions?: unknown;
}

/**
 * How a request's document is chosen. `stored`: run this text from the manifest (any `query` sent
 * along is ignored). `free-form`: the caller sent its own text while a manifest is set; only an admin
 * key may run it. `refused`: answer with this error and do nothing else. `pass`: today's behaviour.
 */
export type OperationSource =
  | { readonly kind: 'stored'; readonly query: string; readonly via: 'documentId' | 'persistedQuery' }
  | { readonly kind: 'free-form' }
  | { readonly kind: 'refused'; readonly error: GraphQLError }
  | { readonly kind: 'pass' };

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function normalizeDocumentId(id: string): string {
  return id.replace(/^sha256:/i, '').toLowerCase();
}

/**
 * Reads and checks the manifest once, at start. A file that is missing, not JSON, not an object of
 * non-empty strings, or holds a document that does not parse stops the start (StartupError naming the
 * file). A key of the sha256 form (64 hex digits, with or without `sha256:`) must be the sha256 of
 * its text, as the client preset computes it: a mismatch is refused, since clients would be running
 * some other document than the one they were built with. Other keys (the preset's `sha1`, a custom
 * hash function) are taken as opaque ids.
 */
export function loadTrustedDocuments(file: string): TrustedDocuments {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new StartupError(
      `TRUSTED_DOCUMENTS: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StartupError(`TRUSTED_DOCUMENTS: ${file} is not valid JSON.`);
  }
  return parseTrustedDocuments(json, file);
}

export function parseTrustedDocuments(json: unknown, file: string): TrustedDocuments {
  const refuse = (why: string) => new StartupError(`TRUSTED_DOCUMENTS: ${file} ${why}`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw refuse('must be a JSON object mapping document ids to document text.');
  }
  const documents = new Map<string, string>();
  for (const [key, value] of Object.entries(json)) {
    const shown = key.length > 80 ? `${key.slice(0, 80)}…` : key;
    if (!key || typeof value !== 'string' || !value.trim()) {
      throw refuse(`has an entry "${shown}" that is not a non-empty id mapped to document text.`);
    }
    const id = normalizeDocumentId(key);
    if (SHA256_HEX.test(id) && sha256Hex(value) !== id) {
      throw refuse(`has an entry "${shown}" whose id is not the sha256 of its document.`);
    }
    try {
      parse(value, PARSE_OPTIONS);
    } catch (error) {
      throw refuse(`has an entry "${shown}" that is not a readable GraphQL document: ${(error as Error).message}`);
    }
    if (documents.has(id) && documents.get(id) !== value) {
      throw refuse(`has two different documents under the id "${shown}".`);
    }
    documents.set(id, value);
  }
  return { file, size: documents.size, get: (documentId) => documents.get(normalizeDocumentId(documentId)) };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Chooses the document of one HTTP request or graphql-ws subscribe payload, before any parsing.
 * The id comes from `documentId` (GraphQL over HTTP, persisted documents) or from Apollo's APQ
 * `extensions.persistedQuery.sha256Hash`, which then resolves from the manifest only, never from
 * Apollo's APQ cache. Without a manifest only a `documentId` with no `query` is refused; anything
 * else goes on as before (Apollo's own APQ included). An id the manifest lacks, sent along with
 * text, makes the request free-form: the text runs for an admin key (APQ registration) only.
 */
export function resolveOperation(trusted: TrustedDocuments | null, request: OperationRequest): OperationSource {
  const { documentId } = request;
  const hasQuery = typeof request.query === 'string' && request.query !== '';
  if (!trusted) {
    if (documentId === undefined || documentId === null || hasQuery) return { kind: 'pass' };
    return refused('This gateway has no trusted-documents manifest: send the operation text in `query`.');
  }
  if (documentId !== undefined && documentId !== null) {
    if (typeof documentId !== 'string' || !documentId) return refused('`documentId` must be a non-empty string.');
    const query = trusted.get(documentId);
    if (query !== undefined) return { kind: 'stored', query, via: 'documentId' };
    if (!hasQuery) {
      return refused("Unknown documentId: this gateway runs only the documents of its frontends' manifest.");
    }
    return { kind: 'free-form' };
  }
  const hash = persistedQueryHash(request.extensions);
  if (hash !== undefined) {
    const query = trusted.get(hash);
    if (query !== undefined) return { kind: 'stored', query, via: 'persistedQuery' };
    // Apollo Client's persisted-queries link resends with the text on exactly this message.
    if (!hasQuery) return refused('PersistedQueryNotFound');
  }
  return { kind: 'free-form' };
}

/** Whether the caller may run a `free-form` operation while a manifest is set. */
export function mayRunFreeForm(viewer: Viewer): boolean {
  return viewer.role === AccountRole.ADMIN;
}

export function freeFormRefusal(): GraphQLError {
  return new GraphQLError(
    'This gateway runs only trusted documents: send a `documentId` from the manifest (only admin keys may send operation text).',
    { extensions: { code: 'FORBIDDEN', http: { status: 403 } } },
  );
}

function persistedQueryHash(extensions: unknown): string | undefined {
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (typeof persisted !== 'object' || persisted === null) return undefined;
  const hash = (persisted as { sha256Hash?: unknown }).sha256Hash;
  return typeof hash === 'string' && hash ? hash : undefined;
}

function refused(message: string): OperationSource {
  return {
    kind: 'refused',
    error: new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } }),
  };
}
