import type { Money } from '../domain/money';
import type { CatalogPlan, PlanNetwork } from '../domain/plan';
import type { ProviderCapability, ProviderHealth, ProviderId } from '../domain/provider';

/**
 * The one port between the gateway and an upstream eSIM provider.
 *
 * Every adapter speaks its provider's own REST API (auth, envelope, units, pagination, error
 * codes) and hands back values in the gateway's units: bytes (1 GB = 1024^3), whole days, ISO
 * alpha-2 countries and exact decimal money. It never touches the database, GraphQL or another
 * provider.
 *
 * Failures: every method rejects only with `ProviderError` subclasses from `domain/errors`:
 * - `ProviderUnavailableError`: network error, timeout, 5xx, bad credentials upstream, or the
 *   provider's circuit breaker is open (retryable later);
 * - `ProviderRateLimitedError`: the provider said 429 (or its own "busy" code), or our client-side
 *   limit for it is saturated;
 * - `ProviderRejectedError`: a business refusal, with the provider's own code in `providerCode`.
 * Retries happen inside the adapter's HTTP client only, and only for reads and for writes that
 * carry the provider's own idempotency key.
 *
 * Capabilities: lifecycle methods are optional. An adapter lists in `capabilities` exactly what
 * its provider supports; the registry answers `NOT_SUPPORTED` before any upstream call when a
 * capability is missing.
 */
export interface ProviderAdapter {
  /** Contract slug, also the path segment of the simulator and the webhook route. */
  readonly id: ProviderId;
  /** Display name, e.g. "eSIM Access". */
  readonly name: string;
  /** What this provider can do beyond the catalog. */
  readonly capabilities: ReadonlySet<ProviderCapability>;
  /** Upstream batch limits, used as DataLoader `maxBatchSize`. */
  readonly batchLimits: BatchLimits;

  /**
   * The whole current catalog of base plans (not top-ups), every page fetched and normalized.
   * Plans the mapper cannot normalize (unknown country code, malformed price) are skipped and
   * logged, never guessed.
   */
  listPlans(signal?: AbortSignal): Promise<CatalogPlan[]>;

  /**
   * Fresh lookup of plans by the provider's own codes, for re-pricing before an order. The result
   * has the same length and order as `codes`; an unknown code gives `null`.
   */
  getPlans(codes: readonly string[], signal?: AbortSignal): Promise<(CatalogPlan | null)[]>;

  /**
   * Networks (operator, speed) for plans whose catalog entry has `networks: null`. Same length
   * and order as `codes`. Adapters whose catalog always carries networks may omit it.
   */
  getNetworks?(codes: readonly string[], signal?: AbortSignal): Promise<PlanNetwork[][]>;

  /** The reseller account's prepaid balance at the provider, or null if it does not expose one. */
  getBalance(signal?: AbortSignal): Promise<Money | null>;

  /** Health as seen by this process: circuit state and the last upstream failure. No I/O. */
  health(): ProviderHealth;

  /** A cheap authenticated upstream call used by /readyz probes; rejects like any other call. */
  probe(signal?: AbortSignal): Promise<void>;

  /** Releases timers and sockets (token refreshers, breakers). */
  dispose(): Promise<void>;

  // ---- Lifecycle (filled by the ordering issue; each guarded by a capability) ----

  /** Orders `quantity` profiles of a plan, idempotently under `reference` (our order id). */
  placeOrder?(request: UpstreamOrderRequest, signal?: AbortSignal): Promise<UpstreamOrder>;
  /** Looks an order up by our reference; null when the provider has no such order. */
  getOrder?(reference: string, signal?: AbortSignal): Promise<UpstreamOrder | null>;
  /** Current usage of profiles; same length and order as `iccids`, null for unknown ones. */
  getUsage?(iccids: readonly string[], signal?: AbortSignal): Promise<(UpstreamUsage | null)[]>;
}

export interface BatchLimits {
  /** Profiles per usage call (eSIM Access: 10). 1 when the provider reads usage one at a time. */
  readonly usage: number;
  /** Plan codes one `getPlans` call should take: adapters that read the catalog once per batch take many. */
  readonly planLookup: number;
  /** Profiles per order call (eSIM Access: 30). */
  readonly orderQuantity: number;
}

export interface UpstreamOrderRequest {
  /** Our order id; sent as the provider's idempotency key or reference. */
  readonly reference: string;
  readonly planCode: string;
  readonly quantity: number;
  /** The wholesale price we expect to pay per unit; providers that can check it are sent it. */
  readonly expectedUnitPrice?: Money;
  readonly customer?: { readonly email?: string | null; readonly name?: string | null };
}

export type UpstreamOrderStatus = 'PROCESSING' | 'COMPLETED' | 'FAILED';

export interface UpstreamOrder {
  readonly providerOrderId: string;
  readonly status: UpstreamOrderStatus;
  readonly profiles: readonly UpstreamProfile[];
  readonly failureReason?: string;
}

export interface UpstreamProfile {
  readonly iccid: string;
  /** The provider's own word for the profile's state, before mapping. */
  readonly rawStatus: string;
  readonly smdpAddress: string;
  readonly matchingId: string;
  readonly qrCodeUrl: string | null;
  readonly expiresAt: string | null;
}

export interface UpstreamUsage {
  readonly usedBytes: number;
  /** null when unlimited */
  readonly totalBytes: number | null;
  readonly updatedAt: string;
}
