import type { InventoryEvent, SimInventory, SimOrder, SimProfile } from '../shared/inventory';
import type { WebhookHub } from './webhook-hub';
import { orderStatus, wireEsim, wireOrder, wireTopUp, type WireEsimStatus, type WireOrderStatus } from './wire';

/**
 * Turns inventory events into the platform's webhook events (payloads ASSUMED, see the adapter's
 * README), each `data` holding the same objects the REST API answers:
 * - ORDER_STATUS `{ order }` when an order is allocated, and whenever its status word changes;
 * - ESIM_STATUS `{ esim }` whenever an eSIM's status word changes, including the changes a usage
 *   report causes (first use → active, allowance used up → depleted);
 * - ESIM_USAGE `{ usage: { esimTranNo, iccid, dataUsage, totalData, lastUpdateTime } }` in bytes,
 *   on EVERY usage report (the sandbox does not wait for thresholds), so a gateway always hears;
 * - TOPUP_STATUS `{ topup }` for every completed top-up.
 */
export function publishInventoryEvents(inventory: SimInventory, hub: WebhookHub, now: () => number): void {
  // Last word sent per eSIM and per order: a status event goes out only when the word changes.
  const esimWords = new Map<string, WireEsimStatus>();
  const orderWords = new Map<string, WireOrderStatus>();

  const esimChanged = (p: SimProfile): void => {
    const esim = wireEsim(p, now());
    if (esimWords.get(p.iccid) === esim.status) return;
    esimWords.set(p.iccid, esim.status);
    hub.publish('ESIM_STATUS', { esim });
    const order = inventory.order(p.orderId);
    if (order) orderChanged(order);
  };
  const orderChanged = (o: SimOrder): void => {
    if (orderWords.get(o.id) === orderStatus(o)) return;
    const order = wireOrder(o, now());
    orderWords.set(o.id, order.status);
    hub.publish('ORDER_STATUS', { order });
  };

  inventory.on((event: InventoryEvent) => {
    switch (event.type) {
      case 'ORDER_ALLOCATED':
        // The order event carries every eSIM with its first word; no separate ESIM_STATUS for it.
        for (const p of event.order.profiles) esimWords.set(p.iccid, wireEsim(p, now()).status);
        orderChanged(event.order);
        return;
      case 'PROFILE_STATE':
        esimChanged(event.profile);
        return;
      case 'USAGE': {
        const p = event.profile;
        hub.publish('ESIM_USAGE', {
          usage: { esimTranNo: p.handle, iccid: p.iccid, dataUsage: p.usedBytes, totalData: p.totalBytes, lastUpdateTime: p.updatedAt.toISOString() },
        });
        esimChanged(p);
        return;
      }
      case 'TOP_UP':
        hub.publish('TOPUP_STATUS', { topup: { ...wireTopUp(event.topUp, event.profile), esim_tran_no: event.profile.handle } });
        esimChanged(event.profile);
        return;
      default: {
        const unknown: never = event;
        void unknown;
      }
    }
  });
}
