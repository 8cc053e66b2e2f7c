import { Field, ID, ObjectType } from 'type-graphql';
import type { PriceRuleEntity } from '../../db/entities';
import { WALLET_CURRENCY } from '../../services/catalog/catalog.service';
import { MoneyType } from './common.type';
import { DateTimeScalar, DecimalScalar } from './scalars';

@ObjectType('PriceRule', {
  description:
    "An account's price for some plans, instead of its markup. The most specific rule wins: planId, then providerId + country, then country, then providerId, then the account's markupPercent. A country rule covers single-country plans of that country only; regional and global plans are priced by plan or provider rules.",
})
export class PriceRuleType {
  @Field(() => ID) id: string;
  @Field(() => ID) accountId: string;
  @Field(() => ID, { nullable: true }) providerId: string | null;
  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2' }) country: string | null;
  @Field(() => ID, { nullable: true }) planId: string | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Price = wholesale × (1 + markupPercent/100), rounded half-up to the minor unit',
  })
  markupPercent: string | null;
  @Field(() => MoneyType, { nullable: true, description: 'In the wallet currency' }) fixedPrice: MoneyType | null;
  @Field(() => DateTimeScalar, { description: 'When the rule was last set' }) createdAt: Date;

  static from(this: void, row: PriceRuleEntity): PriceRuleType {
    return {
      id: row.id,
      accountId: row.accountId,
      providerId: row.providerId,
      country: row.country,
      planId: row.planId,
      markupPercent: row.markupPercent,
      fixedPrice:
        row.fixedPrice === null ? null : MoneyType.from({ amount: row.fixedPrice, currency: WALLET_CURRENCY }),
      createdAt: row.createdAt,
    };
  }
}
