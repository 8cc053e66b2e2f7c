import { IsOptional } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { Coverage, ProfileType } from '../../domain/plan';
import { TEXT_LIMITS } from '../../domain/text';
import { DecimalScalar } from './scalars';
import { CountryCode, PrintableText } from './validation';

@InputType('PlanFilter')
export class PlanFilterInput {
  @Field(() => String, {
    nullable: true,
    description: 'ISO alpha-2 or alpha-3 code; matches plans whose coverage includes the country',
  })
  @IsOptional()
  @CountryCode()
  country?: string | null;

  @Field(() => String, { nullable: true, description: 'Free-text region match, e.g. Europe' })
  @IsOptional()
  @PrintableText(0, TEXT_LIMITS.region)
  region?: string | null;

  @Field(() => [ID], { nullable: true })
  providerIds?: string[] | null;

  @Field(() => Coverage, { nullable: true })
  coverage?: Coverage | null;

  @Field(() => Float, { nullable: true })
  minDataGb?: number | null;

  @Field(() => DecimalScalar, { nullable: true })
  maxPrice?: string | null;

  @Field(() => Int, { nullable: true })
  minValidityDays?: number | null;

  @Field(() => ProfileType, { nullable: true })
  profileType?: ProfileType | null;

  @Field(() => Boolean, { nullable: true })
  topUpSupported?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Free text over name, country names and region' })
  @IsOptional()
  @PrintableText(0, TEXT_LIMITS.search)
  search?: string | null;
}
