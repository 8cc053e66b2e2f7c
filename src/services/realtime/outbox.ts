import { randomUUID } from 'node:crypto';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { OutboxEventEntity } from '../../db/entities';
import { afterCommit, inTransaction } from '../../db/transaction';
import { WorkQueue } from '../../db/work-queue';
import { ALL_ACCOUNTS, type GatewayPubSub, type Topic, type TopicPayloads } from '../../infra/pubsub';

/** The writer's own publish has this long before a sweep may send its events again. */
const HANDOFF_MS = 5000;
/** Published rows are deleted in one statement this often: well inside the handoff, and one write for many events. */
const DELETE_EVERY_MS = 200;
const DELETE_BATCH = 1000;
/** A sweep's claim on an event while it publishes it. */
const LEASE_MS = 10_000;
const BATCH = 200;

export type EventBody<K extends Topic> = Omit<TopicPayloads[K], 'eventId'>;

/**
 * Transactional outbox: an event is stored in the transaction of the change it announces, so the
 * two commit or roll back together. Right after the commit the writer publishes it and deletes the
 * row. If the writer dies first (or stalls past the handoff), the row comes due and `sweep` (on
 * any instance, at start-up and every few seconds) publishes it. Delivery is at least once; the
 * event id is stable, and a subscriber's instance drops a repeated delivery (subscription.resolver.ts).
 */
export class Outbox {
  private readonly queue: WorkQueue<OutboxEventEntity>;
  /** Per transaction, what it already announced: ten refunds in one commit are one wallet event. */
  private readonly added = new WeakMap<EntityManager, Set<string>>();
  private published: string[] = [];
  private deleting: Promise<void> | null = null;
  private deleteTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly pubsub: GatewayPubSub,
    private readonly logger: Logger,
  ) {
    this.queue = new WorkQueue(db, { entity: OutboxEventEntity, dueAt: 'dueAt' });
  }

  /** Stores the event in `tx`; published once `tx` commits (and never if it rolls back). */
  async add<K extends Topic>(tx: EntityManager, topic: K, body: EventBody<K>): Promise<void> {
    const payload = JSON.stringify(body);
    const seen = this.added.get(tx) ?? new Set<string>();
    this.added.set(tx, seen);
    if (seen.has(topic + payload)) return;
    seen.add(topic + payload);
    const now = new Date();
    const row: OutboxEventEntity = {
      id: randomUUID(),
      topic,
      payload,
      createdAt: now,
      dueAt: new Date(now.getTime() + HANDOFF_MS),
      attempts: 0,
    };
    await tx.getRepository(OutboxEventEntity).insert(row);
    afterCommit(tx, () => {
      if (this.publish(row)) this.forget(row.id);
    });
  }

  /** Publishes what writers left behind; answers how many. Public for tests. */
  async sweep(now = new Date()): Promise<number> {
    let sent = 0;
    for (;;) {
      const due = await this.queue.due(now, BATCH);
      const taken: OutboxEventEntity[] = [];
      for (const row of due)
        if (await this.queue.lease(row, new Date(Date.now() + LEASE_MS), { attempts: row.attempts + 1 }))
          taken.push(row);
      const published = taken.filter((row) => this.publish(row));
      await this.remove(published.map((row) => row.id));
      sent += published.length;
      if (due.length < BATCH) return sent;
    }
  }

  /** The periodic pass: a failure is logged, and the next pass tries again. */
  async tick(): Promise<void> {
    await this.sweep().catch((error) =>
      this.logger.error({ err: (error as Error).message }, 'outbox sweep failed; the next pass retries'),
    );
  }

  /** Waits for the deletes of what was published; called on shutdown, before the database closes. */
  async flush(): Promise<void> {
    while (this.deleting || this.published.length) await (this.deleting ?? this.deleteBatch());
  }

  /** False when the pub/sub refused it: the row stays, and a sweep sends it again after its lease. */
  private publish(row: OutboxEventEntity): boolean {
    const payload = { ...(JSON.parse(row.payload) as object), eventId: row.id } as TopicPayloads[Topic] & {
      accountId: string;
    };
    const send = this.pubsub.publish as (topic: Topic, route: string, payload: TopicPayloads[Topic]) => void;
    try {
      // To the owner's route and to the admins' route (see ALL_ACCOUNTS).
      send(row.topic as Topic, payload.accountId, payload);
      send(row.topic as Topic, ALL_ACCOUNTS, payload);
      return true;
    } catch (error) {
      this.logger.warn(
        { eventId: row.id, err: (error as Error).message },
        'event not published; the outbox sweep sends it again',
      );
      return false;
    }
  }

  /** Deletes published rows in batches, off the writer's path. */
  private forget(id: string): void {
    this.published.push(id);
    if (!this.deleteTimer && !this.deleting) this.scheduleDelete();
  }

  private scheduleDelete(): void {
    this.deleteTimer = setTimeout(() => void this.deleteBatch(), DELETE_EVERY_MS);
    this.deleteTimer.unref(); // shutdown deletes through flush()
  }

  private deleteBatch(): Promise<void> {
    clearTimeout(this.deleteTimer);
    this.deleteTimer = undefined;
    if (this.deleting) return this.deleting;
    const ids = this.published.splice(0, DELETE_BATCH);
    if (!ids.length) return Promise.resolve();
    this.deleting = this.remove(ids)
      .catch((error) =>
        this.logger.warn(
          { err: (error as Error).message },
          'published events not deleted; a sweep publishes them again',
        ),
      )
      .finally(() => {
        this.deleting = null;
        if (this.published.length) this.scheduleDelete();
      });
    return this.deleting;
  }

  private async remove(ids: readonly string[]): Promise<void> {
    if (ids.length)
      await inTransaction(this.db, (tx) => tx.getRepository(OutboxEventEntity).delete({ id: In([...ids]) }));
  }
}
