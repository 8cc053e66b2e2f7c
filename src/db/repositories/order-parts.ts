import { In, IsNull, type EntityManager } from 'typeorm';
import { OrderPartEntity, type OrderPartStatus } from '../entities/order-part.entity';

/** Parts not yet final: what a provider's answer or an operator's refund may still move. */
export const OPEN_PART: readonly OrderPartStatus[] = ['NEW', 'SUBMITTED', 'PROCESSING'];

/** An order's parts at its current provider, in the order they are sent (a failover supersedes the others). */
export function partsOf(m: EntityManager, orderId: string): Promise<OrderPartEntity[]> {
  return m.getRepository(OrderPartEntity).find({ where: { orderId, supersededAt: IsNull() }, order: { seq: 'ASC' } });
}

/**
 * The rows of an order of `quantity` sent in parts of at most `batch` (eSIM Access orders 30 in one
 * call, others one by one), numbered from `firstSeq`. Each id is the upstream reference: the
 * order id, `-<n>` added when there are several, and `prefix` before it after a failover (so the
 * new provider never sees a reference the first one was sent).
 */
export function newParts(
  orderId: string,
  quantity: number,
  batch: number,
  now: Date,
  { firstSeq = 1, prefix = '' }: { firstSeq?: number; prefix?: string } = {},
): OrderPartEntity[] {
  const sizes = splitQuantity(quantity, batch);
  const suffix = (i: number) => (sizes.length === 1 ? prefix : `${prefix}-${i + 1}`);
  return sizes.map((size, i) => ({
    id: `${orderId}${suffix(i)}`,
    orderId,
    seq: firstSeq + i,
    quantity: size,
    status: 'NEW' as const,
    providerOrderId: null,
    submittedAt: null,
    failureReason: null,
    failureCode: null,
    providerFailureCode: null,
    supersededAt: null,
    updatedAt: now,
  }));
}

/** `quantity` in parts of at most `batch`. */
export function splitQuantity(quantity: number, batch: number): number[] {
  const sizes: number[] = [];
  for (let left = quantity; left > 0; left -= Math.max(1, batch)) sizes.push(Math.min(Math.max(1, batch), left));
  return sizes;
}

/**
 * Moves a part only from one of the states `from`: every transition of the order flow is
 * conditional on the state it read, so two runners (or a runner and an operator) never both
 * win. True when this call moved it.
 */
export async function movePart(
  m: EntityManager,
  id: string,
  from: OrderPartStatus | readonly OrderPartStatus[],
  values: Partial<OrderPartEntity>,
): Promise<boolean> {
  const status = typeof from === 'string' ? from : In([...from]);
  const result = await m
    .getRepository(OrderPartEntity)
    .update({ id, status }, { ...values, updatedAt: values.updatedAt ?? new Date() });
  return result.affected === 1;
}
