import { In, type EntityManager } from 'typeorm';
import { OrderPartEntity, type OrderPartStatus } from '../entities/order-part.entity';

/** Parts not yet final: what a provider's answer or an operator's refund may still move. */
export const OPEN_PART: readonly OrderPartStatus[] = ['NEW', 'SUBMITTED', 'PROCESSING'];

/** An order's parts in the order they are sent. */
export function partsOf(m: EntityManager, orderId: string): Promise<OrderPartEntity[]> {
  return m.getRepository(OrderPartEntity).find({ where: { orderId }, order: { seq: 'ASC' } });
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
