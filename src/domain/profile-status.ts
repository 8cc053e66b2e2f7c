/** The contract's profile states (the plan side; the device side is `DeviceState`). */
export const ProfileStatus = {
  NOT_INSTALLED: 'NOT_INSTALLED',
  INSTALLED: 'INSTALLED',
  ACTIVE: 'ACTIVE',
  SUSPENDED: 'SUSPENDED',
  DEPLETED: 'DEPLETED',
  EXPIRED: 'EXPIRED',
  REVOKED: 'REVOKED',
  CANCELLED: 'CANCELLED',
} as const;
export type ProfileStatus = (typeof ProfileStatus)[keyof typeof ProfileStatus];

export const PROFILE_STATUSES: readonly ProfileStatus[] = Object.values(ProfileStatus);

/** States a profile never leaves: a late or stale upstream word cannot move it back. */
export const TERMINAL_PROFILE_STATUSES: ReadonlySet<ProfileStatus> = new Set(['EXPIRED', 'REVOKED', 'CANCELLED']);

/**
 * Maps a provider's own status word through its adapter's exhaustive table. Unknown words are
 * logged by the caller and come back as `null`; the documented rule (services/ordering) is that
 * `null` never changes a stored status, and a profile first seen with an unknown word is stored as
 * NOT_INSTALLED until a known word arrives. Matching ignores case and surrounding blanks.
 */
export function mapStatusWord(
  table: Readonly<Record<string, ProfileStatus>>,
  word: string | null | undefined,
): ProfileStatus | null {
  if (typeof word !== 'string') return null;
  const key = word.trim().toUpperCase();
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : null;
}

/** Whether `next` may replace `current`: terminal states stay; null (unknown word) changes nothing. */
export function nextProfileStatus(current: ProfileStatus, next: ProfileStatus | null): ProfileStatus {
  if (next === null || TERMINAL_PROFILE_STATUSES.has(current)) return current;
  return next;
}
