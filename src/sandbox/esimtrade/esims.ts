import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import type { SimProfile } from '../shared/inventory';
import { termsOf, type EsimTradeBook } from './book';
import { errorAnswer, sendError, type Answer } from './errors';
import { INVENTORY_REFUSALS } from './orders';
import { pageOf, parsePaging, queryValue } from './query';
import { ESIM_STATUS_WORDS, renderEsim, renderTopUp } from './wire';

const STATUS_WORDS = new Set(Object.values(ESIM_STATUS_WORDS));

/**
 * `GET /reseller/esims` (the eSIM inventory with state and usage, optional filters) and `GET|POST
 * /portal/topups` (options for an owned ICCID, then buy one by slug), seed 004; shapes assumed.
 */
export function esimRoutes(book: EsimTradeBook): Router {
  const router = express.Router();

  router.get('/reseller/esims', (req, res) => {
    const paging = parsePaging(req, 20);
    const iccid = queryValue(req, 'iccid');
    const orderNumber = queryValue(req, 'order_number');
    const status = queryValue(req, 'status');
    if (
      typeof paging === 'string' ||
      iccid === '' ||
      orderNumber === '' ||
      (status !== undefined && !STATUS_WORDS.has(status))
    ) {
      sendError(
        res,
        400,
        'INVALID_PARAMETER',
        typeof paging === 'string' ? paging : `status must be one of ${[...STATUS_WORDS].join(', ')}.`,
      );
      return;
    }
    const candidates =
      iccid !== undefined
        ? [book.inventory.profile(iccid)]
        : book.inventory
            .allProfiles()
            .reverse()
            .map((p) => book.inventory.profile(p.iccid));
    const matching = candidates.filter(
      (p): p is SimProfile =>
        p !== undefined &&
        (!orderNumber || p.orderId === orderNumber) &&
        (!status || ESIM_STATUS_WORDS[p.state] === status),
    );
    const { data, meta } = pageOf(matching, paging);
    res.json({ data: data.map(renderEsim), meta });
  });

  router.get('/portal/topups', (req, res) => {
    const iccid = queryValue(req, 'iccid');
    if (!iccid) {
      sendError(res, 400, 'INVALID_PARAMETER', 'iccid is required.');
      return;
    }
    const profile = book.inventory.profile(iccid);
    if (profile) res.json({ data: book.canTopUp(profile) ? book.topUpOptions(profile) : [] });
    else sendError(res, 404, 'ESIM_NOT_FOUND', 'No eSIM with this ICCID belongs to this reseller.');
  });

  router.post('/portal/topups', (req, res) => {
    book.idempotency.answer('topup', req, res, () => buyTopUp(book, req.body));
  });

  return router;
}

function buyTopUp(book: EsimTradeBook, body: unknown): Answer {
  const { iccid, slug } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof iccid !== 'string' || !iccid || typeof slug !== 'string' || !slug)
    return errorAnswer(400, 'INVALID_PARAMETER', 'iccid and slug are required.');
  const profile = book.inventory.profile(iccid);
  if (!profile) return INVENTORY_REFUSALS.NOT_FOUND;
  const option = book.topUpOptions(profile).find((o) => o.slug === slug);
  if (!option) return errorAnswer(404, 'TOPUP_NOT_FOUND', 'This top-up is not offered for this eSIM.');
  // The inventory refuses a suspended or finished eSIM (409 OPERATION_NOT_ALLOWED).
  const result = book.inventory.topUp({ key: randomUUID(), iccid: profile.iccid, plan: termsOf(option) });
  if (!result.ok) return INVENTORY_REFUSALS[result.error];
  return { status: 201, body: { data: renderTopUp(result.value, profile) } };
}
