import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { capabilitiesOf } from '../../providers/capabilities';
import type { ProviderAdapter } from '../../providers/provider-adapter';
import { CustomerFieldEnum, ProviderCapabilityEnum, ProviderStatusEnum } from './enums';

@ObjectType('ProviderHealth')
export class ProviderHealthType {
  @Field(() => ProviderStatusEnum)
  status: ProviderStatusEnum;

  @Field()
  circuitOpen: boolean;

  @Field(() => String, { nullable: true })
  lastError: string | null;
}

/** An upstream provider; `health`, `balance` and `plans` are field resolvers. */
@Directive('@key(fields: "id")')
@ObjectType('Provider', { description: 'An upstream wholesale eSIM provider federated by this gateway.' })
export class ProviderType {
  @Field(() => ID, { description: 'Stable slug: esimaccess, connectedyou, comium, esimplatform, esimtrade' })
  id: string;

  @Field()
  name: string;

  @Field(() => [ProviderCapabilityEnum])
  capabilities: ProviderCapabilityEnum[];

  @Field(() => [CustomerFieldEnum], { description: 'Customer details placeOrder needs for this provider (it delivers the eSIM to the customer itself); empty when none' })
  customerFields: CustomerFieldEnum[];

  static from(adapter: ProviderAdapter): ProviderType {
    return { id: adapter.id, name: adapter.name, capabilities: capabilitiesOf(adapter) as ProviderCapabilityEnum[], customerFields: [...adapter.customerFields] as CustomerFieldEnum[] };
  }
}
