import type { InventoryEvent, SimInventory, SimOrder, SimProfile } from '../shared/inventory';
import { entriesOf, refill, type Persistable } from '../shared/persistence';
import type { WebhookHub } from './webhook-hub';
import { orderStatus, wireOrderRead, wireProfile, wireUsage, type WireEsimStatus, type WireOrderStatus } from './wire';

/**
 * Turns inventory events into the platform's webhook events. The document prints no delivery
 * body, so the payloads are the adapter's assumption (see its README): each `data` holds the
 * object the REST API answers, data in MB as everywhere else:
 * - ORDER_STATUS `{ order }` (as "Get Order Details") when an order is allocated, and whenever its
 *   status word changes;
 * - ESIM_STATUS `{ profile }` (as "Get Profile Information") whenever an eSIM's status word
 *   changes, including the changes a usage report causes (first use → active, used up → depleted);
 * - ESIM_USAGE `{ usage: { iccid, data_used, data_limit, percent_used } }` (as "Get Profile Usage",
 *   plus the ICCID) on EVERY usage report (the sandbox does not wait for thresholds);
 * - TOPUP_STATUS `{ topup: { iccid, package_code } }` for every completed top-up.
 * Returns the words last sent, to be saved with the simulator's state.
 */
export function publishInventoryEvents(inventory: SimInventory, hub: WebhookHub, now: () => number): Persistable {
  // Last word sent per eSIM and per order: a status event goes out only when the word changes.
  const esimWords = new Map<string, WireEsimStatus>();
  const orderWords = new Map<string, WireOrderStatus>();

  const esimChanged = (p: SimProfile): void => {
    const profile = wireProfile(p, now());
    if (esimWords.get(p.iccid) === profile.status) return;
    esimWords.set(p.iccid, profile.status);
    hub.publish('ESIM_STATUS', { profile });
    const order = inventory.order(p.orderId);
    if (order) orderChanged(order);
  };
  const orderChanged = (o: SimOrder): void => {
    if (orderWords.get(o.id) === orderStatus(o)) return;
    const order = wireOrderRead(o);
    orderWords.set(o.id, order.status);
    hub.publish('ORDER_STATUS', { order });
  };

  inventory.on((event: InventoryEvent) => {
    switch (event.type) {
      case 'ORDER_ALLOCATED':
        // The order event names the eSIM; its first word goes out with no separate ESIM_STATUS.
        for (const p of event.order.profiles) esimWords.set(p.iccid, wireProfile(p, now()).status);
        orderChanged(event.order);
        return;
      case 'PROFILE_STATE':
        esimChanged(event.profile);
        return;
      case 'USAGE': {
        const p = event.profile;
        hub.publish('ESIM_USAGE', { usage: { iccid: p.iccid, ...wireUsage(p) } });
        esimChanged(p);
        return;
      }
      case 'TOP_UP':
        hub.publish('TOPUP_STATUS', { topup: { iccid: event.profile.iccid, package_code: event.topUp.plan.code } });
        esimChanged(event.profile);
        return;
      default: {
        const unknown: never = event;
        void unknown;
      }
    }
  });

  return {
    snapshot: () => ({ esim: entriesOf(esimWords), order: entriesOf(orderWords) }),
    restore: (data) => {
      const saved = data as { esim: unknown; order: unknown };
      refill(esimWords, saved.esim);
      refill(orderWords, saved.order);
    },
  };
}
