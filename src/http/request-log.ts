import type { RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { operationNameOf } from './metrics.plugin';

/** What we echo: a proxy's or client's id is copied into our logs and answers, so only a plain token. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Scraped every few seconds by probes: logged at debug, so the info log holds traffic. */
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Paths are the client's to choose: a log line keeps this much of one. */
const MAX_LOGGED_PATH = 200;

/** The incoming `x-request-id` when it is a plain token of at most 128 characters, else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * One log line per HTTP request, when its response ends (or the client leaves first): method,
 * path without the query string (which may carry a GraphiQL query or a webhook token), status,
 * duration, the request id, and the GraphQL operation when there was one. The id is answered in
 * `x-request-id`, and replaces the incoming header, so whatever reads the headers later sees the
 * same id. Mount first.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const requestId = requestIdFrom(req.headers['x-request-id']);
    req.headers['x-request-id'] = requestId;
    res.setHeader('x-request-id', requestId);
    let logged = false;
    const log = () => {
      if (logged) return;
      logged = true;
      const url = req.originalUrl;
      const query = url.indexOf('?');
      const path = (query < 0 ? url : url.slice(0, query)).slice(0, MAX_LOGGED_PATH);
      const level = PROBE_PATHS.has(path) ? 'debug' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const operation = operationNameOf(req.body);
      logger[level](
        {
          requestId,
          method: req.method,
          path,
          status: res.statusCode,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          ...(operation === undefined ? {} : { operation }),
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        'request',
      );
    };
    res.once('finish', log);
    res.once('close', log);
    next();
  };
}
