import { createHmac, randomBytes } from 'node:crypto';
import { CallbackSender } from '../shared/callbacks';
import type { Persistable } from '../shared/persistence';

/**
 * The platform's webhook subscriptions ("Webhooks" in seed 003) and their deliveries. Documented:
 * the create body (`name`, `endpoint_url`, `event_types`, `secret`, `timeout_seconds`,
 * `retry_count`), the event types `ORDER_STATUS` and `ESIM_STATUS`, the statuses `active`,
 * `inactive`, `failed`, the automatic test on creation and the delivery logs. ASSUMED (see the
 * adapter's README): the envelope, the other event types and the signature headers.
 */

/** ORDER_STATUS and ESIM_STATUS are documented; ESIM_USAGE and TOPUP_STATUS are ASSUMED. */
export const EVENT_TYPES = ['ORDER_STATUS', 'ESIM_STATUS', 'ESIM_USAGE', 'TOPUP_STATUS'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** Sent by the automatic test on creation and by "Send Test Webhook"; not subscribable. */
export type AnyEventType = EventType | 'TEST';
export type SubscriptionStatus = 'active' | 'inactive' | 'failed';

export interface SubscriptionSettings {
  readonly name: string;
  readonly endpointUrl: string;
  readonly eventTypes: readonly EventType[];
  readonly secret: string;
  readonly timeoutSeconds: number;
  readonly retryCount: number;
  readonly status: SubscriptionStatus;
}

interface LogEntry {
  readonly id: string;
  readonly event_id: string;
  readonly event_type: AnyEventType;
  readonly created_at: string;
}

export interface Subscription extends SubscriptionSettings {
  readonly id: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly sender: CallbackSender;
  readonly log: readonly LogEntry[];
}

/** Log entries kept per subscription: enough for a sandbox, bounded memory. */
const MAX_LOG = 200;

/** A subscription as saved: everything but its sender, which is built again at restore. */
type SavedSubscription = Omit<Subscription, 'sender'>;

export class WebhookHub implements Persistable {
  private readonly subscriptions = new Map<string, Subscription>();
  /** Senders replaced by an update keep their queued deliveries until the simulator is disposed. */
  private readonly retired: CallbackSender[] = [];

  constructor(private readonly options: { readonly chaos: number | undefined; readonly now: () => number }) {}

  list(): Subscription[] {
    return [...this.subscriptions.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  get(id: string): Subscription | undefined {
    return this.subscriptions.get(id);
  }

  create(settings: SubscriptionSettings): Subscription {
    const at = new Date(this.options.now());
    const sub: Subscription = {
      ...settings,
      id: `wh-${randomBytes(6).toString('hex')}`,
      createdAt: at,
      updatedAt: at,
      sender: this.senderFor(settings),
      log: [],
    };
    this.subscriptions.set(sub.id, sub);
    return sub;
  }

  update(id: string, settings: SubscriptionSettings): Subscription | undefined {
    const old = this.subscriptions.get(id);
    if (!old) return undefined;
    // Timeout and retries are fixed per sender: a change gets a new one (the old one finishes its queue).
    const sameTransport = old.timeoutSeconds === settings.timeoutSeconds && old.retryCount === settings.retryCount;
    if (!sameTransport) this.retired.push(old.sender);
    const sender = sameTransport ? old.sender : this.senderFor(settings);
    sender.setTarget({ url: settings.endpointUrl, headers: {} });
    const sub: Subscription = { ...old, ...settings, updatedAt: new Date(this.options.now()), sender };
    this.subscriptions.set(id, sub);
    return sub;
  }

  remove(id: string): boolean {
    const sub = this.subscriptions.get(id);
    if (!sub) return false;
    // Deliveries already queued still go out, as on a real platform; the sender is released at dispose.
    this.retired.push(sub.sender);
    sub.sender.setTarget(null);
    return this.subscriptions.delete(id);
  }

  /**
   * One event to every active subscription of its type (or to `only`): serialized once, signed
   * per subscription with that subscription's secret over the exact bytes sent.
   */
  publish(type: AnyEventType, data: unknown, only?: Subscription): string {
    const id = `evt-${randomBytes(12).toString('hex')}`;
    const createdAt = new Date(this.options.now()).toISOString();
    const body = JSON.stringify({ id, event_type: type, created_at: createdAt, data });
    const targets = only
      ? [only]
      : this.list().filter((s) => s.status === 'active' && (s.eventTypes as readonly string[]).includes(type));
    for (const sub of targets) {
      sub.sender.send(body, {
        'X-Webhook-Signature': `sha256=${createHmac('sha256', sub.secret).update(body, 'utf8').digest('hex')}`,
        'X-Webhook-Timestamp': String(Math.floor(this.options.now() / 1000)),
        'X-Webhook-Event': type,
        'X-Webhook-Id': id,
        'User-Agent': 'eSIM-Platform-Webhooks/1.0',
      });
      const log = sub.log as LogEntry[];
      log.push({ id: `dlv-${randomBytes(6).toString('hex')}`, event_id: id, event_type: type, created_at: createdAt });
      if (log.length > MAX_LOG) log.shift();
    }
    return id;
  }

  /** Subscriptions with their secrets and logs: a restarted platform keeps delivering to them. */
  snapshot(): SavedSubscription[] {
    return this.list().map(({ sender: _sender, ...saved }) => saved);
  }

  restore(data: unknown): void {
    for (const sub of this.subscriptions.values()) sub.sender.dispose();
    this.subscriptions.clear();
    for (const saved of data as SavedSubscription[])
      this.subscriptions.set(saved.id, { ...saved, sender: this.senderFor(saved) });
  }

  dispose(): void {
    for (const sub of this.subscriptions.values()) sub.sender.dispose();
    for (const sender of this.retired) sender.dispose();
    this.subscriptions.clear();
    this.retired.length = 0;
  }

  private senderFor(settings: SubscriptionSettings): CallbackSender {
    const sender = new CallbackSender({
      chaos: this.options.chaos,
      retries: settings.retryCount,
      timeoutMs: settings.timeoutSeconds * 1000,
    });
    sender.setTarget({ url: settings.endpointUrl, headers: {} });
    return sender;
  }
}
