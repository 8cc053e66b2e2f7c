import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { OrderEntity, ProfileEntity, TopUpEntity } from '../../db/entities';
import { DeviceState } from '../../domain/device';
import { FailureCode } from '../../domain/failure';
import { FailoverReason, OrderFallback } from '../../domain/order-fallback';
import { OrderStatus, TopUpStatus } from '../../domain/order-status';
import { ProfileStatus } from '../../domain/profile-status';
import type { UsageReading } from '../../services/ordering/profile.service';
import { MoneyType, connectionOf } from './common.type';
import { OrderedPlanType, PlanType } from './plan.type';
import { ProviderType } from './provider.type';
import { DateTimeScalar, SafeIntScalar } from './scalars';

// Order, Profile and TopUp refer to each other, so they share one file (no circular imports).

@ObjectType('Customer')
export class CustomerType {
  @Field(() => String, { nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true })
  name: string | null;
}

@ObjectType('Activation', {
  description:
    'How to install the profile, as the provider gives it: an SM-DP+ address and matching id, a QR code URL, or both',
})
export class ActivationType {
  @Field(() => String, { nullable: true })
  smdpAddress: string | null;

  @Field(() => String, { nullable: true })
  matchingId: string | null;

  @Field(() => String, { nullable: true, description: 'LPA:1$<smdpAddress>$<matchingId>' })
  lpaString: string | null;

  @Field(() => String, { nullable: true })
  qrCodeUrl: string | null;

  /** Null when the provider gave nothing to install with (it delivers to the customer itself). */
  static from(profile: Pick<ProfileEntity, 'smdpAddress' | 'matchingId' | 'qrCodeUrl'>): ActivationType | null {
    const { smdpAddress, matchingId, qrCodeUrl } = profile;
    if (!smdpAddress && !matchingId && !qrCodeUrl) return null;
    return {
      smdpAddress,
      matchingId,
      lpaString: smdpAddress && matchingId ? `LPA:1$${smdpAddress}$${matchingId}` : null,
      qrCodeUrl,
    };
  }
}

@ObjectType('Device', {
  description: 'The device side of a profile, apart from its plan status: what the phone did with it',
})
export class DeviceType {
  @Field(() => DeviceState, {
    nullable: true,
    description: "Null when the provider's last word is one the gateway does not know (see providerState)",
  })
  state: DeviceState | null;

  @Field({ description: "The provider's own word, as last seen" })
  providerState: string;

  @Field(() => String, { nullable: true, description: "The device's EID, where the provider sends it" })
  eid: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the provider said it happened' })
  updatedAt: Date | null;

  static from(profile: ProfileEntity): DeviceType | null {
    if (!profile.deviceRawState) return null;
    return {
      state: profile.deviceState,
      providerState: profile.deviceRawState,
      eid: profile.eid,
      updatedAt: profile.deviceAt,
    };
  }
}

@ObjectType('Usage')
export class UsageType {
  @Field(() => SafeIntScalar)
  usedBytes: number;

  @Field(() => SafeIntScalar, { nullable: true, description: 'Null when unlimited' })
  totalBytes: number | null;

  @Field(() => SafeIntScalar, { nullable: true })
  remainingBytes: number | null;

  @Field(() => Number, { nullable: true })
  percentUsed: number | null;

  @Field(() => DateTimeScalar)
  updatedAt: Date;

  @Field(() => Int, { nullable: true, description: 'Voice minutes left, where the provider reports them' })
  voiceMinutesRemaining: number | null;

  @Field(() => Int, { nullable: true, description: 'SMS left, where the provider reports them' })
  smsRemaining: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "The provider's last usage alert: the percentage of the allowance that was left when it fired",
  })
  alertRemainingPercent: number | null;

  /** A reading, completed from the stored profile with what a reading does not carry (alerts, voice, SMS). */
  static from(reading: UsageReading, stored?: ProfileEntity): UsageType {
    const { usedBytes, totalBytes } = reading;
    return {
      voiceMinutesRemaining: reading.voiceMinutesRemaining ?? stored?.voiceMinutesRemaining ?? null,
      smsRemaining: reading.smsRemaining ?? stored?.smsRemaining ?? null,
      alertRemainingPercent: stored?.usageAlertRemainingPercent ?? null,
      usedBytes,
      totalBytes,
      remainingBytes: totalBytes === null ? null : Math.max(0, totalBytes - usedBytes),
      // A display ratio, not money: a float is what the contract asks for.
      percentUsed: totalBytes === null || totalBytes === 0 ? null : Math.round((usedBytes / totalBytes) * 10_000) / 100,
      updatedAt: reading.updatedAt,
    };
  }
}

