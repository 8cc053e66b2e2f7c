import type { CustomerField, DeviceReport } from '../domain/device';
import type { Money } from '../domain/money';
import type { CatalogPlan, PlanNetwork } from '../domain/plan';
import type { ProfileStatus } from '../domain/profile-status';
import type { WebhookEvent } from '../domain/webhook-event';
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
 * carry an idempotency key the provider's document names. A money-moving call without one is
 * sent at most once per call; how its unclear outcome is settled is in `moneyCalls`.
 *
 * Capabilities are declared once, by what the adapter holds: every method of this interface is
 * mandatory (USAGE among them, through `getUsage`), each optional capability is a group in
 * `supports` (present exactly when the provider has it), and catalog features are flags in
 * `features`. `capabilitiesOf` (capabilities.ts) derives the list from these alone, and the
 * registry hands services a group, or `NOT_SUPPORTED` before any upstream call when it is absent.
 */
export interface ProviderAdapter {
  /** Contract slug, also the path segment of the simulator and the webhook route. */
  readonly id: ProviderId;
  /** Display name, e.g. "eSIM Access". */
  readonly name: string;
  /** The optional capabilities this provider has, each as the calls that serve it; absent keys it lacks. */
  readonly supports: Supports;
  /**
   * Per money-moving call (order, top-up, cancel with refund), what may follow an unclear outcome
   * (timeout, connection reset after sending, 5xx): sent again under the provider's documented
   * idempotency key, or never sent again and looked up through a documented read. Callers must
   * not call `placeOrder`, `TOP_UP.buy` or `CANCEL` a second time for the same reference where
   * `resend` is false.
   */
  readonly moneyCalls: MoneyCalls;
  /** What its catalog offers, not calls: the contract lists these among the capabilities. */
  readonly features: ReadonlySet<CatalogFeature>;
  /** Upstream batch limits, used as DataLoader `maxBatchSize`. */
  readonly batchLimits: BatchLimits;
  /**
   * Customer details every order needs (the provider delivers the eSIM to the customer itself,
   * e.g. by e-mail). `placeOrder` without them is refused with BAD_USER_INPUT before money moves.
   */
  readonly customerFields: readonly CustomerField[];

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

  /**
   * Opens (or renews when due) the provider's session: login or OAuth token, no other call, and
   * nothing when the session is fresh. Run at start and then periodically, so a user's first read
   * does not pay a login wave before its catalog pages. Providers that sign each call omit it.
   */
  connect?(signal?: AbortSignal): Promise<void>;

  /** Releases timers and sockets (token refreshers, breakers). */
  dispose(): Promise<void>;

  // ---- Ordering: every adapter implements these ----

  /**
   * Orders `quantity` (≤ `batchLimits.orderQuantity`) profiles of a base plan under
   * `request.reference` (our order-part id). Where `moneyCalls.order.resend` is true the
   * provider's documented key makes a second call answer the first order. Where it is false the
   * create is sent once and never retried by the client: an unclear outcome rejects with
   * `ProviderUnavailableError` (outcome unknown, nothing to refund) and is settled by `getOrder`,
   * never by calling this again. A business refusal rejects with `ProviderRejectedError`.
   */
  placeOrder(request: UpstreamOrderRequest, signal?: AbortSignal): Promise<UpstreamOrder>;

  /**
   * Reads an order back by our reference (and the provider's order id once known). `null` when
   * the provider's answer shows it has no order under that reference; a read that cannot tell
   * (its answer does not carry references, or more pages than we read) rejects with
   * `ProviderUnavailableError` instead. Profiles appear once allocated.
   */
  getOrder(ref: UpstreamOrderRef, signal?: AbortSignal): Promise<UpstreamOrder | null>;

  /** Current state of profiles; same length and order as `refs`, null for unknown ones. */
  getProfiles(refs: readonly ProfileRef[], signal?: AbortSignal): Promise<(UpstreamProfile | null)[]>;

  /**
   * Current usage of profiles (`batchLimits.usage` per call at most; callers batch). Same length
   * and order as `refs`, null for unknown ones. USAGE: every provider reports it, so it is part
   * of the port rather than a group.
   */
  getUsage(refs: readonly ProfileRef[], signal?: AbortSignal): Promise<(UpstreamUsage | null)[]>;
}

