import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { DomainError } from '../domain/errors';
import type { WebhookService } from '../services/realtime/webhook.service';

const STATUS: Readonly<Record<string, number>> = { UNAUTHENTICATED: 401, NOT_FOUND: 404, BAD_USER_INPUT: 400 };
/** Largest delivery read: real ones are a few KiB. Larger → 413; nesting is bounded by the service. */
export const MAX_WEBHOOK_BODY = '256kb';

/**
 * `POST /webhooks/<providerId>`: the raw body is kept byte for byte (signatures are over it);
 * the delivery is authenticated, stored and acknowledged; processing happens after the answer.
 * Answers carry no detail a forger could learn from. A body that cannot be read (too large, bad
 * charset or encoding, too deep, not what the provider sends) is a 4xx, never a 500.
 */
export function webhookRoutes(webhooks: WebhookService, logger: Logger): Router {
  const router = Router();
  const readText = express.text({ type: () => true, limit: MAX_WEBHOOK_BODY });
  const readBody = (req: Request, res: Response, next: NextFunction) =>
    readText(req, res, (error?: unknown) => {
      if (!error) return next();
      const tooLarge = (error as { status?: number }).status === 413;
      res.status(tooLarge ? 413 : 400).json({ ok: false, error: tooLarge ? 'body too large' : 'unreadable body' });
    });
  router.post('/webhooks/:providerId', readBody, async (req: Request, res: Response) => {
    const providerId = String(req.params.providerId);
    try {
      const result = await webhooks.receive(providerId, {
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : v]),
        ),
        query: Object.fromEntries(
          Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]),
        ),
        rawBody: typeof req.body === 'string' ? req.body : '',
      });
      res.json({ ok: true, ...result });
    } catch (error) {
      const status = error instanceof DomainError ? STATUS[error.code] : undefined;
      if (status === 401) logger.warn({ providerId, ip: req.ip }, 'webhook refused: not authenticated');
      if (!status) logger.error({ providerId, err: (error as Error).message }, 'webhook failed');
      res.status(status ?? 500).json({
        ok: false,
        error:
          status === 401
            ? 'unauthorized'
            : status === 404
              ? 'not found'
              : status === 400
                ? 'unreadable body'
                : 'internal error',
      });
    }
  });
  return router;
}
