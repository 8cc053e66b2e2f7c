import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DATETIME } from '../columns';

/**
 * An event written in the same transaction as the change it announces (services/realtime/outbox.ts).
 * The writer publishes it right after its commit and deletes it; a row still here after `due_at`
 * belongs to a writer that died or stalled, and any instance's sweep publishes it again. The id
 * travels with the event, so a subscriber's instance drops a second delivery of it.
 */
@Entity({ name: 'event_outbox' })
@Index('idx_event_outbox_due', ['dueAt'])
export class OutboxEventEntity {
  /** The stable event id. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  topic: string;

  /** The topic's payload as JSON, without the event id. */
  @Column({ type: 'text' })
  payload: string;

  @Column({ name: 'created_at', ...DATETIME })
  createdAt: Date;

  /** When a sweep may publish it: the writer's handoff, then each sweep's lease. */
  @Column({ name: 'due_at', ...DATETIME })
  dueAt: Date;

  @Column({ type: 'integer' })
  attempts: number;
}
