import type { CallbackSender } from '../shared/callbacks';
import type { InventoryEvent, SimInventory, SimProfile } from '../shared/inventory';
import { entriesOf, refill, type Persistable } from '../shared/persistence';
import type { ProductWire } from './catalog';
import type { DeviceChange, DeviceSide } from './devices';
import { microsecondTimestamp } from './errors';
import { renderUsage } from './wire';

/**
 * ConnectedYou's "Outbound Events" (GitBook; published examples `CONNECTEDYOU_WEBHOOKS`, the
 * adapter's test/fixtures/documented/connectedyou/): flat JSON with `event_type`, MB data,
 * microsecond UTC `event_timestamp`, no event id, no signature; authenticated only by the custom
 * header configured in the portal. Every body has EXACTLY the documented fields:
 * - PROFILE_LIFECYCLE `{ iccid, event_type, event_timestamp, eid, status }` for each device step
 *   (devices.ts: DOWNLOADED, INSTALLED at install; ENABLED at first use; DISABLED, DELETED when
 *   the profile is removed);
 * - PRODUCT_STATUS_CHANGE `{ iccid, event_type, event_timestamp, product_status, product_name,
 *   product_id }`: ACTIVATED at first use, TERMINATED when the data is used up or a used eSIM
 *   expires;
 * - USAGE_ALERT `{ iccid, event_type, event_timestamp, data_consumed, data_total,
 *   percentage_consumed }` when the current package's consumption reaches 50 % and 80 % (once per
 *   level; a top-up starts the count again); none for unlimited products, which have no total.
 * Nothing else is sent: no event for an allocated order, a top-up, a suspension or a
 * cancellation, since none is documented (the gateway reads those over REST).
 */

export type CyEventType = 'USAGE_ALERT' | 'PROFILE_LIFECYCLE' | 'PRODUCT_STATUS_CHANGE';
export const CY_EVENT_TYPES: readonly CyEventType[] = ['USAGE_ALERT', 'PROFILE_LIFECYCLE', 'PRODUCT_STATUS_CHANGE'];

/** The portal's Outbound Events settings: one URL and optional custom header, per event type. */
export interface PortalSettings {
  readonly url: string;
  readonly header: { readonly name: string; readonly value: string } | null;
  readonly events: ReadonlySet<CyEventType>;
}

type OutboundEvent = {
  readonly iccid: string;
  readonly event_type: CyEventType;
  readonly event_timestamp: string;
} & Record<string, unknown>;

/** The documented alert levels, percent of the package used, highest first. */
const ALERT_LEVELS = [80, 50] as const;

interface OutboundSnapshot {
  readonly settings: (Omit<PortalSettings, 'events'> & { readonly events: CyEventType[] }) | null;
  readonly activated: string[];
  readonly depleted: string[];
  readonly alerted: [string, number][];
}

export class OutboundEvents implements Persistable {
  private current: PortalSettings | null = null;
  /** eSIMs whose plan start / end was already announced, so each is sent once per occurrence. */
  private readonly activated = new Set<string>();
  private readonly depleted = new Set<string>();
  /** The highest alert level announced per eSIM for its current package (0: none). */
  private readonly alerted = new Map<string, number>();

  constructor(
    private readonly sender: CallbackSender,
    inventory: SimInventory,
    devices: DeviceSide,
    private readonly products: readonly ProductWire[],
  ) {
    devices.on((change) => this.send(lifecycle(change)));
    inventory.on((event) => this.onInventory(event));
  }

  settings(): PortalSettings | null {
    return this.current;
  }

  configure(settings: PortalSettings | null): void {
    this.current = settings;
    this.sender.setTarget(
      settings
        ? { url: settings.url, headers: settings.header ? { [settings.header.name]: settings.header.value } : {} }
        : null,
    );
  }

  /** The portal settings and what was announced, so a restart keeps delivering without repeating itself. */
  snapshot(): OutboundSnapshot {
    const { current } = this;
    return {
      settings: current && { ...current, events: [...current.events] },
      activated: [...this.activated],
      depleted: [...this.depleted],
      alerted: entriesOf(this.alerted),
    };
  }

  restore(data: unknown): void {
    const saved = data as OutboundSnapshot;
    this.configure(saved.settings && { ...saved.settings, events: new Set(saved.settings.events) });
    this.activated.clear();
    for (const iccid of saved.activated) this.activated.add(iccid);
    this.depleted.clear();
    for (const iccid of saved.depleted) this.depleted.add(iccid);
    refill(this.alerted, saved.alerted);
  }

  private onInventory(event: InventoryEvent): void {
    switch (event.type) {
      case 'ORDER_ALLOCATED':
        return; // undocumented: no event
      case 'PROFILE_STATE':
        if (event.profile.state === 'EXPIRED' && event.profile.activatedAt)
          this.send(this.productStatus(event.profile, 'TERMINATED', event.profile.updatedAt));
        return;
      case 'USAGE':
        return this.onUsage(event.profile);
      case 'TOP_UP':
        // Undocumented: no event. A new package: its alerts count again, and it may end again later.
        this.alerted.set(event.profile.iccid, levelOf(event.profile));
        if (event.profile.state !== 'DEPLETED') this.depleted.delete(event.profile.iccid);
        return;
    }
  }

  /** The plan starts at first use and ends when the data runs out (PRODUCT_STATUS_CHANGE); alerts at 50 / 80 %. */
  private onUsage(profile: SimProfile): void {
    if (profile.activatedAt && !this.activated.has(profile.iccid)) {
      this.activated.add(profile.iccid);
      this.send(this.productStatus(profile, 'ACTIVATED', profile.activatedAt));
    }
    this.alert(profile);
    if (profile.state !== 'DEPLETED') {
      this.depleted.delete(profile.iccid);
    } else if (!this.depleted.has(profile.iccid)) {
      this.depleted.add(profile.iccid);
      this.send(this.productStatus(profile, 'TERMINATED', profile.updatedAt));
    }
  }

  /** One alert when consumption reaches a level not yet announced (the highest, if it jumped past both). */
  private alert(profile: SimProfile): void {
    const level = levelOf(profile);
    const announced = this.alerted.get(profile.iccid) ?? 0;
    // Usage set lower again (a sandbox correction) re-arms the levels above it.
    if (level <= announced) {
      this.alerted.set(profile.iccid, level);
      return;
    }
    this.alerted.set(profile.iccid, level);
    const { iccid, data_consumed, data_total, percentage_consumed } = renderUsage(profile);
    this.send({
      iccid,
      event_type: 'USAGE_ALERT',
      event_timestamp: microsecondTimestamp(profile.updatedAt),
      data_consumed,
      data_total,
      percentage_consumed,
    });
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

/** The highest documented level the package's consumption reached; 0 below 50 % or without a total (unlimited). */
function levelOf(profile: SimProfile): number {
  if (!profile.totalBytes) return 0;
  const percent = (profile.usedBytes / profile.totalBytes) * 100;
  return ALERT_LEVELS.find((level) => percent >= level) ?? 0;
}

function lifecycle(change: DeviceChange): OutboundEvent {
  return {
    iccid: change.profile.iccid,
    event_type: 'PROFILE_LIFECYCLE',
    event_timestamp: microsecondTimestamp(change.at),
    eid: change.eid,
    status: change.word,
  };
}
