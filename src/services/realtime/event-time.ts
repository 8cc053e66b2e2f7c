/** How far ahead of our clock a provider's clock may run before its event time is not believed. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Earlier than any eSIM event, and inside every database's DATETIME range. */
const EARLIEST_MS = Date.UTC(2000, 0, 1);

/**
 * The time an event is ordered by: the provider's, unless it lies in the future beyond the skew,
 * where it counts as the time we received it. A state dated 2999 would otherwise outrank every
 * later genuine event and freeze the profile. A time before 2000 (or none, or unreadable) is
 * unknown: null, and the gateway reads the provider instead of trusting it.
 */
export function eventTime(occurredAt: string | null, receivedAt: Date): Date | null {
  if (!occurredAt) return null;
  const ms = new Date(occurredAt).getTime();
  if (Number.isNaN(ms) || ms < EARLIEST_MS) return null;
  return ms > receivedAt.getTime() + MAX_CLOCK_SKEW_MS ? new Date(receivedAt.getTime()) : new Date(ms);
}
