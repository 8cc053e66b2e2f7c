import { toScaledInteger } from '../../domain/money';
import type { InventoryResult, SimProfile } from '../shared/inventory';
import { SimFault } from './errors';
import { isDayPass, optionalInteger, profileOf, requiredText, termsOf, unwrap, type Params } from './params';
import { findPackage, wireTime } from './profiles';
import type { EsimAccessState, Handler } from './state';

/** `esim/sendSms` takes at most 500 characters (research §1.9). */
export const MAX_SMS_LENGTH = 500;

/**
 * Profile actions, each naming the profile by `esimTranNo` or `iccid` and answering `{}`:
 * cancel (only GOT_RESOURCE+RELEASED, refunded), suspend, unsuspend, revoke (no refund), SMS;
 * and `esim/topup`, idempotent by `transactionId`. A state that forbids the action is 200002.
 */
export function lifecycleHandlers(state: EsimAccessState): Readonly<Record<string, Handler>> {
  const { inventory } = state;
  const action =
    (apply: (iccid: string) => InventoryResult<SimProfile>): Handler =>
    (params) => {
      unwrap(apply(profileOf(params, inventory).iccid));
      return {};
    };
  return {
    '/api/v1/open/esim/cancel': action((iccid) => inventory.cancel(iccid)),
    '/api/v1/open/esim/suspend': action((iccid) => inventory.suspend(iccid)),
    '/api/v1/open/esim/unsuspend': action((iccid) => inventory.resume(iccid)),
    '/api/v1/open/esim/revoke': action((iccid) => inventory.revoke(iccid)),
    '/api/v1/open/esim/sendSms': (params) => sendSms(state, params),
    '/api/v1/open/esim/topup': (params) => topUp(state, params),
  };
}

/** Free SMS to the profile, only when its package allows API SMS (`smsStatus` 1 or 2). */
function sendSms({ inventory, catalog }: EsimAccessState, params: Params): unknown {
  const profile = profileOf(params, inventory);
  const message = requiredText(params, 'message', MAX_SMS_LENGTH);
  if ((findPackage(catalog, profile.planCode)?.wire.smsStatus ?? 0) === 0) throw new SimFault('200002');
  unwrap(inventory.sendSms(profile.iccid, message));
  return {};
}

/**
 * `esim/topup`: a `TOPUP_<base code>` package (or its slug) of the profile's own base package;
 * `amount` (a string of USD × 10 000) is checked when given; `periodNum` extends day passes.
 */
function topUp({ inventory, catalog }: EsimAccessState, params: Params): unknown {
  const transactionId = requiredText(params, 'transactionId', 50);
  const code = requiredText(params, 'packageCode');
  const profile = profileOf(params, inventory);
  const pkg = catalog.topUps.find((p) => p.wire.packageCode === code || p.wire.slug === code);
  if (!pkg) throw new SimFault('310241');
  // A top-up of another base package does not exist for this profile (ASSUMED code, README).
  if (pkg.baseCode !== profile.planCode) throw new SimFault('310243');
  const terms = termsOf(pkg, isDayPass(pkg) ? optionalInteger(params, 'periodNum', 1, 365) : 1);
  const amount = optionalInteger(params, 'amount', 0, Number.MAX_SAFE_INTEGER, '200006');
  if (amount !== undefined && amount !== toScaledInteger(terms.price, 10_000)) throw new SimFault('200006');
  const record = unwrap(inventory.topUp({ key: transactionId, iccid: profile.iccid, plan: terms }));
  const current = inventory.profile(profile.iccid) ?? profile;
  return {
    transactionId,
    iccid: current.iccid,
    expiredTime: wireTime(current.expiresAt),
    totalVolume: current.totalBytes ?? 0,
    totalDuration: current.validityDays,
    orderUsage: current.usedBytes,
    topUpEsimTranNo: record.id,
  };
}