/**
 * The optional capabilities, each as the calls that serve it. An adapter puts in `supports`
 * exactly the groups its provider documents; nothing else says what it can do.
 */
export interface CapabilityGroups {
  readonly TOP_UP: TopUpSupport;
  /** Cancels (and has the provider refund) an unused profile. */
  readonly CANCEL: ProfileAction;
  readonly SUSPEND: ProfileAction;
  readonly RESUME: ProfileAction;
  /** Closes the profile for good, no refund. */
  readonly REVOKE: ProfileAction;
  readonly SMS: SmsSupport;
  /** How this provider calls the gateway back (`POST /webhooks/<id>`). */
  readonly WEBHOOKS: WebhookSupport;
}

export type CapabilityGroup = keyof CapabilityGroups;

/** An adapter's groups: a key is present exactly when its provider has that capability. */
export type Supports = { readonly [K in CapabilityGroup]?: CapabilityGroups[K] };

/** Capabilities that describe the catalog rather than a call. */
export type CatalogFeature = Extract<ProviderCapability, 'DAY_PASS' | 'GLOBAL_ESIM'>;

/** One call on one profile (cancel, suspend, resume, revoke); a refusal rejects with `ProviderRejectedError`. */
export type ProfileAction = (ref: ProfileRef, signal?: AbortSignal) => Promise<void>;

export interface TopUpSupport {
  /** The top-up plans this profile can buy now (codes usable with `buy`). */
  list(target: TopUpTarget, signal?: AbortSignal): Promise<CatalogPlan[]>;
  /** Buys a top-up under `request.reference`; sent again only where `moneyCalls.topUp.resend` is true. */
  buy(request: UpstreamTopUpRequest, signal?: AbortSignal): Promise<UpstreamTopUp>;
  /**
   * Reads a top-up back by our reference through a documented read, null when that read shows
   * none. Absent where the provider documents no such read: an unclear top-up then waits for a
   * person (and is never bought again unless `moneyCalls.topUp.resend`).
   */
  find?(request: UpstreamTopUpRequest, signal?: AbortSignal): Promise<UpstreamTopUp | null>;
}

/**
 * What may follow an unclear outcome of one money-moving call. `resend: true` only where the
 * provider's document names an idempotency key for that call (`key`). Otherwise `lookup` names
 * the documented read that settles it (null: there is none, a person decides).
 */
export type MoneyCallRule =
  { readonly resend: true; readonly key: string } | { readonly resend: false; readonly lookup: string | null };

export interface MoneyCalls {
  readonly order: MoneyCallRule;
  /** Present exactly with `supports.TOP_UP`. */
  readonly topUp?: MoneyCallRule;
  /** Present exactly with `supports.CANCEL`. */
  readonly cancel?: MoneyCallRule;
}

export interface SmsSupport {
  /** Sends a text to the profile. */
  send(ref: ProfileRef, message: string, signal?: AbortSignal): Promise<void>;
}

/**
 * A provider's callbacks. The gateway calls `verify` before reading anything else of a delivery
 * (false → 401, nothing stored), then `parse`, then stores the events in its inbox.
 */
export interface WebhookSupport {
  /**
   * Tells the provider where to call, where its API allows it (eSIM Access `webhook/save`,
   * eSIMTrade `PATCH /reseller/webhook`, the eSIM platform's webhook subscriptions; a sandbox may
   * emulate a portal setting). `target.url` already carries `?token=<secret>`; `target.secret`
   * is the same secret, for providers that sign with a secret we choose or send in a header.
   * Resolves with the signing secret when the provider generates one (stored, shared by every
   * instance, handed back to `verify`). Absent when registration happens outside any API.
   */
  register?(target: WebhookTarget, signal?: AbortSignal): Promise<{ readonly signingSecret?: string } | void>;
  /** Authenticates one delivery (constant-time comparisons). Pure: no I/O. */
  verify(delivery: WebhookDelivery, secrets: WebhookSecrets): boolean;
  /**
   * Normalizes a verified delivery. [] for deliveries that need no action (health checks).
   * Throws `BadUserInputError` for a body it cannot read (the gateway answers 400).
   */
  parse(delivery: WebhookDelivery): WebhookEvent[];
}