@ObjectType('OrderAttention', {
  description:
    'An order or top-up the provider has not settled in time: its money is held until it settles or an admin resolves it',
})
export class OrderAttentionType {
  @Field()
  reason: string;

  @Field(() => DateTimeScalar)
  since: Date;

  /** Only while the row is unsettled: the flag of a settled row may wait for the next sweep to be cleared. */
  static from(
    row: { readonly attentionReason?: string | null; readonly attentionSince?: Date | null },
    open: boolean,
  ): OrderAttentionType | null {
    return open && row.attentionReason && row.attentionSince
      ? { reason: row.attentionReason, since: row.attentionSince }
      : null;
  }
}

@ObjectType('OrderFailover', {
  description: 'How an order placed with fallback EQUIVALENT left the provider it asked for',
})
export class OrderFailoverType {
  @Field(() => FailoverReason)
  reason: FailoverReason;

  @Field(() => DateTimeScalar)
  at: Date;

  /** For the `from` field resolver. */
  fromProviderId: string;
}

@Directive('@key(fields: "id")')
@ObjectType('Order')
export class OrderType {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true, description: "The caller's own reference, unique per account when given" })
  reference: string | null;

  @Field(() => OrderStatus)
  status: OrderStatus;

  @Field(() => ProviderType)
  provider: ProviderType;

  @Field(() => PlanType, {
    nullable: true,
    description:
      'The catalog plan as offered now, priced for the caller; null once withdrawn. What this order bought and paid is orderedPlan',
  })
  plan: PlanType | null;

  @Field(() => OrderedPlanType, { description: 'The plan as it was when ordered, and the unit price charged' })
  orderedPlan: OrderedPlanType;

  @Field(() => Int)
  quantity: number;

  @Field(() => MoneyType)
  total: MoneyType;

  @Field(() => CustomerType, { nullable: true })
  customer: CustomerType | null;

  @Field(() => [ProfileType])
  profiles: ProfileType[];

  @Field(() => String, {
    nullable: true,
    description: 'Why profiles were not delivered (and refunded), in neutral words; null when nothing failed',
  })
  failureReason: string | null;

  @Field(() => FailureCode, { nullable: true, description: 'Stable code for failureReason; null when nothing failed' })
  failureCode: FailureCode | null;

  @Field(() => OrderAttentionType, { nullable: true, description: 'Null while nothing needs a person' })
  attention: OrderAttentionType | null;

  @Field(() => OrderFallback, { description: 'What the order was placed to do if its plan could not be served' })
  fallback: OrderFallback;

  @Field(() => OrderFailoverType, {
    nullable: true,
    description:
      'Set once the order went to an equivalent plan: then provider, plan and orderedPlan are the plan that fulfils it, and requestedPlan the one asked for',
  })
  failover: OrderFailoverType | null;

  @Field(() => DateTimeScalar)
  createdAt: Date;

  @Field(() => DateTimeScalar)
  updatedAt: Date;

  /** For the field resolvers (provider, plan, profiles); not in the schema. */
  source: OrderEntity;

  /** Scalars only: provider, plan and profiles are field resolvers. */
  static from(order: OrderEntity): OrderType {
    return {
      id: order.id,
      reference: order.reference,
      status: order.status,
      quantity: order.quantity,
      total: MoneyType.from({ amount: order.total, currency: order.currency }),
      customer:
        order.customerEmail || order.customerName ? { email: order.customerEmail, name: order.customerName } : null,
      failureReason: order.failureReason,
      failureCode: order.failureCode ?? null,
      attention: OrderAttentionType.from(order, order.status === 'PENDING' || order.status === 'PROCESSING'),
      fallback: order.fallback ?? OrderFallback.NONE,
      failover:
        order.failoverReason && order.failedOverAt && order.requestedProviderId
          ? { reason: order.failoverReason, at: order.failedOverAt, fromProviderId: order.requestedProviderId }
          : null,
      createdAt: order.createdAt,
      updatedAt: order.updatedAt,
      source: order,
    } as OrderType;
  }
}

