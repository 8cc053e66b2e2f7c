import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import { ALL_ACCOUNTS, type TopicPayloads } from '../../infra/pubsub';
import type { Context } from '../context';
import { WalletType } from '../types/account.type';
import { OrderType, ProfileType, UsageEventType, UsageType } from '../types/ordering.type';

const ownedBy = (ctx: Context, accountId: string) => ctx.viewer.role === 'ADMIN' || ctx.viewer.accountId === accountId;
/**
 * One read per event, shared by every subscriber it reaches: the event object is the same for all
 * of them (one dispatch per instance), they all passed the owner filter, and the row they read is
 * the same. Without it, an event for an account holding 200 subscriptions cost 200 reads.
 */
const perEvent = new WeakMap<object, Promise<unknown>>();
const sharedRead = <T>(payload: object, read: () => Promise<T>): Promise<T> => {
  let pending = perEvent.get(payload) as Promise<T> | undefined;
  if (!pending) perEvent.set(payload, (pending = read()));
  return pending;
};
/** The route a subscriber listens to: its own account's events, or every account's for an admin. */
const route = ({ context }: { context: Context }) =>
  context.viewer.role === 'ADMIN' ? ALL_ACCOUNTS : context.viewer.accountId;

/**
 * Events are delivered at least once (the outbox may publish one again after a crash or a stall).
 * The first delivery of an event id on a route is kept; a later one (another payload object with
 * the same id) reaches no subscriber. Bounded: an id seen more than FIRST_SEEN entries ago passes.
 */
const FIRST_SEEN = 10_000;
const firstDelivery = new Map<string, object>();
const isFirstDelivery = (payload: { eventId: string }, context: Context): boolean => {
  const key = `${route({ context })}:${payload.eventId}`;
  const first = firstDelivery.get(key);
  if (first) return first === payload;
  firstDelivery.set(key, payload);
  if (firstDelivery.size > FIRST_SEEN) firstDelivery.delete(firstDelivery.keys().next().value!);
  return true;
};
/** Owned by the viewer (admins see all) and not a repeated delivery. */
const deliverable = (context: Context, payload: { accountId: string; eventId: string }) =>
  ownedBy(context, payload.accountId) && isFirstDelivery(payload, context);

/**
 * Real-time events, routed by owner (infra/pubsub.ts) and checked again by the filter before any
 * field resolves (admins see all). Services write events with their change; the outbox publishes
 * them after the commit; each event resolves with loaders that never cache across events
 * (app/subscriptions.ts), since a subscription lives long.
 */
@Resolver()
export class SubscriptionResolver {
  @Subscription(() => OrderType, {
    topics: 'ORDER_UPDATED',
    topicId: route,
    filter: ({
      payload,
      args,
      context,
    }: {
      payload: TopicPayloads['ORDER_UPDATED'];
      args: { id?: string | null };
      context: Context;
    }) => deliverable(context, payload) && (!args.id || args.id === payload.orderId),
    description: "The caller's orders as they change; one order when id is given",
  })
  async orderUpdated(
    @Root() payload: TopicPayloads['ORDER_UPDATED'],
    @Arg('id', () => ID, { nullable: true }) _id: string | null,
    @Ctx() ctx: Context,
  ): Promise<OrderType> {
    return OrderType.from(
      await sharedRead(payload, () => ctx.services.orders.visibleOrder(ctx.viewer, payload.orderId)),
    );
  }

  @Subscription(() => UsageEventType, {
    topics: 'USAGE_UPDATED',
    topicId: route,
    filter: ({
      payload,
      args,
      context,
    }: {
      payload: TopicPayloads['USAGE_UPDATED'];
      args: { iccid?: string | null };
      context: Context;
    }) => deliverable(context, payload) && (!args.iccid || args.iccid === payload.iccid),
    description: "Usage changes of the caller's profiles; one profile when iccid is given",
  })
  async usageUpdated(
    @Root() payload: TopicPayloads['USAGE_UPDATED'],
    @Arg('iccid', () => String, { nullable: true }) _iccid: string | null,
    @Ctx() ctx: Context,
  ): Promise<UsageEventType> {
    const profile = await ctx.services.profiles.visibleProfile(ctx.viewer, payload.iccid);
    const usage = UsageType.from(
      { usedBytes: payload.usedBytes, totalBytes: payload.totalBytes, updatedAt: new Date(payload.updatedAt) },
      profile,
    );
    return { iccid: payload.iccid, usage, profile: ProfileType.from(profile) };
  }

  @Subscription(() => WalletType, {
    topics: 'WALLET_UPDATED',
    topicId: route,
    filter: ({ payload, context }: { payload: TopicPayloads['WALLET_UPDATED']; context: Context }) =>
      deliverable(context, payload),
    description: "The caller's wallet after every balance change",
  })
  async walletUpdated(@Root() payload: TopicPayloads['WALLET_UPDATED'], @Ctx() ctx: Context): Promise<WalletType> {
    return WalletType.from(
      await sharedRead(payload, () => ctx.services.wallets.walletOf(ctx.viewer, payload.accountId)),
    );
  }
}
