import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DATETIME } from '../columns';

/**
 * Every authenticated provider callback, one row per normalized event, stored before it is
 * acknowledged. The unique (provider, event id) makes a repeated delivery a no-op; the processor
 * handles rows oldest event first and marks them processed.
 */
@Entity({ name: 'webhook_inbox' })
@Index('uq_webhook_inbox_event', ['providerId', 'eventId'], { unique: true })
@Index('idx_webhook_inbox_pending', ['processedAt', 'leaseUntil'])
export class WebhookInboxEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'provider_id', type: 'varchar', length: 32 })
  providerId: string;

  @Column({ name: 'event_id', type: 'varchar', length: 120 })
  eventId: string;

  /** The normalized WebhookEvent as JSON. */
  @Column({ type: 'text' })
  event: string;

  @Column({ name: 'occurred_at', ...DATETIME, nullable: true })
  occurredAt: Date | null;

  @Column({ name: 'received_at', ...DATETIME })
  receivedAt: Date;

  @Column({ name: 'processed_at', ...DATETIME, nullable: true })
  processedAt: Date | null;

  /** While set in the future, one instance is processing the row. */
  @Column({ name: 'lease_until', ...DATETIME, nullable: true })
  leaseUntil: Date | null;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;
}
