import { In, IsNull, LessThanOrEqual } from 'typeorm';
import type { PROFILE_STATUSES } from '../../domain/profile-status';
import { ProfileEntity } from '../../db/entities';
import { inTransaction } from '../../db/transaction';
import type { OrderingDeps } from '../ordering/order-flow';
import type { ProfileService } from '../ordering/profile.service';
import { profileChanges, profileRef } from '../ordering/records';

const BATCH = 100;
const LEASE_MS = 60_000;
const LIVE: readonly (typeof PROFILE_STATUSES)[number][] = ['NOT_INSTALLED', 'INSTALLED', 'ACTIVE', 'SUSPENDED', 'DEPLETED'];
/** Providers that call back are polled this many times less often: a safety net for lost callbacks. */
const WEBHOOK_SAFETY_FACTOR = 5;

export interface PollerOptions {
  /** USAGE_POLL_INTERVAL_MS: how often a profile of a provider without webhooks is read. */
  readonly intervalMs: number;
}

/**
 * Reads usage (and, where no webhook tells, state) of live profiles upstream on a schedule:
 * every USAGE_POLL_INTERVAL_MS for providers without webhooks (Comium), five times slower for
 * the others. Each profile carries its next poll time; an instance takes a due profile with a
 * conditional UPDATE of that time (a lease), so with several instances each profile is polled by
 * one of them at a time. Reads go through the adapters, so each provider's rate limit and batch
 * size hold; changes are recorded and published by ProfileService.
 */
export class Poller {
  constructor(
    private readonly deps: OrderingDeps,
    private readonly profiles: ProfileService,
    private readonly options: PollerOptions,
  ) {}

  async tick(now = new Date()): Promise<void> {
    try {
      const repo = this.deps.db.getRepository(ProfileEntity);
      // Never polled yet: due one interval after allocation (it was just read then).
      const fresh = await repo.find({ where: { nextPollAt: IsNull(), createdAt: LessThanOrEqual(new Date(now.getTime() - this.options.intervalMs)), status: In([...LIVE]) }, take: BATCH });
      const due = [...fresh, ...(await repo.find({ where: { nextPollAt: LessThanOrEqual(now), status: In([...LIVE]) }, order: { nextPollAt: 'ASC' }, take: BATCH }))];
      const leased: ProfileEntity[] = [];
      for (const profile of due) {
        const result = await inTransaction(this.deps.db, (tx) => tx.getRepository(ProfileEntity).update({ id: profile.id, nextPollAt: profile.nextPollAt ?? IsNull() }, { nextPollAt: new Date(now.getTime() + LEASE_MS) }));
        if (result.affected === 1) leased.push(profile);
      }
      const byProvider = new Map<string, ProfileEntity[]>();
      for (const p of leased) byProvider.set(p.providerId, [...(byProvider.get(p.providerId) ?? []), p]);
      await Promise.all([...byProvider].map(([providerId, list]) => this.poll(providerId, list)));
    } catch (error) {
      this.deps.logger.error({ err: (error as Error).message }, 'poll pass failed; next pass retries');
    }
  }

  private async poll(providerId: string, list: ProfileEntity[]): Promise<void> {
    const adapter = this.deps.registry.get(providerId);
    const hasWebhooks = adapter.capabilities.has('WEBHOOKS');
    const size = Math.max(1, adapter.batchLimits.usage);
    for (let i = 0; i < list.length; i += size) {
      const batch = list.slice(i, i + size);
      try {
        if (!hasWebhooks) {
          // Nothing calls back: states (installed, expired…) are only ever seen by asking.
          const states = await adapter.getProfiles(batch.map(profileRef));
          await Promise.all(batch.map((p, j) => states[j] && this.profiles.applyState(p, profileChanges(p, states[j]!, this.deps.logger), new Date())));
        }
        if (adapter.capabilities.has('USAGE')) {
          const readings = await adapter.getUsage(batch.map(profileRef));
          await Promise.all(batch.map((p, j) => readings[j] && this.profiles.recordUsage(p, readings[j]!)));
        }
      } catch (error) {
        this.deps.logger.warn({ providerId, err: (error as Error).message }, 'poll failed; retried next interval');
      }
      const every = this.options.intervalMs * (hasWebhooks ? WEBHOOK_SAFETY_FACTOR : 1);
      await inTransaction(this.deps.db, async (tx) => {
        for (const p of batch) await tx.getRepository(ProfileEntity).update({ id: p.id }, { nextPollAt: new Date(Date.now() + every * (0.9 + Math.random() * 0.2)) });
      });
    }
  }
}
