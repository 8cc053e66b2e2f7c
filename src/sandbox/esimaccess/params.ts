import { fromScaledInteger, multiplyDecimal } from '../../domain/money';
import type { InventoryError, InventoryResult, SimInventory, SimPlanTerms, SimProfile } from '../shared/inventory';
import { SimFault, type SimErrorCode } from './errors';
import type { SimPackage } from './wire';

/** A parsed request body. */
export type Params = Record<string, unknown>;

/**
 * Parameter checks as the provider words them (seed 001): an absent mandatory parameter is
 * 000105, a null or empty one 000106, a wrong length or range 000107 (ASSUMED mapping, README).
 */
export function requiredText(params: Params, key: string, maxLength = 255): string {
  if (!(key in params)) throw new SimFault('000105');
  const value = params[key];
  if (value === null || value === '') throw new SimFault('000106');
  if (typeof value !== 'string' || value.length > maxLength) throw new SimFault('000107');
  return value;
}

export function optionalText(params: Params, key: string): string | undefined {
  const value = params[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** An integer given as a JSON number or a digit string (the docs type `amount` as both), in [min, max]. */
export function optionalInteger(
  params: Params,
  key: string,
  min: number,
  max: number,
  code: SimErrorCode = '000107',
): number | undefined {
  const value = params[key];
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) throw new SimFault(code);
  return n;
}

/** The mandatory `pager` of `esim/query`: pageNum 1–10000, pageSize 5–500 (research §1.9). */
export function pagerOf(params: Params): { pageNum: number; pageSize: number } {
  const pager = params.pager;
  if (pager === undefined) throw new SimFault('000105');
  if (typeof pager !== 'object' || pager === null) throw new SimFault('000106');
  const pageNum = optionalInteger(pager as Params, 'pageNum', 1, 10_000);
  const pageSize = optionalInteger(pager as Params, 'pageSize', 5, 500);
  if (pageNum === undefined || pageSize === undefined) throw new SimFault('000105');
  return { pageNum, pageSize };
}

/**
 * The profile an action names, by `esimTranNo` (recommended) or `iccid` (research §1.3);
 * neither given is 000105, an unknown one 310403.
 */
export function profileOf(params: Params, inventory: SimInventory): SimProfile {
  const esimTranNo = optionalText(params, 'esimTranNo');
  const iccid = optionalText(params, 'iccid');
  if (!esimTranNo && !iccid) throw new SimFault('000105');
  const profile = inventory.profile((esimTranNo ?? iccid) as string);
  const matches = profile && (esimTranNo ? profile.handle === esimTranNo : profile.iccid === iccid);
  if (!profile || !matches) throw new SimFault('310403');
  return profile;
}

/**
 * What one unit of a package costs and grants. Day passes (dataType 2, 3) are bought per day
 * with `periodNum` (1–365, default 1 ASSUMED): price and daily volume times the days.
 */
export function termsOf(pkg: SimPackage, periodNum = 1): SimPlanTerms {
  const { wire } = pkg;
  const perDay = isDayPass(pkg);
  const units = perDay ? periodNum : 1;
  return {
    code: wire.packageCode,
    price: multiplyDecimal(fromScaledInteger(wire.price, 10_000), units),
    dataBytes: pkg.dataType === 4 ? null : wire.volume * units,
    validityDays: perDay ? periodNum : wire.duration,
  };
}

/** dataType 2 and 3: a daily allowance, bought per day. */
export function isDayPass(pkg: SimPackage): boolean {
  return pkg.dataType === 2 || pkg.dataType === 3;
}

/** The provider's code for each refusal of the shared inventory. */
const INVENTORY_FAULTS: Readonly<Record<InventoryError, SimErrorCode>> = {
  INSUFFICIENT_BALANCE: '200007',
  OUT_OF_STOCK: '200011',
  // The same transactionId with other terms is not "the same request" (ASSUMED, README).
  KEY_REUSED: '200008',
  NOT_FOUND: '310403',
  NOT_ALLOWED: '200002',
};

export function unwrap<T>(result: InventoryResult<T>): T {
  if (!result.ok) throw new SimFault(INVENTORY_FAULTS[result.error]);
  return result.value;
}
