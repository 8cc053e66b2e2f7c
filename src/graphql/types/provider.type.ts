import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { CustomerField } from '../../domain/device';
import { ProviderCapability, ProviderStatus } from '../../domain/provider';
import { capabilitiesOf } from '../../providers/capabilities';
import type { ProviderAdapter } from '../../providers/provider-adapter';

@ObjectType('ProviderHealth')
export class ProviderHealthType {
  @Field(() => ProviderStatus)
  status: ProviderStatus;

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

  @Field(() => [ProviderCapability])
  capabilities: ProviderCapability[];

  @Field(() => [CustomerField], {
    description:
      'Customer details placeOrder needs for this provider (it delivers the eSIM to the customer itself); empty when none',
  })
  customerFields: CustomerField[];

  static from(adapter: ProviderAdapter): ProviderType {
    return {
      id: adapter.id,
      name: adapter.name,
      capabilities: capabilitiesOf(adapter),
      customerFields: [...adapter.customerFields],
    };
  }
}