export interface WebhookTarget {
  readonly url: string;
  readonly secret: string;
}

export interface WebhookSecrets {
  /**
   * This provider's own credential (never another provider's): in the registered URL's `token`
   * query parameter and wherever the provider echoes it. `verify` is called once per accepted one.
   */
  readonly secret: string;
  /** The provider's, from `register`, when it generates one. */
  readonly signingSecret: string | null;
}

export interface WebhookDelivery {
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Exactly the bytes received, for signatures. */
  readonly rawBody: string;
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
  /** Our order-part id (≤ 50 chars); sent as the provider's idempotency key or order reference. */
  readonly reference: string;
  readonly planCode: string;
  readonly quantity: number;
  /** The wholesale price per unit we re-priced and charged for; providers that can check it are sent it. */
  readonly expectedUnitPrice: Money;
  readonly customer?: { readonly email?: string | null; readonly name?: string | null };
}

export interface UpstreamOrderRef {
  readonly reference: string;
  /** The provider's order id, once `placeOrder` answered it. */
  readonly providerOrderId: string | null;
  /** When we first sent the order: providers that can only search by time use it. */
  readonly placedAt: Date;
}

/** PROCESSING: accepted, profiles not allocated yet. FAILED: refused or given up upstream. */
export type UpstreamOrderStatus = 'PROCESSING' | 'COMPLETED' | 'FAILED';

export interface UpstreamOrder {
  readonly providerOrderId: string;
  readonly status: UpstreamOrderStatus;
  /** Every allocated profile once COMPLETED (exactly `quantity` of them); may be empty before. */
  readonly profiles: readonly UpstreamProfile[];
  readonly failureReason?: string;
}

/** How the gateway names one profile to its provider. */
export interface ProfileRef {
  readonly iccid: string;
  /** The provider's own stable handle (eSIM Access `esimTranNo`); the ICCID where it has none. */
  readonly providerProfileId: string;
}

/** A profile whose top-ups are asked for, with the plan we ordered it with. */
export interface TopUpTarget extends ProfileRef {
  /**
   * The base plan as ordered (our snapshot), for providers whose top-up answer does not say what
   * the top-ups cover (the eSIM platform): its countries and coverage are the top-ups' too.
   */
  readonly basePlan?: CatalogPlan | null;
}

export interface UpstreamProfile extends ProfileRef {
  /** The provider's own word(s) for the profile's state, before mapping, e.g. "IN_USE/ENABLED". */
  readonly rawStatus: string;
  /** Mapped by the adapter's exhaustive table; null for a word the table does not know (logged). */
  readonly status: ProfileStatus | null;
  /**
   * Activation as the provider gives it: any of these may be null (a provider that e-mails the
   * eSIM to the customer gives none; the eSIM platform gives only a QR code URL).
   */
  readonly smdpAddress: string | null;
  readonly matchingId: string | null;
  readonly qrCodeUrl: string | null;
  /** ISO-8601 UTC, or null before activation when the provider does not say. */
  readonly expiresAt: string | null;
  /** The device/installation side, where the provider reports it apart from the plan state. */
  readonly device?: DeviceReport | null;
}

export interface UpstreamUsage {
  readonly usedBytes: number;
  /** null when unlimited */
  readonly totalBytes: number | null;
  /** ISO-8601 UTC: when the provider last measured it. */
  readonly updatedAt: string;
  /** Voice minutes and SMS left, where the provider reports them (Comium). */
  readonly voiceMinutesRemaining?: number | null;
  readonly smsRemaining?: number | null;
}

export interface UpstreamTopUpRequest {
  /** Our top-up id (≤ 50 chars), the idempotency key upstream. */
  readonly reference: string;
  readonly profile: ProfileRef;
  readonly planCode: string;
  readonly expectedPrice: Money;
}

export interface UpstreamTopUp {
  readonly providerTopUpId: string;
  readonly status: 'COMPLETED' | 'PROCESSING' | 'FAILED';
  readonly failureReason?: string;
  /** The profile's new expiry, when the provider answers it. */
  readonly expiresAt?: string | null;
}
