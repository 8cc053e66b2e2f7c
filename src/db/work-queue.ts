import {
  IsNull,
  LessThanOrEqual,
  Or,
  type DataSource,
  type EntityTarget,
  type FindManyOptions,
  type FindOptionsOrder,
  type FindOptionsWhere,
} from 'typeorm';
import { inTransaction } from './transaction';

export interface WorkQueueOptions<E> {
  readonly entity: EntityTarget<E>;
  /** The column saying when a row is next due; a lease moves it to the lease's end. */
  readonly dueAt: keyof E & string;
  /** A row without a due time is due (never tried yet); otherwise such a row is not queued. */
  readonly nullIsDue?: boolean;
}

export type DueQuery<E> = Omit<FindManyOptions<E>, 'take' | 'where'> & { readonly where?: FindOptionsWhere<E> };

/**
 * A leased work queue over one table: the reconciler's orders and top-ups, the poller's profiles,
 * the webhook inbox and the event outbox are all one of these.
 *
 * A row is due once its due time has passed. An instance takes it with a conditional UPDATE of
 * that time, from the value it read to the lease's end: of several instances (or passes) only one
 * UPDATE changes the row, and a row whose worker died comes due again when the lease runs out.
 * What the work writes afterwards (a later check, done) is the worker's own update.
 */
export class WorkQueue<E extends { id: string }> {
  constructor(
    private readonly db: DataSource,
    private readonly options: WorkQueueOptions<E>,
  ) {}

  /** Up to `take` rows due at `now`, earliest due first unless `query.order` says otherwise. */
  due(now: Date, take: number, query: DueQuery<E> = {}): Promise<E[]> {
    const { dueAt, nullIsDue } = this.options;
    const when = nullIsDue ? Or(IsNull(), LessThanOrEqual(now)) : LessThanOrEqual(now);
    return this.db.getRepository(this.options.entity).find({
      order: { [dueAt]: 'ASC' } as FindOptionsOrder<E>,
      ...query,
      where: { ...query.where, [dueAt]: when } as FindOptionsWhere<E>,
      take,
    });
  }

  /** Takes `row` until `until` if its due time is still the one read; `also` is written with the lease. */
  async lease(row: E, until: Date, also: Partial<E> = {}): Promise<boolean> {
    const { dueAt } = this.options;
    const seen = row[dueAt] as unknown as Date | null;
    const where = { id: row.id, [dueAt]: seen ?? IsNull() } as FindOptionsWhere<E>;
    const result = await inTransaction(this.db, (tx) =>
      tx.getRepository(this.options.entity).update(where, { ...also, [dueAt]: until } as never),
    );
    return result.affected === 1;
  }
}
