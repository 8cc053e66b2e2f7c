/**
 * Raw wire types of the platform's webhook subscriptions and deliveries ("Webhooks", seed 003).
 * Documented: the create body and the event types ORDER_STATUS and ESIM_STATUS. The rest
 * (paths, answers, the delivery envelope and every payload, ESIM_USAGE, TOPUP_STATUS) is ASSUMED;
 * see README.md.
 */

/** Every type we subscribe to: ORDER_STATUS, ESIM_STATUS documented; ESIM_USAGE, TOPUP_STATUS ASSUMED. */
export const WEBHOOK_EVENT_TYPES = ['ORDER_STATUS', 'ESIM_STATUS', 'ESIM_USAGE', 'TOPUP_STATUS'] as const;

/** `POST /webhooks` body (documented) and `PUT /webhooks/:id` body (same fields, plus `status`). */
export interface RawSubscriptionRequest {
  readonly name: string;
  readonly endpoint_url: string;
  readonly event_types: readonly string[];
  /** Ours: the platform signs every delivery of this subscription with it. */
  readonly secret: string;
  readonly timeout_seconds: number;
  readonly retry_count: number;
  /** Documented statuses: active, inactive, failed; only settable on update (ASSUMED). */
  readonly status?: 'active' | 'inactive';
}

/** One subscription as `GET /webhooks` lists it (fields beyond the create body ASSUMED; no secret). */
export interface RawSubscription {
  readonly id: string;
  readonly name?: string;
  readonly endpoint_url: string;
  readonly event_types?: readonly string[];
  readonly status?: string;
}

export interface RawSubscriptionPage {
  readonly success: true;
  readonly data: readonly RawSubscription[];
  readonly pagination: {
    readonly page: number;
    readonly limit: number;
    readonly total: number;
    readonly total_pages: number;
  };
  readonly available_event_types?: readonly string[];
}

/** A delivery's body (ASSUMED envelope): the event id is the same on every retry of one event. */
export interface RawWebhookEvent {
  readonly id?: unknown;
  readonly event_type?: unknown;
  /** ISO-8601 UTC: when the platform raised the event. */
  readonly created_at?: unknown;
  readonly data?: unknown;
}
