import type { DeviceState } from '../../domain/device';
import type { ProfileStatus } from '../../domain/profile-status';

/**
 * ConnectedYou's two vocabularies, kept apart: what the DEVICE did with the profile (the
 * documented PROFILE_LIFECYCLE words) and what the PLAN is doing (the documented
 * PRODUCT_STATUS_CHANGE words, and the assumed plan words of the REST eSIM read). A device word
 * never moves the plan state: ENABLED after the plan started is still an active plan.
 */

/**
 * Device words. DOWNLOADED, INSTALLED, ENABLED, DISABLED, DELETED: PROFILE_LIFECYCLE `status`
 * (documented). RELEASED (allocated, no device yet): ASSUMED, the REST read's `profile_status`
 * before any download. A word missing here gives `state: null` with the raw word kept.
 */
export const CY_DEVICE_TABLE: Readonly<Record<string, DeviceState>> = {
  RELEASED: 'RELEASED',
  DOWNLOADED: 'DOWNLOADED',
  INSTALLED: 'INSTALLED',
  ENABLED: 'ENABLED',
  DISABLED: 'DISABLED',
  DELETED: 'DELETED',
};

/**
 * PRODUCT_STATUS_CHANGE `product_status` (documented): the plan started at the first attach
 * (ACTIVATED) or ended because its data ran out OR its validity ended, whichever came first
 * (TERMINATED). The event does not say which: we read TERMINATED as DEPLETED, the non-terminal of
 * the two (no service now, a top-up may revive it; a later read can still say EXPIRED), because
 * reading EXPIRED would lock a used-up eSIM out of top-ups for good.
 */
export const CY_PRODUCT_STATUS_TABLE: Readonly<Record<string, ProfileStatus>> = {
  ACTIVATED: 'ACTIVE',
  TERMINATED: 'DEPLETED',
};

/**
 * The plan word of the REST eSIM read (`status`, ASSUMED). NOT_ACTIVATED: the plan waits for the
 * first attach; whether the contract calls that NOT_INSTALLED or INSTALLED depends on the device
 * (`planStatusOf`). The others name the plan state directly.
 */
export const CY_PLAN_TABLE: Readonly<Record<string, ProfileStatus | 'NOT_ACTIVATED'>> = {
  NOT_ACTIVATED: 'NOT_ACTIVATED',
  ACTIVE: 'ACTIVE',
  DEPLETED: 'DEPLETED',
  EXPIRED: 'EXPIRED',
  SUSPENDED: 'SUSPENDED',
  REVOKED: 'REVOKED',
  CANCELLED: 'CANCELLED',
};

/** Device states with the profile on a device (downloaded and not deleted). */
const ON_DEVICE: ReadonlySet<DeviceState> = new Set(['DOWNLOADED', 'INSTALLED', 'ENABLED', 'DISABLED']);

/** A word through a table, ignoring case and blanks; null when the table does not know it. */
export function lookUp<T>(table: Readonly<Record<string, T>>, word: unknown): T | null {
  if (typeof word !== 'string') return null;
  const key = word.trim().toUpperCase();
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : null;
}

/**
 * The contract's plan state from the plan word. Before the plan starts the contract tells
 * "not on a device yet" (NOT_INSTALLED) from "on a device, unused" (INSTALLED): only there is the
 * device consulted, and only to say which of those two; it never moves a started plan.
 */
export function planStatusOf(planWord: unknown, device: DeviceState | null): ProfileStatus | null {
  const plan = lookUp(CY_PLAN_TABLE, planWord);
  if (plan !== 'NOT_ACTIVATED') return plan;
  return device !== null && ON_DEVICE.has(device) ? 'INSTALLED' : 'NOT_INSTALLED';
}
