import type { ProfileStatus } from './profile-status';

/**
 * The device (installation) dimension of a profile, kept apart from the plan state
 * (`ProfileStatus`): a phone downloading, enabling or deleting a profile is not the plan being
 * activated or used up, so a device event never moves the plan state.
 */
export const DeviceState = {
  RELEASED: 'RELEASED',
  DOWNLOADED: 'DOWNLOADED',
  INSTALLED: 'INSTALLED',
  ENABLED: 'ENABLED',
  DISABLED: 'DISABLED',
  DELETED: 'DELETED',
} as const;
export type DeviceState = (typeof DeviceState)[keyof typeof DeviceState];

/** What a provider said about the device side of one profile. */
export interface DeviceReport {
  /** Mapped by the adapter's table; null for a word it does not know (the raw word is kept). */
  readonly state: DeviceState | null;
  /** The provider's own word, e.g. "ENABLED" or "DOWNLOAD_SUCCEEDED". */
  readonly rawState: string;
  /** The device's EID, where the provider sends it. */
  readonly eid?: string | null;
}

/** Customer details an order can carry; some providers deliver the eSIM to the customer themselves. */
export const CustomerField = { EMAIL: 'EMAIL', NAME: 'NAME' } as const;
export type CustomerField = (typeof CustomerField)[keyof typeof CustomerField];

/**
 * The one way the device side touches the plan state: a device that holds the profile moves a plan
 * not yet installed to INSTALLED. Forward only; a started, ended or suspended plan never moves.
 */
export function planStatusAfterDevice(current: ProfileStatus, device: DeviceState | null): ProfileStatus {
  return current === 'NOT_INSTALLED' && (device === 'DOWNLOADED' || device === 'INSTALLED' || device === 'ENABLED')
    ? 'INSTALLED'
    : current;
}
