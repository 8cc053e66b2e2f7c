import { In, type DataSource } from 'typeorm';
import type { Viewer } from '../../domain/account';
import { BadUserInputError } from '../../domain/errors';
import { OrderEntity, ProfileEntity, TopUpEntity } from '../../db/entities';
import type { OrderStatus } from '../../domain/order-status';
import { newestFirst, type Page } from '../../db/keyset';

export interface OrderFilter {
  readonly status?: OrderStatus | null;
  readonly providerId?: string | null;
  readonly reference?: string | null;
  readonly iccid?: string | null;
  readonly createdAfter?: Date | null;
  readonly createdBefore?: Date | null;
  /** true: unsettled orders flagged for a person (admins see every account's); false: the others. */
  readonly needsAttention?: boolean | null;
}

/**
 * Reads of orders, profiles and top-ups, always scoped to the viewer's account (admins: all), so
 * another account's rows are never listed and look exactly like missing ones. Batch methods feed
 * the per-request DataLoaders: one query per batch, never one per row.
 */
export class OrderQueries {
  constructor(private readonly db: DataSource) {}

  async orders(
    viewer: Viewer,
    filter: OrderFilter = {},
    first?: number | null,
    after?: string | null,
  ): Promise<Page<OrderEntity>> {
    const qb = this.db.getRepository(OrderEntity).createQueryBuilder('o').where('1 = 1');
    if (viewer.role !== 'ADMIN') qb.andWhere('o.account_id = :accountId', { accountId: viewer.accountId });
    if (filter.status) qb.andWhere('o.status = :status', { status: filter.status });
    if (filter.providerId) qb.andWhere('o.provider_id = :providerId', { providerId: filter.providerId });
    if (filter.reference) qb.andWhere('o.reference = :reference', { reference: filter.reference });
    if (filter.iccid)
      qb.andWhere('o.id IN (SELECT p.order_id FROM profile p WHERE p.iccid = :iccid)', { iccid: filter.iccid.trim() });
    if (filter.createdAfter)
      qb.andWhere('o.created_at >= :after', { after: validDate(filter.createdAfter, 'createdAfter') });
    if (filter.createdBefore)
      qb.andWhere('o.created_at < :before', { before: validDate(filter.createdBefore, 'createdBefore') });
    // A settled order's flag may outlive it until the reconciler's next sweep: the status decides.
    const flagged = "(o.attention_since IS NOT NULL AND o.status IN ('PENDING', 'PROCESSING'))";
    if (filter.needsAttention === true) qb.andWhere(flagged);
    if (filter.needsAttention === false) qb.andWhere(`NOT ${flagged}`);
    return newestFirst(qb, 'order', first, after);
  }

  async profiles(viewer: Viewer, first?: number | null, after?: string | null): Promise<Page<ProfileEntity>> {
    const qb = this.db.getRepository(ProfileEntity).createQueryBuilder('p').where('1 = 1');
    if (viewer.role !== 'ADMIN') qb.andWhere('p.account_id = :accountId', { accountId: viewer.accountId });
    return newestFirst(qb, 'profile', first, after);
  }

  /** The newest visible profile with this ICCID (ICCIDs may be recycled by a provider), or null. */
  async profileByIccid(viewer: Viewer, iccid: string): Promise<ProfileEntity | null> {
    return this.db.getRepository(ProfileEntity).findOne({
      where: { iccid, ...(viewer.role === 'ADMIN' ? {} : { accountId: viewer.accountId }) },
      order: { createdAt: 'DESC' },
    });
  }

  ordersByIds(ids: readonly string[]): Promise<(OrderEntity | null)[]> {
    return this.byIds(OrderEntity, ids);
  }

  async profilesByOrderIds(orderIds: readonly string[]): Promise<ProfileEntity[][]> {
    const rows = await this.db
      .getRepository(ProfileEntity)
      .find({ where: { orderId: In([...orderIds]) }, order: { createdAt: 'ASC', id: 'ASC' } });
    return groupBy(orderIds, rows, (r) => r.orderId);
  }

  profilesByIds(ids: readonly string[]): Promise<(ProfileEntity | null)[]> {
    return this.byIds(ProfileEntity, ids);
  }

  topUpsByIds(ids: readonly string[]): Promise<(TopUpEntity | null)[]> {
    return this.byIds(TopUpEntity, ids);
  }

  async topUpsByProfileIds(profileIds: readonly string[]): Promise<TopUpEntity[][]> {
    const rows = await this.db
      .getRepository(TopUpEntity)
      .find({ where: { profileId: In([...profileIds]) }, order: { createdAt: 'ASC', id: 'ASC' } });
    return groupBy(profileIds, rows, (r) => r.profileId);
  }

  private async byIds<T extends { id: string }>(entity: new () => T, ids: readonly string[]): Promise<(T | null)[]> {
    const rows = (await this.db.getRepository(entity).findBy({ id: In([...ids]) } as never)) as T[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }
}

function groupBy<T>(keys: readonly string[], rows: readonly T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k) ?? []);
}

function validDate(value: Date, field: string): Date {
  if (Number.isNaN(value.getTime())) throw new BadUserInputError(`${field} is not a valid date-time.`, field);
  return value;
}
