import { randomUUID } from 'node:crypto';
import express, { type Request, type Router } from 'express';
import type { InventoryResult, SimInventory, SimProfile } from '../shared/inventory';
import type { PlatformCatalog } from './catalog';
import { failure, sendError } from './errors';
import type { IdempotencyStore } from '../shared/idempotency-store';
import { idempotent, type Answer } from './idempotency';
import { termsOf, wireProfile, wireUsage } from './wire';

/** One SMS segment (assumed). */
const MAX_SMS_LENGTH = 160;

export interface EsimDeps {
  readonly inventory: SimInventory;
  readonly catalog: PlatformCatalog;
  readonly idempotency: IdempotencyStore;
  readonly now: () => number;
}

/**
 * "eSIM Profile Management" under /esims (paths assumed). Every answer the document prints is
 * sent exactly; "Check Usage for eSIMs" (no answer documented, not used by the adapter) is not served.
 */
export function esimsRouter(deps: EsimDeps): Router {
  const { inventory, catalog, idempotency, now } = deps;
  // Documented: a profile is found "by ICCID, esimTranNo, or order_id".
  const find = (id: string): SimProfile | undefined => inventory.profile(id) ?? inventory.order(id)?.profiles[0];
  const router = express.Router();

  router.get('/esims/:id', (req, res) => {
    const p = find(String(req.params.id));
    if (!p) return sendError(res, 404, 'ESIM_NOT_FOUND', 'eSIM profile not found');
    res.json({ success: true, profile: wireProfile(p, now()) });
  });

  router.get('/esims/:id/usage', (req, res) => {
    const p = find(String(req.params.id));
    if (!p) return sendError(res, 404, 'ESIM_NOT_FOUND', 'eSIM profile not found');
    res.json({ success: true, usage: wireUsage(p) });
  });

  router.get('/esims/:id/topups', (req, res) => {
    const p = find(String(req.params.id));
    if (!p) return sendError(res, 404, 'ESIM_NOT_FOUND', 'eSIM profile not found');
    res.json({ success: true, plans: catalog.topUpsOf(p.planCode) });
  });

  router.post(
    '/esims/:id/topup',
    idempotent(idempotency, (req, key) => topUp(deps, find, req, key)),
  );

  const action = (verb: string, apply: (iccid: string) => InventoryResult<SimProfile>, message: string) =>
    router.post(
      `/esims/:id/${verb}`,
      idempotent(idempotency, (req) => {
        const p = find(String(req.params.id));
        return p ? answerOf(apply(p.iccid), message) : failure(404, 'ESIM_NOT_FOUND', 'eSIM profile not found');
      }),
    );
  action('suspend', (iccid) => inventory.suspend(iccid), 'Profile suspended successfully');
  action('unsuspend', (iccid) => inventory.resume(iccid), 'Profile unsuspended successfully');
  action('revoke', (iccid) => inventory.revoke(iccid), 'Profile revoked successfully');

  router.post(
    '/esims/:id/sms',
    idempotent(idempotency, (req) => {
      const message = (req.body as Record<string, unknown> | undefined)?.message;
      if (typeof message !== 'string' || message.trim() === '' || message.length > MAX_SMS_LENGTH) {
        return failure(400, 'VALIDATION_ERROR', `message must be 1 to ${MAX_SMS_LENGTH} characters`);
      }
      const p = find(String(req.params.id));
      return p
        ? answerOf(inventory.sendSms(p.iccid, message), 'SMS sent successfully')
        : failure(404, 'ESIM_NOT_FOUND', 'eSIM profile not found');
    }),
  );
  return router;
}

/** "Top Up Profile": `{ package_code }` → the documented answer, `topup_details: {}` included. */
function topUp(
  { inventory, catalog }: EsimDeps,
  find: (id: string) => SimProfile | undefined,
  req: Request,
  key: string | null,
): Answer {
  const code = (req.body as Record<string, unknown> | undefined)?.package_code;
  if (typeof code !== 'string' || code === '') return failure(400, 'VALIDATION_ERROR', 'package_code is required');
  const p = find(String(req.params.id));
  if (!p) return failure(404, 'ESIM_NOT_FOUND', 'eSIM profile not found');
  const found = catalog.findTopUp(code);
  if (!found) return failure(404, 'PACKAGE_NOT_FOUND', 'Top-up package not found');
  if (found.plan.id !== p.planCode)
    return failure(400, 'VALIDATION_ERROR', 'This package is not available for this eSIM');
  // The key also names the top-up for good (so a late resend never charges twice).
  const result = inventory.topUp({
    key: key ?? `auto-${randomUUID()}`,
    iccid: p.iccid,
    plan: termsOf(code, found.pkg),
  });
  if (!result.ok) {
    if (result.error === 'INSUFFICIENT_BALANCE')
      return failure(402, 'INSUFFICIENT_CREDITS', 'Insufficient credit balance');
    if (result.error === 'KEY_REUSED')
      return failure(409, 'IDEMPOTENCY_CONFLICT', 'Idempotency-Key was already used with a different request');
    return answerOf(result, '');
  }
  return { status: 200, body: { success: true, message: 'Profile topped up successfully', topup_details: {} } };
}

function answerOf(result: InventoryResult<SimProfile>, message: string): Answer {
  if (result.ok) return { status: 200, body: { success: true, message } };
  if (result.error === 'NOT_FOUND') return failure(404, 'ESIM_NOT_FOUND', 'eSIM profile not found');
  return failure(409, 'INVALID_STATE', 'This operation is not allowed in the profile’s current state');
}
