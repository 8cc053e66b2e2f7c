import { createHmac, randomBytes } from 'node:crypto';
import { CallbackSender } from '../shared/callbacks';
import type { InventoryEvent, SimProfile } from '../shared/inventory';
import { entriesOf, refill, type Persistable } from '../shared/persistence';
import type { EsimTradeBook } from './book';
import type { WebhookEventType, WebhookSettings } from './webhook-settings';
import { ESIM_STATUS_WORDS, renderEsim, renderOrder, renderTopUp } from './wire';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (assumed, Stripe-like). */
export const SIGNATURE_HEADER = 'X-eSIMTrade-Signature';
export const EVENT_HEADER = 'X-eSIMTrade-Event';
/** Sent once after every PATCH that sets a URL, so the reseller can see the endpoint works. */
export const TEST_EVENT = 'webhook.test';

/**
 * eSIMTrade's deliveries, built from the shared inventory's events (payloads ASSUMED, see the
 * adapter README): `{ id, type, created_at, data }`, signed with the secret set through
 * `PATCH /reseller/webhook`. Every eSIM event carries the eSIM as `/reseller/esims` shows it;
 * `order.completed` the order as `/portal/orders` does; `topup.completed` the top-up as the
 * POST answers it. Every usage change is delivered (the real provider might send thresholds only).
 */
export class EsimTradeWebhookDispatcher implements Persistable {
  private readonly sender: CallbackSender;
  /** The status word last announced per ICCID: a usage change or top-up that moves the state announces it too. */
  private readonly announced = new Map<string, string>();

  constructor(
    private readonly settings: WebhookSettings,
    private readonly book: EsimTradeBook,
    chaos?: number,
  ) {
    this.sender = new CallbackSender({ chaos });
    book.inventory.on((event) => this.onInventory(event));
  }

  /** After a PATCH: points the sender at the new URL (or nowhere) and pings it. */
  settingsChanged(): void {
    const { url } = this.settings;
    this.sender.setTarget(url === null ? null : { url, headers: {} });
    if (url !== null) this.deliver(TEST_EVENT, { message: 'Webhook endpoint updated.' }, new Date(), true);
  }

  dispose(): void {
    this.sender.dispose();
  }

  snapshot(): [string, string][] {
    return entriesOf(this.announced);
  }

  /** After the settings' restore: delivers to the saved URL again, without a new test ping. */
  restore(data: unknown): void {
    refill(this.announced, data);
    const { url } = this.settings;
    this.sender.setTarget(url === null ? null : { url, headers: {} });
  }

  private onInventory(event: InventoryEvent): void {
    switch (event.type) {
      case 'ORDER_ALLOCATED': {
        const { order } = event;
        for (const profile of order.profiles) this.announced.set(profile.iccid, ESIM_STATUS_WORDS[profile.state]);
        // With no allocation delay the inventory announces the order inside `placeOrder`, before
        // the book has stored its reference: render once the current call has finished.
        queueMicrotask(() =>
          this.deliver(
            'order.completed',
            renderOrder(order, this.book.reference(order)),
            order.allocatedAt ?? new Date(),
          ),
        );
        return;
      }
      case 'PROFILE_STATE':
        this.announceState(event.profile);
        return;
      case 'USAGE':
        this.announceState(event.profile);
        this.deliver('esim.usage_updated', renderEsim(event.profile), event.profile.updatedAt);
        return;
      case 'TOP_UP':
        this.deliver('topup.completed', renderTopUp(event.topUp, event.profile), event.topUp.createdAt);
        this.announceState(event.profile);
        return;
      default: {
        const unknown: never = event;
        throw new Error(`unhandled inventory event ${JSON.stringify(unknown)}`);
      }
    }
  }

  private announceState(profile: SimProfile): void {
    const word = ESIM_STATUS_WORDS[profile.state];
    const previous = this.announced.get(profile.iccid) ?? null;
    if (previous === word) return;
    this.announced.set(profile.iccid, word);
    this.deliver('esim.status_changed', { ...renderEsim(profile), previous_status: previous }, profile.updatedAt);
  }

  /** Serializes once and signs those exact bytes; unsubscribed types are dropped (the test ping never is). */
  private deliver(type: WebhookEventType | typeof TEST_EVENT, data: unknown, at: Date, always = false): void {
    const { secret, events } = this.settings;
    if (secret === null || this.sender.target() === null) return;
    if (!always && !events.includes(type as WebhookEventType)) return;
    const body = JSON.stringify({
      id: `evt_${randomBytes(12).toString('hex')}`,
      type,
      created_at: at.toISOString(),
      data,
    });
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    this.sender.send(body, { [SIGNATURE_HEADER]: `t=${t},v1=${v1}`, [EVENT_HEADER]: type });
  }
}
