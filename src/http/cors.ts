import cors from 'cors';
import type { RequestHandler } from 'express';

/** How long a browser may reuse a preflight's answer. */
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * CORS for the listed origins only (CORS_ORIGINS): their preflights are answered and their
 * requests get `Access-Control-Allow-Origin`; any other origin gets no CORS header, so its browser
 * refuses to hand the answer to the page. Keys travel as bearer tokens, never cookies, so
 * credentials stay off.
 */
export function corsFor(origins: readonly string[]): RequestHandler {
  return cors({
    origin: [...origins],
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'x-request-id', 'apollo-require-preflight'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: PREFLIGHT_MAX_AGE_S,
  });
}
