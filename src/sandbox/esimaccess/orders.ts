import { multiplyDecimal, toScaledInteger } from '../../domain/money';
import type { SimProfile } from '../shared/inventory';
import type { SimCatalog } from './catalog';
import { SimFault } from './errors';
import {
  isDayPass,
  optionalInteger,
  optionalText,
  pagerOf,
  requiredText,
  termsOf,
  unwrap,
  type Params,
} from './params';
import { renderProfile, renderUsage } from './profiles';
import type { EsimAccessState, Handler } from './state';
import type { SimPackage } from './wire';

/** "Up to 30 eSIMs in one batch" (research §1.9), counted over the order's one line here. */
export const MAX_PROFILES_PER_ORDER = 30;
/** `esimTranNoList` of `esim/usage/query` takes at most 10 (research §1.3). */
export const MAX_USAGE_BATCH = 10;
const MAX_SCALED = Number.MAX_SAFE_INTEGER;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** Ordering and reading profiles: `esim/order`, `esim/query`, `esim/usage/query`. */
export function orderHandlers(state: EsimAccessState): Readonly<Record<string, Handler>> {
  return {
    '/api/v1/open/esim/order': (params) => placeOrder(state, params),
    '/api/v1/open/esim/query': (params) => queryProfiles(state, params),
    '/api/v1/open/esim/usage/query': (params) => queryUsage(state, params),
  };
}

/**
 * `esim/order`: `transactionId` is the idempotency key, so a repeat answers the same `orderNo`
 * and never charges twice; `price` per line and the total `amount` are checked when given.
 */
function placeOrder({ catalog, inventory }: EsimAccessState, params: Params): unknown {
  const transactionId = requiredText(params, 'transactionId', 50);
  const lines = params.packageInfoList;
  if (lines === undefined) throw new SimFault('000105');
  if (!Array.isArray(lines) || lines.length === 0) throw new SimFault('000106');
  // One package per order in this simulator (README); the adapter sends one line.
  if (lines.length > 1 || typeof lines[0] !== 'object' || lines[0] === null) throw new SimFault('200008');
  const line = lines[0] as Params;
  const pkg = orderablePackage(catalog, line);
  const count = optionalInteger(line, 'count', 1, MAX_PROFILES_PER_ORDER, '200008');
  if (count === undefined) throw new SimFault('000105');
  const terms = termsOf(pkg, isDayPass(pkg) ? optionalInteger(line, 'periodNum', 1, 365) : 1);
  const price = optionalInteger(line, 'price', 0, MAX_SCALED, '200005');
  if (price !== undefined && price !== pkg.wire.price) throw new SimFault('200005');
  const amount = optionalInteger(params, 'amount', 0, MAX_SCALED, '200006');
  if (amount !== undefined && amount !== toScaledInteger(multiplyDecimal(terms.price, count), 10_000))
    throw new SimFault('200006');
  const order = unwrap(inventory.placeOrder({ key: transactionId, plan: terms, quantity: count }));
  return { orderNo: order.id, transactionId };
}

/** A base package by `slug` (preferred by the docs) or `packageCode`; top-ups are not orderable. */
function orderablePackage(catalog: SimCatalog, line: Params): SimPackage {
  const slug = optionalText(line, 'slug');
  const code = optionalText(line, 'packageCode');
  if (slug) {
    const found = catalog.base.find((p) => p.wire.slug === slug);
    if (!found) throw new SimFault('310243');
    return found;
  }
  if (!code) throw new SimFault('000105');
  const found = catalog.base.find((p) => p.wire.packageCode === code);
  if (found) return found;
  // A known top-up code names a package, just not one that makes a new profile (ASSUMED).
  throw new SimFault(catalog.topUps.some((p) => p.wire.packageCode === code) ? '310243' : '310241');
}

function queryProfiles(state: EsimAccessState, params: Params): unknown {
  const { pageNum, pageSize } = pagerOf(params);
  const profiles = selectProfiles(state, params);
  const page = profiles.slice((pageNum - 1) * pageSize, pageNum * pageSize);
  return {
    esimList: page.map((p) => renderProfile(p, state.inventory, state.catalog)),
    pager: { pageSize, pageNum, total: profiles.length },
  };
}

/**
 * The filters of `esim/query`, in the documented order: `orderNo` (200010 until allocated,
 * 310272 unknown), `iccid`/`esimTranNo` (an unknown one lists nothing, ASSUMED), or a
 * `startTime`+`endTime` window over order creation (ASSUMED).
 */
function selectProfiles({ inventory }: EsimAccessState, params: Params): SimProfile[] {
  const orderNo = optionalText(params, 'orderNo');
  const iccid = optionalText(params, 'iccid');
  const esimTranNo = optionalText(params, 'esimTranNo');
  const matches = (p: SimProfile) => (!iccid || p.iccid === iccid) && (!esimTranNo || p.handle === esimTranNo);
  // Reading through `profile()` applies expiry, as the provider's own clock would.
  const current = (list: readonly SimProfile[]) => list.map((p) => inventory.profile(p.iccid) ?? p);
  if (orderNo) {
    const order = inventory.order(orderNo);
    if (!order) throw new SimFault('310272');
    if (order.status === 'PROCESSING') throw new SimFault('200010');
    const found = order.profiles.filter(matches);
    if ((iccid || esimTranNo) && found.length === 0) throw new SimFault('310403');
    return current(found);
  }
  if (iccid || esimTranNo) {
    const profile = inventory.profile((esimTranNo ?? iccid) as string);
    return profile && matches(profile) ? [profile] : [];
  }
  const start = optionalText(params, 'startTime');
  const end = optionalText(params, 'endTime');
  if (!start || !end) throw new SimFault('000105');
  return current(inventory.ordersBetween(parseTime(start), parseTime(end)).flatMap((o) => o.profiles));
}

/** Accepts the input forms the docs show: `…Z`, `…+0000`, `2010-06-30T01:20+00:00`. */
function parseTime(text: string): Date {
  const ms = TIME.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new SimFault('000107');
  return new Date(ms);
}

/** `esim/usage/query`: up to 10 `esimTranNo`s; unknown ones are left out of the list (ASSUMED). */
function queryUsage({ inventory }: EsimAccessState, params: Params): unknown {
  const list = params.esimTranNoList;
  if (list === undefined) throw new SimFault('000105');
  if (!Array.isArray(list) || list.length === 0) throw new SimFault('000106');
  if (list.length > MAX_USAGE_BATCH || !list.every((n) => typeof n === 'string')) throw new SimFault('000107');
  const esimUsageList = (list as string[]).flatMap((no) => {
    const profile = inventory.profile(no);
    return profile && profile.handle === no ? [renderUsage(profile)] : [];
  });
  return { esimUsageList };
}
