import { randomUUID } from 'node:crypto';
import { IsNull, type DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { NotFoundError, UnauthenticatedError } from '../../domain/errors';
import type { WebhookEvent } from '../../domain/webhook-event';
import { OrderPartEntity, ProfileEntity, WebhookInboxEntity } from '../../db/entities';
import { inTransaction, isUniqueViolation } from '../../db/transaction';
import { WorkQueue } from '../../db/work-queue';
import type { ProviderRegistry } from '../../providers/registry';
import type { WebhookDelivery } from '../../providers/provider-adapter';
import type { OrderFlow } from '../ordering/order-flow';
import type { ProfileService } from '../ordering/profile.service';
import { randomSecret, type SettingsService } from '../settings/settings.service';
import { eventTime } from './event-time';
import { readDelivery } from './webhook-body';
import { WebhookCredentials, type WebhookSecretsConfig } from './webhook-credentials';

const BATCH = 50;
const LEASE_MS = 30_000;
const MAX_ATTEMPTS = 10;

export interface WebhookDeps {
  readonly db: DataSource;
  readonly registry: ProviderRegistry;
  readonly settings: SettingsService;
  readonly flow: OrderFlow;
  readonly profiles: ProfileService;
  readonly logger: Logger;
  /** PUBLIC_URL: what providers call back. */
  readonly publicUrl: string;
  /** WEBHOOK_SECRET, the master every provider's credential derives from; null: generated once, shared through the database. */
  readonly configuredSecret: string | null;
  /** Per-provider credentials and the previous ones still accepted during a rotation (webhook-credentials.ts). */
  readonly webhookSecrets: WebhookSecretsConfig;
}

/**
 * Provider callbacks, from the HTTP route to their effect:
 * 1. `receive`: authenticate with that provider's own credential (before reading anything else),
 *    normalize within bounds, clamp the provider's event time to our clock, store in the inbox
 *    under (provider, event id) so a duplicate is a no-op, and acknowledge: the route answers at once.
 * 2. `drain`: process stored events, oldest first, each leased to one instance through the shared
 *    queue (db/work-queue.ts, on `lease_until`) and marked done.
 *    Every event is a hint: orders are advanced through the same state machine as the reconciler,
 *    states are applied only if newer than the stored one, usage is recorded (or read upstream).
 */
export class WebhookService {
  private secret: Promise<string> | null = null;
  private readonly credentials: WebhookCredentials;
  private readonly inbox: WorkQueue<WebhookInboxEntity>;
  private readonly signing = new Map<string, { value: string | null; until: number }>();
  private draining: Promise<void> | null = null;
  private again = false;

  constructor(private readonly deps: WebhookDeps) {
    this.credentials = new WebhookCredentials(deps.webhookSecrets, () => this.masterSecret());
    this.inbox = new WorkQueue(deps.db, { entity: WebhookInboxEntity, dueAt: 'leaseUntil', nullIsDue: true });
  }

  async receive(providerId: string, delivery: WebhookDelivery): Promise<{ accepted: number; duplicates: number }> {
    const webhooks = this.deps.registry.find(providerId, 'WEBHOOKS');
    if (!webhooks) throw new NotFoundError(`Webhook endpoint for "${providerId}"`);
    const signingSecret = await this.signingSecret(providerId);
    const accepted = await this.credentials.accepted(providerId);
    // Every accepted credential is tried, so which one matched takes no different time.
    if (!accepted.reduce((ok, secret) => webhooks.verify(delivery, { secret, signingSecret }) || ok, false))
      throw new UnauthenticatedError('The delivery could not be authenticated.');
    const events = readDelivery(webhooks, delivery);
    const receivedAt = new Date();
    let duplicates = 0;
    for (const raw of events) {
      const occurredAt = eventTime(raw.occurredAt, receivedAt);
      const event: WebhookEvent = { ...raw, occurredAt: occurredAt?.toISOString() ?? null };
      try {
        await inTransaction(this.deps.db, (tx) =>
          tx.getRepository(WebhookInboxEntity).insert({
            id: randomUUID(),
            providerId,
            eventId: event.eventId.slice(0, 120),
            event: JSON.stringify(event),
            occurredAt,
            receivedAt,
            processedAt: null,
            leaseUntil: null,
            attempts: 0,
            lastError: null,
          }),
        );
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        duplicates++;
      }
    }
    if (events.length > duplicates) this.kick();
    return { accepted: events.length - duplicates, duplicates };
  }

  /**
   * Tells every provider that allows it by API where to call back, with its own current
   * credential. Failures are logged; `registerAll` may run again.
   */
  async registerAll(): Promise<void> {
    await Promise.all(
      this.deps.registry.all().map(async (adapter) => {
        const webhooks = this.deps.registry.find(adapter.id, 'WEBHOOKS');
        if (!webhooks?.register) return;
        const secret = await this.credentials.current(adapter.id);
        const url = `${this.deps.publicUrl.replace(/\/$/, '')}/webhooks/${adapter.id}?token=${encodeURIComponent(secret)}`;
        try {
          const registered = await webhooks.register({ url, secret });
          if (registered?.signingSecret)
            await this.deps.settings.set(`webhook.signing.${adapter.id}`, registered.signingSecret);
          this.signing.delete(adapter.id);
          this.deps.logger.info({ providerId: adapter.id }, 'webhook registered');
        } catch (error) {
          this.deps.logger.warn(
            { providerId: adapter.id, err: (error as Error).message },
            'webhook registration failed; polling covers this provider meanwhile',
          );
        }
      }),
    );
  }

  /** Processes what the inbox holds now; concurrent calls share one pass (and ask for another). */
  kick(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      do {
        this.again = false;
        await this.drain().catch((error) =>
          this.deps.logger.error({ err: (error as Error).message }, 'webhook inbox pass failed'),
        );
      } while (this.again);
    })().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const now = new Date();
      const rows = await this.inbox.due(now, BATCH, {
        where: { processedAt: IsNull() },
        order: { occurredAt: 'ASC', receivedAt: 'ASC' },
      });
      if (rows.length === 0) return;
      // Providers side by side, each one's events in order: a hung provider holds only its own.
      const byProvider = new Map<string, WebhookInboxEntity[]>();
      for (const row of rows) byProvider.set(row.providerId, [...(byProvider.get(row.providerId) ?? []), row]);
      await Promise.all(
        [...byProvider.values()].map(async (group) => {
          for (const row of group) await this.process(row, now);
        }),
      );
    }
  }

  private async process(row: WebhookInboxEntity, now: Date): Promise<void> {
    if (!(await this.inbox.lease(row, new Date(now.getTime() + LEASE_MS), { attempts: row.attempts + 1 }))) return;
    // Abandoned well inside the lease, so no other instance takes the event while we still work on it.
    const deadline = AbortSignal.timeout(LEASE_MS / 2);
    try {
      await this.apply(
        row.providerId,
        JSON.parse(row.event) as WebhookEvent,
        row.occurredAt ?? row.receivedAt,
        deadline,
      );
      // The lease ends now rather than going back to null: another instance that read the row
      // before our lease would otherwise find it as it read it, lease it and process it again.
      const done = new Date();
      await inTransaction(this.deps.db, (tx) =>
        tx
          .getRepository(WebhookInboxEntity)
          .update({ id: row.id }, { processedAt: done, leaseUntil: done, lastError: null }),
      );
    } catch (error) {
      const gaveUp = row.attempts + 1 >= MAX_ATTEMPTS;
      this.deps.logger.warn(
        { providerId: row.providerId, eventId: row.eventId, err: (error as Error).message, gaveUp },
        'webhook event failed',
      );
      await inTransaction(this.deps.db, (tx) =>
        tx.getRepository(WebhookInboxEntity).update(
          { id: row.id },
          {
            lastError: (error as Error).message.slice(0, 500),
            leaseUntil: new Date(Date.now() + Math.min(60_000, 500 * 2 ** row.attempts)),
            processedAt: gaveUp ? new Date() : null,
          },
        ),
      );
    }
  }

  private async apply(providerId: string, event: WebhookEvent, at: Date, signal: AbortSignal): Promise<void> {
    const { flow, profiles, registry } = this.deps;
    if (event.kind === 'ORDER') {
      const part = await this.partOf(providerId, event);
      if (part) await flow.advance(part.orderId, signal);
      return;
    }
    const profile = await this.profileOf(providerId, event);
    if (!profile) {
      // Not recorded yet (its order is still being allocated): let the order catch up first.
      const part = await this.partOf(providerId, event);
      if (part) await flow.advance(part.orderId, signal);
      return;
    }
    if (event.expiresAt) await profiles.applyExpiry(profile, new Date(event.expiresAt));
    if (event.device) await profiles.applyDevice(profile, event.device, at);
    switch (event.kind) {
      case 'USAGE': {
        const updatedAt = (event.occurredAt ? at : new Date()).toISOString();
        const reading = event.usage
          ? { ...event.usage, updatedAt }
          : (await registry.get(providerId).getUsage([profile], signal))[0];
        if (event.remainingThreshold != null)
          await profiles.recordAlert(profile, event.remainingThreshold, reading && { ...reading, updatedAt });
        else if (reading) await profiles.recordUsage(profile, { ...reading, updatedAt });
        return;
      }
      case 'DEVICE':
      case 'EXPIRY':
        // Applied above; a device event never touches the plan status. Without its payload, read the provider.
        if (!event.device && !event.expiresAt) await profiles.refreshState(profile);
        return;
      default:
        if (event.status && event.occurredAt) {
          await profiles.applyState(
            profile,
            {
              status: event.status,
              rawStatus: (event.rawStatus ?? profile.rawStatus).slice(0, 64),
              updatedAt: new Date(),
            },
            at,
          );
        } else {
          await profiles.refreshState(profile); // an unknown word, or no time to order it by: read the provider's word now
        }
    }
  }

  private async partOf(providerId: string, event: WebhookEvent): Promise<OrderPartEntity | null> {
    const repo = this.deps.db.getRepository(OrderPartEntity);
    if (event.reference) {
      const part = await repo.findOneBy({ id: event.reference });
      if (part) return part;
    }
    if (!event.providerOrderId) return null;
    const parts = await repo
      .createQueryBuilder('p')
      .innerJoin('esim_order', 'o', 'o.id = p.order_id')
      .where('p.provider_order_id = :id AND o.provider_id = :providerId', { id: event.providerOrderId, providerId })
      .getMany();
    return parts[0] ?? null;
  }

  private async profileOf(providerId: string, event: WebhookEvent): Promise<ProfileEntity | null> {
    const repo = this.deps.db.getRepository(ProfileEntity);
    if (event.providerProfileId) {
      const found = await repo.findOneBy({ providerId, providerProfileId: event.providerProfileId });
      if (found) return found;
    }
    return event.iccid
      ? repo.findOne({ where: { providerId, iccid: event.iccid }, order: { createdAt: 'DESC' } })
      : null;
  }

  /** The secret a provider generated at registration, if any (stored, shared by every instance). */
  private async signingSecret(providerId: string): Promise<string | null> {
    const memo = this.signing.get(providerId);
    if (memo && memo.until > Date.now()) return memo.value;
    const value = await this.deps.settings.get(`webhook.signing.${providerId}`);
    // Kept briefly: a registration by another instance is seen within seconds, without a query per delivery.
    this.signing.set(providerId, { value, until: Date.now() + 5000 });
    return value;
  }

  /** Never sent anywhere: only the per-provider credentials derived from it are. */
  private masterSecret(): Promise<string> {
    if (this.deps.configuredSecret) return Promise.resolve(this.deps.configuredSecret);
    this.secret ??= this.deps.settings.getOrCreate('webhook.secret', randomSecret);
    return this.secret;
  }
}
