import { In, IsNull, LessThanOrEqual } from 'typeorm';
import type { ProfileStatus } from '../../domain/profile-status';
import { ProfileEntity } from '../../db/entities';
import { inTransaction } from '../../db/transaction';
import { WorkQueue } from '../../db/work-queue';
import type { OrderingDeps } from '../ordering/order-flow';
import type { ProfileService } from '../ordering/profile.service';
import { profileChanges, profileRef } from '../ordering/records';
import { ProviderLanes, type LaneOptions } from '../per-provider';

const BATCH = 100;
const LEASE_MS = 60_000;
const LIVE: readonly ProfileStatus[] = ['NOT_INSTALLED', 'INSTALLED', 'ACTIVE', 'SUSPENDED', 'DEPLETED'];
/** Providers that call back are polled this many times less often: a safety net for lost callbacks. */
const WEBHOOK_SAFETY_FACTOR = 5;

export interface PollerOptions extends LaneOptions {
  /** USAGE_POLL_INTERVAL_MS: how often a profile of a provider without webhooks is read. */
  readonly intervalMs: number;
}

/**
 * Reads usage (and, where no webhook tells, state) of live profiles upstream on a schedule:
 * every USAGE_POLL_INTERVAL_MS for providers without webhooks (Comium), five times slower for
 * the others. Profiles are a leased queue on their next poll time (the shared one, db/work-queue.ts),
 * so with several instances each profile is polled by one of them at a time. Reads go through the
 * adapters, so each provider's rate limit and batch size hold; changes are recorded and published
 * by ProfileService.
 *
 * Batches run in one lane per provider (as the reconciler's: bounded in flight, each under a
 * deadline) and a pass does not wait for them, so a provider that hangs never holds up another's polls.
 */
export class Poller {
  private readonly lanes: ProviderLanes;
  private readonly queue: WorkQueue<ProfileEntity>;

  constructor(
    private readonly deps: OrderingDeps,
    private readonly profiles: ProfileService,
    private readonly options: PollerOptions,
  ) {
    this.lanes = new ProviderLanes(options, deps.logger, 'poller');
    this.queue = new WorkQueue(deps.db, { entity: ProfileEntity, dueAt: 'nextPollAt' });
  }

  /** One pass that resolves once the polls it started have finished or passed their deadline. */
  async tick(now = new Date()): Promise<void> {
    await Promise.all(await this.dispatch(now));
  }

  /** Starts the due polls in their providers' lanes; answers them without waiting for them. */
  async dispatch(now = new Date()): Promise<Promise<void>[]> {
    const started: Promise<void>[] = [];
    try {
      const open = this.deps.registry
        .all()
        .map((a) => a.id)
        .filter((id) => this.lanes.free(id) > 0);
      if (!open.length) return started;
      const live = { status: In([...LIVE]), providerId: In(open) };
      // Never polled yet: due one interval after allocation (it was just read then). Found outside the
      // queue, since its due column is still null, and leased through it like the rest.
      const fresh = await this.deps.db.getRepository(ProfileEntity).find({
        where: {
          ...live,
          nextPollAt: IsNull(),
          createdAt: LessThanOrEqual(new Date(now.getTime() - this.options.intervalMs)),
        },
        take: BATCH,
      });
      const due = [...fresh, ...(await this.queue.due(now, BATCH, { where: live }))];
      const until = new Date(now.getTime() + LEASE_MS);
      const byProvider = new Map<string, ProfileEntity[]>();
      for (const p of due) byProvider.set(p.providerId, [...(byProvider.get(p.providerId) ?? []), p]);
      for (const [providerId, list] of byProvider) {
        const size = Math.max(1, this.deps.registry.get(providerId).batchLimits.usage);
        for (let i = 0; i < list.length; i += size) {
          const batch = list.slice(i, i + size);
          const run = this.lanes.run(providerId, async (signal) => {
            const leased: ProfileEntity[] = [];
            for (const profile of batch) if (await this.queue.lease(profile, until)) leased.push(profile);
            if (leased.length) await this.poll(providerId, leased, signal);
          });
          if (!run) break; // lane full: the rest waits for a later pass, unleased
          started.push(run);
        }
      }
    } catch (error) {
      this.deps.logger.error({ err: (error as Error).message }, 'poll pass failed; next pass retries');
    }
    return started;
  }

  /** Refuses new polls and lets the running ones record what they read. */
  stop(): Promise<void> {
    return this.lanes.stop();
  }

  private async poll(providerId: string, batch: ProfileEntity[], signal: AbortSignal): Promise<void> {
    const adapter = this.deps.registry.get(providerId);
    const hasWebhooks = this.deps.registry.find(providerId, 'WEBHOOKS') !== undefined;
    try {
      if (!hasWebhooks) {
        // Nothing calls back: states (installed, expired…) are only ever seen by asking.
        const states = await adapter.getProfiles(batch.map(profileRef), signal);
        await Promise.all(
          batch.map(
            (p, j) =>
              states[j] && this.profiles.applyState(p, profileChanges(p, states[j]!, this.deps.logger), new Date()),
          ),
        );
      }
      // Every adapter reads usage (USAGE is part of the port).
      const readings = await adapter.getUsage(batch.map(profileRef), signal);
      await Promise.all(batch.map((p, j) => readings[j] && this.profiles.recordUsage(p, readings[j]!)));
    } catch (error) {
      this.deps.logger.warn({ providerId, err: (error as Error).message }, 'poll failed; retried next interval');
    }
    const every = this.options.intervalMs * (hasWebhooks ? WEBHOOK_SAFETY_FACTOR : 1);
    await inTransaction(this.deps.db, async (tx) => {
      for (const p of batch)
        await tx
          .getRepository(ProfileEntity)
          .update({ id: p.id }, { nextPollAt: new Date(Date.now() + every * (0.9 + Math.random() * 0.2)) });
    });
  }
}