@Directive('@key(fields: "id")')
@ObjectType('Profile')
export class ProfileType {
  @Field(() => ID, { description: 'Stable and unique: a profile re-issued with the same ICCID has a new id' })
  id: string;

  @Field()
  iccid: string;

  @Field(() => ProviderType)
  provider: ProviderType;

  @Field(() => ProfileStatus)
  status: ProfileStatus;

  @Field(() => ActivationType, {
    nullable: true,
    description:
      'Null while allocating, and where the provider delivers the profile to the customer itself (e.g. by e-mail)',
  })
  activation: ActivationType | null;

  @Field(() => DeviceType, {
    nullable: true,
    description: 'What the device did with the profile, where the provider reports it; never changes status',
  })
  device: DeviceType | null;

  @Field(() => UsageType, {
    nullable: true,
    description: 'Live usage from the provider, batched across profiles in one request',
  })
  usage: UsageType | null;

  @Field(() => DateTimeScalar, { nullable: true })
  expiresAt: Date | null;

  @Field(() => OrderType)
  order: OrderType;

  @Field(() => [TopUpType])
  topUps: TopUpType[];

  @Field(() => [PlanType])
  topUpOptions: PlanType[];

  @Field(() => String, {
    description: "The provider's own word for the status, as last seen (support and diagnostics)",
  })
  providerStatus: string;

  /** For the field resolvers; not in the schema. */
  source: ProfileEntity;

  static from(profile: ProfileEntity): ProfileType {
    return {
      id: profile.id,
      iccid: profile.iccid,
      status: profile.status,
      providerStatus: profile.rawStatus,
      activation: ActivationType.from(profile),
      device: DeviceType.from(profile),
      expiresAt: profile.expiresAt,
      source: profile,
    } as ProfileType;
  }
}

@Directive('@key(fields: "id")')
@ObjectType('TopUp')
export class TopUpType {
  @Field(() => ID)
  id: string;

  @Field(() => ProfileType)
  profile: ProfileType;

  @Field(() => PlanType, {
    description:
      "The catalog plan as offered now when the catalog lists it; otherwise the plan as bought, under an id of its own ('<plan id>@<top-up id>') so it never stands in for a catalog plan. What was bought and paid is orderedPlan",
  })
  plan: PlanType;

  @Field(() => OrderedPlanType, { description: 'The top-up plan as it was when bought, and what was paid for it' })
  orderedPlan: OrderedPlanType;

  @Field(() => TopUpStatus)
  status: TopUpStatus;

  @Field(() => MoneyType)
  total: MoneyType;

  @Field(() => DateTimeScalar)
  createdAt: Date;

  @Field(() => String, {
    nullable: true,
    description: 'Why the top-up failed (it was refunded), in neutral words; null unless FAILED',
  })
  failureReason: string | null;

  @Field(() => FailureCode, { nullable: true, description: 'Stable code for failureReason; null unless FAILED' })
  failureCode: FailureCode | null;

  @Field(() => OrderAttentionType, { nullable: true, description: 'Null while nothing needs a person' })
  attention: OrderAttentionType | null;

  /** For the field resolvers; not in the schema. */
  source: TopUpEntity;

  static from(topUp: TopUpEntity): TopUpType {
    return {
      id: topUp.id,
      status: topUp.status,
      total: MoneyType.from({ amount: topUp.total, currency: topUp.currency }),
      createdAt: topUp.createdAt,
      failureReason: topUp.failureReason,
      failureCode: topUp.failureCode ?? null,
      attention: OrderAttentionType.from(topUp, topUp.status === 'PENDING'),
      source: topUp,
    } as TopUpType;
  }
}

@ObjectType('UsageEvent')
export class UsageEventType {
  @Field()
  iccid: string;

  @Field(() => UsageType)
  usage: UsageType;

  @Field(() => ProfileType)
  profile: ProfileType;
}

const orders = connectionOf('Order', OrderType);
const profiles = connectionOf('Profile', ProfileType);

@ObjectType('OrderConnection')
export class OrderConnectionType extends orders.Connection {}

@ObjectType('ProfileConnection')
export class ProfileConnectionType extends profiles.Connection {}
