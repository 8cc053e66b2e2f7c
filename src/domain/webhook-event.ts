import type { DeviceReport } from './device';
import type { ProfileStatus } from './profile-status';

/**
 * One provider callback, normalized by its adapter. Every field beyond `eventId` and `kind` is
 * optional: a provider sends what it sends, and the gateway treats the event as a hint, reading
 * the provider again for whatever the event does not carry.
 */
export interface WebhookEvent {
  /** The provider's event id, or one derived from the content: the inbox dedupe key (≤ 120 chars). */
  readonly eventId: string;
  /**
   * ORDER: an order's profiles were allocated or it failed. PROFILE: a plan state change.
   * DEVICE: the device side changed (downloaded, installed, enabled…); never moves the plan state.
   * USAGE: consumption changed. EXPIRY: the validity changed or is about to end (`expiresAt`).
   */
  readonly kind: 'ORDER' | 'PROFILE' | 'DEVICE' | 'USAGE' | 'EXPIRY';
  /** When the provider says it happened (ISO-8601); null when it does not say. Orders events per profile. */
  readonly occurredAt: string | null;
  /** Our reference (the order part id sent as idempotency key / transaction id), when carried. */
  readonly reference?: string | null;
  readonly providerOrderId?: string | null;
  readonly iccid?: string | null;
  readonly providerProfileId?: string | null;
  /** PROFILE: the mapped status; null for a word the adapter's table does not know (then re-read). */
  readonly status?: ProfileStatus | null;
  readonly rawStatus?: string | null;
  /** USAGE: the reading when the event carries one (bytes); absent means "read usage upstream". */
  readonly usage?: { readonly usedBytes: number; readonly totalBytes: number | null } | null;
  /**
   * USAGE: the alert level the provider crossed, as the fraction of the allowance left
   * (eSIM Access `remainThreshold` 0.5 = half left; ConnectedYou's 80% used = 0.2 left).
   */
  readonly remainingThreshold?: number | null;
  /** DEVICE (or any profile event that carries it): what the device did, and its EID. */
  readonly device?: DeviceReport | null;
  /** EXPIRY (or any event that carries it): the profile's expiry, ISO-8601 UTC. */
  readonly expiresAt?: string | null;
}
