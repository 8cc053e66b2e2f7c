import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { countryByAlpha2 } from '../../domain/countries';
import { Coverage, ProfileType, type CatalogPlan } from '../../domain/plan';
import type { Money } from '../../domain/money';
import { pricedAt, type PricedPlan } from '../../services/catalog/catalog-index';
import type { ProviderOutage } from '../../services/catalog/catalog.service';
import { CountryType, MoneyType, connectionOf } from './common.type';
import { ProviderType } from './provider.type';
import { SafeIntScalar } from './scalars';

@ObjectType('DataAllowance')
export class DataAllowanceType {
  @Field(() => SafeIntScalar, { nullable: true, description: 'Null when unlimited' })
  bytes: number | null;

  @Field()
  unlimited: boolean;
}

@ObjectType('Network')
export class NetworkType {
  @Field(() => CountryType)
  country: CountryType;

  @Field()
  operator: string;

  @Field(() => String, { nullable: true, description: 'e.g. 4G, 5G' })
  speed: string | null;
}

/** What a plan contains, shared by the catalog plan and the plan as ordered. */
// Registered under its own name and never referenced itself, so only the two subclasses are emitted (as connectionOf does).
@ObjectType('PlanContentsBase')
abstract class PlanContents {
  @Field({ description: "The provider's own code or slug for this plan" })
  code: string;

  @Field()
  name: string;

  @Field(() => Coverage)
  coverage: Coverage;

  @Field(() => [CountryType])
  countries: CountryType[];

  @Field(() => String, { nullable: true })
  regionName: string | null;

  @Field(() => DataAllowanceType)
  data: DataAllowanceType;

  @Field(() => Int)
  validityDays: number;
}

@Directive('@key(fields: "id")')
@ObjectType('Plan')
export class PlanType extends PlanContents {
  @Field(() => ID, { description: 'Global id: "<providerId>:<provider\'s own plan code>"' })
  id: string;

  @Field(() => MoneyType, { description: 'What the gateway pays the provider, normalized to a decimal amount' })
  wholesalePrice: MoneyType;

  @Field(() => MoneyType, { description: 'What the calling account pays, after its pricing rules' })
  price: MoneyType;

  @Field(() => MoneyType, {
    nullable: true,
    description: 'price divided by gigabytes (1 GB = 1024^3 bytes); null when unlimited',
  })
  pricePerGb: MoneyType | null;

  @Field()
  topUpSupported: boolean;

  @Field(() => ProfileType)
  profileType: ProfileType;

  @Field(() => Int, { nullable: true })
  voiceMinutes: number | null;

  @Field(() => Int, { nullable: true })
  smsCount: number | null;

  @Field({ description: 'True for day passes: the data allowance renews every day of validity' })
  dayPass: boolean;

  /** Kept for the `provider` and `networks` field resolvers; not in the schema. */
  source: CatalogPlan;

  static from({ plan, price, pricePerGb }: PricedPlan): PlanType {
    return {
      id: plan.id,
      code: plan.code,
      name: plan.name,
      coverage: plan.coverage,
      countries: plan.countries.map((c) => countryByAlpha2(c)).filter((c): c is CountryType => c !== undefined),
      regionName: plan.regionName,
      data: { bytes: plan.dataBytes, unlimited: plan.dataBytes === null },
      validityDays: plan.validityDays,
      wholesalePrice: MoneyType.from(plan.wholesalePrice),
      price: MoneyType.from(price),
      pricePerGb: pricePerGb && MoneyType.from(pricePerGb),
      topUpSupported: plan.topUpSupported,
      profileType: plan.profileType,
      voiceMinutes: plan.voiceMinutes,
      smsCount: plan.smsCount,
      dayPass: plan.dayPass,
      source: plan,
    };
  }
}

/**
 * A plan as it was when an order or top-up paid for it. A value of that order, with no `id` of its
 * own: a normalized client cache (Apollo, urql, Relay) keeps it inside the order and never mistakes
 * it for the catalog plan, whose price and contents may have changed since.
 */
@ObjectType('OrderedPlan', {
  description:
    'The plan as it was when ordered, and what was paid for it per unit; part of its order, not the catalog plan',
})
export class OrderedPlanType extends PlanContents {
  @Field(() => ID, { description: 'The catalog plan it was (Plan.id), which may have changed or been withdrawn since' })
  planId: string;

  @Field(() => MoneyType, { description: 'What the account paid per unit' })
  unitPrice: MoneyType;

  static from(plan: CatalogPlan, unitPrice: Money): OrderedPlanType {
    const { id, code, name, coverage, countries, regionName, data, validityDays } = PlanType.from(
      pricedAt(plan, unitPrice),
    );
    return {
      planId: id,
      code,
      name,
      coverage,
      countries,
      regionName,
      data,
      validityDays,
      unitPrice: MoneyType.from(unitPrice),
    };
  }
}

@ObjectType('ProviderOutage')
export class ProviderOutageType {
  @Field(() => ProviderType)
  provider: ProviderType;

  @Field({ description: 'Machine-readable, e.g. PROVIDER_UNAVAILABLE, RATE_LIMITED, TIMEOUT' })
  code: string;

  @Field()
  message: string;

  /** For the `provider` field resolver. */
  providerId: string;

  static from(outage: ProviderOutage): Omit<ProviderOutageType, 'provider'> {
    return { providerId: outage.providerId, code: outage.code, message: outage.message };
  }
}

const { Edge, Connection } = connectionOf('Plan', PlanType);
export { Edge as PlanEdgeType };

@ObjectType('PlanConnection')
export class PlanConnectionType extends Connection {
  @Field(() => [ProviderOutageType], {
    description: 'Providers whose plans are missing from this result because they failed; the rest is still returned',
  })
  unavailableProviders: ProviderOutageType[];
}
