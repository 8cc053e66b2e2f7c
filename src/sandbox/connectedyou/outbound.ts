import type { CallbackSender } from '../shared/callbacks';
import type { InventoryEvent, SimInventory, SimOrder, SimProfile } from '../shared/inventory';
import type { ProductWire } from './catalog';
import { microsecondTimestamp } from './errors';
import { ESIM_STATUS_WORDS, renderUsage, type OrderExtras } from './wire';

/**
 * ConnectedYou's "Outbound Events" (research §2.2, CY-GB): flat JSON with `event_type`, MB data,
 * microsecond UTC `event_timestamp`, no event id, no signature; authenticated only by the custom
 * header configured in the portal. What the simulator sends beyond the documents is ASSUMED:
 * - USAGE_ALERT is documented at 50 % and 80 % of the package; the sandbox sends one for EVERY
 *   usage change (so a gateway sees each `POST /_control/usage`), `data_total` null when unlimited.
 * - No order event is documented: one PROFILE_LIFECYCLE per allocated eSIM, status RELEASED, with
 *   `order_id` and the caller's `reference`.
 * - PROFILE_LIFECYCLE documents device words (INSTALLED, DELETED, …); the sandbox also reports
 *   provider-side changes (SUSPENDED, EXPIRED, CANCELLED, resume) with its eSIM status words.
 * - PRODUCT_STATUS_CHANGE: ACTIVATED at first use, TERMINATED when the data is used up or a used
 *   eSIM expires. No top-up event is documented, so top-ups send none.
 */

export type CyEventType = 'USAGE_ALERT' | 'PROFILE_LIFECYCLE' | 'PRODUCT_STATUS_CHANGE';
export const CY_EVENT_TYPES: readonly CyEventType[] = ['USAGE_ALERT', 'PROFILE_LIFECYCLE', 'PRODUCT_STATUS_CHANGE'];

/** The portal's Outbound Events settings: one URL and optional custom header, per event type. */
export interface PortalSettings {
  readonly url: string;
  readonly header: { readonly name: string; readonly value: string } | null;
  readonly events: ReadonlySet<CyEventType>;
}

type OutboundEvent = { readonly iccid: string; readonly event_type: CyEventType; readonly event_timestamp: string } & Record<string, unknown>;

export class OutboundEvents {
  private current: PortalSettings | null = null;
  /** eSIMs whose plan start / end was already announced, so each is sent once per occurrence. */
  private readonly activated = new Set<string>();
  private readonly depleted = new Set<string>();

  constructor(
    private readonly sender: CallbackSender,
    inventory: SimInventory,
    private readonly products: readonly ProductWire[],
  ) {
    inventory.on((event) => this.onInventory(event));
  }

  settings(): PortalSettings | null {
    return this.current;
  }

  configure(settings: PortalSettings | null): void {
    this.current = settings;
    this.sender.setTarget(settings ? { url: settings.url, headers: settings.header ? { [settings.header.name]: settings.header.value } : {} } : null);
  }

  private onInventory(event: InventoryEvent): void {
    switch (event.type) {
      case 'ORDER_ALLOCATED':
        for (const profile of event.order.profiles) this.send(allocated(event.order, profile));
        return;
      case 'PROFILE_STATE':
        this.send(lifecycle(event.profile));
        if (event.profile.state === 'EXPIRED' && event.profile.activatedAt) this.send(this.productStatus(event.profile, 'TERMINATED', event.profile.updatedAt));
        return;
      case 'USAGE':
        return this.onUsage(event.profile);
      case 'TOP_UP':
        // Undocumented: no event. A top-up that revives a depleted eSIM may end it again later.
        if (event.profile.state !== 'DEPLETED') this.depleted.delete(event.profile.iccid);
        return;
    }
  }

  /** The plan starts at first use and ends when the data runs out (PRODUCT_STATUS_CHANGE). */
  private onUsage(profile: SimProfile): void {
    if (profile.activatedAt && !this.activated.has(profile.iccid)) {
      this.activated.add(profile.iccid);
      this.send(this.productStatus(profile, 'ACTIVATED', profile.activatedAt));
    }
    const { iccid, data_consumed, data_total, percentage_consumed } = renderUsage(profile);
    this.send({ iccid, event_type: 'USAGE_ALERT', event_timestamp: microsecondTimestamp(profile.updatedAt), data_consumed, data_total, percentage_consumed });
    if (profile.state !== 'DEPLETED') {
      this.depleted.delete(iccid);
    } else if (!this.depleted.has(iccid)) {
      this.depleted.add(iccid);
      this.send(this.productStatus(profile, 'TERMINATED', profile.updatedAt));
    }
  }

  private productStatus(profile: SimProfile, status: 'ACTIVATED' | 'TERMINATED', at: Date): OutboundEvent {
    const product = this.products.find((p) => p.product_id === profile.planCode);
    return {
      iccid: profile.iccid,
      event_type: 'PRODUCT_STATUS_CHANGE',
      event_timestamp: microsecondTimestamp(at),
      product_status: status,
      product_name: product?.name ?? profile.planCode,
      product_id: profile.planCode,
    };
  }

  /** Serialized once, so the bytes sent are the bytes a gateway authenticates and parses. */
  private send(event: OutboundEvent): void {
    if (this.current?.events.has(event.event_type)) this.sender.send(JSON.stringify(event));
  }
}

function lifecycle(profile: SimProfile): OutboundEvent {
  return { iccid: profile.iccid, event_type: 'PROFILE_LIFECYCLE', event_timestamp: microsecondTimestamp(profile.updatedAt), eid: null, status: ESIM_STATUS_WORDS[profile.state] };
}

function allocated(order: SimOrder, profile: SimProfile): OutboundEvent {
  const extras = order.customer as OrderExtras;
  return { ...lifecycle(profile), event_timestamp: microsecondTimestamp(order.allocatedAt ?? profile.createdAt), order_id: order.id, reference: extras.reference };
}
