import express, { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { DomainError } from '../domain/errors';
import type { WebhookService } from '../services/realtime/webhook.service';

const STATUS: Readonly<Record<string, number>> = { UNAUTHENTICATED: 401, NOT_FOUND: 404, BAD_USER_INPUT: 400 };

/**
 * `POST /webhooks/<providerId>`: the raw body is kept byte for byte (signatures are over it);
 * the delivery is authenticated, stored and acknowledged; processing happens after the answer.
 * Answers carry no detail a forger could learn from.
 */
export function webhookRoutes(webhooks: WebhookService, logger: Logger): Router {
  const router = Router();
  router.post('/webhooks/:providerId', express.text({ type: () => true, limit: '256kb' }), async (req: Request, res: Response) => {
    const providerId = String(req.params.providerId);
    try {
      const result = await webhooks.receive(providerId, {
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : v])),
        query: Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined])),
        rawBody: typeof req.body === 'string' ? req.body : '',
      });
      res.json({ ok: true, ...result });
    } catch (error) {
      const status = error instanceof DomainError ? STATUS[error.code] : undefined;
      if (status === 401) logger.warn({ providerId, ip: req.ip }, 'webhook refused: not authenticated');
      if (!status) logger.error({ providerId, err: (error as Error).message }, 'webhook failed');
      res.status(status ?? 500).json({ ok: false, error: status === 401 ? 'unauthorized' : status === 404 ? 'not found' : status === 400 ? 'unreadable body' : 'internal error' });
    }
  });
  return router;
}
